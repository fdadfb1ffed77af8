"""The follow-along routine player, its safety checklist, and the session builder (ipywidgets).

The timer runs in the browser: a hidden ``ipywidgets.Play`` counts up every ``tick_ms``
milliseconds while the routine runs, each count reaches the kernel as a trait change, and the
kernel asks the pure state machine (:class:`melt_course.models.routine_player.Player`) what
time it is. Nothing
loops or sleeps in the kernel, so it stays idle and the page stays responsive; a late tick loses
no time because the state machine reads the clock, not the count.

The safety checklist is asked once per session (one kernel: a lesson in JupyterLab or a page of
the app): every player and every checklist view shares one :class:`SessionSafety`. Lesson 5
shows the checklist once, above its players (:func:`safety_checklist`); a player made after
that points to it instead of showing a second copy, and starts once it is complete. A player
with no checklist shown before it carries its own view of the same shared checklist.

When a routine finishes (or a started one is left with Start over or replaced), the player
saves a ``routine_session`` record with the seconds the timer really ran and, per step, whether
it was followed or skipped (:meth:`melt_course.models.routine_player.Player.step_log`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

import ipywidgets as W

from melt_course.content.routines import (
    Routine,
    Session,
    Step,
    clock_text,
    format_duration,
    get,
    library,
    session,
)
from melt_course.content.safety import Checklist
from melt_course.figures.palette import OKABE_ITO, ROLE
from melt_course.models.routine_player import (
    FINISHED,
    FOLLOWED,
    PAUSED,
    READY,
    RUNNING,
    Event,
    Player,
    cue_tone,
)
from melt_course.widgets.aria import describe
from melt_course.widgets.base import CourseWidget, SharedLook
from melt_course.widgets.learner_store import LEARNER_STORE, store_call
from melt_course.widgets.player_keys import PlayerKeys
from melt_course.widgets.routine_text import cite_html as cite

__all__ = ["MIN_RECORD_SECONDS", "RoutinePlayer", "SafetyChecklistView", "SessionBuilder",
           "SessionSafety", "player", "render_step_card", "safety_checklist", "session_builder",
           "session_safety"]

#: A started routine left before its end is recorded when the timer ran at least this long.
MIN_RECORD_SECONDS = 1.0

_SIDE_TEXT = {"both": "both sides", "left": "left side", "right": "right side"}
_TOPIC_TEXT = {"psoas": "Psoas idea", "NeuroCore": "NeuroCore idea"}



def _badge(step: Step) -> str:
    colour = {"documented": ROLE["model"], "partly documented": OKABE_ITO["yellow"],
              "not documented": OKABE_ITO["orange"],
              "course": OKABE_ITO["sky_blue"]}[step.provenance]
    text = {"documented": "MELT step (documented)",
            "partly documented": "MELT step, partly documented (see the note)",
            "not documented": "MELT step, not documented",
            "course": "The course's own addition"}[step.provenance]
    return (f'<span class="melt-provenance" style="border:2px solid {colour};'
            f'border-radius:4px;padding:0 4px">{text}</span>')


def render_step_card(player: Player, big: bool = False) -> str:
    """HTML of the current step: count, name, side, time left, cue, provenance, idea, next.

    Parameters
    ----------
    player : Player
        The state to show.
    big : bool
        Large text for a projector (the facilitator view).
    """
    step = player.current
    size = {"count": "1.6em", "name": "3.2em", "time": "6em", "cue": "1.8em", "meta": "1.3em"} \
        if big else {"count": "0.95em", "name": "1.5em", "time": "2.4em", "cue": "1.05em",
                     "meta": "0.9em"}
    state = {READY: "Not started", RUNNING: "Running", PAUSED: "Paused",
             FINISHED: "Finished"}[player.state]
    count = f"Step {player.index + 1} of {len(player.steps)}"
    number, part = player.part_of()
    if len(player.parts) > 1:  # a session: which of its routines this step belongs to
        count += (f" · {escape(part.name)} ({player.part_word} {number + 1} of "
                  f"{len(player.parts)}, "
                  f"step {player.index - part.start + 1} of {part.stop - part.start})")
    elif player.title:
        count += f" · {escape(player.title)}"
    upcoming = player.upcoming
    nxt = (f"Next: {escape(upcoming.name)} ({_SIDE_TEXT[upcoming.side]})" if upcoming
           else "Last step")
    if upcoming is not None and player.index + 1 == part.stop:  # the next routine begins
        nxt += f", the start of {escape(player.part_of(player.index + 1)[1].name)}"
    if player.state == FINISHED:
        nxt = "Routine finished. Well done: take a moment before you get up."
    meta = ""
    if not big:
        notes = [escape(step.note)] if step.note else []
        notes += [escape(n) for n in step.placement_notes]
        idea = (f"{_TOPIC_TEXT[step.idea.topic]}: {escape(step.idea.text)} "
                f"<i>({escape(step.idea.label)})</i> {cite(step.idea.refs)}")
        meta = (f'<p style="font-size:{size["meta"]};margin:0.4em 0">{_badge(step)} '
                f'{cite(step.refs)} · Dose: {escape(step.dose.describe())}'
                f'{" (the course&#x27;s estimate)" if step.dose.source != "documented" else ""}'
                f'</p><p style="font-size:{size["meta"]};margin:0.4em 0">{idea}</p>'
                + "".join(f'<p style="font-size:{size["meta"]};margin:0.2em 0;'
                          f'color:#444">Note: {n}</p>' for n in notes))
    else:
        meta = f'<p style="font-size:{size["meta"]};margin:0.3em 0">{_badge(step)}</p>'
    return (
        f'<div class="melt-step-card" role="group" aria-label="Current step" '
        f'style="border:3px solid {ROLE["highlight"]};border-radius:8px;padding:0.6em 1em;'
        f'color:{ROLE["text"]}">'
        f'<div class="melt-step-count" style="font-size:{size["count"]}">{count} · {state}</div>'
        f'<div class="melt-step-name" style="font-size:{size["name"]};font-weight:bold">'
        f'{escape(step.name)}</div>'
        f'<div class="melt-step-side" style="font-size:{size["count"]}">'
        f'Side: {_SIDE_TEXT[step.side]}</div>'
        f'<div class="melt-step-time" aria-label="time left in this step" '
        f'style="font-size:{size["time"]};font-weight:bold;font-variant-numeric:tabular-nums">'
        f'{clock_text(player.remaining())}</div>'
        f'<p class="melt-step-cue" style="font-size:{size["cue"]};margin:0.3em 0">'
        f'{escape(step.instruction)}</p>'
        f'{meta}'
        f'<p class="melt-step-next" style="font-size:{size["count"]};margin:0.3em 0">{nxt}</p>'
        f'</div>')


class SessionSafety:
    """The safety checklist of one session, shared by every player and checklist view.

    Ticking a statement in any view ticks it everywhere; players start once it is complete,
    and it stays complete for every routine of the session (it is asked once, not per
    routine). :func:`session_safety` gives the kernel's own.

    Parameters
    ----------
    checklist : Checklist, optional
        The checklist to share; default a fresh one of the course's safety screen.
    """

    def __init__(self, checklist: Checklist | None = None) -> None:
        self.checklist = checklist or Checklist()
        self._listeners: list[Callable[[], None]] = []
        #: How many stand-alone checklist views were made (see :func:`safety_checklist`).
        self.standalone_views = 0

    @property
    def complete(self) -> bool:
        """True when every statement is ticked."""
        return self.checklist.complete

    def listen(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` after every change of the checklist."""
        self._listeners.append(callback)

    def tick(self, item_id: str, value: bool = True) -> None:
        """Tick (or untick) one statement and tell every view and player."""
        if self.checklist.is_ticked(item_id) == value:
            return
        self.checklist.tick(item_id, value)
        for callback in list(self._listeners):
            callback()

    def reset(self) -> None:
        """Untick everything (a new session)."""
        for item_id in self.checklist.ids:
            self.tick(item_id, False)


_SESSION: dict[str, SessionSafety] = {}


def session_safety() -> SessionSafety:
    """This kernel's shared safety checklist (made on first use)."""
    if "safety" not in _SESSION:
        _SESSION["safety"] = SessionSafety()
    return _SESSION["safety"]


class SafetyChecklistView(CourseWidget):
    """The course's safety checklist as tick boxes, bound to a shared :class:`SessionSafety`.

    Parameters
    ----------
    safety : SessionSafety, optional
        The checklist to show and change; default the session's (:func:`session_safety`).
    standalone : bool
        True for the checklist shown on its own above the players (they then point to it
        instead of showing their own copy). Its title is then an ``<h3>`` (it follows a
        section's ``<h2>``), inside a player an ``<h4>`` (the player follows an ``<h3>``); its
        group headings one level lower.
    """

    title = "Safety checklist"

    def __init__(self, safety: SessionSafety | None = None, standalone: bool = False) -> None:
        self.shared = safety or session_safety()
        self.checklist = self.shared.checklist
        screen = self.checklist.screen
        self.boxes: dict[str, W.Checkbox] = {}       # statements to confirm
        self.flag_boxes: dict[str, W.Checkbox] = {}  # statements to tick when they apply
        self._syncing = False
        rows = []
        look = self.look
        # Its heading sits one level below the lesson's: under a section's <h2> on its own, under
        # a demo's <h3> inside a player (axe: heading-order).
        level = 3 if standalone else 4
        headings = {"confirm": "", "see a clinician": "Warning signs: see a clinician",
                    "ask first": "Ask a clinician first", "adapt": "Changes how you do a routine"}
        for item in (*screen.confirms, *screen.flags):
            if item.kind != "confirm" and (not rows or rows[-1].kind != item.kind):
                first = item.kind == screen.flags[0].kind
                intro = f"<p>{escape(screen.flags_intro)}</p>" if first else ""
                head_row = look.make(W.HTML, f"{intro}<h{level + 1} style='margin:0.4em 0 "
                                     f"0.1em'>{escape(headings[item.kind])}</h{level + 1}>")
                head_row.kind = item.kind
                rows.append(head_row)
            box = look.make(W.Checkbox, value=self.checklist.is_ticked(item.id),
                            description=item.text, indent=False,
                            layout={"width": "100%", "height": "auto"})
            box.add_class("melt-check")
            box.add_class("melt-confirm" if item.kind == "confirm" else "melt-flag")
            self.connect(box, self._changed(item.id), action="ticking the checklist")
            (self.boxes if item.kind == "confirm" else self.flag_boxes)[item.id] = box
            box.kind = item.kind
            rows.append(box)
        self.advice = look.make(W.HTML)
        self.advice.add_class("melt-safety-advice")
        self.status = look.make(W.HTML)
        self.status.add_class("melt-safety-status")
        head = look.make(W.HTML, f"<h{level} style='margin:0.2em 0'>{escape(screen.title)}"
                         f"</h{level}>"
                         f"<p>{escape(screen.intro)}</p>")
        stops = "".join(f"<li>{escape(rule)}</li>" for rule in screen.stop_rules)
        foot = look.make(W.HTML, f"<p><b>{escape(screen.stop_if)}</b></p>"
                         f"<p><b>When to stop and get help:</b></p><ul>{stops}</ul>")
        super().__init__([head, *rows, self.advice, foot,
                          self.status],
                         layout=W.Layout(border=f"2px solid {OKABE_ITO['orange']}",
                                         padding="0.5em"))
        self.add_class("melt-safety")
        if standalone:
            self.shared.standalone_views += 1
        self.shared.listen(self._sync)
        self._update_status()

    def _changed(self, item_id: str) -> Callable[[dict], None]:
        def handler(change: dict) -> None:
            if not self._syncing:
                self.shared.tick(item_id, change["new"])
        return handler

    def _sync(self) -> None:
        """Show the shared checklist's state (another view or a reset changed it)."""
        self._syncing = True
        try:
            for item_id, box in (*self.boxes.items(), *self.flag_boxes.items()):
                ticked = self.checklist.is_ticked(item_id)
                if box.value != ticked:
                    box.value = ticked
        finally:
            self._syncing = False
        self._update_status()

    def reset(self) -> None:
        """Untick every box (of this session: every view shows it)."""
        self.shared.reset()

    def _update_status(self) -> None:
        advice = "".join(f"<li><b>{escape(item.text)}</b> Why: {escape(item.why or '')} "
                         f"What to do instead: {escape(item.instead or '')}</li>"
                         for item in self.checklist.advice())
        advice = f"<ul role='status'>{advice}</ul>" if advice else ""
        if self.advice.value != advice:
            self.advice.value = advice
        text = f"<p><b>{escape(self.checklist.status())}</b></p>"
        if self.status.value != text:
            self.status.value = text


def safety_checklist() -> SafetyChecklistView:
    """The session's safety checklist, to tick once before following any routine.

    The players shown after it use it (they say so, and start once it is complete) instead of
    showing a copy of their own.
    """
    return SafetyChecklistView(standalone=True)


class RoutinePlayer(CourseWidget):
    """Follow a routine (or a session) with a timer.

    Parameters
    ----------
    routine : Routine, Session or str
        What to follow (a name is looked up with :func:`melt_course.content.routines.get`).
    clock : callable, optional
        Time source in seconds (tests pass a fake clock).
    sound : bool
        Start with the audible cue on (default off).
    projector : bool
        Start in the large-text facilitator view.
    tick_ms : int
        How often the browser asks the kernel to update the timer, 100 to 5000 ms.
    store : ProgressStore, "learner" or None
        Where a routine is recorded (a ``routine_session`` record with the time really spent
        and each step's outcome); default the learner's own progress store; None records
        nothing.
    safety : SessionSafety, optional
        The session's safety checklist (default :func:`session_safety`): asked once, shared
        by every player.
    show_checklist : bool, optional
        Show the checklist's tick boxes inside the player. Default: only when no stand-alone
        checklist (:func:`safety_checklist`) was shown before; otherwise the player points to
        that one.
    """

    title = "Routine player"

    def __init__(self, routine: Routine | Session | str, clock: Callable[[], float] =
                 time.monotonic, sound: bool = False, projector: bool = False,
                 tick_ms: int = 500, store: Any = LEARNER_STORE,
                 safety: SessionSafety | None = None,
                 show_checklist: bool | None = None) -> None:
        if not 100 <= tick_ms <= 5000:
            raise ValueError(f"tick_ms={tick_ms!r} is outside 100 to 5000")
        self._clock = clock
        self._store = store
        self.shared_safety = safety or session_safety()
        self.checklist = self.shared_safety.checklist
        if show_checklist is None:
            show_checklist = self.shared_safety.standalone_views == 0
        self._started_once = False
        self._recorded = False
        self._flash = 0
        self._tones = (cue_tone(880.0, 0.25), cue_tone(880.0, 0.26), cue_tone(660.0, 0.6))
        self.safety = SafetyChecklistView(self.shared_safety) if show_checklist else None
        self.safety_pointer = W.HTML()
        self.safety_pointer.add_class("melt-safety-pointer")
        self.shared_safety.listen(self.guard(self._refresh, "updating the player"))
        self.safety_done = W.HTML(
            "<p><b>Safety checklist completed</b> for this session (the course's own checklist)."
            " Stop any movement that causes pain.</p>", layout=W.Layout(display="none"))
        look = self.look
        self.start_button = look.make(W.Button, description="Start", icon="play",
                                      button_style="success", tooltip="Start or pause the timer",
                                      layout={"width": "auto"})
        self.back_button = look.make(W.Button, description="Back", icon="step-backward",
                                     tooltip="Previous step (at the first step: restart it)",
                                     layout={"width": "auto"})
        self.next_button = look.make(W.Button, description="Next", icon="step-forward",
                                     tooltip="Next step (at the last step: finish)",
                                     layout={"width": "auto"})
        self.reset_button = look.make(W.Button, description="Start over", icon="undo",
                                      tooltip="Back to the first step, not started",
                                      layout={"width": "auto"})
        for button, action, name in ((self.start_button, self._on_start, "start"),
                                     (self.back_button, self._on_back, "back"),
                                     (self.next_button, self._on_next, "next"),
                                     (self.reset_button, self._on_reset, "reset")):
            self.connect(button, action, action="using the player")
            button.add_class(f"melt-{name}")
        self.sound = W.Checkbox(value=sound, description="Sound cue at each step", indent=False,
                                layout=W.Layout(width="auto"))
        self.projector = W.ToggleButton(value=projector, description="Large text",
                                        icon="font", tooltip="Facilitator view: large text",
                                        layout=W.Layout(width="auto"))
        self.connect(self.projector, lambda _change: self._render(),
                     action="switching the large text")
        self.fullscreen = W.ToggleButton(value=False, description="Projector mode",
                                         icon="desktop",
                                         tooltip="Fill the screen with large step text and "
                                                 "timer (Esc leaves)",
                                         layout=W.Layout(width="auto"))
        self.fullscreen.add_class("melt-projector-toggle")
        self.connect(self.fullscreen, self._on_projector, action="switching projector mode")
        self.shortcuts = PlayerKeys()
        self.connect(self.shortcuts, self._on_key, action="using a player key", names="pressed")
        self._announced = ""
        self.banner = look.make(W.HTML)
        self.banner.add_class("melt-step-banner")
        self.card = look.make(W.HTML)
        self.progress = W.FloatProgress(value=0.0, min=0.0, max=1.0, description="Progress",
                                        layout=W.Layout(width="100%"))
        self.progress_text = look.make(W.HTML)
        self.ticker = describe(W.Play(value=0, min=0, max=2**31 - 2, step=1, interval=tick_ms,
                                      show_repeat=False, layout=W.Layout(display="none")),
                               "the routine timer")
        self.connect(self.ticker, self._on_tick, action="updating the timer")
        self.audio = W.Audio(value=b"", format="wav", autoplay=True, loop=False, controls=False,
                             layout=W.Layout(display="none"))
        controls = look.make(W.HBox, [self.back_button, self.start_button, self.next_button,
                                      self.reset_button])
        options = look.make(W.HBox, [self.sound, self.projector, self.fullscreen])
        safety = [self.safety] if self.safety is not None else []
        super().__init__([*safety, self.safety_pointer,
                          self.safety_done, controls, options, self.banner, self.card,
                          self.progress, self.progress_text, self.shortcuts, self.ticker,
                          self.audio])
        self.add_class("melt-player")
        self.model: Player | None = None
        self.load(routine)

    # --- public ----------------------------------------------------------------------------
    def load(self, routine: Routine | Session | str) -> None:
        """Follow a new routine or session from its first step (the session's safety checklist
        stays as it is). A routine left unfinished is recorded first, with its real time."""
        target = get(routine) if isinstance(routine, str) else routine
        self._record_unfinished()
        self.routines = list(target.routines) if isinstance(target, Session) else [target]
        self.model = Player(target, clock=self._clock, checklist=self.checklist)
        self._recorded = False
        self.ticker.playing = False
        self.banner.value = (f"<p><b>{escape(self.model.title)}</b>: "
                             f"{len(self.model.steps)} steps, about "
                             f"{format_duration(self.model.total_seconds)}.</p>")
        self._refresh()

    def tick(self) -> list[Event]:
        """Update the timer now (the browser's ticker calls this; tests may too)."""
        events = self.model.tick()
        self._after(events)
        return events

    def record_data(self, completed: bool | None = None) -> dict:
        """The ``routine_session`` record of what was done so far (see the progress schema).

        ``seconds`` is the time the timer really ran; ``completed`` is True only when the
        routine reached its end with every step followed, not skipped.
        """
        log = self.model.step_log()
        followed = sum(entry["outcome"] == FOLLOWED for entry in log)
        if completed is None:
            completed = self.model.state == FINISHED and followed == len(log)
        return {"routines": [r.name for r in self.routines],
                "seconds": round(self.model.seconds_spent(), 1), "completed": completed,
                "steps_completed": followed, "steps_total": len(log), "steps": log}

    # --- callbacks -------------------------------------------------------------------------
    def _on_tick(self, _change: dict) -> None:
        self.tick()

    def _on_start(self, _button: W.Button) -> None:
        if self.model.state == FINISHED:
            return
        if self.model.state != RUNNING and not self.checklist.complete \
                and not self._started_once:
            self._refresh()
            return
        events = self.model.toggle()
        if self.model.state == RUNNING:
            self._started_once = True
        self._after(events)

    def _on_next(self, _button: W.Button) -> None:
        self._after(self.model.next())

    def _on_back(self, _button: W.Button) -> None:
        self._after(self.model.back())

    def _on_projector(self, change: dict) -> None:
        on = bool(change["new"])
        (self.add_class if on else self.remove_class)("melt-projector")
        self.shortcuts.projector = on
        self._render()
        self._say("Projector mode on. Space pauses, arrows change step, Escape leaves."
                  if on else "Projector mode off.")

    def _on_key(self, change: dict) -> None:
        """A shortcut pressed in the browser (see :mod:`melt_course.widgets.player_keys`)."""
        key = PlayerKeys.key_of(change["new"])
        if key == "space":
            self._on_start(None)
            if self.model.state == READY and not self._started_once:
                self._say("Not started: tick the safety checklist first.")
        elif key == "next":
            self._on_next(None)
        elif key == "back":
            self._on_back(None)
        elif key == "escape":
            self.fullscreen.value = False

    def _say(self, text: str) -> None:
        """Tell screen readers (the keys widget's live region); repeated text is re-read."""
        if text == self.shortcuts.announce:
            text += "\u00a0"  # a change, so the same words are read again
        self.shortcuts.announce = text

    def _on_reset(self, _button: W.Button) -> None:
        self._record_unfinished()
        self._recorded = False
        self._after(self.model.reset())

    # --- view updates ----------------------------------------------------------------------
    def _after(self, events: list[Event]) -> None:
        for event in events:
            if event.kind in ("step", "finished"):
                self._cue(event)
        self._refresh()

    def _cue(self, event: Event) -> None:
        """The visible (and, if chosen, audible) cue at a step change."""
        self._flash = 1 - self._flash
        step = self.model.steps[event.index]
        if event.kind == "finished":
            text = f"Finished: {escape(self.model.title or 'routine')}."
            note = self._record_session()
            data = self.record_data()
            skipped = data["steps_total"] - data["steps_completed"]
            text += f" Time followed: {format_duration(data['seconds'])}"
            if skipped:
                text += (f"; {skipped} of {data['steps_total']} step"
                         f"{'s' if data['steps_total'] != 1 else ''} skipped or cut short")
            text += "."
            if note:
                text += f" ({escape(note)})"
        else:
            text = (f"Now: step {event.index + 1} of {len(self.model.steps)} · "
                    f"{escape(step.name)} ({_SIDE_TEXT[step.side]})")
            number, part = self.model.part_of(event.index)
            if len(self.model.parts) > 1 and event.index == part.start:
                text += (f" · start of {escape(part.name)}, {self.model.part_word} "
                         f"{number + 1} of {len(self.model.parts)}")
        self.banner.value = (f'<p class="melt-cue-{"ab"[self._flash]}" role="status" '
                             f'aria-live="polite" style="font-size:1.2em;padding:0.3em;'
                             f'border-left:6px solid {OKABE_ITO["yellow"]};margin:0">'
                             f"<b>{text}</b></p>")
        if self.sound.value:
            tone = self._tones[2] if event.kind == "finished" else self._tones[self._flash]
            self.audio.value = tone

    def _record_session(self) -> str | None:
        """Save what was done to the progress store (once per run); a note when that failed."""
        if self._store is None or self._recorded:
            return None
        data = self.record_data()
        self._recorded = True
        _record, note = store_call(self._store,
                                   lambda s: s.add_record("routine_session", data))
        return note

    def _record_unfinished(self) -> None:
        """Record a started routine that is being left before its end (Start over, or a new
        routine loaded), when the timer really ran for :data:`MIN_RECORD_SECONDS` or more."""
        model = self.model
        if model is None or self._recorded or model.seconds_spent() < MIN_RECORD_SECONDS:
            return
        self._record_session()

    def _refresh(self) -> None:
        if self.model is None:
            return
        state = self.model.state
        complete = self.checklist.complete
        gated = state == READY and not self._started_once and not complete
        if self.safety is not None:
            self.safety.layout.display = "none" if complete or self._started_once else None
        missing = len(self.checklist.missing())
        pointer = "" if complete or self._started_once or self.safety is not None else (
            f'<p class="melt-safety-needed"><b>Start unlocks once the safety checklist above '
            f"is complete</b> (“{escape(self.checklist.screen.title)}”): {missing} "
            f"statement{'s' if missing != 1 else ''} still to tick. It is asked once for "
            "the whole session.</p>")
        if self.safety_pointer.value != pointer:
            self.safety_pointer.value = pointer
        self.safety_done.layout.display = None if complete or self._started_once else "none"
        self.start_button.disabled = gated or state == FINISHED
        self.start_button.description = {READY: "Start", RUNNING: "Pause", PAUSED: "Resume",
                                         FINISHED: "Finished"}[state]
        self.start_button.icon = "pause" if state == RUNNING else "play"
        self.start_button.tooltip = ("Tick every statement of the safety checklist first"
                                     if gated else "Start or pause the timer")
        self.next_button.disabled = state == FINISHED
        self.ticker.playing = state == RUNNING
        self._render()

    def _render(self) -> None:
        card = render_step_card(self.model, big=self.projector.value or self.fullscreen.value)
        if card != self.card.value:
            self.card.value = card
        self.progress.value = self.model.progress()
        text = (f"<p>{clock_text(self.model.elapsed_total())} of "
                f"{clock_text(self.model.total_seconds)} done</p>")
        if text != self.progress_text.value:
            self.progress_text.value = text
        model = self.model
        if model.state == FINISHED:
            status = f"Finished: {model.title}."
        else:
            word = {READY: "Ready", RUNNING: "Running", PAUSED: "Paused"}[model.state]
            status = (f"{word}. Step {model.index + 1} of {len(model.steps)}: "
                      f"{model.current.name}.")
        if status != self._announced:  # state or step changed (not every tick of the clock)
            self._announced = status
            self._say(status)

    def _static_html_(self) -> str:
        """On paper (``export-html``): what the routine is and its first step, no controls."""
        steps = "".join(f"<li>{escape(step.name)} ({_SIDE_TEXT[step.side]}, "
                        f"{escape(step.dose.describe())})</li>" for step in self.model.steps[:3])
        more = len(self.model.steps) - 3
        return (f"{self.banner.value}<p><b>First steps:</b></p><ol>{steps}</ol>"
                + (f"<p>… and {more} more: see the routine's table above or its handout "
                   "(<code>melt-course handouts</code>).</p>" if more > 0 else "")
                + "<p><i>In the interactive version a timer leads you through every step, after "
                  "the safety checklist.</i></p>")


class _Row:
    """One routine of the session builder's list: its text and its three buttons."""

    def __init__(self, look: SharedLook, connect: Callable, builder: SessionBuilder) -> None:
        self.text = W.HTML(layout=W.Layout(flex="1 1 16em"))
        self.up = look.make(W.Button, description="Up", icon="arrow-up",
                            layout={"width": "auto"})
        self.down = look.make(W.Button, description="Down", icon="arrow-down",
                              layout={"width": "auto"})
        self.remove = look.make(W.Button, description="Remove", icon="times",
                                layout={"width": "auto"})
        self.position = 0
        connect(self.up, lambda _b: builder.move(self.position, -1), action="moving a routine")
        connect(self.down, lambda _b: builder.move(self.position, +1),
                action="moving a routine")
        connect(self.remove, lambda _b: builder.remove(self.position),
                action="removing a routine")
        for button, name in ((self.up, "up"), (self.down, "down"), (self.remove, "remove")):
            button.add_class(f"melt-session-{name}")
        self.box = W.HBox([self.text, self.up, self.down, self.remove],
                          layout=W.Layout(align_items="center", width="100%"))
        self.box.add_class("melt-session-row")

    def show(self, position: int, routine: Routine, count: int) -> None:
        self.position = position
        text = (f"<span>{position + 1}. <b>{escape(routine.name)}</b> — "
                f"{format_duration(routine.total_seconds())}</span>")
        if self.text.value != text:
            self.text.value = text
        name = routine.name
        self.up.tooltip = f"Move {name} earlier (to position {position})" if position else \
            f"{name} is first"
        self.down.tooltip = (f"Move {name} later (to position {position + 2})"
                             if position + 1 < count else f"{name} is last")
        self.remove.tooltip = f"Remove {name} from the session"
        self.up.disabled = position == 0
        self.down.disabled = position + 1 == count


class SessionBuilder(CourseWidget):
    """Put routines together into a session, order them, see its total time, then follow it.

    Each routine in the list has **Up**, **Down** and **Remove** buttons (keyboard: Tab to a
    button, Enter or Space to press it; focus stays with the routine that moved), and every
    change is announced to screen readers.

    Parameters
    ----------
    names : sequence of str
        Routines to start with (optional).
    clock : callable, optional
        Time source for the player (tests pass a fake clock).
    store : ProgressStore, "learner" or None
        Where the player records sessions (see :class:`RoutinePlayer`).
    safety : SessionSafety, optional
        The session's safety checklist (default :func:`session_safety`).
    """

    title = "Session builder"

    def __init__(self, names: Sequence[str] = (), clock: Callable[[], float] = time.monotonic,
                 store: Any = LEARNER_STORE, safety: SessionSafety | None = None) -> None:
        self._clock = clock
        self._store = store
        self._safety = safety
        self.chosen: list[Routine] = [get(n) for n in names]
        options = [(f"{r.name} ({format_duration(r.total_seconds())})", r.id)
                   for r in library().values() if r.standalone]
        self.choice = W.Dropdown(options=options, description="Routine",
                                 layout=W.Layout(width="min(100%, 34em)"))
        look = self.look
        self.add_button = look.make(W.Button, description="Add", icon="plus",
                                    tooltip="Add the chosen routine to the end of the session",
                                    layout={"width": "auto"})
        self.clear_button = look.make(W.Button, description="Clear", icon="trash",
                                      tooltip="Remove every routine", layout={"width": "auto"})
        self.follow_button = look.make(W.Button, description="Follow this session", icon="play",
                                       button_style="primary", layout={"width": "auto"},
                                       tooltip="Load the session into the player below")
        self.connect(self.add_button, lambda _b: self.add(self.choice.value),
                     action="adding a routine")
        self.connect(self.clear_button, lambda _b: self.clear(), action="clearing the session")
        self.connect(self.follow_button, lambda _b: self.follow(), action="loading the session")
        self.add_button.add_class("melt-session-add")
        self.follow_button.add_class("melt-session-follow")
        self._rows: list[_Row] = []
        self.listing = W.VBox([], layout=W.Layout(width="100%"))
        self.listing.add_class("melt-session-listing")
        self.empty = W.HTML()
        self.total = W.HTML()
        self.total.add_class("melt-session-total")
        self.announce = W.HTML()
        self.announce.add_class("melt-session-status")
        self.player: RoutinePlayer | None = None
        self.player_box = W.VBox([])
        super().__init__([W.HBox([self.choice, self.add_button]),
                          self.empty, self.listing, self.total,
                          W.HBox([self.follow_button, self.clear_button]), self.announce,
                          self.player_box])
        self.add_class("melt-session")
        self._update()

    # --- changing the list -----------------------------------------------------------------
    def add(self, name: str) -> None:
        """Add a routine (by name, alias or id) to the end of the session."""
        routine = get(name)
        self.chosen.append(routine)
        self._update(f"Added {routine.name} as routine {len(self.chosen)} of "
                     f"{len(self.chosen)}.")

    def move(self, position: int, offset: int) -> None:
        """Move the routine at ``position`` (from 0) by ``offset`` places (-1 earlier, +1 later).

        Raises
        ------
        IndexError
            When ``position`` is not in the list or the move would leave it.
        """
        target = position + offset
        if not (0 <= position < len(self.chosen) and 0 <= target < len(self.chosen)):
            raise IndexError(f"cannot move routine {position + 1} by {offset:+d} in a session "
                             f"of {len(self.chosen)}")
        routine = self.chosen.pop(position)
        self.chosen.insert(target, routine)
        self._update(f"Moved {routine.name} to position {target + 1} of {len(self.chosen)}.")
        row = self._rows[target]  # keep the keyboard on the routine that moved
        button = row.up if offset < 0 else row.down
        if button.disabled:
            button = row.down if offset < 0 else row.up
        if not button.disabled:
            button.focus()

    def remove(self, position: int) -> None:
        """Remove the routine at ``position`` (from 0).

        Raises
        ------
        IndexError
            When ``position`` is not in the list.
        """
        if not 0 <= position < len(self.chosen):
            raise IndexError(f"no routine {position + 1} in a session of {len(self.chosen)}")
        routine = self.chosen.pop(position)
        self._update(f"Removed {routine.name}; {len(self.chosen)} routine"
                     f"{'s' if len(self.chosen) != 1 else ''} left.")
        if self.chosen:
            self._rows[min(position, len(self.chosen) - 1)].remove.focus()
        else:
            self.add_button.focus()

    def remove_last(self) -> None:
        """Remove the last routine (no effect on an empty session)."""
        if self.chosen:
            self.remove(len(self.chosen) - 1)

    def clear(self) -> None:
        """Remove every routine."""
        self.chosen.clear()
        self._update("The session is empty.")

    @property
    def session(self) -> Session | None:
        """The session built so far, or None when empty."""
        return session(*self.chosen) if self.chosen else None

    def follow(self) -> RoutinePlayer | None:
        """Load the session into the player below (made on first use); returns the player."""
        built = self.session
        if built is None:
            return None
        if self.player is None:
            self.player = RoutinePlayer(built, clock=self._clock, store=self._store,
                                        safety=self._safety)
            self.player_box.children = [self.player]
        else:
            self.player.load(built)
        self._say(f"The player below now follows {len(built.routines)} routine"
                  f"{'s' if len(built.routines) != 1 else ''}, about "
                  f"{format_duration(built.total_seconds())}.")
        return self.player

    # --- view ------------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        self.announce.value = (f'<p role="status" aria-live="polite" class="melt-session-said">'
                               f"{escape(text)}</p>")

    def _update(self, said: str | None = None) -> None:
        built = self.session
        while len(self._rows) < len(self.chosen):
            self._rows.append(_Row(self.look, self.connect, self))
        for position, routine in enumerate(self.chosen):
            self._rows[position].show(position, routine, len(self.chosen))
        rows = tuple(row.box for row in self._rows[:len(self.chosen)])
        if self.listing.children != rows:
            self.listing.children = rows
        if built is None:
            self.empty.value = "<p>The session is empty: choose a routine and press Add.</p>"
            self.total.value = "<p><b>Total: 0 s</b></p>"
        else:
            self.empty.value = ""
            self.total.value = (f"<p><b>Total: {format_duration(built.total_seconds())}</b> "
                                f"({len(built.routines)} routine"
                                f"{'s' if len(built.routines) != 1 else ''}, "
                                f"{len(built.steps())} steps)</p>")
        self.follow_button.disabled = built is None
        self.clear_button.disabled = built is None
        if said:
            self._say(said)


def player(name: str, sound: bool = False, projector: bool = False) -> RoutinePlayer:
    """A follow-along player for one routine, with the safety checklist before the first start.

    Parameters
    ----------
    name : str
        Routine name, alias or id, e.g. ``"Rebalance Sequence"``.
    sound : bool
        Turn the audible step cue on from the start (off by default).
    projector : bool
        Start in the large-text facilitator view.
    """
    return RoutinePlayer(name, sound=sound, projector=projector)


def session_builder(*names: str) -> SessionBuilder:
    """A session builder, optionally starting with some routines."""
    return SessionBuilder(names)
