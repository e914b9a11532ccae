"""Unge forbilder: young role models. An agency (a bydel or a youth club) runs a programme with
published criteria; caseworkers and club staff apply on a young person's behalf with their
consent; the programme's staff assess each criterion and decide. An enrolled young person becomes
a `Mentor`, who gets benefits (courses, trips, part-time jobs, a mentor role) and mentors younger
people referred to the programme (`Mentorship`). Rules live in services; here are the fields."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laget.core.models import BaseModel


class Programme(BaseModel):
    """A programme run by one agency, for one bydel or the whole city (no district). The
    programme and its criteria hold no personal data: every member of staff may read them."""

    agency = models.ForeignKey("accounts.Agency", verbose_name=_("drives av"),
                               on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("areas.District", verbose_name=_("bydel"),
                                 on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", help_text=_("Tom for hele byen."))
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), max_length=4000, blank=True)
    age_min = models.PositiveSmallIntegerField(_("alder fra"), default=15)
    age_max = models.PositiveSmallIntegerField(_("alder til"), default=24)
    #: the most young role models enrolled at once (active mentors)
    capacity = models.PositiveSmallIntegerField(_("plasser"))
    open_for_applications = models.BooleanField(_("åpen for søknader"), default=True)

    class Meta:
        verbose_name = _("program for unge forbilder")
        verbose_name_plural = _("programmer for unge forbilder")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(age_min__lte=models.F("age_max")),
                                   name="mentors_programme_age_order"),
            models.CheckConstraint(condition=Q(capacity__gte=1),
                                   name="mentors_programme_capacity"),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(BaseModel):
    """One published criterion; a required one must be met for enrolment."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("rekkefølge"))
    text = models.CharField(_("kriterium"), max_length=300)
    required = models.BooleanField(_("må være oppfylt"), default=True)

    class Meta:
        verbose_name = _("kriterium")
        verbose_name_plural = _("kriterier")
        ordering = ["programme", "position"]
        # a programme's criteria in order, one per position
        constraints = [models.UniqueConstraint(fields=["programme", "position"],
                                               name="mentors_criterion_position_unique")]

    def __str__(self) -> str:
        return self.text


class ConsentMethod(models.TextChoices):
    """How the consent was given: Laget records that it was, not the paper itself."""

    PAPER = "skjema", _("Signert skjema")
    MEETING = "mote", _("Muntlig i møte")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "sendt", _("Sendt, venter på vurdering")
    WAITLISTED = "venteliste", _("På venteliste")
    ENROLLED = "tatt_opp", _("Tatt opp")
    REJECTED = "avslatt", _("Avslått")


#: an application still waiting for a final decision
OPEN_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED)


class ConsentFields(models.Model):
    """The consent behind an application or a mentee's linkage, as recorded by the member of
    staff who received it: the young person's always; the guardians' (those with parental
    responsibility) under `LAGET_MENTORS_GUARDIAN_CONSENT_UNDER`."""

    consent_method = models.CharField(_("samtykke gitt"), max_length=10,
                                      choices=ConsentMethod.choices)
    consent_on = models.DateField(_("samtykkedato"))
    consent_youth = models.BooleanField(_("den unge har samtykket"), default=False)
    consent_guardians = models.BooleanField(_("foresatte med foreldreansvar har samtykket"),
                                            default=False)

    class Meta:
        abstract = True


class Application(ConsentFields, BaseModel):
    """An application for a young person, sent by a case role of any agency (the submitter sees
    its status); assessed and decided by the programme's staff."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT,
                                  related_name="applications")
    person = models.ForeignKey("people.Person", verbose_name=_("den unge"),
                               on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sendt av"),
                                     on_delete=models.PROTECT, related_name="+")
    submitting_agency = models.ForeignKey("accounts.Agency", verbose_name=_("sendt fra"),
                                          on_delete=models.PROTECT, related_name="+")
    motivation = models.TextField(_("begrunnelse"), max_length=4000)
    status = models.CharField(_("status"), max_length=12, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("avgjort av"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("avgjort"), null=True, blank=True)
    decision_reason = models.TextField(_("begrunnelse for vedtaket"), max_length=2000,
                                       blank=True)

    class Meta:
        verbose_name = _("søknad")
        verbose_name_plural = _("søknader")
        ordering = ["-created_at"]
        # a programme's applications by status (the desk, capacity)
        indexes = [models.Index(fields=["programme", "status"])]
        constraints = [
            # one open application per programme and person
            models.UniqueConstraint(fields=["programme", "person"],
                                    condition=Q(status__in=["sendt", "venteliste"]),
                                    name="mentors_application_one_open"),
            models.CheckConstraint(condition=Q(consent_youth=True),
                                   name="mentors_application_youth_consent"),
            models.CheckConstraint(condition=~Q(status="avslatt") | ~Q(decision_reason=""),
                                   name="mentors_application_rejection_reason"),
        ]

    def __str__(self) -> str:
        return f"application {str(self.pk)[:8]}"


class AssessmentResult(models.TextChoices):
    MET = "oppfylt", _("Oppfylt")
    NOT_MET = "ikke_oppfylt", _("Ikke oppfylt")


class Assessment(BaseModel):
    """The programme staff's assessment of one criterion for one application (the latest
    counts; a new assessment replaces the row)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="assessments")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("vurdering"), max_length=12, choices=AssessmentResult.choices)
    note = models.CharField(_("merknad"), max_length=500, blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("vurdert av"),
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("vurdering")
        verbose_name_plural = _("vurderinger")
        # one assessment per application and criterion
        constraints = [models.UniqueConstraint(fields=["application", "criterion"],
                                               name="mentors_assessment_once")]


class Mentor(BaseModel):
    """A young role model: enrolled from an application; active until `ended_on`."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="mentors")
    person = models.ForeignKey("people.Person", verbose_name=_("det unge forbildet"),
                               on_delete=models.PROTECT, related_name="+")
    application = models.OneToOneField(Application, on_delete=models.PROTECT,
                                       related_name="mentor")
    enrolled_on = models.DateField(_("tatt opp"))
    ended_on = models.DateField(_("avsluttet"), null=True, blank=True)

    class Meta:
        verbose_name = _("ungt forbilde")
        verbose_name_plural = _("unge forbilder")
        ordering = ["-enrolled_on"]
        # a person is a programme's active mentor once
        constraints = [models.UniqueConstraint(fields=["programme", "person"],
                                               condition=Q(ended_on__isnull=True),
                                               name="mentors_mentor_one_active")]

    def __str__(self) -> str:
        return f"mentor {str(self.pk)[:8]}"


class BenefitKind(models.TextChoices):
    COURSE = "kurs", _("Kurs")
    TRIP = "tur", _("Tur")
    PART_TIME_JOB = "deltidsjobb", _("Deltidsjobb")
    MENTOR_ROLE = "mentorrolle", _("Mentorrolle")
    OTHER = "annet", _("Annet")


class Benefit(BaseModel):
    """What a young role model got: a course, a trip, a part-time job (optionally an offer from
    the catalogue), a mentor role or something else."""

    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="benefits")
    kind = models.CharField(_("type"), max_length=12, choices=BenefitKind.choices)
    given_on = models.DateField(_("dato"))
    description = models.CharField(_("beskrivelse"), max_length=500)
    offer = models.ForeignKey("pathways.Offer", verbose_name=_("tilbud i katalogen"),
                              on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registrert av"),
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("tilbud til forbildet")
        verbose_name_plural = _("tilbud til forbildet")
        ordering = ["-given_on", "-created_at"]


class MentorshipStatus(models.TextChoices):
    REFERRED = "henvist", _("Henvist, venter på forbilde")
    ACTIVE = "aktiv", _("Aktiv")
    ENDED = "avsluttet", _("Avsluttet")


class Mentorship(ConsentFields, BaseModel):
    """A younger person (the mentee) referred to the programme by a case role with their consent,
    then paired with a mentor by the programme's staff. Notes hold no sensitive data."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT,
                                  related_name="mentorships")
    mentee = models.ForeignKey("people.Person", verbose_name=_("den som får et forbilde"),
                               on_delete=models.PROTECT, related_name="+")
    mentor = models.ForeignKey(Mentor, verbose_name=_("forbilde"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="mentorships")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("henvist av"),
                                    on_delete=models.PROTECT, related_name="+")
    referring_agency = models.ForeignKey("accounts.Agency", verbose_name=_("henvist fra"),
                                         on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=MentorshipStatus.choices,
                              default=MentorshipStatus.REFERRED)
    started_on = models.DateField(_("startet"), null=True, blank=True)
    ended_on = models.DateField(_("avsluttet"), null=True, blank=True)
    meetings = models.PositiveSmallIntegerField(_("antall møter"), default=0)
    notes = models.CharField(_("notater"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("mentorskap")
        verbose_name_plural = _("mentorskap")
        ordering = ["-created_at"]
        constraints = [
            # one live mentorship per programme and mentee
            models.UniqueConstraint(fields=["programme", "mentee"],
                                    condition=~Q(status="avsluttet"),
                                    name="mentors_mentorship_one_open"),
            models.CheckConstraint(
                condition=Q(status="henvist", mentor__isnull=True, started_on__isnull=True)
                | Q(status="aktiv", mentor__isnull=False, started_on__isnull=False,
                    ended_on__isnull=True)
                | Q(status="avsluttet", ended_on__isnull=False),
                name="mentors_mentorship_status_fields"),
            models.CheckConstraint(condition=Q(consent_youth=True),
                                   name="mentors_mentorship_youth_consent"),
        ]

    def __str__(self) -> str:
        return f"mentorship {str(self.pk)[:8]}"
