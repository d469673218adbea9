"""The insights as JSON under ``/api/desk/insights/<report>``: the figures the desk page shows.

Editors and admins, with a personal token (``Authorization: Bearer``) or a desk session: a
``STAFF_AREAS`` module. The window and language are read as on the
page (``days`` or ``from``/``to``, ``language``); a bad one is a 400 naming the field.
"""

from __future__ import annotations

from flask import jsonify, request

from kb.errors import InvalidWindow
from web.api import bp
from web.errors import APIError
from web.insights import figures
from web.policies import policy, roles


@bp.get("/desk/insights/<report>")
@policy(roles("editor", "admin"))
def desk_insights(report: str):
    if report not in figures.REPORTS:
        raise APIError(404, "not_found", f"no report {report!r}: the reports are "
                                         f"{', '.join(figures.REPORTS)}")
    try:
        chosen = figures.read_request(request.args)
    except InvalidWindow as error:
        raise APIError(400, "invalid_window", str(error), fields={error.field: str(error)}) \
            from error
    data = figures.build(report, chosen)
    if isinstance(data, list):
        data = {"window": chosen.window.as_dict(), report: data}
    return jsonify(data)


_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_WINDOW = [
    {"name": "days", "in": "query", "schema": {"type": "integer", "minimum": 1},
     "description": "days ending today (UTC); 7, 30 or 90 on the page; default 30"},
    {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
    {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}},
    {"name": "language", "in": "query", "schema": {"enum": ["ko", "en"]},
     "description": "only this content language (default: all)"},
]
OPENAPI_PATHS = {
    "/api/desk/insights/{report}": {"get": {
        "summary": "One insights report over a window, compared with the window before",
        "security": [{"deskToken": []}],
        "parameters": [{"name": "report", "in": "path", "required": True,
                        "schema": {"enum": list(figures.REPORTS)}}, *_WINDOW],
        "responses": {
            "200": {"description": "the report's figures (see the README's definitions)",
                    "content": {"application/json": {"schema": {"type": "object"}}}},
            "400": {"description": "a window that is reversed, in the future or longer than "
                                   "the retention; `fields` names the parameter", **_ERROR},
            "401": {"description": "no valid token (or desk session)", **_ERROR},
            "403": {"description": "not an editor or admin", **_ERROR},
            "404": {"description": "no such report", **_ERROR},
        },
    }},
}
