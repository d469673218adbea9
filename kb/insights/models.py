"""The roll-up tables: each finished day's figures, kept when the raw events are pruned.

A row of ``insight_rollups`` holds one day's counts for one ``metric`` (``search``, ``view``,
``vote``, ``need_help``, ``ticket``, ``ticket_after_view``, ``funnel``, ``phrasing``) of one
locale, keyed by ``key`` (a query's analysed form, a view's source, a vote, a funnel stage) and
``slug``. ``insight_rolled_days`` lists the days already rolled up, so a day is rolled once even
when several workers try at the same moment (its primary key decides).
``insight_phrasing_decisions`` keeps editors' answers to learned phrasings.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kb.db import Base


class RollupRow(Base):
    """One day's counts of one metric, key and article in one locale."""

    __tablename__ = "insight_rollups"

    # The metric leads the primary key: every report reads a few metrics over a range of days.
    metric: Mapped[str] = mapped_column(String(20), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    locale: Mapped[str] = mapped_column(String(5), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), primary_key=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    """For ``search`` and ``phrasing``: the most frequent raw query of the key that day."""
    count: Mapped[int] = mapped_column(Integer, default=0)
    zero: Mapped[int] = mapped_column(Integer, default=0)
    clicks: Mapped[int] = mapped_column(Integer, default=0)
    helps: Mapped[int] = mapped_column(Integer, default=0)
    tickets: Mapped[int] = mapped_column(Integer, default=0)


class RolledDay(Base):
    """A UTC day whose events are in ``insight_rollups``."""

    __tablename__ = "insight_rolled_days"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    rolled_at: Mapped[dt.datetime] = mapped_column(DateTime)
    events: Mapped[int] = mapped_column(Integer, default=0)



class PhrasingDecision(Base):
    """An editor's answer to a learned phrasing: ``accepted`` (added to the article's
    ``questions``) or ``rejected`` (never proposed again for that article)."""

    __tablename__ = "insight_phrasing_decisions"

    locale: Mapped[str] = mapped_column(String(5), primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    query: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str] = mapped_column(String(10))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime)
