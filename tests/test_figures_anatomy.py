"""Tests of the anatomy figures: artists per structure, layer and highlight updates, text."""

from __future__ import annotations

import pytest
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.text import Text

from melt_course.content.anatomy import (
    LAYERS,
    VIEWS,
    load_structures,
    pooled_prevalence,
    prevalence_table,
)
from melt_course.figures import figure_png, new_figure
from melt_course.figures.anatomy import (
    anatomy_canvas,
    anatomy_figure,
    describe_anatomy,
    describe_prevalence,
    draw_anatomy,
    draw_prevalence,
    update_anatomy,
)
from melt_course.figures.palette import ROLE


def _all_artists(ax):
    return [*ax.patches, *ax.lines, *ax.texts]


def _edge(artist):
    return artist.get_color() if isinstance(artist, Line2D) else artist.get_edgecolor()


@pytest.fixture(scope="module")
def front():
    fig, ax = anatomy_canvas()
    artists = draw_anatomy(ax, "front")
    return fig, ax, artists


@pytest.mark.parametrize("view", VIEWS)
def test_draw_anatomy_gives_every_structure_artists_in_the_axes(view):
    _fig, ax = anatomy_canvas()
    artists = draw_anatomy(ax, view)
    assert artists["view"] == view
    for sid in load_structures():
        items = artists["structures"][sid]
        assert items, f"no artists for {sid}"
        assert all(a.axes is ax for a in items)
        assert all(a.get_visible() for a in items)
        assert artists["labels"][sid], f"no label for {sid}"
    assert ax.get_xlim() != (0.0, 1.0)


def test_switching_a_layer_off_hides_its_artists_without_new_ones(front):
    fig, ax, artists = front
    before = figure_png(fig)
    count = len(_all_artists(ax))
    update_anatomy(artists, [layer for layer in LAYERS if layer != "kidneys"])
    assert len(_all_artists(ax)) == count
    assert not any(a.get_visible() for a in artists["structures"]["kidney"])
    assert not any(a.get_visible() for a in artists["labels"]["kidney"])
    assert all(a.get_visible() for a in artists["structures"]["psoas_major"])
    after = figure_png(fig)
    assert after != before
    update_anatomy(artists, LAYERS)
    assert figure_png(fig) == before, "switching back restores the same picture"


def test_highlight_colours_the_structure_and_dims_the_rest(front):
    _fig, _ax, artists = front
    update_anatomy(artists, LAYERS, "genitofemoral_nerve")
    lit = artists["structures"]["genitofemoral_nerve"]
    assert all(to_rgba(_edge(a)) == to_rgba(ROLE["highlight"]) for a in lit)
    other = artists["structures"]["psoas_major"][0]
    assert to_rgba(_edge(other))[3] < 0.5, "other structures are dimmed"
    name = next(a for a in artists["labels"]["genitofemoral_nerve"] if isinstance(a, Text))
    assert name.get_fontweight() == "bold"
    update_anatomy(artists, LAYERS, None)
    assert to_rgba(_edge(lit[0])) != to_rgba(ROLE["highlight"])
    assert to_rgba(_edge(other))[3] > 0.5


def test_hiding_the_view_hides_everything(front):
    _fig, _ax, artists = front
    update_anatomy(artists, LAYERS, None, visible=False)
    assert not any(a.get_visible() for items in artists["structures"].values() for a in items)
    assert not artists["title"].get_visible()
    update_anatomy(artists, LAYERS, None, visible=True)
    assert artists["title"].get_visible()


def test_two_views_can_share_one_axes():
    fig, ax = anatomy_canvas()
    front = draw_anatomy(ax, "front")
    side = draw_anatomy(ax, "side")
    update_anatomy(front, LAYERS, visible=False)
    update_anatomy(side, LAYERS, visible=True)
    side_png = figure_png(fig)
    update_anatomy(side, LAYERS, visible=False)
    update_anatomy(front, LAYERS, visible=True)
    assert figure_png(fig) != side_png
    assert ax.get_xlim() == pytest.approx((-25, 25))


def test_labels_can_be_left_out_for_quizzes():
    fig = anatomy_figure("front", labels=False)
    ax = fig.axes[0]
    names = {s.name for s in load_structures().values()}
    assert not any(t.get_text() in names for t in ax.texts)
    fig_labelled = anatomy_figure("front")
    assert any(t.get_text() == "Psoas major" for t in fig_labelled.axes[0].texts)


def test_describe_lists_what_is_shown_and_what_is_highlighted():
    text = describe_anatomy("front")
    assert "facing the person" in text
    assert "Psoas major" in text and "kidneys" in text.lower()
    hidden = describe_anatomy("front", ["bones", "muscles"])
    assert "Kidneys (blue" not in hidden and "genitofemoral" not in hidden.lower()
    lit = describe_anatomy("side", LAYERS, "psoas_minor")
    assert "Highlighted in blue: Psoas minor" in lit
    off = describe_anatomy("side", ["bones"], "kidney")
    assert "hidden" in off
    assert "empty" in describe_anatomy("front", [])


def test_bad_arguments_raise_value_error():
    _fig, ax = new_figure()
    with pytest.raises(ValueError, match="'back'"):
        draw_anatomy(ax, "back")
    with pytest.raises(ValueError, match="'skin'"):
        draw_anatomy(ax, "front", ["skin"])
    with pytest.raises(ValueError, match="'psoas'"):
        draw_anatomy(ax, "front", LAYERS, "psoas")
    with pytest.raises(ValueError, match="'psoas'"):
        describe_anatomy("front", LAYERS, "psoas")


def test_prevalence_chart_plots_each_study_and_the_pooled_count():
    _fig, ax = new_figure()
    artists = draw_prevalence(ax)
    rows = prevalence_table()
    xs = list(artists["points"].get_xdata())
    assert xs == pytest.approx([100 * r["proportion"] for r in rows])
    assert len(artists["intervals"]) == len(rows)
    pooled = pooled_prevalence()
    assert artists["pooled"].get_xdata()[0] == pytest.approx(100 * pooled["proportion"])
    text = describe_prevalence()
    assert f"{pooled['present']} of {pooled['n']}" in text
    for row in rows:
        assert f"{row['present']} of {row['n']}" in text


def test_label_question_figures_mark_the_structure_without_naming_it():
    from melt_course.content import quiz
    from melt_course.figures.labels import resolve_figure

    names = {item.name for item in load_structures().values()}
    questions = [q for q in quiz.load_bank() if q.lesson == "01" and q.type == "label"]
    assert len(questions) >= 3
    for q in questions:
        assert set(q.structures) <= names, f"{q.id}: structures must be anatomy structures"
        _fig, ax = new_figure(4.0, 3.6)
        artists = resolve_figure(q.figure)(ax, highlight=q.answer)
        marker = artists["marker"]
        assert marker.get_text() == "?"
        texts = {t.get_text() for t in ax.texts}
        assert not texts & names, f"{q.id}: the figure gives the answer away"
        sid = next(s.id for s in load_structures().values() if s.name == q.answer)
        assert any(a.get_visible() for a in artists["structures"][sid])
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        mx, my = marker.xy
        assert x0 <= mx <= x1 and y0 <= my <= y1, f"{q.id}: the arrow points off the picture"


def test_marked_figure_rejects_unknown_structure():
    from melt_course.figures.anatomy import draw_front_marked

    _fig, ax = new_figure()
    with pytest.raises(ValueError, match="'spleen'"):
        draw_front_marked(ax, "spleen")


def test_switching_the_vessels_layer_changes_the_picture_and_the_description(front):
    fig, _ax, artists = front
    with_vessels = figure_png(fig)
    text_on = describe_anatomy("front")
    update_anatomy(artists, [layer for layer in LAYERS if layer != "vessels"])
    for sid in ("great_vessels", "iliac_vessels", "gonadal_vessels", "ureter",
                "sympathetic_trunk"):
        assert not any(a.get_visible() for a in artists["structures"][sid]), sid
        assert not any(a.get_visible() for a in artists["labels"][sid]), sid
    assert figure_png(fig) != with_vessels
    text_off = describe_anatomy("front", [layer for layer in LAYERS if layer != "vessels"])
    for words in ("aorta", "ureter", "sympathetic trunk", "gonadal", "schematic"):
        assert words in text_on.lower() and words not in text_off.lower(), words
    update_anatomy(artists, LAYERS)
    assert figure_png(fig) == with_vessels


def test_vessel_styles_use_the_okabe_ito_palette():
    from melt_course.figures.anatomy import _STYLE
    from melt_course.figures.palette import OKABE_ITO

    allowed = {to_rgba(c)[:3] for c in OKABE_ITO.values()}
    for style in ("artery", "vein", "vessel_thin", "ureter", "trunk"):
        edge, face = _STYLE[style]["edge"], _STYLE[style]["face"]
        colours = [to_rgba(c)[:3] for c in (edge, face) if c != "none"]
        assert any(c in allowed for c in colours), style


# --------------------------------------------------------------------------- phone layout

#: Layer sets lesson 1 shows: a still picture's default, the explorer's start, every layer.
_LAYER_SETS = [("bones", "muscles"), ("bones", "muscles", "nerves", "diaphragm", "kidneys"),
               LAYERS]


def _text_boxes(fig) -> list[tuple[str, object]]:
    """Every visible, non-empty text of a drawn figure and the box it covers on the image
    (a numbered circle's box is its circle)."""
    renderer = fig.canvas.get_renderer()
    out = []
    for text in fig.findobj(Text):
        if not (text.get_visible() and text.get_text().strip()):
            continue
        patch = text.get_bbox_patch()
        box = (patch.get_window_extent(renderer) if patch is not None
               else text.get_window_extent(renderer))
        out.append((text.get_text().replace("\n", " "), box))
    return out


def overlapping_texts(fig, gap: float = 2.0, slack: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of texts drawn over each other or closer than ``gap`` image pixels (they would
    read as one), and texts reaching past the image's edge by more than ``slack``."""
    figure_png(fig)     # the texts' places are known after a draw
    boxes = _text_boxes(fig)
    edge = fig.bbox
    found = [(name, "the image's edge") for name, box in boxes
             if box.x0 < edge.x0 - slack or box.x1 > edge.x1 + slack
             or box.y0 < edge.y0 - slack or box.y1 > edge.y1 + slack]
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1:]:
            if min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0) > -gap and \
                    min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0) > -gap:
                found.append((a, b))
    return found


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("layers", _LAYER_SETS, ids=["picture", "explorer", "all"])
def test_no_two_names_overlap_and_none_leaves_the_picture(narrow, view, layers):
    fig = anatomy_figure(view, layers, "psoas_major", narrow=narrow)
    shown = [name for name, _ in _text_boxes(fig)]
    assert len(shown) > 8, shown
    assert overlapping_texts(fig) == []


def test_the_narrow_explorer_keeps_names_apart_in_every_view_and_after_changes():
    from melt_course.figures.anatomy import ANATOMY_EXPLORER

    fig, artists = ANATOMY_EXPLORER.narrow.make(("front", LAYERS, None))
    for state in [("front", LAYERS, None), ("side", LAYERS, "femoral_nerve"),
                  ("side", ("bones", "muscles"), None), ("front", ("nerves",), None)]:
        ANATOMY_EXPLORER.narrow.update(artists, state)
        assert overlapping_texts(fig) == [], state


def test_the_overlap_check_sees_the_wide_names_squeezed_onto_a_phone():
    """The wide layout simply drawn narrower: its names run off the picture (why the narrow
    layout numbers them)."""
    from melt_course.figures.style import NARROW_WIDTH

    fig = anatomy_figure("front", LAYERS)
    width, height = fig.get_size_inches()
    fig.set_size_inches(NARROW_WIDTH, height * NARROW_WIDTH / width)
    found = overlapping_texts(fig)
    assert {"Medial arcuate ligament", "Genitofemoral nerve", "Pelvis (hip bone)"} <= {
        name for name, other in found if other == "the image's edge"}, found


def test_the_overlap_check_sees_two_names_drawn_over_each_other():
    fig = anatomy_figure("front", ("bones", "muscles"), narrow=True)
    key = [t for t in fig.findobj(Text)
           if (t.get_gid() or "").startswith("key:") and t.get_visible()]
    assert overlapping_texts(fig) == []
    key[1].set_position(key[0].get_position())
    assert (key[0].get_text(), key[1].get_text()) in overlapping_texts(fig)


def _numbered(artists: dict) -> tuple[dict, dict]:
    """On the drawing: number -> structure; in the key: number -> (structure, name)."""
    on_drawing, in_key = {}, {}
    for entry in artists["key"]:
        if entry["number"].get_visible():
            sid = entry["name"].get_gid().removeprefix("key:")
            on_drawing[entry["number"].get_text()] = sid
            in_key[entry["key_number"].get_text()] = (sid, entry["name"].get_text())
    return on_drawing, in_key


def test_the_narrow_layout_numbers_each_shown_name_once_and_its_key_matches():
    from melt_course.figures.anatomy import key_rows, narrow_canvas

    _fig, ax, key_ax = narrow_canvas(key_rows("front"))
    artists = draw_anatomy(ax, "front", LAYERS, key_ax=key_ax)
    on_drawing, in_key = _numbered(artists)
    assert sorted(on_drawing, key=int) == [str(n) for n in range(1, len(on_drawing) + 1)]
    assert {n: sid for n, (sid, _) in in_key.items()} == on_drawing
    names = {name for _, name in in_key.values()}
    assert {"Psoas major", "Aorta", "Lesser trochanter", "Medial arcuate ligament"} <= names
    # hiding a layer renumbers: no gaps, its names gone from the drawing and the key
    update_anatomy(artists, ("bones", "muscles"), "iliacus")
    on_drawing, in_key = _numbered(artists)
    assert sorted(on_drawing, key=int) == [str(n) for n in range(1, len(on_drawing) + 1)]
    assert "great_vessels" not in set(on_drawing.values())
    assert "Aorta" not in {name for _, name in in_key.values()}
    lit = [e for e in artists["key"] if e["name"].get_gid() == "key:iliacus"]
    assert lit and all(e["name"].get_color() == ROLE["highlight"] for e in lit)
    with pytest.raises(ValueError, match="rows=0"):
        narrow_canvas(0)


@pytest.mark.parametrize("layers", _LAYER_SETS, ids=["picture", "explorer", "all"])
def test_the_narrow_layout_is_readable_on_a_phone_without_scrolling(layers):
    from melt_course.figures.style import NARROW_WIDTH, smallest_text_px
    from melt_course.widgets.fit import readable_width

    for view in VIEWS:
        fig = anatomy_figure(view, layers, narrow=True)
        figure_png(fig)
        width = round(fig.get_figwidth() * fig.dpi)
        assert width == round(NARROW_WIDTH * fig.dpi)
        # a 390 px phone gives a picture about 350 CSS px (JupyterLab a little less)
        assert readable_width(width, smallest_text_px(fig)) <= 330, (view, layers)
