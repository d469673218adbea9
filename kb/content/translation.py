"""Starting a translation: the other locale's article as a draft with the structure copied.

The new draft keeps the source's front matter and body (for the translator to rewrite), with
its ``locale`` changed, ``related`` slugs and links kept only where the target locale has that
article (a link to a missing one becomes its plain text), so the draft passes the checks.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from kb.content.checks import linkable_slugs
from kb.content.store import Saved, create_draft, find_item, text_of

_LINK = re.compile(r"\[([^\]]*)\]\(([a-z0-9-]+)(#[^)]*)?\)")


def start_translation(session: Session, *, locale: str, slug: str, to_locale: str,
                      author: str) -> Saved:
    """Create ``to_locale/slug`` as a draft copied from ``locale/slug``'s latest revision.

    Raises ``ArticleExists`` when the translation exists, ``ArticleNotFound`` without a
    source."""
    source = text_of(session, find_item(session, locale, slug))
    known = linkable_slugs(session, to_locale) | {slug}
    text = re.sub(r"(?m)^locale:.*$", f"locale: {to_locale}", source, count=1)
    text = _LINK.sub(lambda m: m.group(0) if m.group(2) in known else m.group(1), text)
    text = re.sub(r"(?m)^related:[ \t]*\[([^\]]*)\]", lambda m: "related: [" + ", ".join(
        s.strip() for s in m.group(1).split(",") if s.strip() in known) + "]", text, count=1)
    text = re.sub(r"(?m)^(related:[ \t]*\n)((?:[ \t]*-[ \t]+\S+[ \t]*\n)+)",
                  lambda m: m.group(1) + "".join(
                      line + "\n" for line in m.group(2).splitlines()
                      if line.split("-", 1)[1].strip() in known), text, count=1)
    return create_draft(session, locale=to_locale, slug=slug, markdown=text, author=author,
                        message=f"start the {to_locale} translation of {locale}/{slug}")
