"""Wiring of the anatomy explorer: one live figure, artists updated, image bytes change."""

from __future__ import annotations

import pytest

from melt_course import notebook as mc
from melt_course.content.anatomy import LAYERS, load_structures
from melt_course.content.bibliography import cited_keys, get
from melt_course.content.evidence import find_labels
from melt_course.widgets.anatomy import card_html


@pytest.fixture(scope="module")
def explorer():
    return mc.anatomy_explorer()


def _count(fig):
    ax = fig.axes[0]
    return len(ax.patches) + len(ax.lines) + len(ax.texts)


def test_explorer_starts_on_the_front_view_with_every_layer_but_the_vessels(explorer):
    """The vessels cover the vertebral labels and much of psoas: the learner ticks them on."""
    assert explorer.view_toggle.value == "front"
    assert explorer.layers == tuple(layer for layer in LAYERS if layer != "vessels")
    assert not explorer.layer_boxes["vessels"].value
    assert "aorta" not in explorer.picture.description.lower()
    assert explorer.selected is None
    assert explorer.picture.png.startswith(b"\x89PNG")
    assert "Front view" in explorer.picture.description
    assert repr(explorer) == ("<interactive widget: run the cells to see it (Run → Run All Cells): "
                              "Psoas anatomy explorer>")


def test_unticking_a_layer_updates_the_same_figure(explorer):
    fig, count = explorer.fig, _count(explorer.fig)
    png = explorer.picture.png
    renders = explorer.picture.renders
    explorer.layer_boxes["nerves"].value = False
    assert explorer.fig is fig and _count(fig) == count, "no new figure or artists"
    assert explorer.picture.renders == renders + 1
    assert explorer.picture.png != png
    front = explorer.picture.artists["front"]
    assert not any(a.get_visible() for a in front["structures"]["femoral_nerve"])
    assert "nerves" not in explorer.picture.description.split("Layers shown:")[1].split(".")[0]
    explorer.layer_boxes["nerves"].value = True
    assert all(a.get_visible() for a in front["structures"]["femoral_nerve"])


def test_selecting_a_structure_highlights_it_and_shows_its_card(explorer):
    png = explorer.picture.png
    explorer.structure_menu.value = "psoas_minor"
    assert explorer.picture.png != png
    assert explorer.buttons["psoas_minor"].button_style == "info"
    assert explorer.buttons["psoas_major"].button_style == ""
    html = explorer.card.value
    assert "Psoas minor" in html and "(research)" in html and "Kokati" in html
    assert "Highlighted in blue: Psoas minor" in explorer.picture.description
    explorer.select(None)
    assert "No structure selected" in explorer.card.value


def test_clicking_a_legend_button_selects_its_structure(explorer):
    explorer.buttons["femoral_nerve"].click()
    assert explorer.structure_menu.value == "femoral_nerve"
    assert "Femoral nerve" in explorer.card.value
    explorer.select(None)


def test_selecting_a_structure_in_a_hidden_layer_switches_the_layer_on(explorer):
    explorer.layer_boxes["kidneys"].value = False
    explorer.select("kidney")
    assert explorer.layer_boxes["kidneys"].value is True
    assert "switched on" in explorer.status.value
    assert all(a.get_visible() for a in explorer.picture.artists["front"]["structures"]["kidney"])
    explorer.select(None)


def test_switching_view_keeps_one_figure_and_shows_the_other_artists(explorer):
    fig, count = explorer.fig, _count(explorer.fig)
    png = explorer.picture.png
    explorer.view_toggle.value = "side"
    assert explorer.fig is fig and _count(fig) == count
    assert explorer.picture.png != png
    side, front = explorer.picture.artists["side"], explorer.picture.artists["front"]
    assert all(a.get_visible() for a in side["structures"]["psoas_major"])
    assert not any(a.get_visible() for a in front["structures"]["psoas_major"])
    assert "Side view" in explorer.picture.description
    explorer.view_toggle.value = "front"


def test_menu_offers_every_structure():
    explorer = mc.anatomy_explorer(view="side", highlight="iliacus")
    ids = [value for _, value in explorer.structure_menu.options if value is not None]
    assert ids == list(load_structures())
    assert explorer.view_toggle.value == "side" and explorer.selected == "iliacus"


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError, match="'top'"):
        mc.anatomy_explorer(view="top")
    with pytest.raises(ValueError, match="'psoas'"):
        mc.anatomy_explorer(highlight="psoas")
    with pytest.raises(ValueError, match="'organs'"):
        mc.anatomy_explorer(layers=["organs"])
    with pytest.raises(ValueError, match="'liver'"):
        mc.anatomy_card("liver")


@pytest.mark.parametrize("sid", list(load_structures()))
def test_every_card_labels_each_field_and_cites_resolving_references(sid):
    text = repr(mc.anatomy_card(sid))
    fields = [line for line in text.splitlines() if line.startswith("- **")]
    assert len(fields) == 5
    for line in fields:
        assert len(find_labels(line)) == 1, line
        keys = cited_keys(line)
        assert keys, line
        for key in keys:
            assert get(key).key == key
    html = card_html(sid)
    assert load_structures()[sid].name in html and "<details>" in html


def test_static_pictures_show_png_and_describe_themselves_in_text():
    picture = mc.anatomy_picture("side", highlight="genitofemoral_nerve")
    assert picture.picture.png.startswith(b"\x89PNG")
    assert repr(picture).startswith("Figure: Side view")
    assert "Genitofemoral nerve highlighted" in picture.picture.alt
    assert picture.picture.text.value.count("Side view") == 1
    chart = mc.psoas_minor_chart()
    assert chart.picture.png.startswith(b"\x89PNG")
    assert "pooled" in repr(chart).lower()
    assert not chart.controls and "dissection study" in chart.picture.alt


def test_a_still_pictures_stored_text_is_its_whole_description():
    """ipywidgets cuts a widget's plain text at 110 characters; a still picture keeps all of
    it, so the stored notebook (and nbval) carries the whole figure description."""
    chart = mc.psoas_minor_chart()
    bundle = chart._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == repr(chart) and len(bundle["text/plain"]) > 300
    assert bundle["text/plain"].endswith("it is not a meta-analysis.")


def test_vessels_checkbox_is_named_and_switches_the_vessels_layer(explorer):
    box = explorer.layer_boxes["vessels"]
    assert box.description == "Vessels"
    png = explorer.picture.png
    box.value = True
    assert "aorta" in explorer.picture.description.lower()
    assert explorer.picture.png != png
    box.value = False
    assert "aorta" not in explorer.picture.description.lower()


def test_selecting_a_vessel_switches_the_vessels_layer_on():
    explorer = mc.anatomy_explorer(highlight="great_vessels")
    assert explorer.layer_boxes["vessels"].value
    assert "aorta" in explorer.picture.description.lower()


def test_the_lessons_still_picture_of_the_vessels_still_shows_them():
    picture = mc.anatomy_picture("front", layers=["bones", "muscles", "vessels"])
    assert "aorta" in picture.picture.description.lower()


def _img(picture) -> dict:
    import re

    tag = re.search(r"<img [^>]*>", picture.image.value).group(0)
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


def test_the_first_picture_shows_where_the_psoas_lies_and_says_only_that():
    """Lesson 1's first still picture: the bones and the muscles, not the crowded six layers;
    its alt text and description name those layers and no structure of the others."""
    picture = mc.anatomy_picture("front").picture
    assert picture.frame == "anatomy-picture_front_bones+muscles_none"
    assert picture.alt.endswith("showing bones, muscles")
    text = picture.description
    assert "Layers shown: bones, muscles." in text and "Psoas major" in text
    for other in ("Aorta", "kidney", "diaphragm", "Femoral nerve", "Ureter"):
        assert other.lower() not in text.lower(), other


def test_on_a_phone_the_explorer_numbers_its_names_and_keeps_working(figures_made):
    """At 350 CSS px the explorer switches to its narrow layout (from a stored frame); the
    view, layer and structure controls still work and the text alternatives follow."""
    w = mc.anatomy_explorer()
    picture = w.picture
    assert picture.fit_to(350) is True and picture.narrow and figures_made == []
    assert picture.frame == ("anatomy-explorer-narrow_front_bones+diaphragm+kidneys+muscles+"
                             "nerves_none")
    img = _img(picture)
    assert img["data-layout"] == "narrow" and int(img["width"]) <= 370
    assert float(img["data-min-font-px"]) * 350 / int(img["width"]) >= 9
    assert "names numbered, with a key below" in img["alt"]
    assert picture.description.endswith("listed by number in a key below it.")
    w.view_toggle.value = "side"
    w.select("psoas_minor")
    assert picture.narrow and "Side view" in picture.description
    assert "Psoas minor highlighted" in picture.alt
    labels = picture.artists["side"]["labels"]["psoas_minor"]
    assert all(a.get_visible() for a in labels)
    key_names = [a.get_text() for a in labels if (a.get_gid() or "").startswith("key:")]
    assert key_names == ["Psoas minor"]
    assert picture.fit_to(1100) is True and not picture.narrow
    assert "key below" not in picture.alt


def test_on_a_phone_the_still_pictures_and_quiz_figures_have_a_narrow_layout(figures_made):
    from melt_course.figures import frames

    for still in (mc.anatomy_picture("front"),
                  mc.anatomy_picture("front", layers=["bones", "muscles", "vessels"])):
        assert still.picture.fit_to(350) is True
        assert still.picture.png == frames.load(still.picture.frame)
        assert frames.png_size(still.picture.png)[0] <= 370
    quiz = mc.quiz_for("01")
    from melt_course.widgets.diagram import Picture

    def pictures(widget):
        if isinstance(widget, Picture):
            yield widget
        for child in getattr(widget, "children", ()):
            yield from pictures(child)

    marked = [p for p in pictures(quiz) if p.frame.startswith("quiz-label_anatomy")]
    assert len(marked) >= 3
    for picture in marked:
        assert picture.fit_to(350) is True, picture.frame
        assert picture.frame.startswith("quiz-label-narrow_anatomy")
        assert picture.png == frames.load(picture.frame)
        assert "question mark" in picture.alt
    assert figures_made == []
