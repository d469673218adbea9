"""The window a report covers: whole UTC days, compared with the same number of days before.

A window is given as a number of days ending today (``PRESET_DAYS``) or as two dates. It may
not be reversed, end after today, or be longer than the event retention.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kb.errors import InvalidWindow

PRESET_DAYS = (7, 30, 90)
DEFAULT_DAYS = 30
DEFAULT_RETENTION_DAYS = 400
"""Days raw events are kept unless ``DEFLECT_EVENT_RETENTION_DAYS`` says otherwise."""


@dataclass(frozen=True)
class Window:
    """The days ``start``..``end`` (UTC, both included)."""

    start: dt.date
    end: dt.date

    @property
    def length(self) -> int:
        """Days in the window."""
        return (self.end - self.start).days + 1

    def previous(self) -> Window:
        """The window of the same length just before this one."""
        end = self.start - dt.timedelta(days=1)
        return Window(end - dt.timedelta(days=self.length - 1), end)

    def as_dict(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def last_days(days: int, *, today: dt.date) -> Window:
    """The ``days`` days ending ``today``."""
    return Window(today - dt.timedelta(days=days - 1), today)


def parse_window(*, days: str | int | None = None, start: str | None = None,
                 end: str | None = None, today: dt.date,
                 retention_days: int = DEFAULT_RETENTION_DAYS) -> Window:
    """Read a window from ``days`` or from ``start``/``end`` (``YYYY-MM-DD``) as typed.

    Raises ``InvalidWindow`` naming the field and what is allowed.
    """
    if start or end:
        first = _date("from", start)
        last = _date("to", end) if end else today
        if first > last:
            raise InvalidWindow("from", f"the window is reversed: {first} is after {last}; "
                                        "put the earlier date in 'from'")
        if last > today:
            raise InvalidWindow("to", f"{last} is in the future; the last allowed day is "
                                      f"{today} (UTC)")
        window = Window(first, last)
    else:
        count = _days(days)
        window = last_days(count, today=today)
    if window.length > retention_days:
        raise InvalidWindow("from" if start else "days",
                            f"the window is {window.length} days long; events are kept "
                            f"{retention_days} days, so choose at most {retention_days}")
    return window


def _date(field: str, text: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise InvalidWindow(field, f"{field!r} must be a date as YYYY-MM-DD, not {text!r}") \
            from None


def _days(value: str | int | None) -> int:
    if value is None or value == "":
        return DEFAULT_DAYS
    try:
        count = int(value)
    except (TypeError, ValueError):
        count = 0
    if count < 1:
        raise InvalidWindow("days", f"'days' must be a whole number of days such as "
                                    f"{', '.join(map(str, PRESET_DAYS))}, not {value!r}")
    return count
