"""The insights pages of the desk: ``/desk/insights`` with its CSV exports and SVG plots.

Each view reads the window and language from the query string (``web.insights.figures``),
asks ``kb.insights`` (and ``search`` for the content gaps) and renders; a bad window is a 400
page that keeps what was typed and says what is allowed. Editors and admins see insights
(``web.policies``: anyone else signed in gets 403, an anonymous visitor the sign-in page).
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext, lazy_gettext, pgettext

from kb import insights
from kb.errors import InvalidWindow
from web import policies
from web.desk import NAVIGATION, NavLink
from web.i18n import page_locale
from web.insights import exports, figures, plots
from web.insights.names import FUNNEL_NAMES, SOURCE_NAMES

bp = Blueprint("insights", __name__, url_prefix="/desk/insights")
PLOT_CSP = "default-src 'none'; style-src 'unsafe-inline'"
"""An SVG plot's own policy: matplotlib writes inline styles; an image runs no script."""


policies.declare(bp, policies.roles("editor", "admin"))
NAVIGATION.append(NavLink("insights.page", lazy_gettext("Insights"),
                          frozenset({"editor", "admin"})))


@bp.after_request
def _private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.app_template_filter("percent")
def percent(value: float | None) -> str:
    """``0.1234`` as ``12.3 %``; ``None`` (nothing to divide) as a dash."""
    return "–" if value is None else f"{value * 100:.1f} %"


@bp.app_template_filter("is_korean")
def is_korean(text: str) -> bool:
    """Whether ``text`` holds Hangul (a gap's draft is then Korean)."""
    return any("\uac00" <= c <= "\ud7a3" or "\u3131" <= c <= "\u318e" for c in text)


def _render(**context):
    typed = context.pop("typed")
    return render_template("insights/page.html", typed=typed, presets=insights.PRESET_DAYS,
                           kept={k: v for k, v in typed.items() if v},
                           funnel_names=FUNNEL_NAMES, source_names=SOURCE_NAMES, **context)


def _window_error(error: InvalidWindow):
    return _render(typed=figures.typed_values(request.args), error=error), 400


@bp.get("/")
def page():
    try:
        chosen = figures.read_request(request.args)
    except InvalidWindow as error:
        return _window_error(error)
    return _render(typed=chosen.typed, chosen=chosen, error=None, query=_query(chosen),
                   search=figures.build("search", chosen),
                   articles=[a for a in figures.build("articles", chosen)
                             if a["views"] or a["helpful_votes"] or a["unhelpful_votes"]
                             or a["missing_comments"] or a["is_review_due"]
                             ][:insights.reports.TOP],
                   funnel=figures.build("funnel", chosen), gaps=figures.build("gaps", chosen),
                   phrasings=figures.build("phrasings", chosen))


def _query(chosen: figures.Request) -> dict[str, str]:
    """The query string that selects ``chosen`` again (for the export and plot links)."""
    return {"from": chosen.window.start.isoformat(), "to": chosen.window.end.isoformat(),
            "locale": page_locale(),  # the plots speak the page's language
            **({"language": chosen.locale} if chosen.locale else {})}


@bp.get("/<any(summary, search, articles, funnel, daily, gaps, phrasings):report>.csv")
def export(report: str):
    try:
        chosen = figures.read_request(request.args)
    except InvalidWindow as error:
        return _window_error(error)
    header, rows = exports.table(report, figures.build(report, chosen, limit=figures.FULL_LIST))
    name = f"insights-{report}-{chosen.window.start}-{chosen.window.end}.csv"
    return Response(exports.to_csv(header, rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/plots/<any(daily, funnel):name>.svg")
def plot(name: str):
    try:
        chosen = figures.read_request(request.args)
    except InvalidWindow as error:
        abort(400, description=str(error))
    if name == "daily":
        series = figures.build("daily", chosen)
        svg = plots.daily_plot(
            [dt.date.fromisoformat(d["day"]) for d in series], [d["searches"] for d in series],
            [d["zero_result_rate"] for d in series], [d["tickets"] for d in series],
            labels={"searches": gettext("Searches"), "tickets": pgettext("count", "Tickets"),
                    "zero_rate": gettext("Zero-result rate (%)"),
                    "title": gettext("Searches, zero-result rate and tickets per day")})
    else:
        funnel = figures.build("funnel", chosen)
        svg = plots.funnel_plot([str(FUNNEL_NAMES[s["stage"]]) for s in funnel["stages"]],
                                [s["sessions"] for s in funnel["stages"]],
                                title=gettext("Deflection funnel (sessions)"))
    return Response(svg, mimetype="image/svg+xml",
                    headers={"Content-Security-Policy": PLOT_CSP})


from web.insights import actions  # noqa: E402,F401  (registers the POST views)
