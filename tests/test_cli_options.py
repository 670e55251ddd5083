"""`run` and `demo` share one option set, and `--help` groups every option into a named panel."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import typer.main

from realtime_check.cli import options
from realtime_check.cli.app import app

PANELS = {options.TARGET, options.CHECKS, options.OUTPUT, options.CI}


def _options(name: str) -> dict[str, Any]:
    """The parsed options of one command, as Typer builds them from the signature, by parameter name."""
    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    return {p.name: p for p in command.params if p.name and p.name != "help"}


def test_run_and_demo_offer_every_shared_option() -> None:
    """Each RunFlags field is an option of both `run` and `demo`, under the same flag names."""
    run, demo = _options("run"), _options("demo")
    for field in dataclasses.fields(options.RunFlags):
        assert field.name in run and field.name in demo, field.name
        assert run[field.name].opts == demo[field.name].opts


def test_demo_overrides_only_its_own_defaults() -> None:
    """The demo's shorter budget and quiet CI mode are its only differences from `run`'s defaults."""
    run, demo = _options("run"), _options("demo")
    differing = {
        f.name: (run[f.name].default, demo[f.name].default)
        for f in dataclasses.fields(options.RunFlags)
        if run[f.name].default != demo[f.name].default
    }
    assert differing == {"timeout": (30.0, 15.0), "ci": ("auto", "none")}


@pytest.mark.parametrize("name", ["run", "demo"])
def test_every_option_sits_in_a_help_panel(name: str) -> None:
    """No option falls into the catch-all panel: each is under target, checks, output or CI."""
    panels = {param.name: getattr(param, "rich_help_panel", None) for param in _options(name).values()}
    assert {n: p for n, p in panels.items() if p not in PANELS} == {}


def test_an_unknown_default_override_is_a_programming_error() -> None:
    """Overriding a default of an option that does not exist fails at import, not silently."""
    with pytest.raises(TypeError, match="not RunFlags fields"):
        options.with_run_flags(timeot=1.0)
