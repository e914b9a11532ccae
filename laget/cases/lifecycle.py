"""Which status a case may move to from which: assessment → active → closing → closed, with
closing back to active and the early ways out to closed. A closed case stays closed: a new
concern about the person opens a new case."""

from laget.records.models import CaseStatus

TRANSITIONS: dict[str, tuple[CaseStatus, ...]] = {
    # no basis for a SaLTo case → closed
    CaseStatus.ASSESSMENT: (CaseStatus.ACTIVE, CaseStatus.CLOSED),
    # moved away, turned 23, declined → closed at once
    CaseStatus.ACTIVE: (CaseStatus.CLOSING, CaseStatus.CLOSED),
    # the closing phase can be undone when the need comes back
    CaseStatus.CLOSING: (CaseStatus.ACTIVE, CaseStatus.CLOSED),
    CaseStatus.CLOSED: (),
}


def allowed_next(status: str) -> tuple[CaseStatus, ...]:
    return TRANSITIONS.get(status, ())
