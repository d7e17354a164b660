"""The engines' registry: every engine is one module and one entry; the CLI, the secret scrubbing and
the billing derive from the entries. An example engine (tests/example_engine.py) proves the shape."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from i18n import secret
from i18n.config import Config, config_from_mapping
from i18n.errors import ConfigError
from i18n.jobs import noop
from i18n.jobs.gate import COST, DEFAULT_MAX_COST, spend_gate
from i18n.mt import UNBILLED, engine_prices, make_engine, planning
from i18n.mt.engine import EngineError, Prices
from i18n.mt.glossary import Glossary
from i18n.mt.registry import engine_entry, engine_names, key_variables, register, unbilled, unregister

from . import example_engine
from .project import Project
from .support import cli


@pytest.fixture
def reverse() -> Iterator[str]:
    register(example_engine.ENTRY)
    yield example_engine.ENTRY.name
    unregister(example_engine.ENTRY.name)


def _config(tmp_path: Path, **more: object) -> Config:
    settings = {"languages": ["nl"], "openai": {"model": "gpt-4o-mini"}, "batch_max_texts": 7}
    return config_from_mapping(settings | more, tmp_path)


@pytest.mark.parametrize("name", engine_names())
def test_every_registered_engine_plans_under_its_own_name(name: str, tmp_path: Path) -> None:
    plan = planning(name, _config(tmp_path), Glossary())
    assert plan.name == name
    assert plan.size(["Hello", "world"], "en", "nl") > plan.size(["Hello"], "en", "nl") > 0


@pytest.mark.parametrize("name", engine_names())
def test_every_registered_engine_module_has_the_registry_functions(name: str) -> None:
    module = engine_entry(name).load()
    assert callable(module.make) and callable(module.plan)


def test_the_configuration_accepts_exactly_the_registered_engines(tmp_path: Path) -> None:
    for name in engine_names():
        assert _config(tmp_path, engine=name).engine == name
    with pytest.raises(ConfigError, match="engine: expected 'deepl' or 'openai' or 'pseudo', got a string"):
        _config(tmp_path, engine="reverse")  # not registered: the example engine's fixture is not used


def test_key_variables_and_billing_come_from_the_entries() -> None:
    assert set(secret.KEY_VARIABLES) == set(key_variables().values())
    # the no-op fast path imports nothing, the registry included: its copy is checked here
    assert set(noop.ENGINE_KEYS) == set(key_variables().values())
    assert UNBILLED == unbilled() == {n for n in engine_names() if not engine_entry(n).billed}
    assert "pseudo" in UNBILLED and "pseudo" not in key_variables()


def test_an_example_engine_is_one_module_and_one_entry(
    reverse: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert reverse in engine_names() and key_variables()[reverse] == "ECHO_KEY"
    config = _config(tmp_path, reverse={})
    plan = planning(reverse, config, Glossary())
    assert (plan.name, plan.max_texts, plan.max_size) == ("reverse", 3, 100)
    with pytest.raises(EngineError, match="ECHO_KEY"):
        make_engine(reverse, config)
    monkeypatch.setenv("ECHO_KEY", "k")
    engine = make_engine(reverse, config)
    answer = engine.translate(["ab cd"], "en", "nl")
    assert [t.text for t in answer.texts if t is not None] == ["ba dc"]


def test_an_unregistered_engine_is_gone(reverse: str) -> None:
    unregister(reverse)
    assert reverse not in engine_names()
    register(example_engine.ENTRY)  # the fixture unregisters it again


def test_an_engines_settings_table_is_read_by_its_own_schema(reverse: str, tmp_path: Path) -> None:
    config = _config(tmp_path, reverse={"separator": "_", "prices": {"input": 1.0, "output": 2.0}})
    assert config.settings_for(reverse) == example_engine.ReverseSettings("_", Prices(1.0, 2.0))
    assert engine_prices(config, reverse) == Prices(1.0, 2.0) and engine_prices(config, "deepl") is None
    with pytest.raises(ConfigError, match=r"reverse: unknown key 'seperator' \(did you mean 'separator'\?\)"):
        _config(tmp_path, reverse={"seperator": "_"})
    with pytest.raises(ConfigError, match=r"reverse\.separator: expected a non-empty string"):
        _config(tmp_path, reverse={"separator": 3})
    with pytest.raises(ConfigError, match=r'engine = "reverse" needs a \[tool.i18n.reverse\] table$'):
        config_from_mapping({"languages": ["nl"], "engine": "reverse"}, tmp_path)


def test_an_engine_billing_money_gets_the_money_gate_from_its_prices(reverse: str, tmp_path: Path) -> None:
    priced = _config(tmp_path, reverse={"prices": {"input": 1.0, "output": 2.0}})
    gate = spend_gate(priced, reverse, None, None)
    assert gate is not None and (gate.unit, gate.limit, gate.origin) == (
        COST,
        DEFAULT_MAX_COST,
        "the default",
    )
    assert (
        spend_gate(_config(tmp_path, reverse={}), reverse, None, None) is None
    )  # no prices: the cost is unknown
    with pytest.raises(ConfigError, match=r"\[tool.i18n.reverse\] prices: needed for --max-cost"):
        spend_gate(_config(tmp_path, reverse={}), reverse, 1.0, None)
    with pytest.raises(ConfigError, match="--max-cost needs the openai engine or the reverse engine"):
        spend_gate(priced, "deepl", 1.0, None)


def test_the_command_line_offers_and_runs_a_registered_engine(
    reverse: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project(tmp_path, extra='\n[tool.i18n.reverse]\nseparator = "-"\n')
    project.page("plans.md", "# Plans\n\nWe meet on Friday.\n")
    code, output = cli(project, "translate", "--help")
    assert code == 0 and "[deepl|openai|pseudo|reverse]" in output
    monkeypatch.setenv("ECHO_KEY", "k")
    code, output = cli(project, "run", "--engine", reverse, "-q")
    assert code == 0, output
    assert project.entry("plans.md", "We meet on Friday.").msgstr == "eW-teem-no-.yadirF"
