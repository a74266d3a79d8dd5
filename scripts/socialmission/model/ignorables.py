"""The default-ignorable code points: characters that draw as nothing, whether or not a
font maps them, so the validator refuses them where a signatory could hide them and the
badge renderer never asks a font for them."""

from __future__ import annotations

import re
from typing import Final

# Default_Ignorable_Code_Point (Unicode's DerivedCoreProperties.txt; the same ranges since
# Unicode 9), first and last of each range. Bidi_Control is inside it; U+FFF0-FFF8
# are unassigned, and default-ignorable all the same. tests/model/test_ignorables.py
# compares this with the property as the regex package knows it, over every code point.
DEFAULT_IGNORABLE_RANGES: Final = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# One character of any of those ranges.
DEFAULT_IGNORABLE: Final = re.compile(
    "[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in DEFAULT_IGNORABLE_RANGES)
    + "]")
