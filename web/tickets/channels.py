"""The support channels shown on the contact page, and whether support is open now.

``SUPPORT_HOURS`` reads like ``Mon-Fri 09:00-18:00`` in Korea time (Asia/Seoul), and the page
words it in its own language (``평일 09:00–18:00``, ``Mon–Fri 09:00–18:00``); a value in another
shape is shown as written, without an open/closed badge.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import get_day_names
from flask_babel import force_locale, lazy_gettext

SEOUL = ZoneInfo("Asia/Seoul")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(r"^\s*(\w{3})\s*-\s*(\w{3})\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
DAY_RANGE_NAMES = {
    ("mon", "fri"): lazy_gettext("Mon–Fri"),
    ("sat", "sun"): lazy_gettext("Sat–Sun"),
    ("mon", "sun"): lazy_gettext("Mon–Sun"),
}
"""Ranges a language may name in a word (Korean: 평일, 주말, 매일); others list two days."""


@dataclass(frozen=True)
class Hours:
    """Support hours parsed from ``SUPPORT_HOURS``: days (``DAYS`` indexes) and clock times."""

    first_day: int
    last_day: int
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class Channels:
    """What the contact page lists: each may be empty (then it is not shown)."""

    phone: str
    email: str
    messenger_url: str
    hours: str
    is_open: bool | None
    hours_text: str = ""
    """``hours`` in the page's language (``hours`` itself when it is not in the known shape)."""


def parse_hours(hours: str) -> Hours | None:
    """``Mon-Fri 09:00-18:00`` → ``Hours(0, 4, 09:00, 18:00)``; ``None`` for any other shape."""
    match = _HOURS.match(hours or "")
    if not match or match[1].lower() not in DAYS or match[2].lower() not in DAYS:
        return None
    try:
        start = dt.time(int(match[3]), int(match[4]))
        end = dt.time(int(match[5]), int(match[6]))
    except ValueError:  # 25:00 or 09:75
        return None
    return Hours(DAYS.index(match[1].lower()), DAYS.index(match[2].lower()), start, end)


def is_open_at(hours: str, when: dt.datetime) -> bool | None:
    """Whether ``hours`` (``Mon-Fri 09:00-18:00``, Korea time) includes ``when``.

    ``None`` when ``hours`` is not in that shape.
    """
    parsed = parse_hours(hours)
    if parsed is None:
        return None
    first, last = parsed.first_day, parsed.last_day
    local = when.astimezone(SEOUL)
    day = local.weekday()
    is_day = first <= day <= last if first <= last else (day >= first or day <= last)
    return is_day and parsed.start <= local.time() < parsed.end


def describe_hours(hours: str, locale: str) -> str:
    """``hours`` worded in ``locale``: ``Mon-Fri 09:00-18:00`` → ``평일 09:00–18:00`` (ko),
    ``Mon–Fri 09:00–18:00`` (en); ``Mon-Sat`` → ``월–토``. Other shapes come back unchanged.

    Needs an app context (the named ranges come from the translation catalogue).
    """
    parsed = parse_hours(hours)
    if parsed is None:
        return hours
    first, last = DAYS[parsed.first_day], DAYS[parsed.last_day]
    names = get_day_names("abbreviated", locale=locale)
    with force_locale(locale):
        if (first, last) in DAY_RANGE_NAMES:
            days = str(DAY_RANGE_NAMES[first, last])
        elif first == last:
            days = names[parsed.first_day]
        else:
            days = f"{names[parsed.first_day]}–{names[parsed.last_day]}"
    return f"{days} {parsed.start:%H:%M}–{parsed.end:%H:%M}"


def support_channels(config, *, locale: str, now: dt.datetime | None = None) -> Channels:
    """The channels from the app's config (``SUPPORT_*``), worded for a page in ``locale``."""
    hours = config.get("SUPPORT_HOURS") or ""
    messenger = config.get("SUPPORT_MESSENGER_URL") or ""
    if not messenger.startswith(("https://", "http://")):
        messenger = ""  # never a javascript: or relative link from configuration
    return Channels(phone=config.get("SUPPORT_PHONE") or "",
                    email=config.get("SUPPORT_EMAIL") or "", messenger_url=messenger,
                    hours=hours, is_open=is_open_at(hours, now or dt.datetime.now(dt.UTC)),
                    hours_text=describe_hours(hours, locale) if hours else "")
