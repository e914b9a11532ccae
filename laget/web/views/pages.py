"""Start page per role, the accessibility statement, district pages and error pages."""

import sys
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from laget.accounts.access import Actor, actor_required
from laget.accounts.models import AgencyType, Role
from laget.areas import selectors as area_selectors
from laget.cases import barnevern
from laget.cases.selectors_desk import may_use_desk, start_figures_for
from laget.core import clock
from laget.core.errors import NotFound
from laget.core.outage import database_unavailable
from laget.fasttrack.access import FASTTRACK_AGENCY_TYPES
from laget.lifecycle.selectors import may_see_archive
from laget.notify.selectors import failed_messages_for
from laget.records.services import CASE_ROLES
from laget.web.middleware import database_unavailable_response
from laget.web.selectors.access_review import access_review_done, quarter_of


@dataclass(frozen=True)
class Action:
    title: Promise | str
    text: Promise
    url_name: str


ROLE_INTRO = {
    Role.CASEWORKER: _("Du følger opp barn og unge sammen med de andre tjenestene rundt dem."),
    Role.COORDINATOR: _("Du samordner innsatsen rundt barn og unge i bydelen: du registrerer "
                        "personer, setter sammen laget og holder planen samlet."),
    Role.LEADER: _("Du har ansvar for virksomhetens medarbeidere i Laget og for hvem som har "
                   "tilgang til hva."),
    Role.ANALYST: _("Du ser på bydelene som helhet: befolkning og indikatorer, aldri "
                    "enkeltpersoner."),
    Role.AUDITOR: _("Du kontrollerer hvem som har sett og endret personopplysninger, og på "
                    "hvilket grunnlag."),
    Role.ADMIN: _("Du forvalter virksomheter, brukere og roller i Laget."),
    Role.PROSECUTOR: _("Du tar påtaleavgjørelser og følger straffesakene mot unge i "
                       "hurtigsporet, mot lovens frister og byens mål."),
}

AGENCY_INTRO = {
    AgencyType.BYDEL: _("SaLTo-koordinatoren i bydelen eier den koordinerte planen."),
    AgencyType.SKOLE: _("Skolen melder bekymringer og hendelser og følger opp sine oppgaver."),
    AgencyType.BARNEVERN: _("Barnevernet følger opp barn under 15 år og unge med gjentatt "
                            "alvorlig kriminalitet."),
    AgencyType.POLITI: _("Politiet registrerer stans og kontroll og pågripelser og følger "
                         "hurtigsporet for unge."),
    AgencyType.NAV: _("NAV eier oppfølgingen etter løslatelse: arbeid, skole og bolig."),
    AgencyType.KRIMINALOMSORG: _("Kriminalomsorgen overleverer før løslatelse og deler dato og "
                                 "vilkår."),
    AgencyType.KONFLIKTRAAD: _("Konfliktrådet gjennomfører ungdomsoppfølging og ungdomsstraff."),
    AgencyType.HELSE: _("Helsetjenesten deltar i laget når den unge eller familien samtykker."),
    AgencyType.FRITID: _("Fritidstilbudet tilbyr aktiviteter og registrerer deltakelse."),
    AgencyType.DOMSTOL: _("Domstolen følger fristene i saker mot unge."),
    AgencyType.BY: _("Byens fagenheter ser helheten på tvers av bydelene."),
}

PERSON_ACTIONS = [
    Action(_("Personer"), _("Finn personer du følger opp, eller søk med fødselsnummer."),
           "web:person_list"),
    Action(_("Registrer person"), _("Registrer et barn eller en ungdom med eller uten "
                                    "fødselsnummer, og foresatte."), "web:person_create"),
]
DISTRICT_ACTION = Action(_("Bydeler"), _("Oslos bydeler med befolkning etter alder."),
                         "web:district_list")
ANALYTICS_ACTION = Action(_("Områdeanalyse"), _("Indikatorer per bydel og delbydel med kart, "
                                               "tidsserier og faktaark, små tall skjult."),
                          "web:analytics_index")
CASE_ACTIONS = [
    Action(_("Mine saker"), _("Sakene der du er med i teamet, med opplysningene du har grunnlag "
                              "for å se."), "web:case_list"),
    Action(_("Nye opplysninger i mine saker"), _("Det nyeste fra de andre i teamene dine."),
           "web:entry_mine"),
    Action(_("Søk i saker"), _("Finn en sak du har tilgang til, på navn eller fødselsnummer."),
           "web:case_search"),
    Action(_("Meld bekymring"), _("Send en bekymring for et barn eller en ungdom til "
                                  "SaLTo-koordinatoren i bydelen."), "web:concern_create"),
    Action(_("Mine bekymringer"), _("Bekymringene du har sendt."), "web:concern_mine"),
    Action(_("Unge forbilder"), _("Programmene og kriteriene. Søk for en ungdom, eller henvis "
                                  "en som trenger et forbilde."), "web:mentors_programmes"),
    Action(_("Intensiv oppfølging"), _("Ukeplanen til unge i «aktive gutter», hull som må "
                                       "fylles, og dagens oppmøte."), "web:intensive_list"),
    Action(_("Tilbud"), _("Fritidstilbud, jobb og kurs per bydel, med ledige plasser. Henvis "
                          "en ung person fra saken."), "web:pathways_catalogue"),
    Action(_("Retting og innsigelse"), _("Krav om å rette opplysninger eller protestere mot "
                                         "bruken av dem, med svarfrist."),
           "web:rectification_list"),
]
POLICE_ACTIONS = [
    Action(_("Ny politiregistrering"), _("Stans og ransaking, pågripelse eller bekymring. "
                                         "Foresatte til barn under 18 varsles straks."),
           "web:police_create"),
    Action(_("Enhetens registreringer"), _("Registreringene fra enheten din, med status for "
                                           "varslene til foresatte."), "web:police_list"),
]
FASTTRACK_LIST = Action(_("Hurtigsporet"), _("Åpne straffesaker mot unge der virksomheten er "
                                          "ansvarlig, med dager igjen til fristen."),
                        "web:fasttrack_list")
FASTTRACK_STATISTICS = Action(_("Hurtigsporet: statistikk"), _("Dager per fase per måned og "
                                                              "bydel for hele byen."),
                              "web:fasttrack_statistics")
BARNEVERN_ACTION = Action(
    _("Meldinger til barnevernet"), _("Meldinger fra andre virksomheter etter opplysningsplikten, "
                                      "for eksempel politiets våpenutløser."),
    "web:barnevern_reports")
WITHHOLDING_ACTION = Action(
    _("Tilbakehold av innsyn"), _("Linjer som holdes tilbake fra en persons innsynsrapport, med "
                                  "lovgrunnlag og sluttdato."), "web:withholding_list")
ARCHIVE_ACTION = Action(
    _("Arkiv"), _("Avsluttede saker som er klare for arkivet (Noark 5), og arkivuttrekkene."),
    "web:lifecycle_archive")
ROLE_ACTIONS: dict[str, list[Action]] = {
    Role.CASEWORKER: [*CASE_ACTIONS, *PERSON_ACTIONS, DISTRICT_ACTION],
    Role.COORDINATOR: [*CASE_ACTIONS, *PERSON_ACTIONS, DISTRICT_ACTION],
    Role.LEADER: [
        Action(_("Medarbeidere"), _("Hvem i virksomheten som har tilgang til Laget, og i "
                                    "hvilken rolle."), "accounts:members"),
        Action(_("Tilgangsgjennomgang"), _("Hvert kvartal: hvem som er med i hvilke saker, hvem "
                                           "som ikke har brukt tilgangen, og din bekreftelse."),
               "web:access_review"),
        Action(_("Nødtilgang til vurdering"), _("Opplysninger fra virksomheten din som noen har "
                                                "åpnet med nødtilgang."),
               "web:emergency_review_list"),
        WITHHOLDING_ACTION,
        *CASE_ACTIONS, *PERSON_ACTIONS, DISTRICT_ACTION, ANALYTICS_ACTION,
    ],
    Role.ANALYST: [ANALYTICS_ACTION, DISTRICT_ACTION],
    Role.AUDITOR: [
        Action(_("Hendelseslogg"), _("Søk i loggen over innlogginger og bruk av "
                                     "personopplysninger."), "audit:event_list"),
        Action(_("Uvanlig tilgang"), _("Lesing utenfor egen bydel, mange personer på kort tid "
                                       "og lesing uten åpen sak i teamet."),
               "web:unusual_access"),
        Action(_("Forfalt nødtilgang"), _("Nødtilganger som ikke er vurdert innen fristen."),
               "web:emergency_overdue"),
        Action(_("Innsyn for en person"), _("Hvem som har sett og endret opplysningene om en "
                                            "person, med bevis mot den signerte loggen."),
               "web:innsyn_lookup"),
        WITHHOLDING_ACTION,
        DISTRICT_ACTION,
    ],
    Role.ADMIN: [
        Action(_("Administrasjon"), _("Virksomheter, brukere og roller."), "admin:index"),
        DISTRICT_ACTION,
    ],
    Role.PROSECUTOR: [
        FASTTRACK_LIST,
        Action(_("Ny sak i hurtigsporet"), _("Legg inn en straffesak mot en ung person, eller ta "
                                             "opp en anmodning fra våpenutløseren."),
               "web:fasttrack_open"),
        FASTTRACK_STATISTICS,
        DISTRICT_ACTION,
    ],
}

#: reentry (issue 9): the one entry per agency type whose case roles use it
REENTRY_ACTIONS = {
    AgencyType.KRIMINALOMSORG: Action(
        _("Løslatelser og plasseringer"), _("Meld løslatelser til NAV minst åtte uker før, "
                                             "plasser innsatte og utveksle meldinger med "
                                             "politiet."), "web:reentry_home"),
    AgencyType.NAV: Action(
        _("Oppfølging etter løslatelse"), _("Planene kriminalomsorgen har overlevert, med "
                                            "sjekkliste, varsler og resultater."),
        "web:reentry_home"),
    AgencyType.POLITI: Action(
        _("Kriminalomsorg og politi"), _("Meldinger med kriminalomsorgen og registrering av "
                                         "nettverkstilknytning."), "web:reentry_home"),
}

#: schools (issue 10): a school's staff, the ambulant team, the bydel's SaLTo coordinators
SCHOOL_ACTION = Action(_("Skolen"), _("Hendelser, aktivitetsplaner, det ambulante teamet og "
                                      "tvunget skolebytte."), "web:schools_overview")
AMBULANT_ACTION = Action(_("Ambulant team"), _("Forespørsler fra skolene etter hastegrad og "
                                               "ventetid."), "web:schools_board")
SCHOOL_HANDOVER_ACTION = Action(_("Skolebytter i åpne saker"), _(
    "Elever med åpen sak som skal bytte skole: legg den nye skolens kontaktperson til i "
    "teamet."), "web:schools_handovers")


@actor_required()
def start(request: HttpRequest, actor: Actor) -> HttpResponse:
    membership = actor.membership if actor else None
    actions = ROLE_ACTIONS.get(membership.role, []) if membership else []
    if membership and membership.agency.type == AgencyType.POLITI and actor.role in CASE_ROLES:
        actions = [*POLICE_ACTIONS, *actions]
    if (membership and membership.agency.type in FASTTRACK_AGENCY_TYPES
            and actor.role in CASE_ROLES):
        actions = [FASTTRACK_LIST, *actions]
    if (membership and membership.agency.type in REENTRY_ACTIONS
            and actor.role in CASE_ROLES):
        actions = [REENTRY_ACTIONS[membership.agency.type], *actions]
    if membership and actor.role in CASE_ROLES:
        if membership.agency.type == AgencyType.SKOLE:
            actions = [SCHOOL_ACTION, *actions]
        elif membership.agency.code == settings.LAGET_AMBULANT_TEAM_AGENCY:
            actions = [AMBULANT_ACTION, *actions]
        elif membership.agency.type == AgencyType.BYDEL and actor.role in (Role.COORDINATOR,
                                                                          Role.LEADER):
            actions = [*actions, SCHOOL_HANDOVER_ACTION]
    if membership and barnevern.is_barnevern(actor):
        waiting = barnevern.unreceived_count_for(actor=actor)
        actions = [Action(
            ngettext("%(count)s ny melding til barnevernet", "%(count)s nye meldinger til "
                     "barnevernet", waiting) % {"count": waiting},
            _("Les meldingene og bekreft mottak."), "web:barnevern_reports",
        ) if waiting else BARNEVERN_ACTION, *actions]
    if membership and actor.role == Role.LEADER and access_review_done(
            agency=membership.agency) is None:
        actions = [Action(
            _("Tilgangsgjennomgangen for %(period)s mangler")
            % {"period": quarter_of(clock.today())},
            _("Bekreft eller fjern tilgangen til hver medarbeider dette kvartalet."),
            "web:access_review",
        ), *[a for a in actions if a.url_name != "web:access_review"]]
    if membership and actor.role in CASE_ROLES:
        failed = failed_messages_for(actor=actor).count()
        if failed:
            actions = [Action(
                ngettext("%(count)s varsel kom ikke fram", "%(count)s varsler kom ikke fram",
                         failed) % {"count": failed},
                _("Meldinger som ikke kunne leveres. Ring selv."), "web:failed_messages",
            ), *actions]
    if membership and may_see_archive(actor):
        actions = [*actions, ARCHIVE_ACTION]
    context = {
        "membership": membership,
        "role_intro": ROLE_INTRO.get(membership.role) if membership else None,
        "agency_intro": AGENCY_INTRO.get(membership.agency.type) if membership else None,
        "actions": [(a, reverse(a.url_name)) for a in actions],
        # the case roles' cards: the agency's cases and open tasks, and the bydel's desk
        "figures": start_figures_for(actor=actor) if membership else None,
        "desk": bool(membership) and may_use_desk(actor),
    }
    return render(request, "web/start.html", context)


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html")


@actor_required()
def district_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    year = min(clock.today().year, area_selectors.latest_population_year() or clock.today().year)
    youth = area_selectors.population_by_district(year=year, min_age=10, max_age=24)
    total = area_selectors.population_by_district(year=year, min_age=0, max_age=200)
    rows = [
        {"district": d, "youth": youth.get(d.code, 0), "total": total.get(d.code, 0)}
        for d in area_selectors.district_list()
    ]
    return render(request, "web/districts/list.html", {"rows": rows, "year": year})


@actor_required()
def district_detail(request: HttpRequest, actor: Actor, code: str) -> HttpResponse:
    try:
        district = area_selectors.district_get(code=code)
    except NotFound:
        raise Http404 from None
    year = min(clock.today().year, area_selectors.latest_population_year() or clock.today().year)
    bands = area_selectors.population_by_band(district=district, year=year)
    return render(
        request, "web/districts/detail.html",
        {"district": district, "year": year, "bands": bands,
         "subdistricts": area_selectors.subdistrict_list(district=district)},
    )


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/errors/404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/errors/403.html", status=403)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/errors/400.html", status=400)


def error_500(request: HttpRequest) -> HttpResponse:
    # A database outage met in a middleware (the session, the user) ends here too: 503.
    if database_unavailable(sys.exception()):
        return database_unavailable_response(request)
    # Rendered without the request's context processors: the 500 page must not touch the
    # database or the session, which may be what failed.
    html = get_template("web/errors/500.html").render({"LANGUAGE_CODE": get_language()})
    return HttpResponse(html, status=500)
