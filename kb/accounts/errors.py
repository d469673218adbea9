"""The errors ``kb.accounts`` raises: ``AccountError`` and its subclasses.

Each carries a short ``code`` (the web shell words the message in the page's language, keyed by
it) and an English message for the CLI and logs.
"""

from __future__ import annotations

from kb.errors import KBError


class AccountError(KBError):
    """Base class of every error ``kb.accounts`` raises; ``field`` names the input at fault."""

    code = "invalid"
    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        if field is not None:
            self.field = field


class InvalidInput(AccountError):
    """Raised for a malformed email, name, role or a password that breaks the policy."""

    def __init__(self, code: str, message: str, *, field: str) -> None:
        super().__init__(message, field=field)
        self.code = code


class EmailTaken(AccountError):
    """Raised by ``add_person`` when another person already has the email."""

    code = "email_taken"
    field = "email"


class LastAdmin(AccountError):
    """Raised when a change would leave no active admin (nobody could manage people then)."""

    code = "last_admin"
    field = "roles"


class InvalidCode(AccountError):
    """Raised by ``enable_totp`` when the one-time code does not match the new secret."""

    code = "invalid_code"
    field = "code"
