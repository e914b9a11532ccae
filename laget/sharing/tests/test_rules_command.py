"""`manage.py rules`: load (idempotent, audited, all-or-nothing), show --at, and diff with the
affected people and entries counted on live data."""

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType
from laget.audit.models import AuditEvent
from laget.core import clock
from laget.records.tests.factories import CaseFactory, TeamMemberFactory
from laget.sharing.models import RulebookVersion
from laget.sharing.rulebook import DEFAULT_RULEBOOK, current_version
from laget.sharing.rulediff import LOSS, Outcome, rulebook_diff
from laget.sharing.services import entry_add, entry_correct
from laget.sharing.tests.rulebooks import dump, rule, shipped, variant

pytestmark = pytest.mark.django_db

T1 = dt.datetime(2026, 2, 2, 9, 0, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def rules(*args: str) -> str:
    out = io.StringIO()
    call_command("rules", *args, stdout=out)
    return out.getvalue()


def write(tmp_path: Path, text: str, name: str = "ny.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_is_idempotent_and_audited():
    first = rules("load")
    assert "Loaded rulebook 2026.1" in first and "rulebook.yaml" in first
    version = current_version()
    assert version is not None and version.rules.count() > 10
    events = AuditEvent.objects.filter(action="rulebook.load")
    assert events.count() == 1
    assert events.get().details["version"] == "2026.1"
    assert events.get().details["sha256"] == version.sha256

    second = rules("load", str(DEFAULT_RULEBOOK))
    assert "already in force" in second and "nothing changed" in second
    assert RulebookVersion.objects.count() == 1
    assert AuditEvent.objects.filter(action="rulebook.load").count() == 1


def test_load_of_a_new_version_names_the_changed_rules(tmp_path):
    rules("load")
    path = write(tmp_path, variant("2026.2", **{"prl-forebyggende-utlevering": {"effect": "deny"}}))
    out = rules("load", str(path))
    assert "Loaded rulebook 2026.2" in out and "previous version 2026.1" in out
    assert "rules changed: prl-forebyggende-utlevering (effect)" in out
    assert current_version().version == "2026.2"
    assert AuditEvent.objects.filter(action="rulebook.load").count() == 2


def _duplicate_id() -> str:
    data = shipped()
    data["rules"].append(dict(rule(data, "politi-kriminalomsorg")))
    return dump(data)


def _unknown_agency_type() -> str:
    data = shipped()
    rule(data, "nav-fare-liv-helse")["sources"] = ["nav", "sirkus"]
    return dump(data)


def _end_before_start() -> str:
    data = shipped()
    rule(data, "familie-egen-plan").update(valid_from="2024-01-01", valid_to="2023-12-31")
    return dump(data)


@pytest.mark.parametrize(
    ("make", "rule_id", "reason"),
    [
        (_duplicate_id, "politi-kriminalomsorg", "duplicate rule id"),
        (_unknown_agency_type, "nav-fare-liv-helse", "unknown agency type: sirkus"),
        (_end_before_start, "familie-egen-plan", "valid_to is before valid_from"),
    ],
    ids=["duplicate-id", "unknown-agency-type", "end-before-start"],
)
def test_a_bad_file_is_rejected_and_the_previous_version_stays(tmp_path, make, rule_id, reason):
    rules("load")
    before = current_version()
    path = write(tmp_path, make(), "feil.yaml")
    for action in ("load", "diff"):
        with pytest.raises(CommandError) as error:
            rules(action, str(path))
        assert error.value.returncode == 2
        message = str(error.value)
        assert "\n" not in message
        assert message.startswith(f"feil.yaml: rule {rule_id}: ")
        assert reason in message
    assert RulebookVersion.objects.count() == 1
    assert current_version() == before
    assert AuditEvent.objects.filter(action="rulebook.load").count() == 1


def test_a_missing_file_exits_2(tmp_path):
    with pytest.raises(CommandError) as error:
        rules("load", str(tmp_path / "finnes-ikke.yaml"))
    assert error.value.returncode == 2
    assert str(error.value) == "finnes-ikke.yaml: cannot read the file (FileNotFoundError)"
    assert not RulebookVersion.objects.exists()


def test_exit_code_and_one_line_from_the_shell(tmp_path):
    """The real process: exit status 2 and one line on stderr; the file fails before any DB use."""
    path = write(tmp_path, _unknown_agency_type(), "feil.yaml")
    env = {**os.environ, "DEBUG": "1", "LAGET_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "rules", "load", str(path)],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "feil.yaml: rule nav-fare-liv-helse: " in result.stderr
    assert "unknown agency type: sirkus" in result.stderr


def test_show_at_an_earlier_date_gives_the_older_version(tmp_path):
    with clock.frozen(T1):
        rules("load")
    path = write(tmp_path, variant("2026.2", **{
        "prl-forebyggende-utlevering": {"effect": "deny"},
        "familie-egen-plan": {"valid_to": "2026-02-28"},
    }))
    with clock.frozen(T2):
        rules("load", str(path))
        today = rules("show")
    earlier = rules("show", "--at", "2026-02-15")
    assert "Rulebook 2026.1" in earlier
    assert "prl-forebyggende-utlevering: allow" in earlier
    assert "familie-egen-plan: allow" in earlier
    assert "Rulebook 2026.2" in today
    assert "prl-forebyggende-utlevering: deny" in today
    assert "familie-egen-plan" not in today  # in the file, but no longer valid on that day
    with pytest.raises(CommandError) as error:
        rules("show", "--at", "2026-01-01")
    assert error.value.returncode == 1
    with pytest.raises(CommandError) as error:
        rules("show", "--at", "2026-13-01")
    assert error.value.returncode == 2


@pytest.fixture
def police_entries(make_member, rulebook):
    """A case with two current police entries (one of them corrected) and one older version, a
    school team member and a bydel member on it, a school member who has left, and a school
    member on another case without police entries."""
    officer = make_member("caseworker", agency_type=AgencyType.POLITI)
    membership = officer.memberships.get()
    case = CaseFactory()
    TeamMemberFactory(case=case, user=officer, agency=membership.agency)
    for agency_type, left_on in ((AgencyType.SKOLE, None), (AgencyType.BYDEL, None),
                                 (AgencyType.SKOLE, clock.today())):
        user = make_member("caseworker", agency_type=agency_type)
        TeamMemberFactory(case=case, user=user, agency=user.memberships.get().agency,
                          joined_on=clock.today() - dt.timedelta(days=30), left_on=left_on)
    teacher = make_member("caseworker", agency_type=AgencyType.SKOLE)
    TeamMemberFactory(user=teacher, agency=teacher.memberships.get().agency)
    actor = Actor(officer, membership)
    entry_add(actor=actor, case=case, category="politi", text="Anmeldt for trusler.")
    first = entry_add(actor=actor, case=case, category="politi", text="Pågrepet med kniv.")
    entry_correct(actor=actor, case=case, entry_id=first.pk, text="Pågrepet med kniv, løslatt.")
    entry_add(actor=actor, case=case, category="identitet", text="Ny adresse.")
    return case


def test_diff_reports_a_flipped_rule_and_who_it_concerns(tmp_path, police_entries):
    text = variant("2026.2", **{"prl-forebyggende-utlevering": {"effect": "deny"}})
    diff = rulebook_diff(text=text, file_name="ny.yaml")
    assert [(e.rule_id, e.status, e.changed) for e in diff.rules] == [
        ("prl-forebyggende-utlevering", "changed", frozenset({"effect"}))
    ]
    changes = {(c.source, c.recipient, c.category, c.purpose): c for c in diff.changes}
    school = changes[("politi", "skole", "politi", "forebygging")]
    assert school.direction == LOSS
    assert {(t.old, t.new) for t in school.transitions} == {
        (Outcome("consent_required"), Outcome("no")),  # without consent
        (Outcome("yes"), Outcome("no")),  # with consent: the deny now beats it
    }
    assert (school.users, school.entries) == (1, 2)  # the member who left is not counted
    assert (changes[("politi", "bydel", "politi", "oppfolging")].users,
            changes[("politi", "bydel", "politi", "oppfolging")].entries) == (1, 2)
    assert (changes[("politi", "skole", "identitet", "forebygging")].users,
            changes[("politi", "skole", "identitet", "forebygging")].entries) == (1, 1)
    assert changes[("politi", "barnevern", "politi", "forebygging")].users == 0
    # Only the combinations the rule covers change.
    assert {c.source for c in diff.changes} == {"politi"}
    assert {c.recipient for c in diff.changes} <= set(
        rule(shipped(), "prl-forebyggende-utlevering")["recipients"])
    assert all(c.direction == LOSS for c in diff.changes)

    out = rules("diff", str(write(tmp_path, text)))
    assert "rules changed: prl-forebyggende-utlevering (effect)" in out
    assert ("LOSS   politi -> skole, category politi, purpose forebygging: 1 users, 2 entries"
            in out)
    assert "consent_required -> no where consent none" in out
    assert "yes -> no where consent both" in out
    assert RulebookVersion.objects.count() == 1  # diff writes nothing


def test_diff_of_a_reviewed_rule_is_a_gain_under_its_conditions(tmp_path, rulebook):
    # Until a lawyer has reviewed it, an allow rule only allows with consent; once reviewed, the
    # police inform the school without consent, for minors with a weapon trigger.
    text = variant("2026.2", **{"prl-vapen-under-18": {
        "reviewed_by": "Kommuneadvokaten", "reviewed_on": "2026-02-01"}})
    out = rules("diff", str(write(tmp_path, text)))
    assert "rules changed: prl-vapen-under-18 (reviewed_by, reviewed_on)" in out
    assert "GAIN   politi -> skole, category politi, purpose forebygging: 0 users, 0 entries" in out
    assert "consent_required -> yes where age 0-17; weapon trigger on; consent none" in out
    assert "LOSS" not in out and "MIXED" not in out


def test_diff_of_the_version_in_force_changes_nothing(rulebook):
    out = rules("diff", str(DEFAULT_RULEBOOK))
    assert "The file is the version in force; nothing would change." in out


def test_diff_of_who_must_consent_is_grouped(tmp_path, rulebook):
    text = variant("2026.2", **{"konfliktraad-ungdomsteam-samtykke": {"consent_requires": None}})
    diff = rulebook_diff(text=text, file_name="ny.yaml")
    assert not diff.access_changes
    [(transitions, changes)] = diff.consent_changes
    assert {(c.source, c.purpose) for c in changes} == {("konfliktraad", "oppfolging")}
    [transition] = transitions
    assert (transition.old, transition.new) == (
        Outcome("consent_required", "both"), Outcome("consent_required", "guardian"))
    out = rules("diff", str(write(tmp_path, text)))
    assert f"CONSENT {len(changes)} combinations (konfliktraad -> " in out
    assert ("consent_required (both) -> consent_required (guardian) where age 0-15; "
            "programme ungdomsoppfolging; consent none") in out
