"""What every machine-translation engine offers the pipeline (:class:`Engine`), and how it fails.

An engine translates batches of DeepL XML (``tag_handling="xml"``, see :mod:`i18n.mt.xmlmarkup`) from a
source to a target language; each text may come with its :class:`Context` (page title, section, neighbours,
translator notes) for engines that use it. It answers with an :class:`Answer`: one :class:`Translated` per
text (characters billed, or why the engine found no usable answer, and further candidates) and the tokens
the requests used. The caller batches within the engine's request limits (:meth:`Engine.request_size`).
``name`` is recorded in catalogs as a translation's origin. Engines: :mod:`i18n.mt.deepl`,
:mod:`i18n.mt.openai` (chat models) and :mod:`i18n.mt.pseudo` (pseudo-localisation, no network).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..errors import I18nError

if TYPE_CHECKING:
    from .glossary import Glossary


@dataclass(frozen=True)
class Prices:
    """Prices per million tokens (in the provider's currency), for estimates, billing and the spend gate
    of an engine that bills money (``unit = COST`` in :mod:`.registry`)."""

    input: float
    output: float

    def cost(self, prompt_tokens: float, completion_tokens: float) -> float:
        return (prompt_tokens * self.input + completion_tokens * self.output) / 1_000_000


@dataclass(frozen=True)
class Context:
    """What a translator sees around a segment: the page's title, the heading of its section, the
    segments before and after it (markdown), the catalog's extracted comments (``#.``), and the glossary
    terms its source contains (term, target; a do-not-translate term maps to itself)."""

    page: str | None = None
    section: str | None = None
    before: str | None = None
    after: str | None = None
    notes: tuple[str, ...] = ()
    terms: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Translated:
    """One text's answer: the translation (XML) and the characters billed for it. ``rejected``: the
    engine got no usable answer (``text`` is then what it did get, possibly empty); ``alternatives``:
    further candidate translations, the caller keeps the first that passes the checks (a review pass)."""

    text: str
    billed: int = 0
    rejected: str | None = None
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """An engine's answer to one batch. ``texts[i]`` is None when the engine stopped (``stopped``) before
    it had an answer for text ``i``: that text is left for a later run. Tokens and requests (HTTP calls)
    are what the batch used, retries of smaller batches included; ``cost`` when the prices are known."""

    texts: tuple[Translated | None, ...]
    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 1
    cost: float | None = None
    stopped: EngineError | None = None

    @property
    def billed(self) -> int:
        return sum(t.billed for t in self.texts if t is not None)


@dataclass(frozen=True)
class Usage:
    """Characters used in the current billing period and the account's limit (None: unknown)."""

    characters: int
    limit: int | None


class FailureKind(Enum):
    """How a request failed, which says what the executor does next (:mod:`i18n.mt.execute`)."""

    QUOTA = "quota"  # the account's quota or credit is used up: stop, nothing more will succeed
    AUTH = "auth"  # missing or rejected key: stop
    FAILED = "failed"  # anything else, after the client's own retries: stop
    TOO_LARGE = "too large"  # this request is over the engine's size limit (413): split it, or skip its text
    INTERRUPTED = "interrupted"  # SIGINT/SIGTERM: stop sending, keep what is in flight

    @property
    def stops(self) -> bool:
        """Whether a failure of this kind stops the run (else only the request's texts are skipped)."""
        return self is not FailureKind.TOO_LARGE


class EngineError(I18nError):
    """Machine translation failed; ``kind`` says how. The message never contains the key."""

    def __init__(
        self, kind: FailureKind, message: str, *, path: str | Path | None = None, line: int | None = None
    ):
        self.kind = kind
        super().__init__(message, path=path, line=line)

    def at(self, path: str | Path) -> EngineError:
        return EngineError(self.kind, self.message, path=path, line=self.line)


Stopping = Callable[[], bool]  # asked between an engine's own calls: True once the run is stopping


def never() -> bool:
    return False


class Engine(Protocol):
    name: str
    """``deepl``, ``openai`` or ``pseudo``: recorded in catalogs as the origin of a machine translation."""

    def request_size(self, texts: Sequence[str], source: str, target: str) -> int:
        """The size of the request that would carry ``texts`` (what batch limits measure)."""
        ...

    def usage(self) -> Usage | None:
        """The account's usage, or None when the engine has no account (or cannot tell)."""
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
        contexts: Sequence[Context] = (),
        stopping: Stopping = never,
    ) -> Answer:
        """Translate DeepL XML texts; one result per text, in order. ``context`` (given only when not
        empty) describes every text to the engine: a UI message's instructions; it is never translated.
        ``contexts`` is empty or one :class:`Context` per text; ``stopping`` tells an engine that makes
        several calls per batch to make no more."""
        ...
