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
    """The documents to translate (the files under ``content_dir`` matching ``content_globs``), in a
    stable order. Two pages whose catalogs would share a name are a ``ConfigError``."""
    sources = []
    catalogs: dict[PurePosixPath, str] = {}
    for path in matching(config.content_dir, config.content_globs):
        ref = path.relative_to(config.content_dir).as_posix()
        name = catalog_name(ref)
        if name in catalogs:
            raise ConfigError(
                f"pages {catalogs[name]!r} and {ref!r} would share the catalog {name.as_posix()}.po:"
                " rename one"
            )
        catalogs[name] = ref
        sources.append(Source(ref, path, relative(config, path)))
    return tuple(sources)


def matching(folder: Path, globs: tuple[str, ...]) -> list[Path]:
    """The files under ``folder`` matching any of ``globs``, sorted."""
    return sorted({path for pattern in globs for path in folder.glob(pattern) if path.is_file()})


def catalog_name(ref: str) -> PurePosixPath:
    """A page's catalog path without its suffix: ``guide.md`` → ``guide``, and other extensions kept so
    that ``guide.mdx`` → ``guide.mdx`` does not collide with a ``guide.md`` beside it."""
    path = PurePosixPath(ref)
    return path.with_suffix("") if path.suffix == ".md" else path


def page_of_catalog(stem: PurePosixPath) -> str:
    """The page a catalog path (suffix removed) is for: the inverse of :func:`catalog_name`."""
    return stem.as_posix() if stem.suffix in PAGE_SUFFIXES else f"{stem.as_posix()}.md"


PAGE_SUFFIXES = frozenset({".mdx", ".markdown", ".svx"})  # kept in catalog names (see catalog_name)


def relative(config: Config, path: Path) -> str:
    """``path`` from the project root (posix), or as it is when outside the project."""
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return path.as_posix()


def catalog_path(config: Config, language: str | None, ref: str) -> Path:
    """``locales/<lang>/<page>.po``, or ``locales/templates/<page>.pot`` for the template."""
    suffix = ".pot" if language is None else ".po"
    return config.locales_dir / (language or TEMPLATES) / f"{catalog_name(ref)}{suffix}"


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
