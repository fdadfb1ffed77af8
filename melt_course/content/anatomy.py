"""Anatomy of the psoas region: landmark geometry for two views and a card per structure.

Pure data and numpy (no plotting). The figures layer draws what this module returns.

Two views are stored in ``melt_course/data/anatomy_views/<view>.json`` (coordinates in centimetres,
origin at the centre of the hip joint, ``y`` up):

* ``"front"`` -- seen from the front, as if facing the person: the person's left side is on
  the viewer's right, at ``x > 0``. Bilateral shapes are stored once for the left side and
  mirrored.
* ``"side"`` -- seen from the person's left, facing the viewer's right: ``x`` points forward.

The vertebral column of each view is built from a short table (height, width and tilt of each
body from L5 up to T12, stacked on the top of the sacrum), so the levels that the tests and the
psoas slips refer to come from one place.

Structures and their cards (origin, insertion, innervation, action, neighbours -- each with an
evidence label and references) are in ``anatomy_structures.json``; every reference is resolved
against the course bibliography when the data is loaded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np

from melt_course.content.bibliography import resolve
from melt_course.content.evidence import Claim
from melt_course.content.loader import DataError, load_json

__all__ = [
    "CARD_FIELDS",
    "LAYERS",
    "LEVELS",
    "VIEWS",
    "Claim",
    "Shape",
    "Structure",
    "VertebralLevel",
    "View",
    "card_headings",
    "check_layers",
    "check_structure",
    "check_view",
    "load_structures",
    "load_view",
    "point_in_polygon",
    "pooled_prevalence",
    "prevalence_table",
    "structure",
    "wilson_interval",
]

#: The two views of the diagram.
VIEWS = ("front", "side")
#: Layers the learner can switch on and off, in drawing order (bottom first).
LAYERS = ("bones", "muscles", "nerves", "diaphragm", "kidneys", "vessels")
#: Vertebral levels from top to bottom; discs are named "T12-L1" ... "L5-S1".
LEVELS = ("T12", "L1", "L2", "L3", "L4", "L5")
#: The five fields of a structure card, in display order.
CARD_FIELDS = ("origin", "insertion", "innervation", "action", "neighbours")

_HEADINGS = {
    "muscle": ("Origin", "Insertion", "Nerve supply", "Action", "Neighbours"),
    "tendon": ("Formed by", "Attaches to", "Nerve supply", "Action", "Neighbours"),
    "nerve": ("Roots", "Course and end", "Supplies", "Role", "Neighbours"),
    "ligament": ("Medial attachment", "Lateral attachment", "Nerve supply", "Role", "Neighbours"),
    "bone": ("Parts shown", "Muscles attached", "Nerves nearby", "Role", "Neighbours"),
    "organ": ("Position", "Lies on", "Nerves nearby", "Role", "Neighbours"),
    "vessel": ("Begins", "Course and end", "Nerves nearby", "Role", "Neighbours"),
}


@dataclass(frozen=True)
class Structure:
    """A selectable structure of the diagram and its card."""

    id: str
    name: str
    layer: str
    kind: str
    summary: str
    card: dict[str, Claim]
    variation: tuple[Claim, ...]
    prevalence: dict | None
    describe: dict[str, str]

    @property
    def refs(self) -> tuple[str, ...]:
        """Every reference key used by the card and its variation notes, without repeats."""
        keys = [k for claim in (*self.card.values(), *self.variation) for k in claim.refs]
        if self.prevalence:
            keys += [s["ref"] for s in self.prevalence["studies"]]
        return tuple(dict.fromkeys(keys))


@dataclass(frozen=True)
class Shape:
    """One drawable piece of a structure, already mirrored to one side.

    Attributes
    ----------
    key : str
        Unique within the view, e.g. ``"psoas_belly@left"``.
    structure : str
        Structure id the shape belongs to.
    kind : str
        ``"polygon"``, ``"line"`` or ``"circle"``.
    points : numpy.ndarray
        ``(n, 2)`` coordinates in cm (for a circle: its centre, one row).
    style : str
        Drawing role, e.g. ``"muscle"``, ``"nerve_inside"``.
    side : str
        ``"left"``, ``"right"`` or ``"midline"``.
    radius : float
        Circle radius (0 for other kinds).
    part : str
        Name of the part, e.g. ``"slip T12-L1"`` (may be empty).
    """

    key: str
    structure: str
    kind: str
    points: np.ndarray
    style: str
    side: str
    radius: float = 0.0
    part: str = ""


@dataclass(frozen=True)
class VertebralLevel:
    """A vertebral body or an intervertebral disc, as a quadrilateral in one view.

    ``corners`` run lower-back, lower-front, upper-front, upper-back in the side view and
    lower-right, lower-left, upper-left, upper-right (viewer's) in the front view.
    """

    name: str
    corners: np.ndarray

    @property
    def centre(self) -> np.ndarray:
        """Centre of the quadrilateral."""
        return self.corners.mean(axis=0)

    @property
    def y_range(self) -> tuple[float, float]:
        """Lowest and highest y of the quadrilateral."""
        return float(self.corners[:, 1].min()), float(self.corners[:, 1].max())


@dataclass(frozen=True)
class View:
    """One view of the diagram: spine levels, landmarks, shapes and label positions."""

    name: str
    title: str
    orientation: str
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    bodies: dict[str, VertebralLevel]
    discs: dict[str, VertebralLevel]
    landmarks: dict[str, np.ndarray]
    shapes: tuple[Shape, ...]
    labels: tuple[dict, ...]

    def level(self, name: str) -> VertebralLevel:
        """A vertebral body (``"L3"``) or disc (``"L3-L4"``) by name.

        Raises
        ------
        ValueError
            Naming the unknown level and the valid names.
        """
        if name in self.bodies:
            return self.bodies[name]
        if name in self.discs:
            return self.discs[name]
        valid = [*self.bodies, *self.discs]
        raise ValueError(f"unknown vertebral level {name!r}; expected one of {valid}")

    def landmark(self, name: str, side: str = "left") -> np.ndarray:
        """A named landmark point, on the person's ``"left"`` or ``"right"`` side.

        Raises
        ------
        ValueError
            For an unknown landmark or side.
        """
        if name not in self.landmarks:
            raise ValueError(f"unknown landmark {name!r} in the {self.name} view; "
                             f"expected one of {sorted(self.landmarks)}")
        point = self.landmarks[name].copy()
        if side == "right":
            if self.name != "front":
                raise ValueError(f"side={side!r}: the {self.name} view shows the left side only")
            point[0] = -point[0]
        elif side != "left":
            raise ValueError(f"side={side!r}; expected 'left' or 'right'")
        return point

    def shapes_of(self, structure_id: str, side: str | None = None) -> list[Shape]:
        """The shapes of one structure (optionally one side only), in drawing order."""
        check_structure(structure_id)
        return [s for s in self.shapes
                if s.structure == structure_id and (side is None or s.side == side)]

    def shape(self, key: str) -> Shape:
        """One shape by key (e.g. ``"psoas_belly@left"``).

        Raises
        ------
        ValueError
            Naming the key and listing the keys that start the same way.
        """
        for item in self.shapes:
            if item.key == key:
                return item
        stem = key.split("@")[0]
        close = [s.key for s in self.shapes if s.key.startswith(stem)]
        raise ValueError(f"no shape {key!r} in the {self.name} view; similar: {close}")


# --------------------------------------------------------------------------- validation


def check_view(view: str) -> str:
    """Return ``view`` if it is one of :data:`VIEWS`, else raise ValueError naming it."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; expected one of {list(VIEWS)}")
    return view


def check_layers(layers) -> tuple[str, ...]:
    """Validate a collection of layer names; return them in :data:`LAYERS` order.

    Raises
    ------
    ValueError
        For a name that is not a layer (or a bare string instead of a collection).
    """
    if isinstance(layers, str):
        raise ValueError(f"layers={layers!r} must be a collection of layer names, "
                         f"e.g. ('bones', 'muscles'), not a single string")
    names = list(layers)
    for name in names:
        if name not in LAYERS:
            raise ValueError(f"unknown layer {name!r}; expected some of {list(LAYERS)}")
    return tuple(layer for layer in LAYERS if layer in names)


def check_structure(structure_id: str) -> str:
    """Return ``structure_id`` if a structure has it, else raise ValueError naming it."""
    known = load_structures()
    if structure_id not in known:
        raise ValueError(f"unknown structure {structure_id!r}; expected one of {list(known)}")
    return structure_id


# --------------------------------------------------------------------------- structures


def _claim(data: dict) -> Claim:
    return Claim(data["text"], data["label"], tuple(data["refs"]))


@cache
def load_structures() -> dict[str, Structure]:
    """Load the structures and their cards, validated, with every reference resolved.

    Returns
    -------
    dict of str to Structure
        Keyed by id, in the file's order (the order of the explorer's menu).

    Raises
    ------
    DataError
        When the file is malformed, an id repeats, a reference is unknown, or a prevalence
        study reports more people with the structure than it examined.
    """
    source = "data/anatomy_structures.json"
    data = load_json("anatomy_structures.json", "anatomy_structures")
    out: dict[str, Structure] = {}
    for item in data["structures"]:
        sid = item["id"]
        if sid in out:
            raise DataError(source, "duplicate structure id", entry=sid, field="id")
        prevalence = item.get("prevalence")
        for study in (prevalence or {}).get("studies", []):
            if study["present"] > study["n"]:
                raise DataError(source, f"present={study['present']!r} exceeds n={study['n']!r}",
                                entry=sid, field="prevalence")
        structure_ = Structure(
            id=sid, name=item["name"], layer=item["layer"], kind=item["kind"],
            summary=item["summary"],
            card={field: _claim(item["card"][field]) for field in CARD_FIELDS},
            variation=tuple(_claim(v) for v in item.get("variation", [])),
            prevalence=prevalence, describe=dict(item["describe"]))
        resolve(structure_.refs, f"{source}, structure {sid!r}")
        out[sid] = structure_
    return out


def structure(structure_id: str) -> Structure:
    """Return one structure (with its card) by id.

    Raises
    ------
    ValueError
        Naming the unknown id and the valid ids.
    """
    return load_structures()[check_structure(structure_id)]


def card_headings(structure_id: str) -> dict[str, str]:
    """Display headings of a structure's five card fields (they depend on its kind).

    A nerve's ``origin`` is shown as "Roots", a bone's as "Parts shown", and so on.
    """
    kind = structure(structure_id).kind
    return dict(zip(CARD_FIELDS, _HEADINGS[kind], strict=True))


# --------------------------------------------------------------------------- views


def _unit(angle_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Forward and upward unit vectors of an endplate tilted ``angle_deg`` (front edge down)."""
    a = math.radians(angle_deg)
    forward = np.array([math.cos(a), -math.sin(a)])
    up = np.array([math.sin(a), math.cos(a)])
    return forward, up


def _build_spine(spec: dict) -> tuple[dict[str, VertebralLevel], dict[str, VertebralLevel]]:
    """Stack discs and vertebral bodies from the top of S1 upwards."""
    mid = np.array(spec["base"], dtype=float)
    angle = float(spec["base_angle"])
    bodies: dict[str, VertebralLevel] = {}
    discs: dict[str, VertebralLevel] = {}
    below_name = "S1"
    below_width = spec["levels"][0]["width"]
    expected = list(reversed(LEVELS))
    names = [lev["name"] for lev in spec["levels"]]
    if names != expected:
        raise DataError("data/anatomy_views", f"spine levels must run {expected}, got {names}",
                        field="spine/levels")
    for lev in spec["levels"]:
        fwd0, _ = _unit(angle)
        fwd1, up1 = _unit(lev["angle"])
        _, up_mean = _unit((angle + lev["angle"]) / 2)
        half0, half1 = below_width / 2, lev["width"] / 2
        lower = mid
        upper_mid = lower + up_mean * lev["disc_below"]
        discs[f"{lev['name']}-{below_name}"] = VertebralLevel(
            f"{lev['name']}-{below_name}",
            np.array([lower - fwd0 * half0, lower + fwd0 * half0,
                      upper_mid + fwd1 * half1, upper_mid - fwd1 * half1]))
        top_mid = upper_mid + up1 * lev["height"]
        bodies[lev["name"]] = VertebralLevel(
            lev["name"],
            np.array([upper_mid - fwd1 * half1, upper_mid + fwd1 * half1,
                      top_mid + fwd1 * half1, top_mid - fwd1 * half1]))
        mid, angle, below_name, below_width = top_mid, lev["angle"], lev["name"], lev["width"]
    return bodies, discs


def _smooth(points: np.ndarray, closed: bool, per_segment: int = 8) -> np.ndarray:
    """Uniform Catmull-Rom spline through the points (passes through every point)."""
    if len(points) < 3:
        return points
    pts = np.vstack([points[-1], points, points[:2]]) if closed else \
        np.vstack([2 * points[0] - points[1], points, 2 * points[-1] - points[-2]])
    n_seg = len(points) if closed else len(points) - 1
    t = np.linspace(0, 1, per_segment, endpoint=False)[:, None]
    out = []
    for i in range(n_seg):
        p0, p1, p2, p3 = pts[i], pts[i + 1], pts[i + 2], pts[i + 3]
        out.append(0.5 * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t ** 2
                          + (-p0 + 3 * p1 - 3 * p2 + p3) * t ** 3))
    curve = np.vstack(out)
    if not closed:
        curve = np.vstack([curve, points[-1]])
    return curve


def _mirror(points: np.ndarray) -> np.ndarray:
    out = points.copy()
    out[:, 0] = -out[:, 0]
    return out


@cache
def load_view(view: str) -> View:
    """Load one view of the diagram, validated, with the spine built and shapes mirrored.

    Parameters
    ----------
    view : {"front", "side"}
        Which view.

    Returns
    -------
    View

    Raises
    ------
    ValueError
        For an unknown view name.
    DataError
        When the file is malformed or names an unknown structure or landmark.
    """
    check_view(view)
    source = f"data/anatomy_views/{view}.json"
    data = load_json(f"anatomy_views/{view}.json", "anatomy_view")
    if data["view"] != view:
        raise DataError(source, f"file describes view {data['view']!r}", field="view")
    known = load_structures()
    bodies, discs = _build_spine(data["spine"])
    landmarks = {name: np.array(p, dtype=float) for name, p in data["landmarks"].items()}
    shapes: list[Shape] = []
    for item in data["shapes"]:
        sid = item["structure"]
        if sid not in known:
            raise DataError(source, f"unknown structure {sid!r}", entry=item["id"],
                            field="structure")
        side = item.get("side", "left" if view == "side" else "midline")
        if side == "both" and view != "front":
            raise DataError(source, "side 'both' is only for the front view", entry=item["id"],
                            field="side")
        kind = item["kind"]
        if kind in ("spine_bodies", "spine_discs"):
            levels = bodies if kind == "spine_bodies" else discs
            for name, lev in levels.items():
                shapes.append(Shape(f"{item['id']}_{name}@midline", sid, "polygon", lev.corners,
                                    item["style"], "midline", part=name))
            continue
        points = np.array(item.get("points", []), dtype=float).reshape(-1, 2)
        for end, key in (("from_landmark", 0), ("to_landmark", -1)):
            if end in item:
                if item[end] not in landmarks:
                    raise DataError(source, f"unknown landmark {item[end]!r}", entry=item["id"],
                                    field=end)
                lm = landmarks[item[end]][None, :]
                points = np.vstack([lm, points]) if key == 0 else np.vstack([points, lm])
        if item.get("smooth") and kind in ("polygon", "line"):
            points = _smooth(points, closed=kind == "polygon")
        radius = float(item.get("radius", 0.0))
        part = item.get("part", "")
        if side == "both":
            shapes.append(Shape(f"{item['id']}@left", sid, kind, points, item["style"], "left",
                                radius, part))
            shapes.append(Shape(f"{item['id']}@right", sid, kind, _mirror(points),
                                item["style"], "right", radius, part))
        else:
            shapes.append(Shape(f"{item['id']}@{side}", sid, kind, points, item["style"], side,
                                radius, part))
    keys = [s.key for s in shapes]
    if len(keys) != len(set(keys)):
        dup = sorted({k for k in keys if keys.count(k) > 1})
        raise DataError(source, f"duplicate shape ids {dup}", field="shapes")
    for label in data["labels"]:
        if label["structure"] not in known:
            raise DataError(source, f"label for unknown structure {label['structure']!r}",
                            field="labels")
    return View(view, data["title"], data["orientation"], tuple(data["limits"]["x"]),
                tuple(data["limits"]["y"]), bodies, discs, landmarks, tuple(shapes),
                tuple(data["labels"]))


# --------------------------------------------------------------------------- geometry


def point_in_polygon(point, polygon) -> bool:
    """Whether a point lies inside a polygon (even-odd rule; points on an edge may go either way).

    Parameters
    ----------
    point : array_like, shape (2,)
    polygon : array_like, shape (n, 2)
    """
    x, y = float(point[0]), float(point[1])
    poly = np.asarray(polygon, dtype=float)
    xs, ys = poly[:, 0], poly[:, 1]
    xj, yj = np.roll(xs, 1), np.roll(ys, 1)
    crosses = (ys > y) != (yj > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_at = (xj - xs) * (y - ys) / (yj - ys) + xs
    return bool(np.count_nonzero(crosses & (x < x_at)) % 2)


# --------------------------------------------------------------------------- variation


def wilson_interval(present: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for a proportion (default 95%).

    Parameters
    ----------
    present, n : int
        Count with the feature and number examined (``0 <= present <= n``, ``n >= 1``).
    z : float
        Normal quantile (1.96 for 95%).

    Returns
    -------
    (low, high) : tuple of float
        Bounds between 0 and 1.
    """
    if n < 1 or not 0 <= present <= n:
        raise ValueError(f"need 0 <= present <= n and n >= 1, got present={present!r}, n={n!r}")
    p = present / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low = 0.0 if present == 0 else max(0.0, centre - half)
    high = 1.0 if present == n else min(1.0, centre + half)
    return low, high


def prevalence_table(structure_id: str = "psoas_minor") -> list[dict]:
    """The prevalence studies of a variable structure, with proportions and 95% intervals.

    Returns
    -------
    list of dict
        One per study, in the data's order: ``ref``, ``present``, ``n``, ``population``,
        ``proportion``, ``low``, ``high``.

    Raises
    ------
    ValueError
        For an unknown structure or one without prevalence data.
    """
    item = structure(structure_id)
    if not item.prevalence:
        raise ValueError(f"structure {structure_id!r} has no prevalence studies")
    rows = []
    for study in item.prevalence["studies"]:
        low, high = wilson_interval(study["present"], study["n"])
        rows.append({**study, "proportion": study["present"] / study["n"],
                     "low": low, "high": high})
    return rows


def pooled_prevalence(structure_id: str = "psoas_minor") -> dict:
    """All prevalence studies of a structure pooled (counts added), with a 95% Wilson interval.

    A simple pooled count, not a meta-analysis: it ignores differences between populations.

    Returns
    -------
    dict
        ``present``, ``n``, ``proportion``, ``low``, ``high``, ``studies`` (count),
        ``min`` and ``max`` (the lowest and highest single-study proportions).
    """
    rows = prevalence_table(structure_id)
    present = sum(r["present"] for r in rows)
    n = sum(r["n"] for r in rows)
    low, high = wilson_interval(present, n)
    props = [r["proportion"] for r in rows]
    return {"present": present, "n": n, "proportion": present / n, "low": low, "high": high,
            "studies": len(rows), "min": min(props), "max": max(props)}
