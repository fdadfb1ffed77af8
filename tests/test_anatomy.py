"""Tests of the anatomy data and model layer: landmark geometry, cards, variation, bad input."""

from __future__ import annotations

import copy
import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from melt_course.content import anatomy
from melt_course.content.anatomy import (
    CARD_FIELDS,
    LAYERS,
    LEVELS,
    VIEWS,
    check_layers,
    load_structures,
    load_view,
    point_in_polygon,
    pooled_prevalence,
    prevalence_table,
    structure,
    wilson_interval,
)
from melt_course.content.bibliography import get
from melt_course.content.evidence import load_labels
from melt_course.content.loader import DataError

SLIP_LEVELS = ("T12-L1", "L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5")


def _boundary_distance(point, polygon) -> float:
    """Shortest distance from a point to a closed polygon's outline."""
    p = np.asarray(point, dtype=float)
    a = np.asarray(polygon, dtype=float)
    b = np.roll(a, -1, axis=0)
    ab = b - a
    t = np.clip(np.einsum("ij,ij->i", p - a, ab) / np.einsum("ij,ij->i", ab, ab), 0, 1)
    nearest = a + ab * t[:, None]
    return float(np.min(np.linalg.norm(nearest - p, axis=1)))


def _poly(view, key):
    return load_view(view).shape(key).points


def _psoas(view, side="left"):
    return _poly(view, f"psoas_belly@{side}")


def _x_span(polygon, y):
    """Leftmost and rightmost x where a horizontal line at y crosses the polygon's outline."""
    a = np.asarray(polygon)
    b = np.roll(a, -1, axis=0)
    xs = []
    for (x0, y0), (x1, y1) in zip(a, b, strict=True):
        if (y0 - y) * (y1 - y) <= 0 and y0 != y1:
            xs.append(x0 + (x1 - x0) * (y - y0) / (y1 - y0))
    return min(xs), max(xs)


def _slip_range(view, level):
    data = load_view(view)
    return data.level(level).y_range


# --------------------------------------------------------------------------- spine


@pytest.mark.parametrize("view", VIEWS)
def test_vertebrae_and_discs_stack_from_l5_up_to_t12(view):
    data = load_view(view)
    centres = [data.bodies[name].centre[1] for name in LEVELS]
    assert centres == sorted(centres, reverse=True), "T12 must be highest, L5 lowest"
    for upper, lower in itertools.pairwise(LEVELS):
        disc = data.level(f"{upper}-{lower}")
        assert data.bodies[lower].centre[1] < disc.centre[1] < data.bodies[upper].centre[1]


def test_side_view_has_a_lumbar_lordosis():
    """The lumbar bodies' front edges bulge forward: L3 is further forward than T12 and L5."""
    data = load_view("side")
    front = {name: data.bodies[name].corners[[1, 2], 0].mean() for name in LEVELS}
    assert front["L3"] > front["T12"] + 1.0
    assert front["L3"] > front["L5"]


# --------------------------------------------------------------------------- psoas major


@pytest.mark.parametrize("view", VIEWS)
def test_psoas_slips_attach_one_per_level_from_t12_l1_to_l5_in_order(view):
    data = load_view(view)
    slips = [s for s in data.shapes if s.structure == "psoas_major" and s.part.startswith("slip ")]
    assert sorted(s.part[5:] for s in slips if s.side == "left") == sorted(SLIP_LEVELS)
    heights = []
    for level in SLIP_LEVELS:
        origin = data.landmark(f"slip_{level.replace('-', '_').lower()}")
        shape = data.shape(f"slip_{level.replace('-', '_').lower()}@left")
        assert np.allclose(shape.points[0], origin), "each slip line starts at its landmark"
        low, high = _slip_range(view, level)
        assert low - 0.2 <= origin[1] <= high + 0.2, f"slip {level} is not at its level"
        heights.append(origin[1])
        # the slip starts on the psoas (at its attachment) and runs down inside the belly
        assert _boundary_distance(origin, _psoas(view)) < 0.6 or \
            point_in_polygon(origin, _psoas(view))
        assert all(point_in_polygon(p, _psoas(view)) for p in shape.points[2:])
        assert shape.points[-1][1] < origin[1]
    assert heights == sorted(heights, reverse=True), "slips must run T12-L1 (top) to L5"


def test_front_view_slips_arise_from_the_side_of_the_vertebral_bodies():
    data = load_view("front")
    for level in SLIP_LEVELS:
        origin = data.landmark(f"slip_{level.replace('-', '_').lower()}")
        if level == "L5":
            half_width = data.bodies["L5"].corners[:, 0].max()
        else:
            half_width = data.discs[level].corners[:, 0].max()
        assert abs(origin[0] - half_width) < 0.5, f"slip {level} is not at the body's side"
        mirrored = data.landmark(f"slip_{level.replace('-', '_').lower()}", side="right")
        assert mirrored[0] == pytest.approx(-origin[0])


def test_front_view_transverse_process_origins_lie_under_psoas():
    data = load_view("front")
    for level in ("L1", "L2", "L3", "L4", "L5"):
        tp = data.shape(f"tp_{level.lower()}@left")
        low, high = data.bodies[level].y_range
        assert low <= tp.points[:, 1].min() and tp.points[:, 1].max() <= high
        tip = tp.points[np.argmax(tp.points[:, 0])]
        assert point_in_polygon(tip, _psoas("front")) or \
            _boundary_distance(tip, _psoas("front")) < 0.5
        fibre = data.shape(f"tp_fibres_{level.lower()}@left")
        assert np.linalg.norm(fibre.points[0] - tip) < 1.0


@pytest.mark.parametrize("view", VIEWS)
def test_iliopsoas_tendon_ends_at_the_lesser_trochanter(view):
    data = load_view(view)
    lt = data.landmark("lesser_trochanter")
    tendon = data.shape("iliopsoas_tendon@left")
    assert np.allclose(tendon.points[-1], lt)
    femur = data.shape("femur_body@left").points
    assert _boundary_distance(lt, femur) < 0.3, "the lesser trochanter is on the femur"
    head = data.shape("femoral_head@left")
    assert lt[1] < head.points[0][1] - head.radius - 2.0, "below the femoral head and neck"
    # the tendon starts where the psoas belly ends
    assert _boundary_distance(tendon.points[0], _psoas(view)) < 1.0 or \
        point_in_polygon(tendon.points[0], _psoas(view))


def test_lesser_trochanter_is_on_the_inner_side_of_the_femur_in_front_and_back_in_side_view():
    front = load_view("front")
    lt = front.landmark("lesser_trochanter")
    shaft = front.shape("femur_body@left").points
    lo, _ = _x_span(shaft, lt[1])
    assert lt[0] == pytest.approx(lo, abs=0.3), "medial border of the shaft"
    side = load_view("side")
    lt_side = side.landmark("lesser_trochanter")
    lo, _hi = _x_span(side.shape("femur_body@left").points, lt_side[1])
    assert lt_side[0] == pytest.approx(lo, abs=0.3), "back of the shaft"


def test_side_view_psoas_passes_in_front_of_the_hip_joint():
    data = load_view("side")
    head = data.shape("femoral_head@left")
    lo, _hi = _x_span(_psoas("side"), head.points[0][1])
    assert lo >= head.points[0][0] + head.radius - 0.2


# --------------------------------------------------------------------------- psoas minor


@pytest.mark.parametrize("view", VIEWS)
def test_psoas_minor_runs_from_t12_l1_to_the_iliopubic_eminence(view):
    data = load_view(view)
    origin = data.landmark("psoas_minor_origin")
    low, high = data.level("T12-L1").y_range
    assert low - 0.3 <= origin[1] <= high + 0.3
    tendon = data.shape("psoas_minor_tendon@left")
    eminence = data.landmark("iliopubic_eminence")
    assert np.allclose(tendon.points[-1], eminence)
    assert point_in_polygon(eminence, data.shape("hip_bone@left").points) or \
        _boundary_distance(eminence, data.shape("hip_bone@left").points) < 0.3
    assert np.linalg.norm(eminence - data.landmark("lesser_trochanter")) > 5, "not the femur"


def test_psoas_minor_is_drawn_on_one_side_only_in_the_front_view():
    sides = {s.side for s in load_view("front").shapes_of("psoas_minor")}
    assert sides == {"left"}
    sides_major = {s.side for s in load_view("front").shapes_of("psoas_major")}
    assert sides_major == {"left", "right"}


# --------------------------------------------------------------------------- nerves


@pytest.mark.parametrize("side", ["left", "right"])
def test_femoral_nerve_runs_in_the_groove_between_psoas_and_iliacus(side):
    data = load_view("front")
    psoas = _psoas("front", side)
    iliacus = data.shape(f"iliacus_belly@{side}").points
    nerve = data.shape(f"femoral_groove@{side}").points
    in_groove = nerve[(nerve[:, 1] > 0.5) & (nerve[:, 1] < 7.0)]
    assert len(in_groove) >= 5
    for point in in_groove:
        assert not point_in_polygon(point, psoas), f"{point} is inside psoas"
        assert point_in_polygon(point, iliacus), f"{point} is not on iliacus"
        assert _boundary_distance(point, psoas) < 0.6, f"{point} is not against psoas"
        lo, hi = _x_span(psoas, point[1])
        outward = point[0] > hi - 0.01 if side == "left" else point[0] < lo + 0.01
        assert outward, "the groove is on psoas' outer (lateral) side"


def test_femoral_nerve_leaves_psoas_low_on_its_outer_edge():
    data = load_view("front")
    exit_point = data.landmark("femoral_emergence")
    assert _boundary_distance(exit_point, _psoas("front")) < 0.3
    _lo, hi = _x_span(_psoas("front"), exit_point[1])
    assert exit_point[0] == pytest.approx(hi, abs=0.3)
    assert exit_point[1] < data.bodies["L5"].y_range[0], "below L5: the lower part of the border"
    inside = data.shape("femoral_inside@left")
    assert all(point_in_polygon(p, _psoas("front")) for p in inside.points[:-1])


def test_genitofemoral_nerve_comes_out_on_the_front_of_psoas_at_about_l3_l4():
    front = load_view("front")
    point = front.landmark("genitofemoral_emergence")
    low, high = front.bodies["L4"].centre[1], front.bodies["L3"].centre[1]
    assert low <= point[1] <= high, "between the middle of L4 and the middle of L3"
    assert point_in_polygon(point, _psoas("front")), "on the muscle's front surface"
    side = load_view("side")
    point = side.landmark("genitofemoral_emergence")
    assert side.bodies["L4"].centre[1] <= point[1] <= side.bodies["L3"].centre[1]
    psoas = _psoas("side")
    assert _boundary_distance(point, psoas) < 0.3
    on_front = side.shape("genitofemoral_front@left").points
    for p in on_front:
        lo, hi = _x_span(psoas, p[1])
        assert _boundary_distance(p, psoas) < 0.4 and p[0] > (lo + hi) / 2, \
            f"{p} is not on psoas' front surface"
    before = side.shape("genitofemoral_inside@left").points[1:-1]
    assert all(point_in_polygon(p, psoas) for p in before), "it runs through the muscle first"


@pytest.mark.parametrize("view", VIEWS)
def test_lumbar_plexus_forms_inside_psoas(view):
    data = load_view(view)
    psoas = _psoas(view)
    roots = [s for s in data.shapes_of("lumbar_plexus", "left") if s.part.endswith("root")]
    assert sorted(s.part for s in roots) == ["L1 root", "L2 root", "L3 root", "L4 root"]
    for root in roots:
        assert point_in_polygon(root.points[-1], psoas)
    loops = data.shape("plexus_loops@left").points
    assert all(point_in_polygon(p, psoas) for p in loops)


# --------------------------------------------------------------------------- diaphragm, kidney


def test_medial_arcuate_ligament_arches_from_l1_l2_body_to_l1_transverse_process():
    data = load_view("front")
    arch = data.shape("medial_arcuate@left").points
    medial, lateral = arch[0], arch[-1]
    assert np.allclose(medial, data.landmark("mal_medial"))
    assert np.allclose(lateral, data.landmark("l1_tp_tip"))
    low = data.bodies["L2"].y_range[0]
    high = data.bodies["L1"].y_range[1]
    assert low <= medial[1] <= high, "on the L1 or L2 body"
    assert abs(medial[0] - data.bodies["L1"].corners[:, 0].max()) < 0.4, "at the body's side"
    l1_low, l1_high = data.bodies["L1"].y_range
    assert l1_low <= lateral[1] <= l1_high, "at the L1 transverse process"
    assert arch[:, 1].max() > max(medial[1], lateral[1]), "it arches upwards"
    assert _psoas("front")[:, 1].max() > arch[:, 1].max(), "psoas passes up behind it"


def test_diaphragm_crura_reach_l3_on_the_right_and_l2_on_the_left():
    data = load_view("front")
    right = data.shape("right_crus@right").points[:, 1].min()
    left = data.shape("left_crus@left").points[:, 1].min()
    assert data.bodies["L3"].y_range[0] <= right <= data.bodies["L3"].y_range[1]
    assert data.bodies["L2"].y_range[0] <= left <= data.bodies["L2"].y_range[1]


def test_kidneys_lie_beside_t12_to_l3_on_psoas_and_the_left_is_higher():
    data = load_view("front")
    left = data.shape("kidney_left@left").points
    right = data.shape("kidney_right@right").points
    assert left[:, 1].max() > right[:, 1].max()
    for kidney, psoas in ((left, _psoas("front", "left")), (right, _psoas("front", "right"))):
        assert kidney[:, 1].max() >= data.bodies["T12"].y_range[0]
        assert data.bodies["L3"].y_range[0] - 1.0 <= kidney[:, 1].min() <= \
            data.bodies["L2"].y_range[1]
        assert any(point_in_polygon(p, psoas) for p in kidney), "its inner part lies on psoas"


@pytest.mark.parametrize("view", VIEWS)
def test_every_shape_lies_within_the_view(view):
    data = load_view(view)
    for shape in data.shapes:
        pts = shape.points
        assert data.xlim[0] <= pts[:, 0].min() and pts[:, 0].max() <= data.xlim[1], shape.key
        assert data.ylim[0] <= pts[:, 1].min() and pts[:, 1].max() <= data.ylim[1], shape.key


@pytest.mark.parametrize("view", VIEWS)
def test_every_structure_is_drawn_and_labelled_in_every_view(view):
    data = load_view(view)
    labelled = {label["structure"] for label in data.labels}
    for sid in load_structures():
        assert data.shapes_of(sid), f"{sid} has no shapes in the {view} view"
        assert sid in labelled, f"{sid} has no label in the {view} view"


# --------------------------------------------------------------------------- cards


def test_every_card_field_has_text_a_valid_label_and_resolving_references():
    labels = set(load_labels())
    for item in load_structures().values():
        assert item.layer in LAYERS
        assert set(item.card) == set(CARD_FIELDS)
        for claim in (*item.card.values(), *item.variation):
            assert claim.label in labels
            assert claim.refs
            for key in claim.refs:
                assert get(key).key == key
        assert set(anatomy.card_headings(item.id)) == set(CARD_FIELDS)


def test_card_describes_each_view_it_is_drawn_in():
    for item in load_structures().values():
        assert set(item.describe) == set(VIEWS), item.id


def test_psoas_major_innervation_shows_the_disagreement_between_sources():
    """Labelled anatomy (L1-L3 is standard; issue 12), with the variation and the L2-L4
    version noted."""
    claim = structure("psoas_major").card["innervation"]
    assert claim.label == "anatomy"
    assert "vary" in claim.text
    assert "L1" in claim.text and "L3" in claim.text and "L2-L4" in claim.text
    assert len(claim.refs) >= 2


def test_psoas_major_origin_names_every_level_from_t12_to_l5():
    text = structure("psoas_major").card["origin"].text
    for level in ("T12", "L5", "T12-L1", "L4-L5", "transverse"):
        assert level in text


def test_psoas_minor_prevalence_is_a_third_to_a_half_with_a_spread():
    rows = prevalence_table("psoas_minor")
    assert len(rows) >= 4
    props = [r["proportion"] for r in rows]
    assert min(props) < 0.40 and max(props) > 0.50, "the spread between studies is shown"
    pooled = pooled_prevalence("psoas_minor")
    assert 1 / 3 <= pooled["proportion"] <= 1 / 2
    assert pooled["n"] == sum(r["n"] for r in rows)
    assert pooled["min"] == min(props) and pooled["max"] == max(props)
    variation = " ".join(v.text for v in structure("psoas_minor").variation)
    assert f"{100 * min(props):.0f}%" in variation and f"{100 * max(props):.0f}%" in variation
    for row in rows:
        assert get(row["ref"]).design, "research references give design and size"


@given(st.integers(min_value=1, max_value=500), st.data())
def test_wilson_interval_contains_the_estimate_and_stays_in_0_1(n, data):
    present = data.draw(st.integers(min_value=0, max_value=n))
    low, high = wilson_interval(present, n)
    assert 0.0 <= low <= present / n <= high <= 1.0


@given(st.integers(min_value=1, max_value=200))
def test_wilson_interval_narrows_with_more_people(k):
    low1, high1 = wilson_interval(k, 2 * k)
    low2, high2 = wilson_interval(4 * k, 8 * k)
    assert high2 - low2 < high1 - low1


# --------------------------------------------------------------------------- bad input


def test_unknown_view_raises_value_error_naming_it():
    with pytest.raises(ValueError, match="'top'"):
        load_view("top")


def test_unknown_structure_raises_value_error_naming_it():
    with pytest.raises(ValueError, match=r"'psoas'.*psoas_major"):
        structure("psoas")
    with pytest.raises(ValueError, match="'psoas'"):
        load_view("front").shapes_of("psoas")


def test_bad_layers_raise_value_error():
    with pytest.raises(ValueError, match="'bone'"):
        check_layers(["bone"])
    with pytest.raises(ValueError, match=r"'bones'.*collection"):
        check_layers("bones")
    assert check_layers(["kidneys", "bones"]) == ("bones", "kidneys")


def test_bad_level_landmark_and_shape_names_raise_value_error():
    data = load_view("front")
    with pytest.raises(ValueError, match="'L6'"):
        data.level("L6")
    with pytest.raises(ValueError, match="'navel'"):
        data.landmark("navel")
    with pytest.raises(ValueError, match="'middle'"):
        data.landmark("lesser_trochanter", side="middle")
    with pytest.raises(ValueError, match="left side only"):
        load_view("side").landmark("lesser_trochanter", side="right")
    with pytest.raises(ValueError, match="'psoas_belly@middle'"):
        data.shape("psoas_belly@middle")


def test_bad_prevalence_input_raises_value_error():
    with pytest.raises(ValueError, match="present=5, n=3"):
        wilson_interval(5, 3)
    with pytest.raises(ValueError, match="'iliacus'"):
        prevalence_table("iliacus")


# --------------------------------------------------------------------------- broken data


@pytest.fixture
def broken_data(monkeypatch):
    """Serve modified copies of the anatomy files; caches are cleared before and after."""
    real = anatomy.load_json
    edits = {}

    def fake(relpath, schema):
        data = copy.deepcopy(real(relpath, schema))
        if relpath in edits:
            edits[relpath](data)
            from melt_course.content.loader import validate

            validate(data, schema, f"data/{relpath}")
        return data

    monkeypatch.setattr(anatomy, "load_json", fake)
    anatomy.load_view.cache_clear()
    anatomy.load_structures.cache_clear()
    yield edits
    anatomy.load_view.cache_clear()
    anatomy.load_structures.cache_clear()


def test_shape_naming_an_unknown_structure_is_a_data_error(broken_data):
    broken_data["anatomy_views/front.json"] = lambda d: d["shapes"][0].update(structure="spleen")
    with pytest.raises(DataError, match=r"front\.json.*'spleen'"):
        load_view("front")


def test_polygon_without_points_fails_schema_validation(broken_data):
    def drop(d):
        shape = next(s for s in d["shapes"] if s["kind"] == "polygon")
        del shape["points"]

    broken_data["anatomy_views/side.json"] = drop
    with pytest.raises(DataError, match=r"side\.json.*points"):
        load_view("side")


def test_card_with_unknown_reference_is_a_data_error(broken_data):
    def bad_ref(d):
        d["structures"][0]["card"]["origin"]["refs"] = ["nobody2099"]

    broken_data["anatomy_structures.json"] = bad_ref
    with pytest.raises(DataError, match="nobody2099"):
        load_structures()


def test_prevalence_study_with_more_present_than_examined_is_a_data_error(broken_data):
    def bad_count(d):
        item = next(s for s in d["structures"] if s["id"] == "psoas_minor")
        item["prevalence"]["studies"][0]["present"] = 99

    broken_data["anatomy_structures.json"] = bad_count
    with pytest.raises(DataError, match="present=99"):
        load_structures()


def test_line_ending_at_an_unknown_landmark_is_a_data_error(broken_data):
    def bad_landmark(d):
        shape = next(s for s in d["shapes"] if s.get("to_landmark"))
        shape["to_landmark"] = "nowhere"

    broken_data["anatomy_views/front.json"] = bad_landmark
    with pytest.raises(DataError, match="'nowhere'"):
        load_view("front")


# --------------------------------------------------------------------------- vessels layer

VESSEL_STRUCTURES = ("great_vessels", "iliac_vessels", "gonadal_vessels", "ureter",
                     "sympathetic_trunk")


def _crossings(a, b) -> int:
    """How many times two polylines cross (segment by segment)."""
    def cross(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    count = 0
    for p1, p2 in itertools.pairwise(np.asarray(a)):
        for q1, q2 in itertools.pairwise(np.asarray(b)):
            if (cross(p1, p2, q1) * cross(p1, p2, q2) < 0
                    and cross(q1, q2, p1) * cross(q1, q2, p2) < 0):
                count += 1
    return count


def test_vessels_layer_holds_the_new_neighbours_each_with_a_card_label_and_reference():
    known = load_structures()
    assert "vessels" in LAYERS
    for sid in VESSEL_STRUCTURES:
        item = known[sid]
        assert item.layer == "vessels"
        for claim in item.card.values():
            assert claim.refs and all(get(key).key == key for key in claim.refs)
        for view in VIEWS:
            assert any(label["structure"] == sid for label in load_view(view).labels)


def test_aorta_lies_left_of_the_vena_cava_and_divides_at_l4():
    data = load_view("front")
    aorta = data.shape("aorta@midline").points
    ivc = data.shape("ivc@midline").points
    assert aorta[:, 0].mean() > 0 > ivc[:, 0].mean(), "aorta on the person's left, IVC right"
    division = aorta[:, 1].min()
    low, high = data.bodies["L4"].y_range[0] - 1.0, data.bodies["L4"].y_range[1]
    assert low <= division <= high, f"aorta divides at y={division}, not at L4"
    assert data.bodies["L5"].y_range[0] <= ivc[:, 1].min() <= data.bodies["L5"].y_range[1]


def test_external_iliac_artery_runs_along_the_inner_border_of_psoas():
    data = load_view("front")
    artery = data.shape("external_iliac_artery@left").points
    psoas = _psoas("front")
    for y in (2.0, 4.0, 6.0, 8.0):
        inner_edge = _x_span(psoas, y)[0]
        xs = _x_span(artery, y)
        assert xs[1] <= inner_edge + 0.6, f"artery at y={y} lies outside psoas' inner border"
        assert inner_edge - xs[0] < 2.5, f"artery at y={y} is far from psoas"


def test_ureter_lies_on_psoas_and_the_gonadal_vessels_cross_in_front_of_it():
    data = load_view("front")
    psoas = _psoas("front")
    ureter = data.shape("ureter@left").points
    on_psoas = [p for p in ureter if data.bodies["L3"].y_range[0] <= p[1] <=
                data.bodies["L2"].y_range[1]]
    assert on_psoas and all(point_in_polygon(p, psoas) for p in on_psoas)
    gonadal = data.shape("gonadal@left").points
    assert _crossings(ureter, gonadal) == 1, "the gonadal vessels cross the ureter once"
    from melt_course.figures.anatomy import _STYLE
    assert _STYLE["vessel_thin"]["z"] > _STYLE["ureter"]["z"], "and are drawn in front of it"


def test_sympathetic_trunk_runs_on_the_bodies_along_psoas_inner_border():
    data = load_view("front")
    trunk = data.shape("sympathetic_chain@left").points
    psoas = _psoas("front")
    for level in ("L1", "L2", "L3", "L4"):
        y = float(np.mean(data.bodies[level].y_range))
        x_trunk = float(np.interp(y, trunk[::-1, 1], trunk[::-1, 0]))
        inner_edge = _x_span(psoas, y)[0]
        body_edge = data.bodies[level].corners[:, 0].max()
        assert abs(x_trunk - inner_edge) < 0.6, f"{level}: trunk not at psoas' inner border"
        assert x_trunk <= body_edge, f"{level}: trunk not on the vertebral body"
    ganglia = [s for s in data.shapes_of("sympathetic_trunk", "left") if s.kind == "circle"]
    assert len(ganglia) == 4, "usually four lumbar ganglia (Gray 1918)"
