"""Compute the course's reference numbers with OpenSim itself and store them as package data.

The course checks its own hip-flexor model against two published OpenSim models, gait2392
(Delp et al. 1990; Thelen 2003 muscles) and Rajagopal et al. 2016, and follows one measured
walking trial. This script loads the model files in ``reference/opensim/`` (copied unchanged
from opensim-org/opensim-models, commit 20a888b; see the README there) with the real OpenSim
API and writes:

* ``melt_course/data/opensim_reference.json`` - for psoas, iliacus, rectus
  femoris, sartorius and TFL in both models: musculotendon length and hip-flexion moment arm
  from -30 to 120 degrees of hip flexion (1-degree steps) with the knee straight and at 90
  degrees; at full activation, OpenSim's own muscle equilibrium (normalised fibre length and
  tendon force, with each model's tendons as published); and each muscle's parameters.
* ``melt_course/data/walking_trial.json`` - the measured walking trial (hip and knee
  angle, pelvis tilt, lumbar extension, vertical ground reaction force of both feet) and psoas
  and iliacus length and moment arm along it in both models.

Both files carry their provenance (model files, source commit, OpenSim version) and are
validated against ``melt_course/data/schemas/``. OpenSim is a script- and test-time tool (the
``reference`` extra: ``pip install -e .[reference]``), never a learner's dependency.

    .venv/bin/python scripts/opensim_reference.py            # write the package data
    .venv/bin/python scripts/opensim_reference.py --out DIR  # write elsewhere (tests do this)

Only the right leg is used. Every coordinate is unlocked and set to zero, then hip flexion
(and knee flexion) set; constraints such as Rajagopal's patella coupler are assembled by
OpenSim. The knee conventions differ: gait2392's ``knee_angle_r`` is negative in flexion,
Rajagopal's positive; the script converts so that ``knee_flexion_deg`` is positive in flexion
for both.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "reference" / "opensim"
OUT_DIR = ROOT / "melt_course" / "data"
SOURCE_COMMIT = "20a888b"
SOURCE_REPO = "opensim-org/opensim-models"

HIP_DEG = list(range(-30, 121))          # the course's hip range, 1-degree steps
KNEE_DEG = (0, 90)
MUSCLES = ("psoas", "iliacus", "rectus_femoris", "sartorius", "tfl")

MODELS = {
    "gait2392": {
        "file": "gait2392_thelen2003muscle.osim",
        "path_in_source": "Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim",
        "refs": ["delp1990", "opensim-models"],
        "names": {"psoas": "psoas_r", "iliacus": "iliacus_r", "rectus_femoris": "rect_fem_r",
                  "sartorius": "sar_r", "tfl": "tfl_r"},
        "knee_sign": -1.0,
    },
    "rajagopal2016": {
        "file": "Rajagopal2016.osim",
        "path_in_source": "Models/Rajagopal/Rajagopal2016.osim",
        "refs": ["rajagopal2016", "opensim-models"],
        "names": {"psoas": "psoas_r", "iliacus": "iliacus_r", "rectus_femoris": "recfem_r",
                  "sartorius": "sart_r", "tfl": "tfl_r"},
        "knee_sign": 1.0,
    },
}

TRIAL_IK = "subject01_walk1_ik.mot"
TRIAL_GRF = "subject01_walk1_grf.mot"
TRIAL_MUSCLES = ("psoas", "iliacus")


def _round(x: float, digits: int = 6) -> float | None:
    if x is None or not math.isfinite(x):
        return None
    return round(float(x), digits)


def read_mot(path: Path) -> dict[str, list[float]]:
    """Read an OpenSim .mot/.sto file: tab-separated columns after an ``endheader`` line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().lower() == "endheader")
    names = lines[start + 1].split()
    columns: dict[str, list[float]] = {n: [] for n in names}
    for line in lines[start + 2:]:
        parts = line.split()
        if len(parts) != len(names):
            continue
        for n, v in zip(names, parts, strict=True):
            columns[n].append(float(v))
    return columns


class _Model:
    """One OpenSim model with its default state, every coordinate unlocked and zeroed."""

    def __init__(self, osim, key: str):
        self.osim = osim
        self.key = key
        self.spec = MODELS[key]
        self.model = osim.Model(str(SOURCE_DIR / self.spec["file"]))
        self.state = self.model.initSystem()
        coords = self.model.getCoordinateSet()
        self.coords = {coords.get(i).getName(): coords.get(i) for i in range(coords.getSize())}
        for c in self.coords.values():
            c.setLocked(self.state, False)
        self.hip = self.coords["hip_flexion_r"]
        self.knee = self.coords["knee_angle_r"]
        muscles = self.model.getMuscles()
        # The concrete class (Thelen2003Muscle, Millard2012EquilibriumMuscle) has the getters.
        self.muscles = {}
        for m in MUSCLES:
            base = muscles.get(self.spec["names"][m])
            self.muscles[m] = getattr(osim, base.getConcreteClassName()).safeDownCast(base)

    def range_deg(self, coord) -> list[float]:
        return [_round(math.degrees(coord.getRangeMin()), 4),
                _round(math.degrees(coord.getRangeMax()), 4)]

    def pose(self, hip_deg: float, knee_flexion_deg: float) -> None:
        for name, c in self.coords.items():
            if name in ("hip_flexion_r", "knee_angle_r"):
                continue
            if c.getValue(self.state) != 0.0:
                c.setValue(self.state, 0.0, False)
        self.hip.setValue(self.state, math.radians(hip_deg), False)
        self.knee.setValue(self.state, self.spec["knee_sign"] * math.radians(knee_flexion_deg),
                           False)
        self.model.assemble(self.state)
        self.model.realizePosition(self.state)

    def geometry(self, muscle: str) -> tuple[float, float]:
        m = self.muscles[muscle]
        return m.getLength(self.state), m.computeMomentArm(self.state, self.hip)

    def equilibrium(self) -> dict:
        """OpenSim's fibre-tendon equilibrium at full activation and zero speed, this pose.

        The five muscles are activated together (each muscle's static equilibrium depends
        only on its own length and activation); every other muscle stays at its default.
        """
        for m in self.muscles.values():
            m.setActivation(self.state, 1.0)
        self.model.equilibrateMuscles(self.state)
        self.model.realizeDynamics(self.state)
        out = {}
        for key, m in self.muscles.items():
            out[key] = {
                "normalized_fibre_length": _round(m.getNormalizedFiberLength(self.state)),
                "tendon_force": _round(m.getTendonForce(self.state), 3),
                "active_fibre_force_along_tendon":
                    _round(m.getActiveFiberForceAlongTendon(self.state), 3),
                "passive_fibre_force_along_tendon":
                    _round(m.getPassiveFiberForceAlongTendon(self.state), 3)}
        return out

    def parameters(self, muscle: str) -> dict:
        m = self.muscles[muscle]
        compliant = not bool(m.get_ignore_tendon_compliance())
        return {"opensim_name": m.getName(), "opensim_class": m.getConcreteClassName(),
                "max_isometric_force": _round(m.getMaxIsometricForce(), 6),
                "optimal_fibre_length": _round(m.getOptimalFiberLength(), 7),
                "tendon_slack_length": _round(m.getTendonSlackLength(), 7),
                "pennation_deg": _round(math.degrees(m.getPennationAngleAtOptimalFiberLength()),
                                        5),
                "compliant_tendon": compliant}


def hip_flexors(osim) -> dict:
    """Curves and parameters of the five hip flexors in both models."""
    out = {"hip_flexion_deg": HIP_DEG, "knee_flexion_deg": list(KNEE_DEG), "models": {}}
    for key in MODELS:
        mdl = _Model(osim, key)
        hip_range = mdl.range_deg(mdl.hip)
        if hip_range[0] > HIP_DEG[0] + 1e-6 or hip_range[1] < HIP_DEG[-1] - 1e-6:
            raise SystemExit(f"{key}: hip range {hip_range} does not cover {HIP_DEG[0]} to "
                             f"{HIP_DEG[-1]}")
        muscles = {m: {**mdl.parameters(m), "curves": {}} for m in MUSCLES}
        for knee in KNEE_DEG:
            rows = {m: {"length": [], "moment_arm": [], "normalized_fibre_length": [],
                        "tendon_force": [], "active_fibre_force_along_tendon": [],
                        "passive_fibre_force_along_tendon": []} for m in MUSCLES}
            for hip in HIP_DEG:
                mdl.pose(hip, knee)
                for m in MUSCLES:
                    length, arm = mdl.geometry(m)
                    rows[m]["length"].append(_round(length))
                    rows[m]["moment_arm"].append(_round(arm))
                for m, values in mdl.equilibrium().items():
                    for k, v in values.items():
                        rows[m][k].append(v)
            for m in MUSCLES:
                muscles[m]["curves"][str(knee)] = rows[m]
        out["models"][key] = {
            "file": mdl.spec["file"], "path_in_source": mdl.spec["path_in_source"],
            "refs": mdl.spec["refs"], "hip_range_deg": hip_range,
            "knee_coordinate_range_deg": mdl.range_deg(mdl.knee),
            "knee_sign": mdl.spec["knee_sign"], "muscles": muscles}
    return out


def _right_heel_strikes(time, force, threshold=20.0):
    """Times when the force rises through the threshold (foot lands on the plate)."""
    return [time[i] for i in range(1, len(force)) if force[i - 1] < threshold <= force[i]]


def walking_trial(osim) -> dict:
    """The measured trial and psoas/iliacus length and moment arm along it."""
    ik = read_mot(SOURCE_DIR / TRIAL_IK)
    grf = read_mot(SOURCE_DIR / TRIAL_GRF)
    time = ik["time"]
    # Ground reaction force resampled at the IK frames (nearest sample).
    gt = grf["time"]

    step = gt[1] - gt[0]

    def at(column):
        """Nearest force sample at each IK frame; None where the force file has ended."""
        values, j = [], 0
        for t in time:
            while j + 1 < len(gt) and abs(gt[j + 1] - t) <= abs(gt[j] - t):
                j += 1
            inside = gt[0] - step <= t <= gt[-1] + step
            values.append(_round(grf[column][j], 3) if inside else None)
        return values

    out = {"source_files": [TRIAL_IK, TRIAL_GRF],
           "time_s": [_round(t, 6) for t in time],
           "hip_flexion_deg": [_round(v, 4) for v in ik["hip_flexion_r"]],
           "knee_flexion_deg": [_round(-v, 4) for v in ik["knee_angle_r"]],
           "pelvis_tilt_deg": [_round(v, 4) for v in ik["pelvis_tilt"]],
           "lumbar_extension_deg": [_round(v, 4) for v in ik["lumbar_extension"]],
           # ground_force_* is under the right foot (it rises as the right hip, flexed about
           # 20 degrees, lands), 1_ground_force_* under the left.
           "grf_vertical_right_n": at("ground_force_vy"),
           "grf_vertical_left_n": at("1_ground_force_vy"),
           "models": {}}
    for key in MODELS:
        mdl = _Model(osim, key)
        rows = {m: {"length": [], "moment_arm": []} for m in TRIAL_MUSCLES}
        for hip, knee in zip(out["hip_flexion_deg"], out["knee_flexion_deg"], strict=True):
            mdl.pose(hip, max(knee, 0.0))
            for m in TRIAL_MUSCLES:
                length, arm = mdl.geometry(m)
                rows[m]["length"].append(_round(length))
                rows[m]["moment_arm"].append(_round(arm))
        out["models"][key] = rows
    return out


def dumps(data) -> str:
    """JSON with objects indented and each list of numbers on one line."""
    text = json.dumps(data, indent=1)
    return re.sub(r"\[\s*([-0-9.eE,\snul]*?)\s*\]",
                  lambda m: "[" + ",".join(p.strip() for p in m.group(1).split(",")) + "]",
                  text) + "\n"


def build(osim) -> tuple[dict, dict]:
    provenance = {
        "source_repository": SOURCE_REPO, "source_commit": SOURCE_COMMIT,
        "opensim_version": osim.__version__ if hasattr(osim, "__version__")
        else osim.GetVersionAndDate(),
        "script": "scripts/opensim_reference.py",
        "method": ("OpenSim Model.initSystem; every coordinate unlocked and set to zero; "
                   "hip_flexion_r and knee_angle_r set and the model assembled; "
                   "Muscle.getLength and Muscle.computeMomentArm(state, hip_flexion_r); "
                   "the five muscles at activation 1 (others at their defaults) and zero speed, "
                   "Model.equilibrateMuscles, with each model's tendon "
                   "compliance as published. Right leg only."),
    }
    flexors = {"provenance": provenance, **hip_flexors(osim)}
    trial = {"provenance": {**provenance,
                            "method": provenance["method"] + " Walking trial: hip_flexion_r and "
                            "knee_angle_r from the inverse-kinematics file set frame by frame "
                            "(other coordinates zero; knee extension beyond 0 set to 0)."},
             **walking_trial(osim)}
    return flexors, trial


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR,
                        help="folder for the two JSON files (default: the package data)")
    args = parser.parse_args(argv)
    try:
        import opensim as osim
    except ImportError:
        print("opensim is not installed: pip install -e '.[reference]'", file=sys.stderr)
        return 2
    osim.Logger.removeFileSink()    # first: log to the console only, no opensim.log in the cwd
    osim.Logger.setLevelString("error")         # no warnings about missing display meshes
    flexors, trial = build(osim)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in (("opensim_reference.json", flexors), ("walking_trial.json", trial)):
        (args.out / name).write_text(dumps(data), encoding="utf-8")
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
