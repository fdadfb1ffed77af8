"""How long a lesson takes: the course's reading-speed rule, applied to a lesson notebook.

The estimated minutes in ``data/course.json`` (and in each lesson's overview) are not guesses:
they come from this rule, and ``tests/test_timing.py`` fails when a lesson and its stated time
drift apart.

**The rule.**

* Prose: every word of the markdown cells at :data:`WORDS_PER_MINUTE` (150) words a minute, a
  slow reading speed, because the text is technical and many learners are not scientists.
* Tables and static pictures (a call that shows something without controls):
  :data:`TABLE_MINUTES` (1) minute each.
* Interactive widgets (a call with controls to move): :data:`WIDGET_MINUTES` (3) minutes each,
  for trying the "Try this" prompts.
* A routine played with a timer: its own length (the routine data's seconds), plus one
  minute to get into position.
* Quiz: :data:`QUESTION_MINUTES` (1) minute per question in the lesson's question bank.
* Setup, reference lists, notes and the navigation bars (cells tagged ``lesson-nav``): nothing.
* The total is rounded up to the next 5 minutes.
"""

from __future__ import annotations

import ast
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from melt_course.content.course import NAV_TAG

__all__ = ["QUESTION_MINUTES", "TABLE_MINUTES", "WIDGET_MINUTES", "WORDS_PER_MINUTE",
           "LessonTime", "estimate"]

WORDS_PER_MINUTE = 150
TABLE_MINUTES = 1.0
WIDGET_MINUTES = 3.0
QUESTION_MINUTES = 1.0
ROUND_TO = 5

#: ``mc.`` calls that show a widget with controls.
INTERACTIVE = frozenset({
    "anatomy_explorer", "balance_lab", "diaphragm_psoas", "emg_panel", "fibre_length_widget",
    "four_words", "gait_cycle", "hip_demo", "hip_flexor_comparison", "psoas_explorer",
    "review", "self_assessment_log", "sensory_experiment", "session_builder",
    "startle_timeline", "stress_hormones", "safety_checklist",
})
#: ``mc.`` calls that show a table, card or static picture.
STATIC = frozenset({
    "anatomy_card", "anatomy_picture", "balance_parameters", "course_map", "evidence_labels",
    "flexor_table", "gait2392_check", "grf_table", "known_vs_claimed", "leitner_table",
    "mastery", "model_parameters", "neurocore", "psoas_actions", "psoas_minor_chart",
    "routine_overview", "routine_steps", "startle_onsets",
})
#: Calls that take no learner time.
FREE = frozenset({"references", "glossary", "disclaimer", "stress_model_note", "timing_note",
                  "learner_name"})

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.,%°-]*")
_CALL = re.compile(r"\bmc\.([a-z_0-9]+)\(")


@dataclass(frozen=True)
class LessonTime:
    """The parts of a lesson's estimated time (minutes) and the rounded total."""

    words: int
    reading: float
    tables: int
    widgets: int
    routines: float
    questions: int
    minutes: int

    @property
    def exact(self) -> float:
        """The unrounded total, minutes."""
        return (self.reading + self.tables * TABLE_MINUTES + self.widgets * WIDGET_MINUTES
                + self.routines + self.questions * QUESTION_MINUTES)


def _prose_words(text: str) -> int:
    text = re.sub(r"\[@[^\]]+\]", " ", text)                 # citation keys are not read
    text = re.sub(r"\(?\[[^\[\]\n]+\]\(#ref-[^)]*\)(?:; |\))?", " ", text)  # nor linked ones
    text = re.sub(r"\]\(#term-[^)]*\)", "]", text)           # a term's link: its words only
    text = re.sub(r"[#*_`|>]", " ", text)
    return len(_WORD.findall(text))


def _routine_minutes(call: str) -> float:
    from melt_course.content import routines

    args = ast.parse(call.strip()).body[0].value.args
    names = [a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return sum(routines.get(n).total_seconds() / 60.0 + 1.0 for n in names)


def estimate(notebook: str | Path) -> LessonTime:
    """Apply the rule to one lesson notebook.

    Raises
    ------
    ValueError
        For a ``mc.`` call the rule does not classify (add it to one of the sets above).
    """
    from melt_course.content import quiz

    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    words = tables = widgets = questions = 0
    routines_min = 0.0
    for cell in cells:
        source = "".join(cell["source"])
        if NAV_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        if cell["cell_type"] == "markdown":
            words += _prose_words(source)
            continue
        for name in _CALL.findall(source):
            if name in ("quiz", "quiz_for"):
                lesson = re.search(r"mc\.quiz(?:_for)?\(\s*['\"](\d\d)['\"]", source).group(1)
                questions += len(quiz.by_lesson(lesson))
            elif name in ("player",):
                routines_min += _routine_minutes(source)
            elif name in INTERACTIVE:
                widgets += 1
            elif name in STATIC:
                tables += 1
            elif name not in FREE:
                raise ValueError(f"mc.{name}() in {Path(notebook).name} is not classified by "
                                 "the timing rule (interactive, static or free)")
    reading = words / WORDS_PER_MINUTE
    partial = LessonTime(words, reading, tables, widgets, routines_min, questions, 0)
    minutes = int(math.ceil(partial.exact / ROUND_TO - 1e-9) * ROUND_TO)
    return LessonTime(words, reading, tables, widgets, routines_min, questions, minutes)
