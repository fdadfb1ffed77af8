"""Tables for the widgets and text blocks: one way to write a readout table (HTML, under a
figure) and one way to write a Markdown table (a text block, readable as stored plain text)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

__all__ = ["html_table", "markdown_cell", "markdown_table"]

_TH = "<th style='text-align:left;padding-right:1em'>"
_TD = "<td style='padding-right:1em'>"


def _check_rows(header: Sequence | None, rows: Sequence[Sequence]) -> None:
    width = len(header) if header is not None else (len(rows[0]) if rows else 0)
    for i, row in enumerate(rows):
        if len(row) != width:
            shown = repr(list(row))
            shown = shown if len(shown) <= 80 else shown[:77] + "..."
            raise ValueError(f"table row {i} has {len(row)} cells, expected {width}: {shown}")


def html_table(rows: Sequence[Sequence], header: Sequence | None = None, caption: str = "",
               row_headers: bool = False) -> str:
    """An HTML readout table (class ``melt-readout``), every cell escaped.

    Parameters
    ----------
    rows : sequence of sequences
        The body, one sequence of cell texts a row (each turned into text with ``str``).
    header : sequence, optional
        Column headings; without it the table has no heading row.
    caption : str
        A caption above the table (none when empty).
    row_headers : bool
        Whether each row's first cell is a heading for that row.

    Returns
    -------
    str
        The table's HTML.

    Raises
    ------
    ValueError
        For a row whose number of cells differs from the header's (or the first row's).
    """
    _check_rows(header, rows)

    def row_html(row: Sequence) -> str:
        # an empty corner cell is not a heading (axe: empty-table-header)
        heads = [row_headers and j == 0 and str(c).strip() != "" for j, c in enumerate(row)]
        cells = [(_TH if head else _TD) + escape(str(c)) + ("</th>" if head else "</td>")
                 for head, c in zip(heads, row, strict=True)]
        return "<tr>" + "".join(cells) + "</tr>"

    cap = f"<caption style='text-align:left'>{escape(caption)}</caption>" if caption else ""
    head = ("<tr>" + "".join(f"{_TH}{escape(str(h))}</th>" if str(h).strip() else
                             f"{_TD}</td>" for h in header) + "</tr>"
            if header is not None else "")
    body = "".join(row_html(r) for r in rows)
    return f"<table class='melt-readout'>{cap}{head}{body}</table>"


def markdown_cell(text) -> str:
    """One Markdown table cell: a ``|`` escaped and a line break made a space."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_table(header: Sequence, rows: Sequence[Sequence], caption: str = "") -> str:
    """A Markdown table: readable as stored text, in JupyterLab, the app and a handout.

    Cells may hold Markdown (emphasis, citations); a ``|`` inside a cell is escaped.

    Parameters
    ----------
    header : sequence
        Column headings.
    rows : sequence of sequences
        The body, one sequence of cell texts a row, as long as ``header``.
    caption : str
        A bold line above the table (none when empty).

    Returns
    -------
    str
        The table's Markdown, lines joined by newlines, without a final newline.

    Raises
    ------
    ValueError
        For a row whose number of cells differs from the header's.
    """
    _check_rows(header, rows)

    def line(cells: Sequence) -> str:
        return "| " + " | ".join(markdown_cell(c) for c in cells) + " |"

    lines = [f"**{markdown_cell(caption)}**", ""] if caption else []
    lines += [line(header), "|" + "---|" * len(header)]
    lines += [line(r) for r in rows]
    return "\n".join(lines)
