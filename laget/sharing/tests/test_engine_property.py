"""The two forms of the decision agree: for generated agencies, users, teams, rulebooks, consents
(expired and withdrawn ones included), markers, entries and moments,
`entry in visible_to(actor, purpose)` ⇔ `explain(actor, entry, purpose).allowed`."""

import datetime as dt
import uuid

import pytest
import yaml
from django.db import transaction
from django.test import override_settings
from hypothesis import example, given, settings
from hypothesis import strategies as st

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Membership, Role, User
from laget.accounts.tests.factories import AgencyFactory
from laget.core import clock
from laget.people.tests.factories import PersonFactory
from laget.records.access import entries_opened
from laget.records.models import CaseMarker, Entry, MarkerKind, TeamMember
from laget.records.tests.factories import CaseFactory
from laget.records.vocabulary import RECIPIENTS, InfoCategory, Programme, SharingPurpose
from laget.sharing.engine import (
    age_on,
    context_at,
    explain,
    visible_on_case,
    visible_to,
    years_before,
)
from laget.sharing.models import AgeBand, Consent, ConsentGrant
from laget.sharing.rulebook import rulebook_load

BASE = dt.datetime(2026, 3, 1, 11, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)

# Small vocabularies make collisions (the interesting cases) likely.
TYPES = [t.value for t in (AgencyType.BYDEL, AgencyType.SKOLE, AgencyType.POLITI,
                           AgencyType.BARNEVERN)]
CATEGORIES = [c.value for c in (InfoCategory.SKOLE, InfoCategory.POLITI, InfoCategory.PLAN,
                                InfoCategory.HELSE)]
PURPOSES = [SharingPurpose.FOREBYGGING.value, SharingPurpose.OPPFOLGING.value]
PROGRAMMES = [Programme.INTENSIV_OPPFOLGING.value, Programme.UNGDOMSSTRAFF.value]

# Day offsets from the day of the read; small ones often, to hit the boundaries.
offsets = st.one_of(st.integers(min_value=-2, max_value=2),
                    st.integers(min_value=-40, max_value=40))


def subset(values):
    return st.one_of(st.just(["*"]), st.lists(st.sampled_from(values), min_size=2, max_size=4,
                                               unique=True))


rule_strategy = st.fixed_dictionaries({
    "sources": subset(TYPES),
    "recipients": subset(TYPES),
    "categories": subset(CATEGORIES),
    "purposes": subset(PURPOSES),
    "effect": st.sampled_from(["allow", "deny", "consent_required"]),
    "consent_both": st.booleans(),
    "reviewed": st.booleans(),
    "age_min": st.one_of(st.none(), st.none(), st.integers(10, 18)),
    "age_span": st.one_of(st.none(), st.none(), st.integers(0, 8)),
    "programme": st.one_of(st.none(), st.none(), st.none(), st.sampled_from(PROGRAMMES)),
    "weapon_trigger": st.sampled_from([False, False, False, True]),
    "from_offset": st.one_of(st.integers(-2, 1), st.integers(-60, 0)),
    "to_offset": st.one_of(st.none(), st.integers(-2, 2), st.integers(-5, 60)),
})

world_strategy = st.fixed_dictionaries({
    "agencies": st.lists(st.sampled_from(TYPES), min_size=2, max_size=4),
    # mostly case roles: other roles are refused before anything else is looked at
    "roles": st.lists(st.one_of(st.sampled_from([Role.CASEWORKER, Role.COORDINATOR, Role.LEADER]),
                                st.sampled_from(list(Role))), min_size=6, max_size=6),
    # (whole years, days from the birthday): often on or next to a birthday
    "persons": st.lists(st.tuples(st.integers(min_value=9, max_value=21),
                                  st.one_of(st.integers(-1, 1), st.integers(-200, 200))),
                        min_size=1, max_size=2),
    "rules": st.lists(rule_strategy, min_size=2, max_size=7),
    "team": st.lists(st.tuples(st.integers(0, 1), st.integers(0, 5),
                               st.one_of(st.integers(-1, 1), st.integers(-40, 0)),
                               st.one_of(st.none(), st.none(), offsets)), min_size=2, max_size=10),
    "markers": st.lists(st.tuples(st.integers(0, 1), st.one_of(st.none(),
                                                               st.sampled_from(PROGRAMMES)),
                                  offsets, st.one_of(st.none(), offsets)), min_size=1,
                        max_size=3),
    "consents": st.lists(st.fixed_dictionaries({
        "case": st.integers(0, 1),
        # "auto": the band the person is in on the day of the read; else a chosen (maybe lapsed) one
        "band": st.sampled_from(["auto", "auto", *[b.value for b in AgeBand]]),
        "given_by": st.sampled_from(["guardian", "youth", "both"]),
        "categories": st.lists(st.sampled_from(CATEGORIES), min_size=2, max_size=4, unique=True),
        "recipients": st.lists(st.sampled_from(TYPES), min_size=2, max_size=4, unique=True),
        "purposes": st.lists(st.sampled_from(PURPOSES), min_size=1, max_size=2, unique=True),
        "from_offset": st.one_of(st.integers(-1, 1), st.integers(-60, 0)),
        "to_offset": offsets,
        # minutes from the moment of the read
        "withdrawn": st.one_of(st.none(), st.none(), st.integers(-2, 2), st.integers(-1000, 1000)),
    }), min_size=1, max_size=4),
    "entries": st.lists(st.tuples(st.integers(0, 1), st.integers(0, 3),
                                  st.sampled_from(CATEGORIES)), min_size=1, max_size=8),
    "at_offset": st.integers(0, 30),
    "at_minutes": st.integers(0, 600),
    "draft": st.booleans(),
    "purpose": st.sampled_from(PURPOSES),
})


def rulebook_text(rules, at_day: dt.date) -> str:
    specs = []
    for i, rule in enumerate(rules):
        conditions = {}
        if rule["age_min"] is not None:
            conditions["age_min"] = rule["age_min"]
        if rule["age_span"] is not None:
            conditions["age_max"] = (rule["age_min"] or 10) + rule["age_span"]
        if rule["programme"]:
            conditions["programme"] = rule["programme"]
        if rule["weapon_trigger"]:
            conditions["weapon_trigger"] = True
        valid_from = at_day + rule["from_offset"] * DAY
        valid_to = None
        if rule["to_offset"] is not None:
            valid_to = max(valid_from, at_day + rule["to_offset"] * DAY)
        spec = {
            "id": f"regel-{i}", "sources": rule["sources"], "recipients": rule["recipients"],
            "categories": rule["categories"], "purposes": rule["purposes"],
            "conditions": conditions, "effect": rule["effect"], "citation": "testhjemmel § 1",
            **({"consent_requires": "both"}
               if rule["consent_both"] and rule["effect"] == "consent_required" else {}),
            "citation_status": "unverified",
            "explanation": {"nb": "Generert testregel.", "en": "Generated test rule."},
            "valid_from": valid_from, "valid_to": valid_to,
        }
        if rule["reviewed"]:
            spec.update(reviewed_by="Kommuneadvokaten (test)", reviewed_on=BASE.date())
        specs.append(spec)
    return yaml.safe_dump({
        "version": "prop", "title": "Generert",
        "consent": {"joint_from_age": 16, "adult_from_age": 18, "youth_heard_from_age": 12,
                    "requires": {"under_16": "guardian", "16_17": "both", "adult": "youth"}},
        "rules": specs,
    }, allow_unicode=True)


def build(world):
    agencies = [AgencyFactory(type=t, district_id="030111") for t in world["agencies"]]
    actors = []
    for i, role in enumerate(world["roles"]):
        user = User.objects.create(username=f"prop{i}-{uuid.uuid4().hex[:8]}")
        membership = Membership.objects.create(user=user, agency=agencies[i % len(agencies)],
                                               role=role, valid_from=dt.date(2020, 1, 1))
        actors.append(Actor(user, membership))
    at = BASE + world["at_offset"] * DAY + dt.timedelta(minutes=world["at_minutes"])
    at_day = at.astimezone(clock.OSLO).date()
    cases = []
    for years, days in world["persons"]:
        person = PersonFactory(birth_date=years_before(at_day, years) + days * DAY)
        cases.append(CaseFactory(person=person, opened_by=actors[0].user))
    for case_i, actor_i, join, leave in world["team"]:
        actor = actors[actor_i]
        joined = at_day + join * DAY
        left = None if leave is None else max(joined, at_day + leave * DAY)
        TeamMember.objects.create(case=cases[case_i % len(cases)], user=actor.user,
                                  agency=actor.agency, joined_on=joined, left_on=left,
                                  added_by=actor.user)
    for case_i, programme, start, end in world["markers"]:
        valid_from = at_day + start * DAY
        CaseMarker.objects.create(
            case=cases[case_i % len(cases)],
            kind=MarkerKind.PROGRAMME if programme else MarkerKind.WEAPON_TRIGGER,
            programme=programme or "", valid_from=valid_from,
            valid_to=None if end is None else max(valid_from, at_day + end * DAY))
    with entries_opened():
        entries = [
            Entry.objects.create(case=cases[case_i % len(cases)],
                                 source_agency=agencies[agency_i % len(agencies)],
                                 category=category, text="tekst", author=actors[0].user)
            for case_i, agency_i, category in world["entries"]
        ]
        for spec in world["consents"]:
            case = cases[spec["case"] % len(cases)]
            valid_from = at_day + spec["from_offset"] * DAY
            record = Entry.objects.create(case=case, source_agency=agencies[0],
                                          category=InfoCategory.FAMILIE, text="samtykke",
                                          author=actors[0].user)
            withdrawn = (None if spec["withdrawn"] is None
                         else at + dt.timedelta(minutes=spec["withdrawn"]))
            band = spec["band"]
            if band == "auto":
                band = context_at(at).band(age_on(case.person.birth_date, at_day))
            consent = Consent.objects.create(
                case=case, entry=record, given_by=spec["given_by"], age_band=band,
                method="signed_form", categories=spec["categories"],
                recipients=spec["recipients"], purposes=spec["purposes"], valid_from=valid_from,
                valid_to=max(valid_from, at_day + spec["to_offset"] * DAY),
                registered_by=actors[0].user,
                agency=agencies[0], withdrawn_at=withdrawn)
            ConsentGrant.objects.bulk_create([
                ConsentGrant(consent=consent, case=case, category=c, recipient=r, purpose=p)
                for c in spec["categories"] for r in spec["recipients"] for p in spec["purposes"]
            ])
    return actors, entries, at


def _rule(effect, **changes):
    rule = {"sources": ["*"], "recipients": ["*"], "categories": ["*"], "purposes": ["*"],
            "effect": effect, "consent_both": False, "reviewed": False, "age_min": None,
            "age_span": None, "programme": None, "weapon_trigger": False, "from_offset": -1,
            "to_offset": None}
    return {**rule, **changes}


# A general consent rule and a stricter one (consent from both) match; only the guardians
# consented: the stricter demand must win in both forms.
STRICTER_CONSENT_WINS = {
    "agencies": ["bydel", "skole"], "roles": [Role.CASEWORKER] * 6, "persons": [(14, 10)],
    "rules": [_rule("consent_required"), _rule("consent_required", consent_both=True)],
    "team": [(0, 1, -1, None)], "markers": [(0, None, 5, None)],
    "consents": [{"case": 0, "band": "auto", "given_by": "guardian", "categories": ["plan"],
                  "recipients": ["skole"], "purposes": ["forebygging"], "from_offset": -1,
                  "to_offset": 5, "withdrawn": None}],
    "entries": [(0, 0, "plan")], "at_offset": 3, "at_minutes": 0, "draft": False,
    "purpose": "forebygging",
}


@pytest.mark.django_db
@settings(deadline=None)
@given(world=world_strategy)
@example(world=STRICTER_CONSENT_WINS)
def test_visible_to_agrees_with_explain(world):
    with override_settings(LAGET_RULES_UNREVIEWED_IN_FORCE=world["draft"]), transaction.atomic():
        with clock.frozen(BASE - DAY):
            at_day = (BASE + world["at_offset"] * DAY).astimezone(clock.OSLO).date()
            rulebook_load(text=rulebook_text(world["rules"], at_day), file_name="prop.yaml")
        actors, _, at = build(world)
        ctx = context_at(at)
        purpose = world["purpose"]
        with entries_opened():
            everything = list(Entry.objects.select_related("case__person", "source_agency"))
            for actor in actors:
                visible = set(
                    Entry.objects.filter(visible_to(actor, purpose, ctx=ctx))
                    .values_list("pk", flat=True)
                )
                for entry in everything:
                    decision = explain(actor, entry, purpose, ctx=ctx)
                    assert (entry.pk in visible) == decision.allowed, (
                        actor.role, actor.agency.type, entry.category, decision)
                # the form specialised to one case agrees too
                for case in {entry.case for entry in everything}:
                    on_case = set(
                        Entry.objects.filter(
                            visible_on_case(actor, case.pk, case.person.birth_date, purpose,
                                            ctx=ctx), case=case)
                        .values_list("pk", flat=True)
                    )
                    assert on_case == {e.pk for e in everything
                                       if e.case_id == case.pk and e.pk in visible}
        transaction.set_rollback(True)


@given(born=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2020, 12, 31)),
       day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31)),
       years=st.integers(min_value=0, max_value=30))
def test_age_thresholds_agree_with_age_on(born, day, years):
    """The SQL form compares birth dates with years_before(); the Python form computes ages."""
    assert (born <= years_before(day, years)) == (age_on(born, day) >= years)


def test_every_recipient_code_is_known():
    assert set(TYPES) <= set(RECIPIENTS)
