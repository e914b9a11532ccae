"""No back doors: a team member without any basis crawls every page and API operation, and the
canary text written into every entry of other agencies never appears in what they get back."""

import datetime as dt
import re
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from laget.accounts.actor import Actor
from laget.accounts.models import Membership
from laget.core import clock
from laget.family.models import FamilyMessage
from laget.mentors.models import Application, Programme
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.records.services import case_open, team_member_add
from laget.rectification.models import RectificationRequest, RequestedEntry
from laget.sharing import services
from laget.sharing.selectors import case_entries_for
from laget.sharing.services import NewAttachment

CANARY = "KANARIFUGL-7f3a9c"
SKIP_PREFIXES = ("admin/", "static/", "i18n/", "konto/logg-ut", "api/(?P<rest>")
PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")


def _routes(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def actor_of(user) -> Actor:
    return Actor(user, Membership.objects.get(user=user))


@pytest.fixture
def world(make_member, rulebook):
    coordinator = actor_of(make_member("coordinator"))
    police = make_member("caseworker", agency_type="politi")
    person = PersonFactory(birth_date=dt.date.today().replace(year=dt.date.today().year - 15))
    guardian = GuardianFactory(person=person)
    case = case_open(actor=coordinator, person=person)
    police_actor = actor_of(police)
    team_member_add(actor=coordinator, case=case, user=police, agency=police_actor.agency)
    writers = {"bydel": coordinator}
    for kind in ("skole", "barnevern", "helse", "nav", "fritid", "konfliktraad"):
        writer = actor_of(make_member("caseworker", agency_type=kind))
        team_member_add(actor=coordinator, case=case, user=writer.user, agency=writer.agency)
        writers[kind] = writer
    category = {"bydel": "plan", "skole": "skole", "barnevern": "barnevern", "helse": "helse",
                "nav": "nav", "fritid": "aktivitet", "konfliktraad": "konfliktraad"}
    entries, attachments = [], []
    for kind, writer in writers.items():
        entry = services.entry_add(
            actor=writer, case=case, category=category[kind], text=f"{CANARY} fra {kind}",
            attachments=[NewAttachment(name=f"{CANARY}.txt", content_type="text/plain",
                                       data=CANARY.encode())])
        entries.append(entry)
        attachments.append(entry.attachments.get())
        corrected = services.entry_correct(actor=writer, case=case, entry_id=entry.pk,
                                           text=f"{CANARY} rettet av {kind}")
        entries.append(corrected)
    consent = services.consent_register(
        actor=coordinator, case=case, given_by="guardian", guardian_ids=[guardian.pk],
        method="signed_form", categories=["skole"], recipients=["bydel"],
        purposes=["forebygging"], valid_from=clock.today(),
        valid_to=clock.today() + dt.timedelta(days=30), youth_view="Enig.")
    # an application to the bydel's «Unge forbilder» is for the programme's staff alone
    application = Application.objects.create(
        programme=Programme.objects.create(agency=coordinator.agency, name="Unge forbilder",
                                           capacity=2),
        person=person, submitted_by=coordinator.user, submitting_agency=coordinator.agency,
        motivation=f"{CANARY} i søknaden", consent_method="skjema", consent_on=clock.today(),
        consent_youth=True, consent_guardians=True)
    # the family's message to the coordinator is for the bydel's coordinator alone
    FamilyMessage.objects.create(case=case, author_kind="family", text=f"{CANARY} fra familien",
                                 details={"citizen": "guardian", "guardian": str(guardian.pk)})
    # a request for rectification of the school's entry is for the school (and its registrar)
    rectification = RectificationRequest.objects.create(
        kind="correction", person=person, case=case, agency=writers["skole"].agency,
        channel="staff", requested_by="self", registered_by=writers["skole"].user,
        registered_by_agency=writers["skole"].agency, what_is_wrong=f"{CANARY} er feil",
        should_say=f"{CANARY} rettet", received_at=clock.now(), deadline=clock.today())
    RequestedEntry.objects.create(request=rectification, entry_id=entries[3].pk)
    # the police officer has no basis for any of it (production: unreviewed rules need consent)
    _, shown = case_entries_for(actor=police_actor, case=case, purpose="forebygging")
    assert all(CANARY not in s.entry.text for s in shown)
    member = case.team.get(user=police)
    return {"police": police, "school": writers["skole"].user, "case": case, "person": person,
            "entries": entries, "attachments": attachments, "consent": consent, "member": member,
            "guardian": guardian, "application": application, "rectification": rectification}


def _values(world, name: str) -> list[str]:
    values = {
        "case_id": [world["case"].pk], "person_id": [world["person"].pk],
        "entry_id": [e.pk for e in world["entries"]],
        "attachment_id": [a.pk for a in world["attachments"]],
        "consent_id": [world["consent"].pk], "member_id": [world["member"].pk],
        "guardian_id": [world["guardian"].pk], "access_id": [world["member"].pk],
        "code": ["030111"], "rule_id": ["fvl-13a-samtykke"], "token": ["x"],
        "level": ["0", "1"], "path": ["000", "000.p/1", "x001/234.p/7"],
        "version_id": [world["consent"].pk], "withholding_id": [world["consent"].pk],
        "confirmation_id": [world["member"].pk],
        "concern_id": [world["case"].pk],
        "meeting_id": [world["case"].pk],
        "goal_id": [world["case"].pk], "task_id": [world["case"].pk],
        "measure_id": [world["case"].pk],
        "registration_id": [world["case"].pk], "report_id": [world["case"].pk],
        "request_id": [world["case"].pk],
        "proposal_id": [world["case"].pk],
        "extract_id": [world["case"].pk],
        "candidate_id": [world["case"].pk], "hold_id": [world["case"].pk],
        "programme_id": [world["application"].programme_id],
        "application_id": [world["application"].pk],
        "mentor_id": [world["case"].pk],
        "enrolment_id": [world["case"].pk], "slot_id": [world["case"].pk],
        "offer_id": [world["case"].pk], "referral_id": [world["case"].pk],
        "parent_referral_id": [world["case"].pk], "relocation_id": [world["case"].pk],
        "message_id": [world["case"].pk],  # API client tokens only: 401 to a session
        # reentry (a kriminalomsorg–politi message also has a message_id)
        "release_id": [world["case"].pk], "plan_id": [world["case"].pk], "milestone": ["3"],
        "affiliation_id": [world["case"].pk],
        # schools
        "incident_id": [world["case"].pk], "change_id": [world["case"].pk],
        # rectification and objection
        "rectification_id": [world["rectification"].pk],
        # analytics (an indicator by its key; an evaluated measure by its key)
        "key": ["concerns_received", "intensiv"],
        # analytics: områdesatsinger, commitments, development plans
        "area_programme_id": [world["case"].pk], "commitment_id": [world["case"].pk],
        "devplan_id": [world["case"].pk],
    }
    if name not in values:
        pytest.fail(f"the crawl does not know URL parameter {name!r}: add it to _values()")
    return [str(v) for v in values[name]]


def _expand(route: str, world) -> list[str]:
    urls = ["/" + route.lstrip("^").rstrip("$")]
    while True:
        match = next((PARAM.search(u) for u in urls if PARAM.search(u)), None)
        if match is None:
            return [u.replace("\\", "") for u in urls]
        name = match.group("name") or match.group("rname")
        expanded = []
        for url in urls:
            m = PARAM.search(url)
            if m is None:
                expanded.append(url)
                continue
            expanded += [url[:m.start()] + v + url[m.end():] for v in _values(world, name)]
        urls = expanded
        del name


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf") and shutil.which(
            "pdftotext"):
        return subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True,
                              check=True).stdout.decode()
    return body.decode("utf-8", errors="replace")


@pytest.mark.django_db
def test_canary_never_reaches_a_team_member_without_basis(world, login):
    client = login(Client(), world["police"])
    routes = sorted(set(_routes(get_resolver().url_patterns)))
    crawled = 0
    for route in routes:
        if route.lstrip("^").startswith(SKIP_PREFIXES):
            continue
        for url in _expand(route, world):
            for method in ("get", "post"):
                response = getattr(client, method)(url, follow=False)
                assert response.status_code < 500, (method, url)
                assert CANARY not in _text(response), (method, url)
                assert CANARY not in response.get("Location", ""), (method, url)
                crawled += 1
    assert crawled > 20
    # the crawl can see a canary where there is one: the school's own entry on the case page
    writer = login(Client(), world["school"])
    assert CANARY in _text(writer.get(f"/saker/{world['case'].pk}/"))
    # and the JSON API, with bodies
    for body in ({"source": "skole", "recipient": "politi", "category": "skole",
                  "purpose": "forebygging", "person_age": 15, "consent": "none"},):
        response = client.post("/api/v1/sharing/guide", body, content_type="application/json")
        assert CANARY not in response.content.decode()
