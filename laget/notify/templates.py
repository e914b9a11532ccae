"""Message texts to guardians, per language, kept as data here (not in the .po files: the
recipient's language is not the user interface's, and each translation's review state matters).

Placeholders are `string.Template` names in braces — `${first_name}`, `${unit}`, `${phone}` —
the same set in every language of a key (a test checks it). A text says that something happened
and whom to call: no place, no offence, no weapon type, no name but the child's first name and
the police unit's. The family's `family.new_message` says only that there is a new message in
Laget and where to read it (`${link}`, the family pages): never the message, a name or the case.
Only nb, nn and en have been read by a person; the other languages are machine-level drafts
(`reviewed=False`) until a translator has checked them.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from string import Template
from typing import NamedTuple

DEFAULT_LANGUAGE = "nb"
#: translations a person who writes the language has read; the rest are drafts
REVIEWED_LANGUAGES = frozenset({"nb", "nn", "en"})
RTL_LANGUAGES = frozenset({"ar", "ur"})
_ALIASES = {"no": "nb", "nob": "nb", "nno": "nn"}

_SUBJECT = {
    "nb": "Melding fra politiet",
    "nn": "Melding frå politiet",
    "en": "Message from the police",
    "so": "Fariin ka timid booliska",
    "ar": "رسالة من الشرطة",
    "ur": "پولیس کی طرف سے پیغام",
    "pl": "Wiadomość od policji",
    "ti": "መልእኽቲ ካብ ፖሊስ",
}

_BODIES: dict[str, dict[str, str]] = {
    "police.stop_search": {
        "nb": "Barnet ditt, ${first_name}, ble stanset og kontrollert (ransaket) av politiet i "
              "dag. Har du spørsmål, ring ${unit} på ${phone}.",
        "nn": "Barnet ditt, ${first_name}, vart stoppa og kontrollert (ransaka) av politiet i "
              "dag. Har du spørsmål, ring ${unit} på ${phone}.",
        "en": "Your child, ${first_name}, was stopped and searched by the police today. If you "
              "have questions, call ${unit} on ${phone}.",
        "so": "Ilmahaaga, ${first_name}, ayaa maanta booliisku joojiyeen oo baareen. Haddii aad "
              "su'aalo qabtid, wac ${unit} lambarka ${phone}.",
        "ar": "أوقفت الشرطة طفلك ${first_name} اليوم وقامت بتفتيشه. إذا كانت لديك أسئلة، "
              "اتصل بـ ${unit} على الرقم ${phone}.",
        "ur": "آج پولیس نے آپ کے بچے ${first_name} کو روکا اور تلاشی لی۔ اگر آپ کے کوئی "
              "سوالات ہیں تو ${unit} کو ${phone} پر کال کریں۔",
        "pl": "Twoje dziecko, ${first_name}, zostało dziś zatrzymane do kontroli i przeszukane "
              "przez policję. Jeśli masz pytania, zadzwoń do ${unit} pod numer ${phone}.",
        "ti": "ውላድኩም ${first_name} ሎሚ ብፖሊስ ደው ኢሉ ተፈቲሹ። ሕቶ እንተሃልዩኩም ናብ ${unit} "
              "ብቑጽሪ ${phone} ደውሉ።",
    },
    "police.apprehension": {
        "nb": "Barnet ditt, ${first_name}, ble pågrepet av politiet i dag. Ring ${unit} på "
              "${phone} for mer informasjon.",
        "nn": "Barnet ditt, ${first_name}, vart pågripe av politiet i dag. Ring ${unit} på "
              "${phone} for meir informasjon.",
        "en": "Your child, ${first_name}, was apprehended by the police today. Call ${unit} on "
              "${phone} for more information.",
        "so": "Ilmahaaga, ${first_name}, ayaa maanta booliisku qabteen. Wixii macluumaad "
              "dheeraad ah, wac ${unit} lambarka ${phone}.",
        "ar": "ألقت الشرطة القبض على طفلك ${first_name} اليوم. لمزيد من المعلومات، اتصل بـ "
              "${unit} على الرقم ${phone}.",
        "ur": "آج پولیس نے آپ کے بچے ${first_name} کو حراست میں لیا۔ مزید معلومات کے لیے "
              "${unit} کو ${phone} پر کال کریں۔",
        "pl": "Twoje dziecko, ${first_name}, zostało dziś zatrzymane przez policję. Aby uzyskać "
              "więcej informacji, zadzwoń do ${unit} pod numer ${phone}.",
        "ti": "ውላድኩም ${first_name} ሎሚ ብፖሊስ ተታሒዙ። ንዝያዳ ሓበሬታ ናብ ${unit} ብቑጽሪ "
              "${phone} ደውሉ።",
    },
    "police.weapon": {
        "nb": "Politiet har i dag hatt kontakt med barnet ditt, ${first_name}, i en sak som "
              "gjelder våpen. Bydelen og barnevernet vil følge opp og ta kontakt med deg. "
              "Spørsmål til politiet: ring ${unit} på ${phone}.",
        "nn": "Politiet har i dag hatt kontakt med barnet ditt, ${first_name}, i ei sak som "
              "gjeld våpen. Bydelen og barnevernet vil følgje opp og ta kontakt med deg. "
              "Spørsmål til politiet: ring ${unit} på ${phone}.",
        "en": "The police were in contact with your child, ${first_name}, today in a matter "
              "involving a weapon. The district (bydel) and the child welfare service "
              "(barnevern) will follow up and contact you. Questions for the police: call "
              "${unit} on ${phone}.",
        "so": "Booliisku maanta waxay xiriir la yeesheen ilmahaaga, ${first_name}, arrin la "
              "xiriirta hub. Degmada (bydel) iyo adeegga daryeelka carruurta (barnevern) ayaa "
              "kula soo xiriiri doona. Su'aalaha booliska: wac ${unit} lambarka ${phone}.",
        "ar": "تواصلت الشرطة اليوم مع طفلك ${first_name} بشأن قضية تتعلق بسلاح. ستتابع إدارة "
              "الحي (bydel) وخدمة رعاية الطفل (barnevern) الأمر وستتواصلان معك. للاستفسار من "
              "الشرطة، اتصل بـ ${unit} على الرقم ${phone}.",
        "ur": "آج پولیس کا آپ کے بچے ${first_name} سے ہتھیار سے متعلق ایک معاملے میں رابطہ "
              "ہوا۔ ضلعی دفتر (bydel) اور بچوں کی بہبود کا ادارہ (barnevern) آپ سے رابطہ کریں "
              "گے۔ پولیس سے سوالات کے لیے ${unit} کو ${phone} پر کال کریں۔",
        "pl": "Policja miała dziś kontakt z Twoim dzieckiem, ${first_name}, w sprawie "
              "dotyczącej broni. Dzielnica (bydel) i służby ochrony dzieci (barnevern) "
              "skontaktują się z Tobą. Pytania do policji: zadzwoń do ${unit} pod numer "
              "${phone}.",
        "ti": "ፖሊስ ሎሚ ምስ ውላድኩም ${first_name} ብዛዕባ ምስ ኣጽዋር ዝተተሓሓዘ ጉዳይ ርክብ "
              "ነይሩዎ። ወረዳ (bydel) ከምኡ'ውን ኣገልግሎት ክንክን ህጻናት (barnevern) ክከታተሉን "
              "ክረኽቡኹምን እዮም። ንፖሊስ ሕቶ እንተሃልዩኩም ናብ ${unit} ብቑጽሪ ${phone} ደውሉ።",
    },
}
#: The family's thread with the coordinator (laget.family.thread): a reply is waiting, nothing
#: more — the text itself is read after logging in, so an SMS seen by someone else tells nothing.
_FAMILY: dict[str, dict[str, tuple[str, str]]] = {
    "family.new_message": {
        "nb": ("Ny melding i Laget", "Du har en ny melding i Laget. Les den her: ${link}"),
        "nn": ("Ny melding i Laget", "Du har ei ny melding i Laget. Les ho her: ${link}"),
        "en": ("New message in Laget",
               "You have a new message in Laget. Read it here: ${link}"),
        "so": ("Fariin cusub oo Laget ah",
               "Waxaad fariin cusub ku leedahay Laget. Halkan ka akhri: ${link}"),
        "ar": ("رسالة جديدة في Laget", "لديك رسالة جديدة في Laget. اقرأها هنا: ${link}"),
        "ur": ("Laget میں نیا پیغام",
               "Laget میں آپ کے لیے ایک نیا پیغام ہے۔ اسے یہاں پڑھیں: ${link}"),
        "pl": ("Nowa wiadomość w Laget",
               "Masz nową wiadomość w Laget. Przeczytaj ją tutaj: ${link}"),
        "ti": ("ሓድሽ መልእኽቲ ኣብ Laget", "ኣብ Laget ሓድሽ መልእኽቲ ኣሎኩም። ኣብዚ ኣንብብዎ: ${link}"),
    },
}
#: key → language → (subject, body); every police key shares its language's subject line
TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    **{key: {language: (_SUBJECT[language], body) for language, body in texts.items()}
       for key, texts in _BODIES.items()},
    **_FAMILY,
}


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    #: the language actually used (bokmål when the one asked for has no text)
    language: str
    #: False for a machine-level draft no person has checked
    reviewed: bool


class TemplateInfo(NamedTuple):
    key: str
    language: str
    reviewed: bool


def resolve_language(key: str, language: str) -> str:
    """The language `render` uses for `key`: the one asked for ("nb-NO", "NB" and "no" are
    bokmål), else bokmål."""
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    code = _ALIASES.get(code, code)
    return code if code in TEMPLATES[key] else DEFAULT_LANGUAGE


def placeholders(text: str) -> set[str]:
    """The placeholder names in a template text."""
    return set(Template(text).get_identifiers())


def render(key: str, language: str, context: Mapping[str, str]) -> Rendered:
    """The text of `key` in `language` (bokmål if there is none) with `context` filled in.
    An unknown key raises KeyError; a placeholder missing from `context` raises ValueError.
    Values are put in as they are (a `$` in a value is not expanded); extra names are ignored."""
    texts = TEMPLATES[key]
    used = resolve_language(key, language)
    subject, body = texts[used]
    missing = (placeholders(subject) | placeholders(body)) - set(context)
    if missing:
        raise ValueError(f"template {key!r} needs {', '.join(sorted(missing))}")
    values = {name: " ".join(str(value).split()) for name, value in context.items()}
    return Rendered(
        subject=Template(subject).substitute(values), body=Template(body).substitute(values),
        language=used, reviewed=used in REVIEWED_LANGUAGES,
    )


def template_list() -> list[TemplateInfo]:
    """Every (key, language) there is a text for, and whether a person has reviewed it."""
    return [TemplateInfo(key, language, language in REVIEWED_LANGUAGES)
            for key in sorted(TEMPLATES) for language in TEMPLATES[key]]
