"""SMS segment counting: GSM-7 (160, then 153 a part; extension characters take two septets)
and UCS-2 (70, then 67) as soon as one character is outside the GSM alphabet."""

import pytest

from laget.notify.sms import encoding, segments
from laget.notify.templates import render


@pytest.mark.parametrize(("text", "count"), [
    ("", 0),
    ("a", 1),
    ("a" * 160, 1),
    ("a" * 161, 2),
    ("a" * 306, 2),
    ("a" * 307, 3),
    ("Blåbærsyltetøy ÆØÅ æøå" * 7, 1),  # 154
    ("Blåbærsyltetøy ÆØÅ æøå" * 8, 2),  # Norwegian letters are GSM-7
    ("€" * 80, 1),  # 160 septets
    ("€" * 81, 2),
    ("a" * 159 + "€", 2),  # 161 septets
    ("a" * 158 + "[", 1),
    # 152 septets, then an escape pair that would straddle the part boundary: moved whole
    ("a" * 152 + "{" + "a" * 8, 2),
    ("a" * 152 + "{" + "a" * 152, 3),
])
def test_gsm7(text, count):
    assert encoding(text) == "gsm7"
    assert segments(text) == count


@pytest.mark.parametrize(("text", "count"), [
    ("ł" * 70, 1),
    ("ł" * 71, 2),
    ("a" * 69 + "ł", 1),
    ("a" * 70 + "ł", 2),
    ("ł" * 134, 2),
    ("ł" * 135, 3),
    ("ع" * 70, 1),   # Arabic
    ("ع" * 71, 2),
    ("ሰ" * 70, 1),   # Ethiopic (Tigrinya)
    ("ሰ" * 71, 2),
    ("ہ" * 140, 3),  # Urdu
    ("😀" * 35, 1),  # two UTF-16 units each
    ("😀" * 36, 2),
    ("a" * 66 + "😀" + "a" * 10, 2),  # the pair is not split: 66 | 2 + 10
    ("a" * 66 + "😀" + "a" * 66, 3),
])
def test_ucs2(text, count):
    assert encoding(text) == "ucs2"
    assert segments(text) == count


def test_one_character_outside_the_alphabet_turns_the_whole_text_to_ucs2():
    assert segments("a" * 100) == 1
    assert segments("a" * 99 + "ó") == 2  # Polish ó is not GSM (ò is)
    assert segments("a" * 99 + "ò") == 1


def test_the_guardian_texts_cost_what_their_script_costs():
    context = {"first_name": "Amal", "unit": "Politiet Øst", "phone": "22669900"}
    assert encoding(render("police.stop_search", "nb", context).body) == "gsm7"
    assert segments(render("police.stop_search", "nb", context).body) == 1
    for language in ["ar", "ur", "ti", "pl"]:
        assert encoding(render("police.stop_search", language, context).body) == "ucs2"
    assert segments(render("police.weapon", "ar", context).body) >= 2
