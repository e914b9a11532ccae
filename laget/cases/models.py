"""The SaLTo case workflow around `records.Case`: for now the history of its status. Concerns,
the plan, tasks and meetings attach to the same case later."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from laget.core import clock
from laget.core.models import BaseModel
from laget.records.models import CaseStatus


class CaseStatusChange(BaseModel):
    """One move of a case's status: who, when and why. The first row (the case opened into
    assessment) has no `from_status` and needs no reason; every later move has both."""

    case = models.ForeignKey(
        "records.Case", verbose_name=_("sak"), on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("fra status"), max_length=10, choices=CaseStatus.choices, blank=True
    )
    to_status = models.CharField(_("til status"), max_length=10, choices=CaseStatus.choices)
    reason = models.TextField(_("begrunnelse"), max_length=2000, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("endret av"), on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("endret"), default=clock.now)

    class Meta:
        verbose_name = _("statusendring")
        verbose_name_plural = _("statusendringer")
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["case", "changed_at"], name="cases_status_case_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(from_status="") | ~models.Q(reason=""),
                name="cases_status_reason_after_first",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_status or '–'} → {self.to_status}"
