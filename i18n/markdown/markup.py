"""What in inline markdown is markup rather than words, and a cheap proof that two texts carry the same.

A translation may change words, never markup. :func:`same_markup` proves, without a parse, that a
translation holds exactly its source's markup in the same order (code spans, link destinations, tags,
brackets and delimiter runs by what they can open or close) and, like the source, reads as one plain
paragraph. When it holds, the parse-based comparisons (link targets, code, HTML, emphasis, blocks) are
known to agree — property-tested against markdown-it in ``tests/test_checks.py`` and, for whole pages,
in ``tests/test_render_proof.py``. Anything else gets the full comparison.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from ..caches import run_cache
from .autolink import HINT as AUTOLINK_HINT
from .parser import atoms, block_parser

# Everything in inline markdown that is markup rather than words: code spans, link destinations and
# reference labels, brackets, HTML tags, delimiter runs, escapes, entities, expressions.
_MARKUP_TOKEN = re.compile(
    r"(?<!`)(`+)(?!`)[\s\S]+?(?<!`)\1(?!`)|`+|\]\([^)\n]*\)|\]\[[^\]\n]*\]|!\[|[\[\]]|<[^>\n]*>|\*+|_+|~+|\\.|&#?\w+;"
    r"|\{[^}\n]*\}|!"
)
# A line that could start (or underline) a block: headings, quotes, lists, rules, tables, fences, HTML,
# link reference definitions, indented code; and in some flavour: admonitions, details, tabs, asides,
# definitions, blocks, math, snippets, shortcodes and expressions, abbreviations, ESM, TOML fences.
_BLOCK_START = re.compile(
    r"^(?:[ \t]*(?:#{1,6}(?:[ \t]|$)|>|[*+-](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|[=|]|-{2,}|(?:[*_][ \t]*){3,}$"
    r"|`{3,}|~{3,}|<[A-Za-z/!?]|\[[^\]]*\]:"
    r"|!!!|\?\?\?|:|/{3}|\$\$|\\\[|\\begin|;*-+8<|\{|\*\[|\+\+\+|(?:import|export)\b)| {4}|\t)",
    re.MULTILINE,
)


_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# A `]` that does not end an inline link's text (`](…)`): a reference, or a bracket that may become one;
# the link's meaning then depends on labels and definitions, so such texts get the full comparison.
_REFERENCE_LIKE = re.compile(r"\](?!\([^)\n]*\))")


@run_cache(8192)
def markup_tokens(text: str) -> tuple[str, ...]:
    """A text's markup in order: code, destinations, tags and the like, brackets (an image's ``![`` as
    one), and delimiter runs by what their neighbours let them do (open, close). Words may change; markup
    may not. What lies next to a bracket does not matter: a label's words are free, what follows ``]``
    is markup of its own (``](…)``, ``][…]``; sources with any other ``]`` never take the shortcut)."""
    tokens: list[str] = []
    for match in _MARKUP_TOKEN.finditer(text):
        token = match.group()
        if token[0] in "*_~":
            before = _flank(text[match.start() - 1]) if match.start() else " "
            after = _flank(text[match.end()]) if match.end() < len(text) else " "
            token = _delimiter(token, before, after)
        tokens.append(token)
    return tuple(tokens)


def _delimiter(run: str, before: str, after: str) -> str:
    """A delimiter run by what it can do (CommonMark flanking rules): open, close, both or neither. Only
    that decides how it pairs, so ``**word`` and ``**«word`` are the same markup."""
    left = after != " " and (after != "." or before != "a")
    right = before != " " and (before != "." or after != "a")
    if run[0] == "_":
        opens, closes = left and (not right or before == "."), right and (not left or after == ".")
    else:
        opens, closes = left, right
    return f"{run}{'<' if opens else ''}{'>' if closes else ''}"


def _flank(char: str) -> str:
    if char.isspace():
        return " "
    return "." if unicodedata.category(char).startswith(("P", "S")) else "a"


@run_cache(8192)
def plain_paragraph(text: str) -> bool:
    if _BLOCK_START.search(text) is not None:
        return False
    if "\n" not in text:  # one line that starts no block: a paragraph (tables, setext need two lines)
        return bool(text.strip())
    return block_outline(text) == PARAGRAPH


def same_markup(source: str, translation: str) -> bool:
    """A cheap proof that the parse-based checks pass: the translation holds exactly the source's markup,
    in the same order (only words differ), and like the source reads as one plain paragraph. Anything else
    (a reordered link, say, or text with a bare URL or e-mail address) gets the full markdown-it
    comparison."""
    return (
        not _may_autolink(source)  # bare URLs and e-mail addresses: compared by a parse
        and not _may_autolink(translation)
        and _BLOCK_START.search(translation) is None
        and _BLANK_LINE.search(translation) is None
        and _REFERENCE_LIKE.search(source) is None  # references: their label may be the link text
        and markup_tokens(source) == markup_tokens(translation)
        and plain_paragraph(source)
    )


# Where an autolink literal cannot be a text token's: code spans, link destinations, tags and autolinks.
_NOT_TEXT = re.compile(r"(`+)[\s\S]*?\1|\]\([^)\n]*\)|<[^>\n]*>")


# An ``@`` with a space (or the text's edge) on both sides is no e-mail address's: ``17:00 Drinks @ pub``.
_LONE_AT = re.compile(r"(?<!\S)@(?!\S)")


def _may_autolink(text: str) -> bool:
    """Whether ``text`` may hold a bare URL or e-mail address in its words (a cheap over-approximation:
    ``://``, ``www.``, or an ``@`` with a character other than a space next to it)."""
    hint = AUTOLINK_HINT.search
    if hint(text) is None:
        return False
    text = _NOT_TEXT.sub(" ", text)
    return hint(_LONE_AT.sub(" ", text) if "@" in text else text) is not None


PARAGRAPH = (("paragraph_open", "p", 0), ("inline", "", 1), ("paragraph_close", "p", 0))


@run_cache(8192)
def block_outline(text: str) -> tuple[tuple[str, str, int], ...]:
    """The block tokens of ``text`` parsed alone: type, tag and nesting level."""
    return tuple((t.type, t.tag, t.level) for t in block_parser().parse(text, {}))


def shared_syntax(text: str) -> Counter[str]:
    """The generator syntax every flavour shares in an inline text, as written (a multiset): key and emoji
    codes, math, critic delimiters, footnote references. A translation keeps it like placeholders."""
    return atoms(text)
