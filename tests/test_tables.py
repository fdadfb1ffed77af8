"""The widgets' one table helper: HTML readouts and Markdown tables keep every cell whole,
whatever the text holds, and a ragged row is a clear error."""

import re
from html.parser import HTMLParser

import pytest

from melt_course.widgets.biomech import gait2392_check, model_parameters
from melt_course.widgets.hip_flexors import flexor_table, psoas_actions
from melt_course.widgets.neurocore import balance_parameters, grf_table
from melt_course.widgets.routine_text import routine_overview
from melt_course.widgets.startle_text import known_vs_claimed, startle_onsets
from melt_course.widgets.tables import html_table, markdown_table
from melt_course.widgets.text import evidence_labels

AWKWARD = ["a | b", "<b>bold?</b> & 'quotes'", "two\nlines", ""]


class _Cells(HTMLParser):
    """The table as a browser reads it: caption, and per row a list of (tag, text) cells."""

    def __init__(self) -> None:
        super().__init__()
        self.rows, self.caption, self._cell, self._in_caption = [], None, None, False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = [tag, ""]
        elif tag == "caption":
            self._in_caption, self.caption = True, ""
        elif tag != "table":
            raise AssertionError(f"a tag the table did not mean to have: <{tag}>")

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self.rows[-1].append(tuple(self._cell))
            self._cell = None
        elif tag == "caption":
            self._in_caption = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1] += data
        elif self._in_caption:
            self.caption += data


def _parse_html(text: str) -> _Cells:
    parser = _Cells()
    parser.feed(text)
    parser.close()
    return parser


def _markdown_rows(text: str) -> list[list[str]]:
    """Cells of each table line, split at unescaped pipes as a Markdown renderer does."""
    rows = []
    for line in text.splitlines():
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line.strip()[1:-1])
            rows.append([c.strip().replace("\\|", "|") for c in cells])
    return rows


def test_html_table_keeps_each_cell_whole_and_escaped():
    rows = [AWKWARD, ["1", "2", "3", "4"]]
    parsed = _parse_html(html_table(rows, ["h<1>", "h2", "h3", "h4"], caption="At 90° <hip>"))
    assert parsed.caption == "At 90° <hip>"
    assert parsed.rows[0] == [("th", "h<1>"), ("th", "h2"), ("th", "h3"), ("th", "h4")]
    assert parsed.rows[1:] == [[("td", c) for c in row] for row in rows]


def test_html_table_row_headers_and_no_header_row():
    parsed = _parse_html(html_table([("Fibre length", "10.2 cm"), ("Passive force", "3 N")],
                                    row_headers=True))
    assert parsed.caption is None
    assert parsed.rows == [[("th", "Fibre length"), ("td", "10.2 cm")],
                           [("th", "Passive force"), ("td", "3 N")]]


def test_markdown_table_keeps_each_cell_whole():
    text = markdown_table(["Name", "Note | aside", "Three", "Four"], [AWKWARD], caption="A | B")
    lines = text.splitlines()
    assert lines[:2] == ["**A \\| B**", ""]
    assert lines[3] == "|---|---|---|---|"
    assert _markdown_rows(text) == [["Name", "Note | aside", "Three", "Four"],
                                    ["---", "---", "---", "---"],
                                    ["a | b", "<b>bold?</b> & 'quotes'", "two lines", ""]]


def test_markdown_table_without_caption_starts_with_the_header():
    assert markdown_table(["A", "B"], [[1, 2.5]]) == "| A | B |\n|---|---|\n| 1 | 2.5 |"


@pytest.mark.parametrize("make", [lambda rows: markdown_table(["A", "B", "C"], rows),
                                  lambda rows: html_table(rows, ["A", "B", "C"]),
                                  lambda rows: html_table(rows)])
def test_a_ragged_row_is_a_clear_bounded_error(make):
    rows = [["1", "2", "3"], ["only", "x" * 500]]
    with pytest.raises(ValueError, match=r"table row 1 has 2 cells, expected 3") as err:
        make(rows)
    assert "only" in str(err.value) and len(str(err.value)) < 160


@pytest.mark.parametrize("block", [flexor_table, psoas_actions, evidence_labels, gait2392_check,
                                   model_parameters, balance_parameters, grf_table,
                                   routine_overview, known_vs_claimed, startle_onsets],
                         ids=lambda f: f.__name__)
def test_course_tables_are_rectangular(block):
    rows = _markdown_rows(repr(block()))
    assert len(rows) > 2 and {len(r) for r in rows} == {len(rows[0])}
    assert all(cell for row in rows for cell in row[:1])
