"""The guardian message texts: every key in every language, the same placeholders as bokmål,
right-to-left scripts where expected, bokmål as fallback and the review marks."""

import re
import unicodedata

import pytest

from laget.notify.templates import (
    REVIEWED_LANGUAGES,
    TEMPLATES,
    Rendered,
    placeholders,
    render,
    template_list,
)

LANGUAGES = ["nb", "nn", "en", "so", "ar", "ur", "pl", "ti"]
KEYS = ["police.stop_search", "police.apprehension", "police.weapon"]
CONTEXT = {"first_name": "Amal", "unit": "Politiets forebyggende enhet Stovner",
           "phone": "22 66 99 00"}
#: the family's «you have a new message» (laget.family.thread): a link and nothing else
FAMILY_KEY = "family.new_message"
FAMILY_CONTEXT = {"link": "https://laget.oslo.kommune.no/familie/"}
ALL_KEYS = [*KEYS, FAMILY_KEY]


def _is_rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in {"R", "AL"}


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_key_renders_in_every_language_with_bokmals_placeholders(key, language):
    subject, body = TEMPLATES[key][language]
    nb_subject, nb_body = TEMPLATES[key]["nb"]
    assert placeholders(subject) | placeholders(body) == (
        placeholders(nb_subject) | placeholders(nb_body)) == {"first_name", "unit", "phone"}
    # No stray `$` or `{` that a translator broke out of a placeholder.
    assert "$" not in re.sub(r"\$\{\w+\}", "", body + subject)
    rendered = render(key, language, CONTEXT)
    assert rendered == Rendered(subject=rendered.subject, body=rendered.body, language=language,
                                reviewed=language in {"nb", "nn", "en"})
    assert "$" not in rendered.body and "{" not in rendered.body
    for value in CONTEXT.values():
        assert value in rendered.body
    assert rendered.subject and "\n" not in rendered.subject


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_family_message_says_only_that_there_is_a_message_and_where(language):
    subject, body = TEMPLATES[FAMILY_KEY][language]
    assert placeholders(subject) | placeholders(body) == {"link"}
    assert "$" not in re.sub(r"\$\{\w+\}", "", body + subject)
    # the other keys' values are ignored: no name can slip in through the context
    rendered = render(FAMILY_KEY, language, {**CONTEXT, **FAMILY_CONTEXT})
    assert rendered == Rendered(subject=subject, body=body.replace("${link}",
                                                                    FAMILY_CONTEXT["link"]),
                                language=language, reviewed=language in {"nb", "nn", "en"})
    assert "Laget" in rendered.subject and "\n" not in rendered.subject
    for value in CONTEXT.values():
        assert value not in rendered.body
    assert rendered.body.endswith(FAMILY_CONTEXT["link"])


def test_the_family_message_in_bokmal_is_the_plain_sentence():
    assert render(FAMILY_KEY, "nb", FAMILY_CONTEXT).body.startswith(
        "Du har en ny melding i Laget.")


@pytest.mark.parametrize("language", ["ar", "ur"])
def test_right_to_left_languages_are_written_in_a_right_to_left_script(language):
    for key in ALL_KEYS:
        subject, body = TEMPLATES[key][language]
        assert any(_is_rtl(char) for char in subject)
        assert sum(_is_rtl(char) for char in body) > len(body) / 2


def test_tigrinya_is_written_in_ethiopic_and_the_latin_ones_are_not_right_to_left():
    for key in ALL_KEYS:
        assert any("\u1200" <= char <= "\u137f" for char in TEMPLATES[key]["ti"][1])
        for language in ["nb", "nn", "en", "so", "pl", "ti"]:
            assert not any(_is_rtl(char) for char in TEMPLATES[key][language][1])


def test_the_texts_name_no_place_offence_or_weapon_type():
    for key in KEYS:
        body = TEMPLATES[key]["nb"][1].lower()
        for word in ["kniv", "pistol", "skytevåpen", "narkotika", "tyveri", "ran ", "adresse",
                     "gate", "senter", "t-bane"]:
            assert word not in body


@pytest.mark.parametrize(("asked", "used"), [
    ("nb", "nb"), ("NB", "nb"), ("nb-NO", "nb"), ("no", "nb"), ("nn", "nn"), ("en-GB", "en"),
    ("fa", "nb"), ("tr", "nb"), ("", "nb"), ("xx", "nb"), ("ar", "ar"),
])
def test_an_unknown_language_falls_back_to_bokmal(asked, used):
    rendered = render("police.weapon", asked, CONTEXT)
    assert rendered.language == used
    assert rendered.body == render("police.weapon", used, CONTEXT).body


def test_an_unknown_key_is_a_key_error_and_a_missing_placeholder_a_value_error():
    with pytest.raises(KeyError):
        render("police.nope", "nb", CONTEXT)
    with pytest.raises(ValueError, match="phone"):
        render("police.stop_search", "nb", {"first_name": "Amal", "unit": "Enheten"})


def test_values_are_put_in_literally_on_one_line():
    rendered = render("police.stop_search", "en",
                      {"first_name": "${unit}", "unit": "Unit\nEast", "phone": "$5"})
    assert "${unit}" in rendered.body and "Unit East" in rendered.body and "$5" in rendered.body


def test_template_list_names_every_text_and_its_review_state():
    listed = template_list()
    assert len(listed) == len(ALL_KEYS) * len(LANGUAGES)
    assert {(item.key, item.language) for item in listed} == {
        (key, language) for key in ALL_KEYS for language in LANGUAGES}
    assert {item.language for item in listed if item.reviewed} == REVIEWED_LANGUAGES
    assert all(not item.reviewed for item in listed if item.language in {"so", "ar", "ur", "pl",
                                                                          "ti"})
