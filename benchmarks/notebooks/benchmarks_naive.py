"""Naive redraw baselines for bench_slider.py: a new pyplot figure per slider move (interact).

This is the pattern the course avoids; it exists only to be measured against.
"""

import ipywidgets as widgets
import matplotlib.pyplot as plt

from melt_course.figures import course_style
from melt_course.figures.demo import draw_leg


def naive_hip():
    """interact() over a fresh figure of the start notebook's leg at every move."""

    def show(hip_flexion):
        with course_style():
            _, ax = plt.subplots(figsize=(4.2, 4.2), layout="constrained")
            draw_leg(ax, hip_flexion)
            plt.show()

    widgets.interact(show, hip_flexion=widgets.IntSlider(value=0, min=-30, max=120, step=5))


def naive_balance():
    """interact() over a fresh three-panel figure of the balance lab at every gain move."""
    from melt_course.balance import simulate
    from melt_course.figures.balance import draw_balance

    def show(gain):
        with course_style():
            fig = plt.figure(figsize=(9.6, 4.0), layout="constrained")
            axes = fig.subplots(1, 3, gridspec_kw={"width_ratios": [2.3, 1.25, 0.75]})
            draw_balance(list(axes), simulate(gain=gain))
            plt.show()

    widgets.interact(show, gain=widgets.FloatSlider(value=1.5, min=0.0, max=4.0, step=0.05))


def _show_figure(fig):
    """Display a pyplot-free figure the naive way: as a fresh PNG output."""
    from IPython.display import display

    display(fig)


def naive_psoas():
    """interact() over a fresh lesson-2 explorer figure at every hip move."""
    from melt_course.figures.biomech import explorer_figure

    widgets.interact(lambda hip: _show_figure(explorer_figure(float(hip))[0]),
                     hip=widgets.IntSlider(value=0, min=-30, max=120, step=5))


def naive_startle():
    """interact() over a fresh lesson-3 startle figure at every time move."""
    import math

    from melt_course.figures.startle import startle_figure
    from melt_course.startle import load_startle

    top = math.log10(load_startle().time_max_ms)
    widgets.interact(lambda t: _show_figure(startle_figure(t)[0]),
                     t=widgets.FloatLogSlider(value=1.0, base=10, min=0.0, max=top, step=0.05))


def naive_stress():
    """interact() over a fresh lesson-3 adrenaline/cortisol figure at every time move."""
    import math

    from melt_course.figures.startle import stress_figure
    from melt_course.startle import load_stress_model

    top = math.log10(load_stress_model().time_max_s)
    widgets.interact(lambda t: _show_figure(stress_figure(t)[0]),
                     t=widgets.FloatLogSlider(value=10.0, base=10, min=0.0, max=top, step=0.05))


def naive_diaphragm():
    """interact() over a fresh lesson-3 diaphragm-psoas figure at every breath move."""
    from melt_course.figures.startle import diaphragm_figure

    widgets.interact(lambda inhale: _show_figure(diaphragm_figure(inhale)[0]),
                     inhale=widgets.FloatSlider(value=0.0, min=0.0, max=1.0, step=0.05))
