"""Every UI string in web/ (pages, ticket pages, mails, the desk) has a Korean translation."""

from __future__ import annotations

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from web.i18n import SOURCE_DIR


def _extracted() -> list[tuple[str, str | tuple]]:
    """(file, msgid) of every UI string in web/: code and templates, ticket pages included."""
    found = extract_from_dir(str(SOURCE_DIR.parent), method_map=[
        ("**.py", "python"), ("templates/**.html", "jinja2"),
        ("desk/templates/**.html", "jinja2")],
        keywords={**DEFAULT_KEYWORDS, "lazy_gettext": None, "lazy_ngettext": (1, 2)})
    return [(file, message) for file, _line, message, _comments, _context in found]


def _used_messages() -> set:
    return {message for _file, message in _extracted()}


def test_the_translation_check_reads_the_ticket_pages_and_mails():
    files = {file for file, _message in _extracted()}
    assert {"templates/tickets/contact.html", "templates/tickets/review.html",
            "templates/tickets/status.html", "templates/tickets/_channels.html",
            "tickets/names.py", "tickets/pages.py", "tickets/mails.py",
            "desk/templates/desk/login.html", "desk/messages.py", "desk/mails.py"} <= files


def test_every_ui_string_has_a_korean_translation():
    with (SOURCE_DIR / "ko" / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalogue = read_po(file)
    translated = {m.id for m in catalogue if m.id and all(m.string if isinstance(m.string, tuple)
                                                            else [m.string])}
    missing = {m if isinstance(m, str) else m[0] for m in _used_messages() - translated}
    assert not missing, "translate these in web/translations/ko (see the .po header)"
