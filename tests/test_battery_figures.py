"""The security battery's figures reach the end-of-run summary, also from pytest-xdist workers
(``make test`` runs the suite in two processes)."""

import subprocess
import sys

import pytest

from web.config import REPOSITORY

R6_CONTROL = ("tests/security/test_r6_markdown_dos.py::"
              "test_negative_control_without_the_rule_the_shapes_get_through")


@pytest.mark.parametrize("processes", [[], ["-n", "2"]], ids=["one-process", "two-workers"])
def test_a_tests_figures_are_printed_at_the_end_of_the_run(processes):
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          *processes, R6_CONTROL], cwd=REPOSITORY, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:]
    _, section, summary = run.stdout.partition("security battery figures")
    assert section, run.stdout[-2000:]
    assert "R6: control_accepted_quadratic=6" in summary
