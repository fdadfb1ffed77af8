"""The self-assessment log over sessions: before and after ratings, one point per session."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

from melt_course.figures.drawing import Drawing
from melt_course.figures.frames import state_digest
from melt_course.figures.palette import OKABE_ITO, ROLE
from melt_course.records.self_assessment import SCALE, SessionPair

__all__ = ["ASSESSMENT_LOG", "describe_assessment_log", "draw_assessment_log",
           "update_assessment_log"]

_STYLE = {"before": (OKABE_ITO["orange"], "o", "before the routine"),
          "after": (OKABE_ITO["blue"], "s", "after the routine")}


def _series(pairs: Sequence[SessionPair], phase: str, region: str | None
            ) -> tuple[list[int], list[float]]:
    xs, ys = [], []
    for number, pair in enumerate(pairs, 1):
        value = pair.mean(phase, region)
        if value is not None:
            xs.append(number)
            ys.append(value)
    return xs, ys


def _what(region: str | None) -> str:
    return "average of all regions" if region is None else region


def draw_assessment_log(ax: Axes, pairs: Sequence[SessionPair], region: str | None = None,
                        narrow: bool = False) -> dict:
    """Draw before and after ratings over sessions.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    pairs : sequence of SessionPair
        The sessions, oldest first (may be empty).
    region : str, optional
        One region, or None for the average over the rated regions.
    narrow : bool
        Laid out for a phone: the title on two lines, the key under the plot.

    Returns
    -------
    dict
        ``"before"``, ``"after"`` (Line2D), ``"empty"`` (Text shown when there is no data),
        ``"title"`` (Text); pass to :func:`update_assessment_log`.
    """
    artists: dict = {}
    for phase, (colour, marker, label) in _STYLE.items():
        (artists[phase],) = ax.plot([], [], color=colour, marker=marker, markersize=7,
                                    linewidth=2, label=label)
    artists["empty"] = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center",
                               va="center", fontsize=11, color=ROLE["text"])
    artists["title"] = ax.set_title("", loc="left", **({"fontsize": 12} if narrow else {}))
    ax.set_ylim(SCALE[0] - 0.5, SCALE[1] + 0.5)
    if narrow:
        ax.set_ylabel(f"rating ({SCALE[0]} tense – {SCALE[1]} at ease)", fontsize=10)
        ax.set_xlabel("session", fontsize=10)
        ax.tick_params(labelsize=9)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=2, frameon=False,
                  fontsize=9, handlelength=1.6, columnspacing=1.0)
    else:
        ax.set_ylabel(f"rating ({SCALE[0]} tense – {SCALE[1]} at ease)")
        ax.set_xlabel("session")
        ax.legend(loc="lower right", frameon=False, fontsize=9)
    artists["ax"] = ax
    artists["narrow"] = narrow
    update_assessment_log(artists, pairs, region)
    return artists


def update_assessment_log(artists: dict, pairs: Sequence[SessionPair],
                          region: str | None = None) -> None:
    """Show new sessions or another region on the chart from :func:`draw_assessment_log`."""
    count = 0
    for phase in _STYLE:
        xs, ys = _series(pairs, phase, region)
        artists[phase].set_data(xs, ys)
        count += len(xs)
    artists["empty"].set_text("" if count else "No self-assessments saved yet")
    gap = "\n" if artists.get("narrow") else " "   # narrow: always two lines (layout kept)
    artists["title"].set_text(f"Self-assessment over sessions:{gap}{_what(region)}")
    ax = artists["ax"]
    last = max(len(pairs), 1)
    ax.set_xlim(0.5, last + 0.5)
    step = max(1, last // 10)
    ax.set_xticks(list(range(1, last + 1, step)))


def describe_assessment_log(pairs: Sequence[SessionPair], region: str | None = None) -> str:
    """Text description of the chart, for screen readers and the static fallback."""
    what = _what(region)
    if not pairs:
        return f"Self-assessment chart ({what}): no sessions saved yet."
    parts = []
    for number, pair in enumerate(pairs, 1):
        before, after = pair.mean("before", region), pair.mean("after", region)
        text = f"session {number}: before {'-' if before is None else f'{before:.1f}'}, " \
               f"after {'-' if after is None else f'{after:.1f}'}"
        if pair.routine:
            text += f" ({pair.routine})"
        parts.append(text)
    return (f"Ratings from {SCALE[0]} (tense) to {SCALE[1]} (at ease), {what}, before and "
            f"after the routine, one point per session: " + "; ".join(parts) + ".")


def _log_make(state: tuple) -> tuple:
    from melt_course.figures.style import new_figure

    pairs, region = state
    fig, ax = new_figure(6.4, 3.4)
    return fig, draw_assessment_log(ax, pairs, region)


def _log_make_narrow(state: tuple) -> tuple:
    from melt_course.figures.style import NARROW_WIDTH, new_figure

    pairs, region = state
    fig, ax = new_figure(NARROW_WIDTH, 3.9)
    return fig, draw_assessment_log(ax, pairs, region, narrow=True)


def _log_update(artists: dict, state: tuple) -> None:
    update_assessment_log(artists, *state)


def _log_describe(state: tuple) -> str:
    return describe_assessment_log(*state)


def _log_alt(state: tuple) -> str:
    pairs, region = state
    return (f"Chart of your ratings ({_what(region)}) before and after each routine, "
            f"{len(pairs)} session{'' if len(pairs) == 1 else 's'}")


def _log_key(state: tuple) -> tuple:
    """The frame key's parts: the sessions (as a digest) and the region the chart shows."""
    pairs, region = state
    return state_digest(pairs), "all-regions" if region is None else region


#: The self-assessment chart; its state is ``(session pairs, region or None)``. On a phone
#: its title takes two lines and the key goes under the plot (``narrow``).
ASSESSMENT_LOG = Drawing(
    name="assessment-log", make=_log_make, update=_log_update, describe=_log_describe,
    alt=_log_alt, key=_log_key,
    narrow=Drawing(name="assessment-log-narrow", make=_log_make_narrow, update=_log_update,
                   describe=_log_describe, alt=_log_alt, key=_log_key))
