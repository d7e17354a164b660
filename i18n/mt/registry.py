"""The machine-translation engines: one entry each, everything else derived from these entries.

An engine is one module (``module``, imported on first use so that a run that sends nothing loads no
client) with two functions:

- ``make(config) -> Engine``: the engine, its account key read from ``$<key_variable>``;
- ``plan(config, glossary) -> Planning``: what the planner needs to know of it before it is made.

Its entry says its name, the variable holding its account key (None: no account), what it bills
(``unit``: characters, or ``cost`` in money from token prices; ``billed=False``: nothing) and, when it has
settings, the module holding their schema (``settings``: ``parse_settings(table, languages)`` and
``TABLE_HINT``; it may be the engine's own module, or a lighter one since the configuration reads it on
every command). An engine with settings needs its ``[tool.i18n.<name>]`` table; a priced engine's
settings carry ``prices`` (:class:`~.engine.Prices`). The configuration's ``engine`` choices and settings
tables, the CLI's ``--engine`` choices and key hints, the spend gate's unit, the keys :mod:`i18n.secret`
keeps out of every output, and which runs write billing lines come from here.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from ..config import Config
    from . import Planning
    from .engine import Engine
    from .glossary import Glossary


class EngineModule(Protocol):
    """What an engine's module provides."""

    def make(self, config: Config) -> Engine: ...

    def plan(self, config: Config, glossary: Glossary) -> Planning: ...


class SettingsModule(Protocol):
    """What an engine's settings module provides: the schema of its ``[tool.i18n.<name>]`` table."""

    TABLE_HINT: str  # what the table needs at least ("with a model"), for the error when it is missing

    def parse_settings(self, table: Mapping[str, object], languages: tuple[str, ...]) -> object:
        """The checked settings; a ``config.KeyProblem`` (or ValueError) names a bad key."""
        ...


CHARACTERS, COST = "characters", "cost"  # what an engine bills: characters, or money from token prices


@dataclass(frozen=True)
class EngineEntry:
    name: str
    module: str  # absolute, or relative to this package (".deepl")
    key_variable: str | None = None  # the environment variable holding the account key
    billed: bool = True  # False: no account, nothing it is sent is billed
    unit: str = CHARACTERS  # CHARACTERS, or COST (its settings' `prices`: a money gate)
    settings: str | None = None  # the module with its settings' schema (None: no settings)

    def load(self) -> EngineModule:
        return cast("EngineModule", importlib.import_module(self.module, __package__))

    def settings_module(self) -> SettingsModule:
        assert self.settings is not None, f"the {self.name} engine has no settings"
        return cast("SettingsModule", importlib.import_module(self.settings, __package__))


_ENGINES: dict[str, EngineEntry] = {}


def register(entry: EngineEntry) -> EngineEntry:
    """Add an engine (a name already registered is replaced)."""
    _ENGINES[entry.name] = entry
    return entry


def unregister(name: str) -> None:
    _ENGINES.pop(name, None)


def engine_entry(name: str) -> EngineEntry:
    return _ENGINES[name]


def engine_names() -> tuple[str, ...]:
    return tuple(_ENGINES)


def key_variables() -> dict[str, str]:
    """Each engine's key variable, by engine name (engines without an account left out)."""
    return {e.name: e.key_variable for e in _ENGINES.values() if e.key_variable is not None}


def engine_tables() -> dict[str, EngineEntry]:
    """The engines with settings, by name: each reads ``[tool.i18n.<name>]``."""
    return {e.name: e for e in _ENGINES.values() if e.settings is not None}


def priced_engines() -> tuple[str, ...]:
    """The engines billing money (their settings' prices), for ``--max-cost``."""
    return tuple(e.name for e in _ENGINES.values() if e.billed and e.unit == COST)


def unbilled() -> frozenset[str]:
    return frozenset(e.name for e in _ENGINES.values() if not e.billed)


register(EngineEntry("deepl", ".deepl", key_variable="DEEPL_AUTH_KEY"))
register(EngineEntry("openai", ".openai", "OPENAI_API_KEY", unit=COST, settings=".openai_settings"))
register(EngineEntry("pseudo", ".pseudo", billed=False))
