"""The rulebook against the law: the hand-written legal scenarios of `scenarios.py` through the
guide (demo and production semantics), a mutation test that every rule of the shipped rulebook is
decided by some scenario, and engine-level scenarios through the real database (`explain()` and
membership in `visible_to()` must agree with the law and with each other)."""

import copy
import datetime as dt

import pytest
import yaml

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Role
from laget.core import clock
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.records.access import entries_opened
from laget.records.models import Entry, MarkerKind, TeamMember
from laget.records.services import (
    case_marker_add,
    case_marker_end,
    case_open,
    team_member_add,
    team_member_end,
)
from laget.sharing.engine import explain, visible_to
from laget.sharing.guide import ask
from laget.sharing.models import Rule
from laget.sharing.rulebook import DEFAULT_RULEBOOK, current_version, rulebook_load
from laget.sharing.services import consent_register, consent_withdraw, entry_add
from laget.sharing.tests.scenarios import (
    CONSENT,
    NO,
    PRODUCTION_SCENARIOS,
    SCENARIOS,
    YES,
    Scenario,
)

pytestmark = pytest.mark.django_db

SHIPPED_TEXT = DEFAULT_RULEBOOK.read_text(encoding="utf-8")
SHIPPED = yaml.safe_load(SHIPPED_TEXT)
RULE_IDS = [rule["id"] for rule in SHIPPED["rules"]]
FLIP = {"allow": "deny", "deny": "allow", "consent_required": "allow"}


def _param(scenario: Scenario):
    return pytest.param(scenario, id=scenario.id)


def _modified(mutate, *, version: str) -> str:
    """The shipped rulebook as YAML text, changed by `mutate(data)`, under a new version name."""
    data = copy.deepcopy(SHIPPED)
    data["version"] = version
    mutate(data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _rule(data: dict, rule_id: str) -> dict:
    return next(rule for rule in data["rules"] if rule["id"] == rule_id)


def _mismatch(scenario: Scenario, answer) -> str:
    return (f"{scenario.id}: expected {scenario.expected} ({scenario.citation}), the rulebook "
            f"says {answer.answer} by rule {answer.rule_id}")


# --- the table itself ------------------------------------------------------------------------

def test_the_table_is_large_and_well_formed():
    ids = [sc.id for sc in SCENARIOS + PRODUCTION_SCENARIOS]
    assert len(SCENARIOS) >= 45 and len(PRODUCTION_SCENARIOS) >= 6
    assert len(ids) == len(set(ids))
    for sc in SCENARIOS + PRODUCTION_SCENARIOS:
        assert sc.expected in (YES, NO, CONSENT), sc.id
        assert sc.consent in ("none", "guardian", "youth", "both"), sc.id
        assert sc.citation and sc.description, sc.id


# --- 1. demo semantics: the shipped rulebook with unreviewed allow rules in force -------------

@pytest.mark.parametrize("scenario", [_param(sc) for sc in SCENARIOS])
def test_guide_answers_as_the_law(scenario, rulebook, draft_rules_in_force):
    answer = ask(**scenario.ask_kwargs())
    assert answer.answer == scenario.expected, _mismatch(scenario, answer)
    if answer.answer == YES or answer.answer == CONSENT:
        assert answer.rule is not None and answer.citation, scenario.id


# --- 2. production semantics ------------------------------------------------------------------

@pytest.fixture
def production(settings):
    settings.LAGET_RULES_UNREVIEWED_IN_FORCE = False


@pytest.mark.parametrize("scenario", [_param(sc) for sc in PRODUCTION_SCENARIOS])
def test_production_semantics(scenario, rulebook, production):
    answer = ask(**scenario.ask_kwargs())
    assert answer.answer == scenario.expected, _mismatch(scenario, answer)


def test_a_reviewed_allow_rule_is_in_force_in_production(rulebook, production):
    def review(data):
        rule = _rule(data, "prl-forebyggende-utlevering")
        rule["reviewed_by"] = "Kommuneadvokaten i Oslo (test)"
        rule["reviewed_on"] = dt.date(2026, 6, 1)

    before = ask(source="politi", recipient="bydel", category="politi", purpose="forebygging",
                 person_age=19)
    assert before.answer == CONSENT
    reviewed = rulebook_load(text=_modified(review, version="2026.1-vurdert"),
                             file_name="rulebook.yaml").version
    assert current_version() == reviewed
    after = ask(source="politi", recipient="bydel", category="politi", purpose="forebygging",
                person_age=19)
    assert (after.answer, after.rule_id) == (YES, "prl-forebyggende-utlevering")
    assert not after.rule.is_draft
    # the other unreviewed allow rules still need consent
    duty = ask(source="skole", recipient="barnevern", category="skole",
               purpose="melding_barnevern", person_age=14)
    assert (duty.answer, duty.rule_id) == (CONSENT, "bvl-13-2-meldeplikt")


# --- 3. mutation: every rule is decided by some scenario --------------------------------------

@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_is_killed_by_a_scenario(rule_id, rulebook, draft_rules_in_force):
    original = _rule(SHIPPED, rule_id)["effect"]

    def flip(data):
        _rule(data, rule_id)["effect"] = FLIP[original]
        _rule(data, rule_id).pop("consent_requires", None)  # only for consent_required

    mutant = rulebook_load(
        text=_modified(flip, version=f"mutant-{RULE_IDS.index(rule_id)}"),
        file_name="mutant.yaml",
    ).version
    assert current_version() == mutant
    assert Rule.objects.get(version=mutant, rule_id=rule_id).effect == FLIP[original]
    killers = [sc.id for sc in SCENARIOS if ask(**sc.ask_kwargs()).answer != sc.expected]
    assert killers, f"rule {rule_id} ({original} → {FLIP[original]}) survives every scenario"


# --- 4. engine-level scenarios through the database -------------------------------------------

T0 = dt.datetime(2026, 3, 10, 10, 0, tzinfo=clock.OSLO)
DAY = dt.timedelta(days=1)


def at(days: int = 0, minutes: int = 0):
    return clock.frozen(T0 + days * DAY + dt.timedelta(minutes=minutes))


def actor(user) -> Actor:
    return Actor(user, user.memberships.get())


def sees(who: Actor, entry: Entry, purpose: str) -> bool:
    with entries_opened():
        return Entry.objects.filter(visible_to(who, purpose), pk=entry.pk).exists()


def assert_access(who: Actor, entry: Entry, purpose: str, allowed: bool, **expected):
    """The decision in both forms: the explanation and the database filter agree with
    `allowed`, and the explanation has the expected basis / remedy / rule."""
    decision = explain(who, entry, purpose)
    assert decision.allowed is allowed
    assert sees(who, entry, purpose) is allowed
    for name, value in expected.items():
        got = decision.rule.rule_id if name == "rule_id" and decision.rule else getattr(
            decision, name, None)
        assert got == value, f"{name}: {got!r} != {value!r}"
    return decision


class World:
    """A bydel coordinator, a person with a guardian, their case, and one team member per
    agency type asked for."""

    def __init__(self, make_member, *, born: dt.date, rulebook_text: str = SHIPPED_TEXT,
                 members: tuple[str, ...] = ()):
        rulebook_load(text=rulebook_text, file_name="rulebook.yaml")
        self.make_member = make_member
        self.coordinator = actor(make_member(Role.COORDINATOR, AgencyType.BYDEL))
        self.person = PersonFactory(birth_date=born, district_id="030111")
        self.guardian = GuardianFactory(person=self.person)
        self.case = case_open(actor=self.coordinator, person=self.person)
        self.team: dict[str, Actor] = {}
        self.members: dict[str, TeamMember] = {}
        for agency_type in members:
            self.join(agency_type)

    def join(self, agency_type: str) -> Actor:
        who = actor(self.make_member(Role.CASEWORKER, agency_type))
        self.members[agency_type] = team_member_add(
            actor=self.coordinator, case=self.case, user=who.user, agency=who.agency)
        self.team[agency_type] = who
        return who

    def outsider(self, agency_type: str) -> Actor:
        """A caseworker in a new agency of that type, not on the team."""
        return actor(self.make_member(Role.CASEWORKER, agency_type))

    def colleague(self, of: Actor) -> Actor:
        """Another caseworker in the same agency, never on the team."""
        return actor(self.make_member(Role.CASEWORKER, agency=of.agency))

    def entry(self, by: str, category: str, purpose: str) -> Entry:
        return entry_add(actor=self.team[by], case=self.case, category=category,
                         purpose=purpose, text=f"Opplysning fra {by} ({category}).")

    def consent(self, *, given_by: str, categories, recipients, purposes,
                valid_to: dt.date | None = None):
        today = clock.today()
        return consent_register(
            actor=self.coordinator, case=self.case, given_by=given_by,
            guardian_ids=[self.guardian.pk] if given_by in ("guardian", "both") else [],
            method="signed_form", categories=categories, recipients=recipients,
            purposes=purposes, valid_from=today, valid_to=valid_to or today + 365 * DAY,
            youth_view="Den unge er hørt og er enig.",
        )


AGE_15 = dt.date(2010, 6, 1)  # 15 on T0


def test_own_agency_sees_its_entries_after_leaving_the_team(make_member, draft_rules_in_force):
    with at():
        world = World(make_member, born=AGE_15, members=("politi", "bydel"))
        police = world.team["politi"]
        entry = world.entry("politi", "politi", "forebygging")
        team_member_end(actor=world.coordinator, member=world.members["politi"])
        colleague = world.colleague(police)
    with at(days=1):
        assert not TeamMember.objects.active().filter(user=police.user).exists()
        assert_access(police, entry, "forebygging", True, basis="own")
        assert_access(colleague, entry, "forebygging", True, basis="own")
        assert_access(police, entry, "straffesak", True, basis="own")


def test_not_on_the_team_no_access_although_a_rule_allows(make_member, draft_rules_in_force):
    with at():
        world = World(make_member, born=AGE_15, members=("politi", "bydel"))
        entry = world.entry("politi", "politi", "forebygging")
        outsider = world.outsider("bydel")
        # a team member of the same agency type reads it by the rule …
        assert_access(world.team["bydel"], entry, "forebygging", True, basis="rule",
                      rule_id="prl-forebyggende-utlevering")
        # … the outsider does not, and is told that the team is the reason
        assert_access(outsider, entry, "forebygging", False, basis="none", remedy="team")


def test_leaving_the_team_ends_access_the_next_day(make_member, draft_rules_in_force):
    with at():
        world = World(make_member, born=AGE_15, members=("skole",))
        school = world.team["skole"]
        entry = entry_add(actor=world.coordinator, case=world.case, category="plan",
                          purpose="oppfolging", text="Koordinert plan.")
        team_member_end(actor=world.coordinator, member=world.members["skole"],
                        left_on=T0.date() + DAY)
        assert_access(school, entry, "oppfolging", True, basis="rule",
                      rule_id="fvl-13b-nr5-bydel-plan")
    with at(days=1, minutes=-601):  # 23:59 the evening before the first day without access
        assert_access(school, entry, "oppfolging", True)
    with at(days=1):
        assert_access(school, entry, "oppfolging", False, remedy="team")


def test_deny_beats_allow_and_consent(make_member, settings):
    settings.LAGET_RULES_UNREVIEWED_IN_FORCE = False

    def add_allow(data):
        data["rules"].append({
            "id": "test-politi-fritid", "sources": ["politi"], "recipients": ["fritid"],
            "categories": ["politi"], "purposes": ["forebygging"], "effect": "allow",
            "citation": "testhjemmel § 1", "citation_status": "unverified",
            "explanation": {"nb": "Testregel som tillater.", "en": "Test rule that allows."},
            "reviewed_by": "Testjurist", "reviewed_on": dt.date(2026, 1, 1),
            "valid_from": dt.date(2026, 1, 1),
        })

    with at():
        world = World(make_member, born=AGE_15, members=("politi", "fritid"),
                      rulebook_text=_modified(add_allow, version="2026.1-test"))
        entry = world.entry("politi", "politi", "forebygging")
        decision = assert_access(world.team["fritid"], entry, "forebygging", False,
                                 basis="rule", rule_id="fritid-dataminimering")
        assert "test-politi-fritid" in {m.rule.rule_id for m in decision.considered if m.matches}
        world.consent(given_by="guardian", categories=["politi"], recipients=["fritid"],
                      purposes=["forebygging"])
        assert_access(world.team["fritid"], entry, "forebygging", False,
                      rule_id="fritid-dataminimering")


def test_consent_given_under_16_lapses_on_the_16th_birthday(make_member, settings):
    settings.LAGET_RULES_UNREVIEWED_IN_FORCE = False
    born = dt.date(2010, 3, 11)  # 15 on T0, 16 the next day
    with at():
        world = World(make_member, born=born, members=("skole", "bydel"))
        entry = world.entry("skole", "skole", "forebygging")
        bydel = world.team["bydel"]
        assert_access(bydel, entry, "forebygging", False, remedy="consent",
                      rule_id="fvl-13a-samtykke")
        consent = world.consent(given_by="guardian", categories=["skole"],
                                recipients=["bydel"], purposes=["forebygging"])
        assert consent.age_band == "under_16"
        assert_access(bydel, entry, "forebygging", True, basis="consent",
                      consent_id=consent.pk)
    with at(days=1, minutes=-601):
        assert_access(bydel, entry, "forebygging", True, basis="consent")
    with at(days=1):
        assert_access(bydel, entry, "forebygging", False, remedy="consent")


def test_withdrawn_consent_stops_access_at_once(make_member, settings):
    settings.LAGET_RULES_UNREVIEWED_IN_FORCE = False
    with at():
        world = World(make_member, born=AGE_15, members=("barnevern", "skole"))
        entry = world.entry("barnevern", "barnevern", "oppfolging")
        school = world.team["skole"]
        consent = world.consent(given_by="guardian", categories=["barnevern"],
                                recipients=["skole"], purposes=["oppfolging"])
        assert_access(school, entry, "oppfolging", True, basis="consent")
        consent_withdraw(actor=world.coordinator, consent=consent, withdrawn_by="guardian")
        assert_access(school, entry, "oppfolging", False, remedy="consent")


def test_expired_consent_gives_no_access(make_member, settings):
    settings.LAGET_RULES_UNREVIEWED_IN_FORCE = False
    with at():
        world = World(make_member, born=AGE_15, members=("helse", "skole"))
        entry = world.entry("helse", "helse", "oppfolging")
        school = world.team["skole"]
        world.consent(given_by="guardian", categories=["helse"], recipients=["skole"],
                      purposes=["oppfolging"], valid_to=T0.date() + 5 * DAY)
    with at(days=5):  # the last day of the consent
        assert_access(school, entry, "oppfolging", True, basis="consent")
    with at(days=6):  # valid_to was yesterday
        assert_access(school, entry, "oppfolging", False, remedy="consent")


def test_unreviewed_allow_rule_needs_consent_in_production(make_member, settings):
    settings.LAGET_RULES_UNREVIEWED_IN_FORCE = False
    with at():
        world = World(make_member, born=AGE_15, members=("politi", "bydel"))
        entry = world.entry("politi", "politi", "forebygging")
        bydel = world.team["bydel"]
        decision = assert_access(bydel, entry, "forebygging", False, remedy="consent")
        prl = next(m for m in decision.considered
                   if m.rule.rule_id == "prl-forebyggende-utlevering")
        assert prl.matches and prl.effect == "consent_required" and prl.rule.effect == "allow"
        settings.LAGET_RULES_UNREVIEWED_IN_FORCE = True  # the demo: the draft rule is in force
        assert_access(bydel, entry, "forebygging", True, basis="rule",
                      rule_id="prl-forebyggende-utlevering")
        settings.LAGET_RULES_UNREVIEWED_IN_FORCE = False
        consent = world.consent(given_by="guardian", categories=["politi"],
                                recipients=["bydel"], purposes=["forebygging"])
        assert_access(bydel, entry, "forebygging", True, basis="consent",
                      consent_id=consent.pk)


def test_weapon_trigger_opens_and_closes_police_information(make_member, draft_rules_in_force):
    with at():
        world = World(make_member, born=AGE_15, members=("politi", "skole"))
        entry = world.entry("politi", "politi", "fare_liv_helse")
        school = world.team["skole"]
        assert_access(school, entry, "fare_liv_helse", False, basis="none", remedy="")
        marker = case_marker_add(actor=world.team["politi"], case=world.case,
                                 kind=MarkerKind.WEAPON_TRIGGER)
        assert_access(school, entry, "fare_liv_helse", True, basis="rule",
                      rule_id="prl-vapen-under-18")
        case_marker_end(actor=world.coordinator, marker=marker, valid_to=T0.date() + DAY)
    with at(days=1):
        assert_access(school, entry, "fare_liv_helse", False, basis="none")


def test_duty_to_report_ends_on_the_18th_birthday(make_member, draft_rules_in_force):
    born = dt.date(2008, 3, 11)  # 17 on T0, 18 the next day
    with at():
        world = World(make_member, born=born, members=("skole", "barnevern"))
        entry = world.entry("skole", "skole", "melding_barnevern")
        child_welfare = world.team["barnevern"]
        assert_access(child_welfare, entry, "melding_barnevern", True, basis="rule",
                      rule_id="bvl-13-2-meldeplikt")
    with at(days=1):
        assert_access(child_welfare, entry, "melding_barnevern", False, basis="none")
