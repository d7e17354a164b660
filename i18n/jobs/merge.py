"""The shards' results made one site again (``i18n pack`` on each shard, ``i18n merge`` once).

:func:`merge` takes every entry from the shard owning it (:mod:`.shard`), copies each shard's own catalogs
and outputs, combines the state file, build record and billing lines, and then builds once: the manifests
and archives are written there, from the merged pages, never by a shard.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from ..config import Config
from ..errors import ConfigError
from ..files import read_regular, write_atomic, write_if_changed
from .billing import billing_path
from .build import BUILD_STATE, LanguageBuild, build
from .cache import Cache
from .layout import TEMPLATES, Source, list_sources, output_for, relative
from .outputs import OUTPUTS
from .shard import owns_catalog, select, shard_of, unit
from .state import STATE_FILE

MARKER = ".i18n-shard.json"  # in locales_dir of a shard's copy: which shard it ran (read by merge)


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
