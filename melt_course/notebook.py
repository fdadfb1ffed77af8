"""Everything a lesson notebook calls, in one import: ``from melt_course import notebook as mc``.

This is the top layer's facade: it may import from every layer. Lessons call one- or two-line
functions from here; no notebook defines data or helper code of its own.
"""

from .widgets.demo import hip_demo
from .widgets.quiz import quiz_for as quiz
from .widgets.review import leitner_table
from .widgets.review import mastery_chart as mastery
from .widgets.review import review_widget as review
from .widgets.text import course_map, disclaimer, evidence_labels, references

__all__ = ["course_map", "disclaimer", "evidence_labels", "hip_demo", "leitner_table", "mastery",
           "quiz", "references", "review"]
