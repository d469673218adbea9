"""Password hashing with argon2id (``argon2-cffi``) and the password policy.

Production uses argon2-cffi's own defaults (``argon2.profiles.RFC_9106_LOW_MEMORY``, which is
what ``PasswordHasher()`` uses); tests choose ``CHEAPEST`` through the ``PASSWORD_HASH_PROFILE``
setting. ``verify_nothing`` spends the same time as a real check, so that signing in with an
unknown email takes as long as with a wrong password (no enumeration by timing).
"""

from __future__ import annotations

import secrets

import argon2
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kb.accounts.errors import InvalidInput

DEFAULT_PROFILE = "RFC_9106_LOW_MEMORY"
PROFILES = ("RFC_9106_LOW_MEMORY", "RFC_9106_HIGH_MEMORY", "CHEAPEST")
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 256
"""Longer inputs are refused before hashing: an argon2 hash of megabytes is a cheap DoS."""


class PasswordHashing:
    """Hash and verify passwords with one argon2id parameter profile."""

    def __init__(self, profile: str = DEFAULT_PROFILE) -> None:
        if profile not in PROFILES:
            raise ValueError(f"PASSWORD_HASH_PROFILE must be one of {', '.join(PROFILES)}, "
                             f"not {profile!r}")
        self.parameters: argon2.Parameters = getattr(argon2.profiles, profile)
        self._hasher = PasswordHasher.from_parameters(self.parameters)
        self._dummy: str | None = None

    def hash(self, password: str) -> str:
        """Return the argon2id hash of ``password`` (policy already checked by the caller)."""
        return self._hasher.hash(password)

    def verify(self, stored: str, password: str) -> bool:
        """Tell whether ``password`` matches ``stored``; a malformed hash never matches."""
        try:
            return self._hasher.verify(stored, password[:MAX_PASSWORD_CHARS + 1])
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def verify_nothing(self, password: str) -> None:
        """Spend the time of a real check against a hash nobody's password matches."""
        if self._dummy is None:
            self._dummy = self._hasher.hash(secrets.token_urlsafe(24))
        self.verify(self._dummy, password)

    def needs_rehash(self, stored: str) -> bool:
        """Tell whether ``stored`` was made with other parameters (then hash again on sign-in)."""
        try:
            return self._hasher.check_needs_rehash(stored)
        except InvalidHashError:
            return True


def check_password(password: str, *, email: str = "") -> str:
    """Return ``password`` if it meets the policy, else raise ``InvalidInput`` on ``password``.

    The policy is length only (ASVS 6.2: at least 12 characters, any characters, no
    composition rules), and not the email itself.
    """
    if len(password) < MIN_PASSWORD_CHARS:
        raise InvalidInput("password_short", f"a password needs at least {MIN_PASSWORD_CHARS} "
                           "characters", field="password")
    if len(password) > MAX_PASSWORD_CHARS:
        raise InvalidInput("password_long", f"a password may have at most {MAX_PASSWORD_CHARS} "
                           "characters", field="password")
    if email and password.strip().lower() == email.strip().lower():
        raise InvalidInput("password_email", "a password must not be the email address",
                           field="password")
    return password
