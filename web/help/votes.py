"""'Was this helpful?': the vote and the optional 'what was missing?' note.

Pages (a form) and the API (JSON) both read a vote with ``parse_feedback`` and log it with
``record_feedback``. A vote is a ``vote`` event with value ``yes`` or ``no``; the note is a
second ``vote`` event with value ``missing`` and the text as its comment, so counting votes
never counts a note twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext

from kb.events import MAX_COMMENT_CHARS
from web import visitor
from web.errors import WebError

_ANSWERS = {"yes": True, "no": False, True: True, False: False}


@dataclass(frozen=True)
class Feedback:
    """A vote (``is_helpful``), a note on what was missing, or both."""

    is_helpful: bool | None
    missing: str | None


class FeedbackError(WebError):
    """Raised by ``parse_feedback``; ``fields`` maps each bad field to a message."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(fields.values()))
        self.fields = fields


def parse_feedback(data) -> Feedback:
    """Read ``helpful`` (yes/no or true/false) and ``missing`` (text) from a form or JSON."""
    fields: dict[str, str] = {}
    helpful = data.get("helpful")
    if helpful is not None and (not isinstance(helpful, str | bool) or helpful not in _ANSWERS):
        fields["helpful"] = gettext("Answer yes or no.")
    missing = data.get("missing")
    if missing is not None and not isinstance(missing, str):
        fields["missing"] = gettext("Write the note as text.")
    elif missing is not None and len(missing) > MAX_COMMENT_CHARS:
        fields["missing"] = gettext("Keep the note under %(n)d characters.", n=MAX_COMMENT_CHARS)
    missing = missing.strip() if isinstance(missing, str) else None
    if not fields and helpful is None and not missing:
        fields["helpful"] = gettext("Say whether the article helped, or what was missing.")
    if fields:
        raise FeedbackError(fields)
    return Feedback(is_helpful=_ANSWERS[helpful] if helpful is not None else None,
                    missing=missing or None)


def record_feedback(article, feedback: Feedback) -> None:
    """Log the vote and the note (if any) for ``article``."""
    if feedback.is_helpful is not None:
        visitor.record("vote", locale=article.locale, slug=article.slug,
                       value="yes" if feedback.is_helpful else "no")
    if feedback.missing:
        visitor.record("vote", locale=article.locale, slug=article.slug, value="missing",
                       comment=feedback.missing)
