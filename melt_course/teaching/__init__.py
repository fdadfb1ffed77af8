"""Tools for facilitators: the class report, agendas, the facilitator kit, routine and lesson
handouts. Imports any layer below the widgets.
"""
