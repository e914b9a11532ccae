"""Who is acting: a user in one of their roles (memberships). Audit events and access checks take
an Actor, so the agency and role on record are the ones the user was acting in."""

from dataclasses import dataclass

from laget.accounts.models import Agency, Membership, User


@dataclass(frozen=True)
class Actor:
    user: User
    membership: Membership | None = None

    @property
    def agency(self) -> Agency | None:
        return self.membership.agency if self.membership else None

    @property
    def role(self) -> str:
        return self.membership.role if self.membership else ""
