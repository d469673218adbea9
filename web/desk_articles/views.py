"""Register the editors' desk pages and their navigation link (imported by ``web.desk``)."""

from __future__ import annotations

from flask_babel import lazy_gettext

from web.desk import NAVIGATION, NavLink
from web.desk_articles import (  # noqa: F401  (register views)
    EDITORS,
    editing,
    files,
    history,
    images,
    listing,
    panels,
    preview,
)
from web.desk_tickets import views as _tickets  # noqa: F401  (its link comes first)

_AFTER = next(i for i, link in enumerate(NAVIGATION)
              if link.endpoint == "desk.tickets_queue") + 1
NAVIGATION.insert(_AFTER, NavLink("desk.articles_list", lazy_gettext("Articles"), EDITORS.roles))
