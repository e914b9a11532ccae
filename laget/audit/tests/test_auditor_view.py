"""The auditor's search, person look-up and XLSX export (laget.audit.views/selectors/export)."""

import datetime as dt
import io
import uuid

import pytest
from django.test import Client
from openpyxl import load_workbook

from laget.accounts.actor import Actor
from laget.accounts.models import Membership
from laget.accounts.tests.factories import AgencyFactory
from laget.audit.actions import Action, Outcome
from laget.audit.export import XLSX_CONTENT_TYPE
from laget.audit.models import AuditEvent
from laget.audit.selectors import EventFilters, audit_event_filter
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.clock import OSLO
from laget.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

SEARCH = "/logg/hendelser/"
EXPORT = "/logg/hendelser/eksport/"
NOON = dt.datetime(2026, 3, 10, 12, 0, tzinfo=OSLO)


def actor_of(user) -> Actor:
    return Actor(user, Membership.objects.select_related("agency").get(user=user))


@pytest.fixture
def auditor(make_member, login):
    user = make_member("auditor", agency_type="by", district=None, username="revisor")
    return login(Client(), user)


@pytest.fixture
def trail(make_member):
    """A few reads and writes by two users in two agencies over three days."""
    school = AgencyFactory(type="skole", name="Haugen skole", code="haugen-skole")
    teacher = actor_of(make_member("caseworker", agency=school, username="laerer"))
    coordinator = actor_of(make_member("coordinator", username="koordinator"))
    sara, ola = PersonFactory(), PersonFactory()
    events = {}
    with clock.frozen(NOON - dt.timedelta(days=2)):
        events["old_view"] = audit_record(action=Action.PERSON_VIEW, actor=coordinator,
                                          obj=sara, persons=[sara], purpose="registrering")
    with clock.frozen(NOON):
        events["entry_read"] = audit_record(
            action=Action.ENTRY_LIST, actor=teacher, persons=[sara], purpose="forebygging",
            basis="fvl-13b-nr5-bydel-plan,prl-forebyggende-utlevering")
        events["denied"] = audit_record(action=Action.CASE_ACCESS_DENIED, actor=teacher,
                                        outcome=Outcome.DENIED, purpose="forebygging")
        events["ola_view"] = audit_record(action=Action.PERSON_VIEW, actor=coordinator,
                                          obj=ola, persons=[ola], purpose="registrering")
    with clock.frozen(NOON + dt.timedelta(days=1)):
        events["emergency"] = audit_record(
            action=Action.EMERGENCY_ACCESS, actor=teacher, persons=[sara, ola],
            purpose="fare_liv_helse", basis="nodtilgang")
    return {"school": school, "teacher": teacher, "coordinator": coordinator, "sara": sara,
            "ola": ola, **events}


def found(filters: EventFilters) -> set[int]:
    return set(audit_event_filter(filters).values_list("pk", flat=True))


def ids(trail, *names) -> set[int]:
    return {trail[n].pk for n in names}


def test_each_filter_narrows_the_search(trail):
    assert found(EventFilters(person_id=trail["sara"].pk)) == ids(
        trail, "old_view", "entry_read", "emergency")
    assert found(EventFilters(username="LAERER")) == ids(
        trail, "entry_read", "denied", "emergency")
    assert found(EventFilters(agency=trail["school"])) == ids(
        trail, "entry_read", "denied", "emergency")
    day = NOON.date()
    assert found(EventFilters(date_from=day, date_to=day)) == ids(
        trail, "entry_read", "denied", "ola_view")
    assert found(EventFilters(date_from=day + dt.timedelta(days=1))) == ids(trail, "emergency")
    assert found(EventFilters(date_to=day - dt.timedelta(days=1))) == ids(trail, "old_view")
    assert found(EventFilters(action=Action.PERSON_VIEW)) == ids(trail, "old_view", "ola_view")
    assert found(EventFilters(outcome=Outcome.DENIED)) == ids(trail, "denied")
    assert found(EventFilters(purpose="fare_liv_helse")) == ids(trail, "emergency")
    assert found(EventFilters(basis="FVL-13B")) == ids(trail, "entry_read")
    assert found(EventFilters(basis="nodtilgang")) == ids(trail, "emergency")
    assert found(EventFilters(person_id=trail["ola"].pk, username="laerer")) == ids(
        trail, "emergency")
    assert found(EventFilters(person_id=uuid.uuid4())) == set()


def test_dates_are_oslo_days():
    # 23:30 in Oslo on 9 March is 22:30 UTC the same day; 00:30 on 10 March is 23:30 UTC on 9th
    with clock.frozen(dt.datetime(2026, 3, 9, 23, 30, tzinfo=OSLO)):
        late = audit_record(action=Action.LOGIN, actor=None)
    with clock.frozen(dt.datetime(2026, 3, 10, 0, 30, tzinfo=OSLO)):
        early = audit_record(action=Action.LOGIN, actor=None)
    assert found(EventFilters(date_from=dt.date(2026, 3, 10), date_to=dt.date(2026, 3, 10))) == {
        early.pk}
    assert found(EventFilters(date_to=dt.date(2026, 3, 9))) == {late.pk}


def test_search_page_filters_and_records_the_search_without_personal_data(auditor, trail):
    sara = trail["sara"]
    response = auditor.get(SEARCH, {"person": str(sara.pk), "username": "laerer",
                                    "agency": "haugen-skole", "basis": "nodtilgang",
                                    "purpose": "fare_liv_helse", "outcome": "ok",
                                    "action": Action.EMERGENCY_ACCESS})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nødtilgang til opplysning" in body and "1 hendelse" in body
    assert sara.national_id not in body and sara.given_name not in body
    search = AuditEvent.objects.filter(action=Action.AUDIT_SEARCH).latest("id")
    assert list(search.subjects.values_list("person_id", flat=True)) == [sara.pk]
    assert search.details["by_person"] and search.details["by_user"] and search.details[
        "by_basis"]
    assert search.details["agency"] == "haugen-skole" and search.details["results"] == 1
    assert "laerer" not in str(search.details) and "nodtilgang" not in str(search.details)


def test_person_lookup_posts_the_number_and_redirects_to_the_id(auditor, trail):
    sara = trail["sara"]
    response = auditor.post(SEARCH + "?username=laerer&side=2",
                            {"national_id": sara.national_id})
    assert response.status_code == 302
    location = response["Location"]
    assert sara.national_id not in location
    assert f"person={sara.pk}" in location and "username=laerer" in location
    assert "side=" not in location
    lookup = AuditEvent.objects.filter(action=Action.AUDIT_SEARCH).latest("id")
    assert lookup.details == {"lookup": "national_id", "found": True}
    assert list(lookup.subjects.values_list("person_id", flat=True)) == [sara.pk]
    body = auditor.get(location).content.decode()
    assert "2 hendelser" in body  # the teacher's entry read and emergency access about Sara


def test_person_lookup_with_an_unknown_or_invalid_number_is_a_form_error(auditor, trail):
    unknown = PersonFactory.build().national_id  # valid synthetic number, never saved
    response = auditor.post(SEARCH, {"national_id": unknown})
    assert response.status_code == 200
    assert "Fant ingen person med dette nummeret i Laget." in response.content.decode()
    lookup = AuditEvent.objects.get(action=Action.AUDIT_SEARCH, details__lookup="national_id")
    assert lookup.details == {"lookup": "national_id", "found": False}
    assert unknown not in str(lookup.details) and not lookup.subjects.exists()
    response = auditor.post(SEARCH, {"national_id": "12345678901"})
    assert response.status_code == 200
    assert "Kontrollsifrene stemmer ikke" in response.content.decode()
    assert auditor.post(SEARCH, {"national_id": ""}).status_code == 200


@pytest.mark.parametrize("query, message", [
    ({"date_from": "2026-03-10", "date_to": "2026-03-01"}, "Til-datoen er før fra-datoen."),
    ({"date_from": "10.13.2026"}, "Oppgi en gyldig dato."),
    ({"person": "12345678901"}, "Person-ID-en er ikke gyldig."),
    ({"agency": "finnes-ikke"}, "Velg et gyldig valg."),
    ({"action": "person.peek"}, "Velg et gyldig valg."),
])
def test_bad_filters_are_form_errors_not_failures(auditor, query, message):
    response = auditor.get(SEARCH, query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.AUDIT_SEARCH).exists()


def test_pagination_keeps_the_filters(auditor, make_member):
    coordinator = actor_of(make_member("coordinator", username="flittig"))
    for _ in range(55):
        audit_record(action=Action.PERSON_LIST, actor=coordinator, purpose="registrering")
    body = auditor.get(SEARCH, {"username": "flittig", "side": "1"}).content.decode()
    assert "55 hendelser" in body and "Side 1 av 2" in body
    assert "?username=flittig&amp;side=2" in body
    body = auditor.get(SEARCH, {"username": "flittig", "side": "2"}).content.decode()
    assert "Side 2 av 2" in body
    assert auditor.get(SEARCH, {"side": "nonsense"}).status_code == 200


def test_search_query_count_does_not_grow_with_the_page(auditor, make_member,
                                                        django_assert_max_num_queries):
    coordinator = actor_of(make_member("coordinator"))
    for _ in range(50):
        audit_record(action=Action.PERSON_VIEW, actor=coordinator, persons=[uuid.uuid4()],
                     purpose="registrering")
    with django_assert_max_num_queries(14):
        assert auditor.get(SEARCH).status_code == 200


def _sheet(response):
    workbook = load_workbook(io.BytesIO(response.content))
    events, about = workbook.worksheets
    rows = list(events.iter_rows(values_only=True))
    return rows[0], rows[1:], dict(about.iter_rows(values_only=True))


def test_export_has_the_searched_events_in_oslo_time(auditor, trail):
    trail["sara"].refresh_from_db()
    response = auditor.get(EXPORT, {"person": str(trail["sara"].pk), "username": "laerer"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="hendelseslogg-')
    assert response["Content-Disposition"].endswith('.xlsx"')
    header, rows, about = _sheet(response)
    assert header[:4] == ("Loggindeks", "Hendelse", "Tidspunkt (Europe/Oslo)", "Handling")
    by_id = {row[1]: row for row in rows}
    assert set(by_id) == ids(trail, "entry_read", "emergency")
    emergency = by_id[trail["emergency"].pk]
    assert emergency[2] == (NOON + dt.timedelta(days=1)).replace(tzinfo=None)
    assert emergency[3:8] == ("Nødtilgang til opplysning", "entry.emergency_access", "Utført",
                              "laerer", "Haugen skole")
    assert emergency[8] == "Saksbehandler" and emergency[10] == "nodtilgang"
    assert emergency[12] == 2
    assert set(emergency[13].split()) == {str(trail["sara"].pk), str(trail["ola"].pk)}
    content = response.content
    for person in (trail["sara"], trail["ola"]):
        assert person.national_id.encode() not in content
    export = AuditEvent.objects.get(action=Action.AUDIT_EXPORT)
    assert about["Logghendelse for eksporten"] == export.pk
    assert about["Antall hendelser"] == 2
    assert export.details["rows"] == 2 and export.details["by_person"]
    assert list(export.subjects.values_list("person_id", flat=True)) == [trail["sara"].pk]


def test_export_keeps_text_as_text(auditor, make_member):
    coordinator = actor_of(make_member("coordinator"))
    audit_record(action=Action.PERSON_VIEW, actor=coordinator, basis="=HYPERLINK(\"x\")")
    _, rows, _ = _sheet(auditor.get(EXPORT, {"action": Action.PERSON_VIEW}))
    assert rows[0][10] == '=HYPERLINK("x")'
    workbook = load_workbook(io.BytesIO(auditor.get(EXPORT, {"action": Action.PERSON_VIEW})
                                        .content))
    assert workbook.worksheets[0]["K2"].data_type == "s"


def test_export_over_the_limit_is_refused_with_a_message(auditor, make_member, settings):
    settings.LAGET_AUDIT_EXPORT_MAX_ROWS = 2
    coordinator = actor_of(make_member("coordinator", username="mange"))
    for _ in range(3):
        audit_record(action=Action.PERSON_LIST, actor=coordinator)
    response = auditor.get(EXPORT, {"username": "mange"})
    assert response.status_code == 302 and response["Location"] == SEARCH + "?username=mange"
    body = auditor.get(response["Location"]).content.decode()
    assert "Søket gir 3 hendelser, men en eksport kan ha høyst 2." in body
    refused = AuditEvent.objects.get(action=Action.AUDIT_EXPORT)
    assert refused.outcome == Outcome.FAILED and refused.details["refused"] == "too_large"
    assert auditor.get(EXPORT, {"username": "mange", "action": "person.list",
                                "date_from": "2020-01-01"}).status_code == 302


def test_export_with_bad_filters_goes_back_to_the_search(auditor):
    response = auditor.get(EXPORT, {"date_from": "2026-03-10", "date_to": "2026-03-01"})
    assert response.status_code == 302
    assert "Til-datoen er før fra-datoen." in auditor.get(response["Location"]).content.decode()
    assert not AuditEvent.objects.filter(action=Action.AUDIT_EXPORT).exists()


@pytest.mark.parametrize("role", ["caseworker", "coordinator", "leader", "analyst", "admin"])
def test_only_the_auditor_may_search_or_export(make_member, login, role):
    client = login(Client(), make_member(role))
    assert client.get(SEARCH).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert client.post(SEARCH, {"national_id": "12345678901"}).status_code == 403
    assert not AuditEvent.objects.filter(
        action__in=[Action.AUDIT_SEARCH, Action.AUDIT_EXPORT]).exists()


def test_the_auditors_start_page_links_to_the_pages(auditor):
    body = auditor.get("/").content.decode()
    assert 'href="/logg/hendelser/"' in body and 'href="/logg/uvanlig/"' in body
