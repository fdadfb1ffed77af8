"""Lesson 2's hip-flexor diagrams on a slider move: each model answer is computed once per
state and shared (bounded memory, never a stale answer after the state changes), and a move
repaints what changed, never a key or a still label (they sit where no moving artist goes).
The pictures themselves are checked against full draws in test_live_figure.py."""

import math

import pytest

from melt_course import notebook as mc
from melt_course.figures import hip_flexors as fh
from melt_course.models import fibres
from melt_course.models import reference as ref


def _fresh_scenarios(hip):
    """Each scenario's fibre length at ``hip``, by the array path (no memory involved)."""
    return {key: float(fibres.normalized_fibre_length(key, [hip, hip])[0])
            for key in fibres.SCENARIOS}


def test_fibre_lengths_follow_every_change_of_angle_and_stay_bounded():
    # Back and forth, with angles a whole-degree key would merge (5 and 5.5), numpy scalars
    # and a list a caller changes: every answer is that angle's own.
    for hip in (90, 5, 5.5, 90, -30, 5.5, 5, 120.0):
        rows = fibres.fibre_length_scenarios(hip)
        got = {s.key: v for s, v in rows}
        want = _fresh_scenarios(hip)
        assert got.keys() == want.keys()
        for key in want:
            assert math.isclose(got[key], want[key], rel_tol=1e-12), (hip, key)
        assert [v for _, v in rows] == sorted(v for _, v in rows)
        rows.clear()                                      # the caller's list, not the memory
    assert len(fibres.fibre_length_scenarios(90)) == len(fibres.SCENARIOS)
    for hip in range(-30, 121):                           # more angles than it keeps
        fibres.fibre_length_scenarios(hip + 0.25 if hip < 120 else hip)
    info = fibres._scenarios_at.cache_info()
    assert info.maxsize is not None and info.currsize <= info.maxsize
    with pytest.raises(ValueError, match="hip_flexion_deg='90'"):
        fibres.fibre_length_scenarios("90")
    with pytest.raises(ValueError, match="outside"):
        fibres.fibre_length_scenarios(121)


def test_flexor_moments_follow_model_knee_and_hip_changes():
    # The same hip in both models and both knees, in an order where a key missing the model
    # or the knee would hand back the previous posture's rows.
    for model, knee, hip in (("gait2392", 0, 45), ("rajagopal2016", 0, 45), ("gait2392", 90, 45),
                             ("rajagopal2016", 90, 45), ("gait2392", 0, 45.5),
                             ("gait2392", 0, 45)):
        rows = ref.flexor_moments(model, hip, knee)
        assert {r.muscle for r in rows} == set(ref.FLEXORS)
        for r in rows:
            assert (r.model, r.hip_flexion_deg, r.knee_flexion_deg) == (model, hip, knee)
            assert math.isclose(r.moment, ref.available_moment(model, r.muscle, hip, knee),
                                rel_tol=1e-12), (model, knee, hip, r.muscle)
        rows.reverse()                                    # the caller's list, not the memory
    assert ref.flexor_moments("gait2392", 45, 0)[0].moment >= ref.flexor_moments(
        "gait2392", 45, 0)[-1].moment
    info = ref._flexor_rows.cache_info()
    assert info.maxsize is not None and info.currsize <= info.maxsize


def test_fibre_widget_says_the_new_angle_everywhere_after_a_move():
    w = mc.fibre_length_widget(hip_flexion_deg=-30)
    w.picture.build()
    for hip in (40, 45, 40):
        w.hip.value = hip
        want = _fresh_scenarios(hip)
        lo, hi = min(want.values()), max(want.values())
        assert w.picture.artists["title"].get_text().startswith(
            f"At {hip}°: {lo:.2f} to {hi:.2f}")
        for key, s in fibres.SCENARIOS.items():
            assert f"{s.name}: {want[key]:.2f}" in w.picture.description
            assert f"{want[key]:.2f}" in w.readout.value
            dot = w.picture.artists["dots"][key]
            assert list(dot.get_xdata()) == [hip] and math.isclose(dot.get_ydata()[0],
                                                                    want[key], rel_tol=1e-12)


def test_comparison_says_the_new_model_and_knee_after_a_toggle():
    w = mc.hip_flexor_comparison()
    w.picture.build()
    for model, knee in (("rajagopal2016", 0), ("rajagopal2016", 90), ("gait2392", 90)):
        with w.quietly():
            w.model.value, w.knee.value = model, knee
        w.redraw()
        top = max(ref.FLEXORS, key=lambda m: ref.available_moment(model, m, 0, knee))
        names = [t.get_text() for t in w.picture.artists["names"]]
        assert names[0] == fh._SHORT[top]
        assert ref.MODEL_NAMES[model] in w.picture.artists["title"].get_text()
        assert f"{ref.available_moment(model, top, 0, knee):.0f} N m" in w.picture.description


def _drawn_per_move(widget, slider, narrow):
    """What each of a full sweep of slider moves drew over the background."""
    picture = widget.picture
    if narrow:
        picture._use(picture.wide.narrow)
    picture.build()
    picture._render()
    drawn = []
    fig = picture.fig
    real = fig.draw_artist
    fig.draw_artist = lambda artist: (drawn[-1].append(artist), real(artist))
    values = list(range(slider.min, slider.max + 1, slider.step))
    for value in values[1:] + values[:1]:
        drawn.append([])
        slider.value = value
    del fig.draw_artist
    return drawn


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
@pytest.mark.parametrize("which", ["comparison", "fibres", "gait"])
def test_a_slider_move_repaints_no_key_and_no_still_label(which, narrow):
    from matplotlib.legend import Legend
    from matplotlib.text import Text

    w = {"comparison": lambda: mc.hip_flexor_comparison(),
         "fibres": lambda: mc.fibre_length_widget(hip_flexion_deg=-30),
         "gait": lambda: mc.gait_cycle()}[which]()
    slider = w.percent if which == "gait" else w.hip
    moves = _drawn_per_move(w, slider, narrow)
    art = w.picture.artists
    changing = {id(art["title"])}
    if which == "comparison":       # the bars' numbers, names (on a new order) and title
        changing |= {id(t) for t in (*art["labels"], *art["names"], art["bar_title"])}
        changing -= {id(art["title"])}
    for artists in moves:
        assert not [a for a in artists if isinstance(a, Legend)], "a key was repainted"
        still = [a.get_text() for a in artists if isinstance(a, Text) and id(a) not in changing]
        assert not still, f"still labels repainted: {still}"
    assert w.picture.background_draws == 1
