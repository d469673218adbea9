"""The support channels shown on the contact page, and whether support is open now.

``SUPPORT_HOURS`` reads like ``Mon-Fri 09:00-18:00`` in Korea time (Asia/Seoul); a value in
another shape is shown as written, without an open/closed badge.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(r"^\s*(\w{3})\s*-\s*(\w{3})\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class Channels:
    """What the contact page lists: each may be empty (then it is not shown)."""

    phone: str
    email: str
    messenger_url: str
    hours: str
    is_open: bool | None


def is_open_at(hours: str, when: dt.datetime) -> bool | None:
    """Whether ``hours`` (``Mon-Fri 09:00-18:00``, Korea time) includes ``when``.

    ``None`` when ``hours`` is not in that shape.
    """
    match = _HOURS.match(hours or "")
    if not match or match[1].lower() not in DAYS or match[2].lower() not in DAYS:
        return None
    first, last = DAYS.index(match[1].lower()), DAYS.index(match[2].lower())
    local = when.astimezone(SEOUL)
    day = local.weekday()
    is_day = first <= day <= last if first <= last else (day >= first or day <= last)
    start = dt.time(int(match[3]), int(match[4]))
    end = dt.time(int(match[5]), int(match[6]))
    return is_day and start <= local.time() < end


def support_channels(config, now: dt.datetime | None = None) -> Channels:
    """The channels from the app's config (``SUPPORT_*``)."""
    hours = config.get("SUPPORT_HOURS") or ""
    messenger = config.get("SUPPORT_MESSENGER_URL") or ""
    if not messenger.startswith(("https://", "http://")):
        messenger = ""  # never a javascript: or relative link from configuration
    return Channels(phone=config.get("SUPPORT_PHONE") or "",
                    email=config.get("SUPPORT_EMAIL") or "", messenger_url=messenger,
                    hours=hours, is_open=is_open_at(hours, now or dt.datetime.now(dt.UTC)))
