"""The ``[tool.i18n]`` table of a project's ``pyproject.toml``, loaded and checked strictly."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from .errors import ConfigError

LANGUAGE_RE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_TOML_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_PATH_FIELDS = ("content_dir", "locales_dir", "output_dir", "glossary")
_CONTENT, _LOCALES, _BUILD, _GLOSSARY = (Path(p) for p in ("content", "locales", "build", "glossary.yaml"))


class MinState(StrEnum):
    """The least-reviewed translation state a build accepts."""

    MACHINE = "machine"
    REVIEWED = "reviewed"


class Engine(StrEnum):
    """Machine-translation engines."""

    DEEPL = "deepl"
    PSEUDO = "pseudo"


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
    keep_headings: tuple[str, ...] = ()
    smartypants_dashes: bool = True
    fuzzy_threshold: float = 70.0
    memory_threshold: float = 75.0
    build_min_state: MinState = MinState.MACHINE
    build_min_coverage: float = 0.0
    engine: Engine = Engine.DEEPL
    max_characters: int | None = None
    batch_max_texts: int = 50
    batch_max_bytes: int = 131072
    concurrency: int = 2
    project_id: str = "i18n"

    def __post_init__(self) -> None:
        root = self.root.resolve()
        object.__setattr__(self, "root", root)
        for name in _PATH_FIELDS:
            object.__setattr__(self, name, (root / getattr(self, name)).resolve())


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


def _path(value: object) -> Path:
    return Path(_string(value))


_PARSERS: dict[str, Callable[[object], object]] = {
    "source_language": _language,
    "languages": _list_of(_language, allow_empty=False),
    "content_dir": _path,
    "locales_dir": _path,
    "output_dir": _path,
    "glossary": _path,
    "frontmatter_keys": _list_of(_string, allow_empty=True),
    "inject_anchors": _boolean,
    "keep_headings": _list_of(_string, allow_empty=True),
    "smartypants_dashes": _boolean,
    "fuzzy_threshold": _score,
    "memory_threshold": _score,
    "build_min_state": _choice(MinState),
    "build_min_coverage": _score,
    "engine": _choice(Engine),
    "max_characters": _count,
    "batch_max_texts": _count,
    "batch_max_bytes": _count,
    "concurrency": _count,
    "project_id": _string,
}
assert set(_PARSERS) == {f.name for f in fields(Config)} - {"root"}


def config_from_mapping(data: Mapping[str, object], root: Path, source: Path | None = None) -> Config:
    """Check a ``[tool.i18n]`` table and build a :class:`Config`; errors name ``source``."""

    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(f"[tool.i18n] {key}: {message}", path=source)

    values: dict[str, Any] = {}  # each parser has checked its value's type
    for key, raw in data.items():
        if key not in _PARSERS:
            import difflib

            close = difflib.get_close_matches(key, _PARSERS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"[tool.i18n] unknown key {key!r}{hint}", path=source)
        try:
            values[key] = _PARSERS[key](raw)
        except ValueError as exc:
            raise fail(key, str(exc)) from None
    config = replace(Config(root=root), **values)

    source_language = config.source_language.casefold()
    if any(lang.casefold() == source_language for lang in config.languages):
        raise fail("languages", f"must not include the source language {config.source_language!r}")
    output = config.output_dir
    for other in ("content_dir", "locales_dir"):
        folder: Path = getattr(config, other)
        if output == folder:
            raise fail("output_dir", f"must not be the same folder as {other}")
        if output.is_relative_to(folder) or folder.is_relative_to(output):
            relation = "lie inside" if output.is_relative_to(folder) else "contain"
            raise fail("output_dir", f"must not {relation} {other} ({folder})")
    return config


def _read(path: Path) -> Mapping[str, object]:
    try:
        document = tomllib.loads(path.read_bytes().decode("utf-8"))
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
    return table


def load_config(start: Path | None = None) -> Config:
    """Load the configuration from the nearest ``pyproject.toml`` in ``start`` or its parents."""
    here = (start if start is not None else Path.cwd()).resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return config_from_mapping(_read(candidate), folder, candidate)
    raise ConfigError("no pyproject.toml found here or in any parent folder", path=here)
