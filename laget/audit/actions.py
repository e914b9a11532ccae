"""The vocabulary of audit events: dotted action codes with a label for the auditor.

audit_record() accepts only these codes, so a typo cannot create an action no one searches for.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    LOGIN = "auth.login", _("Innlogging")
    LOGIN_FAILED = "auth.login_failed", _("Mislykket innlogging")
    LOCKED_OUT = "auth.locked_out", _("Utestengt etter gjentatte feil")
    SECOND_FACTOR_FAILED = "auth.second_factor_failed", _("Feil engangskode")
    SECOND_FACTOR_ENROLLED = "auth.second_factor_enrolled", _("Tofaktor registrert")
    LOGOUT = "auth.logout", _("Utlogging")
    PASSWORD_CHANGED = "auth.password_changed", _("Passord endret")
    SESSION_TIMEOUT = "auth.session_timeout", _("Logget ut etter inaktivitet")
    REAUTH = "auth.reauth", _("Bekreftet identitet på nytt")
    REAUTH_FAILED = "auth.reauth_failed", _("Feil passord ved ny bekreftelse")
    RATE_LIMITED = "auth.rate_limited", _("For mange forsøk (begrenset)")
    PERSON_LIST = "person.list", _("Personliste vist")
    PERSON_SEARCH = "person.search", _("Personsøk")
    PERSON_VIEW = "person.view", _("Person vist")
    PERSON_CREATE = "person.create", _("Person registrert")
    PERSON_UPDATE = "person.update", _("Person endret")
    PERSON_LINK = "person.link", _("Virksomhet knyttet til person")
    PERSON_ACCESS_DENIED = "person.access_denied", _("Avvist tilgang til person")
    GUARDIAN_CREATE = "guardian.create", _("Foresatt registrert")
    GUARDIAN_UPDATE = "guardian.update", _("Foresatt endret")
    CASE_OPEN = "case.open", _("Sak åpnet")
    CASE_STATUS = "case.status", _("Saksstatus endret")
    CASE_LIST = "case.list", _("Saksliste vist")
    CASE_VIEW = "case.view", _("Sak vist")
    CASE_ACCESS_DENIED = "case.access_denied", _("Avvist tilgang til sak")
    CASE_MARKER_ADD = "case.marker_add", _("Saksmerke satt")
    CASE_MARKER_END = "case.marker_end", _("Saksmerke avsluttet")
    CASE_SEARCH = "case.search", _("Sakssøk")
    CASE_HANDOVER = "case.handover", _("Sak overført til annen bydel")
    CASE_HANDOVER_CONFIRM = "case.handover_confirm", _("Svar om videre deltakelse etter overføring")
    CONCERN_SUBMIT = "concern.submit", _("Bekymring meldt")
    CONCERN_VIEW = "concern.view", _("Bekymring vist")
    CONCERN_ASSESS = "concern.assess", _("Bekymring vurdert")
    POLICE_REGISTER = "police.register", _("Politiregistrering")
    POLICE_VIEW = "police.view", _("Politiregistrering vist")
    PLAN_CHANGE = "plan.change", _("Plan endret")
    PLAN_PDF = "plan.pdf", _("Plan skrevet ut")
    TASK_CHANGE = "plan.task_change", _("Oppgave endret")
    MEETING_CHANGE = "meeting.change", _("Møte planlagt eller endret")
    MEETING_MINUTES = "meeting.minutes", _("Møtereferat skrevet")
    MEETING_PDF = "meeting.pdf", _("Møtereferat skrevet ut")
    GUARDIAN_CONTACT = "guardian.contact", _("Kontakt med foresatt registrert")
    DESK_VIEW = "case.desk", _("Koordinatorens oversikt vist")
    TEAM_MEMBER_ADD = "team.member_add", _("Teammedlem lagt til")
    TEAM_MEMBER_END = "team.member_end", _("Teammedlem gikk ut")
    ENTRY_CREATE = "entry.create", _("Opplysning registrert")
    ENTRY_CORRECT = "entry.correct", _("Opplysning rettet")
    ENTRY_LIST = "entry.list", _("Opplysninger vist")
    ENTRY_VIEW = "entry.view", _("Opplysning vist")
    ENTRY_ACCESS_DENIED = "entry.access_denied", _("Avvist tilgang til opplysning")
    ATTACHMENT_VIEW = "entry.attachment_view", _("Vedlegg åpnet")
    EMERGENCY_ACCESS = "entry.emergency_access", _("Nødtilgang til opplysning")
    EMERGENCY_REVIEW = "entry.emergency_review", _("Nødtilgang vurdert")
    CONSENT_REGISTER = "consent.register", _("Samtykke registrert")
    CONSENT_VIEW = "consent.view", _("Samtykke vist")
    CONSENT_WITHDRAW = "consent.withdraw", _("Samtykke trukket tilbake")
    CONSENT_END = "consent.end", _("Samtykke avsluttet med programmet det ble gitt for")
    CONSENT_FORM = "consent.form", _("Samtykkeskjema skrevet ut")
    CONSENT_PROPOSE = "consent.propose", _("Samtykkeforslag laget")
    CONSENT_PROPOSAL_ANSWER = "consent.proposal_answer", _("Svar på samtykkeforslag")
    CONSENT_PROPOSAL_WITHDRAW = "consent.proposal_withdraw", _("Samtykkeforslag trukket")
    RULEBOOK_LOAD = "rulebook.load", _("Regelbok lastet")
    AUDIT_SEARCH = "audit.search", _("Hendelseslogg søkt")
    AUDIT_EXPORT = "audit.export", _("Hendelseslogg eksportert")
    AUDIT_UNUSUAL = "audit.unusual_report", _("Rapport om uvanlig tilgang vist")
    INNSYN_REPORT = "innsyn.report", _("Innsynsrapport laget")
    INNSYN_PDF = "innsyn.pdf", _("Innsynsrapport skrevet ut")
    WITHHOLDING_CREATE = "innsyn.withhold", _("Linjer holdt tilbake fra innsyn")
    WITHHOLDING_END = "innsyn.withhold_end", _("Tilbakehold av innsyn avsluttet")
    DEMO_SEED = "demo.seed", _("Demodata lastet")
    NOTIFY_SENT = "notify.sent", _("Melding sendt")
    NOTIFY_FAILED = "notify.failed", _("Melding kunne ikke sendes")
    NOTIFY_FAILED_VIEW = "notify.failed_view", _("Meldinger som ikke kom fram vist")
    NOTIFY_DELIVERED = "notify.delivered", _("Melding levert (kvittering)")
    BARNEVERN_REPORT_SEND = "barnevern.report_send", _("Melding til barnevernet sendt")
    BARNEVERN_REPORT_VIEW = "barnevern.report_view", _("Melding til barnevernet lest")
    BARNEVERN_REPORT_RECEIVE = "barnevern.report_receive", _("Melding til barnevernet mottatt")
    FASTTRACK_OPEN = "fasttrack.open", _("Ungdomssak i hurtigsporet opprettet")
    FASTTRACK_VIEW = "fasttrack.view", _("Ungdomssak i hurtigsporet vist")
    FASTTRACK_LIST = "fasttrack.list", _("Ungdomssaker i hurtigsporet listet")
    FASTTRACK_CHANGE = "fasttrack.change", _("Ungdomssak i hurtigsporet endret")
    FASTTRACK_MILESTONE = "fasttrack.milestone", _("Milepæl i hurtigsporet registrert")
    FASTTRACK_REACTION = "fasttrack.reaction", _("Reaksjonsplan registrert eller endret")
    INTENSIVE_ENROL = "intensive.enrol", _("Tatt opp i intensiv oppfølging")
    INTENSIVE_END = "intensive.end", _("Intensiv oppfølging avsluttet")
    INTENSIVE_VIEW = "intensive.view", _("Intensiv oppfølging vist")
    INTENSIVE_MEMBER = "intensive.member", _("Oppfølgingsteam i intensiv oppfølging endret")
    INTENSIVE_SLOT = "intensive.slot", _("Ukeplan i intensiv oppfølging endret")
    INTENSIVE_CHECKIN = "intensive.checkin", _("Oppmøte i intensiv oppfølging registrert")
    PATHWAYS_OFFER_CHANGE = "pathways.offer_change", _("Tilbud i katalogen endret")
    PATHWAYS_IMPORT = "pathways.import", _("Tilbudskatalog importert")
    PATHWAYS_REFER = "pathways.refer", _("Henvist til tilbud")
    PATHWAYS_REFERRAL_VIEW = "pathways.referral_view", _("Henvisning til tilbud vist")
    PATHWAYS_REFERRAL_DECIDE = "pathways.referral_decide", _("Henvisning besvart eller avsluttet")
    PATHWAYS_ATTENDANCE = "pathways.attendance", _("Oppmøte i tilbud registrert")
    FAMILYSUPPORT_PARENT_REFER = "familysupport.parent_refer", _(
        "Foresatt henvist til foreldrestøtte")
    FAMILYSUPPORT_PARENT_VIEW = "familysupport.parent_view", _(
        "Henvisning til foreldrestøtte vist")
    FAMILYSUPPORT_PARENT_ANSWER = "familysupport.parent_answer", _(
        "Henvisning til foreldrestøtte besvart")
    FAMILYSUPPORT_PARENT_SESSION = "familysupport.parent_session", _(
        "Oppmøte i foreldrestøtte registrert")
    FAMILYSUPPORT_PARENT_OUTCOME = "familysupport.parent_outcome", _(
        "Resultat av foreldrestøtte registrert")
    FAMILYSUPPORT_PARENT_STATS = "familysupport.parent_stats", _(
        "Statistikk for foreldrestøtte vist")
    FAMILYSUPPORT_RELOCATION_CREATE = "familysupport.relocation_create", _(
        "Søknad om flyttehjelp registrert")
    FAMILYSUPPORT_RELOCATION_VIEW = "familysupport.relocation_view", _(
        "Søknad om flyttehjelp vist")
    FAMILYSUPPORT_RELOCATION_LIST = "familysupport.relocation_list", _(
        "Søknader om flyttehjelp listet")
    FAMILYSUPPORT_RELOCATION_DECIDE = "familysupport.relocation_decide", _(
        "Vedtak om flyttehjelp fattet")
    FAMILYSUPPORT_RELOCATION_APPEAL = "familysupport.relocation_appeal", _(
        "Klage på vedtak om flyttehjelp registrert")
    FAMILYSUPPORT_RELOCATION_PAYMENT = "familysupport.relocation_payment", _(
        "Utbetaling av flyttehjelp registrert")
    FAMILYSUPPORT_INTERPRETER_BOOK = "familysupport.interpreter_book", _("Tolk bestilt")
    FAMILYSUPPORT_INTERPRETER_LIST = "familysupport.interpreter_list", _(
        "Tolkebestillinger listet")
    FAMILYSUPPORT_INTERPRETER_REPORT = "familysupport.interpreter_report", _(
        "Rapport om tolkebruk vist eller eksportert")
    MENTORS_APPLY = "mentors.apply", _("Søknad til unge forbilder sendt")
    MENTORS_VIEW = "mentors.view", _("Unge forbilder: søknad eller forbilde vist")
    MENTORS_ASSESS = "mentors.assess", _("Søknad til unge forbilder vurdert mot kriteriene")
    MENTORS_DECIDE = "mentors.decide", _("Vedtak om opptak i unge forbilder")
    MENTORS_BENEFIT = "mentors.benefit", _("Tilbud til et ungt forbilde registrert")
    MENTORS_MENTORSHIP = "mentors.mentorship", _("Mentorskap henvist, startet eller endret")
    FAMILY_LOGIN = "family.login", _("Innlogging på familiesiden")
    FAMILY_LOGIN_REFUSED = "family.login_refused", _("Avvist innlogging på familiesiden")
    FAMILY_VIEW = "family.view", _("Familiesiden vist")
    FAMILY_ACCESS_DENIED = "family.access_denied", _("Avvist tilgang på familiesiden")
    FAMILY_MESSAGE = "family.message", _("Melding mellom familien og koordinatoren skrevet")
    API_CALL = "api.call", _("Kall til API-et")
    API_CLIENT_CHANGE = "api.client_change", _("API-klient eller -nøkkel endret")
    ACCESS_REVIEW_VIEW = "access.review_view", _("Tilgangsgjennomgang vist")
    ACCESS_REVIEW = "access.review", _("Tilgangsgjennomgang fullført")
    MEMBERSHIP_END = "access.membership_end", _("Rolle i virksomhet avsluttet")
    LIFECYCLE_ARCHIVE_EXPORT = "lifecycle.archive_export", _("Arkivuttrekk (Noark 5) laget")
    LIFECYCLE_ARCHIVE_CASE = "lifecycle.archive_case", _("Sak avlevert i arkivuttrekk")
    LIFECYCLE_ARCHIVE_DOWNLOAD = "lifecycle.archive_download", _("Arkivuttrekk lastet ned")
    # laget.schools (issue 10)
    SCHOOLS_IMPORT = "schools.import", _("Skoleregister importert")
    SCHOOLS_INCIDENT_REPORT = "schools.incident_report", _("Hendelse på skole meldt")
    SCHOOLS_INCIDENT_VIEW = "schools.incident_view", _("Hendelse på skole vist")
    SCHOOLS_INCIDENT_LIST = "schools.incident_list", _("Hendelser på skole listet")
    SCHOOLS_INCIDENT_CLOSE = "schools.incident_close", _("Hendelse på skole lukket")
    SCHOOLS_AMBULANT = "schools.ambulant", _(
        "Forespørsel til ambulant team registrert eller endret")
    SCHOOLS_CHANGE = "schools.change", _(
        "Tvunget skolebytte foreslått, hørt, vedtatt eller påklaget")
    SCHOOLS_CHANGE_VIEW = "schools.change_view", _("Tvunget skolebytte vist")
    # reentry (issue 9): release, NAV's reentry plan, outcomes, the kriminalomsorg–politi exchange
    REENTRY_RELEASE = "reentry.release", _("Løslatelse registrert eller endret")
    REENTRY_HANDOVER = "reentry.handover", _("Løslatelse overlevert til NAV")
    REENTRY_PLAN = "reentry.plan", _("Plan etter løslatelse endret")
    REENTRY_VIEW = "reentry.view", _("Løslatelse eller plan etter løslatelse vist")
    REENTRY_LIST = "reentry.list", _("Løslatelser listet")
    REENTRY_OUTCOME = "reentry.outcome", _("Resultat etter løslatelse registrert")
    REENTRY_MESSAGE_SEND = "reentry.message_send", _(
        "Melding mellom kriminalomsorg og politi sendt")
    REENTRY_MESSAGE_READ = "reentry.message_read", _(
        "Melding mellom kriminalomsorg og politi lest")
    REENTRY_NETWORK = "reentry.network", _("Nettverkstilknytning registrert eller avsluttet")
    REENTRY_PLACEMENT = "reentry.placement", _("Plassering eller overføring i kriminalomsorgen")
    REENTRY_PLACEMENT_OVERRIDE = "reentry.placement_override", _(
        "Advarsel ved plassering overstyrt")
    # laget.rectification (issue 15, rectification and objection: GDPR art. 16 and 21)
    RECTIFICATION_REQUEST = "rectification.request", _(
        "Krav om retting eller innsigelse registrert")
    RECTIFICATION_DECIDE = "rectification.decide", _(
        "Krav om retting eller innsigelse avgjort")
    RECTIFICATION_EXTEND = "rectification.extend", _(
        "Frist for krav om retting eller innsigelse forlenget")
    RECTIFICATION_VIEW = "rectification.view", _("Krav om retting eller innsigelse vist")
    RECTIFICATION_ACCESS_DENIED = "rectification.access_denied", _(
        "Avvist tilgang til krav om retting eller innsigelse")
    # analytics programmes (issue 11): områdesatsinger, commitments, design checklists
    ANALYTICS_PROGRAMME_CHANGE = "analytics.programme_change", _(
        "Områdesatsing opprettet eller endret")
    ANALYTICS_COMMITMENT_CHANGE = "analytics.commitment_change", _(
        "Forpliktelse i en områdesatsing registrert eller endret")
    ANALYTICS_DESIGN_CHANGE = "analytics.design_change", _(
        "Utviklingsplan eller sjekkpunkt for trygg byutforming registrert eller endret")
    # analytics evaluation (issue 11): the researchers' export of suppressed cohort tables
    ANALYTICS_EVALUATION_EXPORT = "analytics.evaluation_export", _(
        "Evalueringstall eksportert (avidentifisert og skjermet)")
    # lifecycle retention and erasure (issue 15): holds, the leader's decision, the erasure itself
    LIFECYCLE_LEGAL_HOLD = "lifecycle.legal_hold", _("Sletteforbud satt eller opphevet")
    LIFECYCLE_ERASURE_DECISION = "lifecycle.erasure_decision", _(
        "Sletting etter lagringstiden avvist av leder")
    LIFECYCLE_ERASE = "lifecycle.erase", _("Opplysninger slettet etter lagringstiden")


class Outcome(models.TextChoices):
    OK = "ok", _("Utført")
    DENIED = "denied", _("Avvist")
    FAILED = "failed", _("Mislyktes")


class Purpose(models.TextChoices):
    """Why personal data is read or written; declared by the code path, never typed by a user."""

    FOREBYGGING = "forebygging", _("Koordinert forebygging")
    OPPFOLGING = "oppfolging", _("Oppfølging av avtalte tiltak")
    MELDING_BARNEVERN = "melding_barnevern", _("Melding til barnevernet")
    STRAFFESAK = "straffesak", _("Straffesak")
    FARE_LIV_HELSE = "fare_liv_helse", _("Avverge fare for liv eller helse")
    REGISTRERING = "registrering", _("Registrering og vedlikehold av personopplysninger")
    TILSYN = "tilsyn", _("Internkontroll og revisjon")
    INNSYN = "innsyn", _("Den registrertes innsyn")
    INNLOGGING = "innlogging", _("Innlogging og tilgangskontroll")
    ARKIVERING = "arkivering", _("Arkivering (arkivlova)")
