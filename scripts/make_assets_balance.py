"""Write the balance lab's static fallback figures to assets/ (PNG plus text description).

Usage::

    PYTHONPATH=$PWD .venv/bin/python scripts/make_assets_balance.py          # write the files
    PYTHONPATH=$PWD .venv/bin/python scripts/make_assets_balance.py --check  # exit 1 if stale

tests/test_assets_balance.py runs the same check.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from melt_course.figures.balance import render_static_assets

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def stale_files(folder: Path = ASSETS) -> list[str]:
    """Names of asset files that are missing or differ from a fresh render."""
    return sorted(name for name, data in render_static_assets().items()
                  if not (folder / name).is_file() or (folder / name).read_bytes() != data)


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` only compare) the balance assets; return an exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        for name in stale:
            print(f"stale: assets/{name}", file=sys.stderr)
        return 1 if stale else 0
    ASSETS.mkdir(exist_ok=True)
    for name, data in render_static_assets().items():
        (ASSETS / name).write_bytes(data)
        print(f"wrote assets/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
