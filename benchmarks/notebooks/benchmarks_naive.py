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
