"""Naive redraw baselines for bench_slider.py: a new pyplot figure per slider move (interact).

This is the pattern the course avoids; it exists only to be measured against.
"""

import math

import ipywidgets as widgets
import matplotlib.pyplot as plt

from melt_course.figures import course_style


def _interact_redraw(draw, size, slider):
    """interact() making a brand-new pyplot figure of ``size`` inches at every slider move.

    ``draw(fig, value)`` fills the new figure for the slider's value.
    """

    def show(value):
        with course_style():
            fig = plt.figure(figsize=size, layout="constrained")
            draw(fig, value)
            plt.show()

    widgets.interact(show, value=slider)


def _log_slider(start, top):
    return widgets.FloatLogSlider(value=start, base=10, min=0.0, max=math.log10(top), step=0.05)


def naive_hip():
    """The start notebook's leg."""
    from melt_course.figures.demo import draw_leg

    _interact_redraw(lambda fig, hip: draw_leg(fig.subplots(), hip), (4.2, 4.2),
                     widgets.IntSlider(value=0, min=-30, max=120, step=5))


def naive_balance():
    """The balance lab's three panels, at every gain move."""
    from melt_course.figures.balance import draw_balance
    from melt_course.models.balance import simulate

    def draw(fig, gain):
        axes = fig.subplots(1, 3, gridspec_kw={"width_ratios": [2.3, 1.25, 0.75]})
        draw_balance(list(axes), simulate(gain=gain))

    _interact_redraw(draw, (9.6, 4.0), widgets.FloatSlider(value=1.5, min=0.0, max=4.0,
                                                           step=0.05))


def naive_psoas():
    """The lesson-2 explorer's three panels, at every hip move."""
    from melt_course.figures.biomech import draw_force_length, draw_model, draw_moment_arm
    from melt_course.models import biomech as bm

    def draw(fig, hip):
        lam, muscle = bm.NEUTRAL_LORDOSIS_DEG, "psoas"
        grid = fig.add_gridspec(2, 2, width_ratios=[1.15, 1.0])
        draw_model(fig.add_subplot(grid[:, 0]), hip, lam, muscle)
        draw_moment_arm(fig.add_subplot(grid[0, 1]), hip, lam, muscle)
        draw_force_length(fig.add_subplot(grid[1, 1]), bm.muscle_state(muscle, hip, lam))

    _interact_redraw(draw, (11.0, 6.0), widgets.IntSlider(value=0, min=-30, max=120, step=5))


def naive_startle():
    """The lesson-3 startle view (body and timeline), at every time move."""
    from melt_course.figures.startle import draw_startle_body, draw_startle_timeline
    from melt_course.models.startle import load_startle

    def draw(fig, t):
        ax_body, ax_time = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.9]})
        draw_startle_body(ax_body, t)
        draw_startle_timeline(ax_time, t)

    _interact_redraw(draw, (12.0, 5.4), _log_slider(1.0, load_startle().time_max_ms))


def naive_stress():
    """Lesson 3's adrenaline and cortisol curves, at every time move."""
    from melt_course.figures.startle import draw_stress
    from melt_course.models.startle import load_stress_model

    _interact_redraw(lambda fig, t: draw_stress(fig.subplots(), t), (8.5, 4.6),
                     _log_slider(10.0, load_stress_model().time_max_s))


def naive_diaphragm():
    """Lesson 3's diaphragm and psoas, at every breath move."""
    from melt_course.figures.startle import draw_diaphragm_psoas

    _interact_redraw(lambda fig, inhale: draw_diaphragm_psoas(fig.subplots(), inhale),
                     (7.6, 5.9), widgets.FloatSlider(value=0.0, min=0.0, max=1.0, step=0.05))


def _interact_figure(make, slider):
    """interact() making the whole figure again at every slider move and displaying it.

    For the figure modules that build a complete figure (``make(value) -> (figure, artists)``)
    rather than drawing into given axes.
    """
    from IPython.display import display

    def show(value):
        with course_style():
            fig, _ = make(value)
            display(fig)

    widgets.interact(show, value=slider)


def naive_flexors():
    """Lesson 2's hip-flexor comparison (gait2392, knee straight), at every hip move."""
    from melt_course.figures.hip_flexors import flexors_figure

    _interact_figure(lambda hip: flexors_figure("gait2392", 0, hip),
                     widgets.IntSlider(value=0, min=-30, max=120, step=5))


def naive_fibres():
    """Lesson 2's fibre-length figure, at every hip move (from -30 degrees, as the bench)."""
    from melt_course.figures.hip_flexors import fibres_figure

    _interact_figure(fibres_figure, widgets.IntSlider(value=-30, min=-30, max=120, step=5))


def naive_gait():
    """Lesson 2's walking step, at every move of the gait-cycle slider."""
    from melt_course.figures.hip_flexors import gait_figure

    _interact_figure(gait_figure, widgets.IntSlider(value=0, min=0, max=100, step=2))
