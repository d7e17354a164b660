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
    """The documents to translate, in a stable order: pages (the files under ``content_dir`` matching
    ``content_globs``), then message files. A ``content_dir`` that is not a folder is a ``ConfigError``
    naming the key and ``pyproject.toml`` (not a silent empty run), unless the site translates message
    files only and has no ``content_dir`` at all. Two pages whose catalogs would share a name are a
    ``ConfigError`` too."""
    if not config.content_dir.is_dir() and (config.content_dir.exists() or not config.messages):
        what = "is not a folder" if config.content_dir.exists() else "does not exist"
        raise ConfigError(
            f"[tool.i18n] content_dir: folder {relative(config, config.content_dir)!r} {what}",
            path=config.root / "pyproject.toml",
        )
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
    if config.messages:
        pages = {catalog_name(source.ref): source for source in sources}
        for spec in config.messages:
            page = pages.get(catalog_name(spec.ref))
            if page is not None:
                raise ConfigError(
                    f"[tool.i18n] messages: {relative(config, spec.source)} and the page {page.location} "
                    f"would share the catalog {catalog_path(config, None, spec.ref).stem}: set `name`"
                )
            sources.append(Source(spec.ref, spec.source, relative(config, spec.source), "messages", spec))
    return tuple(sources)


def matching(folder: Path, globs: tuple[str, ...]) -> list[Path]:
    """The files under ``folder`` matching any of ``globs``, sorted."""
    return sorted({path for pattern in globs for path in folder.glob(pattern) if path.is_file()})


def catalog_name(ref: str) -> PurePosixPath:
    """A document's catalog path without its suffix: ``guide.md`` → ``guide`` (so a message file's
    ``messages/ui.json`` → ``messages/ui``), any other extension kept so that ``guide.mdx`` →
    ``guide.mdx`` does not collide with a ``guide.md`` beside it."""
    path = PurePosixPath(ref)
    return path.with_suffix("") if path.suffix in (".md", ".json") else path


def relative(config: Config, path: Path) -> str:
    """``path`` from the project root (posix), or as it is when outside the project."""
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return path.as_posix()


def catalog_path(config: Config, language: str | None, ref: str) -> Path:
    """``locales/<lang>/<page>.po``, or ``locales/templates/<page>.pot`` for the template
    (:func:`catalog_name`: ``<page>.mdx.po`` for an ``.mdx`` page)."""
    suffix = ".pot" if language is None else ".po"
    return config.locales_dir / (language or TEMPLATES) / f"{catalog_name(ref)}{suffix}"


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
