"""``--shard K/N``: one machine's share of a site; ``merge``: the shards' results made one site again.

The unit of work is a source document — a page or a message file — with all its languages: its template,
its catalog in every language and its output in every language belong to one shard, so a page is read and
parsed once for all its languages, as on one machine. A unit's shard is ``sha256(name) mod N``, where the
name is the catalog's path without its suffix (``guide/install`` for ``content/guide/install.md``,
``messages/ui`` for a message file): it depends on nothing else, so adding or removing a page moves no
other page between shards, and a catalog left behind by a deleted page still has its shard.

A sharded job reads what the whole site needs (every catalog for recall and translation memory, the state
file) but writes only its own units' catalogs and outputs; the site-level files it writes in its own copy
of the project (state file, build record) are combined by :func:`merge`, which takes every entry from the
shard owning it, copies each shard's own catalogs and outputs, and then builds once: the manifests and
archives are written there, from the merged pages, never by a shard.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, NamedTuple

from ..catalog.model import State
from ..config import Config
from ..errors import ConfigError, PageError
from ..files import bytes_digest, file_digest, read_regular, write_atomic, write_if_changed
from ..mt.engine import Usage
from ..mt.registry import COST
from .billing import billing_path
from .cache import Cache
from .documents import read_source
from .gate import Gate
from .layout import TEMPLATES, Source, catalog_name, catalog_path, list_sources, output_for, relative
from .state import STATE_FILE, SiteState

if TYPE_CHECKING:
    from .build import LanguageBuild

MARKER = ".i18n-shard.json"  # in locales_dir of a shard's copy: which shard it ran (read by merge)


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


def mark(config: Config) -> None:
    """Record in a shard's copy which shard ran there (``merge`` reads it)."""
    if config.shard is None:
        return
    k, n = config.shard
    config.locales_dir.mkdir(parents=True, exist_ok=True)
    write_if_changed(config.locales_dir / MARKER, json.dumps({"shard": k, "shards": n}) + "\n")


def pack(config: Config, target: Path) -> int:
    """Copy what this shard (``config.shard``) owns into the empty or new folder ``target``, at the same
    paths as in the project: its catalogs, its built files, the records ``merge`` combines and which shard
    it is — what one CI machine hands to the merge (the whole site's catalogs stay in the repository).
    Returns the number of files copied."""

    if config.shard is None:
        raise ConfigError("i18n pack needs --shard K/N")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ConfigError("exists and is not an empty folder: not packed into", path=target)
    files: list[Path] = []
    for key in (TEMPLATES, *config.languages):
        folder = config.locales_dir / key
        pattern = "*.pot" if key == TEMPLATES else "*.po"
        if folder.is_dir():
            found = (p for p in folder.rglob(pattern) if p.is_file())
            files.extend(p for p in sorted(found) if owns_catalog(config, p.relative_to(folder).as_posix()))
    for source in select(config, list_sources(config)):
        files.extend(
            p for language in config.languages if (p := output_for(config, source, language)).is_file()
        )
    files.extend(path for path in (billing_path(config), config.locales_dir / MARKER) if path.is_file())
    for path in files:
        copy = target / _inside(config, path)
        copy.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(copy, read_regular(path))
    k, count = config.shard
    records = _records(config, {k: config.root}, list_sources(config), count)  # its own entries only
    for path, (settings, entries) in records.items():
        _save_record(target / _inside(config, path), settings, entries)
    mark(replace(config, locales_dir=target / _inside(config, config.locales_dir)))
    return len(files) + len(records)


class Merged(NamedTuple):
    shards: int
    copied: tuple[Path, ...]  # catalogs and outputs written from a shard
    removed: tuple[Path, ...]  # catalogs and outputs the owning shard no longer has
    builds: list[LanguageBuild]


def merge(config: Config, folders: Sequence[Path]) -> Merged:
    """Combine the results of shards 1..N (``folders``: each shard's copy of the project, or its artefact
    holding the copy's catalogs and outputs at the same paths) into ``config``'s project: every catalog
    and output from the shard owning it, the state file's and build record's entries likewise, the
    billing lines appended; then build (manifests and archives, once). Raises ``ConfigError`` before
    writing anything when a shard is missing, given twice, or ran with other settings."""
    config = replace(config, shard=None)
    shards = _shards(config, folders)
    count = len(shards)
    sources = list_sources(config)

    def there(k: int, path: Path) -> Path:
        return shards[k] / _inside(config, path)

    records = _records(config, shards, sources)  # all read (and checked) before anything is written
    copied: list[Path] = []
    removed: list[Path] = []

    def mirror(k: int, path: Path) -> None:
        source = there(k, path)
        if source.is_file():
            data = read_regular(source)
            try:
                same = read_regular(path) == data
            except (FileNotFoundError, NotADirectoryError):
                same = False
            if not same:
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(path, data)
                copied.append(path)
        elif path.is_file() and not path.is_symlink():
            path.unlink()
            removed.append(path)

    for key in (TEMPLATES, *config.languages):
        folder = config.locales_dir / key
        pattern = "*.pot" if key == TEMPLATES else "*.po"
        names = {
            path.relative_to(base).as_posix()
            for base in (folder, *(there(k, folder) for k in shards))
            if base.is_dir()
            for path in base.rglob(pattern)
        }
        for name in sorted(names):
            mirror(shard_of(PurePosixPath(name).with_suffix("").as_posix(), count), folder / name)
    for source in sources:
        k = shard_of(unit(source.ref), count)
        for language in config.languages:
            mirror(k, output_for(config, source, language))
    for path, (settings, entries) in records.items():
        _save_record(path, settings, entries)
    _merge_billing(config, [there(k, _billing(config)) for k in sorted(shards)])
    (config.locales_dir / MARKER).unlink(missing_ok=True)
    from .build import build  # build imports this module

    return Merged(count, tuple(copied), tuple(removed), build(config, config.languages))


def _shards(config: Config, folders: Sequence[Path]) -> dict[int, Path]:
    shards: dict[int, Path] = {}
    count: int | None = None
    for folder in folders:
        marker = folder / _inside(config, config.locales_dir) / MARKER
        try:
            data = json.loads(read_regular(marker))
            k, n = int(data["shard"]), int(data["shards"])
        except FileNotFoundError:
            raise ConfigError(
                "not a shard's results: no --shard run left its record here", path=marker
            ) from None
        except (OSError, ValueError, TypeError, KeyError):
            raise ConfigError("unreadable shard record", path=marker) from None
        if count is not None and n != count:
            raise ConfigError(f"shard {k}/{n} is of another split than {count} shards", path=folder)
        count = n
        if k in shards:
            raise ConfigError(f"shard {k}/{n} given twice (also {shards[k]})", path=folder)
        shards[k] = folder
    if count is None:
        raise ConfigError("name the shards' folders: i18n merge DIR [DIR ...]")
    missing = [k for k in range(1, count + 1) if k not in shards]
    if missing:
        names = ", ".join(f"{k}/{count}" for k in missing)
        raise ConfigError(f"shard {names} missing: run it again (`i18n run --shard K/N`) and give its folder")
    return shards


def _inside(config: Config, path: Path) -> Path:
    if not path.is_relative_to(config.root):
        raise ConfigError(f"{path} lies outside the project: shards cannot be merged", path=path)
    return path.relative_to(config.root)


def _billing(config: Config) -> Path:

    return billing_path(config)


Record = tuple[str, dict[str, object]]  # a cache file's settings and entries


def _records(
    config: Config, shards: dict[int, Path], sources: Sequence[Source], count: int | None = None
) -> dict[Path, Record]:
    """The state file, the build record and the record of outputs outside output_dir, each entry from the
    shard owning it (``shards``: their folders; ``count``: how many there are, when not all given)."""
    from .build import BUILD_STATE, OUTPUTS  # build imports this module

    count = count or len(shards)
    outputs = {
        relative(config, output_for(config, source, language)): source.ref
        for source in sources
        if source.spec is not None
        for language in config.languages
    }
    owners: list[tuple[Path, Callable[[str], str | None]]] = [
        (config.locales_dir / STATE_FILE, lambda key: key),
        (config.output_dir / BUILD_STATE, lambda key: key.partition("/")[2]),
        (config.locales_dir / OUTPUTS, outputs.get),
    ]
    merged: dict[Path, Record] = {}
    for path, ref_of in owners:
        found: list[str] = []
        entries: dict[str, object] = {}
        for k, folder in sorted(shards.items()):
            copy = folder / _inside(config, path)
            try:
                data = json.loads(read_regular(copy))
                settings, pages = data["settings"], data["pages"]
            except FileNotFoundError:
                continue
            except (OSError, ValueError, TypeError, KeyError):
                raise ConfigError("unreadable: run the shard again", path=copy) from None
            if not isinstance(settings, str) or not isinstance(pages, dict):
                raise ConfigError("unreadable: run the shard again", path=copy)
            if found and settings != found[0]:
                raise ConfigError(
                    "made with other settings than the other shards': run every shard from the same commit",
                    path=copy,
                )
            found.append(settings)
            for key, value in pages.items():
                ref = ref_of(key)
                if ref is not None and shard_of(unit(ref), count) == k:
                    entries[key] = value
        if found:
            merged[path] = (found[0], entries)
    return merged


def _save_record(path: Path, settings: str, entries: dict[str, object]) -> None:

    cache = Cache(path, settings)
    cache.entries = dict(entries)
    cache.mark_changed()
    path.parent.mkdir(parents=True, exist_ok=True)
    cache.save()


def _merge_billing(config: Config, copies: Sequence[Path]) -> None:
    """Append each shard's new billing lines (those after the project's own), in shard order."""
    target = _billing(config)
    try:
        base = read_regular(target).decode("utf-8").splitlines(keepends=True)
    except FileNotFoundError:
        base = []
    added: list[str] = []
    for copy in copies:
        try:
            lines = read_regular(copy).decode("utf-8").splitlines(keepends=True)
        except FileNotFoundError:
            continue
        new = lines[len(base) :] if lines[: len(base)] == base else [x for x in lines if x not in base]
        added.extend(line if line.endswith("\n") else line + "\n" for line in new)
    if added:
        write_atomic(target, "".join([*base, *added]).encode("utf-8"))
