"""Where things are: the source documents (pages under ``content_dir``, the message files of
``[[tool.i18n.messages]]``), their catalogs under ``locales_dir`` and their localised copies (pages under
``output_dir``, message files where their ``output`` pattern says). Paths only; nothing here reads a
file's content."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import NamedTuple

from ..config import Config, MessageSpec
from ..errors import ConfigError

TEMPLATES = "templates"  # locales/templates/<page>.pot: the catalogs' template


class Source(NamedTuple):
    """A source document: ``ref`` is the key everywhere (catalogs, state, builds) — a page's path inside
    ``content_dir`` (posix), ``messages/<name>.json`` for a message file; ``location`` its path from the
    project root (what catalogs and errors name); ``kind`` ``markdown`` or ``messages``, the latter with
    its configuration ``spec``."""

    ref: str
    path: Path
    location: str
    kind: str = "markdown"
    spec: MessageSpec | None = None


def list_sources(config: Config) -> tuple[Source, ...]:
    """The documents to translate, in a stable order: pages, then message files. A ``content_dir`` that
    is not a folder is a ``ConfigError`` naming the key and ``pyproject.toml`` (not a silent empty run),
    unless the site translates message files only and has no ``content_dir`` at all."""
    if not config.content_dir.is_dir() and (config.content_dir.exists() or not config.messages):
        what = "is not a folder" if config.content_dir.exists() else "does not exist"
        raise ConfigError(
            f"[tool.i18n] content_dir: folder {relative(config, config.content_dir)!r} {what}",
            path=config.root / "pyproject.toml",
        )
    sources = []
    for path in sorted(config.content_dir.rglob("*.md")):
        ref = path.relative_to(config.content_dir).as_posix()
        sources.append(Source(ref, path, relative(config, path)))
    if config.messages:
        pages = {Path(source.ref).with_suffix(""): source for source in sources}
        for spec in config.messages:
            page = pages.get(Path(spec.ref).with_suffix(""))
            if page is not None:
                raise ConfigError(
                    f"[tool.i18n] messages: {relative(config, spec.source)} and the page {page.location} "
                    f"would share the catalog {catalog_path(config, None, spec.ref).stem}: set `name`"
                )
            sources.append(Source(spec.ref, spec.source, relative(config, spec.source), "messages", spec))
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


def output_for(config: Config, source: Source, language: str) -> Path:
    """Where ``source`` in ``language`` is built: a message file by its ``output`` pattern, a page at
    :func:`output_path`."""
    if source.spec is not None:
        return source.spec.output_path(language)
    return output_path(config, language, source.ref)


def output_path(config: Config, language: str, ref: str) -> Path:
    """``<output_dir>/<lang>/<ref>``, refusing a ref that could leave the folder (checked on the path's
    text: no file system calls, this runs for every page of every language)."""
    parts = PurePosixPath(ref).parts
    if not parts or PurePosixPath(ref).is_absolute() or ".." in parts or "\\" in ref:
        raise ConfigError(f"page path {ref!r} escapes the output directory")
    return config.output_dir / language / ref
