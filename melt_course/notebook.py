"""Everything a lesson notebook calls, in one import: ``from melt_course import notebook as mc``.

This is the top layer's facade: it may import from every layer. Lessons call one- or two-line
functions from here; no notebook defines data or helper code of its own.

Names are imported on first use (PEP 562 ``__getattr__``), so a lesson's setup cell loads only
what that lesson calls: the import stays light, and matplotlib is not imported at all until a
figure is drawn.
"""

from __future__ import annotations

import importlib

#: Name -> (module below ``melt_course``, attribute in it).
_WHERE = {
    "anatomy_card": ("widgets.anatomy", "anatomy_card"),
    "anatomy_explorer": ("widgets.anatomy", "anatomy_explorer"),
    "anatomy_picture": ("widgets.anatomy", "anatomy_picture"),
    "balance_lab": ("widgets.balance", "balance_lab"),
    "balance_parameters": ("widgets.neurocore", "balance_parameters"),
    "course_map": ("widgets.text", "course_map"),
    "diaphragm_psoas": ("widgets.startle", "diaphragm_psoas"),
    "disclaimer": ("widgets.text", "disclaimer"),
    "evidence_labels": ("widgets.text", "evidence_labels"),
    "emg_panel": ("widgets.hip_flexors", "emg_panel"),
    "fibre_length_widget": ("widgets.hip_flexors", "fibre_length_widget"),
    "flexor_table": ("widgets.hip_flexors", "flexor_table"),
    "four_words": ("widgets.biomech", "four_words"),
    "gait_cycle": ("widgets.hip_flexors", "gait_cycle_widget"),
    "gait2392_check": ("widgets.biomech", "gait2392_check"),
    "glossary": ("widgets.text", "glossary"),
    "grf_table": ("widgets.neurocore", "grf_table"),
    "hip_demo": ("widgets.demo", "hip_demo"),
    "hip_flexor_comparison": ("widgets.hip_flexors", "hip_flexor_comparison"),
    "known_vs_claimed": ("widgets.startle_text", "known_vs_claimed"),
    "learner_name": ("widgets.learner_name", "learner_name_box"),
    "leitner_table": ("widgets.review", "leitner_table"),
    "mastery": ("widgets.review", "mastery_chart"),
    "model_parameters": ("widgets.biomech", "model_parameters"),
    "neurocore": ("widgets.neurocore", "neurocore_table"),
    "player": ("widgets.player", "player"),
    "psoas_actions": ("widgets.hip_flexors", "psoas_actions"),
    "psoas_explorer": ("widgets.biomech", "psoas_explorer"),
    "psoas_minor_chart": ("widgets.anatomy", "psoas_minor_chart"),
    "quiz_for": ("widgets.quiz", "quiz_for"),
    "references": ("widgets.text", "references"),
    "review": ("widgets.review", "review_widget"),
    "routine_overview": ("widgets.routine_text", "routine_overview"),
    "routine_steps": ("widgets.routine_text", "routine_steps"),
    "safety_checklist": ("widgets.player", "safety_checklist"),
    "self_assessment_log": ("widgets.selfassessment", "self_assessment_log"),
    "sensory_experiment": ("widgets.neurocore", "sensory_experiment"),
    "session_builder": ("widgets.player", "session_builder"),
    "startle_onsets": ("widgets.startle_text", "startle_onsets"),
    "startle_timeline": ("widgets.startle", "startle_timeline"),
    "stress_hormones": ("widgets.startle", "stress_hormones"),
    "stress_model_note": ("widgets.startle_text", "stress_model_note"),
    "timing_note": ("widgets.routine_text", "timing_note"),
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    try:
        module, attr = _WHERE[name]
    except KeyError:
        raise AttributeError(f"melt_course.notebook has no {name!r}; lessons can call: "
                             f"{', '.join(__all__)}") from None
    value = getattr(importlib.import_module(f"{__package__}.{module}"), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)
