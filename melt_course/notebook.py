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
from .widgets.quiz import quiz_for as quiz
from .widgets.startle import diaphragm_psoas, startle_timeline, stress_hormones
from .widgets.startle_text import known_vs_claimed, startle_onsets, stress_model_note
from .widgets.text import course_map, disclaimer, evidence_labels, references

__all__ = ["anatomy_card", "anatomy_explorer", "anatomy_picture", "balance_lab",
           "balance_parameters", "course_map", "diaphragm_psoas", "disclaimer", "evidence_labels",
           "four_words", "gait2392_check", "grf_table", "hip_demo", "known_vs_claimed",
           "model_parameters", "neurocore", "psoas_explorer", "psoas_minor_chart", "quiz",
           "references", "sensory_experiment", "startle_onsets", "startle_timeline",
           "stress_hormones", "stress_model_note"]
