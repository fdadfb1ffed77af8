"""Estimated lesson times come from the stated reading-speed rule (content/timing.py)."""

import json
from pathlib import Path

import pytest

from melt_course.content import course, timing

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


@pytest.mark.parametrize("les", course.load_course(), ids=lambda les: les.id)
def test_course_map_minutes_follow_the_rule(les):
    t = timing.estimate(NOTEBOOKS / les.notebook)
    assert les.minutes == t.minutes, (
        f"lesson {les.id}: the rule gives {t.minutes} minutes ({t.words} words, {t.tables} "
        f"tables, {t.widgets} widgets, {t.questions} questions, {t.routines:.1f} min of "
        f"routines); set \"minutes\": {t.minutes} in course.json and the lesson's overview")


def test_rule_counts_words_widgets_and_questions(tmp_path):
    cells = [{"cell_type": "markdown", "source": ["word " * 300]},
             {"cell_type": "code", "source": ["mc.psoas_explorer()"]},
             {"cell_type": "code", "source": ["mc.flexor_table()"]},
             {"cell_type": "code", "source": ["mc.references(\"gray1918\")"]}]
    nb = tmp_path / "x.ipynb"
    nb.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    t = timing.estimate(nb)
    assert (t.words, t.widgets, t.tables, t.questions) == (300, 1, 1, 0)
    assert t.exact == pytest.approx(300 / timing.WORDS_PER_MINUTE + 3 + 1)
    assert t.minutes == 10
    cells.append({"cell_type": "markdown", "source": ["word " * 1500]})   # ten more minutes
    nb.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    assert timing.estimate(nb).minutes == 20


def test_an_unclassified_call_is_refused(tmp_path):
    nb = tmp_path / "x.ipynb"
    nb.write_text(json.dumps({"cells": [{"cell_type": "code", "source": ["mc.mystery()"]}]}),
                  encoding="utf-8")
    with pytest.raises(ValueError, match=r"mc\.mystery"):
        timing.estimate(nb)
