"""The message file formats and settings the configuration names (kept light: ``config`` imports it)."""

from __future__ import annotations

from enum import StrEnum


class MessageFormat(StrEnum):
    """How a message file is laid out."""

    INLANG = "inlang"  # inlang message format (paraglide): flat, "$schema" first, {name} variables
    I18NEXT = "i18next"  # i18next / vue-i18n: objects of objects, keys as dotted paths, {{name}}
    FLAT = "flat"  # a flat object of strings


class Instructions(StrEnum):
    """What a build does with instruction keys (``<key>__instructions``)."""

    COPY = "copy"  # kept in every language's file, unchanged
    DROP = "drop"  # left out of the built files


INSTRUCTION_SUFFIX = "__instructions"
