"""Lesson 4's text blocks: the NeuroCore beside mainstream science, the model's parameters,
a sensory experiment run on the model, and ground reaction force by the numbers."""

from __future__ import annotations

import statistics

from melt_course.content.bibliography import cite_markdown
from melt_course.models.balance import (
    DEFAULT_BODY,
    MOTOR_NOISE_NM,
    NOISE_CORNER_HZ,
    NOISE_DEG,
    VISION_SHARE,
    simulate_many,
    vertical_grf,
)
from melt_course.widgets.tables import markdown_table
from melt_course.widgets.text import TextBlock

__all__ = ["balance_parameters", "grf_table", "neurocore_table", "sensory_experiment"]


def _cite(keys) -> str:
    return cite_markdown(keys)


def _link(key: str) -> str:
    """One linked citation without brackets, for a table cell: ``[Pasma et al. 2017](#ref-...)``."""
    return cite_markdown([key], brackets=False)


def neurocore_table() -> TextBlock:
    """MELT's NeuroCore terms, each beside the mainstream ideas it points at.

    Every MELT statement carries the *(MELT)* label; every mainstream idea its own label and
    references; each term ends with what no study has tested.
    """
    from melt_course.content.neurocore import load_neurocore

    terms, notes = load_neurocore()
    lines = []
    for term in terms:
        lines.append(f"**{term.term}.** {term.melt_says} *(MELT)* {_cite(term.refs)}")
        lines.append("")
        lines.append("Mainstream ideas it points at:")
        lines.append("")
        for idea in term.points_at:
            lines.append(f"- *{idea.idea}*: {idea.summary} *({idea.label})* {_cite(idea.refs)}")
        lines.append("")
        lines.append(f"*Not tested:* {term.untested}")
        lines.append("")
    for note in notes:
        lines.append(f"> **Note.** {note.text} *({note.label})* {_cite(note.refs)}")
    return TextBlock("\n".join(lines).rstrip())


def balance_parameters() -> TextBlock:
    """A table of the balance model's parameters, their values and where each comes from."""
    body = DEFAULT_BODY
    rows = [
        ("Body mass above the ankles", f"{body.mass:g} kg", _link("pasma2017")),
        ("Centre of mass above the ankle", f"{body.com_height:g} m", _link("pasma2017")),
        ("Moment of inertia about the ankle", f"{body.inertia:g} kg·m²", _link("pasma2017")),
        ("Intrinsic ankle stiffness / damping",
         f"{body.intrinsic_stiffness:g} N·m/rad / {body.intrinsic_damping:g} N·m·s/rad",
         _link("pasma2017")),
        ("Derivative gain / proportional gain", "0.33 s", _link("pasma2017")),
        ("Feedback gain (slider)", "0 to 4 × m·g·h; default 1.5",
         "default near 943.9 / (75 × 9.81 × 0.83) = 1.55 " + _link("pasma2017")),
        ("Neural delay (slider)", "50 to 300 ms; default 150 ms",
         "roughly 100-200 ms in feedback models " + _link("peterka2002")),
        ("Sensory noise (vision, vestibular, feet)",
         f"{NOISE_DEG['vision']:g}°, {NOISE_DEG['vestibular']:g}°, {NOISE_DEG['foot']:g}°, "
         f"smoothed below {NOISE_CORNER_HZ:g} Hz",
         "illustrative; vestibular about 10 × feet as in " + _link("vanderkooij2011")),
        ("Motor noise", f"{MOTOR_NOISE_NM:g} N·m", "illustrative"),
        ("Vision's share of the non-foot weight (eyes open)", f"{VISION_SHARE:g}",
         "illustrative"),
        ("Feet: heel / toes from the ankle; half stance width",
         f"{body.heel * 100:g} / {body.toe * 100:g} cm; {body.half_width * 100:g} cm",
         "illustrative"),
        ("Forward lean held; mass of both feet", f"{body.lean_deg:g}°; {body.feet_mass:g} kg",
         "illustrative"),
    ]
    return TextBlock(markdown_table(["Parameter", "Value", "Source"], rows))


_FOOT_WEIGHTS = (0.9, 0.7, 0.4, 0.1)   # the sensory table's rows


def sensory_experiment(seeds: int = 5) -> TextBlock:
    """Run the model with eyes open and closed at several foot-sole weights; tabulate sway.

    Parameters
    ----------
    seeds : int
        Runs per condition (different noise), 1 to 20; the table shows the median.

    Returns
    -------
    TextBlock
        A Markdown table of median sway area and falls per condition (gain 1.5, delay 150 ms).
    """
    if not (isinstance(seeds, int) and 1 <= seeds <= 20):
        raise ValueError(f"seeds={seeds!r} must be a whole number from 1 to 20")
    rows = []
    # All 40 stands in one batch, in table order: foot weight, then eyes open and closed.
    results = iter(simulate_many({"foot_weight": foot, "eyes_open": eyes, "seed": seed}
                                 for foot in _FOOT_WEIGHTS for eyes in (True, False)
                                 for seed in range(seeds)))
    for foot in _FOOT_WEIGHTS:
        cells = []
        for _eyes in (True, False):
            runs = [next(results) for _ in range(seeds)]
            falls = sum(r.fell for r in runs)
            areas = [r.sway_area_cm2 for r in runs if not r.fell]
            cell = f"{statistics.median(areas):.1f} cm²" if areas else "—"
            if falls:
                cell += f" ({falls} of {seeds} fell)"
            cells.append(cell)
        rows.append([f"{foot:.1f}", *cells])
    lines = [markdown_table(["Weight on the foot soles", "Eyes open: sway area",
                             "Eyes closed: sway area"], rows), ""]
    lines.append(f"Median of {seeds} runs with different noise; gain 1.5 × m·g·h, delay 150 ms, "
                 "30 s each. *(model)*")
    return TextBlock("\n".join(lines))


def grf_table() -> TextBlock:
    """Vertical ground reaction force of the model's body for a few vertical accelerations."""
    mass = DEFAULT_BODY.mass + DEFAULT_BODY.feet_mass
    cases = [
        ("Standing still (sway included)", 0.0),
        ("Starting to rise onto the toes (centre of mass speeding up upward)", 1.0),
        ("Starting to lower the heels (centre of mass speeding up downward)", -1.0),
        ("A small bounce", 3.0),
    ]
    weight = vertical_grf(mass, 0.0)
    rows = [[name, f"{accel:+.1f} m/s²", f"{vertical_grf(mass, accel):.0f} N "
             f"({vertical_grf(mass, accel) / weight:.0%} of body weight)"] for name, accel in cases]
    lines = [markdown_table(["Moment", "Upward acceleration of the centre of mass",
                             "Vertical ground reaction force"], rows), ""]
    lines.append(f"Body mass {mass:g} kg, so body weight is {weight:.0f} N. *(model)* "
                 + _cite(["winter2009"]))
    return TextBlock("\n".join(lines))
