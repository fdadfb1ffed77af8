"""The follow-along routine player, its safety checklist, and the session builder (ipywidgets).

The timer runs in the browser: a hidden ``ipywidgets.Play`` counts up every ``tick_ms``
milliseconds while the routine runs, each count reaches the kernel as a trait change, and the
kernel asks the pure state machine (:class:`melt_course.models.routine_player.Player`) what
time it is. Nothing
loops or sleeps in the kernel, so it stays idle and the page stays responsive; a late tick loses
no time because the state machine reads the clock, not the count.
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
    PAUSED,
    READY,
    RUNNING,
    Event,
    Player,
    cue_tone,
)
from melt_course.widgets.base import CourseWidget, SharedLook
from melt_course.widgets.learner_store import LEARNER_STORE, store_call
from melt_course.widgets.routine_text import cite

__all__ = ["RoutinePlayer", "SafetyChecklistView", "SessionBuilder", "player", "render_step_card",
           "session_builder"]

_SIDE_TEXT = {"both": "both sides", "left": "left side", "right": "right side"}
_TOPIC_TEXT = {"psoas": "Psoas idea", "NeuroCore": "NeuroCore idea"}

_FADE = f"{{ from {{ background: {OKABE_ITO['yellow']}; }} to {{ background: transparent; }} }}"
_STYLE = f"""<style>
@keyframes melt-cue-a {_FADE}
@keyframes melt-cue-b {_FADE}
.melt-cue-a {{ animation: melt-cue-a 3s ease-out; }}
.melt-cue-b {{ animation: melt-cue-b 3s ease-out; }}
.melt-check .widget-label-basic, .melt-check label, .melt-check span {{
  white-space: normal !important; overflow: visible !important; height: auto !important;
  line-height: 1.4 !important; }}
.melt-check {{ height: auto !important; align-items: flex-start; }}
.melt-player .widget-html-content, .melt-session .widget-html-content {{ line-height: 1.35; }}
</style>"""


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
    if player.title:
        count += f" · {escape(player.title)}"
    upcoming = player.upcoming
    nxt = (f"Next: {escape(upcoming.name)} ({_SIDE_TEXT[upcoming.side]})" if upcoming
           else "Last step")
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


class SafetyChecklistView(W.VBox):
    """The course's safety checklist as tick boxes; calls ``on_change`` when a box changes."""

    def __init__(self, checklist: Checklist, on_change: Callable[[], None]) -> None:
        screen = checklist.screen
        self.checklist = checklist
        self._on_change = on_change
        self.boxes: dict[str, W.Checkbox] = {}
        rows = []
        look = SharedLook()
        for item in screen.items:
            box = look.make(W.Checkbox, value=checklist.is_ticked(item.id),
                            description=item.text, indent=False,
                            layout={"width": "100%", "height": "auto"})
            box.add_class("melt-check")
            box.observe(self._changed(item.id), names="value")
            self.boxes[item.id] = box
            rows.append(box)
        self.status = look.make(W.HTML)
        head = look.make(W.HTML, f"<h4 style='margin:0.2em 0'>{escape(screen.title)}</h4>"
                         f"<p>{escape(screen.intro)}</p>")
        foot = look.make(W.HTML, f"<p><b>{escape(screen.stop_if)}</b></p>")
        super().__init__([head, *rows, foot, self.status],
                         layout=W.Layout(border=f"2px solid {OKABE_ITO['orange']}",
                                         padding="0.5em"))
        self.add_class("melt-safety")
        self._update_status()

    def _changed(self, item_id: str) -> Callable[[dict], None]:
        def handler(change: dict) -> None:
            self.checklist.tick(item_id, change["new"])
            self._update_status()
            self._on_change()
        return handler

    def reset(self) -> None:
        """Untick every box (a new session starts with a fresh checklist)."""
        self.checklist.reset()
        for box in self.boxes.values():
            box.value = False
        self._update_status()

    def _update_status(self) -> None:
        missing = len(self.checklist.missing())
        self.status.value = ("<p><b>Checklist complete:</b> you can start.</p>"
                             if not missing else
                             f"<p>{missing} statement{'s' if missing != 1 else ''} still to "
                             "tick before you can start.</p>")


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
        Where a finished routine is recorded (a ``routine_session`` record); default the
        learner's own progress store; None records nothing.
    """

    title = "Routine player"

    def __init__(self, routine: Routine | Session | str, clock: Callable[[], float] =
                 time.monotonic, sound: bool = False, projector: bool = False,
                 tick_ms: int = 500, store: Any = LEARNER_STORE) -> None:
        if not 100 <= tick_ms <= 5000:
            raise ValueError(f"tick_ms={tick_ms!r} is outside 100 to 5000")
        self._clock = clock
        self._store = store
        self.checklist = Checklist()
        self._started_once = False
        self._flash = 0
        self._tones = (cue_tone(880.0, 0.25), cue_tone(880.0, 0.26), cue_tone(660.0, 0.6))
        self.safety = SafetyChecklistView(self.checklist, self._refresh)
        self.safety_done = W.HTML(
            "<p><b>Safety checklist completed</b> for this session (the course's own checklist)."
            " Stop any movement that causes pain.</p>", layout=W.Layout(display="none"))
        look = self.look
        self.start_button = look.make(W.Button, description="Start", icon="play",
                                      button_style="success", tooltip="Start or pause the timer")
        self.back_button = look.make(W.Button, description="Back", icon="step-backward",
                                     tooltip="Previous step (at the first step: restart it)")
        self.next_button = look.make(W.Button, description="Next", icon="step-forward",
                                     tooltip="Next step (at the last step: finish)")
        self.reset_button = look.make(W.Button, description="Start over", icon="undo",
                                      tooltip="Back to the first step, not started")
        for button, action, name in ((self.start_button, self._on_start, "start"),
                                     (self.back_button, self._on_back, "back"),
                                     (self.next_button, self._on_next, "next"),
                                     (self.reset_button, self._on_reset, "reset")):
            button.on_click(action)
            button.add_class(f"melt-{name}")
        self.sound = W.Checkbox(value=sound, description="Sound cue at each step", indent=False)
        self.projector = W.ToggleButton(value=projector, description="Large text (projector)",
                                        icon="desktop", tooltip="Facilitator view: large text",
                                        layout=W.Layout(width="auto"))
        self.projector.observe(lambda _change: self._render(), names="value")
        self.banner = look.make(W.HTML)
        self.banner.add_class("melt-step-banner")
        self.card = look.make(W.HTML)
        self.progress = W.FloatProgress(value=0.0, min=0.0, max=1.0, description="Progress",
                                        layout=W.Layout(width="100%"))
        self.progress_text = look.make(W.HTML)
        self.ticker = W.Play(value=0, min=0, max=2**31 - 2, step=1, interval=tick_ms,
                             show_repeat=False, layout=W.Layout(display="none"))
        self.ticker.observe(self._on_tick, names="value")
        self.audio = W.Audio(value=b"", format="wav", autoplay=True, loop=False, controls=False,
                             layout=W.Layout(display="none"))
        controls = look.make(W.HBox, [self.back_button, self.start_button, self.next_button,
                                      self.reset_button])
        options = look.make(W.HBox, [self.sound, self.projector])
        super().__init__([look.make(W.HTML, _STYLE), self.safety, self.safety_done, controls,
                          options, self.banner, self.card, self.progress, self.progress_text,
                          self.ticker, self.audio])
        self.add_class("melt-player")
        self.load(routine)

    # --- public ----------------------------------------------------------------------------
    def load(self, routine: Routine | Session | str) -> None:
        """Follow a new routine or session: back to its first step, with a fresh checklist."""
        target = get(routine) if isinstance(routine, str) else routine
        self.routines = list(target.routines) if isinstance(target, Session) else [target]
        self.model = Player(target, clock=self._clock, checklist=self.checklist)
        self._started_once = False
        self.safety.reset()
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

    # --- callbacks -------------------------------------------------------------------------
    def _on_tick(self, _change: dict) -> None:
        self.tick()

    def _on_start(self, _button: W.Button) -> None:
        if self.model.state == FINISHED:
            return
        if self.model.state != RUNNING and not self.checklist.complete:
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

    def _on_reset(self, _button: W.Button) -> None:
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
            text = f"Finished: {escape(self.model.title or 'routine')} complete."
            note = self._record_session()
            if note:
                text += f" ({escape(note)})"
        else:
            text = (f"Now: step {event.index + 1} of {len(self.model.steps)} · "
                    f"{escape(step.name)} ({_SIDE_TEXT[step.side]})")
        self.banner.value = (f'<p class="melt-cue-{"ab"[self._flash]}" role="status" '
                             f'aria-live="polite" style="font-size:1.2em;padding:0.3em;'
                             f'border-left:6px solid {OKABE_ITO["yellow"]};margin:0">'
                             f"<b>{text}</b></p>")
        if self.sound.value:
            tone = self._tones[2] if event.kind == "finished" else self._tones[self._flash]
            self.audio.value = tone

    def _record_session(self) -> str | None:
        """Save the finished session to the progress store; a note when that failed."""
        if self._store is None:
            return None
        steps = len(self.model.steps)
        data = {"routines": [r.name for r in self.routines],
                "seconds": round(self.model.elapsed_total(), 1), "completed": True,
                "steps_completed": steps, "steps_total": steps}
        _record, note = store_call(self._store,
                                   lambda s: s.add_record("routine_session", data))
        return note

    def _refresh(self) -> None:
        state = self.model.state
        gated = state == READY and not self._started_once and not self.checklist.complete
        self.safety.layout.display = "none" if self._started_once else None
        self.safety_done.layout.display = None if self._started_once else "none"
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
        card = render_step_card(self.model, big=self.projector.value)
        if card != self.card.value:
            self.card.value = card
        self.progress.value = self.model.progress()
        text = (f"<p>{clock_text(self.model.elapsed_total())} of "
                f"{clock_text(self.model.total_seconds)} done</p>")
        if text != self.progress_text.value:
            self.progress_text.value = text


class SessionBuilder(CourseWidget):
    """Put routines together into a session, see its total time, then follow it.

    Parameters
    ----------
    names : sequence of str
        Routines to start with (optional).
    clock : callable, optional
        Time source for the player (tests pass a fake clock).
    store : ProgressStore, "learner" or None
        Where the player records finished sessions (see :class:`RoutinePlayer`).
    """

    title = "Session builder"

    def __init__(self, names: Sequence[str] = (), clock: Callable[[], float] = time.monotonic,
                 store: Any = LEARNER_STORE) -> None:
        self._clock = clock
        self._store = store
        self.chosen: list[Routine] = [get(n) for n in names]
        options = [(f"{r.name} ({format_duration(r.total_seconds())})", r.id)
                   for r in library().values() if r.standalone]
        self.choice = W.Dropdown(options=options, description="Routine",
                                 layout=W.Layout(width="min(100%, 34em)"))
        self.add_button = W.Button(description="Add", icon="plus",
                                   tooltip="Add the chosen routine to the end of the session")
        self.remove_button = W.Button(description="Remove last", icon="minus")
        self.clear_button = W.Button(description="Clear", icon="trash")
        self.follow_button = W.Button(description="Follow this session", icon="play",
                                      button_style="primary")
        self.add_button.on_click(lambda _b: self.add(self.choice.value))
        self.remove_button.on_click(lambda _b: self.remove_last())
        self.clear_button.on_click(lambda _b: self.clear())
        self.follow_button.on_click(lambda _b: self.follow())
        self.listing = W.HTML()
        self.listing.add_class("melt-session-listing")
        self.total = W.HTML()
        self.total.add_class("melt-session-total")
        self.player: RoutinePlayer | None = None
        self.player_box = W.VBox([])
        super().__init__([W.HBox([self.choice, self.add_button]),
                          W.HBox([self.remove_button, self.clear_button, self.follow_button]),
                          self.listing, self.total, self.player_box])
        self.add_class("melt-session")
        self._update()

    def add(self, name: str) -> None:
        """Add a routine (by name, alias or id) to the end of the session."""
        self.chosen.append(get(name))
        self._update()

    def remove_last(self) -> None:
        """Remove the last routine (no effect on an empty session)."""
        if self.chosen:
            self.chosen.pop()
        self._update()

    def clear(self) -> None:
        """Remove every routine."""
        self.chosen.clear()
        self._update()

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
            self.player = RoutinePlayer(built, clock=self._clock, store=self._store)
            self.player_box.children = [self.player]
        else:
            self.player.load(built)
        return self.player

    def _update(self) -> None:
        built = self.session
        if built is None:
            self.listing.value = "<p>The session is empty: choose a routine and press Add.</p>"
            self.total.value = "<p><b>Total: 0 s</b></p>"
        else:
            rows = "".join(f"<li>{escape(r.name)} — {format_duration(r.total_seconds())}</li>"
                           for r in built.routines)
            self.listing.value = f"<ol>{rows}</ol>"
            self.total.value = (f"<p><b>Total: {format_duration(built.total_seconds())}</b> "
                                f"({len(built.steps())} steps)</p>")
        self.follow_button.disabled = built is None
        self.remove_button.disabled = built is None
        self.clear_button.disabled = built is None


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
