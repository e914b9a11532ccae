"""No personal data in the logs (issue 12, web hardening): every log record written while staff
do representative work — a police registration whose guardian SMS goes out through a real HTTP
gateway on loopback, a concern, a case page, a person search, failed logins (one with a
fødselsnummer typed as the user name) and a page that does not exist — is captured at DEBUG on
every logger, and none of the synthetic fødselsnumre, names or phone numbers appears in a
message, its arguments or a traceback, nor in the lines the JSON format (LAGET_LOG_FORMAT=json)
makes of them; the request log's lines name routes, not paths."""

import datetime as dt
import json
import logging

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laget.accounts.models import AgencyType
from laget.accounts.tests.factories import AgencyFactory
from laget.areas.models import Subdistrict
from laget.core import clock
from laget.core.jsonlog import JsonFormatter
from laget.notify.models import Message, MessageStatus
from laget.notify.services import deliver_due
from laget.notify.tests.conftest import sms_gateway  # noqa: F401  (fixture)
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.policing.models import PoliceRegistration
from laget.records.services import case_open, team_member_add
from laget.web.tests.conftest import actor_of

pytestmark = pytest.mark.django_db

STOVNER = "030111"


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def texts(self) -> list[str]:
        """Everything a handler could write of a record: the message, the raw arguments, the
        traceback, and any extra attributes."""
        formatter = logging.Formatter()
        out = []
        for record in self.records:
            parts = [record.getMessage(), repr(record.args), repr(record.msg)]
            if record.exc_info:
                parts.append(formatter.formatException(record.exc_info))
            parts.append(repr({k: v for k, v in vars(record).items()
                               if k not in ("args", "msg", "exc_info", "exc_text")}))
            out.append(f"{record.name}: " + " | ".join(parts))
        return out


@pytest.fixture
def captured():
    """A handler on the root logger, as the most verbose deployment runs: LOG_LEVEL=DEBUG (the
    root at DEBUG) with the levels settings.LOGGING pins on some loggers; every other logger
    inherits DEBUG, and none is silenced or kept from reaching the root."""
    handler = Capture()
    root = logging.getLogger()
    loggers = [root] + [logger for logger in logging.root.manager.loggerDict.values()
                        if isinstance(logger, logging.Logger)]
    saved = [(logger, logger.level, logger.propagate, logger.disabled) for logger in loggers]
    pinned = set(settings.LOGGING.get("loggers", {}))
    for logger in loggers:
        if logger is root or logger.name not in pinned:
            logger.setLevel(logging.DEBUG if logger is root else logging.NOTSET)
        logger.propagate = True
        logger.disabled = False
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)
    for logger, level, propagate, disabled in saved:
        logger.setLevel(level)
        logger.propagate = propagate
        logger.disabled = disabled


def born(years: int) -> dt.date:
    return clock.today() - dt.timedelta(days=int(years * 365.25) + 40)


def test_a_working_day_leaves_no_personal_data_in_the_logs(
        captured, make_member, login, rulebook, sms_gateway):  # noqa: F811
    bydel = AgencyFactory(type=AgencyType.BYDEL, district_id=STOVNER)
    unit = AgencyFactory(type=AgencyType.POLITI, district_id=None)
    school = AgencyFactory(type=AgencyType.SKOLE, district_id=STOVNER)
    coordinator = make_member("coordinator", agency=bydel, first_name="Koordinator",
                              last_name="Qwertzberg")
    officer = make_member("caseworker", agency=unit, first_name="Betjent", last_name="Vxlundqvist")
    teacher = make_member("caseworker", agency=school, first_name="Lærer",
                          last_name="Zabrowskaja")

    child = PersonFactory(district_id=STOVNER, birth_date=born(15), given_name="Ximenaxa",
                          family_name="Quorthildsen")
    GuardianFactory(person=child, given_name="Ygdrasilja", family_name="Pmorvaten",
                    phone="91234567")
    with_case = PersonFactory(district_id=STOVNER, birth_date=born(14), given_name="Wyborgine",
                              family_name="Kjxrstadli")
    GuardianFactory(person=with_case, given_name="Ulvhildur", family_name="Fnorrebakk",
                    phone="98765432")
    case = case_open(actor=actor_of(coordinator), person=with_case)
    team_member_add(actor=actor_of(coordinator), case=case, user=teacher, agency=school)
    concern_child = {"given_name": "Tobiaszx", "family_name": "Grblundvik"}
    stranger_id = PersonFactory.build(birth_date=born(30)).national_id
    secrets = [child.national_id, with_case.national_id, stranger_id, "91234567", "98765432",
               "Ximenaxa", "Quorthildsen", "Ygdrasilja", "Pmorvaten", "Wyborgine", "Kjxrstadli",
               "Ulvhildur", "Fnorrebakk", *concern_child.values()]

    # a police stop of a child: the guardian's SMS, delivered through the gateway
    police = login(Client(), officer)
    place = Subdistrict.objects.filter(district_id=STOVNER).order_by("code").first()
    response = police.post(reverse("web:police_create"), {
        "kind": "stop_search", "national_id": child.national_id, "given_name": child.given_name,
        "family_name": child.family_name, "birth_date": "", "subdistrict": place.pk,
        "occurred_at": timezone.localtime(clock.now()).strftime("%Y-%m-%dT%H:%M"),
        "grounds": "Lukt av cannabis.", "found_items": "", "weapon_type": "none",
        "offence_category": "", "held": "0",
    })
    assert response.status_code == 302
    police.get(response["Location"])
    registration = PoliceRegistration.objects.get()
    deliver_due()
    assert sms_gateway.requests
    assert Message.objects.filter(status=MessageStatus.SENT).exists()

    # a registration with an unknown number: refused as a form error
    police.post(reverse("web:police_create"), {"kind": "stop_search",
                                               "national_id": stranger_id})

    # a concern from the school about a child with no number
    school_client = login(Client(), teacher)
    response = school_client.post(reverse("web:concern_create"), {
        "national_id": "", **concern_child, "birth_date": born(13).isoformat(),
        "district": STOVNER, "text": "Har fått nye, eldre venner og skulker."})
    assert response.status_code == 302

    # the coordinator opens the case page; the teacher searches cases by number
    bydel_client = login(Client(), coordinator)
    assert bydel_client.get(
        reverse("web:case_detail", kwargs={"case_id": case.pk})).status_code == 200
    assert bydel_client.get(
        reverse("web:police_receipt", kwargs={"registration_id": registration.pk})
    ).status_code in (403, 404)
    school_client.post(reverse("web:case_search"), {"national_id": with_case.national_id})
    assert school_client.get("/finnes-ikke/").status_code == 404

    # failed logins: a wrong password, and a fødselsnummer typed as the user name
    anonymous = Client()
    anonymous.post(reverse("accounts:login"), {"username": teacher.username,
                                               "password": "feil-passord"})
    anonymous.post(reverse("accounts:login"), {"username": child.national_id,
                                               "password": with_case.national_id})

    texts = captured.texts()
    assert texts, "the flows wrote no log records at all: the capture is not working"
    # the same records as LAGET_LOG_FORMAT=json writes them
    lines = [JsonFormatter().format(record) for record in captured.records]
    leaks = [(secret, text[max(0, text.index(secret) - 300):text.index(secret) + 100])
             for text in texts + lines for secret in secrets if secret in text]
    assert not leaks, "\n\n".join(f"{secret}: …{around}…" for secret, around in leaks)

    # the request log names routes, never paths (which hold ids) or query strings
    requests = [line for line in map(json.loads, lines) if line["logger"] == "laget.request"]
    assert {"web:police_create", "web:case_detail", "web:case_search", "accounts:login",
            "unmatched"} <= {line["route"] for line in requests}
    assert all(line["request_id"] and line["status"] and "duration_ms" in line
               for line in requests)
    ids = [str(case.pk), str(registration.pk), "/saker/", "finnes-ikke"]
    assert not [text for text in map(json.dumps, requests) if any(i in text for i in ids)]
