"""Errors that services raise for the caller to show as a clear message (form error, 4xx, or a
command's exit code 2)."""


class DomainError(Exception):
    """A request that the rules refuse; the message is safe to show to the user."""

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class NotFound(DomainError):
    """The object does not exist *for this user*: never confirms existence to those without
    access."""

    def __init__(self, message: str = "Not found", *, code: str = "not_found") -> None:
        super().__init__(message, code=code)
