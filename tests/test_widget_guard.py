"""One guarded path for every widget callback: an exception in a callback is shown to the learner
in the widget, logged with its traceback, and cleared by the next call that works.

Three kinds of test: the guard itself; a scan of the source (no ``observe``/``on_click`` in
``melt_course/widgets`` outside :func:`melt_course.widgets.base.connect`); and every callback of
every widget each lesson notebook displays, made to fail, showing its error where the learner
sees it.
"""

import ast
import dataclasses
import json
import logging
from html import escape
from pathlib import Path

import ipywidgets as W
import pytest

import melt_course.content.quiz as Q
from melt_course.figures.demo import LEG
from melt_course.widgets.base import CourseWidget, ErrorArea, connect, connections, guarded
from melt_course.widgets.demo import HipDemo, hip_demo
from melt_course.widgets.quiz import quiz_for

ROOT = Path(__file__).resolve().parent.parent
WIDGETS = ROOT / "melt_course" / "widgets"

#: Registering a callback on a widget: allowed only inside base.connect.
LISTENERS = {"observe", "on_click", "on_submit", "on_msg", "on_trait_change", "on_displayed",
             "interact", "interactive", "interact_manual"}


def test_demo_slider_error_is_shown_logged_and_cleared(monkeypatch, caplog):
    def broken(artists, angle):
        raise RuntimeError(f"cannot draw {angle}°")

    monkeypatch.setattr(HipDemo, "drawing", dataclasses.replace(LEG, update=broken))
    widget = hip_demo()
    widget.picture.build()   # past the stored first frame: moves now update artists
    assert widget.children[-1] is widget.error_area and not widget.error_area.showing
    assert widget.error_area.layout.display == "none"
    with caplog.at_level(logging.ERROR, logger="melt_course.widgets"):
        widget.slider.value = 45  # must not raise: ipywidgets would swallow it
    area = widget.error_area
    assert area.showing and area.layout.display != "none"
    assert "while moving the slider" in area.value
    assert "RuntimeError: cannot draw 45°" in area.value
    assert 'role="alert"' in area.value and "Traceback" not in area.value
    [record] = [r for r in caplog.records if r.name == "melt_course.widgets"]
    assert "_on_control" in record.getMessage() and record.exc_info is not None
    widget.picture.drawing = LEG
    widget.slider.value = 50
    assert not area.showing and area.layout.display == "none"
    assert "50 degrees" in widget.picture.text.value


def test_error_text_is_escaped():
    area = ErrorArea()
    area.show(ValueError("<script>alert(1)</script>"), "checking <b>")
    assert "<script>" not in area.value and "&lt;script&gt;" in area.value
    assert "checking &lt;b&gt;" in area.value


def test_quiz_check_error_is_shown_on_the_question_card(monkeypatch):
    quiz = quiz_for("00", store=None)
    card = quiz.cards[0]
    card.set_answer(card.question.answer if card.question.type != "multiple"
                    else list(card.question.answer))

    def broken(question, answer):
        raise KeyError("feedback table missing")

    monkeypatch.setattr(Q, "grade", broken)
    card.check_button.click()  # the learner presses Check
    assert card.error_area.showing
    assert "while checking your answer" in card.error_area.value
    assert "KeyError: &#x27;feedback table missing&#x27;" in card.error_area.value
    assert card.attempts == 0 and quiz.score_counts()["answered"] == 0
    monkeypatch.undo()
    card.check_button.click()
    assert not card.error_area.showing and card.attempts == 1


def test_guard_returns_the_result_and_none_after_an_error():
    widget = CourseWidget([W.Label("x")])
    assert widget.guard(lambda a, b=1: a + b)(2, b=3) == 5
    assert widget.guard(lambda: [][1])() is None
    assert "IndexError" in widget.error_area.value


def test_guard_puts_the_error_area_back_when_children_were_replaced():
    widget = CourseWidget([W.Label("x")])
    widget.children = (W.Label("replaced"),)
    widget.guard(lambda: 1 / 0, action="replacing")()
    assert widget.children[-1] is widget.error_area
    assert "while replacing" in widget.error_area.value


def test_guard_does_not_hide_keyboard_interrupts():
    widget = CourseWidget()

    def stop():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        widget.guard(stop)()


def test_guarded_refuses_bad_arguments():
    with pytest.raises(ValueError, match=r"callback 42 is not callable"):
        guarded(42, ErrorArea())
    with pytest.raises(ValueError, match=r"area 'here' is not an ErrorArea"):
        guarded(print, "here")


# ---------------------------------------------------------------------- the source scan

def unguarded_registrations(source: str, filename: str) -> list[str]:
    """Calls that register a widget callback outside ``connect`` (``file:line name``)."""
    tree = ast.parse(source, filename)
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "connect" and \
                filename.endswith("base.py"):
            allowed.update(id(n) for n in ast.walk(node))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or id(node) in allowed:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else \
            func.id if isinstance(func, ast.Name) else None
        if name in LISTENERS:
            found.append(f"{Path(filename).name}:{node.lineno} {name}")
    return found


def test_no_widget_registers_a_callback_outside_connect():
    found = []
    for path in sorted(WIDGETS.rglob("*.py")):
        found += unguarded_registrations(path.read_text(encoding="utf-8"), str(path))
    assert not found, ("callbacks registered without the guard (use CourseWidget.connect or "
                       f"base.connect): {found}")


def test_the_scan_finds_a_planted_unguarded_callback():
    planted = (WIDGETS / "demo.py").read_text(encoding="utf-8").replace(
        "        super().__init__(controls=[self.slider]",
        "        self.slider.observe(print, names='value')\n"
        "        super().__init__(controls=[self.slider]")
    line = planted.splitlines().index("        self.slider.observe(print, names='value')") + 1
    assert unguarded_registrations(planted, "demo.py") == [f"demo.py:{line} observe"]
    button = "b = W.Button()\nb.on_click(lambda _b: None)\n"
    assert unguarded_registrations(button, "player.py") == ["player.py:2 on_click"]


# ---------------------------------------------------------------------- every lesson's widgets

def _displayed(notebook: Path) -> list:
    """What each code cell of a lesson shows: its last expression's value (as IPython)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    namespace: dict = {"__name__": "__lesson__"}
    shown = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, notebook.name, "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), notebook.name, "eval"), namespace)
            if value is not None:
                shown.append(value)
    return shown


def _tree(widget, path=()):
    """Every widget under ``widget`` with the chain of its ancestors."""
    yield widget, path
    for child in getattr(widget, "children", ()):
        yield from _tree(child, (*path, widget))


def _visible(widget, ancestors) -> bool:
    return all(getattr(w, "layout", None) is None or w.layout.display != "none"
               for w in (*ancestors, widget))


def _lesson_connections():
    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for root in _displayed(notebook):
            if not isinstance(root, W.Widget):
                continue
            seen = set()
            for widget, _ in list(_tree(root)):
                for conn in connections(widget):
                    if id(conn) not in seen:
                        seen.add(id(conn))
                        yield notebook.stem, root, conn


def test_every_callback_of_every_lesson_widget_shows_its_errors(tmp_path, monkeypatch):
    """Each lesson's displayed widgets: make each callback fail in turn, fire its control as a
    learner would, and find the message in an error area the learner can see."""
    monkeypatch.setenv("MELT_COURSE_PROGRESS", str(tmp_path))
    checked: dict[str, int] = {}
    for lesson, root, conn in _lesson_connections():
        def broken(*_args, _what=conn.action):
            raise RuntimeError(f"planted failure while {_what}")

        real, conn.callback = conn.callback, broken
        try:
            conn.fire()
        finally:
            conn.callback = real
        where = f"{lesson}: {type(conn.control).__name__} " \
                f"{getattr(conn.control, 'description', '')!r} " \
                f"({conn.action})"
        assert conn.area.showing, f"{where}: the error was not shown"
        assert escape(f"planted failure while {conn.action}") in conn.area.value, where
        chain = [(w, anc) for w, anc in _tree(root) if w is conn.area]
        assert chain, f"{where}: its error area is not inside the widget the lesson displays"
        assert _visible(*chain[0]), f"{where}: its error area is hidden"
        conn.area.clear()
        checked[lesson] = checked.get(lesson, 0) + 1
    # every lesson with controls was reached (a lesson that stops listening fails here)
    assert set(checked) == {"00_start_here", "01_meet_the_psoas", "02_psoas_in_motion",
                            "03_stress_and_startle", "04_neurocore", "05_routines",
                            "06_review"}, checked
    assert sum(checked.values()) > 60, checked


def test_connect_refuses_bad_arguments():
    with pytest.raises(ValueError, match=r"control 3 is not an ipywidgets widget"):
        connect(3, print, ErrorArea())
    with pytest.raises(ValueError, match=r"is neither an ErrorArea nor a CourseWidget"):
        connect(W.Button(), print, "here")
