"""The course's colour-blind-safe palette (Okabe & Ito 2008), as hex strings.

Pure data: importing this module touches no plotting library.
"""

from types import MappingProxyType

__all__ = ["OKABE_ITO", "ROLE", "rgba"]

#: The eight Okabe-Ito colours.
OKABE_ITO = MappingProxyType({
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
})

#: Colours by meaning, so every figure uses the same colour for the same thing.
ROLE = MappingProxyType({
    "bone": "#BBBBBB",
    "muscle": OKABE_ITO["vermillion"],
    "muscle_alt": OKABE_ITO["orange"],
    "nerve": OKABE_ITO["yellow"],
    "diaphragm": OKABE_ITO["reddish_purple"],
    "organ": OKABE_ITO["sky_blue"],
    "vessel": OKABE_ITO["bluish_green"],
    "highlight": OKABE_ITO["blue"],
    "active": OKABE_ITO["vermillion"],
    "passive": OKABE_ITO["blue"],
    "total": OKABE_ITO["black"],
    "model": OKABE_ITO["bluish_green"],
    "text": OKABE_ITO["black"],
})


def rgba(colour: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    """A ``#rrggbb`` colour as an (r, g, b, a) tuple of floats, as matplotlib takes it.

    Parameters
    ----------
    colour : str
        Hex colour, e.g. ``OKABE_ITO["blue"]``.
    alpha : float
        Opacity, 0 to 1.

    Raises
    ------
    ValueError
        When ``colour`` is not ``#rrggbb`` or ``alpha`` is outside 0 to 1.
    """
    text = colour.strip() if isinstance(colour, str) else ""
    if len(text) != 7 or text[0] != "#" or any(c not in "0123456789abcdefABCDEF" for c in text[1:]):
        raise ValueError(f"colour={colour!r} is not a hex colour like '#0072B2'")
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha={alpha!r} is outside 0 to 1")
    r, g, b = (int(text[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return (r, g, b, float(alpha))
