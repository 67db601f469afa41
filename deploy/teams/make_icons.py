"""Draw the two icons a Teams app package needs, with nothing but the standard library.

    python deploy/teams/make_icons.py            # writes color.png and outline.png beside this file

color.png:   192x192, a white shield with a check mark on scrbot's teal, opaque.
outline.png: 32x32, the shield's outline in white on a transparent background (Teams requires
             exactly that: white and transparent pixels only).

The drawing is deterministic, so the committed PNGs can be checked against a fresh run.
"""

from __future__ import annotations

import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

TEAL = (31, 111, 120)
WHITE = (255, 255, 255)
SAMPLES = 4  # per axis, for smooth edges

Shape = Callable[[float, float], bool]


def shield(scale: float) -> Shape:
    """A shield centred in the unit square, `scale` of its size: flat top, curved point below."""

    def inside(x: float, y: float) -> bool:
        u = (x - 0.5) / scale  # -0.5 .. 0.5 across the shield
        v = (y - 0.5) / scale + 0.5  # 0 at its top, 1 at its point
        if not 0.0 <= v <= 1.0:
            return False
        half_width = 0.4 if v <= 0.45 else 0.4 * (1 - ((v - 0.45) / 0.55) ** 2)
        return abs(u) <= half_width

    return inside


def tick(x: float, y: float) -> bool:
    """A check mark across the middle of the shield."""
    return _near_segment(x, y, (0.36, 0.47), (0.46, 0.58)) or _near_segment(
        x, y, (0.46, 0.58), (0.65, 0.36)
    )


def _near_segment(
    x: float, y: float, a: tuple[float, float], b: tuple[float, float], width: float = 0.035
) -> bool:
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= width**2


def coverage(shape: Shape, size: int, px: int, py: int) -> float:
    """How much of pixel (px, py) the shape covers, from 0 to 1."""
    hits = 0
    for sy in range(SAMPLES):
        for sx in range(SAMPLES):
            x = (px + (sx + 0.5) / SAMPLES) / size
            y = (py + (sy + 0.5) / SAMPLES) / size
            hits += shape(x, y)
    return hits / SAMPLES**2


def color_icon(size: int = 192) -> list[list[tuple[int, int, int, int]]]:
    shape = shield(0.66)

    def body(x: float, y: float) -> bool:
        return shape(x, y) and not tick(x, y)

    rows = []
    for py in range(size):
        row = []
        for px in range(size):
            a = coverage(body, size, px, py)
            r, g, b = (round(t + (w - t) * a) for t, w in zip(TEAL, WHITE, strict=True))
            row.append((r, g, b, 255))
        rows.append(row)
    return rows


def outline_icon(size: int = 32) -> list[list[tuple[int, int, int, int]]]:
    outer, inner = shield(0.9), shield(0.62)

    def ring(x: float, y: float) -> bool:
        return outer(x, y) and not inner(x, y)

    return [
        [(*WHITE, round(255 * coverage(ring, size, px, py))) for px in range(size)]
        for py in range(size)
    ]


def png(pixels: list[list[tuple[int, int, int, int]]]) -> bytes:
    """An 8-bit RGBA PNG of `pixels` (rows of (r, g, b, a))."""
    height, width = len(pixels), len(pixels[0])
    raw = b"".join(b"\x00" + bytes(channel for pixel in row for channel in pixel) for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def write_icons(folder: Path) -> tuple[Path, Path]:
    color, outline = folder / "color.png", folder / "outline.png"
    color.write_bytes(png(color_icon()))
    outline.write_bytes(png(outline_icon()))
    return color, outline


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    for path in write_icons(target):
        print(f"wrote {path}")
