"""The API's JSON body parser: ninja's, refusing text no database column can hold. PostgreSQL
refuses a NUL character in text, and neither database can store a lone UTF-16 surrogate
(`"\\ud800"` is valid JSON, but not UTF-8): either would fail at the write, as a 500. Refused here
instead, for every operation at once, as a 400 problem (laget.api.problems)."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.parser import Parser


class UnstorableText(ValueError):
    """A string in the body holds a NUL character or a lone surrogate."""

    def __init__(self) -> None:
        self.message = _("Teksten inneholder tegn som ikke kan lagres (NUL eller en ugyldig "
                         "Unicode-surrogat).")
        super().__init__(self.message)


def _check(value: Any) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise UnstorableText
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise UnstorableText from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key)
            _check(item)
    elif isinstance(value, list):
        for item in value:
            _check(item)


class StorableTextParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        _check(data)
        return data
