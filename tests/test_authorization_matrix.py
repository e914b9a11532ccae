"""The authorization matrix: every URL × role × agency type → the expected status.

The table is the policy, written by hand; it is not generated from what the code does. A URL that
has no row fails the suite, so every new page must state who may open it.
"""

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType
from laget.accounts.tests.factories import AgencyFactory, MembershipFactory, UserFactory
from laget.analytics.tests.matrix import analytics_objects
from laget.analytics.tests.matrix_programmes import programmes_objects
from laget.areas.models import Subdistrict
from laget.audit import log
from laget.audit.models import Withholding
from laget.cases.models import BarnevernReport, Concern, Meeting
from laget.cases.tests.factories import GoalFactory, TaskFactory
from laget.core import clock
from laget.familysupport.tests.matrix import familysupport_objects
from laget.fasttrack.models import YouthCase
from laget.intensive.models import Enrolment, FollowUpMember
from laget.lifecycle.models import ArchiveExtract
from laget.mentors.models import Application, Criterion, Mentor, Programme
from laget.pathways.models import Offer, Referral
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.policing.models import FastTrackRequest, PoliceRegistration
from laget.records.models import CaseMarker
from laget.records.tests.factories import CaseFactory, TeamMemberFactory
from laget.rectification.tests.matrix import rectification_objects
from laget.reentry.tests.matrix import (
    EXCHANGE_PAGES,
    HOME_PAGES,
    PLAN_PAGES,
    RELEASE_PAGES,
    reentry_objects,
)
from laget.schools.tests.matrix import schools_objects
from laget.sharing import services as sharing_services
from laget.sharing.models import EmergencyAccess

# The police prosecutor (påtalejurist) works in the youth fast track (laget.fasttrack) and gets no
# case role's pages (they are not in PERSON_ROLES): only the fast track's and what every logged-in
# user gets.
ROLES = ["caseworker", "coordinator", "leader", "analyst", "auditor", "admin", "prosecutor"]
PERSON_ROLES = {"caseworker", "coordinator", "leader"}
DISTRICT = "030111"  # every test agency is in Stovner; the test person lives there too

EVERYONE = {"anonymous": 200, **dict.fromkeys(ROLES, 200)}
LOGGED_IN = {"anonymous": 302, **dict.fromkeys(ROLES, 200)}


def only(*roles: str, others: int = 403) -> dict[str, int]:
    return {"anonymous": 302, **{r: 200 if r in roles else others for r in ROLES}}


def person_page(agency_type: str) -> dict[str, int]:
    # A bydel's staff see the persons who live in the bydel; other agencies only those they
    # registered themselves: for them this person does not exist (404, never 403).
    seen = 200 if agency_type == AgencyType.BYDEL else 404
    return {"anonymous": 302, **{r: seen if r in PERSON_ROLES else 403 for r in ROLES}}


def case_page(agency_type: str) -> dict[str, int]:
    # The agency's coordinator is on the case's team; a bydel's leader sees the bydel's cases; to
    # everyone else in a case role the case does not exist (404, never 403).
    seen = {"coordinator": 200, "leader": 200 if agency_type == AgencyType.BYDEL else 404}
    return {"anonymous": 302,
            **{r: seen.get(r, 404) if r in PERSON_ROLES else 403 for r in ROLES}}


def coordination_page(agency_type: str) -> dict[str, int]:
    # Pages for the coordinator (or leader) of the case's bydel; to everyone else in a case role
    # they do not exist (404).
    seen = 200 if agency_type == AgencyType.BYDEL else 404
    return {"anonymous": 302,
            **{r: (seen if r in ("coordinator", "leader") else 404) if r in PERSON_ROLES else 403
               for r in ROLES}}


def plan_goal_page(agency_type: str) -> dict[str, int]:
    # Goals are set by the coordinator (or leader) of the case's bydel; another agency's coordinator
    # on the team sees the case but may not (403); to everyone else the case does not exist (404).
    bydel = agency_type == AgencyType.BYDEL
    seen = {"coordinator": 200 if bydel else 403, "leader": 200 if bydel else 404}
    return {"anonymous": 302,
            **{r: seen.get(r, 404) if r in PERSON_ROLES else 403 for r in ROLES}}


def desk_page(agency_type: str) -> dict[str, int]:
    # The coordinator's desk is the bydel's: its coordinator and leader; other roles and agencies
    # have no desk (403).
    seen = 200 if agency_type == AgencyType.BYDEL else 403
    return {"anonymous": 302,
            **{r: seen if r in ("coordinator", "leader") else 403 for r in ROLES}}


def innsyn_page(*, pdf: bool) -> dict[str, int]:
    # The auditor makes a person's access report for anyone; a caseworker or coordinator only
    # while on the team of the person's case (the agency's coordinator is), else the person does
    # not exist for them (404). Without saying who asked, the team member's PDF link goes back to
    # the page (302).
    return {"anonymous": 302, "caseworker": 404, "coordinator": 302 if pdf else 200,
            "leader": 403, "analyst": 403, "auditor": 200, "admin": 403, "prosecutor": 403}


def police_page(agency_type: str) -> dict[str, int]:
    # Police registrations are the police's case roles' (a unit sees its own); to everyone else
    # the pages are closed (403).
    seen = 200 if agency_type == AgencyType.POLITI else 403
    return {"anonymous": 302, **{r: seen if r in PERSON_ROLES else 403 for r in ROLES}}


def api_call(page: dict[str, int] | Callable[[str], dict[str, int]],
             *, seen: int | None = None) -> Callable[[str], dict[str, int]]:
    """The API operation that does what `page` does, called with the page's session: the same
    answers, except 401 for the anonymous caller (and, with `seen`, that status instead of 200)."""
    def table(agency_type: str) -> dict[str, int]:
        answers = page(agency_type) if callable(page) else page
        return {who: 401 if who == "anonymous" else (seen if seen and status == 200 else status)
                for who, status in answers.items()}
    return table


def programme_editor_page(agency_type: str) -> dict[str, int]:
    # Områdesatsinger (laget.analytics.programmes): the forms that write programmes, commitments
    # and development plans are for analysts (any agency: the city's analysts, the bydeler's
    # planners) and the leader or coordinator of a city unit; everyone else 403.
    city = agency_type == AgencyType.BY
    return {"anonymous": 302, **{r: 200 if r == "analyst" or (
        city and r in ("leader", "coordinator")) else 403 for r in ROLES}}


def barnevern_page(agency_type: str) -> dict[str, int]:
    # Reports to barnevern are for the case roles of barnevern in the report's bydel; everyone
    # else is turned away (403).
    seen = 200 if agency_type == AgencyType.BARNEVERN else 403
    return {"anonymous": 302, **{r: seen if r in PERSON_ROLES else 403 for r in ROLES}}


FASTTRACK_AGENCY_TYPES = {AgencyType.POLITI, AgencyType.DOMSTOL, AgencyType.KONFLIKTRAAD,
                          AgencyType.KRIMINALOMSORG}


def fasttrack_page(agency_type: str) -> dict[str, int]:
    # The youth fast track is for the four agencies a case can name, in their case roles, and for
    # the police's prosecutors; to everyone else it is closed (403). The placeholder case names
    # the agency, so all of them see it (one not named gets 404: the page tests cover that).
    def status(role: str) -> int:
        if agency_type not in FASTTRACK_AGENCY_TYPES:
            return 403
        if role in PERSON_ROLES or (role == "prosecutor" and agency_type == AgencyType.POLITI):
            return 200
        return 403
    return {"anonymous": 302, **{r: status(r) for r in ROLES}}


def prosecutor_page(agency_type: str) -> dict[str, int]:
    # Opening a fast-track case (by hand or from the weapon trigger's request): the police's
    # prosecutors only.
    seen = 200 if agency_type == AgencyType.POLITI else 403
    return {"anonymous": 302, **{r: seen if r == "prosecutor" else 403 for r in ROLES}}


def mentors_page(agency_type: str) -> dict[str, int]:
    # Unge forbilder: the placeholder programme is the agency's own when it is a bydel or a youth
    # club (the agency types that run one); its case roles are the programme's staff. To every
    # other case role applications and mentors do not exist (404).
    seen = 200 if agency_type in (AgencyType.BYDEL, AgencyType.FRITID) else 404
    return {"anonymous": 302, **{r: seen if r in PERSON_ROLES else 403 for r in ROLES}}


def mentors_application_page(agency_type: str) -> dict[str, int]:
    # The placeholder application was sent by the agency's coordinator, who sees its status
    # anywhere; the programme's staff see it too.
    table = mentors_page(agency_type)
    return {**table, "coordinator": 200}


def relocation_list_page(agency_type: str) -> dict[str, int]:
    # Relocation applications are the bydel's: its case roles open the list (showing only the
    # applications they handle); every other agency is turned away (403).
    seen = 200 if agency_type == AgencyType.BYDEL else 403
    return {"anonymous": 302, **{r: seen if r in PERSON_ROLES else 403 for r in ROLES}}


def relocation_page(agency_type: str) -> dict[str, int]:
    # The placeholder application was registered by the agency's coordinator for its leader to
    # decide: in a bydel both see it; to every other case role it does not exist (404).
    seen = {"coordinator": 200, "leader": 200} if agency_type == AgencyType.BYDEL else {}
    return {"anonymous": 302,
            **{r: seen.get(r, 404) if r in PERSON_ROLES else 403 for r in ROLES}}


def interpreter_report_page(agency_type: str) -> dict[str, int]:
    # The interpreter report: the city's analysts and administrators, the leader of a city unit,
    # and a bydel's leader (for the bydel).
    leader = 200 if agency_type in (AgencyType.BYDEL, AgencyType.BY) else 403
    return {"anonymous": 302, **{r: {"analyst": 200, "admin": 200, "leader": leader}.get(r, 403)
                                 for r in ROLES}}


def reentry_page(agency_types: tuple[str, ...]):
    # Reentry (laget.reentry.tests.matrix): each page is for the case roles of the agency types
    # named — releases and placements kriminalomsorgen's, plans NAV's, the exchange
    # kriminalomsorgen's and the police's, networks the police's; everyone else 403. The
    # placeholders are the agency's own, so those who may open them see them.
    def table(agency_type: str) -> dict[str, int]:
        seen = 200 if agency_type in agency_types else 403
        return {"anonymous": 302, **{r: seen if r in PERSON_ROLES else 403 for r in ROLES}}
    return table


LOG_READERS = {"anonymous": 401, **{r: 200 if r == "auditor" else 403 for r in ROLES}}
# (without a query the proof API answers an auditor with a 400 problem; everyone else 401)
API_LOG_READERS = {"anonymous": 401, **{r: 400 if r == "auditor" else 401 for r in ROLES}}


def school_page(*roles: str, team: int = 403):
    # Schools (laget.schools.tests.matrix): a school's pages are for the case roles of a school
    # (`roles`, default all); the city unit plays the ambulant team and gets `team`; everyone
    # else 403. The placeholders are the school's own, so its staff see them.
    def table(agency_type: str) -> dict[str, int]:
        seen = {AgencyType.SKOLE: 200, AgencyType.BY: team}.get(agency_type, 403)
        allowed = set(roles) or PERSON_ROLES
        return {"anonymous": 302,
                **{r: (seen if r in allowed or agency_type == AgencyType.BY else 403)
                   if r in PERSON_ROLES else 403 for r in ROLES}}
    return table


def ambulant_board_page(agency_type: str) -> dict[str, int]:
    # The ambulant team's board: the case roles of the team (the city unit here); else 403.
    seen = 200 if agency_type == AgencyType.BY else 403
    return {"anonymous": 302, **{r: seen if r in PERSON_ROLES else 403 for r in ROLES}}


def archive_page(agency_type: str) -> dict[str, int]:
    # The archive: a bydel's leader, and admins and auditors; everyone else 403.
    seen = {"admin": 200, "auditor": 200,
            "leader": 200 if agency_type == AgencyType.BYDEL else 403}
    return {"anonymous": 302, **{r: seen.get(r, 403) for r in ROLES}}


def archive_zip(agency_type: str) -> dict[str, int]:
    seen = {"leader": 404 if agency_type == AgencyType.BYDEL else 403}
    return {"anonymous": 302, **{r: seen.get(r, 403) for r in ROLES}}


POST_ONLY_FOR_CASE_ROLES = {"anonymous": 302,
                            **{r: 405 if r in PERSON_ROLES else 403 for r in ROLES}}
CASE = {"case_id": "CASE"}


# url name → (kwargs, expected status by role, or a function of the agency type)
MATRIX = {
    "web:start": ({}, LOGGED_IN),
    "web:accessibility": ({}, EVERYONE),
    "web:district_list": ({}, LOGGED_IN),
    "web:district_detail": ({"code": DISTRICT}, LOGGED_IN),
    "web:person_list": ({}, only(*PERSON_ROLES)),
    "web:person_create": ({}, only(*PERSON_ROLES)),
    "web:person_detail": ({"person_id": "PERSON"}, person_page),
    "web:person_edit": ({"person_id": "PERSON"}, person_page),
    "web:guardian_create": ({"person_id": "PERSON"}, person_page),
    "web:case_list": ({}, only(*PERSON_ROLES)),
    "web:case_search": ({}, only(*PERSON_ROLES)),
    "web:desk": ({}, desk_page),
    "web:agency_tasks": ({}, only(*PERSON_ROLES)),
    "web:failed_messages": ({}, only(*PERSON_ROLES)),
    # The guardians' message texts hold no personal data: every logged-in user may read them.
    "web:notify_texts": ({}, LOGGED_IN),
    "web:barnevern_reports": ({}, barnevern_page),
    "web:barnevern_report": ({"report_id": "BVREPORT"}, barnevern_page),
    "web:barnevern_report_receive": ({"report_id": "BVREPORT"}, POST_ONLY_FOR_CASE_ROLES),
    "web:police_list": ({}, police_page),
    "web:police_create": ({}, police_page),
    "web:police_receipt": ({"registration_id": "REGISTRATION"}, police_page),
    "web:police_guardian_letter": ({"registration_id": "REGISTRATION",
                                    "guardian_id": "GUARDIAN"}, police_page),
    # The youth fast track; its statistics hold no personal data: every logged-in user.
    "web:fasttrack_list": ({}, fasttrack_page),
    "web:fasttrack_open": ({}, prosecutor_page),
    "web:fasttrack_request": ({"request_id": "FTREQUEST"}, prosecutor_page),
    "web:fasttrack_case": ({"case_id": "YOUTHCASE"}, fasttrack_page),
    "web:fasttrack_statistics": ({}, LOGGED_IN),
    "web:fasttrack_statistics_xlsx": ({}, LOGGED_IN),
    # Reentry (issue 9): see reentry_page; POST-only actions answer 405 to a GET.
    "web:reentry_home": ({}, reentry_page(HOME_PAGES)),
    "web:reentry_release_new": ({}, reentry_page(RELEASE_PAGES)),
    "web:reentry_release": ({"release_id": "RELEASE"}, reentry_page(RELEASE_PAGES)),
    "web:reentry_handover": ({"release_id": "RELEASE"}, POST_ONLY_FOR_CASE_ROLES),
    "web:reentry_confirm": ({"release_id": "RELEASE"}, POST_ONLY_FOR_CASE_ROLES),
    "web:reentry_plan": ({"plan_id": "REENTRYPLAN"}, reentry_page(PLAN_PAGES)),
    "web:reentry_checklist": ({"plan_id": "REENTRYPLAN"}, POST_ONLY_FOR_CASE_ROLES),
    "web:reentry_outcome": ({"plan_id": "REENTRYPLAN", "milestone": 3},
                            reentry_page(PLAN_PAGES)),
    "web:reentry_messages": ({}, reentry_page(EXCHANGE_PAGES)),
    "web:reentry_message_new": ({}, reentry_page(EXCHANGE_PAGES)),
    "web:reentry_message": ({"message_id": "XMESSAGE"}, reentry_page(EXCHANGE_PAGES)),
    "web:reentry_networks": ({}, reentry_page((AgencyType.POLITI,))),
    "web:reentry_network_end": ({"affiliation_id": "00000000-0000-0000-0000-000000000000"},
                                POST_ONLY_FOR_CASE_ROLES),
    "web:reentry_placements": ({}, reentry_page(RELEASE_PAGES)),
    # Family support: referrals to parent support from the case (as the case page; the
    # placeholder referral is the coordinator's, to another agency's programme), the provider's
    # list for every case role, and outcome figures (aggregates) for every logged-in user;
    # relocation applications only for those who handle them; interpreters on the case as the
    # case page.
    # schools (issue 10): staff of a school; the team's board; statistics for every user;
    # the SaLTo coordinators' handovers (their own bydel's rows, empty elsewhere)
    "web:schools_overview": ({}, school_page(team=302)),
    "web:schools_incident_create": ({}, school_page()),
    "web:schools_incident": ({"incident_id": "INCIDENT"}, school_page()),
    "web:schools_board": ({}, ambulant_board_page),
    "web:schools_request_create": ({}, school_page("leader")),
    "web:schools_request": ({"request_id": "AMBREQUEST"}, school_page(team=200)),
    "web:schools_statistics": ({}, LOGGED_IN),
    "web:schools_change_create": ({}, school_page("leader")),
    "web:schools_change": ({"change_id": "SCHOOLCHANGE"}, school_page()),
    "web:schools_handovers": ({}, only("coordinator", "leader")),
    "web:familysupport_parent_received": ({}, only(*PERSON_ROLES)),
    "web:familysupport_parent_statistics": ({}, LOGGED_IN),
    "web:familysupport_parent_case": (CASE, case_page),
    "web:familysupport_parent_detail": ({"parent_referral_id": "FSREFERRAL"}, case_page),
    "web:familysupport_relocation_list": ({}, relocation_list_page),
    "web:familysupport_relocation_create": (CASE, coordination_page),
    "web:familysupport_relocation_detail": ({"relocation_id": "RELOCATION"}, relocation_page),
    "web:familysupport_interpreter_case": (CASE, case_page),
    "web:familysupport_interpreter_report": ({}, interpreter_report_page),
    "web:familysupport_interpreter_report_xlsx": ({}, interpreter_report_page),
    # Intensive follow-up: the list and today's check-ins for every case role (each sees only
    # their own); the heat-map is the bydel's coordinator's or leader's. An enrolment is run by
    # the case's bydel coordinator (or leader) and read by its follow-up team (the placeholder's
    # holds the agency's coordinator, as the case's team does): as the case page; enrolling and
    # ending are the bydel's alone.
    "web:intensive_list": ({}, only(*PERSON_ROLES)),
    "web:intensive_heatmap": ({}, desk_page),
    "web:intensive_checkins": ({}, only(*PERSON_ROLES)),
    "web:intensive_checkin": ({"slot_id": "MEMBER"}, POST_ONLY_FOR_CASE_ROLES),
    "web:intensive_enrol": (CASE, coordination_page),
    "web:intensive_detail": ({"enrolment_id": "ENROLMENT"}, case_page),
    "web:intensive_slot_add": ({"enrolment_id": "ENROLMENT"}, case_page),
    "web:intensive_slot_remove": ({"enrolment_id": "ENROLMENT", "slot_id": "MEMBER"},
                                  POST_ONLY_FOR_CASE_ROLES),
    "web:intensive_member_add": ({"enrolment_id": "ENROLMENT"}, POST_ONLY_FOR_CASE_ROLES),
    "web:intensive_member_remove": ({"enrolment_id": "ENROLMENT", "member_id": "MEMBER"},
                                    POST_ONLY_FOR_CASE_ROLES),
    "web:intensive_end": ({"enrolment_id": "ENROLMENT"}, coordination_page),
    # The offer catalogue and coverage hold no personal data: every logged-in user. Offers are
    # kept by their provider's case roles (the placeholder offer is the agency's own) and the
    # admin, who alone imports a catalogue. A referral is made from the case (as the case page)
    # and read by the provider's case roles (the placeholder referral is to the agency's offer).
    "web:pathways_catalogue": ({}, LOGGED_IN),
    "web:pathways_offer": ({"offer_id": "OFFER"}, LOGGED_IN),
    "web:pathways_offer_create": ({}, only(*PERSON_ROLES, "admin")),
    "web:pathways_offer_edit": ({"offer_id": "OFFER"}, only(*PERSON_ROLES, "admin")),
    "web:pathways_offer_hours": ({"offer_id": "OFFER"}, only(*PERSON_ROLES, "admin")),
    "web:pathways_import": ({}, only("admin")),
    "web:pathways_coverage": ({}, LOGGED_IN),
    # Area analytics (/omrader/): published aggregates with small numbers suppressed, no personal
    # data — every logged-in user reads the indicators, their XLSX and the bydel fact sheets
    # (importing and recomputing is `manage.py analytics`, for operations: no page).
    "web:analytics_index": ({}, LOGGED_IN),
    "web:analytics_indicator": ({"key": "INDICATOR"}, LOGGED_IN),
    "web:analytics_indicator_xlsx": ({"key": "INDICATOR"}, LOGGED_IN),
    "web:analytics_district": ({"code": DISTRICT}, LOGGED_IN),
    "web:analytics_district_xlsx": ({"code": DISTRICT}, LOGGED_IN),
    # The targeting index ranks areas from published figures (GET parameters are indicator keys
    # and weights); programmes, commitments and design checklists name organisations, never
    # persons: every logged-in user reads them; see programme_editor_page for the forms.
    "web:analytics_targeting": ({}, LOGGED_IN),
    "web:analytics_targeting_csv": ({}, LOGGED_IN),
    "web:analytics_targeting_xlsx": ({}, LOGGED_IN),
    "web:analytics_programmes": ({}, LOGGED_IN),
    "web:analytics_programme": ({"area_programme_id": "AREAPROGRAMME"}, LOGGED_IN),
    "web:analytics_programme_xlsx": ({"area_programme_id": "AREAPROGRAMME"}, LOGGED_IN),
    "web:analytics_commitment": ({"commitment_id": "COMMITMENT"}, LOGGED_IN),
    "web:analytics_devplan": ({"devplan_id": "DEVPLAN"}, LOGGED_IN),
    "web:analytics_programme_create": ({}, programme_editor_page),
    "web:analytics_programme_edit": ({"area_programme_id": "AREAPROGRAMME"},
                                     programme_editor_page),
    "web:analytics_commitment_create": ({"area_programme_id": "AREAPROGRAMME"},
                                        programme_editor_page),
    "web:analytics_devplan_create": ({"area_programme_id": "AREAPROGRAMME"},
                                     programme_editor_page),
    # The bydel profile PDF prints the fact sheet's published figures: every logged-in user. The
    # evaluation of measures (suppressed cohort tables) is for analysts and leaders; its export
    # for researchers (re-authenticated, audited) for analysts only.
    "web:analytics_district_pdf": ({"code": DISTRICT}, LOGGED_IN),
    "web:analytics_evaluation": ({}, only("analyst", "leader")),
    "web:analytics_evaluation_measure": ({"key": "intensiv"}, only("analyst", "leader")),
    "web:analytics_evaluation_csv": ({"key": "intensiv"}, only("analyst")),
    "web:analytics_evaluation_xlsx": ({"key": "intensiv"}, only("analyst")),
    "web:pathways_referrals": ({}, only(*PERSON_ROLES)),
    "web:pathways_referral": ({"referral_id": "REFERRAL"}, only(*PERSON_ROLES)),
    "web:pathways_refer": (CASE, case_page),
    # Unge forbilder: programmes and criteria hold no personal data (every logged-in user); any
    # agency's case roles apply and refer; the rest is the programme's staff's (and the
    # submitter's).
    "web:mentors_programmes": ({}, LOGGED_IN),
    "web:mentors_programme": ({"programme_id": "PROGRAMME"}, LOGGED_IN),
    "web:mentors_mine": ({}, only(*PERSON_ROLES)),
    "web:mentors_apply": ({"programme_id": "PROGRAMME"}, only(*PERSON_ROLES)),
    "web:mentors_refer": ({"programme_id": "PROGRAMME"}, only(*PERSON_ROLES)),
    "web:mentors_desk": ({"programme_id": "PROGRAMME"}, mentors_page),
    "web:mentors_application": ({"application_id": "APPLICATION"}, mentors_application_page),
    "web:mentors_mentor": ({"mentor_id": "MENTOR"}, mentors_page),
    # Any agency's case roles submit concerns and see their own receipts; the concern itself is
    # for the coordinator or leader of the bydel it is addressed to.
    "web:concern_mine": ({}, only(*PERSON_ROLES)),
    "web:concern_create": ({}, only(*PERSON_ROLES)),
    "web:concern_detail": ({"concern_id": "CONCERN"}, coordination_page),
    "web:concern_case_open": ({"concern_id": "CONCERN"}, POST_ONLY_FOR_CASE_ROLES),
    "web:concern_dismiss": ({"concern_id": "CONCERN"}, POST_ONLY_FOR_CASE_ROLES),
    "web:entry_mine": ({}, only(*PERSON_ROLES)),
    "web:case_open": ({}, POST_ONLY_FOR_CASE_ROLES),
    "web:case_detail": (CASE, case_page),
    "web:case_status": (CASE, POST_ONLY_FOR_CASE_ROLES),
    "web:entry_create": (CASE, case_page),
    "web:entry_detail": ({**CASE, "entry_id": "ENTRY"}, case_page),
    "web:entry_correct": ({**CASE, "entry_id": "ENTRY"}, case_page),
    "web:entry_attachment": ({**CASE, "entry_id": "ENTRY", "attachment_id": "ATTACHMENT"},
                             case_page),
    "web:emergency_open": (CASE, case_page),
    "web:case_team_add": (CASE, case_page),
    "web:case_team_end": ({**CASE, "member_id": "MEMBER"}, POST_ONLY_FOR_CASE_ROLES),
    # The plan: the team reads it and adds tasks for its own agency (the task placeholder is the
    # coordinator's agency's); goals are the bydel coordinator's.
    "web:plan_detail": (CASE, case_page),
    "web:plan_print": (CASE, case_page),
    "web:plan_goal_create": (CASE, plan_goal_page),
    "web:plan_goal_edit": ({**CASE, "goal_id": "GOAL"}, plan_goal_page),
    "web:plan_task_create": (CASE, case_page),
    "web:plan_task_edit": ({**CASE, "task_id": "TASK"}, case_page),
    "web:plan_task_complete": ({**CASE, "task_id": "TASK"}, case_page),
    "web:plan_task_cancel": ({**CASE, "task_id": "TASK"}, case_page),
    "web:plan_task_reopen": ({**CASE, "task_id": "TASK"}, POST_ONLY_FOR_CASE_ROLES),
    "web:plan_measure_end": ({**CASE, "measure_id": "MEMBER"}, POST_ONLY_FOR_CASE_ROLES),
    "web:case_handover": (CASE, coordination_page),
    "web:handover_answer": ({**CASE, "confirmation_id": "MEMBER"}, POST_ONLY_FOR_CASE_ROLES),
    "web:guardian_contact_create": (CASE, case_page),
    "web:case_timeline": (CASE, case_page),
    # The family's messages to the coordinator: the case's bydel coordinator (or leader) only.
    "web:family_messages": (CASE, coordination_page),
    # Team meetings: the team reads them; the pages that change them say who may (the bydel's
    # coordinator or leader) and the services refuse everyone else.
    "web:meeting_list": (CASE, case_page),
    "web:meeting_create": (CASE, case_page),
    "web:meeting_detail": ({**CASE, "meeting_id": "MEETING"}, case_page),
    "web:meeting_edit": ({**CASE, "meeting_id": "MEETING"}, case_page),
    "web:meeting_cancel": ({**CASE, "meeting_id": "MEETING"}, POST_ONLY_FOR_CASE_ROLES),
    "web:meeting_minutes": ({**CASE, "meeting_id": "MEETING"}, case_page),
    "web:meeting_pdf": ({**CASE, "meeting_id": "MEETING"}, case_page),
    "web:consent_list": (CASE, case_page),
    "web:consent_create": (CASE, case_page),
    "web:consent_detail": ({**CASE, "consent_id": "CONSENT"}, case_page),
    "web:consent_withdraw": ({**CASE, "consent_id": "CONSENT"}, case_page),
    "web:consent_pdf": ({**CASE, "consent_id": "CONSENT"}, case_page),
    # Consent proposals for the family to answer digitally: the bydel coordinator's (as goals).
    "web:consent_proposal_create": (CASE, plan_goal_page),
    "web:consent_proposal_withdraw": ({**CASE, "proposal_id": "CONSENT"},
                                      POST_ONLY_FOR_CASE_ROLES),
    # Emergency accesses to the agency's own entries, for its leader to review.
    "web:emergency_review_list": ({}, only("leader")),
    "web:emergency_overdue": ({}, only("auditor")),
    "web:emergency_review": ({"access_id": "ACCESS"}, only("leader")),
    "web:innsyn_report": ({"person_id": "PERSON"}, innsyn_page(pdf=False)),
    "web:innsyn_pdf": ({"person_id": "PERSON"}, innsyn_page(pdf=True)),
    "web:innsyn_lookup": ({}, only("auditor")),
    # Withholdings of lines from innsyn: a leader for the agency's own; the auditor sees them all.
    "web:withholding_list": ({}, only("leader", "auditor")),
    "web:withholding_create": ({}, only("leader")),
    "web:withholding_end": ({"withholding_id": "WITHHOLDING"}, only("leader")),
    # The records lifecycle: the archive pages are a bydel leader's (their bydel's cases and
    # extracts) and the admin's and auditor's (what the extracts hold, never the zip; the matrix's
    # extract has no zip on disk, so its leader gets 404); the privacy paperwork holds no
    # personal data: every logged-in user.
    "web:lifecycle_archive": ({}, archive_page),
    "web:lifecycle_build": ({}, {"anonymous": 302, **dict.fromkeys(ROLES, 405)}),
    "web:lifecycle_extract": ({"extract_id": "EXTRACT"}, archive_page),
    "web:lifecycle_extract_zip": ({"extract_id": "EXTRACT"}, archive_zip),
    # Retention and erasure: what is due, the holds and the tombstones are the bydel leader's and
    # (read-only) the admin's and auditor's; the decisions and holds are POSTs.
    "web:lifecycle_erasure": ({}, archive_page),
    "web:lifecycle_erasure_decide": ({"candidate_id": "EXTRACT"},
                                     {"anonymous": 302, **dict.fromkeys(ROLES, 405)}),
    "web:lifecycle_hold_place": ({}, {"anonymous": 302, **dict.fromkeys(ROLES, 405)}),
    "web:lifecycle_hold_lift": ({"hold_id": "EXTRACT"},
                                {"anonymous": 302, **dict.fromkeys(ROLES, 405)}),
    "web:lifecycle_record": ({}, LOGGED_IN),
    "web:lifecycle_record_pdf": ({}, LOGGED_IN),
    "web:lifecycle_dpia": ({}, LOGGED_IN),
    "web:lifecycle_dpia_pdf": ({}, LOGGED_IN),
    # Rectification and objection (GDPR art. 16 and 21): the case roles' list of their agency's
    # requests; a team member registers one from the case (as the case page); a request is for
    # the deciding agency on the team (and the bydel's coordinator and leader for a bydel's) and
    # for whoever registered it — the placeholder is the agency's coordinator's, about the
    # agency's own entry — and does not exist for anyone else.
    "web:rectification_list": ({}, only(*PERSON_ROLES)),
    "web:rectification_create": (CASE, case_page),
    "web:rectification_detail": ({"rectification_id": "RECTIFICATION"}, case_page),
    "accounts:login": ({}, {"anonymous": 200, **dict.fromkeys(ROLES, 302)}),
    # The code steps need a pending login (a correct password a moment ago); without one they
    # send everyone back to the login page.
    "accounts:totp": ({}, {"anonymous": 302, **dict.fromkeys(ROLES, 302)}),
    "accounts:totp_enroll": ({}, {"anonymous": 302, **dict.fromkeys(ROLES, 302)}),
    # Single sign-on is off in this run (no LAGET_OIDC_ISSUER): it does not exist for anyone. With
    # it on, both steps are for the anonymous; laget/accounts/tests/test_sso.py covers them.
    "accounts:sso": ({}, {"anonymous": 404, **dict.fromkeys(ROLES, 404)}),
    "accounts:sso_callback": ({}, {"anonymous": 404, **dict.fromkeys(ROLES, 404)}),
    "accounts:logout": ({}, {"anonymous": 405, **dict.fromkeys(ROLES, 405)}),
    "accounts:role_switch": ({}, {"anonymous": 405, **dict.fromkeys(ROLES, 405)}),
    # The family pages (laget.family) are for citizens, never for staff sessions: with the
    # family login off in this run, the start page says so and everything else leads back to it;
    # laget/family/tests/test_family.py covers the citizen's side against a real provider.
    "family:start": ({}, EVERYONE),
    "family:login": ({}, {"anonymous": 302, **dict.fromkeys(ROLES, 302)}),
    "family:login_callback": ({}, {"anonymous": 302, **dict.fromkeys(ROLES, 302)}),
    "family:logout": ({}, {"anonymous": 405, **dict.fromkeys(ROLES, 405)}),
    "family:language": ({}, {"anonymous": 405, **dict.fromkeys(ROLES, 405)}),
    "family:person": ({"person_id": "PERSON"}, {"anonymous": 302, **dict.fromkeys(ROLES, 302)}),
    "family:innsyn": ({"person_id": "PERSON"}, {"anonymous": 302, **dict.fromkeys(ROLES, 302)}),
    "family:messages": ({"person_id": "PERSON"}, {"anonymous": 302, **dict.fromkeys(ROLES, 302)}),
    "family:consent_withdraw": ({"person_id": "PERSON", "consent_id": "CONSENT"},
                                {"anonymous": 302, **dict.fromkeys(ROLES, 302)}),
    "family:consent_proposal": ({"person_id": "PERSON", "proposal_id": "CONSENT"},
                                {"anonymous": 302, **dict.fromkeys(ROLES, 302)}),
    "family:rectification": ({"person_id": "PERSON"},
                             {"anonymous": 302, **dict.fromkeys(ROLES, 302)}),
    "accounts:password_change": ({}, LOGGED_IN),
    # Proving it is you again before an export: right after the matrix's login there is nothing
    # to prove, so everyone is sent on.
    "accounts:reauth": ({}, {"anonymous": 302, **dict.fromkeys(ROLES, 302)}),
    "accounts:members": ({}, only("leader")),
    "web:access_review": ({}, only("leader")),
    "audit:event_list": ({}, only("auditor")),
    "audit:event_export": ({}, only("auditor")),
    "web:unusual_access": ({}, only("auditor")),
    "set_language": ({}, {"anonymous": 302, **dict.fromkeys(ROLES, 302)}),
    # The sharing guide and the rulebook hold no personal data: open to all, also without login.
    "web:sharing_guide": ({}, EVERYONE),
    "web:sharing_rules": ({}, EVERYONE),
    "web:sharing_rule": ({"rule_id": "fvl-13a-samtykke"}, EVERYONE),
    "web:sharing_versions": ({}, EVERYONE),
    "web:sharing_change": ({}, only("admin")),
    # The JSON API: the guide is POST only; the root has no page of its own.
    "api:sharing_guide": ({}, {"anonymous": 405, **dict.fromkeys(ROLES, 405)}),
    "api:sharing_rules": ({}, EVERYONE),
    # The audit log (tlog-tiles): open to auditors (and witnesses with a token, or everyone when
    # LAGET_LOG_PUBLIC, neither of which the matrix turns on); the verifier key is public.
    "log:key": ({}, EVERYONE),
    "log:checkpoint": ({}, LOG_READERS),
    "log:tile": ({"level": "0", "path": "000.p/1"}, LOG_READERS),
    "log:entries": ({"path": "000.p/1"}, LOG_READERS),
    "api:audit_proof_inclusion": ({}, API_LOG_READERS),
    "api:audit_proof_consistency": ({}, API_LOG_READERS),
    # The SMS gateway's receipts: POST only, signed by the gateway (no user may GET it).
    "api:sms_receipt": ({}, {"anonymous": 405, **dict.fromkeys(ROLES, 405)}),
    # Agencies' own systems with API client tokens, and the browser with the session of the pages
    # (laget.api.auth): a session opens what the corresponding page opens to its acting role, the
    # anonymous caller gets 401 (no login page to send an API call to), and a POST-only
    # operation answers a GET with 405 before anyone is asked who they are.
    "api:concern_submit": ({}, {"anonymous": 405, **dict.fromkeys(ROLES, 405)}),
    "api:notification_status": ({"message_id": "00000000-0000-0000-0000-000000000000"},
                                api_call(only(*PERSON_ROLES, others=403), seen=404)),
    "api:api_case_list": ({}, api_call(only(*PERSON_ROLES))),
    "api:api_case_get": (CASE, api_call(case_page)),
    "api:api_case_team": (CASE, api_call(case_page)),
    "api:api_case_plan": (CASE, api_call(case_page)),
    "api:api_task_create": (CASE, {"anonymous": 405, **dict.fromkeys(ROLES, 405)}),
    "api:api_entry_list": (CASE, api_call(case_page)),
    "api:api_entry_create": (CASE, api_call(case_page)),
    "api:api_entry_get": ({**CASE, "entry_id": "ENTRY"}, api_call(case_page)),
    "api:api_person_lookup": ({}, {"anonymous": 405, **dict.fromkeys(ROLES, 405)}),
    "api:api_police_registration_create": ({}, {"anonymous": 405,
                                                **dict.fromkeys(ROLES, 405)}),
    "api:api_police_registration_get": ({"registration_id": "REGISTRATION"},
                                        api_call(police_page)),
    "api:api_fasttrack_case_get": ({"case_id": "YOUTHCASE"}, api_call(fasttrack_page)),
    "api:api_fasttrack_milestone_create": ({"case_id": "YOUTHCASE"},
                                           {"anonymous": 405, **dict.fromkeys(ROLES, 405)}),
    "api:openapi-json": ({}, EVERYONE),
    "api:openapi-view": ({}, EVERYONE),
    "api:api-root": ({}, {"anonymous": 404, **dict.fromkeys(ROLES, 404)}),
    "api_docs": ({}, {"anonymous": 302, **dict.fromkeys(ROLES, 302)}),
    # The probes (laget.web.probes): open to everyone, answered before login and sessions.
    "web:healthz": ({}, EVERYONE),
    "web:readyz": ({}, EVERYONE),
    # From the loopback, as the test client calls (laget.web.metrics.metrics_allowed); through a
    # proxy or from elsewhere only with the bearer token, else 404 (laget/web/tests/test_metrics).
    "web:metrics": ({}, EVERYONE),
    # The admin site (one row for the whole namespace): staff only; others are sent to log in.
    "admin:index": ({}, only("admin", others=302)),
}


def _url_names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            if pattern.namespace == "admin":
                names.add("admin:index")
                continue
            names |= _url_names(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_url_has_a_row():
    missing = _url_names(get_resolver()) - set(MATRIX)
    assert not missing, f"URLs without a row in the authorization matrix: {sorted(missing)}"


@pytest.fixture
def person(db):
    registering = AgencyFactory(type=AgencyType.BYDEL, district_id=DISTRICT)
    return PersonFactory(district_id=DISTRICT, registered_by_agency=registering)


def _case_objects(person, memberships: dict) -> dict[str, object]:
    """A case on the person whose team holds the agency's coordinator, with an entry of the
    agency's (with an attachment), a consent it registered, and an emergency access to that entry
    awaiting its leader's review: the objects behind the case URLs' placeholders."""
    coordinator = memberships["coordinator"]
    actor = Actor(coordinator.user, coordinator)
    case = CaseFactory(person=person)
    member = TeamMemberFactory(case=case, user=coordinator.user, agency=coordinator.agency)
    entry = sharing_services.entry_add(
        actor=actor, case=case, category="plan", text="Plan.",
        attachments=[sharing_services.NewAttachment("plan.txt", "text/plain", b"plan")])
    guardian = GuardianFactory(person=person)
    today = clock.today()
    consent = sharing_services.consent_register(
        actor=actor, case=case, given_by="both", guardian_ids=[guardian.pk],
        method="signed_form", categories=["plan"], recipients=["skole"],
        purposes=["forebygging"], valid_from=today, valid_to=today + dt.timedelta(days=30))
    access = EmergencyAccess.objects.create(
        user=UserFactory(), agency=AgencyFactory(), entry=entry, case=case,
        source_agency=coordinator.agency, reason="Fare for liv.", review_due=today)
    withholding = Withholding.objects.create(
        person_id=person.pk, agency=coordinator.agency, legal_reason="criminal_investigation",
        explanation="Etterforskning.", ends_on=today + dt.timedelta(days=10),
        created_by=coordinator.user)
    concern = Concern.objects.create(
        district_id=DISTRICT, given_name="Ung", family_name="Bekymret",
        birth_date=dt.date(today.year - 14, 1, 1), text="Bekymring.",
        submitted_by=coordinator.user, submitting_agency=coordinator.agency)
    meeting = Meeting.objects.create(case=case, starts_at=clock.now() - dt.timedelta(hours=1),
                                     place="Bydelshuset", created_by=coordinator.user)
    goal = GoalFactory(plan__case=case, created_by=coordinator.user)
    task = TaskFactory(goal=goal, agency=coordinator.agency, created_by=coordinator.user)
    registration = PoliceRegistration.objects.create(
        kind="stop_search", given_name="Ung", family_name="Stanset",
        birth_date=dt.date(today.year - 15, 1, 1), occurred_at=clock.now(),
        subdistrict=Subdistrict.objects.filter(district_id=DISTRICT).first(),
        unit=coordinator.agency, officer=coordinator.user, person=person,
        notices=[{"guardian": "Foresatt", "guardian_id": str(guardian.pk), "channel": "",
                  "message_id": "", "manual_reason": "Mangler telefon og e-post."}])
    report = BarnevernReport.objects.create(
        district_id=DISTRICT, person=person, given_name="Ung", family_name="Stanset",
        birth_date=registration.birth_date, text="Melding.", source_agency=coordinator.agency,
        sent_by=coordinator.user, basis_rule="bvl-13-2-meldeplikt",
        basis_citation="barnevernsloven § 13-2", origin_id=registration.pk)
    agency = coordinator.agency
    sides = {AgencyType.DOMSTOL: "court", AgencyType.KONFLIKTRAAD: "konfliktraad",
             AgencyType.KRIMINALOMSORG: "kriminalomsorg"}
    youth_case = YouthCase.objects.create(
        person=person, district_id=DISTRICT, police_case_number="12345678",
        offence_categories=["vold"], offence_on=today - dt.timedelta(days=10), age_at_offence=16,
        unit=agency if agency.type == AgencyType.POLITI else AgencyFactory(type="politi"),
        opened_by=coordinator.user,
        **({sides[agency.type]: agency} if agency.type in sides else {}))
    fast_track_request = FastTrackRequest.objects.create(
        registration=registration, person=person, unit=agency, requested_by=coordinator.user,
        requested_at=clock.now())
    enrolment = Enrolment.objects.create(
        case=case, decided_on=today, starts_on=today, consent=consent,
        marker=CaseMarker.objects.create(case=case, kind="programme",
                                         programme="intensiv_oppfolging"),
        enrolled_by=coordinator.user)
    FollowUpMember.objects.create(enrolment=enrolment, team_member=member,
                                  added_by=coordinator.user)
    offer = Offer.objects.create(provider=agency, kind="fritidsklubb", name="Klubben",
                                 age_min=10, age_max=24)
    referral = Referral.objects.create(offer=offer, case=case, person=person,
                                       referred_by=coordinator.user,
                                       referring_agency=coordinator.agency, text="Henvisning.")
    runs = agency if agency.type in (AgencyType.BYDEL, AgencyType.FRITID) else AgencyFactory(
        type=AgencyType.BYDEL, district_id=DISTRICT)
    programme = Programme.objects.create(agency=runs, name="Unge forbilder", capacity=2)
    Criterion.objects.create(programme=programme, position=1, text="Anbefalt av en voksen.")
    applications = [Application.objects.create(
        programme=programme, person=person, submitted_by=coordinator.user,
        submitting_agency=agency, motivation="Et godt forbilde.", consent_method="skjema",
        consent_on=today, consent_youth=True, consent_guardians=True, status=status)
        for status in ("sendt", "tatt_opp")]
    mentor = Mentor.objects.create(programme=programme, person=person,
                                   application=applications[1], enrolled_on=today)
    return {"PROGRAMME": programme.pk, "APPLICATION": applications[0].pk, "MENTOR": mentor.pk,
            "OFFER": offer.pk, "REFERRAL": referral.pk,
            "CONCERN": concern.pk, "MEETING": meeting.pk, "REGISTRATION": registration.pk,
            "BVREPORT": report.pk,
            "GUARDIAN": guardian.pk,
            "GOAL": goal.pk, "TASK": task.pk,
            "CASE": case.pk, "ENTRY": entry.pk, "ATTACHMENT": entry.attachments.get().pk,
            "CONSENT": consent.pk, "MEMBER": member.pk, "ACCESS": access.pk,
            "WITHHOLDING": withholding.pk, "YOUTHCASE": youth_case.pk,
            "FTREQUEST": fast_track_request.pk, "ENROLMENT": enrolment.pk,
            "EXTRACT": ArchiveExtract.objects.create(
                district_id=DISTRICT, agency=coordinator.agency, created_by=coordinator.user,
                directory="", zip_name="finnes-ikke.zip", zip_sha256="0" * 64, zip_size=0,
                case_count=0, document_count=0).pk,
            **familysupport_objects(case, guardian, memberships),
            **analytics_objects(),
            **programmes_objects(),
            **reentry_objects(person, memberships),
            **rectification_objects(case, entry, memberships),
            **schools_objects(person, memberships)}


@pytest.mark.django_db
@pytest.mark.parametrize("agency_type", [t.value for t in AgencyType])
def test_matrix(agency_type, person, login, rulebook, settings):
    # Who may reach /readyz is the question here, not whether the instance is ready: the
    # requests' own audit events wait for a sequencer that does not run in the tests, and on a
    # slow machine the loop outlasts the sequencer age check (test_operations tests it).
    settings.LAGET_READY_MAX_SEQUENCER_AGE_SECONDS = 0
    district = DISTRICT if agency_type != AgencyType.BY else None
    agency = AgencyFactory(type=agency_type, district_id=district)
    clients: dict[str, Client] = {"anonymous": Client()}
    memberships = {}
    for role in ROLES:
        user = UserFactory(password=None, is_staff=role == "admin")
        memberships[role] = MembershipFactory(user=user, agency=agency, role=role)
        clients[role] = login(Client(), user)
    placeholders = {"PERSON": person.pk, **_case_objects(person, memberships)}
    log.checkpoint()  # the events so far, so that the log's tiles and checkpoint exist
    failures = []
    for name, (kwargs, expected) in MATRIX.items():
        url = reverse(name, kwargs={k: placeholders.get(v, v) for k, v in kwargs.items()})
        table = expected(agency_type) if callable(expected) else expected
        for who, client in clients.items():
            status = client.get(url).status_code
            if status != table[who]:
                failures.append(f"{name} as {who} ({agency_type}): {status}, expected "
                                f"{table[who]}")
    assert not failures, "\n".join(failures)


# --- own case, another case of the bydel, a case of another bydel --------------------------------
# The same URLs with the case swapped for one the agency has nothing to do with. The policy: a
# case-role user who is not on that case's team does not know it exists (404) — except the
# coordinator and leader of the case's own bydel, who coordinate every case there and see it as
# they see their own; another bydel's case exists for no one. An object of the matrix's own case
# (a meeting, an entry, a task …) reached through the other case's URL exists for no one either.
# What a role or the method refuses before any case is looked up (403 for the roles outside the
# case work, 405 for a POST-only URL, the login redirect) stays as it is.
OTHER_DISTRICT = "030112"
SCOPES = ["other_case", "other_bydel"]


def other_table(table: dict[str, int], agency_type: str, scope: str,
                *, only_case: bool) -> dict[str, int]:
    sees_bydel = (scope == "other_case" and agency_type == AgencyType.BYDEL and only_case)
    result = {}
    for who, own in table.items():
        kept = who not in PERSON_ROLES or own in (302, 405)
        if kept or (sees_bydel and who in ("coordinator", "leader")):
            result[who] = own
        else:
            result[who] = 404
    return result


@pytest.mark.django_db
@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("agency_type", [t.value for t in AgencyType])
def test_matrix_for_a_case_that_is_not_the_agencys(agency_type, scope, person, login, rulebook):
    district = DISTRICT if agency_type != AgencyType.BY else None
    agency = AgencyFactory(type=agency_type, district_id=district)
    clients: dict[str, Client] = {}
    memberships = {}
    for role in sorted(PERSON_ROLES):
        user = UserFactory(password=None)
        memberships[role] = MembershipFactory(user=user, agency=agency, role=role)
        clients[role] = login(Client(), user)
    placeholders = {"PERSON": person.pk, **_case_objects(person, memberships)}
    where = DISTRICT if scope == "other_case" else OTHER_DISTRICT
    other = CaseFactory(person=PersonFactory(district_id=where))
    placeholders["CASE"] = other.pk
    log.checkpoint()
    failures, checked = [], 0
    for name, (kwargs, expected) in MATRIX.items():
        if kwargs.get("case_id") != "CASE":
            continue
        url = reverse(name, kwargs={k: placeholders.get(v, v) for k, v in kwargs.items()})
        own = expected(agency_type) if callable(expected) else expected
        table = other_table(own, agency_type, scope, only_case=set(kwargs) == {"case_id"})
        for who, client in clients.items():
            status = client.get(url).status_code
            checked += 1
            if status != table[who]:
                failures.append(f"{name} as {who} ({agency_type}, {scope}): {status}, "
                                f"expected {table[who]}")
    assert checked > 50
    assert not failures, "\n".join(failures)
