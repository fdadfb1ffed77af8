"""Lesson 2 widgets: the psoas model explorer and the "four words" widget.

Each is a :class:`~melt_course.widgets.diagram.Diagram` over a drawing of
:mod:`melt_course.figures.biomech`. All numbers come from :mod:`melt_course.models.biomech`.
"""

from __future__ import annotations

import ipywidgets as W

from melt_course.figures import biomech as fb
from melt_course.models import biomech as bm
from melt_course.widgets.diagram import Diagram
from melt_course.widgets.tables import html_table, markdown_table
from melt_course.widgets.text import TextBlock

__all__ = ["BiomechExplorer", "FourWordsWidget", "four_words", "gait2392_check",
           "model_parameters", "psoas_explorer"]

_WIDE = {"description_width": "initial"}
_HOLD_REST_S = 600.0   # the rest shown after every hold, seconds


def _check_start(name: str, value, valid: tuple[float, float]) -> None:
    if not valid[0] <= value <= valid[1]:
        raise ValueError(f"{name}={value!r} is outside the range {valid[0]:g} to {valid[1]:g}")


class BiomechExplorer(Diagram):
    """Hip flexion and low-back sliders driving the side view, moment arm and force-length plots.

    Parameters
    ----------
    hip_flexion_deg : int
        Starting hip flexion, -30 to 120 degrees.
    lumbar_lordosis_deg : int
        Starting low-back curve change, -30 to 20 degrees.
    muscle : {"psoas", "iliacus"}
        The muscle whose numbers are shown.
    """

    title = "Psoas model explorer"
    drawing = fb.EXPLORER
    main = "hip"

    def __init__(self, hip_flexion_deg: int = 0, lumbar_lordosis_deg: int = 0,
                 muscle: str = "psoas") -> None:
        _check_start("hip_flexion_deg", hip_flexion_deg, bm.HIP_RANGE_DEG)
        _check_start("lumbar_lordosis_deg", lumbar_lordosis_deg, bm.LORDOSIS_RANGE_DEG)
        if muscle not in bm.MUSCLES:
            raise ValueError(f"muscle={muscle!r} is not in the model; expected one of "
                             f"{bm.MUSCLES}")
        self.hip = W.IntSlider(value=hip_flexion_deg, min=int(bm.HIP_RANGE_DEG[0]),
                               max=int(bm.HIP_RANGE_DEG[1]), step=5,
                               description="Hip flexion (°)", style=_WIDE,
                               continuous_update=True, layout=W.Layout(width="420px"))
        self.lordosis = W.IntSlider(value=lumbar_lordosis_deg,
                                    min=int(bm.LORDOSIS_RANGE_DEG[0]),
                                    max=int(bm.LORDOSIS_RANGE_DEG[1]), step=5,
                                    description="Low-back curve (° from neutral)", style=_WIDE,
                                    continuous_update=True, layout=W.Layout(width="420px"))
        self.muscle = W.ToggleButtons(options=list(bm.MUSCLES), value=muscle,
                                      description="Muscle", style=_WIDE)
        self.readout = W.HTML()
        super().__init__(controls=[self.hip, self.lordosis, self.muscle],
                         children=[self.hip, self.lordosis, self.muscle, self.picture,
                                   self.readout], action="moving the explorer's controls")

    def state_at(self, hip: int) -> tuple[int, int, str]:
        """``(hip flexion °, low-back curve °, muscle)``: ``hip`` and the other controls."""
        return hip, self.lordosis.value, self.muscle.value

    def changed(self, state: tuple[int, int, str]) -> None:
        self._update_readout()

    def _update_readout(self) -> None:
        hip, lam, muscle = self.current
        numbers = fb.explorer_numbers(hip, lam, muscle)    # shared with the picture
        st = numbers.state
        other = "iliacus" if muscle == "psoas" else "psoas"
        rows = [
            ("Musculotendon length", f"{st.musculotendon_length * 100:.1f} cm"),
            ("Hip flexion moment arm", f"{st.moment_arm * 100:.1f} cm"),
            ("Fibre length", f"{st.fibre_length * 100:.1f} cm "
                             f"({st.normalized_fibre_length:.2f} × optimal)"),
            ("Active force at full effort", f"{st.active_force:.0f} N "
                                            f"({st.active_multiplier * 100:.0f}% of max)"),
            ("Passive force", f"{st.passive_force:.0f} N"),
            ("Hip flexion moment available", f"{st.active_moment:.1f} N m (+ passive "
                                             f"{st.passive_moment:.1f} N m)"),
            (f"{other.capitalize()} length, for comparison",
             f"{numbers.other_length * 100:.1f} cm"),
        ]
        self.readout.value = (html_table(rows, row_headers=True)
                              + "<p style='font-size:90%'><i>(model)</i> Course model with "
                                "gait2392 parameters; Thelen 2003 curves.</p>")


def psoas_explorer(hip_flexion_deg: int = 0, lumbar_lordosis_deg: int = 0,
                   muscle: str = "psoas") -> BiomechExplorer:
    """Return the psoas model explorer (hip and low-back sliders, three live panels).

    Parameters
    ----------
    hip_flexion_deg : int
        Starting hip flexion, -30 to 120 degrees.
    lumbar_lordosis_deg : int
        Starting change of the low-back curve, -30 (flatter) to 20 (more arched) degrees.
    muscle : {"psoas", "iliacus"}
    """
    return BiomechExplorer(hip_flexion_deg, lumbar_lordosis_deg, muscle)


_KOCH = ("<p style='font-size:92%'><b>Koch's view</b> <i>(practitioner view)</i>: Liz Koch, "
         "author of <i>The Psoas Book</i>, quoted in the MELT article, says the psoas is not "
         "weak but exhausted. The model cannot test that claim. It only shows that "
         "<i>weak</i> (little force when fresh) and <i>exhausted</i> (force lost during a long "
         "hold, regained with rest) are different numbers, so they can be told apart.</p>")


class FourWordsWidget(Diagram):
    """Pose the body and read "tight, short, weak, exhausted" as four numbers.

    Parameters
    ----------
    pose : str
        A key of :data:`melt_course.models.biomech.POSES`.
    muscle : {"psoas", "iliacus"}
    effort_percent : int
        Effort held for the *exhausted* number, 5 to 60 % of the fresh maximum.
    hold_minutes : int
        How long it is held, 1 to 20 minutes.
    fatigue : str
        A key of :data:`melt_course.models.biomech.FATIGUE_PARAMETERS`.
    """

    title = "Four words, four numbers"
    drawing = fb.FOUR_WORDS

    def __init__(self, pose: str = "standing", muscle: str = "psoas", effort_percent: int = 20,
                 hold_minutes: int = 5, fatigue: str = "ankle") -> None:
        if pose not in bm.POSES:
            raise ValueError(f"pose={pose!r} is not known; expected one of {tuple(bm.POSES)}")
        if muscle not in bm.MUSCLES:
            raise ValueError(f"muscle={muscle!r} is not in the model; expected one of "
                             f"{bm.MUSCLES}")
        if fatigue not in bm.FATIGUE_PARAMETERS:
            raise ValueError(f"fatigue={fatigue!r} is not known; expected one of "
                             f"{tuple(bm.FATIGUE_PARAMETERS)}")
        _check_start("effort_percent", effort_percent, (5, 60))
        _check_start("hold_minutes", hold_minutes, (1, 20))
        self.pose = W.ToggleButtons(options=list(bm.POSES), value=pose, description="Pose",
                                    style={**_WIDE, "button_width": "auto"})
        self.muscle = W.ToggleButtons(options=list(bm.MUSCLES), value=muscle,
                                      description="Muscle", style=_WIDE)
        self.effort = W.IntSlider(value=effort_percent, min=5, max=60, step=5,
                                  description="Effort held (% of max)", style=_WIDE,
                                  continuous_update=False, layout=W.Layout(width="420px"))
        self.hold = W.IntSlider(value=hold_minutes, min=1, max=20, step=1,
                                description="Hold (minutes)", style=_WIDE,
                                continuous_update=False, layout=W.Layout(width="420px"))
        self.fatigue = W.Dropdown(options=[(p.label, key) for key, p in
                                           bm.FATIGUE_PARAMETERS.items()],
                                  value=fatigue, description="Fatigue rates", style=_WIDE)
        self.readout = W.HTML()
        self.koch = W.HTML(_KOCH)
        controls = [self.pose, self.muscle, self.effort, self.hold, self.fatigue]
        super().__init__(controls=controls, children=[*controls, self.picture, self.readout,
                                                      self.koch],
                         action="changing the pose or the hold")

    def state(self) -> fb.FourWordsState:
        """The settings and the model's four numbers and fatigue run for them."""
        settings = (self.pose.value, self.muscle.value, self.effort.value, self.hold.value,
                    self.fatigue.value)
        effort, hold_s = self.effort.value / 100, self.hold.value * 60.0
        words = bm.four_words(self.pose.value, self.muscle.value, effort, hold_s,
                              self.fatigue.value)
        run = bm.simulate_fatigue(effort, hold_s, _HOLD_REST_S, self.fatigue.value)
        return fb.FourWordsState(settings, words, run)

    def changed(self, state: fb.FourWordsState) -> None:
        self._update_readout()

    def _update_readout(self) -> None:
        _, w, run = self.current
        rest = run.capacity[-1]
        rows = [
            ("Tight — passive force", f"{w.tight_passive_force:.0f} N"),
            ("Short — fibre length", f"{w.short_fibre_length * 100:.1f} cm "
                                     f"({w.short_fraction * 100:.0f}% of optimal)"),
            ("Weak — force available, fresh", f"{w.weak_force_available:.0f} N "
                                              f"({w.weak_moment_available:.0f} N m at the hip)"),
            ("Exhausted — capacity after the hold", f"{w.exhausted_capacity * 100:.0f}% "
                                                    f"({w.exhausted_force_available:.0f} N)"),
            ("… and after 10 minutes' rest", f"{rest * 100:.0f}%"),
        ]
        self.readout.value = (html_table(rows, row_headers=True)
                              + "<p style='font-size:90%'><i>(model)</i> Pose angles are the "
                                "course's illustrative settings; fatigue rates are published "
                                "for other joints, not the hip.</p>")


def four_words(pose: str = "standing", muscle: str = "psoas", effort_percent: int = 20,
               hold_minutes: int = 5, fatigue: str = "ankle") -> FourWordsWidget:
    """Return the "four words" widget: pick a pose, read tight, short, weak and exhausted.

    Parameters
    ----------
    pose : {"standing", "sitting", "lunging", "lying with knees bent"}
    muscle : {"psoas", "iliacus"}
    effort_percent : int
        Effort held, 5 to 60 % of the fresh maximum.
    hold_minutes : int
        Length of the hold, 1 to 20 minutes.
    fatigue : {"ankle", "shoulder"}
        Which published fatigue and recovery rates to use.
    """
    return FourWordsWidget(pose, muscle, effort_percent, hold_minutes, fatigue)


def _four(p: bm.MuscleParameters) -> str:
    return (f"{p.max_isometric_force:g} N, {p.optimal_fibre_length * 100:.2f} cm, "
            f"{p.tendon_slack_length * 100:.2f} cm, {p.pennation_deg:g}°")


def model_parameters() -> TextBlock:
    """A table of the model's numbers and where each comes from."""
    g = bm.PUBLISHED_PARAMETERS["gait2392"]
    r = bm.PUBLISHED_PARAMETERS["rajagopal2016"]
    ps = bm.muscle_parameters("psoas")
    fatigue = bm.FATIGUE_PARAMETERS
    rows = [
        ["Max isometric force (N)", f"{g['psoas'].max_isometric_force:g}",
         f"{g['iliacus'].max_isometric_force:g}", "gait2392"],
        ["Optimal fibre length (cm)", f"{g['psoas'].optimal_fibre_length * 100:g}",
         f"{g['iliacus'].optimal_fibre_length * 100:g}", "gait2392"],
        ["Tendon slack length (cm)", f"{ps.tendon_slack_length * 100:.1f} (gait2392: "
         f"{g['psoas'].tendon_slack_length * 100:g}, plus the slips above L5)",
         f"{g['iliacus'].tendon_slack_length * 100:g}", "gait2392; psoas adapted by the course"],
        ["Pennation at optimum (°)", f"{g['psoas'].pennation_deg:g}",
         f"{g['iliacus'].pennation_deg:g}", "gait2392"],
        ["Same four in Rajagopal 2016", _four(r["psoas"]), _four(r["iliacus"]),
         "Rajagopal 2016 (for comparison only)"],
        ["Brim wrap circle", f"radius {bm.BRIM_RADIUS * 100:g} cm", "same circle",
         "Rajagopal 2016"],
        ["Origin (pelvic part), insertion, hip centre", "L5 exit point = gait2392 origin",
         "gait2392", "gait2392"],
        ["Lumbar column T12-L5 (spacing, curve, slip offsets)", "course's own assumptions", "—",
         "course (guided by Bogduk 1992)"],
        ["Force-length curves", "Thelen 2003 (gamma 0.5, kPE 4, e0 0.6); De Groote 2016 to "
         "compare", "same", "gait2392, De Groote 2016"],
        ["Fatigue rates F, R (1/s)", f"ankle {fatigue['ankle'].F:g}, {fatigue['ankle'].R:g}; "
         f"shoulder {fatigue['shoulder'].F:g}, {fatigue['shoulder'].R:g}", "same",
         "Frey-Law 2012 (other joints, not the hip)"],
    ]
    return TextBlock(markdown_table(["Quantity", "Psoas", "Iliacus", "Source"], rows))


def gait2392_check() -> TextBlock:
    """A table comparing the course's model with the published gait2392 path, computed now."""
    rows = [[f"{angle:+d}°", f"{bm.pelvic_length('psoas', angle) * 100:.1f} cm",
             f"{bm.gait2392_length('psoas', angle) * 100:.1f} cm",
             f"{bm.moment_arm('psoas', angle) * 100:.1f} cm",
             f"{bm.gait2392_moment_arm('psoas', angle, step_deg=0.5) * 100:.1f} cm"]
            for angle in (-30, 0, 20, 45, 60, 90, 110, 120)]
    return TextBlock(markdown_table(["Hip flexion", "Course psoas (pelvic part)",
                                     "gait2392 psoas", "Course moment arm",
                                     "gait2392 moment arm"], rows))
