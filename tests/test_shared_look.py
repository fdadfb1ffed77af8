"""SharedLook: controls that look alike share one layout and one style object."""

from __future__ import annotations

import ipywidgets as W
import pytest

from melt_course import notebook as mc
from melt_course.widgets.base import SharedLook
from melt_course.widgets.player import RoutinePlayer, SessionSafety


def test_same_traits_share_and_different_traits_do_not():
    look = SharedLook()
    a = look.make(W.Button, description="A", layout={"width": "auto"})
    b = look.make(W.Button, description="B", layout={"width": "auto"})
    c = look.make(W.Button, description="C", layout={"width": "10em"})
    assert a.layout is b.layout and a.layout is not c.layout
    assert a.layout.width == "auto" and c.layout.width == "10em"
    assert a.style is b.style is c.style
    assert look.style(W.Dropdown, description_width="initial") is not look.style(W.Dropdown)
    assert look.style(W.Dropdown, description_width="initial").description_width == "initial"
    # Another look shares nothing with this one.
    assert SharedLook().layout(width="auto") is not a.layout
    # Boxes have a layout and no style.
    box = look.make(W.HBox, [a, b])
    assert box.layout is look.layout() and list(box.children) == [a, b]


def test_a_class_without_a_style_is_named():
    with pytest.raises(TypeError, match="VBox"):
        SharedLook().style(W.VBox)
    with pytest.raises(TypeError, match="'button'"):
        SharedLook().style("button")


def test_the_explorer_and_the_player_share_their_looks():
    explorer = mc.anatomy_explorer()
    buttons = list(explorer.buttons.values())
    assert len({b.layout.model_id for b in buttons}) == 1
    assert len({b.style.model_id for b in buttons}) == 1
    boxes = list(explorer.layer_boxes.values())
    assert len({b.layout.model_id for b in boxes}) == 1
    # Clicking a structure still works with shared looks: only the card changes.
    buttons[0].click()
    assert explorer.selected == buttons[0].structure_id
    player = RoutinePlayer("Rebalance Sequence", safety=SessionSafety(), show_checklist=True)
    assert player.start_button.style is player.next_button.style
    # The player's safety panels show and hide independently.
    assert player.safety.layout is not player.safety_done.layout
