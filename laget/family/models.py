"""The family's message thread with the case's coordinator: one thread per SaLTo case, written
on the family pages and on the case page of the case's bydel coordinator."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from laget.core.models import BaseModel

#: A message is a short note, not a report: longer matters belong in a meeting or a call.
TEXT_MAX_LENGTH = 2000


class AuthorKind(models.TextChoices):
    FAMILY = "family", _("Familien")
    STAFF = "staff", _("Koordinator")


class FamilyMessage(BaseModel):
    """One message in the thread. A family author is a citizen, not a `User`: `details` say who
    (`citizen: guardian` with the guardian row's id, or `citizen: self`), never the identity
    number. A staff author is the user. Each side's first read of the other side's message is
    stamped, so each can see what is new."""

    case = models.ForeignKey("records.Case", verbose_name=_("sak"), on_delete=models.CASCADE,
                             related_name="family_messages")
    author_kind = models.CharField(_("skrevet av"), max_length=10, choices=AuthorKind.choices)
    author_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ansatt"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    details = models.JSONField(_("avsender i familien"), default=dict, blank=True)
    text = models.TextField(_("melding"), max_length=TEXT_MAX_LENGTH)
    read_by_staff_at = models.DateTimeField(_("lest av koordinator"), null=True, blank=True)
    read_by_family_at = models.DateTimeField(_("lest av familien"), null=True, blank=True)

    class Meta:
        verbose_name = _("melding med familien")
        verbose_name_plural = _("meldinger med familien")
        ordering = ["created_at", "id"]
        # a case's message thread in time order
        indexes = [models.Index(fields=["case", "created_at"], name="family_msg_case_created")]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(author_kind=AuthorKind.STAFF, author_user__isnull=False)
                           | models.Q(author_kind=AuthorKind.FAMILY, author_user__isnull=True)),
                name="family_msg_author_matches_kind"),
            models.CheckConstraint(
                condition=models.Q(GreaterThanOrEqual(Length("text"), 1),
                                   LessThanOrEqual(Length("text"), TEXT_MAX_LENGTH)),
                name="family_msg_text_length"),
        ]

    def __str__(self) -> str:
        return f"{self.get_author_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
