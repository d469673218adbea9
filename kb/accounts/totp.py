"""The optional second factor: time-based one-time codes (TOTP, RFC 6238, via ``pyotp``).

A code is accepted for the current 30-second step and one step either side (clock drift), and
each step only once: the last accepted step is stored, so a code seen over a shoulder cannot be
replayed within its minute.
"""

from __future__ import annotations

import datetime as dt
import hmac

import pyotp
from sqlalchemy.orm import Session

from kb.accounts.errors import InvalidCode
from kb.accounts.models import Person, utcnow

ISSUER = "Deflect"
DRIFT_STEPS = 1


def new_secret() -> str:
    """A fresh random base32 TOTP secret (160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, email: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def code_for(secret: str, moment: dt.datetime) -> str:
    """The code for ``secret`` at ``moment`` (naive UTC), as an authenticator app shows it."""
    return pyotp.TOTP(secret).at(moment.replace(tzinfo=dt.UTC))


def _matching_step(secret: str, code: str, moment: dt.datetime) -> int | None:
    totp = pyotp.TOTP(secret)
    code = "".join(code.split())
    current = totp.timecode(moment.replace(tzinfo=dt.UTC))
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def start_totp(session: Session, person: Person) -> str:
    """Give ``person`` a new pending secret to scan (kept on the row, never in the cookie)."""
    person.totp_pending = new_secret()
    return person.totp_pending


def enable_totp(session: Session, person: Person, code: str, *,
                now: dt.datetime | None = None) -> None:
    """Turn the second factor on with the pending secret once ``code`` proves the app has it;
    raise ``InvalidCode`` otherwise."""
    step = (_matching_step(person.totp_pending, code, now or utcnow())
            if person.totp_pending else None)
    if step is None:
        raise InvalidCode("the code does not match: check the time on the phone and try again")
    person.totp_secret, person.totp_pending = person.totp_pending, None
    person.totp_last_step = step


def check_totp(session: Session, person: Person, code: str, *,
               now: dt.datetime | None = None) -> bool:
    """Tell whether ``code`` is a fresh valid code of ``person`` (and use up its step)."""
    if person.totp_secret is None:
        return False
    step = _matching_step(person.totp_secret, code, now or utcnow())
    if step is None or (person.totp_last_step is not None and step <= person.totp_last_step):
        return False
    person.totp_last_step = step
    return True


def disable_totp(session: Session, person: Person) -> None:
    """Turn the second factor off (the web shell refuses this when it is required)."""
    person.totp_secret = person.totp_pending = None
    person.totp_last_step = None
