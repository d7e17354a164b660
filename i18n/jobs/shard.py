"""``--shard K/N``: one machine's share of a site.

The unit of work is a source document — a page or a message file — with all its languages: its template,
its catalog in every language and its output in every language belong to one shard, so a page is read and
parsed once for all its languages, as on one machine. A unit's shard is ``sha256(name) mod N``, where the
name is the catalog's path without its suffix (``guide/install`` for ``content/guide/install.md``,
``messages/ui`` for a message file): it depends on nothing else, so adding or removing a page moves no
other page between shards, and a catalog left behind by a deleted page still has its shard.

A sharded job reads what the whole site needs (every catalog for recall and translation memory, the state
file) but writes only its own units' catalogs and outputs; the site-level files it writes in its own copy
of the project (state file, build record) are combined by :mod:`.merge`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from ..catalog.model import State
from ..config import Config
from ..errors import PageError
from ..files import bytes_digest, file_digest
from ..mt.engine import Usage
from ..mt.registry import COST
from .documents import read_source
from .gate import Gate
from .layout import Source, catalog_name, catalog_path
from .state import SiteState

if TYPE_CHECKING:
    pass


def parse(text: str) -> tuple[int, int]:
    """``K/N`` → ``(K, N)``; ``ValueError`` with the reason for anything else."""
    index, slash, count = text.strip().partition("/")
    if not slash or not index.isdigit() or not count.isdigit():
        raise ValueError(f"{text!r} is not K/N (e.g. 2/4: the second of four shards)")
    k, n = int(index), int(count)
    if n < 1 or not 1 <= k <= n:
        raise ValueError(f"{text!r}: K must be 1 to N (N at least 1)")
    return k, n


def unit(ref: str) -> str:
    """The stable name a source is sharded by: its catalog's path without the suffix."""
    return catalog_name(ref).as_posix()


def shard_of(name: str, count: int) -> int:
    """The shard (1 to ``count``) of the unit ``name``: a hash of the name alone (never Python's salted
    ``hash()``), so it is the same on every machine and whatever else the site holds."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def owns(config: Config, ref: str) -> bool:
    """Whether this run (``config.shard``; None: the whole site) does the source ``ref``."""
    return config.shard is None or shard_of(unit(ref), config.shard[1]) == config.shard[0]


def owns_catalog(config: Config, name: str) -> bool:
    """Whether this run owns the catalog ``name`` (its path inside a language's folder, ``guide.po``)."""
    if config.shard is None:
        return True
    return shard_of(PurePosixPath(name).with_suffix("").as_posix(), config.shard[1]) == config.shard[0]


def select(config: Config, sources: Sequence[Source]) -> tuple[Source, ...]:
    """The sources this run does, in their order."""
    return tuple(sources) if config.shard is None else tuple(s for s in sources if owns(config, s.ref))


def edited_elsewhere(config: Config, state: SiteState, sources: Sequence[Source]) -> Iterator[Source]:
    """Other shards' pages edited since the state file recorded them whose catalogs hold reviewed
    translations (or may: a catalog changed since). ``extract`` updates them in this shard's copy (never
    packed: their own shard writes the real ones) so that ``translate``'s memory leaves out what the edit
    made obsolete, as on one machine."""
    if config.shard is None:
        return

    for source in sources:
        record = state.page(source.ref)
        if owns(config, source.ref) or record is None:
            continue  # its own, or new: no catalog to remember from
        try:
            if bytes_digest(read_source(source)) == record.source:
                continue
        except PageError:
            continue
        for language in config.languages:
            path = catalog_path(config, language, source.ref)
            summary = state.summary(source.ref, language, file_digest(path))
            if path.exists() and (summary is None or summary.count(State.REVIEWED)):
                yield source
                break


def select_refs(config: Config, refs: Iterable[str]) -> list[str]:
    return [ref for ref in refs if owns(config, ref)]


@dataclass
class Share(Gate):
    """A shard's part of the spend gate."""

    shares: int = 1

    def from_usage(self, usage: Usage | None) -> None:
        super().from_usage(usage)
        if self.read and self.limit is not None:
            self.limit = self.limit // self.shares

    def describe(self) -> str:
        return f"{super().describe()}, 1/{self.shares} of it per shard"


def share(config: Config, gate: Gate | None) -> Gate | None:
    """``gate`` for one shard of ``config.shard``: the limit divided by the number of shards (the
    account's quota too, once read), so N shards together never spend more than the one gate."""
    if gate is None or config.shard is None or config.shard[1] == 1:
        return gate
    shares = config.shard[1]
    limit = gate.limit
    if limit is not None:
        limit = limit / shares if gate.unit == COST else float(int(limit) // shares)
    return Share(gate.unit, limit, gate.origin, gate.read, shares=shares)
