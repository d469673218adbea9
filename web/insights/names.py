"""The insights' words shown to staff, in the page's language."""

from __future__ import annotations

from flask_babel import lazy_gettext

FUNNEL_NAMES = {
    "visited": lazy_gettext("Visited"),
    "searched": lazy_gettext("Searched"),
    "clicked": lazy_gettext("Clicked a result"),
    "read": lazy_gettext("Read an article"),
    "need_help": lazy_gettext("Pressed “still need help”"),
    "contact": lazy_gettext("Opened the contact form"),
    "suggestion": lazy_gettext("Opened a suggested article"),
    "ticket": lazy_gettext("Submitted a ticket"),
}
SOURCE_NAMES = {
    "search": lazy_gettext("Search"),
    "suggestion": lazy_gettext("Suggestion"),
    "related": lazy_gettext("Related"),
    "direct": lazy_gettext("Direct"),
}
