"""Register the editors' desk pages and their navigation link (imported by ``web.desk``)."""

from __future__ import annotations

from flask_babel import lazy_gettext

from web.desk import NAVIGATION, NavLink
from web.desk_articles import (  # noqa: F401  (register views)
    EDITORS,
    editing,
    files,
    history,
    listing,
    panels,
    preview,
)

NAVIGATION.insert(-1, NavLink("desk.articles_list", lazy_gettext("Articles"), EDITORS.roles))
