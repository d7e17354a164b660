"""Where things are: the source documents under ``content_dir``, their catalogs under ``locales_dir`` and
their localised copies under ``output_dir``. Paths only; nothing here reads a file's content."""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from ..config import Config
from ..errors import ConfigError, PageError
from ..files import file_kind

TEMPLATES = "templates"  # locales/templates/<page>.pot: the catalogs' template


class Source(NamedTuple):
    """A source document: ``ref`` is its path inside ``content_dir`` (posix, the key everywhere),
    ``location`` its path from the project root (what catalogs and messages name)."""

    ref: str
    path: Path
    location: str
    kind: str = "markdown"


SUFFIX = ".md"


def list_sources(config: Config) -> tuple[Source, ...]:
    """The documents to translate: the regular ``*.md`` files under ``content_dir``, in a stable order.

    Nothing else is ever opened. A ``*.md`` name that is not a regular file (a folder, a FIFO, a dangling
    symlink, a symlink loop) is a ``PageError`` naming it; so is a symlink leading out of ``content_dir``
    (a file, or a folder holding pages), unless ``follow_symlinks`` is set. A symlinked folder inside
    ``content_dir`` is not walked: its pages are listed where they really are.
    """
    root = config.content_dir
    found: list[Path] = []
    if root.is_dir():
        _walk(config, root, root.resolve(), found, {root.resolve()})
    return tuple(
        Source(path.relative_to(root).as_posix(), path, relative(config, path)) for path in sorted(found)
    )


def _walk(config: Config, folder: Path, inside: Path, found: list[Path], walked: set[Path]) -> None:
    """Add the pages under ``folder`` to ``found`` (``walked``: real folders already walked: no loops)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        raise PageError(f"cannot list: {exc.strerror or exc}", path=relative(config, folder)) from None
    for entry in entries:
        path = Path(entry.path)
        page = entry.name.endswith(SUFFIX)
        if not entry.is_symlink():
            if entry.is_dir(follow_symlinks=False):
                if page:
                    raise _refused(config, path, "a folder, not a page")
                _walk(config, path, inside, found, walked)
            elif page:
                if not entry.is_file(follow_symlinks=False):
                    raise _refused(config, path, file_kind(entry.stat(follow_symlinks=False).st_mode))
                found.append(path)
            continue
        try:
            target = path.resolve(strict=True)
            mode = target.stat().st_mode
        except FileNotFoundError:
            if page:
                raise _refused(config, path, "a dangling symlink") from None
            continue
        except (OSError, RuntimeError):
            if page:
                raise _refused(config, path, "a symlink loop") from None
            continue
        outside = not target.is_relative_to(inside)
        if stat.S_ISDIR(mode):
            if not outside or target in walked:
                continue  # listed where it really is; or a loop
            held: list[Path] = []
            _walk(config, path, inside, held, walked | {target})
            if held and not config.follow_symlinks:
                raise _leaves(config, path, target)
            found.extend(held)
        elif page:
            if not stat.S_ISREG(mode):
                raise _refused(config, path, f"a symlink to {file_kind(mode)}")
            if outside and not config.follow_symlinks:
                raise _leaves(config, path, target)
            found.append(path)


def _refused(config: Config, path: Path, what: str) -> PageError:
    return PageError(f"not a page: {what}; remove or rename it", path=relative(config, path))


def _leaves(config: Config, path: Path, target: Path) -> PageError:
    return PageError(
        f"symlink leads out of content_dir (to {target}): refused; set follow_symlinks = true to follow it",
        path=relative(config, path),
    )


def check_output_dir(config: Config) -> None:
    """``output_dir`` can hold builds: not inside ``content_dir``, not an existing file."""
    out, content = config.output_dir.resolve(), config.content_dir.resolve()
    if out == content or out.is_relative_to(content):
        raise ConfigError(
            f"output_dir {config.output_dir} is inside content_dir {config.content_dir}: refused"
        )
    if out.exists() and not out.is_dir():
        raise ConfigError(f"output_dir {relative(config, config.output_dir)} is a file, not a folder")


def relative(config: Config, path: Path) -> str:
    """``path`` from the project root (posix), or as it is when outside the project."""
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return path.as_posix()


def catalog_path(config: Config, language: str | None, ref: str) -> Path:
    """``locales/<lang>/<page>.po``, or ``locales/templates/<page>.pot`` for the template."""
    suffix = ".pot" if language is None else ".po"
    return config.locales_dir / (language or TEMPLATES) / Path(ref).with_suffix(suffix)


def catalog_key(language: str | None) -> str:
    """The folder of a language's catalogs (``templates`` for the template)."""
    return language or TEMPLATES


def output_path(config: Config, language: str, ref: str) -> Path:
    """``<output_dir>/<lang>/<ref>``, refusing a ref that could leave the folder (checked on the path's
    text: no file system calls, this runs for every page of every language)."""
    parts = PurePosixPath(ref).parts
    if not parts or PurePosixPath(ref).is_absolute() or ".." in parts or "\\" in ref:
        raise ConfigError(f"page path {ref!r} escapes the output directory")
    return config.output_dir / language / ref
