#!/usr/bin/env python3
"""Makes the Karen web fonts the app ships, from SIL Padauk (Debian: fonts-sil-padauk).

Padauk supports S'gaw Karen through its OpenType `KSW` language system. Two subsets:
  karen.<hash>.woff2       the whole Myanmar block, for Karen pages;
  karen-name.<hash>.woff2  only the letters of the word "Karen" in Karen, so the language
                           switcher on every other page can name the language without
                           downloading the full font.
"Padauk" is a Reserved Font Name under the OFL, so the subsets are renamed. The file names
carry the content hash, so browsers may cache them forever; the URLs in style/main.css are
rewritten to match.

Needs: pip install fonttools==4.60.1 brotli==1.2.0
"""
import hashlib
import pathlib
import re
import sys

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = pathlib.Path("/usr/share/fonts/truetype/padauk/Padauk-Regular.ttf")
OUT = ROOT / "public" / "fonts"
CSS = ROOT / "style" / "main.css"
FAMILY = "Passport Karen"
MYANMAR_BLOCK = list(range(0x1000, 0x10A0)) + [0x200B, 0x200C, 0x200D, 0x25CC]


def karen_language_name() -> str:
    for line in (ROOT / "locales" / "ksw" / "main.ftl").read_text(encoding="utf-8").splitlines():
        if line.startswith("language-name ="):
            return line.split("=", 1)[1].strip()
    sys.exit("locales/ksw/main.ftl has no language-name")


def make(name: str, codepoints: list[int]) -> str:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14, 16, 17]
    font = TTFont(SOURCE)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    names = font["name"]
    for name_id, value in [(1, FAMILY), (3, f"{FAMILY} {name}"), (4, FAMILY), (6, FAMILY.replace(" ", "")), (16, FAMILY)]:
        names.setName(value, name_id, 3, 1, 0x409)
        names.setName(value, name_id, 1, 0, 0)
    font.flavor = "woff2"
    staging = OUT / f"{name}.woff2.tmp"
    font.save(staging)
    data = staging.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:12]
    for old in OUT.glob(f"{name}.*.woff2"):
        old.unlink()
    final = OUT / f"{name}.{digest}.woff2"
    staging.rename(final)
    print(f"{final.relative_to(ROOT)}: {len(data)} bytes")
    return final.name


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    full = make("karen", MYANMAR_BLOCK)
    name_chars = sorted({ord(c) for c in karen_language_name()})
    short = make("karen-name", name_chars)
    css = CSS.read_text(encoding="utf-8")
    css = re.sub(r"/fonts/karen\.[0-9a-f]+\.woff2", f"/fonts/{full}", css)
    css = re.sub(r"/fonts/karen-name\.[0-9a-f]+\.woff2", f"/fonts/{short}", css)
    ranges = ",".join(f"U+{c:04X}" for c in name_chars)
    css = re.sub(r"(/\* karen-name-range \*/)[^;]*;", rf"\1 unicode-range: {ranges};", css)
    CSS.write_text(css, encoding="utf-8")


if __name__ == "__main__":
    main()
