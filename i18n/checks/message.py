"""The checks of a UI message (:mod:`i18n.messages`): not markdown, it keeps its HTML tags and its
variables (``{name}``, ``{{count}}``, see :mod:`i18n.messages.markup`), and nothing else is syntax in it."""

from __future__ import annotations

from ..messages import markup
from .base import Context, Found, Problem, difference


def message_tags(source: str, translation: str, context: Context) -> Found:
    yield Problem.HTML, difference("HTML tag", markup.tags(context.src), markup.tags(context.dst))


def message_variables(source: str, translation: str, context: Context) -> Found:
    before, after = markup.variables(context.src), markup.variables(context.dst)
    yield Problem.PLACEHOLDERS, difference("placeholder", before, after)
