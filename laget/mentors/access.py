"""Who acts in a programme for young role models.

The programme's staff are the case roles (caseworker, coordinator, leader) of the agency that runs
it: they see its applications, mentors and mentees, assess and decide. Any agency's case roles may
apply for a young person or refer a mentee; the submitter of an application sees its status.
Everyone else does not know an application, a mentor or a mentorship exists."""

from laget.accounts.actor import Actor
from laget.mentors.models import Application, Programme
from laget.records.services import CASE_ROLES


def acts_in_case_role(actor: Actor | None) -> bool:
    return bool(actor and actor.membership is not None and actor.role in CASE_ROLES)


def is_programme_staff(actor: Actor | None, programme: Programme) -> bool:
    return (acts_in_case_role(actor) and actor is not None and actor.membership is not None
            and actor.membership.agency_id == programme.agency_id)


def is_submitter(actor: Actor | None, application: Application) -> bool:
    """The one who sent the application, still acting in a case role of the agency they sent it
    from (a leaver or a role switch to another agency loses sight of it)."""
    return (acts_in_case_role(actor) and actor is not None and actor.membership is not None
            and application.submitted_by_id == actor.user.pk
            and application.submitting_agency_id == actor.membership.agency_id)
