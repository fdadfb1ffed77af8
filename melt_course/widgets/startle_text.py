"""Lesson 3 text blocks: the onset table and the "known against claimed" table, from data."""

from __future__ import annotations

from melt_course.content.bibliography import cite_markdown
from melt_course.models.startle import load_claims, load_startle, load_stress_model
from melt_course.widgets.tables import markdown_table
from melt_course.widgets.text import TextBlock

__all__ = ["known_vs_claimed", "startle_onsets", "stress_model_note"]

_BASIS_TEXT = {
    "measured value": "one measured time",
    "measured range": "a measured range",
    "order only": "order only: no onset times in what the course read",
    "inferred": "the course's inference, not measured",
}


def _cite(keys) -> str:
    return cite_markdown(keys, brackets=False) or "no source makes this claim in print"


def startle_onsets() -> TextBlock:
    """A table of the startle's muscle onsets, what each muscle does, and the evidence.

    Where the sources give only a window or an order, the table says so.
    """
    data = load_startle()
    rows = [[m.order_group, f"{m.name} ({m.plain_name})", m.action, m.onset.text(),
             _BASIS_TEXT[m.basis], f"*({m.label})*", _cite(m.refs)] for m in data.muscles]
    auto = data.autonomic
    rows.append(["then", ", ".join(auto.signals), auto.name,
                 f"from about {auto.start_ms:g} ms, lasting up to {auto.end_min_ms / 1000:g}-"
                 f"{auto.end_max_ms / 1000:g} s", "a range", f"*({auto.label})*",
                 _cite(auto.refs)])
    lo, hi = data.motor_window_ms
    q_lo, q_hi = data.quiet_gap_ms
    lines = [markdown_table(["Order", "Muscle", "What it does", "Onset after the sound",
                             "What the number is", "Label", "Source"], rows), ""]
    lines.append(f"Order groups: a muscle in a later group never starts before one in an earlier "
                 f"group; within a group the sources do not order the muscles. All motor onsets "
                 f"fall between {lo:g} and {hi:g} ms; no EMG is seen from {q_lo:g} to {q_hi:g} "
                 f"ms ({_cite(data.window_refs)}).")
    return TextBlock("\n".join(lines))


def known_vs_claimed() -> TextBlock:
    """The "known against claimed" table: claims about the psoas in stress and trauma, each
    with who makes it, its evidence label, what has been measured, and why that does not
    settle the claim."""
    rows = []
    for c in load_claims():
        who = f"{c.who} ({_cite(c.claim_refs)})" if c.claim_refs else c.who
        rows.append([c.claim, who, f"*({c.label})*", f"{c.measured} ({_cite(c.measured_refs)})",
                     c.why_not])
    return TextBlock(markdown_table(["Claim", "Who says it", "Label", "What has been measured",
                                     "Why it does not settle the claim"], rows))


def stress_model_note() -> TextBlock:
    """The plain statement that the adrenaline/cortisol view is a shape, not data."""
    model = load_stress_model()
    axes = "; ".join(f"**{a.short}** ({a.name}): {a.time_scale}" for a in model.axes)
    return TextBlock(f"*(model)* {model.statement} Time scales: {axes}. "
                     f"Source: {_cite(model.refs)}.")
