"""The Diagram component's busy sign and background warm-up (widgets/diagram.py).

The busy sign must show while the live figure is first made (a learner moved a control before
the warm-up ran) and go away afterwards, also when making it fails. The warm-up must make each
picture's figure once, only when the kernel has run no cell for a while, and never while a
lesson is being opened (building a widget makes no figure).
"""

from __future__ import annotations

import pytest

from melt_course import notebook as mc
from melt_course.figures.demo import LEG
from melt_course.figures.drawing import Drawing
from melt_course.widgets import diagram as D
from melt_course.widgets.diagram import Picture


def _watch_busy(picture) -> list[tuple]:
    """Every change of the busy sign's visibility, in order (what the browser is sent)."""
    seen: list[tuple] = []
    picture.busy.layout.observe(lambda change: seen.append(("display", change["new"])),
                                "display")
    return seen


def _leg(make=None, name="hip-demo") -> Drawing:
    return Drawing(name=name, make=make or LEG.make, update=LEG.update, describe=LEG.describe,
                   alt=LEG.alt, moving=LEG.moving)


def test_busy_sign_shows_while_the_first_figure_is_made_and_then_goes(figures_made):
    during: list[tuple] = []
    state = [0]

    def make(value):
        during.append((picture.busy.layout.display, picture.busy.value))
        return LEG.make(value)

    picture = Picture(_leg(make), lambda: state[0])
    assert not picture.built and figures_made == [], "the stored first frame needs no figure"
    assert picture.busy.layout.display == "none" and picture.busy.value == ""
    seen = _watch_busy(picture)

    state[0] = 30
    picture.redraw()
    assert len(during) == 1
    display, text = during[0]
    assert display is None, "the busy sign was hidden while the figure was being made"
    assert 'role="status"' in text and "Preparing the diagram" in text
    assert seen == [("display", None), ("display", "none")]
    assert picture.busy.value == ""
    assert "30° hip flexion" in picture.alt

    # Later moves update the same figure: no busy sign, no new figure.
    state[0] = 60
    picture.redraw()
    assert len(during) == 1 and len(figures_made) == 1
    assert seen == [("display", None), ("display", "none")]


def test_busy_sign_goes_away_when_making_the_figure_fails():
    def broken(_value):
        raise RuntimeError("drawing code broke")

    widget = mc.hip_demo()
    widget.picture.drawing = _leg(broken)          # as if the figure code had a bug
    seen = _watch_busy(widget.picture)
    widget.slider.value = 45                       # the guarded observer catches it
    assert widget.error_area.errors == 1 and "drawing code broke" in widget.error_area.value
    assert seen == [("display", None), ("display", "none")]
    assert widget.picture.busy.layout.display == "none"


class _FakeLoop:
    """Stands in for the kernel's event loop: keeps what was scheduled, runs it on demand."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def call_later(self, delay, callback, *args):
        self.calls.append((delay, callback, args))

    def run_next(self) -> float:
        delay, callback, args = self.calls.pop(0)
        callback(*args)
        return delay


@pytest.fixture
def kernel(monkeypatch):
    """A fake running kernel: its loop, and a cell counter the test moves."""
    loop = _FakeLoop()
    count = [5]
    monkeypatch.setattr(D, "_kernel_loop", lambda: loop)
    monkeypatch.setattr(D, "_execution_count", lambda: count[0])
    monkeypatch.setattr(D, "_QUEUE", [])
    monkeypatch.setattr(D, "_REHEARSALS", [])
    monkeypatch.setattr(D, "_SCHEDULED", [False])
    monkeypatch.delenv(D.WARM_ENV, raising=False)
    monkeypatch.delenv(D.AHEAD_ENV, raising=False)
    return loop, count


def test_warm_up_waits_for_an_idle_kernel_then_builds_each_figure_once(kernel, figures_made):
    loop, count = kernel
    demo, explorer = mc.hip_demo(), mc.psoas_explorer()
    # Opening the lesson made no figure: the page shows stored frames at once.
    assert figures_made == [] and not demo.picture.built and not explorer.picture.built
    assert [delay for delay, *_ in loop.calls] == [D._IDLE_S], "one timer for the queue"

    count[0] += 1                         # a cell ran in the meantime: wait for a quiet second
    assert loop.run_next() == D._IDLE_S
    assert figures_made == [] and len(loop.calls) == 1

    shown = demo.picture.png
    loop.run_next()                       # a quiet second: the first picture is warmed
    assert demo.picture.built and not explorer.picture.built and len(figures_made) == 1
    assert demo.picture.live_renders == 1, "warming draws once, so the first move is fast"
    assert demo.picture.png == shown and demo.picture.renders == 1, "nothing new was shown"
    loop.run_next()                       # then the next one, a moment later
    assert explorer.picture.built and len(figures_made) == 2
    shown = explorer.picture.image.value
    delays = []
    while loop.calls:                     # then each one's nearest hip angles, one per tick
        delays.append(loop.run_next())
    assert set(delays[1:]) == {D._STEP_S}
    assert demo.picture.rehearsed == explorer.picture.rehearsed == D.REHEARSE_MAX
    assert len(delays) - 1 == 2 * D.REHEARSE_MAX
    assert explorer.picture.image.value == shown, "rehearsed states are never shown"
    assert len(figures_made) == 2 and D._SCHEDULED == [False]

    seen = _watch_busy(demo.picture)
    demo.slider.value = 40                # the first move: no busy sign, no new figure
    assert seen == [] and len(figures_made) == 2 and "40° hip flexion" in demo.picture.alt


def test_a_figure_made_by_a_move_before_the_warm_up_is_not_made_again(kernel, figures_made):
    loop, _count = kernel
    demo = mc.hip_demo()
    demo.slider.value = 20                # moved before the kernel was idle
    assert len(figures_made) == 1
    loop.run_next()
    assert len(figures_made) == 1 and loop.calls == []


def test_no_warm_up_when_switched_off_or_outside_a_kernel(kernel, monkeypatch, figures_made):
    loop, _count = kernel
    monkeypatch.setenv(D.WARM_ENV, "off")
    mc.hip_demo()
    assert loop.calls == [] and D._QUEUE == []
    monkeypatch.delenv(D.WARM_ENV)
    monkeypatch.setattr(D, "_kernel_loop", lambda: None)
    assert D.warm_up_later(mc.hip_demo().picture) is False
    assert loop.calls == [] and figures_made == []


def test_a_failed_warm_up_is_logged_and_the_next_picture_still_warms(kernel, caplog):
    loop, _count = kernel

    def broken(_value):
        raise RuntimeError("no figure today")

    bad = Picture(_leg(broken), lambda: 0)
    assert D.warm_up_later(bad)
    good = mc.hip_demo().picture
    queued = D._QUEUE
    assert queued == [bad, good]
    while loop.calls:
        loop.run_next()
    assert good.built and not bad.built
    assert "warming up diagram hip-demo failed" in caplog.text


def test_warming_measures_the_smallest_text_so_the_first_move_does_not(kernel, monkeypatch):
    """Measuring the live figure's smallest text lays every text out (about 90 ms for the
    explorer): done while warming, the first key press costs what later ones cost."""
    from melt_course.figures import style

    loop, _count = kernel
    measured: list[object] = []
    real = style.smallest_text_px
    monkeypatch.setattr(style, "smallest_text_px",
                        lambda fig: measured.append(fig) or real(fig))
    demo = mc.hip_demo()
    shown = demo.picture.text_px
    loop.run_next()                       # warmed
    assert measured == [demo.picture.fig]
    assert demo.picture.text_px == shown, "what is shown is still the stored frame's"
    demo.slider.value = 40                # the first move: nothing measured again
    assert measured == [demo.picture.fig]
    assert demo.picture.text_px == real(demo.picture.fig)
    assert 'data-min-font-px="' in demo.picture.image.value


def test_a_rehearsal_pauses_while_cells_run_and_a_move_between_steps_is_drawn_right(kernel):
    """The warm-up draws the main slider's other states unseen, one per tick; it waits while
    cells run, and a learner's move between two steps shows that move (pixel for pixel a
    fresh figure's), as does the figure once the rehearsal is over."""
    import numpy as np
    from helpers import pixels

    from melt_course.figures import hip_flexors as fh
    from melt_course.figures.style import figure_png

    loop, count = kernel
    fibres = mc.fibre_length_widget()               # opens on its stored frame (90°)
    loop.run_next()                                   # built
    loop.run_next()                                   # the first rehearsed state
    assert fibres.picture.rehearsed == 1
    count[0] += 1                                     # a cell runs: the next tick waits
    loop.run_next()
    assert fibres.picture.rehearsed == 1 and [c[0] for c in loop.calls] == [D._IDLE_S]
    loop.run_next()                                   # a quiet second: it goes on
    assert fibres.picture.rehearsed == 2
    fibres.hip.value = 60                             # the learner moves meanwhile
    expected = pixels(figure_png(fh.fibres_figure(60)[0]))   # (a figure drawn once: a
    assert np.array_equal(pixels(fibres.picture.png), expected)   # second draw may lay out
    while loop.calls:                                             # constrained layout anew)
        loop.run_next()
    assert fibres.picture.rehearsed == D.REHEARSE_MAX
    assert np.array_equal(pixels(figure_png(fibres.picture.fig)), expected), \
        "after the rehearsal the live figure shows the learner's state again"
    fibres.hip.value = 65
    expected = pixels(figure_png(fh.fibres_figure(65)[0]))
    assert np.array_equal(pixels(fibres.picture.png), expected)


def test_slider_values_start_nearest_the_current_value():
    import ipywidgets as W

    assert D.slider_values(W.IntSlider(value=10, min=0, max=30, step=10)) == [0, 20, 30]
    assert D.slider_values(W.FloatSlider(value=0.2, min=0, max=0.5, step=0.1)) == [
        0.1, 0.3, 0.0, 0.4, 0.5]
    log = W.FloatLogSlider(value=10, base=10, min=0, max=2, step=0.5)
    assert D.slider_values(log) == pytest.approx([10 ** 0.5, 10 ** 1.5, 1.0, 100.0])
    with pytest.raises(ValueError, match="slider=Text is not an IntSlider, FloatSlider or"):
        D.slider_values(W.Text())


# ---------------------------------------------------------------------- drawing ahead
def _drain(loop) -> None:
    """Run every scheduled step (warm-up, rehearsal, drawing ahead) to the end."""
    while loop.calls:
        loop.run_next()


def _fresh_fibres(hip):
    from helpers import pixels

    from melt_course.figures import hip_flexors as fh
    from melt_course.figures.style import figure_png

    return pixels(figure_png(fh.fibres_figure(hip)[0]))


def test_a_learner_stepping_a_slider_gets_the_next_step_drawn_ahead_and_shown_at_once(kernel):
    """One step of the main slider schedules the next step in the same direction, drawn
    unseen after a pause; the move to it shows that picture without drawing, pixel for pixel
    a fresh figure's; a move elsewhere is drawn, also right."""
    import numpy as np
    from helpers import pixels

    loop, _count = kernel
    fibres = mc.fibre_length_widget()                 # 90°
    _drain(loop)                                      # warmed and rehearsed
    picture = fibres.picture
    fibres.hip.value = 95                             # one step up
    assert [c[0] for c in loop.calls] == [D._AHEAD_S]
    shown = picture.image.value
    loop.run_next()                                   # the pause: 100° is drawn unseen
    assert picture.drawn_ahead == 1 and picture.image.value == shown, "never shown by itself"

    renders: list[int] = []
    real = picture.live.render
    picture.live.render = lambda: renders.append(1) or real()
    fibres.hip.value = 100                            # the predicted step
    assert renders == [] and picture.shown_ahead == 1, "shown without drawing"
    assert np.array_equal(pixels(picture.png), _fresh_fibres(100))
    assert "at 100 degrees" in picture.alt and "100°" in fibres.readout.value
    assert [c[0] for c in loop.calls] == [D._AHEAD_S], "and the next one is scheduled"
    loop.run_next()                                   # 105° drawn ahead
    fibres.hip.value = 95                             # but the learner turns back
    assert renders == [1, 1] and picture.shown_ahead == 1
    assert np.array_equal(pixels(picture.png), _fresh_fibres(95))
    assert "at 95 degrees" in picture.alt


def test_a_move_before_the_pause_ends_cancels_the_drawing_ahead(kernel):
    loop, _count = kernel
    fibres = mc.fibre_length_widget()
    _drain(loop)
    fibres.hip.value = 95
    fibres.hip.value = 100                            # before the first pause ended
    assert [c[0] for c in loop.calls] == [D._AHEAD_S, D._AHEAD_S]
    loop.run_next()                                   # the first: out of date, draws nothing
    assert fibres.picture.drawn_ahead == 0
    loop.run_next()                                   # the second draws 105°
    assert fibres.picture.drawn_ahead == 1


def test_only_single_steps_of_the_main_slider_are_drawn_ahead(kernel):
    loop, _count = kernel
    comparison = mc.hip_flexor_comparison()
    _drain(loop)
    comparison.hip.value = 30                         # a jump (dragged): no guess
    comparison.knee.value = 90                        # another control: no guess
    comparison.hip.value = 120                        # the end: nothing after it
    comparison.hip.value = 115                        # one step down: the next is 110
    assert [c[0] for c in loop.calls] == [D._AHEAD_S]
    loop.run_next()
    assert comparison.picture.drawn_ahead == 1
    comparison.hip.value = 110
    assert comparison.picture.shown_ahead == 1
    assert comparison.current == ("gait2392", 90, 110)


def test_the_figure_follows_the_state_shown_after_drawing_ahead(kernel):
    """``widget.fig`` (what a learner's own code saves) shows the state on screen, not the
    one drawn ahead."""
    import numpy as np
    from helpers import pixels

    from melt_course.figures.style import figure_png

    loop, _count = kernel
    fibres = mc.fibre_length_widget()
    _drain(loop)
    fibres.hip.value = 95
    loop.run_next()                                   # 100° drawn ahead
    assert np.array_equal(pixels(figure_png(fibres.fig)), _fresh_fibres(95))


def test_the_balance_lab_draws_the_next_gain_ahead_and_shows_that_stand(kernel):
    """A float slider: the next gain is found on the slider's grid (1.55 + 0.05 is 1.6), and
    the picture is the one the same moves give without drawing ahead."""
    import numpy as np
    from helpers import pixels

    loop, _count = kernel
    lab = mc.balance_lab()                            # gain 1.5
    _drain(loop)
    lab.gain.value = 1.55
    loop.run_next()
    assert lab.picture.drawn_ahead == 1
    lab.gain.value = 1.6
    assert lab.picture.shown_ahead == 1 and lab.result.params["gain"] == 1.6
    assert "1.60" in lab.picture.description
    plain = mc.balance_lab()                          # the same moves, nothing drawn ahead
    plain.picture.build()
    plain.gain.value = 1.55
    plain.gain.value = 1.6
    assert plain.picture.shown_ahead == 0
    assert np.array_equal(pixels(lab.picture.png), pixels(plain.picture.png))


@pytest.mark.parametrize("variable", [D.WARM_ENV, D.AHEAD_ENV])
def test_nothing_is_drawn_ahead_with_the_warm_up_or_drawing_ahead_off(kernel, monkeypatch,
                                                                       variable):
    loop, _count = kernel
    fibres = mc.fibre_length_widget()
    _drain(loop)
    monkeypatch.setenv(variable, "off")
    fibres.hip.value = 95
    assert loop.calls == []
    monkeypatch.setenv(variable, "on")
    fibres.hip.value = 100
    assert [c[0] for c in loop.calls] == [D._AHEAD_S]


def test_a_log_slider_steps_on_its_exponents_and_gets_the_next_step_drawn_ahead(kernel):
    """Lesson 3's time sliders: one step multiplies the time by the same factor; the next
    one is drawn ahead, and shown as the same moves show it without drawing ahead."""
    import math

    import numpy as np
    from helpers import pixels

    def step(widget, sign=1):
        slider = widget.slider
        slider.value = slider.base ** (math.log10(slider.value) + sign * slider.step)

    loop, _count = kernel
    stress = mc.stress_hormones()                     # 10 s
    _drain(loop)
    assert stress.picture.rehearsed == D.REHEARSE_MAX
    step(stress)
    assert [c[0] for c in loop.calls] == [D._AHEAD_S]
    loop.run_next()
    step(stress)
    assert stress.picture.shown_ahead == 1 and stress.current == 13.0    # 10 ** 1.1 s shown
    plain = mc.stress_hormones()
    plain.picture.build()
    step(plain)
    step(plain)
    assert plain.picture.shown_ahead == 0 and plain.current == 13.0
    assert np.array_equal(pixels(stress.picture.png), pixels(plain.picture.png))
    loop.calls.clear()
    stress.slider.value = 20.0                        # a jump: nothing drawn ahead
    assert loop.calls == []


def test_a_move_from_another_thread_waits_for_a_drawing_in_progress(kernel):
    """In JupyterLab (ipykernel 7) a control's callback may run in a kernel subshell's thread
    while the warm-up draws in the main thread. The move must wait for that drawing, not draw
    the same figure at the same time (seen in a real kernel: a title from one state over the
    cursor of another, pieces of an axis missing)."""
    import dataclasses
    import threading

    import numpy as np
    from helpers import pixels

    loop, _count = kernel
    fibres = mc.fibre_length_widget()
    loop.run_next()                                   # the live figure is made
    picture = fibres.picture
    inside, release = threading.Event(), threading.Event()
    real = picture.drawing.update

    def slow_update(artists, hip):
        if hip == 75:                                 # the unseen drawing: held half-way
            inside.set()
            release.wait(10)
        real(artists, hip)

    picture.drawing = dataclasses.replace(picture.drawing, update=slow_update)
    unseen = threading.Thread(target=picture._draw_unseen, args=(75,))
    unseen.start()
    assert inside.wait(10)
    shown = picture.png
    move = threading.Thread(target=setattr, args=(fibres.hip, "value", 60))
    move.start()
    move.join(0.3)
    assert move.is_alive() and picture.png == shown, "the move drew during another drawing"
    release.set()
    unseen.join(10)
    move.join(10)
    assert np.array_equal(pixels(picture.png), _fresh_fibres(60))
