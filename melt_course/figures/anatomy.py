"""The psoas anatomy diagram (front and side views) and the psoas minor prevalence chart.

Everything is drawn from the package's own landmark data (:mod:`melt_course.content.anatomy`): no
bitmaps. :func:`draw_anatomy` draws one view and returns its artists; :func:`update_anatomy`
switches layers, the highlighted structure and the view's visibility on those same artists;
:func:`describe_anatomy` gives the matching text description.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from melt_course.content.anatomy import (
    LAYERS,
    check_layers,
    check_structure,
    check_view,
    load_structures,
    load_view,
    pooled_prevalence,
    prevalence_table,
    structure,
)
from melt_course.content.bibliography import get as get_reference
from melt_course.figures.drawing import Drawing
from melt_course.figures.palette import ROLE, rgba
from melt_course.figures.style import NARROW_WIDTH, course_style, new_figure

__all__ = [
    "ANATOMY_EXPLORER",
    "ANATOMY_PICTURE",
    "NARROW_WINDOW",
    "PREVALENCE",
    "anatomy_canvas",
    "anatomy_figure",
    "describe_anatomy",
    "describe_prevalence",
    "draw_anatomy",
    "draw_front_marked",
    "draw_prevalence",
    "draw_side_marked",
    "key_rows",
    "narrow_canvas",
    "prevalence_figure",
    "update_anatomy",
]

_INK = ROLE["text"]


def _style(face, edge, lw: float, z: float, **extra) -> dict:
    return {"face": face, "edge": edge, "lw": lw, "z": z, **extra}


#: Drawing properties per style: face colour, edge colour, line width, z-order, extras.
_STYLE = {
    "bone": _style(rgba(ROLE["bone"], 0.55), rgba(_INK, 0.55), 0.9, 1.0),
    "bone_detail": _style(rgba(ROLE["bone"], 0.18), rgba(_INK, 0.45), 0.8, 1.2),
    "hole": _style("white", rgba(_INK, 0.45), 0.8, 1.1),
    "muscle_alt": _style(rgba(ROLE["muscle_alt"], 0.55), ROLE["muscle_alt"], 1.2, 2.0),
    "muscle_small": _style(rgba(ROLE["muscle_alt"], 0.9), rgba(_INK, 0.7), 1.0, 2.0),
    "muscle": _style(rgba(ROLE["muscle"], 0.5), ROLE["muscle"], 1.3, 3.0),
    "fibre": _style("none", rgba(ROLE["muscle"], 0.9), 0.9, 3.2),
    "tendon": _style("none", rgba(_INK, 0.6), 5.0, 3.5),
    "tendon_thin": _style("none", rgba(_INK, 0.6), 2.0, 3.6),
    "nerve": _style("none", ROLE["nerve"], 2.2, 5.0),
    "nerve_inside": _style("none", ROLE["nerve"], 1.8, 4.9, dashes=(2.0, 1.2)),
    "diaphragm": _style(rgba(ROLE["diaphragm"], 0.3), ROLE["diaphragm"], 1.0, 6.0),
    "diaphragm_fibre": _style("none", rgba(ROLE["diaphragm"], 0.8), 0.8, 6.1),
    "ligament": _style("none", ROLE["diaphragm"], 3.0, 6.5),
    "organ": _style(rgba(ROLE["organ"], 0.45), ROLE["organ"], 1.5, 7.0),
    # The vessels layer (schematic): the sympathetic trunk lies on the vertebral bodies under
    # the aorta and vena cava; the ureter and the gonadal vessels lie on the front of psoas.
    "trunk": _style("none", ROLE["nerve"], 1.6, 3.3),
    "ganglion": _style(ROLE["nerve"], rgba(_INK, 0.8), 0.8, 3.35),
    "vein": _style(rgba(ROLE["vessel"], 0.3), ROLE["vessel"], 1.2, 3.6),
    "artery": _style(rgba(ROLE["vessel"], 0.75), rgba(_INK, 0.8), 1.0, 3.7),
    "ureter": _style("none", ROLE["organ"], 2.6, 5.5),
    "vessel_thin": _style("none", ROLE["vessel"], 1.6, 5.6),
}
# Muscles drawn in order: iliacus under psoas major, psoas minor and tendons on top.
_Z_STRUCTURE = {"iliacus": -0.8, "psoas_minor": 0.9, "iliopsoas_tendon": 0.4}
_HIGHLIGHT = ROLE["highlight"]
_DIM = 0.35


@functools.cache
def _outline() -> tuple:
    """The white-ink halo drawn around highlighted structures (made on first use)."""
    from matplotlib import patheffects
    from matplotlib.colors import to_rgba

    return (patheffects.withStroke(linewidth=3.6, foreground=to_rgba(_INK, 0.75)),)



def _body_outline(corners: np.ndarray, waist: float = 0.07) -> np.ndarray:
    """A vertebral body with slightly concave sides (its 'waist') from its four corners."""
    lb, lf, uf, ub = corners
    front_mid = (lf + uf) / 2
    back_mid = (lb + ub) / 2
    inward = back_mid - front_mid
    return np.array([lb, lf, front_mid + inward * waist, uf, ub, back_mid - inward * waist])


def _make_artist(ax: Axes, shape, style: dict, z: float):
    from matplotlib import patheffects
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle, Polygon

    if shape.kind == "circle":
        artist = Circle(tuple(shape.points[0]), shape.radius, facecolor=style["face"],
                        edgecolor=style["edge"], linewidth=style["lw"], zorder=z)
        ax.add_patch(artist)
    elif shape.kind == "polygon":
        pts = shape.points
        if shape.style == "bone" and shape.part in ("T12", "L1", "L2", "L3", "L4", "L5"):
            pts = _body_outline(pts)
        artist = Polygon(pts, closed=True, facecolor=style["face"], edgecolor=style["edge"],
                         linewidth=style["lw"], zorder=z, joinstyle="round")
        ax.add_patch(artist)
    else:
        artist = Line2D(shape.points[:, 0], shape.points[:, 1], color=style["edge"],
                        linewidth=style["lw"], zorder=z, solid_capstyle="round",
                        dash_capstyle="round")
        if "dashes" in style:
            artist.set_dashes(style["dashes"])
        if shape.style in ("nerve", "nerve_inside", "ligament", "trunk", "ureter", "vessel_thin"):
            artist.set_path_effects([patheffects.withStroke(
                linewidth=style["lw"] + 1.6, foreground=to_rgba(_INK, 0.8))])
        ax.add_line(artist)
    artist.set_gid(shape.key)
    return artist


def _style_of(shape) -> dict:
    """The drawing style of a shape (the small psoas minor belly gets a bolder fill)."""
    if shape.structure == "psoas_minor" and shape.style == "muscle_alt":
        return _STYLE["muscle_small"]
    return _STYLE[shape.style]


def _base_props(artist) -> dict:
    from matplotlib.lines import Line2D
    from matplotlib.text import Text

    if isinstance(artist, Text):
        return {}
    if isinstance(artist, Line2D):
        return {"color": artist.get_color(), "lw": artist.get_linewidth(),
                "z": artist.get_zorder(), "effects": artist.get_path_effects()}
    return {"face": artist.get_facecolor(), "edge": artist.get_edgecolor(),
            "lw": artist.get_linewidth(), "z": artist.get_zorder()}


def draw_anatomy(ax: Axes, view: str = "front", layers=LAYERS, highlight: str | None = None,
                 labels: bool = True, key_ax: Axes | None = None) -> dict:
    """Draw one view of the psoas region from the package's landmark data.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw. The axes is not cleared, so both views can share one axes (the
        widget shows one at a time with :func:`update_anatomy`).
    view : {"front", "side"}
        Which view.
    layers : collection of str
        Layers to show, some of :data:`melt_course.content.anatomy.LAYERS`.
    highlight : str, optional
        Id of the structure to highlight (drawn in the highlight colour, the rest dimmed).
    labels : bool
        Draw the name labels with leader lines (False for a "name the structure" quiz).
    key_ax : matplotlib.axes.Axes, optional
        The narrow layout (a phone): each leader line ends in a numbered circle beside the
        drawing and the names are listed, numbered, in this axes (a key under the drawing,
        two columns: the left margin's names, then the right margin's). The view is shown
        without the wide layout's name margins (:data:`NARROW_WINDOW`).

    Returns
    -------
    dict
        ``"view"`` (its name), ``"ax"``, ``"structures"`` (structure id -> list of artists),
        ``"labels"`` (structure id -> its name Texts and leader Line2Ds; in the narrow layout
        also its numbers and key entries), ``"key"`` (the narrow layout's numbered names, in
        key order; empty otherwise), ``"limits"`` (the view's x and y limits), ``"title"``
        (Text) and ``"base"`` (each artist's normal style, used to undo a highlight). Pass it
        to :func:`update_anatomy`.

    Raises
    ------
    ValueError
        For an unknown view, layer or structure id.
    """
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D

    check_view(view)
    layers = check_layers(layers)
    if highlight is not None:
        check_structure(highlight)
    data = load_view(view)
    known = load_structures()
    by_structure: dict[str, list] = {sid: [] for sid in known}
    base: dict[int, dict] = {}
    for shape in data.shapes:
        style = _style_of(shape)
        z = style["z"] + _Z_STRUCTURE.get(shape.structure, 0.0)
        artist = _make_artist(ax, shape, style, z)
        by_structure[shape.structure].append(artist)
        base[id(artist)] = _base_props(artist)
    for name, lev in data.bodies.items():
        centre = lev.centre
        level_text = ax.text(centre[0], centre[1], name, ha="center", va="center", fontsize=7.5,
                             color=to_rgba(_INK, 0.8), zorder=1.5)
        level_text.set_gid(f"level:{name}")
        by_structure["lumbar_spine"].append(level_text)
    label_artists: dict[str, list] = {sid: [] for sid in known}
    key: list[dict] = []
    if labels and key_ax is not None:
        key = _draw_numbered_labels(ax, key_ax, data, known, label_artists)
    elif labels:
        for item in data.labels:
            sid = item["structure"]
            text = item.get("text", known[sid].name)
            (ax_, ay), (tx, ty) = item["anchor"], item["text_at"]
            leader = Line2D([ax_, tx], [ay, ty], color=to_rgba(_INK, 0.55), linewidth=0.8,
                            zorder=19)
            ax.add_line(leader)
            gap = -0.4 if tx < 0 else 0.4
            name = ax.text(tx + gap, ty, text, ha="right" if tx < 0 else "left", va="center",
                           fontsize=9.5, color=_INK, zorder=20)
            name.set_gid(f"label:{sid}")
            label_artists[sid] += [name, leader]
    narrow = key_ax is not None
    title = ax.text(0.5, 1.0 if not narrow else 1.005,
                    data.title.replace(": ", ":\n") if narrow else data.title,
                    transform=ax.transAxes, ha="center", va="bottom",
                    fontsize=10.5 if narrow else 12, color=_INK, zorder=21)
    ax.set_aspect("equal")
    ax.set_axis_off()
    limits = NARROW_WINDOW[view] if narrow else (data.xlim, data.ylim)
    artists = {"view": view, "ax": ax, "structures": by_structure, "labels": label_artists,
               "key": key, "limits": limits, "title": title, "base": base}
    update_anatomy(artists, layers, highlight)
    return artists


def update_anatomy(artists: dict, layers=LAYERS, highlight: str | None = None,
                   visible: bool = True) -> None:
    """Show layers, highlight a structure and show or hide a view, on existing artists.

    Nothing is created or removed: artists are made visible or invisible and restyled.

    Parameters
    ----------
    artists : dict
        As returned by :func:`draw_anatomy`.
    layers : collection of str
        Layers to show.
    highlight : str, optional
        Structure id to highlight, or None.
    visible : bool
        False hides the whole view (used when two views share one axes). When True, the
        axes limits are set to this view's.

    Raises
    ------
    ValueError
        For an unknown layer or structure id.
    """
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.text import Text

    layers = check_layers(layers)
    if highlight is not None:
        check_structure(highlight)
    known = load_structures()
    base = artists["base"]
    for sid, items in artists["structures"].items():
        shown = visible and known[sid].layer in layers
        lit = highlight == sid
        dim = highlight is not None and not lit
        for artist in items:
            artist.set_visible(shown)
            if isinstance(artist, Text):
                artist.set_alpha(_DIM if dim else 1.0)
                continue
            props = base[id(artist)]
            if isinstance(artist, Line2D):
                colour = props["color"]
                artist.set_color(_HIGHLIGHT if lit else _faded(colour, dim))
                artist.set_linewidth(props["lw"] * (1.6 if lit else 1.0))
                artist.set_zorder(props["z"] + (10 if lit else 0))
                effects = props["effects"]
                if lit and not effects:
                    effects = list(_outline())
                artist.set_path_effects([] if dim else effects)
            else:
                artist.set_edgecolor(_HIGHLIGHT if lit else _faded(props["edge"], dim))
                face = props["face"]
                artist.set_facecolor(to_rgba(_HIGHLIGHT, 0.45) if lit and face[3] > 0
                                     else _faded(face, dim))
                artist.set_linewidth(props["lw"] * (2.2 if lit else 1.0))
                artist.set_zorder(props["z"] + (10 if lit else 0))
        for label in artists["labels"][sid]:
            label.set_visible(shown)
            if isinstance(label, Text):
                label.set_color(_HIGHLIGHT if lit else _INK)
                label.set_fontweight("bold" if lit else "normal")
    artists["title"].set_visible(visible)
    if artists.get("key"):
        _arrange_key(artists["key"])
    if visible:
        xlim, ylim = artists["limits"]
        artists["ax"].set_xlim(*xlim)
        artists["ax"].set_ylim(*ylim)


#: The narrow layout's window on each view (x and y limits, cm): the wide layout's without
#: its name margins, leaving room for the numbered circles at the leader lines' ends.
NARROW_WINDOW = {"front": ((-17.6, 17.6), (-18.5, 37.5)),
                 "side": ((-13.3, 11.0), (-18.5, 37.5))}
#: Key rows of the narrow layout: name height, in inches, and the gap under the drawing.
_KEY_ROW_IN = 0.2
_NUMBER_GAP_CM = 0.85
#: Names shortened in the narrow key (a key column is about 170 px wide).
_KEY_TEXT = {"Vertebra (spinous process)": "Spinous process"}


def _draw_numbered_labels(ax: Axes, key_ax: Axes, data, known: dict, out: dict) -> list[dict]:
    """The narrow layout's labels: leader lines ending in numbered circles, and a key.

    Adds each label's artists to ``out[structure id]``; returns the key's entries (left
    margin's top to bottom, then the right margin's), each a dict with ``"side"``,
    ``"number"`` (the circled Text on the drawing), ``"key_number"`` and ``"name"`` (Texts
    in the key). :func:`_arrange_key` numbers the shown ones and places them.
    """
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D

    entries = []
    for item in data.labels:
        sid = item["structure"]
        text = " ".join(item.get("text", known[sid].name).split())
        text = _KEY_TEXT.get(text, text)
        (ax_, ay), (tx, ty) = item["anchor"], item["text_at"]
        side = "left" if tx < ax_ else "right"
        leader = Line2D([ax_, tx], [ay, ty], color=to_rgba(_INK, 0.55), linewidth=0.8,
                        zorder=19)
        ax.add_line(leader)
        cx = tx + (-_NUMBER_GAP_CM if side == "left" else _NUMBER_GAP_CM)
        number = ax.text(cx, ty, "", ha="center", va="center", fontsize=8, color=_INK,
                         zorder=20, bbox={"boxstyle": "circle,pad=0.22", "fc": "white",
                                          "ec": to_rgba(_INK, 0.7), "lw": 0.8})
        number.set_gid(f"label:{sid}")
        key_number = key_ax.text(0, 0, "", ha="right", va="center", fontsize=8.5, color=_INK,
                                 transform=key_ax.transAxes)
        name = key_ax.text(0, 0, text, ha="left", va="center", fontsize=8.5, color=_INK,
                           transform=key_ax.transAxes)
        name.set_gid(f"key:{sid}")
        out[sid] += [number, leader, key_number, name]
        entries.append({"side": side, "y": ty, "number": number, "key_number": key_number,
                        "name": name})
    entries.sort(key=lambda e: (e["side"] != "left", -e["y"]))
    return entries


def _arrange_key(entries: list[dict]) -> None:
    """Number the shown labels 1, 2, ... in key order and place their names in two columns
    (left margin's names, then the right margin's), one row each, from the key's top."""
    shown = [e for e in entries if e["number"].get_visible()]
    key_ax = entries[0]["name"].axes
    rows = max(1, round(key_ax.bbox.height / (key_ax.figure.dpi * _KEY_ROW_IN)))
    columns = {"left": 0, "right": 0}
    for n, entry in enumerate(shown, start=1):
        row = columns[entry["side"]]
        columns[entry["side"]] += 1
        x = 0.075 if entry["side"] == "left" else 0.575
        y = 1.0 - (row + 0.5) / rows
        for artist in (entry["number"], entry["key_number"]):
            artist.set_text(str(n))
        entry["key_number"].set_position((x - 0.012, y))
        entry["name"].set_position((x + 0.008, y))


def key_rows(view: str, layers=LAYERS) -> int:
    """Rows the narrow layout's key needs for ``layers`` of ``view`` (its longer column).

    Examples
    --------
    >>> key_rows("front", ["bones", "muscles"])
    5
    """
    check_view(view)
    layers = check_layers(layers)
    known = load_structures()
    count = {"left": 0, "right": 0}
    for item in load_view(view).labels:
        if known[item["structure"]].layer in layers:
            side = "left" if item["text_at"][0] < item["anchor"][0] else "right"
            count[side] += 1
    return max(1, *count.values())


def _faded(colour, dim: bool):
    from matplotlib.colors import to_rgba

    rgba = to_rgba(colour)
    return (*rgba[:3], rgba[3] * _DIM) if dim else rgba


def describe_anatomy(view: str = "front", layers=LAYERS, highlight: str | None = None) -> str:
    """Text description of the diagram as drawn, for screen readers and static fallbacks.

    Parameters
    ----------
    view, layers, highlight
        As for :func:`draw_anatomy`.

    Returns
    -------
    str
        The view's orientation, the layers shown, one sentence per visible structure, and the
        highlighted structure (with its summary), if any.
    """
    check_view(view)
    layers = check_layers(layers)
    if highlight is not None:
        check_structure(highlight)
    data = load_view(view)
    parts = [f"{data.title}. {data.orientation}"]
    if not layers:
        parts.append("All layers are switched off, so the diagram is empty.")
    else:
        parts.append(f"Layers shown: {', '.join(layers)}.")
        for item in load_structures().values():
            if item.layer in layers and view in item.describe and data.shapes_of(item.id):
                parts.append(item.describe[view])
    if highlight is not None:
        item = structure(highlight)
        if item.layer in layers:
            parts.append(f"Highlighted in blue: {item.name}. {item.summary}")
        else:
            parts.append(f"{item.name} is selected but its layer ({item.layer}) is hidden.")
    return " ".join(parts)


def anatomy_figure(view: str = "front", layers=LAYERS, highlight: str | None = None,
                   labels: bool = True, narrow: bool = False) -> Figure:
    """A stand-alone figure of one view (for static images, handouts and quizzes).

    Parameters are as for :func:`draw_anatomy`; ``narrow`` gives the phone layout (numbered
    names, the key under the drawing, :func:`narrow_canvas`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_view(view)
    if narrow:
        fig, ax, key_ax = narrow_canvas(key_rows(view, layers))
        with course_style():
            draw_anatomy(ax, view, layers, highlight, labels, key_ax=key_ax)
        return fig
    data = load_view(view)
    width = 7.6
    height = width * (data.ylim[1] - data.ylim[0]) / (data.xlim[1] - data.xlim[0])
    fig, ax = anatomy_canvas(width, height)
    with course_style():
        draw_anatomy(ax, view, layers, highlight, labels)
    return fig


def anatomy_canvas(width: float = 7.6, height: float = 8.4) -> tuple[Figure, Axes]:
    """A figure and one axes filling it, for the anatomy diagram.

    Unlike :func:`melt_course.figures.new_figure` the figure has no layout engine: the
    diagram's axes is placed once, which makes every re-render (each widget move) faster.

    Parameters
    ----------
    width, height : float
        Size in inches.
    """
    fig, ax = new_figure(width, height)
    fig.set_layout_engine("none")
    ax.set_position([0.0, 0.0, 1.0, 0.965])
    return fig, ax


def narrow_canvas(rows: int) -> tuple[Figure, Axes, Axes]:
    """A figure for the narrow (phone) layout: the drawing above a key of ``rows`` rows.

    :data:`~melt_course.figures.style.NARROW_WIDTH` wide; the drawing's axes fits the front
    view's narrow window (:data:`NARROW_WINDOW`; the side view's, narrower, is centred in it).
    No layout engine, as for :func:`anatomy_canvas`.

    Returns
    -------
    fig, drawing axes, key axes
    """
    from melt_course.figures.style import NARROW_WIDTH

    if not (isinstance(rows, int) and rows > 0):
        raise ValueError(f"rows={rows!r} must be a positive whole number of key rows")
    (x0, x1), (y0, y1) = NARROW_WINDOW["front"]
    drawing = NARROW_WIDTH * (y1 - y0) / (x1 - x0)
    title, gap, key = 0.42, 0.12, rows * _KEY_ROW_IN
    height = key + gap + drawing + title
    fig, ax = new_figure(NARROW_WIDTH, height)
    fig.set_layout_engine("none")
    ax.set_position([0.0, (key + gap) / height, 1.0, drawing / height])
    key_ax = fig.add_axes((0.0, 0.04 / height, 1.0, key / height))
    key_ax.set_axis_off()
    return fig, ax, key_ax


# --------------------------------------------------------------------------- quiz figures


def _structure_id(name_or_id: str) -> str:
    """A structure id from its id or its display name (as quiz questions show it)."""
    known = load_structures()
    if name_or_id in known:
        return name_or_id
    by_name = {item.name.lower(): sid for sid, item in known.items()}
    if name_or_id.lower() in by_name:
        return by_name[name_or_id.lower()]
    raise ValueError(f"unknown structure {name_or_id!r}; expected an id or name of one of "
                     f"{[item.name for item in known.values()]}")


def _draw_marked(ax: Axes, view: str, highlight: str) -> dict:
    from melt_course.figures.labels import draw_marker

    sid = _structure_id(highlight)
    data = load_view(view)
    artists = draw_anatomy(ax, view, LAYERS, None, labels=False)
    label = next(item for item in data.labels if item["structure"] == sid)
    anchor = np.array(label["anchor"], dtype=float)
    xlim, ylim = _QUIZ_WINDOW[view]
    margin = xlim[0] + 2.0 if label["text_at"][0] < anchor[0] else xlim[1] - 2.0
    tip = (margin, float(np.clip(label["text_at"][1], ylim[0] + 2, ylim[1] - 2)))
    artists.update(draw_marker(ax, tuple(anchor), tip))
    artists["title"].set_visible(False)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.figure.set_size_inches(5.0, 5.0 * (ylim[1] - ylim[0]) / (xlim[1] - xlim[0]))
    return artists


#: The part of each view a label question shows (the name labels' margins are left out).
_QUIZ_WINDOW = {"front": ((-19.0, 19.0), (-12.0, 36.0)), "side": ((-13.0, 12.0), (-12.0, 36.0))}


def draw_front_marked(ax: Axes, highlight: str) -> dict:
    """Front view without name labels, one structure marked by an arrow (label questions).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    highlight : str
        The structure to mark: its id (``"psoas_minor"``) or name (``"Psoas minor"``).

    Returns
    -------
    dict
        The diagram's artists (see :func:`draw_anatomy`) plus ``"marker"``.

    Raises
    ------
    ValueError
        For an unknown structure.
    """
    return _draw_marked(ax, "front", highlight)


def draw_side_marked(ax: Axes, highlight: str) -> dict:
    """Side view without name labels, one structure marked by an arrow (label questions).

    Parameters are as for :func:`draw_front_marked`.
    """
    return _draw_marked(ax, "side", highlight)


# --------------------------------------------------------------------------- prevalence


def draw_prevalence(ax: Axes, structure_id: str = "psoas_minor", narrow: bool = False) -> dict:
    """Forest-style chart: each study's prevalence with its 95% interval, and the pooled count.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    structure_id : str
        A structure with prevalence studies (default the psoas minor).
    narrow : bool
        Laid out for a phone: each study's name above its row, from the left edge (not
        beside the chart), the axis label on two lines.

    Returns
    -------
    dict
        ``"points"`` (Line2D of the study estimates), ``"intervals"`` (list of Line2D),
        ``"pooled"`` (Line2D) and ``"band"`` (the shaded "a third to a half" range).
    """
    from matplotlib.colors import to_rgba

    rows = prevalence_table(structure_id)
    pooled = pooled_prevalence(structure_id)
    n_rows = len(rows)
    ys = np.arange(n_rows, 0, -1, dtype=float)
    band = ax.axvspan(100 / 3, 50, color=to_rgba(ROLE["muscle_alt"], 0.18), zorder=0)
    intervals = []
    for y, row in zip(ys, rows, strict=True):
        (line,) = ax.plot([100 * row["low"], 100 * row["high"]], [y, y], color=_INK, lw=1.6)
        intervals.append(line)
    (points,) = ax.plot([100 * r["proportion"] for r in rows], ys, "s", ms=8,
                        color=ROLE["muscle_alt"], markeredgecolor=_INK, zorder=3)
    (pooled_ci,) = ax.plot([100 * pooled["low"], 100 * pooled["high"]], [0, 0], color=_INK,
                           lw=2.4)
    (pooled_pt,) = ax.plot([100 * pooled["proportion"]], [0], "D", ms=10,
                           color=ROLE["highlight"], markeredgecolor=_INK, zorder=3)
    labels = [f"{get_reference(r['ref']).short}: {r['present']}/{r['n']}" for r in rows]
    labels.append(f"All {pooled['studies']} pooled: {pooled['present']}/{pooled['n']}")
    ax.set_xlim(0, 100)
    if narrow:   # each row's name above it: the chart gets the whole width
        ax.set_yticks([])
        for y, label in zip([*ys, 0.0], labels, strict=True):
            ax.text(1, y + 0.22, label, ha="left", va="bottom", fontsize=9, color=_INK)
        ax.set_ylim(-0.45, n_rows + 1.0)
        ax.tick_params(axis="x", labelsize=9)
        ax.set_xlabel("cadavers with a psoas minor (%),\nwith 95% interval", fontsize=10)
        ax.text(100 * 5 / 12, n_rows + 0.78, "a third to a half", ha="center", va="center",
                fontsize=9, color=_INK)
    else:
        ax.set_yticks([*ys, 0.0], labels)
        ax.set_ylim(-0.8, n_rows + 0.8)
        ax.set_xlabel("cadavers with a psoas minor (%), with 95% interval")
        ax.text(100 * 5 / 12, n_rows + 0.55, "a third to a half", ha="center", va="center",
                fontsize=9.5, color=_INK)
    return {"points": points, "intervals": intervals, "pooled": pooled_pt,
            "pooled_interval": pooled_ci, "band": band}


def describe_prevalence(structure_id: str = "psoas_minor") -> str:
    """Text description of :func:`draw_prevalence`'s chart, with every number it shows."""
    rows = prevalence_table(structure_id)
    pooled = pooled_prevalence(structure_id)
    name = structure(structure_id).name
    studies = "; ".join(
        f"{get_reference(r['ref']).short} ({r['population']}): {r['present']} of {r['n']} "
        f"({100 * r['proportion']:.0f}%, 95% interval {100 * r['low']:.0f}-{100 * r['high']:.0f}%)"
        for r in rows)
    text = (f"Chart of how often the {name.lower()} is found in dissection studies, one row per "
            f"study with its 95% interval. {studies}. Pooled: {pooled['present']} of "
            f"{pooled['n']} ({100 * pooled['proportion']:.0f}%, 95% interval "
            f"{100 * pooled['low']:.0f}-{100 * pooled['high']:.0f}%). A shaded band marks "
            f"'a third to a half'. The pooled figure simply adds the counts; it is not a "
            f"meta-analysis.")
    return text


def prevalence_figure(structure_id: str = "psoas_minor", narrow: bool = False) -> Figure:
    """A stand-alone figure of :func:`draw_prevalence` (for static images); ``narrow``: laid
    out for a phone."""
    fig, ax = new_figure(NARROW_WIDTH, 4.6) if narrow else new_figure(7.2, 3.6)
    with course_style():
        draw_prevalence(ax, structure_id, narrow=narrow)
    return fig


# --------------------------------------------------------------------------- the lesson's diagrams

def _explorer_make(state: tuple) -> tuple:
    fig, ax = anatomy_canvas(7.6, 8.4)
    _, layers, highlight = state
    artists = {name: draw_anatomy(ax, name, layers, highlight) for name in ("front", "side")}
    _explorer_update(artists, state)
    return fig, artists


def _explorer_make_narrow(state: tuple) -> tuple:
    """The explorer for a phone: both views on one axes, one key sized for every layer."""
    fig, ax, key_ax = narrow_canvas(max(key_rows(view) for view in ("front", "side")))
    _, layers, highlight = state
    artists = {name: draw_anatomy(ax, name, layers, highlight, key_ax=key_ax)
               for name in ("front", "side")}
    _explorer_update(artists, state)
    return fig, artists


def _explorer_update(artists: dict, state: tuple) -> None:
    view, layers, highlight = state
    for name, drawn in artists.items():
        update_anatomy(drawn, layers, highlight, visible=name == view)


def _anatomy_alt(state: tuple) -> str:
    view, layers, highlight = state
    what = f", {structure(highlight).name} highlighted" if highlight else ""
    return (f"Anatomy diagram of the psoas region seen from the {view}, showing "
            f"{', '.join(layers)}{what}")


def _anatomy_key(state: tuple) -> tuple:
    view, layers, highlight = state
    return view, sorted(layers), highlight


_NUMBERED = " Names are numbered on the drawing and listed by number in a key below it."


def _narrow_alt(state: tuple) -> str:
    return f"{_anatomy_alt(state)}; names numbered, with a key below"


def _narrow_describe(state: tuple) -> str:
    _, layers, _ = state
    text = describe_anatomy(*state)
    return text + _NUMBERED if layers else text


#: Lesson 1's explorer; its state is ``(view, layers, highlighted structure or None)``. Both
#: views are drawn once on one axes; a change shows one, switches layers and restyles.
#: Its narrow layout (a phone) numbers the names and lists them in a key under the drawing.
ANATOMY_EXPLORER = Drawing(
    name="anatomy-explorer", make=_explorer_make, update=_explorer_update,
    describe=lambda state: describe_anatomy(*state), alt=_anatomy_alt, key=_anatomy_key,
    narrow=Drawing(name="anatomy-explorer-narrow", make=_explorer_make_narrow,
                   update=_explorer_update, describe=_narrow_describe, alt=_narrow_alt,
                   key=_anatomy_key))

#: A still picture of one view (same state as the explorer's), with the same narrow layout.
ANATOMY_PICTURE = Drawing(
    name="anatomy-picture", make=lambda state: (anatomy_figure(*state), None),
    describe=lambda state: describe_anatomy(*state), alt=_anatomy_alt, key=_anatomy_key,
    narrow=Drawing(name="anatomy-picture-narrow",
                   make=lambda state: (anatomy_figure(*state, narrow=True), None),
                   describe=_narrow_describe, alt=_narrow_alt, key=_anatomy_key))


def _prevalence_alt(structure_id: str) -> str:
    return (f"Chart of how often the {structure(structure_id).name} was found in each "
            "dissection study, with the pooled count")


def _prevalence_key(structure_id: str) -> tuple:
    return (structure_id,)


#: The prevalence chart of a structure that not everyone has; its state is the structure id.
#: On a phone each study's name stands above its row (``narrow``).
PREVALENCE = Drawing(
    name="prevalence", make=lambda sid: (prevalence_figure(sid), None),
    describe=describe_prevalence, alt=_prevalence_alt, key=_prevalence_key,
    narrow=Drawing(name="prevalence-narrow",
                   make=lambda sid: (prevalence_figure(sid, narrow=True), None),
                   describe=describe_prevalence, alt=_prevalence_alt, key=_prevalence_key))
