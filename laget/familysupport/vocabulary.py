"""Reference lists the family support validates against: Norway's municipalities (the
destination of a relocation) and the languages interpreters are booked in."""

import csv
import functools
from pathlib import Path

from django.utils.translation import gettext_lazy as _

KOMMUNER_FILE = Path(__file__).parent / "data" / "kommuner-2024.csv"


@functools.cache
def municipalities() -> dict[str, str]:
    """kommunenummer → kommunenavn (see data/README.md for the source)."""
    with KOMMUNER_FILE.open(encoding="utf-8", newline="") as fh:
        return {row["kommunenummer"]: row["kommunenavn"] for row in csv.DictReader(fh)}


#: Languages interpreters are most often booked in by Oslo's services: ISO 639-1 code where one
#: exists, else ISO 639-3 (prs Dari, ckb Sorani, kmr Kurmanji, nsl Norwegian sign language),
#: with the bokmål name.
INTERPRETER_LANGUAGES: dict[str, object] = {
    "am": _("Amharisk"), "ar": _("Arabisk"), "bs": _("Bosnisk"), "ckb": _("Kurdisk (sorani)"),
    "kmr": _("Kurdisk (kurmanji)"), "prs": _("Dari"), "en": _("Engelsk"), "fa": _("Persisk"),
    "fr": _("Fransk"), "hr": _("Kroatisk"), "hi": _("Hindi"), "lt": _("Litauisk"),
    "lv": _("Latvisk"), "om": _("Oromo"), "pl": _("Polsk"), "ps": _("Pashto"),
    "pt": _("Portugisisk"), "pa": _("Panjabi"), "ro": _("Rumensk"), "ru": _("Russisk"),
    "sq": _("Albansk"), "so": _("Somali"), "es": _("Spansk"), "sr": _("Serbisk"),
    "sw": _("Swahili"), "ta": _("Tamil"), "th": _("Thai"), "ti": _("Tigrinja"),
    "tr": _("Tyrkisk"), "uk": _("Ukrainsk"), "ur": _("Urdu"), "vi": _("Vietnamesisk"),
    "zh": _("Kinesisk"), "nsl": _("Norsk tegnspråk"),
}
