"""Small helpers the desk's views share: the password hasher, attempt limits, re-rendering.

Every form re-renders with what the person typed (never a password) and a message beside the
field at fault.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app, render_template, request

from kb import accounts, ratelimit
from web import services
from web.desk.messages import field_error

LIMIT_SECONDS = 3600


def hashing() -> accounts.PasswordHashing:
    """The app's argon2id hasher (``PASSWORD_HASH_PROFILE``), created once."""
    found = current_app.extensions.get("deflect.passwords")
    if found is None:
        found = accounts.PasswordHashing(current_app.config["PASSWORD_HASH_PROFILE"])
        current_app.extensions["deflect.passwords"] = found
    return found


def count_attempt(kind: str, email: str) -> None:
    """Count one attempt of ``kind`` (sign-in, code, reset, password) for this client address
    and for ``email``, committed at once so a failure still counts; raise
    ``kb.ratelimit.RateLimited`` over the limit. Unknown and known emails count alike."""
    config = current_app.config
    limits = [
        (ratelimit.Limit(f"desk-{kind}-address", int(config["DESK_LIMIT_PER_ADDRESS"]),
                         LIMIT_SECONDS), request.remote_addr or ""),
        (ratelimit.Limit(f"desk-{kind}-email", int(config["DESK_LIMIT_PER_EMAIL"]),
                         LIMIT_SECONDS), email.strip().lower()),
    ]
    with services.database(current_app).session() as db_session:
        ratelimit.enforce(db_session, limits, now=dt.datetime.now(dt.UTC))


def page(template: str, *, status: int = 200, errors: dict[str, str] | None = None,
         **context):
    """Render a desk template; ``errors`` maps field names to ``kb.accounts`` error codes."""
    messages = {name: field_error(code) for name, code in (errors or {}).items()}
    return render_template(f"desk/{template}", errors=messages, **context), status


def error_of(error: accounts.AccountError) -> dict[str, str]:
    """``{field: code}`` for an account error (``form`` when it names no field)."""
    return {error.field or "form": error.code}
