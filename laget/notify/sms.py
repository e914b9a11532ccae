"""How many SMS segments a text costs: GSM-7 (3GPP TS 23.038 default alphabet) when every
character is in it, else UCS-2 — one character outside (Arabic, Ethiopic, Urdu, Polish «ł»)
turns the whole message to UCS-2, at less than half the characters per segment."""

GSM7_SINGLE = 160
GSM7_PART = 153  # a part of a concatenated message; the user data header takes the rest
UCS2_SINGLE = 70
UCS2_PART = 67

#: the GSM 03.38 default alphabet (one septet each); ESC itself is not a character of the text
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: the extension table: ESC + one septet, so two septets each
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")


def is_gsm7(text: str) -> bool:
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def encoding(text: str) -> str:
    """"gsm7" or "ucs2"."""
    return "gsm7" if is_gsm7(text) else "ucs2"


def _units(text: str) -> list[int]:
    """The size of each character in the encoding's units (septets, or UTF-16 code units — a
    character outside the Basic Multilingual Plane, an emoji, takes two)."""
    if is_gsm7(text):
        return [2 if char in GSM7_EXTENSION else 1 for char in text]
    return [2 if ord(char) > 0xFFFF else 1 for char in text]


def segments(text: str) -> int:
    """The number of segments `text` is sent as (0 for an empty text). A character that takes
    two units (an extension character, a surrogate pair) is never split across parts."""
    units = _units(text)
    single, part = (GSM7_SINGLE, GSM7_PART) if is_gsm7(text) else (UCS2_SINGLE, UCS2_PART)
    total = sum(units)
    if total == 0:
        return 0
    if total <= single:
        return 1
    count, used = 1, 0
    for size in units:
        if used + size > part:
            count, used = count + 1, 0
        used += size
    return count
