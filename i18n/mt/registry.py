"""The machine-translation engines: one entry each, everything else derived from these entries.

An engine is one module (``module``, imported on first use so that a run that sends nothing loads no
client) with two functions:

- ``make(config) -> Engine``: the engine, its account key read from ``$<key_variable>``;
- ``plan(config, glossary) -> Planning``: what the planner needs to know of it before it is made.

Its entry says its name, the variable holding its account key (None: no account) and whether what it is
sent is billed. The configuration's ``engine`` choices, the CLI's ``--engine`` choices and key hints, the
keys :mod:`i18n.secret` keeps out of every output, and which runs write billing lines come from here.
"""

from __future__ import annotations

import importlib
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


@dataclass(frozen=True)
class EngineEntry:
    name: str
    module: str  # absolute, or relative to this package (".deepl")
    key_variable: str | None = None  # the environment variable holding the account key
    billed: bool = True  # False: no account, nothing it is sent is billed

    def load(self) -> EngineModule:
        return cast("EngineModule", importlib.import_module(self.module, __package__))


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


def unbilled() -> frozenset[str]:
    return frozenset(e.name for e in _ENGINES.values() if not e.billed)


register(EngineEntry("deepl", ".deepl", key_variable="DEEPL_AUTH_KEY"))
register(EngineEntry("openai", ".openai", key_variable="OPENAI_API_KEY"))
register(EngineEntry("pseudo", ".pseudo", billed=False))
