"""Adding a customer's phrasing to an article's ``questions`` (an accepted learned phrasing).

The new question is written into the front matter as one more list item, leaving every other
line as the editor wrote it, and stored as a new revision by ``save_draft``. When the article
has no unpublished draft the new revision is published at once (the editor's click is the
review); when a draft is pending, the question joins the draft and waits for its publishing,
so nobody's unpublished work is overtaken.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from kb.articles import Problem
from kb.content.store import Saved, find_item, publish, save_draft, text_of
from kb.errors import InvalidArticle

_FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.S)
_BLOCK = re.compile(r"(?m)^questions:[ \t]*\n((?:[ \t]+-[^\n]*\n)*)")
_FLOW = re.compile(r"(?m)^questions:[ \t]*\[([^\]\n]*)\][ \t]*$")


@dataclass(frozen=True)
class QuestionAdded:
    """What ``add_question`` did: the save, and whether the revision is already served."""

    saved: Saved
    is_published: bool


def with_question(markdown: str, question: str, *, where: str = "article") -> str:
    """``markdown`` with ``question`` appended to its front matter's ``questions``.

    The question is written as a JSON string, which YAML reads back unchanged whatever it
    holds (quotes, colons, ``#``). Raises ``InvalidArticle`` without front matter (``where``
    names the article in the problem)."""
    front = _FRONT.match(markdown)
    if front is None:
        raise InvalidArticle([Problem("error", Path(where), 1,
                                      "no front matter to add a question to")])
    quoted = json.dumps(question.strip(), ensure_ascii=False)
    head = front.group(1)
    if block := _BLOCK.search(head):
        indent = re.match(r"[ \t]+", block.group(1)).group(0) if block.group(1) else "  "
        head = head[:block.end()] + f"{indent}- {quoted}\n" + head[block.end():]
    elif flow := _FLOW.search(head):
        items = flow.group(1).strip()
        head = (head[:flow.start()] + f"questions: [{items + ', ' if items else ''}{quoted}]"
                + head[flow.end():])
    else:
        head += f"questions:\n  - {quoted}\n"
    return f"---\n{head}---\n" + markdown[front.end():]


def add_question(session: Session, *, locale: str, slug: str, question: str,
                 author: str) -> QuestionAdded:
    """Store ``locale/slug`` again with ``question`` among its questions (see the module).

    Raises ``ArticleNotFound``, or ``InvalidArticle`` when the text would not pass the checks.
    """
    item = find_item(session, locale, slug)
    has_pending_draft = item.published is None or item.latest != item.published
    saved = save_draft(session, locale=locale, slug=slug,
                       markdown=with_question(text_of(session, item), question,
                                              where=f"{locale}/{slug}"),
                       base_revision=item.latest, author=author,
                       message=f"add the customers' question {question.strip()!r}")
    if has_pending_draft:
        return QuestionAdded(saved, is_published=False)
    return QuestionAdded(publish(session, locale=locale, slug=slug, revision=saved.revision),
                         is_published=True)
