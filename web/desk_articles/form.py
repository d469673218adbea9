"""The editing form and the Markdown it stands for: fields in, an article's text out, and back.

The editor never types YAML: ``compose`` writes the front matter from the form's fields in the
order and style of the sample articles (``questions`` one per line, ``keywords`` and ``related``
as flow lists), so a lint problem's line can be named by its field (``field_at``). Fields the
form does not show (``updated``) are carried over from the revision the editor started from.
A ``review_by`` that is not a date is written as text, so the loader's lint names its line
instead of YAML failing on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import yaml

FIELDS = ("title", "slug", "category", "questions", "keywords", "related", "promoted",
          "status", "review_by", "body")
"""The form's fields (the locale is the article's, from its URL)."""
ORDER = ("title", "slug", "locale", "category", "questions", "keywords", "status", "promoted",
         "related", "updated", "review_by")


@dataclass
class Typed:
    """What the editor typed (or what a stored revision holds), as the form shows it."""

    title: str = ""
    slug: str = ""
    category: str = ""
    questions: str = ""
    keywords: str = ""
    related: str = ""
    promoted: bool = False
    status: str = "published"
    review_by: str = ""
    body: str = ""
    carried: dict = field(default_factory=dict)
    """Front matter fields the form does not show, kept as they were."""

    @classmethod
    def from_form(cls, form, *, carried: dict | None = None) -> Typed:
        """The fields of a posted form (a ``MultiDict`` or a plain dict)."""
        text = {name: str(form.get(name, "") or "") for name in FIELDS if name != "promoted"}
        text["body"] = text["body"].replace("\r\n", "\n")
        text["questions"] = text["questions"].replace("\r\n", "\n")
        return cls(**text, promoted=str(form.get("promoted", "")) in ("1", "on", "true"),
                   carried=dict(carried or {}))


def compose(typed: Typed, *, locale: str) -> str:
    """The article's Markdown with its front matter, written from the form's fields."""
    values: dict[str, object] = {
        "title": typed.title.strip(), "slug": typed.slug.strip(), "locale": locale,
        "category": typed.category.strip(),
        "questions": [q.strip() for q in typed.questions.split("\n") if q.strip()],
        "keywords": _items(typed.keywords), "status": typed.status.strip() or "published",
        "promoted": typed.promoted, "related": _items(typed.related),
    }
    for name, value in typed.carried.items():
        values.setdefault(name, value)
    review_by = typed.review_by.strip()
    if review_by:
        values["review_by"] = _date_or_text(review_by)
    lines = ["---"]
    for name in [n for n in ORDER if n in values] + [n for n in values if n not in ORDER]:
        value = values[name]
        if name == "questions":
            lines.append("questions:" + ("" if value else " []"))
            lines += [f"  - {_scalar(q)}" for q in value]  # type: ignore[union-attr]
        elif isinstance(value, list):
            lines.append(f"{name}: " + _flow(value))
        else:
            lines.append(f"{name}: {_scalar(value)}")
    body = typed.body if typed.body.endswith("\n") or not typed.body else typed.body + "\n"
    return "\n".join(lines) + "\n---\n" + body


def decompose(markdown: str) -> Typed:
    """The form's fields of a stored revision (which passed the checks when it was saved)."""
    front, body = split(markdown)
    data = yaml.safe_load(front) if front else {}
    data = data if isinstance(data, dict) else {}
    review_by = data.get("review_by")

    def listed(name: str, joiner: str) -> str:
        value = data.get(name) or []
        return joiner.join(str(v) for v in value) if isinstance(value, list) else str(value)

    shown = {"title", "slug", "locale", "category", "questions", "keywords", "related",
             "promoted", "status", "review_by"}
    return Typed(title=str(data.get("title") or ""), slug=str(data.get("slug") or ""),
                 category=str(data.get("category") or ""), questions=listed("questions", "\n"),
                 keywords=listed("keywords", ", "), related=listed("related", ", "),
                 promoted=data.get("promoted") is True,
                 status=str(data.get("status") or "published"),
                 review_by=review_by.isoformat() if isinstance(review_by, dt.date)
                 else str(review_by or ""),
                 body=body, carried={k: v for k, v in data.items() if k not in shown})


def split(markdown: str) -> tuple[str, str]:
    """(front matter, body) of an article's text; ("", text) when it has none."""
    lines = markdown.splitlines(keepends=True)
    if lines and lines[0].strip() == "---":
        for index, line in enumerate(lines[1:], start=1):
            if line.strip() == "---":
                return "".join(lines[1:index]), "".join(lines[index + 1:])
    return "", markdown


def field_at(markdown: str, line: int | None) -> str | None:
    """The form field a problem at ``line`` of the composed text belongs to (``body`` below
    the front matter); ``None`` when the line is unknown."""
    if not line:
        return None
    lines = markdown.splitlines()
    end = next((i for i, text in enumerate(lines[1:], start=2) if text.strip() == "---"), 0)
    if line > end:
        return "body"
    for number in range(min(line, len(lines)), 1, -1):
        text = lines[number - 1]
        if text and not text.startswith((" ", "-")) and ":" in text:
            name = text.split(":", 1)[0].strip()
            return name if name in FIELDS else None
    return None


def body_line(markdown: str, line: int) -> int:
    """The line of the body textarea that line ``line`` of the composed text is."""
    lines = markdown.splitlines()
    end = next((i for i, text in enumerate(lines[1:], start=2) if text.strip() == "---"), 0)
    return line - end


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.replace("\n", ",").split(",") if item.strip()]


def _date_or_text(text: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text


def _scalar(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def _flow(values: list) -> str:
    return yaml.safe_dump(values, allow_unicode=True, default_flow_style=True,
                          width=10**6).strip()
