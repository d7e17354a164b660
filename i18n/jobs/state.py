"""The state file ``locales/.i18n-state.json``: what each page and its catalogs were when last seen.

Per page: the digest of its bytes, its segments' short source hashes, its words and characters, and per
catalog the digest of the file and a summary of its active entries — one letter per entry for its
*effective* state (checks included), in page order. While a file's bytes are the ones recorded, jobs trust
the record instead of reading the file: ``extract`` skips an unchanged page, ``translate`` parses only
catalogs with work or reviewed entries, ``build`` copies a page that has nothing usable and checks no
translation twice, ``status`` reads no catalog at all. A translator's edit, a merge or a checkout changes a
file's bytes, and the job then reads the file.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from .. import __version__
from ..config import Config
from .cache import Cache, fingerprint
from .layout import TEMPLATES, relative

if TYPE_CHECKING:  # the catalog model loads when a summary is made or read, not for a no-op run
    from ..catalog.model import Message, State

STATE_FILE = ".i18n-state.json"
FORMAT = 5  # of the entries (and of segmentation): a change makes the next run start afresh
SEGMENT_DIGEST = 10  # hex digits of a segment's source hash kept in the state file
RECALL_DIGEST = 6  # hex digits of a usable translation's source hash (a collision costs one catalog read)
LETTER_OF = {"missing": "-", "machine": "m", "reviewed": "r", "stale": "s", "rejected": "x"}  # by State
PSEUDO_LETTER = "p"  # pseudo-localised text in a real language: missing, but not for the pseudo engine


@cache
def letters() -> dict[State, str]:
    """Each state's letter in a summary."""
    from ..catalog.model import State

    return {state: LETTER_OF[state.value] for state in State}


@cache
def _states() -> dict[str, State]:
    from ..catalog.model import State

    return {letter: state for state, letter in letters().items()} | {PSEUDO_LETTER: State.MISSING}


def needing() -> tuple[State, ...]:
    """The states that need a translation: missing, stale."""
    from ..catalog.model import State

    return (State.MISSING, State.STALE)


def changed_checks() -> list[str]:
    """The checks added or removed besides the built-in ones (:func:`i18n.checks.registry.changed_checks`),
    which the states and builds depend on; none when the checks were never loaded (then none can have
    been registered), so reading the state loads no markdown parser."""
    registry = sys.modules.get("i18n.checks.registry")
    return list(registry.changed_checks()) if registry is not None else []


class CatalogSummary(NamedTuple):
    """A catalog's active entries as the state file knows them: effective states (one letter each, in
    page order; pseudo-localised entries are missing, lettered apart) and how many machine translations
    missed a glossary term."""

    states: str
    glossary: int = 0
    recall: str | None = None  # the short source hashes of its usable translations (:func:`recall_keys`)

    def state(self, index: int) -> State:
        return _states()[self.states[index]]

    def is_pseudo(self, index: int) -> bool:
        return self.states[index] == PSEUDO_LETTER

    def count(self, state: State) -> int:
        letter = letters()[state]
        found = self.states.count(letter)
        return found + self.states.count(PSEUDO_LETTER) if letter == LETTER_OF["missing"] else found

    @property
    def pseudo(self) -> int:
        """Pseudo-localised entries (counted as missing)."""
        return self.states.count(PSEUDO_LETTER)

    @property
    def counts(self) -> dict[State, int]:
        found = Counter(self.states)
        counts = {state: found[letter] for state, letter in letters().items()}
        counts[_states()[PSEUDO_LETTER]] += found[PSEUDO_LETTER]
        return counts

    @property
    def needing(self) -> int:
        return sum(self.count(state) for state in needing())


def summarise(messages: Sequence[Message]) -> CatalogSummary:
    """The summary of a catalog's messages (checks run here, once per message)."""
    from ..checks import effective_state

    active = [m for m in messages if not m.obsolete]
    letter = letters()
    states = "".join(PSEUDO_LETTER if m.pseudo else letter[effective_state(m)] for m in active)
    return CatalogSummary(states, sum(1 for m in active if m.glossary and m.fuzzy), recall_keys(messages))


def recallable(message: Message) -> Message | None:
    """The message as ``extract`` recalls it for a new segment of the same text (normalised), or None
    when it holds no usable translation."""
    from ..catalog.model import State

    message = message.normalised()  # a translator's review vouches for the current msgid
    if message.state in (State.MISSING, State.REJECTED) or not message.source_hash:
        return None
    return message


def recall_keys(messages: Iterable[Message]) -> str:
    """The short source hashes of a catalog's recallable messages (obsolete ones too), sorted, unique:
    which catalogs a recall for a text must read."""
    keys = {m.source_hash[:RECALL_DIGEST] for m in map(recallable, messages) if m and m.source_hash}
    return " ".join(sorted(keys))


def segment_digests(messages: Iterable[Message]) -> str:
    """The page's segment source hashes, shortened and space-separated (compact in the state file)."""
    from ..segments import source_hash

    return " ".join(source_hash(message.msgid)[:SEGMENT_DIGEST] for message in messages)


class PageRecord(NamedTuple):
    """What the state file knows of a page (its bytes' digest, segments, words, characters)."""

    source: str
    segments: tuple[str, ...]
    words: int
    characters: int


class SiteState:
    """The state file of a project, loaded once per job and saved at its end."""

    def __init__(self, config: Config) -> None:
        from .documents import markdown_kind  # its settings: frontmatter keys, headings, flavour, site

        kind = markdown_kind(config).settings
        settings = [__version__, FORMAT, kind, config.languages, config.fuzzy_threshold, config.project_id,
                    relative(config, config.content_dir)]  # fmt: skip
        if config.messages:  # what makes a message file's segments
            settings.append([(relative(config, s.source), s.name, str(s.format)) for s in config.messages])
        checks = changed_checks()  # the summaries hold the checks' verdicts
        if checks:
            settings.append(["checks", *checks])
        self._cache = Cache(config.locales_dir / STATE_FILE, fingerprint(settings))

    def _entry(self, ref: str) -> dict[str, object] | None:
        entry = self._cache.get(ref)
        return entry if isinstance(entry, dict) else None

    def page(self, ref: str) -> PageRecord | None:
        entry = self._entry(ref)
        if entry is None:
            return None
        source, segments = entry.get("source"), entry.get("segments")
        words, characters = entry.get("words"), entry.get("characters")
        if not (isinstance(source, str) and isinstance(segments, str)):
            return None
        if not (isinstance(words, int) and isinstance(characters, int)):
            return None
        return PageRecord(source, tuple(segments.split()), words, characters)

    def catalog_digest(self, ref: str, key: str) -> str | None:
        """The recorded digest of a page's catalog (``key``: a language, or ``templates``)."""
        entry = self._entry(ref)
        catalogs = entry.get("catalogs") if entry else None
        value = catalogs.get(key) if isinstance(catalogs, dict) else None
        if isinstance(value, list) and value and isinstance(value[0], str):
            return value[0]
        return value if isinstance(value, str) else None

    def fresh(self, ref: str, source: str, catalogs: dict[str, str | None]) -> bool:
        """Whether the page and every catalog are as recorded (with summaries): nothing to do."""
        record = self.page(ref)
        if record is None or record.source != source:
            return False
        for key, digest in catalogs.items():
            if digest is None or self.catalog_digest(ref, key) != digest:
                return False
            if key != TEMPLATES and self.summary(ref, key, digest) is None:
                return False
        return True

    def summary(self, ref: str, language: str, digest: str | None) -> CatalogSummary | None:
        """The recorded summary of a page's catalog, if its file still has the recorded ``digest``."""
        if digest is None:
            return None
        entry = self._entry(ref)
        catalogs = entry.get("catalogs") if entry else None
        value = catalogs.get(language) if isinstance(catalogs, dict) else None
        if not (isinstance(value, list) and len(value) in (3, 4) and value[0] == digest):
            return None
        states, glossary = value[1], value[2]
        if not (isinstance(states, str) and isinstance(glossary, int)):
            return None
        if set(states) - {*LETTER_OF.values(), PSEUDO_LETTER}:
            return None
        return CatalogSummary(states, glossary)

    def recall_keys(self, ref: str, language: str, digest: str) -> frozenset[str] | None:
        """The recorded recall keys of a page's catalog, if its file still has the recorded ``digest``."""
        text = self.recall_text(ref, language, digest)
        return None if text is None else frozenset(text.split())

    def recall_text(self, ref: str, language: str, digest: str) -> str | None:
        """:meth:`recall_keys` as recorded: the keys separated by spaces (a big site's catalogs hold
        tens of thousands; an edit looks up a few of them)."""
        entry = self._entry(ref)
        catalogs = entry.get("catalogs") if entry else None
        value = catalogs.get(language) if isinstance(catalogs, dict) else None
        if not (isinstance(value, list) and len(value) == 4 and value[0] == digest):
            return None
        return value[3] if isinstance(value[3], str) else None

    def record_page(self, ref: str, source: str, messages: Sequence[Message]) -> None:
        entry = dict(self._entry(ref) or {})
        entry.update(
            source=source,
            segments=segment_digests(messages),
            words=sum(len(m.msgid.split()) for m in messages),
            characters=sum(len(m.msgid) for m in messages),
        )
        entry.setdefault("catalogs", {})
        self._cache.put(ref, entry)

    def record_catalog(self, ref: str, key: str, digest: str | None, summary: CatalogSummary | None) -> None:
        """A page's catalog as written or read: its file digest and, for a language, its summary."""
        entry = self._entry(ref)
        if entry is None:
            return  # a page not recorded yet: the next extract records it whole
        catalogs = dict(entry.get("catalogs") or {})  # type: ignore[call-overload]
        value: object = digest if summary is None else [digest, summary.states, summary.glossary]
        if summary is not None and summary.recall is not None:
            value = [digest, summary.states, summary.glossary, summary.recall]
        if catalogs.get(key) != value:
            catalogs[key] = value
            self._cache.put(ref, {**entry, "catalogs": catalogs})

    def save(self, refs: Iterable[str] | None = None) -> None:
        """Write the state file, keeping the entries of ``refs`` (all when None)."""
        self._cache.save(refs)
