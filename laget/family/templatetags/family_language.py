"""`{% family_languages as languages %}`: the family pages' language choice (family/base.html),
each language named in itself and marked right-to-left where it is written so."""

from dataclasses import dataclass

from django import template

from laget.family.language import FAMILY_LANGUAGES, RTL_CODES

register = template.Library()


@dataclass(frozen=True)
class LanguageOption:
    code: str
    name: str
    rtl: bool


@register.simple_tag
def family_languages() -> list[LanguageOption]:
    return [LanguageOption(language.code, language.name, language.code in RTL_CODES)
            for language in FAMILY_LANGUAGES]
