"""axe-core's WCAG 2.1 AA checks in the real browser, for any page a test has open.

axe-core (Deque, MPL-2.0) comes bundled in the ``axe-playwright-python`` wheel; only its
``axe.min.js`` is used here, run with the WCAG 2.0/2.1 A and AA rule tags. Playwright evaluates
it through the DevTools protocol, so the page's strict CSP stays as it is.
"""

from __future__ import annotations

from axe_playwright_python.base import AXE_SCRIPT

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    """Every WCAG 2.1 AA violation axe finds on ``page``, one line each (empty when clean)."""
    page.evaluate(AXE_SCRIPT)
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})", WCAG_21_AA)
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
            for v in results["violations"]]
