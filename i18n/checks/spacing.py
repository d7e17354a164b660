"""Spacing a translation must keep, on the texts as written (raw msgid and msgstr): what ``msgfmt --check``
and pofilter check."""

from __future__ import annotations

import re
from collections import Counter

from .base import Context, Found, Problem, items
from .markdown import TAG

_HARD_BREAK = re.compile(r"(?: {2,}|\\)\n")  # two spaces or a backslash before a line break: <br>
_DOUBLE_SPACE = re.compile(r"(?<=\w) {2,}(?=\w)")
# a word of 4+ letters: shorter ones double legitimately in Dutch and German ("voeren het in in AI",
# "dat het het", "die die"); the corpus pairs hold two such, no false doubling of a longer word
_DOUBLED_WORD = re.compile(r"(?<![\w-])(\w{4,})\s+\1(?![\w-])", re.IGNORECASE)


def line_breaks(source: str, translation: str, context: Context) -> Found:
    """A line break at either end: ``msgfmt --check`` refuses a msgstr that begins or ends with one when
    its msgid does not, and the reverse."""
    ends = []
    for verb, index in (("begins", 0), ("ends", -1)):
        marked = source[index] == "\n" if source else False
        if marked != (translation[index] == "\n"):
            first, second = ("source", "translation") if marked else ("translation", "source")
            ends.append(f"the {first} {verb} with a line break and the {second} does not")
    if ends:
        yield Problem.LINE_BREAK, "; ".join(ends) + " (msgfmt refuses it)"


def whitespace(source: str, translation: str, context: Context) -> Found:
    """Spaces or tabs at either end, tabs, and no double space between words the source does not have
    (pofilter's ``doublespacing``)."""
    yield Problem.WHITESPACE, "; ".join(_spaces(source, translation, double_spaces=True))


def html_whitespace(source: str, translation: str, context: Context) -> Found:
    """:func:`whitespace` for an HTML element's text, where spacing between words is the browser's."""
    yield Problem.WHITESPACE, "; ".join(_spaces(source, translation, double_spaces=False))


def hard_breaks(source: str, translation: str, context: Context) -> Found:
    """Hard line breaks (two spaces or a backslash before a line break: a ``<br>``), not at the very end."""
    src, dst = source.strip("\n"), translation.strip("\n")
    breaks = len(_HARD_BREAK.findall(src)), len(_HARD_BREAK.findall(dst))
    if breaks[0] != breaks[1]:
        yield (
            Problem.HARD_BREAK,
            (
                f"{breaks[0]} hard line breaks (two spaces or a backslash before a line break) in the "
                f"source, {breaks[1]} in the translation"
            ),
        )


def doubled_words(source: str, translation: str, context: Context) -> Found:
    """A doubled word the source does not have (pofilter's ``doublewords``)."""
    words = Counter(
        m.group(1).lower() for m in _DOUBLED_WORD.finditer(translation) if not m.group(1).isdigit()
    )
    words -= Counter(m.group(1).lower() for m in _DOUBLED_WORD.finditer(source))
    if words:
        yield Problem.DOUBLED_WORD, f"word {items(words)} doubled"


def _spaces(source: str, translation: str, *, double_spaces: bool) -> list[str]:
    spaces: list[str] = []
    src, dst = source.strip("\n"), translation.strip("\n")
    for side, index in (("start", 0), ("end", 1)):
        before, after = (_edge_space(text, index) for text in (src, dst))
        if before != after:
            spaces.append(
                f"{_spacing(before)} at the {side} in the source, {_spacing(after)} in the translation"
            )
    if source.count("\t") != translation.count("\t"):
        spaces.append(
            f"{source.count(chr(9))} tabs in the source, {translation.count(chr(9))} in the translation"
        )
    if double_spaces and _double_spaces(translation) - _double_spaces(source) > 0:
        spaces.append("a double space between words")
    return spaces


def _double_spaces(text: str) -> int:
    """Double spaces between two words, outside HTML tags (spacing inside a tag is the tag's)."""
    return len(_DOUBLE_SPACE.findall(TAG.sub("<>", text) if "<" in text else text))


def _edge_space(text: str, end: int) -> str:
    """The spaces and tabs at the start (``end`` 0) or the end (1) of ``text``."""
    if end:
        return text[len(text.rstrip(" \t")) :]
    return text[: len(text) - len(text.lstrip(" \t"))]


def _spacing(text: str) -> str:
    return f"{text!r}" if text else "none"
