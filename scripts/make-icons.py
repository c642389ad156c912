#!/usr/bin/env python3
"""Draws the app's PNG icons (192 and 512 px, plain and maskable) from the same shapes as
public/icon.svg, with nothing but the standard library. Run it after changing the icon.

The maskable icons fill the whole square with the brand colour, so a launcher can cut any
shape from them; the passport drawing sits well inside the central safe zone (40% radius).
"""
import math
import struct
import zlib
from pathlib import Path

GREEN = (0x0B, 0x5C, 0x4A)
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 4  # per axis, for smooth edges


def in_rounded_rect(x, y, left, top, width, height, radius):
    if not (left <= x <= left + width and top <= y <= top + height):
        return False
    cx = min(max(x, left + radius), left + width - radius)
    cy = min(max(y, top + radius), top + height - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius**2


def colour_at(x, y, maskable):
    """The icon's colour at (x, y) on its 64-unit canvas, or None where it is transparent."""
    if not maskable and not in_rounded_rect(x, y, 0, 0, 64, 64, 12):
        return None
    if in_rounded_rect(x, y, 17, 12, 30, 40, 4):
        ring = abs(math.hypot(x - 32, y - 29) - 8) <= 1.5
        line = abs(y - 43) <= 1.5 and 24 <= x <= 40 or min(
            math.hypot(x - 24, y - 43), math.hypot(x - 40, y - 43)
        ) <= 1.5
        return GREEN if ring or line else WHITE
    return GREEN


def draw(size, maskable):
    rows = []
    step = 64 / size
    for py in range(size):
        row = bytearray([0])  # filter: none
        for px in range(size):
            r = g = b = a = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = (px + (sx + 0.5) / SAMPLES) * step
                    y = (py + (sy + 0.5) / SAMPLES) * step
                    colour = colour_at(x, y, maskable)
                    if colour:
                        r, g, b, a = r + colour[0], g + colour[1], b + colour[2], a + 1
            n = SAMPLES * SAMPLES
            row += bytes([r // a, g // a, b // a, 255 * a // n] if a else [0, 0, 0, 0])
        rows.append(bytes(row))
    return png(size, b"".join(rows))


def png(size, raw):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main():
    out = Path(__file__).resolve().parent.parent / "public" / "icons"
    out.mkdir(exist_ok=True)
    for size in (192, 512):
        (out / f"icon-{size}.png").write_bytes(draw(size, maskable=False))
        (out / f"maskable-{size}.png").write_bytes(draw(size, maskable=True))


if __name__ == "__main__":
    main()
