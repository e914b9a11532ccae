"""seed_scale: synthetic Oslo at scale, with tiny sizes — exact counts, everything marked
synthetic, a realistic shape, and a second run that changes nothing or is refused."""

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from laget.accounts.models import Agency, Membership, Role, User
from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.core import clock
from laget.demo.scale import (
    CATEGORIES_BY_TYPE,
    CODE_PREFIX,
    USERNAME_PREFIX,
    ScaleSeedExists,
    ScaleSize,
    build_scale,
    existing_seed,
)
from laget.people.identifiers import parse_national_id
from laget.people.models import Guardian, IdKind, Person
from laget.records.access import entries_opened
from laget.records.models import Case, CaseMarker, CaseStatus, Entry, TeamMember
from laget.sharing.engine import age_on
from laget.sharing.models import Consent, ConsentGrant
from laget.sharing.rulebook import current_version

pytestmark = pytest.mark.django_db

TINY = ScaleSize(persons=300, entries=1500, users=60, districts=2)


@pytest.fixture
def seeded():
    return build_scale(size=TINY, seed=7)


def test_counts_are_exactly_the_sizes_asked_for(seeded):
    assert seeded.created
    assert Person.objects.count() == TINY.persons == seeded.persons
    assert User.objects.filter(username__startswith=USERNAME_PREFIX).count() == TINY.users
    with entries_opened():
        assert Entry.objects.count() == TINY.entries == seeded.entries
    # nine agencies in each bydel and four city-wide ones
    assert Agency.objects.filter(code__startswith=CODE_PREFIX).count() == 9 * 2 + 4
    assert Case.objects.values("district").distinct().count() == TINY.districts
    assert Case.objects.count() == seeded.cases > 0
    assert Consent.objects.count() == seeded.consents > 0
    assert ConsentGrant.objects.count() == seeded.grants
    assert current_version() is not None  # the shipped rulebook is loaded


def test_everything_is_marked_synthetic(seeded):
    assert not Person.objects.filter(is_synthetic=False).exists()
    assert not Guardian.objects.filter(is_synthetic=False).exists()
    assert not Agency.objects.filter(is_synthetic=False, code__startswith=CODE_PREFIX).exists()
    today = clock.today()
    numbered = Person.objects.exclude(id_kind=IdKind.NONE)
    assert numbered.count() > TINY.persons * 0.9
    for person in numbered:
        parsed = parse_national_id(person.national_id, today=today, allow_synthetic=True)
        assert parsed.synthetic  # Tenor style: birth month + 80
        assert parsed.birth_date == person.birth_date
        assert parsed.kind == person.id_kind
    assert Person.objects.filter(id_kind=IdKind.NONE, national_id__isnull=True).exists()
    assert not User.objects.filter(username__startswith=USERNAME_PREFIX).exclude(
        password__startswith="!").exists()  # unusable passwords: nobody logs in as them
    event = AuditEvent.objects.get(action=Action.DEMO_SEED)
    assert event.details["kind"] == "scale" and event.details["persons"] == TINY.persons


def test_the_shape_is_realistic(seeded):
    today = clock.today()
    for case in Case.objects.select_related("person"):
        assert 10 <= age_on(case.person.birth_date, today) <= 22
        team = list(TeamMember.objects.filter(case=case).select_related("agency"))
        types = [member.agency.type for member in team]
        assert 3 <= len(team) <= 6
        assert types.count("bydel") == 1 and len(set(types)) == len(types)
        if case.status == CaseStatus.CLOSED:
            assert all(member.left_on is not None for member in team)
    assert Person.objects.filter(cases__isnull=True).exists()  # not everyone has a case
    # Team members work in a case role for the agency they sit on the team for.
    for member in TeamMember.objects.all()[:200]:
        assert Membership.objects.filter(
            user_id=member.user_id, agency_id=member.agency_id,
            role__in=[Role.CASEWORKER, Role.COORDINATOR],
        ).exists()
    with entries_opened():
        entries = list(Entry.objects.select_related("source_agency", "consent"))
    consent_entries = {e.pk for e in entries if hasattr(e, "consent")}
    for entry in entries:
        if entry.pk in consent_entries:
            assert entry.category == "familie" and entry.source_agency.type == "bydel"
        else:
            allowed = {category for category, _w in CATEGORIES_BY_TYPE[entry.source_agency.type]}
            assert entry.category in allowed
    assert sum(1 for e in entries if e.supersedes_id) >= 1  # corrections exist
    for consent in Consent.objects.all():
        assert consent.grants.count() == (
            len(consent.categories) * len(consent.recipients) * len(consent.purposes))
    assert CaseMarker.objects.exists()
    # Staff follow their agencies' case loads: nobody carries many times the average.
    loads = Counter(TeamMember.objects.filter(left_on__isnull=True).values_list("user_id",
                                                                                flat=True))
    average = sum(loads.values()) / len(loads)
    assert max(loads.values()) < 4 * average


def test_a_second_run_at_the_same_size_changes_nothing(seeded):
    persons = Person.objects.count()
    again = build_scale(size=TINY, seed=7)
    assert not again.created
    assert again.entries == TINY.entries
    assert Person.objects.count() == persons
    assert existing_seed() == {**TINY.as_dict(), "seed": 7}
    out = StringIO()
    call_command("seed_scale", persons=300, entries=1500, users=60, districts=2, seed=7,
                 audit_events=0, stdout=out)
    assert "already seeded" in out.getvalue()


def test_a_run_at_another_size_is_refused(seeded):
    with pytest.raises(ScaleSeedExists, match="already holds a scale seed"):
        build_scale(size=ScaleSize(persons=400, entries=1500, users=60, districts=2), seed=7)
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("seed_scale", persons=300, entries=1500, users=60, districts=2, seed=8,
                     audit_events=0, stderr=err)
    assert exit_info.value.code == 2
    assert "fresh database" in err.getvalue()
    assert Person.objects.count() == TINY.persons


def test_the_command_reports_what_it_made():
    out = StringIO()
    call_command("seed_scale", "--small", persons=120, entries=600, users=40, districts=1,
                 stdout=out)
    assert "120 persons" in out.getvalue() and "600 entries" in out.getvalue()
    assert existing_seed() == {"persons": 120, "entries": 600, "users": 40, "districts": 1,
                               "seed": 2026}


@pytest.mark.parametrize("args, message", [
    ({"persons": 0}, "--persons must be between"),
    ({"districts": 16}, "--districts must be between"),
    ({"users": 5, "persons": 100, "entries": 10, "districts": 1}, "--users must be at least"),
])
def test_bad_sizes_exit_2_with_one_line(args, message):
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("seed_scale", "--small", stderr=err, **args)
    assert exit_info.value.code == 2
    assert message in err.getvalue()
    assert not Person.objects.exists()  # all or nothing


def test_refuses_without_synthetic_ids(settings):
    settings.LAGET_ALLOW_SYNTHETIC_IDS = False
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("seed_scale", "--small", stderr=err)
    assert "LAGET_ALLOW_SYNTHETIC_IDS" in err.getvalue()


def test_entries_fall_within_their_cases(seeded):
    with entries_opened():
        rows = Entry.objects.values_list("created_at", "case__created_at", "case__closed_at")
        for created, opened, closed in rows:
            assert created.date() >= opened.date() - dt.timedelta(days=1)
            if closed is not None:
                assert created.date() <= closed.date() + dt.timedelta(days=1)
