"""Kontakt- og reservasjonsregisteret (KRR) through Digdir's Oppslagstjenesten REST: one
`POST …/rest/v1/personer` with `{"personidentifikatorer": [...]}` (1–1000 numbers) and a bearer
token answers `{"personer": [{"personidentifikator", "reservasjon": "JA"/"NEI", "status":
"AKTIV"/"SLETTET"/"IKKE_REGISTRERT", "varslingsstatus": "KAN_VARSLES"/"KAN_IKKE_VARSLES",
"kontaktinformasjon": {"epostadresse", "mobiltelefonnummer", …}, "spraak"}]}`
(docs.digdir.no, «Oppslagstjenesten REST» and «Attributter i KRR»).

Public agencies must send notices to the contact details in KRR and must not contact a person
who has reserved themselves against digital communication (eForvaltningsforskriften); KRR's
`varslingsstatus` says whether the details may be used (KAN_IKKE_VARSLES when they have not been
confirmed for 18 months, or the person is reserved, deleted or unknown).

A failed lookup raises `KrrUnavailable` with a short reason that never holds a number, an
address or anything else KRR answered; the caller decides what to do without KRR."""

import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from laget.notify.endpoints import opener, url_allowed

#: KRR answers for at most this many numbers per request.
MAX_IDS_PER_REQUEST = 1000
#: 1000 persons with every attribute stay well below this.
_MAX_RESPONSE_BYTES = 4 * 1024 * 1024


class KrrUnavailable(Exception):
    """KRR could not be asked or gave no usable answer. `reason` is short and holds no personal
    data (an HTTP status, an exception's class name, "bad JSON")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason[:200]


@dataclass(frozen=True)
class KrrPerson:
    """What KRR holds for one national id."""

    national_id: str
    #: reserved against digital communication with the public sector ("reservasjon": "JA")
    reserved: bool
    #: registered in KRR ("status": "AKTIV"); SLETTET and IKKE_REGISTRERT come without details
    active: bool
    #: the details may be used for notices ("varslingsstatus": "KAN_VARSLES")
    can_notify: bool
    #: as KRR gives them (e.g. "+4799999999"); "" when absent
    mobile: str
    email: str
    #: the preferred language for the public sector ("nb", "nn", "en", "se"), or ""
    language: str


def krr_enabled() -> bool:
    """KRR is asked only when LAGET_KRR_URL is set (the demo leaves it empty)."""
    return bool(settings.LAGET_KRR_URL)


def krr_url() -> str:
    """The configured lookup URL: HTTPS, or plain HTTP to this machine only (tests)."""
    url = settings.LAGET_KRR_URL
    if not url:
        raise KrrUnavailable("KRR not configured")
    if not url_allowed(url):
        raise KrrUnavailable("KRR URL must be https")
    return url


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _person(item: Any) -> KrrPerson | None:
    if not isinstance(item, dict) or not _text(item.get("personidentifikator")):
        return None
    contact = item.get("kontaktinformasjon")
    contact = contact if isinstance(contact, dict) else {}
    active = item.get("status") == "AKTIV"
    return KrrPerson(
        national_id=_text(item["personidentifikator"]),
        reserved=item.get("reservasjon") == "JA",
        active=active,
        can_notify=active and item.get("varslingsstatus") == "KAN_VARSLES",
        mobile=_text(contact.get("mobiltelefonnummer")),
        email=_text(contact.get("epostadresse")),
        language=_text(item.get("spraak")),
    )


def _parse(body: bytes, asked: set[str]) -> dict[str, KrrPerson]:
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise KrrUnavailable("KRR bad JSON") from None
    persons = document.get("personer") if isinstance(document, dict) else None
    if not isinstance(persons, list):
        raise KrrUnavailable("KRR bad response")
    result: dict[str, KrrPerson] = {}
    for item in persons:
        person = _person(item)
        if person is None:
            raise KrrUnavailable("KRR bad response")
        if person.national_id in asked:  # anything else was not asked for: ignored
            result[person.national_id] = person
    return result


def krr_lookup(national_ids: Iterable[str]) -> dict[str, KrrPerson]:
    """Look up the numbers in one request; returns what KRR answered, by number. A number KRR
    left out of its answer is missing from the result (treat it as not registered). No numbers,
    no request. Raises `KrrUnavailable` on a timeout, a refused connection, a non-2xx answer or
    a body that is not the documented shape; ValueError for more than 1000 numbers."""
    ids = list(dict.fromkeys(number.strip() for number in national_ids if number.strip()))
    if not ids:
        return {}
    if len(ids) > MAX_IDS_PER_REQUEST:
        raise ValueError(f"KRR takes at most {MAX_IDS_PER_REQUEST} numbers per request")
    request = urllib.request.Request(  # noqa: S310 — the scheme is checked by krr_url()
        krr_url(),
        data=json.dumps({"personidentifikatorer": ids}).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "Authorization": f"Bearer {settings.LAGET_KRR_TOKEN}",
            "User-Agent": "Laget-notify/1",
        },
    )
    try:
        with opener.open(request, timeout=settings.LAGET_KRR_TIMEOUT_SECONDS) as response:
            body = response.read(_MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as error:
        code = error.code
        error.close()
        raise KrrUnavailable(f"KRR HTTP {code}") from None
    except urllib.error.URLError as error:
        reason = error.reason
        name = type(reason).__name__ if isinstance(reason, BaseException) else "URLError"
        raise KrrUnavailable(f"KRR {name}") from None
    except (OSError, http.client.HTTPException) as error:  # a timeout, a reset, a garbled reply
        raise KrrUnavailable(f"KRR {type(error).__name__}") from None
    if len(body) > _MAX_RESPONSE_BYTES:
        raise KrrUnavailable("KRR response too large")
    return _parse(body, set(ids))
