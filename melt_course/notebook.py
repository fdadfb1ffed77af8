"""Everything a lesson notebook calls, in one import: ``from melt_course import notebook as mc``.

This is the top layer's facade: it may import from every layer. Lessons call one- or two-line
functions from here; no notebook defines data or helper code of its own.
"""

from .widgets.demo import hip_demo
from .widgets.player import player, session_builder
from .widgets.quiz import quiz_for as quiz
from .widgets.routine_text import routine_overview, routine_steps, safety_checklist, timing_note
from .widgets.selfassessment import self_assessment_log
from .widgets.text import course_map, disclaimer, evidence_labels, references

__all__ = ["course_map", "disclaimer", "evidence_labels", "hip_demo", "player", "quiz",
           "references", "routine_overview", "routine_steps", "safety_checklist",
           "self_assessment_log", "session_builder", "timing_note"]
