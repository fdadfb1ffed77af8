"""Single-choice options as one radio group: one Tab stop, arrow keys move the choice.

ipywidgets' ``RadioButtons`` draws each option as an ``<input type="radio">`` without a
``name``, so the browser treats every option as a group of its own: each option is a Tab stop
and the group has no name for a screen reader. The standard radio group pattern (WAI-ARIA
Authoring Practices, "Radio Group") is one Tab stop for the group, the arrow keys moving (and
choosing) the option, and the group named by its question.

:class:`RadioGroups` is a small front-end piece of the course's own built with ``anywidget``
(a declared dependency whose JavaScript ships inside its wheel, as for
:mod:`melt_course.widgets.player_keys`), one per quiz. Its view finds the quiz it sits in
(``.melt-quiz``) and, for every single-choice question there (``.melt-quiz-options``), now and
whenever cards are drawn again:

- gives the options one shared ``name`` (unique in the page), which makes them a native radio
  group: Tab enters at the chosen option (the first or last when none is chosen) and leaves the
  group at the next Tab; Up/Down/Left/Right move the choice, as in any form;
- marks the options' box ``role="radiogroup"``, named by the question's prompt
  (``aria-labelledby``);
- keeps arrow keys pressed on an option from the page around it (JupyterLab's notebook would
  otherwise also move between cells); the browser's own radio behaviour still happens, and the
  choice reaches the kernel through ipywidgets' own click handler, as a mouse click does.

Nothing is sent to the kernel by this widget itself.
"""

from __future__ import annotations

import anywidget
import traitlets

from melt_course.widgets.static import SKIP_CLASS

__all__ = ["RadioGroups"]

_ESM = r"""
const ARROWS = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"]);
const PREFIX = "melt-radio-" + Math.random().toString(36).slice(2, 8) + "-";
let made = 0;

function render({ model, el }) {
  el.classList.add("melt-radio-groups");
  let root = null;
  let observer = null;
  const group = (box) => {
    const radios = box.querySelectorAll('input[type="radio"]');
    if (!radios.length) return;
    const holder = radios[0].closest(".widget-radio-box") || box;
    if (!holder.dataset.meltRadioName) holder.dataset.meltRadioName = PREFIX + (++made);
    const name = holder.dataset.meltRadioName;
    radios.forEach((r) => { if (r.name !== name) r.name = name; });
    holder.setAttribute("role", "radiogroup");
    const card = box.closest(model.get("card_selector"));
    const prompt = card && card.querySelector(model.get("label_selector"));
    if (prompt) {
      if (!prompt.id) prompt.id = name + "-label";
      holder.setAttribute("aria-labelledby", prompt.id);
    }
  };
  const apply = () => {
    if (root) root.querySelectorAll(model.get("group_selector")).forEach(group);
  };
  const onKey = (e) => {
    const t = e.target;
    if (!ARROWS.has(e.key) || !t || t.type !== "radio" || !t.name.startsWith(PREFIX)) return;
    e.stopPropagation();  // the browser still moves the choice; the notebook does not move
  };
  let tries = 0;
  const attach = () => {
    root = el.closest(model.get("root_selector"));
    if (!root) {
      if (tries++ < 200) requestAnimationFrame(attach);
      return;
    }
    apply();
    observer = new MutationObserver(apply);
    observer.observe(root, { childList: true, subtree: true });
    root.addEventListener("keydown", onKey);
  };
  attach();
  return () => {
    if (observer) observer.disconnect();
    if (root) root.removeEventListener("keydown", onKey);
  };
}
export default { render };
"""

_CSS = """
.melt-radio-groups { display: none; }
"""


class RadioGroups(anywidget.AnyWidget):
    """Makes the single-choice options of one quiz proper radio groups (see the module
    docstring). Put one inside the quiz's box; it shows nothing.

    Attributes
    ----------
    root_selector, group_selector, card_selector, label_selector : str
        CSS selectors: the quiz the widget sits in, each question's options, each question's
        card, and the prompt inside a card that names the group.
    """

    #: What it is, as other controls name themselves (error messages, tests).
    description = "Radio groups of the quiz"

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    _css = traitlets.Unicode(_CSS).tag(sync=True)
    root_selector = traitlets.Unicode(".melt-quiz").tag(sync=True)
    group_selector = traitlets.Unicode(".melt-quiz-options").tag(sync=True)
    card_selector = traitlets.Unicode(".melt-quiz-question").tag(sync=True)
    label_selector = traitlets.Unicode(".melt-quiz-prompt").tag(sync=True)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.add_class(SKIP_CLASS)  # nothing to show on paper
