"""Widgets layer: thin ipywidgets wrappers around the figures layer.

A diagram widget keeps one figure alive, updates its artists when a control moves, and shows
the rendered PNG bytes in an ``ipywidgets.Image`` with a text description below.
"""
