"""Everything a lesson notebook calls, in one import: ``from melt_course import notebook as mc``.

This is the top layer's facade: it may import from every layer. Lessons call one- or two-line
functions from here; no notebook defines data or helper code of its own.
"""

from .widgets.anatomy import anatomy_card, anatomy_explorer, anatomy_picture, psoas_minor_chart
from .widgets.balance import balance_lab
from .widgets.biomech import four_words, gait2392_check, model_parameters, psoas_explorer
from .widgets.demo import hip_demo
from .widgets.neurocore import balance_parameters, grf_table, sensory_experiment
from .widgets.neurocore import neurocore_table as neurocore
from .widgets.player import player, session_builder
from .widgets.quiz import quiz_for as quiz
from .widgets.review import leitner_table
from .widgets.review import mastery_chart as mastery
from .widgets.review import review_widget as review
from .widgets.routine_text import routine_overview, routine_steps, safety_checklist, timing_note
from .widgets.selfassessment import self_assessment_log
from .widgets.startle import diaphragm_psoas, startle_timeline, stress_hormones
from .widgets.startle_text import known_vs_claimed, startle_onsets, stress_model_note
from .widgets.text import course_map, disclaimer, evidence_labels, references

__all__ = ["anatomy_card", "anatomy_explorer", "anatomy_picture", "balance_lab",
           "balance_parameters", "course_map", "diaphragm_psoas", "disclaimer", "evidence_labels",
           "four_words", "gait2392_check", "grf_table", "hip_demo", "known_vs_claimed",
           "leitner_table", "mastery", "model_parameters", "neurocore", "player",
           "psoas_explorer", "psoas_minor_chart", "quiz", "references", "review",
           "routine_overview", "routine_steps", "safety_checklist", "self_assessment_log",
           "sensory_experiment", "session_builder", "startle_onsets", "startle_timeline",
           "stress_hormones", "stress_model_note", "timing_note"]
