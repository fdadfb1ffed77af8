"""Printable handouts: one card per routine from the routine data (one A4 sheet printed on both
sides), with no broken links."""

from __future__ import annotations

from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from melt_course.cli.main import main
from melt_course.content import bibliography, routines
from melt_course.content.safety import load_safety_screen
from melt_course.teaching import routine_handouts as handouts


class _Links(HTMLParser):
    """Collects ids, hrefs and visible text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a":
            self.hrefs.append(attrs.get("href") or "")

    def handle_data(self, data):
        self.text.append(data)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("handouts") / "new-folder"
    return out, handouts.write_handouts(out, pdf=False)


def test_one_page_per_standalone_routine_and_an_index(written):
    out, files = written
    standalone = [r for r in routines.library().values() if r.standalone]
    assert sorted(p.name for p in files) == sorted(
        [handouts.handout_filename(r) for r in standalone] + ["index.html"])
    assert all(p.parent == out and p.stat().st_size > 0 for p in files)
    index = " ".join(_parse(out / "index.html").text)
    for routine in standalone:
        assert routine.name in index


@pytest.mark.parametrize("routine", [r for r in routines.library().values() if r.standalone],
                         ids=lambda r: r.id)
def test_each_page_carries_every_step_label_provenance_safety_and_references(written, routine):
    out, _files = written
    page = _parse(out / handouts.handout_filename(routine))
    text = " ".join(unescape(" ".join(page.text)).split())
    if routine.includes() and all(part.standalone for part in routine.includes()):
        for part in routine.includes():  # an overview: each part links to its own card
            assert part.name in text and handouts.handout_filename(part) in page.hrefs
    else:
        for i, step in enumerate(routine.steps(), 1):
            assert f"step-{i}" in page.ids
            assert step.name in text and (step.instruction in text or "As step " in text)
        assert "MELT step, documented" in text or "not documented" in text
        if any(s.provenance == "not documented" for s in routine.steps()):
            assert "follow the official MELT On Demand video" in text
        if any(s.provenance == "course" for s in routine.steps()):
            assert "The course's own addition (not MELT)" in text
    assert f"{routine.purpose.text} ({routine.purpose.label})" in text
    for item in load_safety_screen().items:  # confirm statements in full, warnings in short
        assert (item.text if item.kind == "confirm" else item.short) in text
    for note in routine.safety:
        assert note in text
    for key in routine.all_refs():
        assert f"ref-{key}" in page.ids
    if routine.gaps:
        assert routine.gaps in text
    assert routines.timing_conventions() in text


def test_no_broken_links(written):
    out, files = written
    known = {ref.link for ref in bibliography.load_bibliography().values()}
    for path in files:
        page = _parse(path)
        assert page.hrefs, f"{path.name} has no links"
        for href in page.hrefs:
            if href.startswith("#"):
                assert href[1:] in page.ids, f"{path.name}: {href} points nowhere"
            elif href.startswith(("http://", "https://")):
                assert href in known, f"{path.name}: {href} is not a bibliography link"
            else:
                assert (out / href).is_file(), f"{path.name}: {href} is missing"


def test_cli_writes_handouts_and_keeps_lab(tmp_path, capsys):
    assert main(["handouts", "--out", str(tmp_path), "--no-pdf"]) == 0
    printed = capsys.readouterr().out.split()
    assert str(tmp_path / "rebalance.html") in printed
    assert (tmp_path / "index.html").is_file()
    assert not list(tmp_path.glob("*.pdf"))
    with pytest.raises(SystemExit) as info:
        main(["handouts"])  # --out is required
    assert info.value.code == 2
    with pytest.raises(SystemExit):
        main(["lab", "--port", "0"])  # the lab subcommand still parses its options


def test_cli_refuses_a_file_as_output_folder(tmp_path, capsys):
    target = tmp_path / "a-file"
    target.write_text("x")
    assert main(["handouts", "--out", str(target), "--no-pdf"]) == 1
    assert "is not a folder" in capsys.readouterr().err


def test_pdf_is_printed_with_chromium(written, tmp_path):
    chromium = handouts.find_chromium()
    if chromium is None:
        pytest.skip("Chromium is not installed here; the handouts are HTML only")
    out, _files = written
    pdf = tmp_path / "rest-assess.pdf"
    handouts.html_to_pdf(out / "rest-assess.html", pdf, chromium)
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_asking_for_pdfs_without_chromium_fails_clearly(tmp_path, monkeypatch):
    monkeypatch.setattr(handouts, "find_chromium", lambda: None)
    with pytest.raises(FileNotFoundError, match="no Chromium"):
        handouts.write_handouts(tmp_path, pdf=True)


def _pages(pdf: Path) -> list[str]:
    import pypdf

    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(pdf).pages]


_CARDS = [r for r in routines.library().values() if r.standalone]


@pytest.mark.parametrize("routine", _CARDS, ids=lambda r: r.id)
def test_each_card_prints_on_at_most_two_a4_pages_with_the_safety_box_whole(written, routine,
                                                                            tmp_path):
    chromium = handouts.find_chromium()
    assert chromium, "the print check needs Chromium"
    out, _files = written
    pdf = tmp_path / f"{routine.id}.pdf"
    handouts.html_to_pdf(out / handouts.handout_filename(routine), pdf, chromium)
    pages = _pages(pdf)
    assert len(pages) <= 2, f"{routine.name} prints {len(pages)} pages"
    promise = " ".join(handouts.PRINT_PROMISE.split())
    assert promise in " ".join(pages), "the card does not say how it prints"
    screen = load_safety_screen()
    first, last = screen.items[0].text[:40], screen.stop_rules[-1][-40:]
    holding = [i for i, text in enumerate(pages) if " ".join(first.split()) in text]
    assert holding and " ".join(last.split()) in pages[holding[0]], "the safety box is split"
    assert "False" not in " ".join(pages) and "(1 steps)" not in " ".join(pages)
