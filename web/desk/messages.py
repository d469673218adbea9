"""What the desk says for each ``kb.accounts`` error code, in the page's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ROLE_NAMES = {"agent": _l("Agent"), "editor": _l("Editor"), "admin": _l("Admin")}

FIELD_ERRORS = {
    "email_required": _l("Enter an email address."),
    "email_invalid": _l("Enter an email address such as name@example.com."),
    "email_taken": _l("Someone already has an account with this email address."),
    "name_long": _l("A name can be at most 100 characters long."),
    "role_unknown": _l("Choose roles from the list."),
    "roles_required": _l("Choose at least one role."),
    "password_required": _l("Enter the password."),
    "password_short": _l("Use at least 12 characters."),
    "password_long": _l("Use at most 256 characters."),
    "password_email": _l("Don't use your email address as the password."),
    "password_mismatch": _l("The two passwords differ: type the same one twice."),
    "current_password": _l("That is not your current password."),
    "sign_in_failed": _l("The email address or password is not right."),
    "rate_limited": _l("Too many attempts. Wait a few minutes, then try again."),
    "code_required": _l("Enter the 6-digit code from your authenticator app."),
    "invalid_code": _l("That code didn't work. Check the time on your phone and enter the "
                       "newest code."),
    "last_admin": _l("That would leave no active admin. Make someone else an admin first."),
    "totp_is_required": _l("An admin requires two-factor sign-in for your account, so it "
                           "can't be turned off."),
    "label_required": _l("Name the token, for example after the script that will use it."),
    "label_long": _l("A token name can be at most 80 characters long."),
}


def field_error(code: str) -> str:
    """The message for ``code`` (an unknown code gets a general one, never the raw code)."""
    return str(FIELD_ERRORS.get(code, _l("Check this field.")))
