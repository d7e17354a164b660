"""The engines' registry: every engine is one module and one entry; the CLI, the secret scrubbing and
the billing derive from the entries. An example engine (tests/example_engine.py) proves the shape."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from i18n import secret
from i18n.config import Config, Engine, config_from_mapping
from i18n.mt import UNBILLED, make_engine, planning
from i18n.mt.engine import EngineError
from i18n.mt.glossary import Glossary
from i18n.mt.registry import engine_entry, engine_names, key_variables, register, unbilled, unregister

from . import example_engine


@pytest.fixture
def reverse() -> Iterator[str]:
    register(example_engine.ENTRY)
    yield example_engine.ENTRY.name
    unregister(example_engine.ENTRY.name)


def _config(tmp_path: Path) -> Config:
    return config_from_mapping(
        {"languages": ["nl"], "openai": {"model": "gpt-4o-mini"}, "batch_max_texts": 7}, tmp_path
    )


@pytest.mark.parametrize("name", engine_names())
def test_every_registered_engine_plans_under_its_own_name(name: str, tmp_path: Path) -> None:
    plan = planning(name, _config(tmp_path), Glossary())
    assert plan.name == name
    assert plan.size(["Hello", "world"], "en", "nl") > plan.size(["Hello"], "en", "nl") > 0


@pytest.mark.parametrize("name", engine_names())
def test_every_registered_engine_module_has_the_registry_functions(name: str) -> None:
    module = engine_entry(name).load()
    assert callable(module.make) and callable(module.plan)


def test_the_configuration_accepts_exactly_the_registered_engines() -> None:
    assert sorted(engine.value for engine in Engine) == sorted(engine_names())


def test_key_variables_and_billing_come_from_the_entries() -> None:
    assert set(secret.KEY_VARIABLES) == set(key_variables().values())
    assert UNBILLED == unbilled() == {n for n in engine_names() if not engine_entry(n).billed}
    assert "pseudo" in UNBILLED and "pseudo" not in key_variables()


def test_an_example_engine_is_one_module_and_one_entry(
    reverse: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert reverse in engine_names() and key_variables()[reverse] == "ECHO_KEY"
    config = _config(tmp_path)
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
