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


def naive_psoas():
    """interact() over a fresh pyplot figure of the lesson-2 explorer at every hip move."""
    from melt_course import biomech as bm
    from melt_course.figures.biomech import draw_force_length, draw_model, draw_moment_arm

    def show(hip):
        lam, muscle = bm.NEUTRAL_LORDOSIS_DEG, "psoas"
        with course_style():
            fig = plt.figure(figsize=(11.0, 6.0), layout="constrained")
            grid = fig.add_gridspec(2, 2, width_ratios=[1.15, 1.0])
            draw_model(fig.add_subplot(grid[:, 0]), hip, lam, muscle)
            draw_moment_arm(fig.add_subplot(grid[0, 1]), hip, lam, muscle)
            draw_force_length(fig.add_subplot(grid[1, 1]), bm.muscle_state(muscle, hip, lam))
            plt.show()

    widgets.interact(show, hip=widgets.IntSlider(value=0, min=-30, max=120, step=5))


def naive_startle():
    """interact() over a fresh pyplot figure of the lesson-3 startle view at every time move."""
    import math

    from melt_course.figures.startle import draw_startle_body, draw_startle_timeline
    from melt_course.startle import load_startle

    def show(t):
        with course_style():
            fig = plt.figure(figsize=(12.0, 5.4), layout="constrained")
            ax_body, ax_time = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.9]})
            draw_startle_body(ax_body, t)
            draw_startle_timeline(ax_time, t)
            plt.show()

    top = math.log10(load_startle().time_max_ms)
    widgets.interact(show, t=widgets.FloatLogSlider(value=1.0, base=10, min=0.0, max=top,
                                                    step=0.05))


def naive_stress():
    """interact() over a fresh pyplot figure of lesson 3's adrenaline and cortisol curves."""
    import math

    from melt_course.figures.startle import draw_stress
    from melt_course.startle import load_stress_model

    def show(t):
        with course_style():
            _, ax = plt.subplots(figsize=(8.5, 4.6), layout="constrained")
            draw_stress(ax, t)
            plt.show()

    top = math.log10(load_stress_model().time_max_s)
    widgets.interact(show, t=widgets.FloatLogSlider(value=10.0, base=10, min=0.0, max=top,
                                                    step=0.05))


def naive_diaphragm():
    """interact() over a fresh pyplot figure of lesson 3's diaphragm and psoas at every move."""
    from melt_course.figures.startle import draw_diaphragm_psoas

    def show(inhale):
        with course_style():
            _, ax = plt.subplots(figsize=(7.6, 5.9), layout="constrained")
            draw_diaphragm_psoas(ax, inhale)
            plt.show()

    widgets.interact(show, inhale=widgets.FloatSlider(value=0.0, min=0.0, max=1.0, step=0.05))
