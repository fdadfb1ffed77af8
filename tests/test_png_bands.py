"""The PNG writer of live diagrams: valid files with the right pixels, compressing only what
changed since the last picture."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from melt_course.figures.live import _BAND_ROWS, _adler32_combine, _PngBands, png_from_rgb

pytestmark = pytest.mark.unit


def _decoded(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _image_data(png: bytes) -> bytes:
    """The IDAT stream, decompressed by zlib itself (which checks the Adler-32)."""
    at, data = 8, b""
    while at < len(png):
        (length,) = struct.unpack(">I", png[at:at + 4])
        tag = png[at + 4:at + 8]
        if tag == b"IDAT":
            data += png[at + 8:at + 8 + length]
        at += 12 + length
    return zlib.decompress(data)


def _picture(height: int, width: int, channels: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    rgb = np.full((height, width, channels), 255, dtype=np.uint8)
    rgb[rng.integers(0, height, 300), rng.integers(0, width, 300)] = rng.integers(
        0, 255, (300, channels), dtype=np.uint8)
    return rgb


@pytest.mark.parametrize("lengths", [(0, 5), (1, 0), (7, 65521), (100_000, 3), (65522, 70000)])
def test_combined_checksums_are_zlibs(lengths):
    rng = np.random.default_rng(sum(lengths))
    first, second = (rng.integers(0, 256, n, dtype=np.uint8).tobytes() for n in lengths)
    assert (_adler32_combine(zlib.adler32(first), zlib.adler32(second), len(second))
            == zlib.adler32(first + second))


@pytest.mark.parametrize("shape", [(1, 1, 3), (31, 7, 4), (_BAND_ROWS * 3, 50, 3), (101, 333, 4)])
def test_a_picture_decodes_to_its_pixels_and_its_checksum_holds(shape):
    rgb = _picture(*shape, seed=shape[0])
    png = png_from_rgb(rgb)
    assert np.array_equal(_decoded(png), rgb[..., :3])
    rows = _image_data(png)                         # zlib raises on a wrong checksum
    assert len(rows) == shape[0] * (shape[1] * 3 + 1)


def test_only_the_bands_that_changed_are_compressed_and_the_file_is_the_same():
    rgb = _picture(5 * _BAND_ROWS + 9, 120, 4, seed=1)
    writer = _PngBands()
    writer.encode(rgb)
    assert writer.compressed == 6
    rgb[_BAND_ROWS + 3, 10] = (1, 2, 3, 255)           # band 1
    rgb[3 * _BAND_ROWS - 1, 60, :3] = 0                # band 2's last row
    rgb[5 * _BAND_ROWS + 8, 119, :3] = 0               # the last, short band
    png = writer.encode(rgb)
    assert writer.compressed == 3
    assert png == _PngBands().encode(rgb)              # byte for byte a fresh writer's file
    assert np.array_equal(_decoded(png), rgb[..., :3])
    writer.encode(rgb)
    assert writer.compressed == 0


def test_a_picture_drawn_over_in_place_is_seen_to_change():
    """Live figures draw into the same buffer again: the writer must not compare it with
    itself."""
    rgb = _picture(70, 90, 4, seed=2)
    writer = _PngBands()
    writer.encode(rgb)
    rgb[40:45, 10:20] = (213, 94, 0, 255)
    assert np.array_equal(_decoded(writer.encode(rgb)), rgb[..., :3])


def test_a_new_size_starts_again():
    writer = _PngBands()
    writer.encode(_picture(70, 90, 3, seed=3))
    other = _picture(40, 90, 3, seed=4)
    assert np.array_equal(_decoded(writer.encode(other)), other)


@pytest.mark.parametrize(("rgb", "level", "message"), [
    (np.zeros((4, 4, 3)), 1, "uint8 array of shape"),
    (np.zeros((4, 4), dtype=np.uint8), 1, r"\(4, 4\)"),
    (np.zeros((4, 4, 3), dtype=np.uint8), 12, "level=12 must be a whole number from 0 to 9"),
    (np.zeros((4, 4, 3), dtype=np.uint8), True, "level=True"),
])
def test_bad_input_is_refused_by_name(rgb, level, message):
    with pytest.raises(ValueError, match=message):
        png_from_rgb(rgb, level=level)


def test_rows_named_by_the_caller_are_the_only_bands_compressed_and_the_file_is_the_same():
    """A live figure knows where it drew: it names the changed rows, the writer compresses
    only their bands (no comparison of its own) and the file is still a fresh writer's."""
    rgb = _picture(4 * _BAND_ROWS, 80, 4, seed=5)
    writer = _PngBands()
    writer.encode(rgb)
    rgb[2 * _BAND_ROWS + 1, 5, :3] = (9, 9, 9)
    rows = np.zeros(len(rgb), dtype=bool)
    rows[2 * _BAND_ROWS + 1] = True
    png = writer.encode(rgb, rows)
    assert writer.compressed == 1
    assert png == _PngBands().encode(rgb)
    assert np.array_equal(_decoded(png), rgb[..., :3])
    rgb[3, 3, :3] = 0                                  # next call without rows: starts again
    assert np.array_equal(_decoded(writer.encode(rgb)), rgb[..., :3])
    assert writer.compressed == 4


def test_the_first_picture_is_whole_whatever_rows_are_named():
    rgb = _picture(3 * _BAND_ROWS, 40, 4, seed=6)
    writer = _PngBands()
    png = writer.encode(rgb, np.zeros(len(rgb), dtype=bool))
    assert writer.compressed == 3
    assert np.array_equal(_decoded(png), rgb[..., :3])


@pytest.mark.parametrize("rows", [np.zeros(5, dtype=bool), np.zeros(70, dtype=int)])
def test_changed_rows_of_the_wrong_kind_are_refused(rows):
    with pytest.raises(ValueError, match=r"changed_rows must be 70 booleans"):
        _PngBands().encode(_picture(70, 9, 4, seed=7), rows)


def test_level_1_uses_isal_when_installed_and_zlib_gives_the_same_pixels():
    """ISA-L (declared in pyproject.toml) compresses the live pictures; zlib is the fallback.
    Both make a valid stream with the right pixels."""
    from isal import isal_zlib

    rgb = _picture(2 * _BAND_ROWS + 5, 64, 4, seed=8)
    fast = _PngBands()
    assert fast._deflate is isal_zlib
    plain = _PngBands()
    plain._deflate = zlib
    for writer in (fast, plain):
        png = writer.encode(rgb)
        assert np.array_equal(_decoded(png), rgb[..., :3])
        assert len(_image_data(png)) == len(rgb) * (64 * 3 + 1)
    assert _PngBands(level=6)._deflate is zlib
