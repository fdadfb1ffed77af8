"""Widgets for the strongest hip flexor, sitting fibre length, gait and the EMG panel.

Each is a :class:`~melt_course.widgets.diagram.Diagram` over a drawing of
:mod:`melt_course.figures.hip_flexors` (``FLEXORS``, ``FIBRES``, ``GAIT``, ``EMG``): it declares
its controls and state, and shows a table of the numbers under the picture.
"""

from __future__ import annotations

from html import escape

import ipywidgets as W

from melt_course.content import emg
from melt_course.content.bibliography import cite_markdown
from melt_course.figures import hip_flexors as fh
from melt_course.models import fibres, gait
from melt_course.models import reference as ref
from melt_course.widgets.diagram import Diagram
from melt_course.widgets.tables import html_table, markdown_table
from melt_course.widgets.text import TextBlock

__all__ = ["EmgPanel", "FibreLengthWidget", "GaitWidget", "HipFlexorComparison",
           "emg_panel", "fibre_length_widget", "flexor_table", "gait_cycle_widget",
           "hip_flexor_comparison", "psoas_actions"]

_WIDE = {"description_width": "initial"}
_SLIDER = W.Layout(width="420px")


def _int_slider(value, lo, hi, step, description):
    return W.IntSlider(value=value, min=lo, max=hi, step=step, description=description,
                       style=_WIDE, continuous_update=True, layout=_SLIDER)


class HipFlexorComparison(Diagram):
    """Which hip flexor can make the most hip-flexion moment? Model, knee and hip controls."""

    title = "Hip-flexor comparison"
    drawing = fh.FLEXORS
    main = "hip"

    def __init__(self, model: str = "gait2392", knee_flexion_deg: int = 0,
                 hip_flexion_deg: int = 0) -> None:
        ref.flexor_moments(model, hip_flexion_deg, knee_flexion_deg)    # named errors
        self.model = W.ToggleButtons(options=[("gait2392", "gait2392"),
                                              ("Rajagopal 2016", "rajagopal2016")], value=model,
                                     description="Model", style=_WIDE)
        self.knee = W.ToggleButtons(options=[("straight", 0), ("bent 90°", 90)],
                                    value=int(knee_flexion_deg), description="Knee",
                                    style=_WIDE)
        self.hip = _int_slider(int(hip_flexion_deg), -30, 120, 5, "Hip flexion (°)")
        self.readout = W.HTML()
        super().__init__(controls=[self.model, self.knee, self.hip],
                         children=[self.model, self.knee, self.hip, self.picture, self.readout],
                         action="updating the hip-flexor comparison")

    def state_at(self, hip: int) -> tuple[str, int, int]:
        return self.model.value, self.knee.value, hip

    def changed(self, state: tuple[str, int, int]) -> None:
        model, knee, hip = state
        rows = [[ref.MUSCLE_NAMES[r.muscle], f"{r.active_force:.0f} N",
                 f"{r.moment_arm * 100:.1f} cm", f"{r.moment:.1f} N m"]
                for r in ref.flexor_moments(model, hip, knee)]
        self.readout.value = (
            html_table(rows, ["Muscle", "Force at full effort", "Moment arm", "Moment"],
                       f"At {hip}° hip flexion, knee {'straight' if not knee else 'bent 90°'}")
            + "<p style='font-size:90%'><i>(model)</i> Computed with OpenSim from the published "
              "model files (opensim-org/opensim-models 20a888b). Force is the muscle's "
              "maximum times its force-length factor at that length; the moment is force "
              "times moment arm.</p>")


def hip_flexor_comparison(model: str = "gait2392", knee_flexion_deg: int = 0,
                          hip_flexion_deg: int = 0) -> HipFlexorComparison:
    """Return the hip-flexor comparison widget.

    Parameters
    ----------
    model : {"gait2392", "rajagopal2016"}
    knee_flexion_deg : {0, 90}
    hip_flexion_deg : int
        -30 to 120.
    """
    return HipFlexorComparison(model, knee_flexion_deg, hip_flexion_deg)


def flexor_table(hip_angles=(0, 45, 90)) -> TextBlock:
    """A table: available moment of psoas, iliacus, iliopsoas and rectus femoris (knee
    straight and bent) at a few hip angles in both models, with the strongest single muscle."""
    rows = []
    for model in ref.REFERENCE_MODELS:
        for hip in hip_angles:
            cells = [ref.MODEL_NAMES[model], f"{hip}°"]
            for m, knee in (("psoas", 0), ("iliacus", 0), ("iliopsoas", 0),
                            ("rectus_femoris", 0), ("rectus_femoris", 90)):
                cells.append(f"{ref.available_moment(model, m, hip, knee):.0f}")
            cells.append(ref.MUSCLE_NAMES[ref.strongest_flexor(model, hip, 0)])
            rows.append(cells)
    return TextBlock(markdown_table(
        ["Model", "Hip", "Psoas", "Iliacus", "Iliopsoas", "Rectus femoris (knee straight)",
         "Rectus femoris (knee bent 90°)", "Strongest single muscle (knee straight)"], rows,
        "Hip-flexion moment at full effort, N m (model, computed with OpenSim)"))


class FibreLengthWidget(Diagram):
    """Psoas fibre length in five sets of assumptions, with a hip-angle slider."""

    title = "How short are the fibres?"
    drawing = fh.FIBRES
    main = "hip"

    def __init__(self, hip_flexion_deg: int = 90) -> None:
        fibres.fibre_length_scenarios(hip_flexion_deg)             # named errors
        self.hip = _int_slider(int(hip_flexion_deg), -30, 120, 5, "Hip flexion (°)")
        self.readout = W.HTML()
        super().__init__(controls=[self.hip], children=[self.hip, self.picture, self.readout],
                         action="updating the fibre-length figure")

    def state_at(self, hip: int) -> int:
        return hip

    def changed(self, hip: int) -> None:
        rows = [[s.name, f"{v:.2f}", "yes" if v >= fibres.TRUST_LIMIT else
                 "no: below half the optimal length"]
                for s, v in fibres.fibre_length_scenarios(hip)]
        self.readout.value = html_table(rows, ["Assumptions", "Fibre length (× optimal)",
                                               "Inside what the curves describe?"],
                                        f"Psoas at {hip}° hip flexion (model)")


def fibre_length_widget(hip_flexion_deg: int = 90) -> FibreLengthWidget:
    """Return the fibre-length widget (hip angle from -30 to 120 degrees; starts at 90)."""
    return FibreLengthWidget(hip_flexion_deg)


class GaitWidget(Diagram):
    """One measured gait cycle with a slider through it."""

    title = "Psoas in a walking step"
    drawing = fh.GAIT
    main = "percent"

    def __init__(self, percent: int = 0) -> None:
        gait.gait_cycle().at(percent)                               # named errors
        self.percent = _int_slider(int(percent), 0, 100, 2, "Gait cycle (%)")
        self.readout = W.HTML()
        super().__init__(controls=[self.percent],
                         children=[self.percent, self.picture, self.readout],
                         action="updating the gait figure")

    def state_at(self, percent: int) -> int:
        return percent

    def changed(self, percent: int) -> None:
        at = gait.gait_cycle().at(percent)
        rows = [["Phase", at["phase"]], ["Hip flexion", f"{at['hip_flexion_deg']:.0f}°"],
                ["Knee flexion", f"{at['knee_flexion_deg']:.0f}°"],
                ["Force under the foot", f"{at['grf_right_n']:.0f} N"]]
        for key, name in (("course", "course model"), ("gait2392", "gait2392"),
                          ("rajagopal2016", "Rajagopal 2016")):
            rows.append([f"Psoas length, {name}", f"{at['psoas_length'][key] * 100:.1f} cm "
                         f"(moment arm {at['psoas_moment_arm'][key] * 100:.1f} cm)"])
        self.readout.value = html_table(rows, ["", f"{percent}% of the cycle"])


def gait_cycle_widget(percent: int = 0) -> GaitWidget:
    """Return the gait widget (slider 0 to 100% of one measured gait cycle)."""
    return GaitWidget(percent)


class EmgPanel(Diagram):
    """Juker 1998's psoas EMG by task, one task chosen at a time."""

    title = "What EMG shows psoas doing"
    drawing = fh.EMG

    def __init__(self, task: str = "sit-ups") -> None:
        emg.task(task)                                              # named errors
        rows = emg.load_emg().tasks.rows
        self.task = W.Dropdown(options=[(r.task, r.id) for r in rows], value=task,
                               description="Task", style=_WIDE, layout=_SLIDER)
        self.readout = W.HTML()
        super().__init__(controls=[self.task], children=[self.task, self.picture, self.readout],
                         action="updating the EMG panel")

    def state(self) -> str:
        return self.task.value

    def changed(self, task: str) -> None:
        data = emg.load_emg().tasks
        row = emg.task(task)
        self.readout.value = (
            f"<p><b>{escape(row.task)}</b>: {escape(emg.amount(row))}. {escape(row.reading)} "
            f"<i>(research)</i></p><p style='font-size:90%'>How it was measured: "
            f"{escape(data.design)} n={data.n} ({escape(data.sample)}). One small study: a "
            "hint, not a law.</p>")


def emg_panel(task: str = "sit-ups") -> EmgPanel:
    """Return the EMG panel (a task menu over Juker 1998's chart)."""
    return EmgPanel(task)


def psoas_actions() -> TextBlock:
    """Table: the actions attributed to psoas, each with its evidence label and sources."""
    rows = [[a.action, a.label, a.statement,
             cite_markdown(a.refs, brackets=False) or "no primary source found"]
            for a in emg.actions()]
    return TextBlock(markdown_table(["Action", "Evidence", "What is known", "Sources"], rows,
                                    "What psoas is said to do, and how we know"))
