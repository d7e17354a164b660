"""An example engine for the registry's tests (not shipped): one module, one registry entry.

It "translates" by reversing each word, bills one unit per text and has an account key in ``$ECHO_KEY``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from i18n.config import Config
from i18n.mt import Planning
from i18n.mt.engine import Answer, Context, EngineError, FailureKind, Stopping, Translated, Usage, never
from i18n.mt.glossary import Glossary
from i18n.mt.registry import EngineEntry

ENTRY = EngineEntry("reverse", "tests.example_engine", key_variable="ECHO_KEY")


def request_size(texts: Sequence[str], source: str, target: str, *, context: str = "") -> int:
    return sum(len(text) for text in texts)


class ReverseEngine:
    name = "reverse"

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
        return Answer(tuple(Translated(" ".join(w[::-1] for w in text.split(" ")), 1) for text in texts))


def make(config: Config) -> ReverseEngine:
    if not os.environ.get("ECHO_KEY"):
        raise EngineError(FailureKind.AUTH, "ECHO_KEY is not set")
    return ReverseEngine()


def plan(config: Config, glossary: Glossary) -> Planning:
    return Planning(request_size, 3, 100, name="reverse")
