import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError

from laget.areas.models import District
from laget.core import clock
from laget.people import services
from laget.people.identifiers import synthetic_national_id
from laget.people.models import IdKind, Person

pytestmark = pytest.mark.django_db


def _data(**overrides):
    data = {
        "national_id": synthetic_national_id(birth_date=dt.date(2012, 5, 17),
                                             rng=random.Random(7)),
        "birth_date": None, "given_name": "Ola", "family_name": "Syntetisk",
        "district": District.objects.get(code="030115"), "subdistrict": None,
        "preferred_language": "nb", "interpreter_needed": False, "interpreter_language": "",
    }
    data.update(overrides)
    return data


def test_birth_date_comes_from_the_number():
    person = services.person_create(data=_data())
    assert person.birth_date == dt.date(2012, 5, 17)
    assert person.id_kind == IdKind.FNR
    assert person.is_synthetic
    assert person.age_on(dt.date(2026, 5, 16)) == 13
    assert person.age_on(dt.date(2026, 5, 17)) == 14


def test_person_without_number_needs_a_birth_date():
    with pytest.raises(ValidationError) as error:
        services.person_create(data=_data(national_id=""))
    assert "birth_date" in error.value.error_dict
    person = services.person_create(data=_data(national_id="", birth_date=dt.date(2011, 2, 3)))
    assert person.id_kind == IdKind.NONE and person.national_id is None


def test_number_added_later_must_match_the_birth_date():
    person = services.person_create(data=_data(national_id="", birth_date=dt.date(2011, 2, 3)))
    other = synthetic_national_id(birth_date=dt.date(2011, 2, 4), rng=random.Random(3))
    with pytest.raises(ValidationError):
        services.person_update(person=person, data=_data(national_id=other,
                                                         birth_date=dt.date(2011, 2, 3)))
    matching = synthetic_national_id(birth_date=dt.date(2011, 2, 3), rng=random.Random(3))
    changed = services.person_update(person=person, data=_data(national_id=matching,
                                                               birth_date=None))
    assert "national_id" in changed
    person.refresh_from_db()
    assert person.id_kind == IdKind.FNR


def test_duplicate_number_is_refused_and_nothing_is_written():
    services.person_create(data=_data())
    with pytest.raises(ValidationError):
        services.person_create(data=_data(given_name="Kari"))
    assert Person.objects.count() == 1


def test_future_birth_date_is_refused():
    with pytest.raises(ValidationError):
        services.person_create(data=_data(national_id="",
                                          birth_date=clock.today() + dt.timedelta(days=1)))


def test_synthetic_numbers_need_the_setting(settings):
    settings.LAGET_ALLOW_SYNTHETIC_IDS = False
    with pytest.raises(ValidationError) as error:
        services.person_create(data=_data())
    assert error.value.error_dict["national_id"][0].code == "synthetic"
    assert Person.objects.count() == 0
