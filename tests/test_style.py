"""The course style applies inside figures only; rendering is deterministic."""

import matplotlib

from melt_course.figures import course_style, figure_png, new_figure
from melt_course.figures.palette import OKABE_ITO, ROLE


def _snapshot():
    return {k: dict.__getitem__(matplotlib.rcParams, k) for k in matplotlib.rcParams
            if k != "backend"}


def test_new_figure_uses_the_course_style_without_changing_globals():
    before = _snapshot()
    fig, ax = new_figure(4, 3)
    assert _snapshot() == before
    assert ax.xaxis.label.get_fontsize() == 12
    assert not ax.spines["top"].get_visible()
    (line,) = ax.plot([0, 1], [0, 1])
    assert line.get_color().lower() == OKABE_ITO["orange"].lower()
    assert fig.get_size_inches().tolist() == [4, 3]


def test_style_context_restores_rcparams():
    before = _snapshot()
    with course_style():
        assert matplotlib.rcParams["font.size"] == 12
    assert _snapshot() == before
    # Nested, and left by an error: still restored.
    try:
        with course_style():
            with course_style():
                assert matplotlib.rcParams["font.size"] == 12
            assert matplotlib.rcParams["font.size"] == 12
            raise RuntimeError("drawing failed")
    except RuntimeError:
        pass
    assert _snapshot() == before


def _render_once():
    fig, ax = new_figure(3, 2)
    ax.plot([0, 1], [0, 1])
    return figure_png(fig)


def test_rendering_is_deterministic_and_has_no_timestamp():
    first, second = _render_once(), _render_once()
    assert first == second and first.startswith(b"\x89PNG")
    assert b"Software" not in first and b"matplotlib" not in first


def test_role_colours_come_from_okabe_ito_or_neutral_grey():
    for role, colour in ROLE.items():
        neutral = colour[1:3] == colour[3:5] == colour[5:7]
        assert colour in OKABE_ITO.values() or neutral, role
