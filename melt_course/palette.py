"""The course's colour-blind-safe palette (Okabe & Ito 2008), as hex strings.

Pure data: importing this module touches no plotting library.
"""

from types import MappingProxyType

__all__ = ["OKABE_ITO", "ROLE"]

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
    "highlight": OKABE_ITO["blue"],
    "active": OKABE_ITO["vermillion"],
    "passive": OKABE_ITO["blue"],
    "total": OKABE_ITO["black"],
    "model": OKABE_ITO["bluish_green"],
    "text": OKABE_ITO["black"],
})
