"""The insights' plots: server-rendered SVG from matplotlib's ``svg`` backend.

Text is drawn as glyph outlines (``svg.fonttype: path``) from Noto Sans CJK (Debian's
``fonts-noto-cjk``, which ``make test``'s system-deps installs), so Korean reads the same in
every browser: an SVG shown as an image may not reach the reader's fonts (Chromium drew boxes
for Hangul in an English browser when the text was left as text). The title goes into the
SVG's metadata. The SVG is served as an ``<img>`` from its own route, so no script or inline
style reaches the page and the strict CSP holds. Figures are built with the
object-oriented API (no ``pyplot`` state), safe in threaded workers.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Sequence

import matplotlib

matplotlib.use("svg")  # before any other matplotlib import: never a GUI backend

from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

FONTS = ["Noto Sans CJK KR", "Noto Sans KR", "NanumGothic", "DejaVu Sans"]
_FONT_FILES = ("NotoSansCJK", "NotoSansKR", "NanumGothic")
"""How the files of the Korean ``FONTS`` are named."""


def add_fonts_installed_later(manager: font_manager.FontManager | None = None) -> None:
    """Add the Korean ``FONTS`` that matplotlib's font list lacks but the system has.

    matplotlib writes that list once, on its first import (``~/.cache/matplotlib``), and does
    not look again: where it was first imported before ``fonts-noto-cjk`` was installed,
    every Hangul glyph was missing (boxes, and a warning each, which the tests make errors).
    The system's fonts are scanned only then, once a process."""
    manager = manager or font_manager.fontManager
    if {entry.name for entry in manager.ttflist}.intersection(FONTS[:-1]):
        return
    for path in font_manager.findSystemFonts():
        if os.path.basename(path).startswith(_FONT_FILES):
            manager.addfont(path)


add_fonts_installed_later()
_STYLE = {"svg.fonttype": "path", "font.family": "sans-serif", "font.sans-serif": FONTS,
          "font.size": 11, "axes.spines.top": False, "axes.spines.right": False,
          "svg.hashsalt": "deflect"}
BLUE, ORANGE, GREY = "#1f5fbf", "#b45309", "#4b5563"


def _svg(figure: Figure, title: str) -> bytes:
    out = io.BytesIO()
    FigureCanvasSVG(figure).print_svg(out, metadata={"Date": None, "Title": title})
    return out.getvalue()


def daily_plot(days: Sequence[dt.date], searches: Sequence[int],
               zero_rates: Sequence[float | None], tickets: Sequence[int], *,
               labels: dict[str, str]) -> bytes:
    """Searches and tickets per day (bars, left axis) and the zero-result rate (line, right
    axis, in %); ``labels`` names ``searches``, ``tickets``, ``zero_rate`` and ``title``."""
    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(4.8, 3.2), layout="constrained")
        axes = figure.add_subplot()
        positions = range(len(days))
        axes.bar([p - 0.2 for p in positions], searches, width=0.4, color=BLUE,
                 label=labels["searches"])
        axes.bar([p + 0.2 for p in positions], tickets, width=0.4, color=ORANGE,
                 label=labels["tickets"])
        rates = axes.twinx()
        rates.plot(list(positions), [None if r is None else r * 100 for r in zero_rates],
                   color=GREY, marker="o", markersize=3, label=labels["zero_rate"])
        rates.set_ylim(0, 100)
        rates.set_ylabel("%")
        step = max(1, -(-len(days) // 5))  # at most 5 dates: readable on a phone
        axes.set_xticks(list(positions)[::step], [d.strftime("%m-%d") for d in days][::step])
        axes.set_title(labels["title"], fontsize=11)
        handles = axes.get_legend_handles_labels()
        more = rates.get_legend_handles_labels()
        figure.legend(handles[0] + more[0], handles[1] + more[1], loc="outside lower center",
                      ncols=3, fontsize=9, frameon=False)
        return _svg(figure, labels["title"])


def funnel_plot(stages: Sequence[str], sessions: Sequence[int], *, title: str) -> bytes:
    """The funnel as horizontal bars, the first stage on top, each labelled with its count."""
    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(4.8, 3.6), layout="constrained")
        axes = figure.add_subplot()
        order = list(range(len(stages)))[::-1]
        bars = axes.barh(order, sessions, color=BLUE)
        axes.set_yticks(order, stages)
        axes.bar_label(bars, [str(n) for n in sessions], padding=3, fontsize=10)
        axes.set_title(title, fontsize=11)
        axes.set_xlim(0, max([*sessions, 1]) * 1.15)
        return _svg(figure, title)
