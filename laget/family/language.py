"""The family pages' language: bokmål, English and the languages of the guardian messages.

Why the family pages have their own choice: staff pages are nb/en only (`settings.LANGUAGES`, so
Django's LocaleMiddleware and `set_language` never pick anything else), but a guardian who gets
Laget's SMS in nynorsk, Somali, Arabic, Urdu, Polish or Tigrinya (laget.notify.templates) should be
able to read the family pages in it too. The choice lives in a cookie whose path is the family pages
only, so it can never reach a staff page; `FamilyLanguageMiddleware` activates it for requests
under /familie/ and nowhere else. Without a choice the family pages follow the staff language
(nb, or en when the browser or staff switch asked for it).

The nn, so, ar, ur, pl and ti catalogues in locale/ are machine-level drafts (their headers say
so) until a qualified translator has read them (nynorsk too: the guardian messages' nynorsk has
been read by a person, the family pages' has not); a string they lack falls back to the bokmål msgid
(Django's fallback to `LANGUAGE_CODE`)."""

from collections.abc import Callable
from typing import NamedTuple

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from laget.notify import templates as notify_templates

COOKIE_NAME = "laget_family_language"
COOKIE_MAX_AGE = 365 * 24 * 3600


class FamilyLanguage(NamedTuple):
    code: str
    #: the language's name in itself: a reader who does not read bokmål must find their own
    name: str


#: in the order the choice shows them: the staff languages first, then the guardian messages'
FAMILY_LANGUAGES: tuple[FamilyLanguage, ...] = (
    FamilyLanguage("nb", "Norsk bokmål"),
    FamilyLanguage("en", "English"),
    FamilyLanguage("nn", "Nynorsk"),
    FamilyLanguage("so", "Soomaali"),
    FamilyLanguage("ar", "العربية"),
    FamilyLanguage("ur", "اردو"),
    FamilyLanguage("pl", "Polski"),
    FamilyLanguage("ti", "ትግርኛ"),
)
CODES = frozenset(language.code for language in FAMILY_LANGUAGES)
#: the catalogues no qualified translator has read yet (locale/<code>/, marked in their headers)
DRAFT_CODES = frozenset({"nn", "so", "ar", "ur", "pl", "ti"})
RTL_CODES = notify_templates.RTL_LANGUAGES


def family_prefix() -> str:
    return reverse("family:start")


def is_family_path(path: str) -> bool:
    return path.startswith(family_prefix())


def family_language_for(request: HttpRequest) -> str:
    """The chosen family language, else the language the staff side settled on (nb or en)."""
    chosen = request.COOKIES.get(COOKIE_NAME, "")
    if chosen in CODES:
        return chosen
    return translation.get_language() or settings.LANGUAGE_CODE


class FamilyLanguageMiddleware:
    """For /familie/ requests only: the family language is active while the view runs and its
    templates render (render() renders at once, inside this middleware), and the response says
    which language it is in. Placed after LocaleMiddleware, which has settled nb/en by then."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not is_family_path(request.path_info):
            return self.get_response(request)
        language = family_language_for(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
            response = self.get_response(request)
        response.headers["Content-Language"] = language
        patch_vary_headers(response, ("Cookie",))  # the language is in a cookie
        return response


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The family pages' language choice (a POST form in family/base.html): stores the code in
    the family cookie and goes back to the family page the form was on. An unknown code changes
    nothing; `next` must be a family page on this site, else the family start page."""
    target = request.POST.get("next", "")
    if not (url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                            require_https=request.is_secure())
            and is_family_path(target)):
        target = family_prefix()
    response = redirect(target)
    code = request.POST.get("language", "")
    if code in CODES:
        response.set_cookie(COOKIE_NAME, code, max_age=COOKIE_MAX_AGE, path=family_prefix(),
                            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=True,
                            samesite="Lax")
    return response
