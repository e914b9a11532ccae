import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from laget.people.identifiers import (
    InvalidNationalId,
    mask_national_id,
    parse_national_id,
    synthetic_national_id,
)
from laget.people.models import IdKind

TODAY = dt.date(2026, 11, 25)
birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)


@given(birth_date=birth_dates, seed=st.integers(0, 2**32), dnr=st.booleans())
def test_synthetic_numbers_parse_back_to_their_birth_date(birth_date, seed, dnr):
    kind = IdKind.DNR if dnr else IdKind.FNR
    number = synthetic_national_id(birth_date=birth_date, rng=random.Random(seed), kind=kind)
    parsed = parse_national_id(number, today=TODAY, allow_synthetic=True)
    assert parsed.birth_date == birth_date
    assert parsed.kind == kind
    assert parsed.synthetic is True


@given(birth_date=birth_dates, seed=st.integers(0, 2**32))
def test_synthetic_numbers_are_refused_where_not_allowed(birth_date, seed):
    number = synthetic_national_id(birth_date=birth_date, rng=random.Random(seed))
    with pytest.raises(InvalidNationalId) as error:
        parse_national_id(number, today=TODAY, allow_synthetic=False)
    assert error.value.code == "synthetic"


@given(birth_date=birth_dates, seed=st.integers(0, 2**32), position=st.integers(0, 10),
       delta=st.integers(1, 9))
def test_any_single_digit_change_is_caught(birth_date, seed, position, delta):
    number = synthetic_national_id(birth_date=birth_date, rng=random.Random(seed))
    digits = list(number)
    digits[position] = str((int(digits[position]) + delta) % 10)
    changed = "".join(digits)
    try:
        parsed = parse_national_id(changed, today=TODAY, allow_synthetic=True)
    except InvalidNationalId as error:
        assert error.code in {"checksum", "date", "future", "unsupported"}
    else:  # mod-11 misses nothing in one digit, so a valid result must be a different number
        assert parsed.number != number


@given(st.text(max_size=15))
def test_arbitrary_text_never_crashes(text):
    try:
        parse_national_id(text, today=TODAY, allow_synthetic=True)
    except InvalidNationalId as error:
        assert error.message


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1510869508", "length"),
        ("151086950881", "length"),
        ("1510869508x", "format"),
        ("15108695077", "checksum"),
        ("", "format"),
    ],
)
def test_reasons(value, code):
    with pytest.raises(InvalidNationalId) as error:
        parse_national_id(value, today=TODAY, allow_synthetic=False)
    assert error.value.code == code


def test_real_style_number_with_separators():
    parsed = parse_national_id("151086 95088", today=TODAY, allow_synthetic=False)
    assert parsed.birth_date == dt.date(1986, 10, 15)
    assert parsed.synthetic is False
    assert mask_national_id(parsed.number) == "151086 *****"


def test_birth_date_in_the_future_is_refused():
    number = synthetic_national_id(birth_date=dt.date(2027, 1, 1), rng=random.Random(1))
    with pytest.raises(InvalidNationalId) as error:
        parse_national_id(number, today=TODAY, allow_synthetic=True)
    assert error.value.code == "future"
