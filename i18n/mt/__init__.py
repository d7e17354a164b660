"""Machine translation: inline markdown as XML the engines cannot break (:mod:`.xmlmarkup`), the glossary
(:mod:`.glossary`), translation memory (:mod:`.memory`), planning into request batches (:mod:`.plan`),
sending them (:mod:`.execute`) and the engines (:mod:`.engine`, :mod:`.deepl`, :mod:`.pseudo`). Engines
load their clients only when a text is sent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .engine import Engine

ENGINES = ("deepl", "pseudo")
UNBILLED = frozenset({"pseudo"})  # engines without an account: what they are sent is not billed


class RequestSize(Protocol):
    """The size in bytes of a request carrying ``texts`` (and ``context``), as an engine measures it."""

    def __call__(self, texts: Sequence[str], source: str, target: str, *, context: str = "") -> int: ...


def make_engine(name: str) -> Engine:
    """The engine called ``name`` (DeepL reads its key from the environment)."""
    if name == "pseudo":
        from .pseudo import PseudoEngine

        return PseudoEngine()
    from .deepl import deepl_engine

    return deepl_engine()


def request_size(name: str) -> RequestSize:
    """How the engine ``name`` measures a request, without making the engine (for dry runs)."""
    if name == "pseudo":
        from .pseudo import request_size as pseudo_size

        return pseudo_size
    from .deepl import request_size as deepl_size

    return deepl_size
