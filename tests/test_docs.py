"""The README stays in step with the code: commands, settings and front-matter fields."""

import re

import pytest

from kb.articles import FIELDS
from web.cli import cli
from web.config import REPOSITORY, SETTINGS

README = (REPOSITORY / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    documented = set(re.findall(r"`DEFLECT_([A-Z_]+)`", README))
    assert set(SETTINGS) - documented == set()


def test_every_front_matter_field_is_documented():
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", README, flags=re.MULTILINE))
    assert set(FIELDS) - documented == set()


@pytest.mark.parametrize("name", sorted(set(cli.commands) - {"shell", "routes"}))
def test_every_command_is_documented(name):
    assert re.search(rf"`deflect {name}\b", README), f"README does not document 'deflect {name}'"
