"""Where things are: the source documents under ``content_dir``, their catalogs under ``locales_dir`` and
their localised copies under ``output_dir``. Paths only; nothing here reads a file's content."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import NamedTuple

from ..config import Config
from ..errors import ConfigError

TEMPLATES = "templates"  # locales/templates/<page>.pot: the catalogs' template


class Source(NamedTuple):
    """A source document: ``ref`` is its path inside ``content_dir`` (posix, the key everywhere),
    ``location`` its path from the project root (what catalogs and messages name)."""

    ref: str
    path: Path
    location: str
    kind: str = "markdown"


def list_sources(config: Config) -> tuple[Source, ...]:
    """The documents to translate, in a stable order. A ``content_dir`` that is not a folder is a
    ``ConfigError`` naming the key and ``pyproject.toml`` (not a silent empty run)."""
    if not config.content_dir.is_dir():
        what = "is not a folder" if config.content_dir.exists() else "does not exist"
        raise ConfigError(
            f"[tool.i18n] content_dir: folder {relative(config, config.content_dir)!r} {what}",
            path=config.root / "pyproject.toml",
        )
    sources = []
    for path in sorted(config.content_dir.rglob("*.md")):
        ref = path.relative_to(config.content_dir).as_posix()
        sources.append(Source(ref, path, relative(config, path)))
    return tuple(sources)


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
