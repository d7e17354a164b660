"""``[tool.i18n.openai]``: the chat model engine's settings and their schema (:mod:`.registry`'s
``settings`` module of the ``openai`` entry). Apart from :mod:`.openai` because the configuration reads
it on every command: importing the engine's module (prompts, glossary, YAML) costs about 40 ms more."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..config import (
    Config,
    KeyProblem,
    boolean,
    choice,
    count,
    number,
    positive,
    retries,
    string,
    table_of,
    text,
    unknown_key,
    url,
)
from . import engine_settings
from .engine import Prices

TABLE_HINT = "with a model"  # what the engine needs of its table: `engine = "openai"` needs one


class ResponseFormat(StrEnum):
    """How a chat model is asked for its JSON answer."""

    JSON_SCHEMA = "json_schema"  # structured output: the server enforces the schema
    JSON_OBJECT = "json_object"  # JSON mode: any JSON object
    TEXT = "text"  # no response_format: the prompt asks for JSON


@dataclass(frozen=True)
class OpenAIConfig:
    """``[tool.i18n.openai]``: the chat model engine's settings."""

    model: str
    base_url: str | None = None
    temperature: float | None = None
    instructions: str = ""
    language_instructions: tuple[tuple[str, str], ...] = ()  # (language, instructions)
    batch_max_segments: int = 20
    max_output_tokens: int = 4096
    prices: Prices | None = None
    review: bool = False
    max_retries: int = 4
    timeout: float = 300.0
    response_format: ResponseFormat = ResponseFormat.JSON_SCHEMA

    def instructions_for(self, language: str) -> str:
        return dict(self.language_instructions).get(language, "")


def _prices(value: object) -> Prices:
    table = table_of(value, "{ input = …, output = … } per million tokens")
    unknown = sorted(set(table) - {"input", "output"})
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r} (expected 'input' and 'output')")
    missing = [key for key in ("input", "output") if key not in table]
    if missing:
        raise ValueError(f"{missing[0]!r} is missing (price per million tokens)")
    price = number(0)
    parsed: dict[str, float] = {}
    for key in ("input", "output"):
        try:
            parsed[key] = price(table[key])
        except ValueError as exc:
            raise ValueError(f"{key}: {exc}") from None
    return Prices(parsed["input"], parsed["output"])


_PARSERS: dict[str, Callable[[object], object]] = {
    "model": string,
    "base_url": url,
    "temperature": number(0, 2),
    "instructions": text,
    "batch_max_segments": count,
    "max_output_tokens": count,
    "prices": _prices,
    "review": boolean,
    "max_retries": retries,
    "timeout": positive,
    "response_format": choice(ResponseFormat),
}
_TABLES = ("languages",)


def parse_settings(data: Mapping[str, object], languages: tuple[str, ...]) -> OpenAIConfig:
    """Check ``[tool.i18n.openai]``; a :class:`KeyProblem` names the key (``openai.<key>``)."""
    values: dict[str, Any] = {}
    for key, raw in data.items():
        if key in _TABLES:
            continue
        if key not in _PARSERS:
            raise KeyProblem("openai", unknown_key(key, [*_PARSERS, *_TABLES]))
        try:
            values[key] = _PARSERS[key](raw)
        except ValueError as exc:
            raise KeyProblem(f"openai.{key}", str(exc)) from None
    if "model" not in values:
        raise KeyProblem("openai.model", 'is required (the chat model, e.g. "gpt-4o-mini")')
    per_language: list[tuple[str, str]] = []
    if "languages" in data:
        try:
            table = table_of(data["languages"], "one table per language")
        except ValueError as exc:
            raise KeyProblem("openai.languages", str(exc)) from None
        for language, settings in table.items():
            key = f"openai.languages.{language}"
            if language not in languages:
                raise KeyProblem(key, f"{language!r} is not one of the configured languages")
            try:
                inner = table_of(settings, "with 'instructions'")
            except ValueError as exc:
                raise KeyProblem(key, str(exc)) from None
            for name in inner:
                if name != "instructions":
                    raise KeyProblem(key, f"unknown key {name!r} (expected 'instructions')")
            try:
                per_language.append((language, text(inner.get("instructions", ""))))
            except ValueError as exc:
                raise KeyProblem(f"{key}.instructions", str(exc)) from None
    return OpenAIConfig(language_instructions=tuple(per_language), **values)


def settings_of(config: Config) -> OpenAIConfig:
    """The project's ``[tool.i18n.openai]`` (an error when it is not there)."""
    settings = engine_settings(config, "openai")
    assert isinstance(settings, OpenAIConfig)
    return settings
