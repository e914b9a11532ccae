"""The programme's sharing regime through the real engine: while the youth is enrolled, a
follow-up member from the youth club (fritid) reads the plan and activity entries the rule
`intensiv-oppfolging-plan` allows — never health, barnevern or police entries
(`fritid-dataminimering`) — and from the day the enrolment ends they no longer do."""

import datetime as dt

import pytest

from laget.core import clock
from laget.intensive import services
from laget.intensive.tests.conftest import NOW, TODAY
from laget.sharing import services as sharing_services
from laget.sharing.engine import context_at, explain_many
from laget.sharing.selectors import case_entries_for

PURPOSE = "oppfolging"


def _write(scene):
    def add(actor, category: str, text: str):
        return sharing_services.entry_add(actor=actor, case=scene.case, category=category,
                                          text=text, purpose=PURPOSE)
    return {
        "school_activity": add(scene.school, "aktivitet", "Leksehjelp tirsdag og torsdag."),
        "school_plan": add(scene.school, "plan", "Kontaktlærer følger opp oppmøtet."),
        "police": add(scene.police, "politi", "Bekymringssamtale gjennomført."),
        "health": add(scene.health, "helse", "Helseopplysning."),
        "barnevern": add(scene.barnevern, "barnevern", "Barnevernsopplysning."),
        "school_school": add(scene.school, "skole", "Fravær denne uken."),
    }


def _seen(actor, scene) -> set:
    _, shown = case_entries_for(actor=actor, case=scene.case, purpose=PURPOSE)
    return {s.entry.pk for s in shown}


@pytest.mark.django_db
def test_the_club_sees_the_programme_entries_only_while_enrolled(scene):
    entries = _write(scene)
    own = set()
    # before enrolment: nothing from the other agencies (no consent, no programme)
    assert _seen(scene.club, scene) == own
    enrolment = scene.enrol()
    seen = _seen(scene.club, scene)
    assert seen == {entries["school_activity"].pk, entries["school_plan"].pk}
    # the decision names the programme's rule or the consent given at enrolment
    _, shown = case_entries_for(actor=scene.club, case=scene.case, purpose=PURPOSE)
    assert all(s.decision.consent_id == enrolment.consent_id for s in shown)
    # police, health and barnevern entries never reach the club, programme or not
    for key in ("police", "health", "barnevern", "school_school"):
        assert entries[key].pk not in seen

    ends = TODAY + dt.timedelta(days=7)
    services.enrolment_end(actor=scene.coordinator, enrolment=enrolment, ends_on=ends,
                           reason="goals_met")
    # still enrolled until the end date …
    with clock.frozen(NOW + dt.timedelta(days=6)):
        assert _seen(scene.club, scene) == seen
    # … and from it the programme's access has ended (also what the consent alone gave)
    with clock.frozen(NOW + dt.timedelta(days=7)):
        assert _seen(scene.club, scene) == own
        decisions = explain_many(scene.club, [entries["school_activity"]], PURPOSE,
                                 ctx=context_at())
        assert not decisions[entries["school_activity"].pk].allowed


@pytest.mark.django_db
def test_the_programme_shares_only_with_team_members(scene):
    entries = _write(scene)
    scene.enrol()
    # a youth club worker in the same bydel who is not on the case's team sees nothing
    assert _seen(scene.outsider, scene) == set()
    # the police on the team get the plan and activities under the programme, not health
    seen = _seen(scene.police, scene)
    assert {entries["school_activity"].pk, entries["school_plan"].pk} <= seen
    assert entries["health"].pk not in seen and entries["barnevern"].pk not in seen


@pytest.mark.django_db
def test_the_programme_marker_alone_shares_nothing_without_the_consent(scene):
    """Withdrawing the enrolment consent stops the programme's sharing at once, while the
    marker is still on the case (the rule is consent-required)."""
    entries = _write(scene)
    enrolment = scene.enrol()
    assert entries["school_activity"].pk in _seen(scene.club, scene)
    sharing_services.consent_withdraw(actor=scene.coordinator, consent=enrolment.consent,
                                      withdrawn_by="guardian")
    assert _seen(scene.club, scene) == set()
