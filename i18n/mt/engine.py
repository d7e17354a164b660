"""What every machine-translation engine offers the pipeline (:class:`Engine`), and how it fails.

An engine translates batches of DeepL XML (``tag_handling="xml"``, see :mod:`i18n.mt.xmlmarkup`) from a
source to a target language and reports the characters billed; the caller batches within the engine's
request limits (:meth:`Engine.request_size`). ``name`` is recorded in catalogs as a translation's origin.
Engines: :mod:`i18n.mt.deepl` (the real one) and :mod:`i18n.mt.pseudo` (pseudo-localisation, no network).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..errors import I18nError

if TYPE_CHECKING:
    from .glossary import Glossary


@dataclass(frozen=True)
class Translated:
    """One translated text and the characters DeepL billed for it."""

    text: str
    billed: int


@dataclass(frozen=True)
class Usage:
    """Characters used in the current billing period and the account's limit (None: unknown)."""

    characters: int
    limit: int | None


class FailureKind(Enum):
    QUOTA = "quota"  # the account's character quota is used up: stop, nothing more will succeed
    AUTH = "auth"  # missing or rejected auth key: stop
    FAILED = "failed"  # anything else, after the client's own retries


class EngineError(I18nError):
    """Machine translation failed; ``kind`` says how. The message never contains the auth key."""

    def __init__(
        self, kind: FailureKind, message: str, *, path: str | Path | None = None, line: int | None = None
    ):
        self.kind = kind
        super().__init__(message, path=path, line=line)

    def at(self, path: str | Path) -> EngineError:
        return EngineError(self.kind, self.message, path=path, line=self.line)


class Engine(Protocol):
    name: str
    """``deepl`` or ``pseudo``: recorded in catalogs as the origin of a machine translation."""

    def request_size(self, texts: Sequence[str], source: str, target: str) -> int:
        """The size in bytes of the request that would carry ``texts`` (what batch limits measure)."""
        ...

    def usage(self) -> Usage | None:
        """The account's usage, or None when the engine has no account."""
        ...

    def sync_glossary(self, glossary: Glossary, source: str, languages: Sequence[str]) -> None:
        """Make ``glossary`` apply to later translations from ``source`` into ``languages``."""
        ...

    def translate(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        ignore_tags: Sequence[str] = (),
        context: str = "",
    ) -> list[Translated]:
        """Translate DeepL XML texts; one result per text, in order. ``context`` (given only when not
        empty) describes the texts to the engine: a UI message's instructions; it is never translated."""
        ...
