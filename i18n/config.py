"""The ``[tool.i18n]`` table of a project's ``pyproject.toml``, loaded and checked strictly."""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

from .catalog.languages import ISO_639_1
from .errors import ConfigError
from .markdown.flavours import FlavourSetting, closest
from .markdown.flavours import choices as flavour_choices
from .messages.formats import Instructions, MessageFormat, format_names, message_format
from .mt.registry import engine_names, engine_tables

LANGUAGE_RE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_TOML_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_PATH_FIELDS = ("content_dir", "locales_dir", "output_dir", "glossary")
_CONTENT, _LOCALES, _BUILD, _GLOSSARY = (Path(p) for p in ("content", "locales", "build", "glossary.yaml"))


class MinState(StrEnum):
    """The least-reviewed translation state a build accepts."""

    MACHINE = "machine"
    REVIEWED = "reviewed"


DEFAULT_GLOBS = ("**/*.md", "**/*.mdx")
AUTO_FLAVOUR = FlavourSetting()


LOCALE = "{locale}"  # in a message file's output pattern: the language code


@dataclass(frozen=True)
class MessageSpec:
    """A ``[[tool.i18n.messages]]`` entry, checked: ``source`` absolute, ``output`` an absolute path
    pattern holding ``{locale}``, ``name`` the catalogs' name (``locales/<lang>/messages/<name>.po``)."""

    source: Path
    output: str
    name: str
    format: MessageFormat | None = None  # None: detected from the content
    instructions: Instructions = Instructions.COPY

    @property
    def ref(self) -> str:
        """The key of the message file in catalogs, state and build records: ``messages/<name>.json``."""
        return f"messages/{self.name}.json"

    def output_path(self, language: str) -> Path:
        return Path(self.output.replace(LOCALE, language))


@dataclass(frozen=True)
class Config:
    """Project settings. Path fields are made absolute (relative ones against ``root``)."""

    root: Path
    source_language: str = "en"
    languages: tuple[str, ...] = ()
    content_dir: Path = _CONTENT
    locales_dir: Path = _LOCALES
    output_dir: Path = _BUILD
    glossary: Path = _GLOSSARY
    frontmatter_keys: tuple[str, ...] = ("title", "description")
    inject_anchors: bool = True
    flavour: FlavourSetting = AUTO_FLAVOUR  # `auto`, or a registered flavour (i18n.markdown.flavours)
    content_globs: tuple[str, ...] = DEFAULT_GLOBS
    keep_headings: tuple[str, ...] = ()
    smartypants_dashes: bool = True
    fuzzy_threshold: float = 70.0
    memory_threshold: float = 75.0
    build_min_state: MinState = MinState.MACHINE
    build_min_coverage: float = 0.0
    engine: str = "deepl"  # a registered engine (:mod:`i18n.mt.registry`)
    max_characters: int | None = None
    max_cost: float | None = None
    batch_max_texts: int = 50
    batch_max_bytes: int = 131072
    concurrency: int = 2
    project_id: str = "i18n"
    pseudo_locale: str = "en-XA"
    engine_settings: tuple[tuple[str, object], ...] = ()  # (engine, its [tool.i18n.<engine>] table, checked)
    messages: tuple[MessageSpec, ...] = ()
    follow_symlinks: bool = False  # follow symlinks in content_dir that lead outside it
    allow_output_outside_project: bool = False  # let output_dir lie outside the project folder
    shard: tuple[int, int] | None = None  # (K, N): --shard K/N, this run's share (jobs/shard.py)

    def __post_init__(self) -> None:
        root = self.root.resolve()
        object.__setattr__(self, "root", root)
        for name in _PATH_FIELDS:
            object.__setattr__(self, name, (root / getattr(self, name)).resolve())

    def settings_for(self, engine: str) -> object | None:
        """The checked ``[tool.i18n.<engine>]`` table of an engine that has settings (None: not given)."""
        return dict(self.engine_settings).get(engine)

    def with_settings(self, engine: str, settings: object) -> Config:
        """This configuration with ``settings`` as the engine's ``[tool.i18n.<engine>]``."""
        others = tuple((name, value) for name, value in self.engine_settings if name != engine)
        return replace(self, engine_settings=(*others, (engine, settings)))


def _describe(value: object) -> str:
    kinds = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}
    kinds |= {list: "an array", dict: "a table"}
    kind = kinds.get(type(value), type(value).__name__)
    return f"{kind} ({value!r})" if type(value) in (bool, int, float, str) else kind


def _string(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected a non-empty string, got {_describe(value)}")
    return value


def _language(value: object) -> str:
    if not isinstance(value, str) or not LANGUAGE_RE.fullmatch(value):
        raise ValueError(f"expected a language code like 'nl' or 'pt-BR', got {_describe(value)}")
    base = value.split("-")[0]
    if len(base) == 2 and base not in ISO_639_1:  # three-letter codes (ISO 639-2/3) are taken as given
        raise ValueError(f"unknown language code {value!r}: {base!r} is not an ISO 639-1 language")
    return value


def _list_of(item: Callable[[object], str], allow_empty: bool) -> Callable[[object], object]:
    def parse(value: object) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise ValueError(f"expected an array of strings, got {_describe(value)}")
        if not value and not allow_empty:
            raise ValueError("expected at least one entry, got an empty array")
        seen: set[str] = set()
        for index, entry in enumerate(value):
            try:
                text = item(entry)
            except ValueError as exc:
                raise ValueError(f"entry {index + 1}: {exc}") from None
            if text.casefold() in seen:
                raise ValueError(f"{text!r} is listed more than once")
            seen.add(text.casefold())
        return tuple(value)

    return parse


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {_describe(value)}")
    return value


def _score(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise ValueError(f"expected a number from 0 to 100, got {_describe(value)}")
    return float(value)


def _count(value: object) -> int:
    if type(value) is not int or value < 1:
        raise ValueError(f"expected a whole number of at least 1, got {_describe(value)}")
    return value


def _choice(enum: type[StrEnum]) -> Callable[[object], object]:
    def parse(value: object) -> object:
        allowed = [member.value for member in enum]
        if not isinstance(value, str) or value not in allowed:
            expected = " or ".join(repr(a) for a in allowed)
            raise ValueError(f"expected {expected}, got {_describe(value)}")
        return enum(value)

    return parse


def _message_format(value: object) -> MessageFormat:
    """A ``[[tool.i18n.messages]]`` table's ``format``: a registered message format's name."""
    allowed = format_names()
    if not isinstance(value, str) or value not in allowed:
        expected = " or ".join(repr(a) for a in allowed)
        raise ValueError(f"expected {expected}, got {_describe(value)}")
    return message_format(value)


def _flavour(value: object) -> FlavourSetting:
    """``auto`` or a registered flavour's name (:mod:`i18n.markdown.flavours`), resolved once here."""
    allowed = flavour_choices()
    if not isinstance(value, str) or value not in allowed:
        expected = " or ".join(repr(a) for a in allowed)
        close = closest(value) if isinstance(value, str) else None
        hint = f" (did you mean {close!r}?)" if close else ""
        raise ValueError(f"expected {expected}, got {_describe(value)}{hint}")
    return FlavourSetting(value)


def _glob(value: object) -> str:
    pattern = _string(value)
    if pattern.startswith(("/", "\\")) or ".." in pattern.replace("\\", "/").split("/"):
        raise ValueError(f"expected a pattern inside content_dir such as '**/*.md', got {pattern!r}")
    return pattern


def _path(value: object) -> Path:
    return Path(_string(value))


def _number(low: float, high: float | None = None) -> Callable[[object], float]:
    def parse(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < low:
            raise ValueError(f"expected a number of at least {low:g}, got {_describe(value)}")
        if high is not None and value > high:
            raise ValueError(f"expected a number from {low:g} to {high:g}, got {_describe(value)}")
        return float(value)

    return parse


def _positive(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"expected a number above 0, got {_describe(value)}")
    return float(value)


def _retries(value: object) -> int:
    if type(value) is not int or value < 0:
        raise ValueError(f"expected a whole number of at least 0, got {_describe(value)}")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {_describe(value)}")
    return value


def _url(value: object) -> str:
    text = _string(value)
    if not re.match(r"https?://[^\s/]+", text) or any(c.isspace() for c in text):
        raise ValueError(f"expected an http:// or https:// URL, got {_describe(value)}")
    return text


def _table(value: object, what: str) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise ValueError(f"expected a table ({what}), got {_describe(value)}")
    return value


class KeyProblem(ValueError):
    """A bad value in a settings table, at ``key`` (``openai.model``)."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        super().__init__(message)


def _engine(value: object) -> str:
    names = engine_names()
    if not isinstance(value, str) or value not in names:
        expected = " or ".join(repr(name) for name in names)
        raise ValueError(f"expected {expected}, got {_describe(value)}")
    return value


_PARSERS: dict[str, Callable[[object], object]] = {
    "source_language": _language,
    "languages": _list_of(_language, allow_empty=False),
    "content_dir": _path,
    "locales_dir": _path,
    "output_dir": _path,
    "glossary": _path,
    "frontmatter_keys": _list_of(_string, allow_empty=True),
    "inject_anchors": _boolean,
    "flavour": _flavour,
    "content_globs": _list_of(_glob, allow_empty=False),
    "keep_headings": _list_of(_string, allow_empty=True),
    "smartypants_dashes": _boolean,
    "fuzzy_threshold": _score,
    "memory_threshold": _score,
    "build_min_state": _choice(MinState),
    "build_min_coverage": _score,
    "engine": _engine,
    "max_characters": _count,
    "max_cost": _positive,
    "batch_max_texts": _count,
    "batch_max_bytes": _count,
    "concurrency": _count,
    "project_id": _string,
    "pseudo_locale": _language,
    "follow_symlinks": _boolean,
    "allow_output_outside_project": _boolean,
}
assert set(_PARSERS) == {f.name for f in fields(Config)} - {"root", "engine_settings", "messages", "shard"}


class _EntryError(ValueError):
    """A bad value in the ``index``-th (1-based) ``[[tool.i18n.messages]]`` table, at ``key``."""

    def __init__(self, index: int, key: str | None, message: str, *, at: str | None = None) -> None:
        self.index, self.key, self.at = index, key, at or key  # ``at``: the key whose line to name
        super().__init__(f"entry {index}: {key + ': ' if key else ''}{message}")


_MESSAGE_KEYS = ("source", "output", "format", "instructions", "name")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


class _Table(NamedTuple):
    source: str
    output: str | None
    format: MessageFormat | None
    instructions: Instructions
    name: str | None


def _message_tables(value: object) -> list[_Table]:
    """The ``[[tool.i18n.messages]]`` tables, their keys and value types checked."""
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise ValueError("expected an array of tables ([[tool.i18n.messages]]), got " + _describe(value))
    tables: list[_Table] = []
    for index, table in enumerate(value, start=1):
        for key in table:
            if key not in _MESSAGE_KEYS:
                raise _EntryError(index, None, _unknown_key(key, _MESSAGE_KEYS), at=key)
        if "source" not in table:
            raise _EntryError(index, None, "'source' is required (the source-language message file)")
        checked: dict[str, Any] = {}
        for key, raw in table.items():
            parse = {"format": _message_format, "instructions": _choice(Instructions)}.get(key, _string)
            try:
                checked[key] = parse(raw)
            except ValueError as exc:
                raise _EntryError(index, key, str(exc)) from None
        if "name" in checked and not _NAME.fullmatch(str(checked["name"])):
            raise _EntryError(
                index, "name", f"expected a file name (letters, digits, . _ -), got {checked['name']!r}"
            )
        tables.append(
            _Table(
                **{"output": None, "format": None, "instructions": Instructions.COPY, "name": None, **checked}
            )
        )
    return tables


def _default_name(source: Path, root: Path, source_language: str) -> str:
    """The source's file stem; the folder's name when the stem is the source language (``messages/en.json``
    -> ``messages``)."""
    if source.stem.casefold() != source_language.casefold():
        return source.stem
    return source.parent.name if source.parent != root else "messages"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def _message_specs(tables: list[_Table], config: Config) -> tuple[MessageSpec, ...]:
    """The checked tables as :class:`MessageSpec`\\ s, paths resolved and refused where they may not be."""
    root = config.root
    specs: list[MessageSpec] = []
    for index, table in enumerate(tables, start=1):
        given = table.source
        source = (root / given).resolve()
        if not _inside(source, root):
            raise _EntryError(index, "source", f"{given!r} is outside the project ({root})")
        for folder in ("locales_dir", "output_dir"):
            if _inside(source, getattr(config, folder)):
                raise _EntryError(index, "source", f"{given!r} is inside {folder}")
        if table.output is not None:
            pattern = table.output
            if LOCALE not in pattern:
                raise _EntryError(
                    index, "output", f"{pattern!r} has no {LOCALE}: every language would share one file"
                )
            others = sorted(set(_PLACEHOLDER.findall(pattern)) - {LOCALE})
            if others:
                raise _EntryError(index, "output", f"unknown placeholder {others[0]} (only {LOCALE})")
            output = os.path.normpath(root / pattern)
            sample = Path(output.replace(LOCALE, "xx")).resolve()
            if not (_inside(sample, root) or _inside(sample, config.output_dir)):
                raise _EntryError(index, "output", f"{pattern!r} is outside the project ({root})")
            for folder in ("content_dir", "locales_dir"):
                if _inside(sample, getattr(config, folder)):
                    raise _EntryError(index, "output", f"{pattern!r} is inside {folder}")
        else:
            output = str(config.output_dir / LOCALE / source.name)
        name = table.name or _default_name(source, root, config.source_language)
        spec = MessageSpec(source, output, name, table.format, table.instructions)
        for earlier in specs:
            for key, same in (("source", earlier.source == spec.source), ("name", earlier.name == spec.name),
                              ("output", earlier.output == spec.output)):  # fmt: skip
                if same:
                    what = "the same file" if key == "source" else f"the same {key} {getattr(spec, key)!r}"
                    hint = " (set `name` to tell them apart)" if key == "name" else ""
                    raise _EntryError(index, key, f"{what} as entry {specs.index(earlier) + 1}{hint}")
        specs.append(spec)
    return tuple(specs)


def _unknown_key(key: str, known: Sequence[str]) -> str:
    """ "unknown key 'x'", with the closest known key as a hint."""
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown key {key!r}{hint}"


def config_from_mapping(
    data: Mapping[str, object], root: Path, source: Path | None = None, text: str | None = None
) -> Config:
    """Check a ``[tool.i18n]`` table and build a :class:`Config`; errors name ``source`` (and the line
    of a bad ``[[tool.i18n.messages]]`` value, found in ``text``, the file's content)."""

    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(f"[tool.i18n] {key}: {message}", path=source)

    def fail_entry(error: _EntryError) -> ConfigError:
        line = _entry_line(text, error.index, error.at) if text is not None else None
        return ConfigError(f"[tool.i18n] messages: {error}", path=source, line=line)

    values: dict[str, Any] = {}  # each parser has checked its value's type
    tables: list[_Table] = []
    tables_of = engine_tables()  # engines' settings tables, by name
    for key, raw in data.items():
        if key in tables_of:
            continue
        if key == "messages":
            try:
                tables = _message_tables(raw)
            except _EntryError as exc:
                raise fail_entry(exc) from None
            except ValueError as exc:
                raise fail(key, str(exc)) from None
            continue
        if key not in _PARSERS:
            known = [*_PARSERS, *tables_of, "messages"]
            raise ConfigError("[tool.i18n] " + _unknown_key(key, known), path=source)
        try:
            values[key] = _PARSERS[key](raw)
        except ValueError as exc:
            raise fail(key, str(exc)) from None
    settings: list[tuple[str, object]] = []
    for name, entry in tables_of.items():
        if name not in data:
            continue
        try:
            table = _table(data[name], f"[tool.i18n.{name}]")
            parse = entry.settings_module().parse_settings
            settings.append((name, parse(table, values.get("languages", ()))))
        except KeyProblem as exc:
            raise fail(exc.key, str(exc)) from None
        except ValueError as exc:
            raise fail(name, str(exc)) from None
    config = replace(Config(root=root), **values, engine_settings=tuple(settings))
    needs = tables_of.get(config.engine)
    if needs is not None and config.settings_for(config.engine) is None:
        hint = needs.settings_module().TABLE_HINT
        what = f"a [tool.i18n.{config.engine}] table" + (f" {hint}" if hint else "")
        raise fail("engine", f'engine = "{config.engine}" needs {what}')

    source_language = config.source_language.casefold()
    if any(lang.casefold() == source_language for lang in config.languages):
        raise fail("languages", f"must not include the source language {config.source_language!r}")
    pseudo = config.pseudo_locale.casefold()
    if pseudo == source_language or any(lang.casefold() == pseudo for lang in config.languages):
        raise fail(
            "pseudo_locale", f"{config.pseudo_locale!r} must be neither a target nor the source language"
        )
    output = config.output_dir
    if not output.is_relative_to(config.root) and not config.allow_output_outside_project:
        raise fail(
            "output_dir",
            f"{output} is outside the project folder {config.root}: refused (builds remove files there); "
            "set allow_output_outside_project = true to build there",
        )
    for other in ("content_dir", "locales_dir"):
        folder: Path = getattr(config, other)
        if output == folder:
            raise fail("output_dir", f"must not be the same folder as {other}")
        if output.is_relative_to(folder) or folder.is_relative_to(output):
            relation = "lie inside" if output.is_relative_to(folder) else "contain"
            raise fail("output_dir", f"must not {relation} {other} ({folder})")
    if tables:
        try:
            config = replace(config, messages=_message_specs(tables, config))
        except _EntryError as exc:
            raise fail_entry(exc) from None
    return config


_TABLE_HEADER = re.compile(r"\s*\[\[\s*tool\s*\.\s*i18n\s*\.\s*messages\s*\]\]")


def _entry_line(text: str, index: int, key: str | None) -> int | None:
    """The line of ``key`` in the ``index``-th ``[[tool.i18n.messages]]`` table of a pyproject's text
    (of the table's header when ``key`` is None or not found there); None if the tables are inline."""
    lines = text.split("\n")
    headers = [n for n, line in enumerate(lines) if _TABLE_HEADER.match(line)]
    if len(headers) < index:
        return None
    start = headers[index - 1]
    if key is not None:
        assignment = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number in range(start + 1, len(lines)):
            if lines[number].lstrip().startswith("["):
                break
            if assignment.match(lines[number]):
                return number + 1
    return start + 1


def _read(path: Path) -> tuple[Mapping[str, object], str]:
    try:
        text = path.read_bytes().decode("utf-8")
        document = tomllib.loads(text)
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", path=path) from None
    except UnicodeDecodeError:
        raise ConfigError("not valid UTF-8", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        where = _TOML_WHERE.search(str(exc))
        message = _TOML_WHERE.sub("", str(exc))
        if where is None:
            raise ConfigError(f"invalid TOML: {message}", path=path) from None
        line, column = int(where[1]), int(where[2])
        raise ConfigError(f"invalid TOML: {message} (column {column})", path=path, line=line) from None
    tool = document.get("tool", {})
    table = tool.get("i18n", {}) if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        raise ConfigError("[tool.i18n] must be a table", path=path)
    return table, text


def load_config(start: Path | None = None) -> Config:
    """Load the configuration from the nearest ``pyproject.toml`` in ``start`` or its parents."""
    here = (start if start is not None else Path.cwd()).resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            table, text = _read(candidate)
            config = config_from_mapping(table, folder, candidate, text)
            if "glossary" in table and not config.glossary.is_file():  # the default one is optional
                raise ConfigError(
                    f"[tool.i18n] glossary: file {table['glossary']!r} does not exist", path=candidate
                )
            return config
    raise ConfigError("no pyproject.toml found here or in any parent folder", path=here)


# The value parsers, public for the settings tables of engines (:mod:`i18n.mt.registry`).
boolean, choice, count, number, positive, retries = _boolean, _choice, _count, _number, _positive, _retries
string, table_of, text, unknown_key, url = _string, _table, _text, _unknown_key, _url
