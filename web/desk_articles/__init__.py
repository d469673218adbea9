"""The editors' side of content on the desk: the list (``/desk/articles``), the editing page
(``/desk/articles/<locale>/<slug>``, endpoint ``desk.articles_edit``, which other code links
to), a new article, the history, the side panels the editing page asks for while the editor
types, and the editor's site files. Registered on the desk blueprint so they share its sign-in,
layout, language choice and ``no-store`` answers.

Every view is for editors (``EDITORS``); the module ``views`` registers them (imported by
``web.desk``), after the desk blueprint exists. Each view calls one ``kb.content`` function;
the form is turned into Markdown with its front matter by ``form``.
"""

from __future__ import annotations

from web.policies import roles

EDITORS = roles("editor", "admin")
"""Who may write, publish and restore articles."""
