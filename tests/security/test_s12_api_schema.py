"""S12: Schemathesis against ``/api/openapi.json``, in-process, every phase (coverage, fuzzing,
stateful): 0 failures of any check (server errors, undocumented status codes, schema-valid
requests rejected, schema-violating requests accepted, responses off their schema).

Negative control: the same run against a document that promises a shorter draft text than
the server enforces must report the schema-violating request accepted.
"""

from __future__ import annotations

from collections import Counter

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

from web.api import tickets as ticket_api

from .conftest import SCALE


def run_schemathesis(app) -> dict:
    """Run every phase; return the operations, scenarios and failures by check."""
    config = SchemathesisConfig.from_dict({"generation": {
        "max-examples": 25 * SCALE, "deterministic": True, "database": "none"}})
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app, config=config)
    failures: Counter[str] = Counter()
    examples: dict[str, str] = {}
    scenarios, errors = 0, []
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            scenarios += 1
            for check in (c for checks in event.recorder.checks.values() for c in checks):
                if check.status.name == "FAILURE":
                    name = f"{event.recorder.label}: {check.name}"
                    failures[name] += 1
                    if check.failure_info is not None:
                        examples.setdefault(name, check.failure_info.code_sample)
        elif isinstance(event, events.NonFatalError):
            errors.append(str(event.info.message)[:300])
    operations = sum(len(methods) for methods in app.test_client().get(
        "/api/openapi.json").get_json()["paths"].values())
    return {"operations": operations, "scenarios": scenarios, "failures": failures,
            "examples": examples, "errors": errors}


def test_api_matches_its_openapi_document(make_app, figures):
    result = run_schemathesis(make_app())
    figures("S12", operations=result["operations"], scenarios=result["scenarios"],
            failures=sum(result["failures"].values()), harness_errors=len(result["errors"]))
    assert result["errors"] == []
    assert dict(result["failures"]) == {}, result["examples"]


def test_negative_control_a_document_promising_more_than_the_server_checks(
        make_app, figures, monkeypatch):
    text = ticket_api.OPENAPI_PATHS["/api/tickets/suggestions"]["get"]["parameters"][0]
    monkeypatch.setitem(text["schema"], "maxLength", 3)
    result = run_schemathesis(make_app())
    figures("S12", control_failures=sum(result["failures"].values()))
    assert any("negative_data_rejection" in name for name in result["failures"])
