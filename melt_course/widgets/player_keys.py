"""Keyboard shortcuts and a screen-reader status line for the routine player (projector mode).

ipywidgets has no key events, and JupyterLab's sanitizer strips scripts from HTML outputs, so
the keys come from a small widget of the course's own built with ``anywidget`` (a declared
dependency whose JavaScript ships inside its wheel: it works offline, in JupyterLab and in
the Voilà app). Its view finds the player it sits in (``.melt-player``) and listens there:

- keys are heard only while focus is inside that player (the rest of the page keeps its keys:
  sliders, text boxes and JupyterLab's own shortcuts elsewhere are not touched);
- Space = pause/resume, Left/Right arrow = previous/next step, Escape = leave projector mode
  (Escape is passed on untouched when the player is not in projector mode);
- a key pressed in a text box, a menu or with Ctrl/Alt/Meta held is left alone;
- a handled key is kept from the page (``preventDefault`` and ``stopPropagation``), so Space on a
  focused button does not press it a second time and JupyterLab does not also act on it.

Each handled key reaches the kernel as a change of the synced ``pressed`` trait
(``"<key> <count>"``, an ordinary widget state update, the only kind of message the course app
lets through). The player answers by setting ``announce``, which the view writes into a
polite ``aria-live`` status region that stays in the page, so screen readers read each change.
When ``projector`` becomes true the view moves focus into the player, so the keys work at once.
"""

from __future__ import annotations

import anywidget
import traitlets

__all__ = ["KEYS", "PlayerKeys"]

#: The key names the view sends, and what the player does with each.
KEYS = {"space": "pause or resume", "next": "next step", "back": "previous step",
        "escape": "leave projector mode"}

_ESM = r"""
const KEYS = {" ": "space", "Spacebar": "space", "ArrowRight": "next", "ArrowLeft": "back",
              "Escape": "escape"};
const TYPING = /^(INPUT|TEXTAREA|SELECT)$/;

function render({ model, el }) {
  el.classList.add("melt-keys");
  const hint = document.createElement("p");
  hint.className = "melt-keys-hint";
  hint.textContent = "Keys while the player has focus: Space pause/resume, \u2190 \u2192 " +
                     "previous/next step, Esc leaves projector mode.";
  const live = document.createElement("div");
  live.className = "melt-keys-live";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");
  el.append(hint, live);
  let count = 0;
  let host = null;

  const typing = (t) => t && (t.isContentEditable ||
    (TYPING.test(t.tagName) && !["checkbox", "radio", "button"].includes(t.type)));
  const onKey = (e) => {
    const key = KEYS[e.key];
    if (!key || e.ctrlKey || e.altKey || e.metaKey || typing(e.target)) return;
    if (key === "escape" && !model.get("projector")) return;
    e.preventDefault();
    e.stopPropagation();
    if (e.type === "keydown") send(key);  // keyup of Space: kept from buttons, nothing sent
  };
  const focusHost = () => {
    if (host && model.get("projector") && !host.contains(document.activeElement)) {
      host.focus({ preventScroll: true });
    }
  };
  let tries = 0;
  const attach = () => {
    host = el.closest(".melt-player");
    if (!host) {
      if (tries++ < 200) requestAnimationFrame(attach);
      return;
    }
    if (!host.hasAttribute("tabindex")) host.setAttribute("tabindex", "-1");
    host.addEventListener("keydown", onKey);
    host.addEventListener("keyup", onKey);
    focusHost();
  };
  attach();
  const say = () => { live.textContent = model.get("announce"); };
  model.on("change:announce", say);
  const send = (key) => {
    count += 1;
    model.set("pressed", key + " " + count);
    model.save_changes();
  };
  // Projector mode asks the browser for full screen (the click on the toggle is the user's
  // gesture; the answer comes back within a fraction of a second). When the browser refuses,
  // the player still covers the page (CSS, .melt-projector).
  const onProjector = () => {
    const on = model.get("projector");
    if (on && host && !document.fullscreenElement && host.requestFullscreen) {
      host.requestFullscreen().catch(() => {});
    } else if (!on && host && document.fullscreenElement === host) {
      document.exitFullscreen().catch(() => {});
    }
    requestAnimationFrame(focusHost);
  };
  const onFullscreen = () => {  // Esc (or F11) taken by the browser: leave projector mode too
    if (host && !document.fullscreenElement && model.get("projector")) send("escape");
    requestAnimationFrame(focusHost);
  };
  model.on("change:projector", onProjector);
  document.addEventListener("fullscreenchange", onFullscreen);
  return () => {
    document.removeEventListener("fullscreenchange", onFullscreen);
    if (host) {
      host.removeEventListener("keydown", onKey);
      host.removeEventListener("keyup", onKey);
    }
  };
}
export default { render };
"""

_CSS = """
.melt-keys .melt-keys-hint { margin: 0.2em 0; font-size: 0.9em; color: #444; }
.melt-keys .melt-keys-live { position: absolute; width: 1px; height: 1px; overflow: hidden;
                             clip: rect(0 0 0 0); white-space: nowrap; }
"""


class PlayerKeys(anywidget.AnyWidget):
    """The player's keyboard shortcuts and screen-reader status (see the module docstring).

    Attributes
    ----------
    pressed : str
        ``"<key> <count>"`` for each key handled in the browser (key one of :data:`KEYS`).
    announce : str
        Text for screen readers, read out when it changes.
    projector : bool
        Whether the player is in projector mode (Escape is handled only then).
    """

    #: What it is, as other controls name themselves (error messages, tests).
    description = "Player keyboard shortcuts"

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    _css = traitlets.Unicode(_CSS).tag(sync=True)
    pressed = traitlets.Unicode("").tag(sync=True)
    announce = traitlets.Unicode("").tag(sync=True)
    projector = traitlets.Bool(False).tag(sync=True)

    @staticmethod
    def key_of(pressed: str) -> str:
        """The key name in a ``pressed`` value; ValueError naming the value otherwise."""
        key = pressed.split(" ", 1)[0]
        if key not in KEYS:
            raise ValueError(f"unknown player key {pressed[:40]!r}; expected one of "
                             f"{sorted(KEYS)} and a count")
        return key

    def _melt_other_values_(self, name: str, old: object) -> list[str]:
        """Values a test may give ``name`` to fire a change as a key press would."""
        return [f"next {len(str(old)) + 1}"] if name == "pressed" else []
