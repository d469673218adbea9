"""``kb``, ``kb.tickets`` and ``kb.accounts`` export exactly their public surface, each name
importable and documented; every error ``kb`` defines is a ``KBError``. No hand-kept list of
names."""

import inspect

import pytest

import kb
import kb.accounts
import kb.errors
import kb.tickets


def _public(module) -> set[str]:
    """The public names of ``module`` that are not its submodules."""
    return {name for name in dir(module) if not name.startswith("_")
            and not inspect.ismodule(getattr(module, name))}


@pytest.mark.parametrize("package", [kb, kb.tickets, kb.accounts], ids=lambda m: m.__name__)
def test_all_is_exactly_the_public_names(package):
    assert len(package.__all__) == len(set(package.__all__))
    assert _public(package) - {"annotations"} == set(package.__all__)


@pytest.mark.parametrize("package", [kb, kb.tickets, kb.accounts], ids=lambda m: m.__name__)
def test_every_exported_class_and_function_is_documented_where_kb_defines_it(package):
    for name in package.__all__:
        member = getattr(package, name)
        if inspect.isclass(member) or inspect.isfunction(member):
            assert member.__module__.startswith("kb."), name
            assert inspect.getdoc(member), f"{package.__name__}.{name} has no docstring"


def test_every_kb_error_has_one_root_and_says_who_raises_it():
    errors = [member for _, member in inspect.getmembers(kb.errors, inspect.isclass)
              if member.__module__ == "kb.errors"]
    assert kb.KBError in errors and len(errors) > 1
    for error in errors:
        assert issubclass(error, kb.KBError), error
        assert not issubclass(error, ValueError), error
        assert "raise" in (error.__doc__ or "").lower(), error


def test_every_account_error_is_a_kb_error():
    errors = [member for _, member in inspect.getmembers(kb.accounts.errors, inspect.isclass)
              if member.__module__ == "kb.accounts.errors"]
    assert kb.accounts.AccountError in errors and len(errors) > 1
    for error in errors:
        assert issubclass(error, kb.KBError), error
        assert "raise" in (error.__doc__ or "").lower(), error
