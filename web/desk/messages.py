"""What the desk says for each ``kb.accounts`` error code, in the page's language."""

from __future__ import annotations

from flask_babel import lazy_gettext

ROLE_NAMES = {
    "agent": lazy_gettext("Agent"),
    "editor": lazy_gettext("Editor"),
    "admin": lazy_gettext("Admin"),
}

FIELD_ERRORS = {
    "email_required": lazy_gettext("Enter an email address."),
    "email_invalid": lazy_gettext("Enter an email address such as name@example.com."),
    "email_taken": lazy_gettext("Someone already has an account with this email address."),
    "name_long": lazy_gettext("A name can be at most 100 characters long."),
    "role_unknown": lazy_gettext("Choose roles from the list."),
    "roles_required": lazy_gettext("Choose at least one role."),
    "password_required": lazy_gettext("Enter the password."),
    "password_short": lazy_gettext("Use at least 12 characters."),
    "password_long": lazy_gettext("Use at most 256 characters."),
    "password_email": lazy_gettext("Don't use your email address as the password."),
    "password_mismatch": lazy_gettext("The two passwords differ: type the same one twice."),
    "current_password": lazy_gettext("That is not your current password."),
    "sign_in_failed": lazy_gettext("The email address or password is not right."),
    "rate_limited": lazy_gettext("Too many attempts. Wait a few minutes, then try again."),
    "code_required": lazy_gettext("Enter the 6-digit code from your authenticator app."),
    "invalid_code": lazy_gettext(
        "That code didn't work. Check the time on your phone and enter the newest code."),
    "last_admin": lazy_gettext(
        "That would leave no active admin. Make someone else an admin first."),
    "totp_is_required": lazy_gettext(
        "An admin requires two-factor sign-in for your account, so it can't be turned off."),
    "label_required": lazy_gettext(
        "Name the token, for example after the script that will use it."),
    "label_long": lazy_gettext("A token name can be at most 80 characters long."),
}


def field_error(code: str) -> str:
    """The message for ``code`` (an unknown code gets a general one, never the raw code)."""
    return str(FIELD_ERRORS.get(code, lazy_gettext("Check this field.")))
