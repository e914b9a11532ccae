"""Reads of a case's workflow. The case itself is opened through laget.sharing.selectors (which
audits the read); these read what hangs on a case the caller has already opened."""

from dataclasses import dataclass

from laget.accounts.actor import Actor
from laget.cases.lifecycle import allowed_next
from laget.cases.models import CaseStatusChange
from laget.records.models import Case, CaseStatus
from laget.records.services import is_district_coordinator


@dataclass(frozen=True)
class StatusPanel:
    history: list[CaseStatusChange]
    #: the statuses the actor may move the case to (empty: the actor may not move it)
    choices: list[tuple[str, str]]


def status_history(*, case: Case) -> list[CaseStatusChange]:
    return list(case.status_changes.select_related("changed_by").order_by("changed_at", "id"))


def status_choices_for(*, actor: Actor, case: Case) -> list[tuple[str, str]]:
    if not is_district_coordinator(actor, case.district_id):
        return []
    return [(str(s), str(CaseStatus(s).label)) for s in allowed_next(case.status)]


def status_panel_for(*, actor: Actor, case: Case) -> StatusPanel:
    return StatusPanel(history=status_history(case=case),
                       choices=status_choices_for(actor=actor, case=case))
