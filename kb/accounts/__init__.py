"""Staff accounts: people with roles, argon2id passwords, one-time links, API tokens, TOTP.

The web shell (``web.desk``) signs people in and checks policies; this package holds the rules
and the rows. Functions take a SQLAlchemy ``Session`` and never commit: the caller's
transaction decides.
"""

from kb.accounts.credentials import (
    LINK_LIFETIMES,
    find_link,
    find_token_owner,
    issue_api_token,
    issue_link,
    list_api_tokens,
    revoke_api_token,
    use_link,
)
from kb.accounts.errors import (
    AccountError,
    EmailTaken,
    InvalidCode,
    InvalidInput,
    LastAdmin,
)
from kb.accounts.models import ROLES, AccountLink, ApiToken, Person, PersonRole
from kb.accounts.passwords import PasswordHashing, check_password
from kb.accounts.people import (
    add_person,
    authenticate,
    check_name,
    check_roles,
    end_sessions,
    find_person,
    get_person,
    list_people,
    normalize_email,
    set_disabled,
    set_password,
    set_roles,
    set_totp_required,
)
from kb.accounts.totp import (
    check_totp,
    code_for,
    disable_totp,
    enable_totp,
    new_secret,
    provisioning_uri,
    start_totp,
)

__all__ = [
    "LINK_LIFETIMES",
    "ROLES",
    "AccountError",
    "AccountLink",
    "ApiToken",
    "EmailTaken",
    "InvalidCode",
    "InvalidInput",
    "LastAdmin",
    "PasswordHashing",
    "Person",
    "PersonRole",
    "add_person",
    "authenticate",
    "check_name",
    "check_password",
    "check_roles",
    "check_totp",
    "code_for",
    "disable_totp",
    "enable_totp",
    "end_sessions",
    "find_link",
    "find_person",
    "find_token_owner",
    "get_person",
    "issue_api_token",
    "issue_link",
    "list_api_tokens",
    "list_people",
    "new_secret",
    "normalize_email",
    "provisioning_uri",
    "revoke_api_token",
    "set_disabled",
    "set_password",
    "set_roles",
    "set_totp_required",
    "start_totp",
    "use_link",
]
