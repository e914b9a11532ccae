"""Police registrations: a stop and search, an apprehension or a concern, registered by a police
unit about a young person. The place is kept only as a delbydel."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laget.core.models import BaseModel


class RegistrationKind(models.TextChoices):
    STOP_SEARCH = "stop_search", _("Stans og ransaking")
    APPREHENSION = "apprehension", _("Pågripelse")
    CONCERN = "concern", _("Bekymring")


class WeaponType(models.TextChoices):
    NONE = "none", _("Ingen")
    KNIFE = "kniv", _("Kniv")
    FIREARM = "skytevapen", _("Skytevåpen")
    OTHER = "annet", _("Annet våpen")


class OffenceCategory(models.TextChoices):
    VIOLENCE = "vold", _("Vold")
    ROBBERY = "ran", _("Ran")
    THEFT = "tyveri", _("Tyveri")
    DRUGS = "narkotika", _("Narkotika")
    WEAPONS_ACT = "vapenloven", _("Brudd på våpenloven")
    VANDALISM = "skadeverk", _("Skadeverk")
    THREATS = "trusler", _("Trusler")
    OTHER = "annet", _("Annet")


class PoliceRegistration(BaseModel):
    """What a police unit registered. The person is linked when the fødselsnummer is known and
    registered; otherwise the name and birth date are kept as given (as with a concern)."""

    kind = models.CharField(_("type"), max_length=20, choices=RegistrationKind.choices)
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )
    national_id = models.CharField(_("fødselsnummer"), max_length=11, blank=True)
    given_name = models.CharField(_("fornavn"), max_length=100)
    family_name = models.CharField(_("etternavn"), max_length=100)
    birth_date = models.DateField(_("fødselsdato"))
    occurred_at = models.DateTimeField(_("tidspunkt"))
    subdistrict = models.ForeignKey(
        "areas.Subdistrict", verbose_name=_("delbydel"), on_delete=models.PROTECT,
        related_name="+",
    )
    grounds = models.TextField(_("grunnlag"), max_length=2000, blank=True)
    found_items = models.TextField(_("funnet"), max_length=2000, blank=True)
    unit = models.ForeignKey(
        "accounts.Agency", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("tjenesteperson"), on_delete=models.PROTECT,
        related_name="+",
    )
    offence_category = models.CharField(
        _("lovbruddskategori"), max_length=20, choices=OffenceCategory.choices, blank=True,
    )
    weapon_type = models.CharField(
        _("våpen"), max_length=20, choices=WeaponType.choices, default=WeaponType.NONE,
    )
    held = models.BooleanField(_("holdt i arrest"), default=False)
    #: who was told: filled by registration_create from the outbox (message ids, by guardian)
    notices = models.JSONField(_("varsler"), default=list, blank=True)
    #: where the registration went in SaLTo: "entry" (on the open case), "concern", or ""
    salto_route = models.CharField(_("sendt til SaLTo som"), max_length=10, blank=True)
    salto_case_id = models.UUIDField(_("SaLTo-sak"), null=True, blank=True)
    #: the weapon trigger's report to barnevern (laget.cases.barnevern), or why none was sent
    barnevern_report_id = models.UUIDField(_("melding til barnevernet"), null=True, blank=True)
    barnevern_manual_reason = models.CharField(_("meld selv til barnevernet fordi"),
                                               max_length=300, blank=True)

    class Meta:
        verbose_name = _("politiregistrering")
        verbose_name_plural = _("politiregistreringer")
        ordering = ["-occurred_at"]
        # a unit's registrations, newest first (the police list)
        indexes = [models.Index(fields=["unit", "-occurred_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="apprehension") | (Q(offence_category="") & Q(held=False)),
                name="policing_registration_apprehension_fields",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {str(self.pk)[:8]}"


class FastTrackRequest(BaseModel):
    """The weapon trigger's request that the criminal case behind a registration of a child with
    a weapon goes on the youth fast track («umiddelbar rettsbehandling»). Recorded here until the
    fast track takes it up (`taken_up_at`)."""

    registration = models.OneToOneField(
        PoliceRegistration, verbose_name=_("registrering"), on_delete=models.PROTECT,
        related_name="fast_track_request",
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )
    unit = models.ForeignKey(
        "accounts.Agency", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("bedt om av"), on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("bedt om"))
    taken_up_at = models.DateTimeField(_("tatt opp i hurtigsporet"), null=True, blank=True)

    class Meta:
        verbose_name = _("anmodning om hurtigspor")
        verbose_name_plural = _("anmodninger om hurtigspor")
        ordering = ["-requested_at"]
        # the prosecutors' pending requests, oldest first
        indexes = [models.Index(fields=["taken_up_at", "requested_at"])]

    def __str__(self) -> str:
        return f"fast track request {str(self.pk)[:8]}"
