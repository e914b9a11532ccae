"""The audit log's own unusual-access checks: (a) reads outside the reader's bydel, (b) many
distinct persons in a short time (laget.audit.unusual)."""

import datetime as dt
import uuid

import pytest

from laget.accounts.actor import Actor
from laget.accounts.models import Membership
from laget.accounts.tests.factories import AgencyFactory
from laget.audit import unusual
from laget.audit.actions import Action, Outcome
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.clock import OSLO
from laget.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

STOVNER, GAMLE_OSLO = "030111", "030101"
DAY = dt.date(2026, 3, 10)
NOON = dt.datetime(2026, 3, 10, 12, 0, tzinfo=OSLO)


def actor_of(user) -> Actor:
    return Actor(user, Membership.objects.select_related("agency").get(user=user))


def read(actor, persons, at, action=Action.PERSON_VIEW, outcome=Outcome.OK):
    with clock.frozen(at):
        return audit_record(action=action, actor=actor, persons=persons, outcome=outcome,
                            purpose="forebygging")


def outside(date_from=DAY, date_to=DAY):
    return unusual.reads_outside_district(date_from=date_from, date_to=date_to)


def bursts(date_from=DAY, date_to=DAY):
    return unusual.many_persons_bursts(date_from=date_from, date_to=date_to)


# --- (a) outside the reader's bydel -------------------------------------------------------------

def test_reads_of_a_person_in_another_bydel_are_listed_per_user_and_person(make_member):
    stovner = AgencyFactory(district_id=STOVNER, name="Bydel Stovner")
    reader = actor_of(make_member("caseworker", agency=stovner, username="stovner-saksbeh"))
    elsewhere = PersonFactory(district_id=GAMLE_OSLO)
    at_home = PersonFactory(district_id=STOVNER)
    read(reader, [elsewhere], NOON)
    read(reader, [elsewhere], NOON + dt.timedelta(hours=2), action=Action.CASE_VIEW)
    read(reader, [elsewhere, at_home], NOON + dt.timedelta(hours=3), action=Action.ENTRY_LIST)
    read(reader, [at_home], NOON)
    section = outside()
    assert section.total == 1 and not section.truncated
    [row] = section.rows
    assert (row.username, row.person_id, row.reads) == ("stovner-saksbeh", elsewhere.pk, 3)
    assert row.agency == stovner and row.agency.district.name == "Stovner"
    assert row.person_district.name == "Gamle Oslo"
    assert row.first == NOON and row.last == NOON + dt.timedelta(hours=3)


def test_city_wide_agencies_lists_denials_writes_and_other_days_are_not_outside(make_member):
    police = actor_of(make_member("caseworker", agency_type="politi", district=None))
    stovner = actor_of(make_member("caseworker"))
    elsewhere = PersonFactory(district_id=GAMLE_OSLO)
    read(police, [elsewhere], NOON)
    read(stovner, [elsewhere], NOON, action=Action.PERSON_LIST)
    read(stovner, [elsewhere], NOON, action=Action.PERSON_UPDATE)
    read(stovner, [elsewhere], NOON, action=Action.PERSON_VIEW, outcome=Outcome.DENIED)
    read(stovner, [elsewhere], NOON + dt.timedelta(days=1))
    read(stovner, [uuid.uuid4()], NOON)  # an erased person: no bydel to compare
    assert outside().total == 0
    assert outside(date_to=DAY + dt.timedelta(days=1)).total == 1


def test_outside_rows_are_capped_but_counted(make_member):
    reader = actor_of(make_member("caseworker"))
    for person in PersonFactory.create_batch(3, district_id=GAMLE_OSLO):
        read(reader, [person], NOON)
    section = unusual.reads_outside_district(date_from=DAY, date_to=DAY, limit=2)
    assert section.total == 3 and len(section.rows) == 2 and section.truncated


# --- (b) many persons in a short time -----------------------------------------------------------

@pytest.fixture
def threshold(settings):
    settings.LAGET_UNUSUAL_MANY_PERSONS = 5
    settings.LAGET_UNUSUAL_WINDOW_MINUTES = 10


def test_many_distinct_persons_within_the_window_is_a_burst(make_member, threshold):
    reader = actor_of(make_member("caseworker", username="rask"))
    persons = [uuid.uuid4() for _ in range(6)]
    for i, person in enumerate(persons):
        read(reader, [person], NOON + dt.timedelta(minutes=i * 1.5))
    section = bursts()
    [burst] = section.rows
    assert (burst.username, burst.peak, burst.agency) == ("rask", 6, reader.agency)
    assert burst.start == NOON
    assert burst.end == NOON + dt.timedelta(minutes=7.5)


def test_the_window_slides_over_any_bucket_edge(make_member, threshold):
    reader = actor_of(make_member("caseworker"))
    start = NOON + dt.timedelta(minutes=7)  # 12:07 to 12:15 crosses every 10-minute boundary
    for i in range(5):
        read(reader, [uuid.uuid4()], start + dt.timedelta(minutes=2 * i))
    assert [b.peak for b in bursts().rows] == [5]


def test_spread_out_reads_repeated_persons_and_lists_are_no_burst(make_member, threshold):
    slow = actor_of(make_member("caseworker"))
    for i in range(8):
        read(slow, [uuid.uuid4()], NOON + dt.timedelta(minutes=3 * i))  # 4 per 10 minutes
    same = actor_of(make_member("caseworker"))
    person = uuid.uuid4()
    for i in range(10):
        read(same, [person], NOON + dt.timedelta(seconds=10 * i))
    lister = actor_of(make_member("coordinator"))
    read(lister, [uuid.uuid4() for _ in range(50)], NOON, action=Action.PERSON_LIST)
    assert bursts().total == 0


def test_one_read_of_many_persons_and_two_separate_bursts(make_member, threshold):
    reader = actor_of(make_member("caseworker", username="travel"))
    read(reader, [uuid.uuid4() for _ in range(7)], NOON, action=Action.ENTRY_LIST)
    later = NOON + dt.timedelta(hours=2)
    for i in range(5):
        read(reader, [uuid.uuid4()], later + dt.timedelta(minutes=i))
    section = bursts()
    assert section.total == 2
    assert [(b.peak, b.start) for b in section.rows] == [(7, NOON), (5, later)]


def test_the_burst_counts_only_reads_in_the_period(make_member, threshold):
    reader = actor_of(make_member("caseworker"))
    late = dt.datetime(2026, 3, 10, 23, 57, tzinfo=OSLO)
    for i in range(6):
        read(reader, [uuid.uuid4()], late + dt.timedelta(minutes=i))  # 3 today, 3 tomorrow
    assert bursts().total == 0
    assert bursts(date_to=DAY + dt.timedelta(days=1)).total == 1


def test_bursts_need_few_queries(make_member, threshold, django_assert_max_num_queries):
    for _ in range(3):
        reader = actor_of(make_member("caseworker"))
        for i in range(12):
            read(reader, [uuid.uuid4()], NOON + dt.timedelta(minutes=i))
    with django_assert_max_num_queries(2):
        assert bursts().total == 3
