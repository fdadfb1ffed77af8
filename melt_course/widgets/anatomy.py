"""The anatomy explorer: front/side view, layer switches, a structure menu and its card.

Selecting a structure is done with a keyboard-usable dropdown or with a row of buttons (a
clickable legend). Clicking on the picture itself is not supported: the picture is an image
with no click events. The picture is a :class:`~melt_course.widgets.diagram.Diagram` over
:data:`~melt_course.figures.anatomy.ANATOMY_EXPLORER`.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from melt_course.content.anatomy import (
    CARD_FIELDS,
    LAYERS,
    card_headings,
    check_layers,
    check_structure,
    check_view,
    load_structures,
    structure,
)
from melt_course.content.bibliography import citation_label, cite_markdown, format_reference
from melt_course.content.bibliography import get as get_reference
from melt_course.figures.anatomy import ANATOMY_EXPLORER, ANATOMY_PICTURE, PREVALENCE
from melt_course.widgets.diagram import Diagram, Still
from melt_course.widgets.text import TextBlock

__all__ = ["EXPLORER_LAYERS", "PICTURE_LAYERS", "AnatomyExplorer", "anatomy_card",
           "anatomy_explorer", "anatomy_picture", "card_html", "psoas_minor_chart"]

_NONE = "(none)"

#: Layers the explorer opens with: all but the vessels, which cover the vertebral labels and
#: much of psoas; the learner ticks "Vessels" to add them (a still picture can show them).
EXPLORER_LAYERS = tuple(layer for layer in LAYERS if layer != "vessels")

#: Layers a still picture shows unless told: the bones and the muscles (where the psoas lies,
#: the first thing lesson 1 teaches); the explorer adds the rest.
PICTURE_LAYERS = ("bones", "muscles")


def _cite(keys) -> str:
    return cite_markdown(keys)


def anatomy_card(structure_id: str) -> TextBlock:
    """A structure's card as Markdown: each field with its evidence label and citations.

    Parameters
    ----------
    structure_id : str
        Id of a structure, e.g. ``"psoas_major"``.

    Raises
    ------
    ValueError
        For an unknown structure id.
    """
    item = structure(structure_id)
    heads = card_headings(structure_id)
    lines = [f"**{item.name}** — {item.summary}", ""]
    for field in CARD_FIELDS:
        claim = item.card[field]
        lines.append(f"- **{heads[field]}:** {claim.text} *({claim.label})* {_cite(claim.refs)}")
    if item.variation:
        lines += ["", "**Variation and disagreement**", ""]
        lines += [f"- {v.text} *({v.label})* {_cite(v.refs)}" for v in item.variation]
    return TextBlock("\n".join(lines))


def card_html(structure_id: str | None) -> str:
    """A structure's card as HTML for the explorer (labels as badges, references linked)."""
    if structure_id is None:
        return ("<div class='melt-card'><p><b>No structure selected.</b> Choose one from the "
                "menu or the buttons to see its card.</p></div>")
    item = structure(structure_id)
    heads = card_headings(structure_id)

    def claim_html(claim) -> str:
        refs = "; ".join(escape(citation_label(key)) for key in claim.refs)
        return (f"{escape(claim.text)} <i>({escape(claim.label)})</i> "
                f"<span style='color:#555'>({refs})</span>")

    rows = "".join(f"<p style='margin:0 0 6px 0'><b>{escape(heads[f])}:</b> "
                   f"{claim_html(item.card[f])}</p>" for f in CARD_FIELDS)
    variation = ""
    if item.variation:
        variation = ("<p><b>Variation and disagreement</b></p><ul>"
                     + "".join(f"<li>{claim_html(v)}</li>" for v in item.variation) + "</ul>")
    refs = "".join(f"<li>{format_reference(get_reference(k), html=True)}</li>" for k in item.refs)
    return (f"<div class='melt-card' role='region' aria-label='{escape(item.name)} card'>"
            f"<h4 style='margin:0 0 4px 0'>{escape(item.name)}</h4>"
            f"<p style='margin:0 0 6px 0'><i>{escape(item.summary)}</i></p>{rows}{variation}"
            f"<details><summary>References (the sources named in brackets)</summary>"
            f"<ul style='font-size:90%'>{refs}</ul></details></div>")


class AnatomyExplorer(Diagram):
    """Explore the psoas region: switch view and layers, select a structure, read its card.

    Parameters
    ----------
    view : {"front", "side"}
        Starting view.
    layers : collection of str
        Layers shown at the start (default :data:`EXPLORER_LAYERS`: all but the vessels).
    highlight : str, optional
        Structure selected at the start; its layer is switched on.
    """

    title = "Psoas anatomy explorer"
    drawing = ANATOMY_EXPLORER

    def __init__(self, view: str = "front", layers=EXPLORER_LAYERS,
                 highlight: str | None = None) -> None:
        check_view(view)
        layers = check_layers(layers)
        if highlight is not None:
            check_structure(highlight)
            layers = check_layers({*layers, structure(highlight).layer})
        known = load_structures()
        self._note = ""
        self.view_toggle = widgets.ToggleButtons(
            options=[("Front", "front"), ("Side", "side")], value=view, description="View",
            tooltips=["Seen from the front", "Seen from the left side"])
        look = self.look
        self.layer_boxes = {
            layer: look.make(widgets.Checkbox, value=layer in layers,
                             description=layer.capitalize(), indent=False,
                             layout={"width": "auto"})
            for layer in LAYERS}
        self.structure_menu = widgets.Dropdown(
            options=[(_NONE, None), *[(s.name, s.id) for s in known.values()]],
            value=highlight, description="Structure",
            style={"description_width": "initial"})
        self.buttons = {}
        for item in known.values():
            button = look.make(widgets.Button, description=item.name,
                               tooltip=f"Select {item.name}", layout={"width": "auto"})
            self.connect(button, self._on_button, action=f"selecting {item.name}")
            button.structure_id = item.id
            self.buttons[item.id] = button
        self.status = look.make(widgets.HTML)
        self.card = widgets.HTML(layout=widgets.Layout(flex="1 1 260px", min_width="240px"))
        self.card.add_class("melt-card-box")
        # A structure on a hidden layer switches its layer on first: one redraw for both.
        self.connect(self.structure_menu, self._on_select, action="selecting a structure")
        self.picture.layout = widgets.Layout(flex="3 1 480px")

        legend = look.make(widgets.HBox, list(self.buttons.values()),
                           layout={"flex_flow": "row wrap"})
        hint = look.make(widgets.HTML,
                         "<small>Select a structure with the menu or the buttons (keyboard: "
                         "Tab, then Enter). Clicking on the picture itself is not supported."
                         "</small>")
        super().__init__(
            controls=[self.view_toggle, *self.layer_boxes.values()],
            action="switching the view or a layer",
            children=[
                self.view_toggle,
                look.make(widgets.HBox, [look.make(widgets.HTML, "<b>Layers:</b>"),
                                         *self.layer_boxes.values()],
                          layout={"align_items": "center"}),
                self.structure_menu, legend, hint, self.status,
                look.make(widgets.HBox, [self.picture, self.card],
                          layout={"flex_flow": "row wrap"}),
            ])

    # ------------------------------------------------------------------ state
    def state(self) -> tuple[str, tuple[str, ...], str | None]:
        return self.view_toggle.value, self.layers, self.selected

    @property
    def layers(self) -> tuple[str, ...]:
        """The layers currently switched on."""
        return tuple(layer for layer, box in self.layer_boxes.items() if box.value)

    @property
    def selected(self) -> str | None:
        """Id of the selected structure, or None."""
        return self.structure_menu.value

    def select(self, structure_id: str | None) -> None:
        """Select a structure (as the menu or a button does); None clears the selection.

        Raises
        ------
        ValueError
            For an unknown structure id.
        """
        if structure_id is not None:
            check_structure(structure_id)
        self.structure_menu.value = structure_id

    def changed(self, state: tuple[str, tuple[str, ...], str | None]) -> None:
        sid = state[2]
        for bid, button in self.buttons.items():
            button.button_style = "info" if bid == sid else ""
        self.card.value = card_html(sid)
        note, self._note = self._note, ""
        self.status.value = f"<small>{escape(note)}</small>" if note else ""

    # ------------------------------------------------------------------ events
    def _on_button(self, button) -> None:
        self.select(button.structure_id)

    def _on_select(self, change: dict) -> None:
        sid = change["new"]
        if sid is not None:
            layer = structure(sid).layer
            box = self.layer_boxes[layer]
            if not box.value:
                with self.quietly():
                    box.value = True
                self._note = f"The {layer} layer was switched on to show {structure(sid).name}."
        self.redraw()


def anatomy_explorer(view: str = "front", highlight: str | None = None,
                     layers=EXPLORER_LAYERS) -> AnatomyExplorer:
    """The interactive anatomy explorer of lesson 1.

    Parameters
    ----------
    view : {"front", "side"}
        Starting view.
    highlight : str, optional
        Structure selected at the start, e.g. ``"psoas_minor"``.
    layers : collection of str
        Layers shown at the start (default :data:`EXPLORER_LAYERS`: every layer but the
        vessels, which the learner ticks "Vessels" to add).

    Raises
    ------
    ValueError
        For an unknown view, layer or structure.
    """
    return AnatomyExplorer(view, layers, highlight)


def anatomy_picture(view: str = "front", highlight: str | None = None,
                    layers=PICTURE_LAYERS) -> Still:
    """A still picture of one view (no controls), with its text description.

    Parameters
    ----------
    view : {"front", "side"}
        Which view.
    highlight : str, optional
        Structure highlighted, e.g. ``"psoas_minor"``.
    layers : collection of str
        Layers shown (default :data:`PICTURE_LAYERS`: the bones and the muscles, where the
        psoas lies; name more, e.g. ``["bones", "muscles", "vessels"]``, to show them).

    Raises
    ------
    ValueError
        For an unknown view, layer or structure.
    """
    check_view(view)
    if highlight is not None:
        check_structure(highlight)
    return Still(ANATOMY_PICTURE, (view, check_layers(layers), highlight))


def psoas_minor_chart() -> Still:
    """The psoas minor prevalence chart: each dissection study and the pooled count."""
    return Still(PREVALENCE, "psoas_minor")
