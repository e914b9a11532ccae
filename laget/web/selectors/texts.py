"""The guardians' message texts as staff read them (/varsler/tekster/): every key in every
language, whether a person has reviewed the translation, how many SMS segments it costs and in
which encoding, and which languages fall back to bokmål. No personal data: the texts are the
templates in `laget.notify.templates`, the segments counted with example values."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from laget.notify import sms
from laget.notify.templates import RTL_LANGUAGES, TEMPLATES, render, template_list
from laget.people.models import Language

#: what the segment count assumes: a long first name and the longest unit name in use
EXAMPLE_FIRST_NAME = "Aleksander"
EXAMPLE_UNIT = "Oslo politidistrikt, forebyggende Søndre Nordstrand"

#: when each message is sent (police.services.template_key); an unknown key shows as itself
KEY_LABELS: dict[str, Promise] = {
    "police.stop_search": _("Politiet: stans og ransaking"),
    "police.apprehension": _("Politiet: pågripelse"),
    "police.weapon": _("Politiet: sak som gjelder våpen"),
    "family.new_message": _("Familiesiden: ny melding fra koordinatoren"),
}
_PLACEHOLDER = re.compile(r"\$\{([_A-Za-z][_A-Za-z0-9]*)\}")


@dataclass(frozen=True)
class TextPart:
    text: str
    #: a `${name}` the sender fills in (shown as code, isolated from right-to-left text)
    placeholder: bool


@dataclass(frozen=True)
class TextRow:
    key: str
    language: str
    language_label: str
    reviewed: bool
    #: "rtl" for Arabic and Urdu, else "ltr"
    direction: str
    subject: list[TextPart]
    body: list[TextPart]
    #: of the body with the example values: the SMS carries the body only
    segments: int
    encoding: str
    characters: int


@dataclass(frozen=True)
class TextGroup:
    key: str
    label: str
    rows: list[TextRow]


@dataclass(frozen=True)
class TextCatalogue:
    groups: list[TextGroup]
    #: languages a guardian may prefer that have no text: they get bokmål
    fallback_languages: list[str]
    drafts: int
    example_first_name: str
    example_unit: str
    example_phone: str


def _parts(text: str) -> list[TextPart]:
    parts, at = [], 0
    for match in _PLACEHOLDER.finditer(text):
        if match.start() > at:
            parts.append(TextPart(text[at:match.start()], placeholder=False))
        parts.append(TextPart(match.group(0), placeholder=True))
        at = match.end()
    if at < len(text):
        parts.append(TextPart(text[at:], placeholder=False))
    return parts


def text_catalogue() -> TextCatalogue:
    """Every template key × language with its review state and SMS cost, grouped by key."""
    example = {"first_name": EXAMPLE_FIRST_NAME, "unit": EXAMPLE_UNIT,
               "phone": settings.LAGET_POLICE_PHONE,
               "link": settings.LAGET_NOTIFY_LINK_BASE_URL.rstrip("/") + "/familie/"}
    labels = dict(Language.choices)
    order = {code: index for index, code in enumerate(Language.values)}
    groups: dict[str, list[TextRow]] = {}
    for info in template_list():
        subject, body = TEMPLATES[info.key][info.language]
        filled = render(info.key, info.language, example).body
        groups.setdefault(info.key, []).append(TextRow(
            key=info.key, language=info.language,
            language_label=str(labels.get(info.language, info.language)),
            reviewed=info.reviewed,
            direction="rtl" if info.language in RTL_LANGUAGES else "ltr",
            subject=_parts(subject), body=_parts(body),
            segments=sms.segments(filled),
            encoding="GSM-7" if sms.encoding(filled) == "gsm7" else "UCS-2",
            characters=len(filled),
        ))
    with_text = {row.language for rows in groups.values() for row in rows}
    return TextCatalogue(
        groups=[TextGroup(key, str(KEY_LABELS.get(key, key)),
                          sorted(rows, key=lambda r: order.get(r.language, len(order))))
                for key, rows in groups.items()],
        fallback_languages=[str(label) for code, label in Language.choices
                            if code not in with_text],
        drafts=sum(1 for rows in groups.values() for row in rows if not row.reviewed),
        example_first_name=EXAMPLE_FIRST_NAME, example_unit=EXAMPLE_UNIT,
        example_phone=settings.LAGET_POLICE_PHONE,
    )
