"""The insights as JSON under ``/api/desk/insights/<report>``: the figures the desk page shows.

Staff only (editors and admins, once the desk's accounts are in); not a public area, so not in
``PUBLIC_AREAS`` or the public OpenAPI document. The window and language are read as on the
page (``days`` or ``from``/``to``, ``language``); a bad one is a 400 naming the field.
"""

from __future__ import annotations

from flask import jsonify, request

from kb.errors import InvalidWindow
from web.api import bp
from web.errors import APIError
from web.insights import check_access, figures


@bp.get("/desk/insights/<any(summary, search, articles, funnel, daily, gaps, phrasings):report>")
def desk_insights(report: str):
    check_access()
    try:
        chosen = figures.read_request(request.args)
    except InvalidWindow as error:
        raise APIError(400, "invalid_window", str(error), fields={error.field: str(error)}) \
            from error
    data = figures.build(report, chosen)
    if isinstance(data, list):
        data = {"window": chosen.window.as_dict(), report: data}
    return jsonify(data)
