"""Where things are: the source documents (pages under ``content_dir``, the message files of
``[[tool.i18n.messages]]``), their catalogs under ``locales_dir`` and their localised copies (pages under
``output_dir``, message files where their ``output`` pattern says). Paths only; nothing here reads a
file's content."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from ..caches import run_cache
from ..config import Config, MessageSpec
from ..errors import ConfigError, PageError, RenderError
from ..files import file_kind

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
    try:  # the content folder from the project root (None: outside it)
        content: str | None = _below(config.root, config.content_dir)
    except ValueError:
        content = None
    for path in content_pages(config):
        ref = _below(config.content_dir, path)
        name = catalog_name(ref)
        if name in catalogs:
            raise ConfigError(
                f"pages {catalogs[name]!r} and {ref!r} would share the catalog {name.as_posix()}.po:"
                " rename one"
            )
        catalogs[name] = ref
        location = relative(config, path) if content is None else f"{content}/{ref}" if content else ref
        sources.append(Source(ref, path, location))
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


def content_pages(config: Config) -> list[Path]:
    """The pages under ``content_dir`` (the paths matching ``content_globs``), sorted. Only regular files
    are pages, and nothing else is ever opened: a matching name that is not a regular file (a folder, a
    FIFO, a dangling symlink, a symlink loop) is a ``PageError`` naming it; so is a symlink leading out
    of ``content_dir`` (to a page, or a folder holding pages), unless ``follow_symlinks`` is set. Symlinks
    that stay inside ``content_dir`` are followed as the site generator follows them: a page at the
    link's path, a folder's pages under it (a link to a folder it lies in is a loop: not walked)."""
    root = config.content_dir
    found: list[Path] = []
    if root.is_dir():
        wanted = _globs(config.content_globs)
        _walk(config, root, root, root.resolve(), wanted, found, {root.resolve()})
    return sorted(found)


def _walk(
    config: Config,
    root: Path,
    folder: Path,
    inside: Path,
    wanted: re.Pattern[str],
    found: list[Path],
    walked: set[Path],
) -> None:
    """Add the pages under ``folder`` to ``found`` (``walked``: real folders already walked: no loops)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        raise PageError(f"cannot list: {exc.strerror or exc}", path=relative(config, folder)) from None
    prefix = "" if folder == root else folder.relative_to(root).as_posix() + "/"
    for entry in entries:
        path = Path(entry.path)
        page = wanted.fullmatch(prefix + entry.name) is not None
        if not entry.is_symlink():
            if entry.is_dir(follow_symlinks=False):
                if page:
                    raise _refused(config, path, "a folder, not a page")
                _walk(config, root, path, inside, wanted, found, walked | {path.resolve()})
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
            if target in walked:
                continue  # a folder it lies in: a loop
            held: list[Path] = []
            _walk(config, root, path, inside, wanted, held, walked | {target})
            if held and outside and not config.follow_symlinks:
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


def _globs(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regular expression for posix paths matching any of ``patterns`` as :meth:`Path.glob` does
    (``**`` any number of folders, ``*`` and ``?`` within one name, ``[...]`` a character class)."""
    return re.compile("|".join(f"(?:{_glob_regex(pattern)})" for pattern in patterns))


def _glob_regex(pattern: str) -> str:
    parts = [part for part in pattern.split("/") if part not in ("", ".")]
    out = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            out.append(".*" if last else "(?:[^/]+/)*")
            continue
        regex, i = "", 0
        while i < len(part):
            char = part[i]
            if char == "*":
                regex += "[^/]*"
            elif char == "?":
                regex += "[^/]"
            elif char == "[" and (close := part.find("]", i + 2)) > 0:
                inner = part[i + 1 : close]
                regex += (
                    "[" + ("^" + inner[1:] if inner.startswith("!") else inner).replace("\\", "\\\\") + "]"
                )
                i = close
            else:
                regex += re.escape(char)
            i += 1
        out.append(regex if last else regex + "/")
    return "".join(out)


def matching(folder: Path, globs: tuple[str, ...]) -> list[Path]:
    """The files under ``folder`` matching any of ``globs``, sorted."""
    return sorted({path for pattern in globs for path in folder.glob(pattern) if path.is_file()})


def catalog_name(ref: str) -> PurePosixPath:
    """A document's catalog path without its suffix: ``guide.md`` → ``guide`` (so a message file's
    ``messages/ui.json`` → ``messages/ui``), any other extension kept so that ``guide.mdx`` →
    ``guide.mdx`` does not collide with a ``guide.md`` beside it."""
    return PurePosixPath(_catalog_stem(ref))


@run_cache(8192)
def _catalog_stem(ref: str) -> str:
    """:func:`catalog_name` as text (cached: every job asks it for every page and language)."""
    path = PurePosixPath(ref)
    return str(path.with_suffix("") if path.suffix in (".md", ".json") else path)


def check_output_dir(config: Config) -> None:
    """``output_dir`` can hold builds: not inside ``content_dir``, not an existing file."""
    out, content = config.output_dir.resolve(), config.content_dir.resolve()
    if out == content or out.is_relative_to(content):
        raise ConfigError(
            f"output_dir {config.output_dir} is inside content_dir {config.content_dir}: refused"
        )
    if out.exists() and not out.is_dir():
        raise ConfigError(f"output_dir {relative(config, config.output_dir)} is a file, not a folder")


def _below(base: Path, path: Path) -> str:
    """``path.relative_to(base).as_posix()`` for a path made by joining names to ``base`` (the walk's
    pages), on the paths' text: no ``PurePath`` parsing, which a big site pays per page and job. ``""``
    for ``base`` itself; a path not written below ``base`` goes through pathlib (ValueError if outside)."""
    head, text = os.fspath(base), os.fspath(path)
    if text == head:
        return ""
    if os.sep == "/" and head != "/" and text.startswith(head + "/") and "//" not in text:
        return text[len(head) + 1 :]
    return path.relative_to(base).as_posix()


def relative(config: Config, path: Path) -> str:
    """``path`` from the project root (posix), or as it is when outside the project."""
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return path.as_posix()


def catalog_path(config: Config, language: str | None, ref: str) -> Path:
    """``locales/<lang>/<page>.po``, or ``locales/templates/<page>.pot`` for the template
    (:func:`catalog_name`: ``<page>.mdx.po`` for an ``.mdx`` page)."""
    return _catalog_path(config.locales_dir, language, ref)


@run_cache(8192)  # a big site's paths are made again rather than kept
def _catalog_path(locales: Path, language: str | None, ref: str) -> Path:
    suffix = ".pot" if language is None else ".po"
    return locales / (language or TEMPLATES) / f"{_catalog_stem(ref)}{suffix}"


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
    return _output_path(config.output_dir, language, ref)


@run_cache(8192)
def _output_path(output: Path, language: str, ref: str) -> Path:
    parts = PurePosixPath(ref).parts
    if not parts or PurePosixPath(ref).is_absolute() or ".." in parts or "\\" in ref:
        raise ConfigError(f"page path {ref!r} escapes the output directory")
    return output / language / ref


def skipped_page(skipped: list[PageError] | None, error: PageError) -> bool:
    """Whether a page that cannot be read is skipped (``skipped`` is a list: the error is added to it,
    once) rather than the error raised (``skipped`` is None)."""
    if skipped is None or isinstance(error, RenderError):
        return False
    if not any(str(e) == str(error) for e in skipped):
        skipped.append(error)
    return True
