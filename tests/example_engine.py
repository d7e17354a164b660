"""An example engine for the registry's tests (not shipped): one module, one registry entry.

It "translates" by reversing each word and has an account key in ``$ECHO_KEY``. It bills money: one token
per character at the prices of its ``[tool.i18n.reverse]`` table, whose schema is in this module too
(``separator``: what joins the reversed words).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from i18n.config import Config, KeyProblem, number, string, table_of, unknown_key
from i18n.mt import Estimate, Planning, engine_settings
from i18n.mt.engine import (
    Answer,
    Context,
    EngineError,
    FailureKind,
    Prices,
    Stopping,
    Translated,
    Usage,
    never,
)
from i18n.mt.execute import Request
from i18n.mt.glossary import Glossary
from i18n.mt.registry import COST, EngineEntry

MODULE = "tests.example_engine"
ENTRY = EngineEntry("reverse", MODULE, key_variable="ECHO_KEY", unit=COST, settings=MODULE)
TABLE_HINT = ""  # an empty [tool.i18n.reverse] is enough


@dataclass(frozen=True)
class ReverseSettings:
    separator: str = " "
    prices: Prices | None = None


def parse_settings(table: Mapping[str, object], languages: tuple[str, ...]) -> ReverseSettings:
    values: dict[str, object] = {}
    for key, raw in table.items():
        try:
            if key == "separator":
                values[key] = string(raw)
            elif key == "prices":
                prices = table_of(raw, "{ input = …, output = … }")
                values[key] = Prices(number(0)(prices.get("input")), number(0)(prices.get("output")))
            else:
                raise KeyProblem("reverse", unknown_key(key, ["separator", "prices"]))
        except KeyProblem:
            raise
        except ValueError as exc:
            raise KeyProblem(f"reverse.{key}", str(exc)) from None
    return ReverseSettings(**values)  # type: ignore[arg-type]


def settings(config: Config) -> ReverseSettings:
    found = engine_settings(config, "reverse")
    assert isinstance(found, ReverseSettings)
    return found


def request_size(texts: Sequence[str], source: str, target: str, *, context: str = "") -> int:
    return sum(len(text) for text in texts)


class ReverseEngine:
    name = "reverse"

    def __init__(self, separator: str) -> None:
        self.separator = separator

    def usage(self) -> Usage | None:
        return None

    def request_size(self, texts: Sequence[str], source: str, target: str) -> int:
        return request_size(texts, source, target)

    def sync_glossary(self, glossary: Glossary, source: str, languages: Sequence[str]) -> None:
        return None

    def translate(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        ignore_tags: Sequence[str] = (),
        context: str = "",
        contexts: Sequence[Context] = (),
        stopping: Stopping = never,
    ) -> Answer:
        reversed_texts = (self.separator.join(w[::-1] for w in text.split(" ")) for text in texts)
        return Answer(tuple(Translated(text, 1) for text in reversed_texts))


def make(config: Config) -> ReverseEngine:
    if not os.environ.get("ECHO_KEY"):
        raise EngineError(FailureKind.AUTH, "ECHO_KEY is not set")
    return ReverseEngine(settings(config).separator)


def plan(config: Config, glossary: Glossary) -> Planning:
    prices = settings(config).prices

    def estimate(request: Request) -> Estimate:
        tokens = sum(len(text) for text in request.texts)
        return Estimate(tokens, tokens, prices.cost(tokens, tokens) if prices else None)

    return Planning(request_size, 3, 100, name="reverse", estimate=estimate)
