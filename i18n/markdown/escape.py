"""Escaping a list marker that would open a list at a line start of a translation (``1. Deel``, ``- ja``).

A translation is judged in its place: in a heading, a table cell or a title, ``1. Deel`` is text; at the
start of a paragraph, or of a line that continues one, it would open a list and change the page. There a
backslash keeps it text as written (``1\\. Deel``, ``\\- ja``): markdown shows the same characters, and the
block stays a paragraph. Other block starts in a paragraph's translation (``# kop``, ``> citaat``, a
``===`` underline) are still refused by the checks: a translator's slip more likely than text.
"""

from __future__ import annotations

import re

# At a paragraph's first line: any ordered-list marker, a bullet.
_FIRST = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)|^([-+*])(?=[ \t])")
# At a continuation line: a list that can interrupt a paragraph (an ordered one only when it starts at
# 1, and only with content; a bullet only with content).
_LATER = re.compile(r"^(1)([.)])(?=[ \t]+\S)|^([-+*])(?=[ \t]+\S)")
_THEMATIC = re.compile(r"^(?:[-*_][ \t]*){3,}$")  # `- - -`, `* * *`: a rule, not a list (left to the checks)


def escape_block_starts(text: str) -> str:
    """``text`` (a paragraph's translation, lines joined by ``\\n``) with a backslash before every list
    marker that would open a list at the start of one of its lines."""
    if not text or not any(c in text for c in "-+*.)"):
        return text
    lines = text.split("\n")
    out = []
    for index, line in enumerate(lines):
        body = line.lstrip(" \t")
        if _THEMATIC.match(body):
            out.append(line)
            continue
        indent = line[: len(line) - len(body)]
        out.append(indent + (_FIRST if index == 0 else _LATER).sub(_escaped, body, count=1))
    return "\n".join(out)


def escape_line(line: str, *, first: bool) -> str:
    """One line of a paragraph's translation, as written at a line start (``first``: the paragraph's)."""
    if _THEMATIC.match(line):
        return line
    return (_FIRST if first else _LATER).sub(_escaped, line, count=1)


def indented_code_deep(prefix: str) -> bool:
    """Whether a line written after ``prefix`` (what precedes it on its line: indentation, quote markers)
    is indented 4 columns or more past the last quote marker: a list marker there opens no list."""
    rest = prefix.rsplit("\n", 1)[-1].rsplit(">", 1)[-1]
    return len(rest.expandtabs(4)) >= 4 and not rest.strip()


def _escaped(match: re.Match[str]) -> str:
    number, delimiter, bullet = match.groups()
    if number is not None:
        return f"{number}\\{delimiter}"
    return "\\" + bullet
