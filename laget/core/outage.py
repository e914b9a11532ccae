"""When the database cannot be reached (restarted, failed over, out of connections): the request
is answered 503 with Retry-After instead of a 500, and the next request connects afresh
(`CONN_HEALTH_CHECKS` in settings). Each write is one transaction, so a request cut off by the
outage has written nothing."""

import psycopg
from django.db.utils import InterfaceError, OperationalError

#: seconds a client is asked to wait before trying again
RETRY_AFTER_SECONDS = 10

# Django's wrappers, and the driver's own classes for an error that reached us unwrapped.
_UNAVAILABLE = (OperationalError, InterfaceError, psycopg.OperationalError,
                psycopg.InterfaceError)


def database_unavailable(exception: BaseException | None) -> bool:
    """Whether the exception (or what Django wrapped in it) says the database was unreachable or
    broke off the connection, rather than refusing a query (an IntegrityError, a ProgrammingError
    stay errors of ours)."""
    seen = 0
    while exception is not None and seen < 5:
        if isinstance(exception, _UNAVAILABLE):
            return True
        exception, seen = exception.__cause__, seen + 1
    return False
