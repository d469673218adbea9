"""What a customer sends to open a ticket, checked field by field before anything is stored.

``parse_submission`` collects every problem at once (a form shows a message beside each field)
and raises ``InvalidSubmission`` with a code per field; ``describe`` turns the codes into
sentences in the customer's language. Single-line fields (subject, name, phone) have CR, LF and
other control characters folded into spaces rather than refused: a browser never sends them, so
they come from a script, and folding keeps every word the customer typed.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from kb.articles import LOCALES
from kb.errors import InvalidSubmission
from kb.mail import mail_address

CATEGORIES = ("account", "payment", "refund", "subscription", "playback", "complaint", "other")
ARTICLE_CATEGORIES = {"account": "account", "payment": "payment", "refund": "refund",
                      "subscription": "subscription", "playback": "playback", "support": "other"}
"""The ticket category preselected for a help-center category (``articles/categories.yml``)."""
MAX_SUBJECT = 200
MAX_DESCRIPTION = 20_000
MAX_NAME = 100
MAX_PHONE = 40
MAX_EMAIL = 254
FIELDS = ("category", "subject", "description", "email", "name", "phone", "consent", "locale")

_EMAIL = re.compile(r"^[^@\s<>()\[\]\\,;:\"]+@[^@\s<>()\[\]\\,;:\"]+\.[^@\s<>()\[\]\\,;:\".]{2,}$")
EMAIL_PATTERN = _EMAIL.pattern
"""The email check as a regular expression (the API's OpenAPI document publishes it)."""
_PHONE = re.compile(r"^[0-9+()\-. ]*$")
_TRUE = ("1", "true", "on", "yes", True)

MESSAGES: dict[str, dict[str, str]] = {
    "required": {"en": "Please fill in this field.", "ko": "이 항목을 입력해 주세요."},
    "email": {"en": "Enter an email address like name@example.com.",
              "ko": "name@example.com 같은 이메일 주소를 입력해 주세요."},
    "too_long": {"en": "This is too long: at most {limit:,} characters.",
                 "ko": "너무 깁니다. {limit:,}자 이내로 입력해 주세요."},
    "category": {"en": "Choose one of the listed categories.",
                 "ko": "목록에 있는 문의 유형 중 하나를 선택해 주세요."},
    "phone": {"en": "Use digits, spaces and + ( ) - only.",
              "ko": "숫자, 공백, + ( ) - 만 사용할 수 있습니다."},
    "consent": {"en": "We need your consent to use these details to answer you.",
                "ko": "답변을 위해 개인정보 수집·이용에 동의해 주세요."},
    "locale": {"en": "Choose ko or en.", "ko": "ko 또는 en 중에서 선택해 주세요."},
}
LIMITS = {"subject": MAX_SUBJECT, "description": MAX_DESCRIPTION, "name": MAX_NAME,
          "phone": MAX_PHONE, "email": MAX_EMAIL}


@dataclass(frozen=True)
class Submission:
    """A checked request for help, ready to become a ticket."""

    category: str
    subject: str
    description: str
    email: str
    name: str
    phone: str
    locale: str

    def fingerprint(self, extra: tuple[str, ...] = ()) -> str:
        """A digest of the content: the same idempotency key must come with the same request."""
        data = json.dumps([asdict(self), list(extra)], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


def describe(code: str, locale: str, field: str | None = None) -> str:
    """The sentence for an error ``code`` in ``locale`` (English when the locale is unknown)."""
    text = MESSAGES[code].get(locale, MESSAGES[code]["en"])
    return text.format(limit=LIMITS.get(field or "", 0))


def parse_submission(data: Mapping[str, Any], *, locale: str | None = None) -> Submission:
    """Check a form or JSON body and return the cleaned ``Submission``.

    ``locale`` (the page's) wins over ``data["locale"]``. Raises ``InvalidSubmission`` naming
    every bad field; texts are NFC-normalized and NUL characters are dropped.
    """
    errors: dict[str, str] = {}
    value = {name: clean_text(data.get(name)) for name in FIELDS if name != "consent"}
    for name in ("subject", "name", "phone"):
        value[name] = fold_line(value[name])
    value["email"] = value["email"].strip()
    value["description"] = value["description"].strip("\n\r ")
    for name in ("subject", "description", "email"):
        if not value[name].strip():
            errors[name] = "required"
    for name, limit in LIMITS.items():
        if name not in errors and len(value[name]) > limit:
            errors[name] = "too_long"
    if "email" not in errors and not _is_mailable(value["email"]):
        errors["email"] = "email"
    if "phone" not in errors and not _PHONE.match(value["phone"]):
        errors["phone"] = "phone"
    if value["category"] not in CATEGORIES:
        errors["category"] = "category" if value["category"] else "required"
    chosen = locale or value["locale"] or "en"
    if chosen not in LOCALES:
        errors["locale"] = "locale"
    if data.get("consent") not in _TRUE:
        errors["consent"] = "consent"
    if errors:
        raise InvalidSubmission(errors)
    return Submission(category=value["category"], subject=value["subject"].strip(),
                      description=value["description"], email=value["email"],
                      name=value["name"].strip(), phone=value["phone"].strip(), locale=chosen)


def _is_mailable(email: str) -> bool:
    """Whether ``email`` looks like an address and its domain can be written in IDNA (so the
    ticket's mail can be sent: checked here, before the ticket is stored)."""
    if not _EMAIL.match(email):
        return False
    try:
        mail_address(email)
    except ValueError:
        return False
    return True


def clean_text(value: Any) -> str:
    """A string in NFC without NUL characters; anything that is not a string becomes ``""``."""
    if not isinstance(value, str):
        return ""
    return unicodedata.normalize("NFC", value.replace("\x00", ""))


def fold_line(value: str) -> str:
    """Replace CR, LF, tabs and other control characters with spaces: ``"a\\nb"`` → ``"a b"``."""
    folded = "".join(" " if unicodedata.category(c) == "Cc" else c for c in value)
    return re.sub(r" {2,}", " ", folded)
