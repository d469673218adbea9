"""``/healthz``: a cheap answer for load balancers and the quick start."""

from flask import Blueprint, current_app, jsonify

from web import services

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    knowledge = services.knowledge_base(current_app)
    return jsonify(status="ok", articles=len(knowledge),
                   locales=sorted({a.locale for a in knowledge}))
