"""The family pages against a real OIDC provider process on loopback (tests/oidc): the Django
test client follows the redirect to the provider, its login form is filled in over HTTP, and the
callback makes Laget exchange the code and check the ID token against the provider's JWKS."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from laget.audit import log
from laget.audit.models import AuditEvent
from laget.cases.plan import task_create
from laget.core import clock
from laget.core.errors import NotFound
from laget.family.tests.scene import (
    SCHOOL_TEXT,
    actor_of,
    birth_date_for,
    family_scene,
    number,
)
from laget.notify.models import Message
from laget.people.tests.factories import GuardianFactory
from laget.records.services import team_member_add
from laget.sharing.models import Consent
from laget.sharing.selectors import case_entries_for, entry_get_for
from tests.oidc.harness import oidc_provider_fixture  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
CALLBACK = "http://testserver/familie/logg-inn/tilbake/"
NO_ACCESS = "Du har ikke tilgang via familiesiden"


@pytest.fixture
def family_on(settings, oidc_provider):
    """Laget's family login configured for the test provider."""
    oidc_provider.allow_redirect(CALLBACK)
    settings.LAGET_FAMILY_OIDC_ISSUER = oidc_provider.issuer
    settings.LAGET_FAMILY_OIDC_CLIENT_ID = oidc_provider.client_id
    settings.LAGET_FAMILY_OIDC_CLIENT_SECRET = oidc_provider.client_secret
    return oidc_provider


@pytest.fixture
def scene(make_member, rulebook):
    return family_scene(make_member)


def citizen_login(client, provider, pid, *, acr="idporten-loa-high"):
    """Start at /familie/, log in at the provider as a citizen with `pid` and `acr`, come back:
    Laget's answer to the callback."""
    username = f"c-{uuid.uuid4().hex[:10]}"
    provider.add_user(username, claims={"sub": uuid.uuid4().hex, "pid": pid, "acr": acr})
    response = client.get(reverse("family:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(provider.issuer + "/authorize/")
    back = provider.log_in(response["Location"], username)
    assert back.startswith(CALLBACK), back
    return client.get(back.removeprefix("http://testserver"))


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def person_url(scene):
    return reverse("family:person", kwargs={"person_id": scene.person.pk})


def test_off_without_settings(client):
    text = page(client, reverse("family:start"))
    assert "Innloggingen for familier er ikke satt opp" in text
    assert client.get(reverse("family:login")).status_code == 302


def test_guardian_logs_in_with_loa_high_and_sees_the_plan_and_consents(client, family_on, scene):
    response = citizen_login(client, family_on, scene.mother.national_id)
    assert response.status_code == 302 and response["Location"] == reverse("family:start")
    login = AuditEvent.objects.get(action="family.login")
    assert login.actor is None and login.details["guardians"] == [str(scene.mother.pk)]
    assert scene.mother.national_id not in str(login.details)
    # A citizen is not a member of staff: the staff pages stay closed.
    assert client.get(reverse("web:start")).status_code == 302
    start = page(client, reverse("family:start"))
    assert "Sara Syntetisk" in start

    text = page(client, person_url(scene))
    assert "Sara er på skolen hver dag" in text and "Ukentlig samtale med Sara" in text
    # Nothing from barnevern, nothing the team did not mark for the family.
    assert "Hjemmebesøk" not in text and "Internt teammål" not in text
    assert "Bente Barnevern" not in text
    assert "Lars Lærer" in text  # the school's contact person
    assert "Trekk tilbake samtykket" in text and "Skole" in text
    views = AuditEvent.objects.filter(action__in=["family.view", "consent.view"], actor=None)
    assert {e.details["view"] for e in views} >= {"start", "plan", "consents"}
    assert all(e.details["citizen"] in ("guardian", ["guardian"]) for e in views)
    assert all(str(scene.person.pk) in {str(p) for p in e.subjects.values_list(
        "person_id", flat=True)} for e in views if e.details["view"] != "start")


def test_the_rulebook_decides_which_agencies_the_family_sees(client, family_on, scene,
                                                              make_member):
    # The shipped rulebook's `familie-egen-plan` covers bydel, skole, nav, konfliktråd and fritid
    # as sources: a police task marked for the family is still not shown.
    police = actor_of(make_member("caseworker", agency_type="politi", first_name="Petter",
                                  last_name="Politi"))
    team_member_add(actor=scene.coordinator, case=scene.case, user=police.user,
                    agency=police.agency)
    task_create(actor=scene.coordinator, case=scene.case, title="Bekymringssamtale",
                agency=police.agency, goal=scene.goal)
    citizen_login(client, family_on, scene.mother.national_id)
    text = page(client, person_url(scene))
    assert "Ukentlig samtale med Sara" in text
    assert "Bekymringssamtale" not in text and "Petter Politi" not in text


def test_low_acr_is_refused(client, family_on, scene):
    response = citizen_login(client, family_on, scene.mother.national_id, acr="idporten-loa-low")
    assert response.status_code == 403
    assert "sikkerhetsnivå" in response.content.decode()
    refused = AuditEvent.objects.get(action="family.login_refused")
    assert refused.outcome == "denied" and refused.details["reason"] == "acr"
    assert not AuditEvent.objects.filter(action="family.login").exists()
    assert client.get(person_url(scene)).status_code == 302


def test_a_token_without_pid_is_refused_and_sub_is_never_the_number(client, family_on, scene):
    username = f"c-{uuid.uuid4().hex[:10]}"
    # `sub` carries the mother's number here: Laget must not take it for one.
    family_on.add_user(username, claims={"sub": scene.mother.national_id,
                                         "acr": "idporten-loa-high"})
    response = client.get(reverse("family:login"))
    back = family_on.log_in(response["Location"], username)
    response = client.get(back.removeprefix("http://testserver"))
    assert response.status_code == 403
    assert AuditEvent.objects.get(action="family.login_refused").details["reason"] == "pid"
    assert client.get(person_url(scene)).status_code == 302


def test_the_family_session_runs_out(client, family_on, scene, settings):
    citizen_login(client, family_on, scene.mother.national_id)
    assert client.get(person_url(scene)).status_code == 200
    later = clock.now() + dt.timedelta(seconds=settings.LAGET_FAMILY_SESSION_SECONDS + 1)
    with clock.frozen(later):
        assert client.get(person_url(scene)).status_code == 302


def test_guardian_without_parental_responsibility_sees_nothing(client, family_on, scene):
    scene.father.parental_responsibility = False
    scene.father.save()
    citizen_login(client, family_on, scene.father.national_id)
    start = page(client, reverse("family:start"))
    assert NO_ACCESS in start and "Sara" not in start
    response = client.get(person_url(scene))
    assert response.status_code == 404
    text = response.content.decode()
    assert NO_ACCESS in text and "Sara" not in text
    denied = AuditEvent.objects.get(action="family.access_denied")
    assert denied.outcome == "denied" and denied.actor is None


@pytest.mark.parametrize("block", ["restricted_contact", "guardian_protected",
                                   "child_protected"])
def test_restricted_contact_or_protected_address_sees_nothing(client, family_on, scene, block):
    if block == "restricted_contact":
        scene.mother.restricted_contact = True
        scene.mother.save()
    elif block == "guardian_protected":
        scene.mother.address_protection = "fortrolig"
        scene.mother.save()
    else:
        scene.person.address_protection = "strengt_fortrolig"
        scene.person.save()
    citizen_login(client, family_on, scene.mother.national_id)
    start = page(client, reverse("family:start"))
    assert NO_ACCESS in start and "Sara" not in start
    # never why
    assert "begrenset" not in start.lower() and "adresse" not in start.lower()
    assert client.get(person_url(scene)).status_code == 404


def test_guardian_of_an_adult_sees_nothing(client, family_on, make_member, rulebook):
    scene = family_scene(make_member, age=18)
    citizen_login(client, family_on, scene.mother.national_id)
    assert NO_ACCESS in page(client, reverse("family:start"))


def test_young_person_of_16_sees_their_own_plan(client, family_on, make_member, rulebook):
    scene = family_scene(make_member, age=16)
    citizen_login(client, family_on, scene.person.national_id, acr="idporten-loa-substantial")
    start = page(client, reverse("family:start"))
    assert "Min sak" in start
    text = page(client, person_url(scene))
    assert "Min plan" in text and "Ukentlig samtale med Sara" in text
    assert "Hjemmebesøk" not in text
    # At 16 the young person gave the consent together with the guardians: theirs to withdraw.
    assert "Trekk tilbake samtykket" in text
    view = AuditEvent.objects.filter(action="family.view", details__view="plan").get()
    assert view.details["citizen"] == "self"


def test_young_person_of_14_does_not(client, family_on, scene):
    citizen_login(client, family_on, scene.person.national_id)
    assert NO_ACCESS in page(client, reverse("family:start"))
    assert client.get(person_url(scene)).status_code == 404


def test_own_access_age_is_a_setting(client, family_on, scene, settings):
    settings.LAGET_FAMILY_OWN_ACCESS_AGE = 14
    citizen_login(client, family_on, scene.person.national_id)
    assert "Min sak" in page(client, reverse("family:start"))


def test_a_guardian_of_another_child_cannot_open_this_one(client, family_on, scene):
    other = GuardianFactory(national_id=number(birth_date_for(40)))
    citizen_login(client, family_on, other.national_id)
    assert other.person.full_name in page(client, reverse("family:start"))
    assert client.get(person_url(scene)).status_code == 404


def test_withdrawal_takes_effect_on_the_next_read_and_innsyn_shows_the_reads(
        client, family_on, scene):
    barnevern = scene.barnevern
    _page, shown = case_entries_for(actor=barnevern, case=scene.case, purpose="forebygging")
    assert [s.entry.text for s in shown] == [SCHOOL_TEXT]  # on the guardians' consent

    citizen_login(client, family_on, scene.mother.national_id)
    url = reverse("family:consent_withdraw", kwargs={"person_id": scene.person.pk,
                                                     "consent_id": scene.consent.pk})
    confirm = page(client, url)
    assert "Ja, trekk tilbake samtykket" in confirm
    assert Consent.objects.get(pk=scene.consent.pk).withdrawn_at is None  # GET changes nothing
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == person_url(scene)
    consent = Consent.objects.get(pk=scene.consent.pk)
    assert consent.withdrawn_at is not None and consent.withdrawn_by == "guardian"
    assert consent.withdrawal_recorded_by is None
    event = AuditEvent.objects.get(action="consent.withdraw")
    assert event.actor is None and event.details["guardian"] == str(scene.mother.pk)

    # The very next read by barnevern no longer has the school's entry.
    _page, shown = case_entries_for(actor=barnevern, case=scene.case, purpose="forebygging")
    assert shown == []
    with pytest.raises(NotFound):
        entry_get_for(actor=barnevern, case=scene.case, entry_id=scene.entry.pk,
                      purpose="forebygging")

    # The team is told, without personal data.
    messages = list(Message.objects.filter(
        idempotency_key__startswith=f"family-consent-withdrawn:{consent.pk}"))
    told = {m.recipient_user_id for m in messages}
    assert told >= {scene.coordinator.user.pk, scene.school.user.pk, barnevern.user.pk}
    for message in messages:
        assert "Sara" not in message.body and scene.person.national_id not in message.body

    # A second withdrawal is not offered.
    assert client.get(url).status_code == 404

    log.sequence()
    text = page(client, reverse("family:innsyn", kwargs={"person_id": scene.person.pk}))
    assert "Bente Barnevern" in text
    assert "forvaltningsloven § 13 a nr. 1" in text  # the consent rule as the basis of the read
    assert "avvist" in text  # the attempt after the withdrawal
    assert "Loggindeks" in text and "/log/checkpoint" in text
    report = AuditEvent.objects.filter(action="innsyn.report").get()
    assert report.actor is None and report.details["requested_by"] == "guardian"
    assert report.details["via"] == "familie"


def test_youth_of_16_withdraws_a_consent_they_gave(client, family_on, make_member, rulebook):
    scene = family_scene(make_member, age=16)
    citizen_login(client, family_on, scene.person.national_id)
    url = reverse("family:consent_withdraw", kwargs={"person_id": scene.person.pk,
                                                     "consent_id": scene.consent.pk})
    assert client.post(url).status_code == 302
    scene.consent.refresh_from_db()
    assert scene.consent.withdrawn_by == "youth"


def test_young_person_under_16_cannot_withdraw_what_the_guardians_gave(client, family_on, scene,
                                                                       settings):
    settings.LAGET_FAMILY_OWN_ACCESS_AGE = 14
    citizen_login(client, family_on, scene.person.national_id)
    text = page(client, person_url(scene))
    assert "Skole" in text and "Trekk tilbake samtykket" not in text
    url = reverse("family:consent_withdraw", kwargs={"person_id": scene.person.pk,
                                                     "consent_id": scene.consent.pk})
    assert client.post(url).status_code == 404
    scene.consent.refresh_from_db()
    assert scene.consent.withdrawn_at is None


def test_logout_ends_the_citizen_session(client, family_on, scene):
    citizen_login(client, family_on, scene.mother.national_id)
    assert client.get(person_url(scene)).status_code == 200
    client.post(reverse("family:logout"))
    assert client.get(person_url(scene)).status_code == 302
