"""Loading the rulebook: the shipped file loads, the same text loads once, every kind of bad file
is refused with the file, the rule and the reason and writes nothing, a load is audited, and the
decision for an earlier moment uses the version in force then."""

import copy
import datetime as dt

import pytest
import yaml

from laget.audit.models import AuditEvent
from laget.core import clock
from laget.sharing.engine import context_at
from laget.sharing.guide import ask
from laget.sharing.models import Rule, RulebookVersion
from laget.sharing.rulebook import (
    DEFAULT_RULEBOOK,
    RulebookError,
    current_version,
    parse_rulebook_file,
    rulebook_load,
)

pytestmark = pytest.mark.django_db

SHIPPED_TEXT = DEFAULT_RULEBOOK.read_text(encoding="utf-8")
SHIPPED = yaml.safe_load(SHIPPED_TEXT)
BAD_FILE = "regelbok-feil.yaml"


def _changed(rule_id: str | None, change) -> str:
    data = copy.deepcopy(SHIPPED)
    data["version"] = "2026.9-feil"
    target = data if rule_id is None else next(r for r in data["rules"] if r["id"] == rule_id)
    change(target)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _duplicate(data: dict) -> None:
    data["rules"].append(copy.deepcopy(data["rules"][3]))


def _set(key, value):
    def change(rule):
        rule[key] = value
    return change


def _conditions(**conditions):
    def change(rule):
        rule["conditions"] = conditions
    return change


def _drop_english(rule):
    del rule["explanation"]["en"]


RULE = "fvl-13b-nr5-bydel-plan"

#: (id, text, rule id named in the error, a fragment of the reason)
BAD_FILES = [
    ("not-yaml", "version: 1\nrules: [\n  - id: x\n", "", "not valid YAML"),
    ("not-a-mapping", "- version\n- rules\n", "", "must hold a mapping"),
    ("duplicate-id", _changed(None, _duplicate), SHIPPED["rules"][3]["id"],
     "duplicate rule id"),
    ("unknown-agency-type", _changed(RULE, _set("sources", ["bydel", "kommunen"])), RULE,
     "unknown agency type: kommunen"),
    ("unknown-recipient", _changed(RULE, _set("recipients", ["skole", "naboen"])), RULE,
     "unknown recipient: naboen"),
    ("unknown-category", _changed(RULE, _set("categories", ["plan", "okonomi"])), RULE,
     "unknown category: okonomi"),
    ("unknown-purpose", _changed(RULE, _set("purposes", ["nysgjerrighet"])), RULE,
     "unknown purpose: nysgjerrighet"),
    ("unknown-programme", _changed(RULE, _conditions(programme="fotballskole")), RULE,
     "unknown programme: fotballskole"),
    ("age-min-above-max", _changed(RULE, _conditions(age_min=18, age_max=12)), RULE,
     "age_min is above age_max"),
    ("valid-to-before-from", _changed(RULE, _set("valid_to", dt.date(1976, 12, 31))), RULE,
     "valid_to is before valid_from"),
    ("reviewed-by-without-date", _changed(RULE, _set("reviewed_by", "Kommuneadvokaten")), RULE,
     "reviewed_by and reviewed_on go together"),
    ("missing-explanation-language", _changed(RULE, _drop_english), RULE, "explanation.en"),
    ("extra-field", _changed(RULE, _set("farge", "rød")), RULE, "farge"),
    ("unknown-effect", _changed(RULE, _set("effect", "kanskje")), RULE, "effect"),
]


def test_the_shipped_file_loads(rulebook):
    spec, _ = parse_rulebook_file(DEFAULT_RULEBOOK)
    assert current_version() == rulebook
    assert (rulebook.version, rulebook.file_name) == (SHIPPED["version"], "rulebook.yaml")
    assert rulebook.source == SHIPPED_TEXT
    rules = list(Rule.objects.filter(version=rulebook).order_by("position"))
    assert [r.rule_id for r in rules] == [r["id"] for r in SHIPPED["rules"]] == [
        r.id for r in spec.rules]
    for rule in rules:
        assert rule.citation and rule.citation_status in ("verified", "partial", "unverified")
        assert rule.explanation_nb and rule.explanation_en
        # no lawyer has reviewed the shipped draft yet
        assert not rule.reviewed_by and rule.reviewed_on is None
    assert rulebook.consent_settings["requires"] == {
        "under_16": "guardian", "16_17": "both", "adult": "youth"}
    assert rulebook.consent_settings["category_requires"]["helse"]["16_17"] == "youth"


def test_loading_the_same_text_twice_creates_one_version(db):
    first = rulebook_load(text=SHIPPED_TEXT, file_name="rulebook.yaml")
    again = rulebook_load(text=SHIPPED_TEXT, file_name="rulebook.yaml")
    assert first.created and not again.created
    assert again.version == first.version
    assert RulebookVersion.objects.count() == 1
    assert Rule.objects.count() == len(SHIPPED["rules"])
    assert AuditEvent.objects.filter(action="rulebook.load").count() == 1


def test_loading_is_audited(db, make_member):
    from laget.accounts.actor import Actor

    user = make_member("admin")
    loader = Actor(user, user.memberships.get())
    version = rulebook_load(text=SHIPPED_TEXT, file_name="rulebook.yaml", actor=loader).version
    event = AuditEvent.objects.get(action="rulebook.load")
    assert (event.actor, event.object_id, event.outcome) == (user, str(version.pk), "ok")
    assert event.details == {"version": SHIPPED["version"], "sha256": version.sha256,
                             "rules": len(SHIPPED["rules"]), "previous": ""}
    assert version.loaded_by == user


@pytest.mark.parametrize(("text", "rule_id", "reason"),
                         [pytest.param(*row[1:], id=row[0]) for row in BAD_FILES])
def test_a_bad_file_is_refused_and_writes_nothing(rulebook, text, rule_id, reason):
    counts = (RulebookVersion.objects.count(), Rule.objects.count(), AuditEvent.objects.count())
    with pytest.raises(RulebookError) as caught:
        rulebook_load(text=text, file_name=BAD_FILE)
    error = caught.value
    message = str(error)
    assert (error.file_name, error.rule_id) == (BAD_FILE, rule_id)
    assert message.startswith(BAD_FILE)
    assert reason in message and reason in error.reason
    if rule_id:
        assert f"rule {rule_id}" in message
    assert (RulebookVersion.objects.count(), Rule.objects.count(),
            AuditEvent.objects.count()) == counts
    assert current_version() == rulebook


def test_the_shipped_file_is_valid_after_the_round_trip_the_bad_files_use(db):
    """The bad files are the shipped one re-dumped with one change: without the change it loads
    (so each refusal above is caused by its change alone)."""
    text = yaml.safe_dump(SHIPPED, allow_unicode=True, sort_keys=False)
    assert rulebook_load(text=text, file_name="rulebook.yaml").created


def test_a_moment_before_a_new_load_uses_the_older_version(db):
    first_at = dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.UTC)
    second_at = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)
    with clock.frozen(first_at):
        first = rulebook_load(text=SHIPPED_TEXT, file_name="rulebook.yaml").version

    def lift_nav_deny(data):
        data["rules"] = [r for r in data["rules"] if r["id"] != "nav-ikke-13b-nr5-6"]

    with clock.frozen(second_at):
        second = rulebook_load(text=_changed(None, lift_nav_deny), file_name="ny.yaml").version
        previous = AuditEvent.objects.filter(action="rulebook.load").order_by("-id")[0]
        assert previous.details["previous"] == SHIPPED["version"]
    assert current_version() == second

    assert context_at(first_at - dt.timedelta(seconds=1)).version is None
    between = context_at(second_at - dt.timedelta(seconds=1))
    assert between.version == first
    assert "nav-ikke-13b-nr5-6" in {r.rule_id for r in between.rules}
    after = context_at(second_at + dt.timedelta(days=1))
    assert after.version == second
    assert "nav-ikke-13b-nr5-6" not in {r.rule_id for r in after.rules}
    # the guide answers for a moment by the version in force then
    question = {"source": "nav", "recipient": "politi", "category": "nav",
                "purpose": "straffesak", "person_age": 19}
    old = ask(**question, at=second_at - dt.timedelta(seconds=1))
    assert (old.answer, old.rule_id) == ("no", "nav-ikke-13b-nr5-6")
    new = ask(**question, at=second_at + dt.timedelta(days=1))
    assert (new.answer, new.rule_id) == ("no", None)
