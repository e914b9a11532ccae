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
    CONSENT_FORM = "consent.form", _("Samtykkeskjema skrevet ut")
    RULEBOOK_LOAD = "rulebook.load", _("Regelbok lastet")
    AUDIT_SEARCH = "audit.search", _("Hendelseslogg søkt")
    AUDIT_EXPORT = "audit.export", _("Hendelseslogg eksportert")
    AUDIT_UNUSUAL = "audit.unusual_report", _("Rapport om uvanlig tilgang vist")
    INNSYN_REPORT = "innsyn.report", _("Innsynsrapport laget")
    INNSYN_PDF = "innsyn.pdf", _("Innsynsrapport skrevet ut")
    WITHHOLDING_CREATE = "innsyn.withhold", _("Linjer holdt tilbake fra innsyn")
    WITHHOLDING_END = "innsyn.withhold_end", _("Tilbakehold av innsyn avsluttet")
    DEMO_SEED = "demo.seed", _("Demodata lastet")


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
