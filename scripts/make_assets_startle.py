"""Write lesson 3's static fallback figures (PNG + text description) to assets/.

Usage: ``PYTHONPATH=. python scripts/make_assets_startle.py [--check]``

With ``--check`` nothing is written; the exit status is 1 if any file in assets/ is missing or
differs from a fresh render (tests/test_startle_assets.py runs the same check).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from melt_course.figures.startle import static_assets

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def stale_files(out_dir: Path = ASSETS, fresh: dict[str, bytes] | None = None) -> list[str]:
    """Names of the lesson 3 assets that are missing or out of date in ``out_dir``.

    ``fresh`` is a ready render (``static_assets()``); by default one is made.
    """
    fresh = static_assets() if fresh is None else fresh
    return [name for name, data in fresh.items()
            if not (out_dir / name).is_file() or (out_dir / name).read_bytes() != data]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; write nothing")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        for name in stale:
            print(f"stale or missing: assets/{name}")
        return 1 if stale else 0
    ASSETS.mkdir(exist_ok=True)
    for name, data in static_assets().items():
        (ASSETS / name).write_bytes(data)
        print(f"wrote assets/{name} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
