"""Aligned GFM tables re-padded to their translated cells' widths, and the splice that applies edits.

A page's cell edits of an aligned table (every line with its pipes in the same columns, a leading and a
trailing pipe) become one edit of the whole table with its columns re-padded; other tables keep their
cells' own edits. Only whitespace inside cells changes, which GFM trims."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from itertools import pairwise

from ..segments import Segment, SegmentKind
from .lines import CONTAINER_PREFIX

Edit = tuple[Segment, tuple[int, int, str], bool]
_DELIMITER_CELL = re.compile(r"^[ \t]*(:?)-+(:?)[ \t]*$")


def repad_tables(source: str, edits: list[Edit]) -> list[Edit]:
    """Edits with each aligned table's cell edits replaced by one edit of the whole table, its columns
    re-padded to the translated widths (a table is *aligned* when every line has its pipes in the same
    columns, with a leading and a trailing pipe). Other tables keep their cells' own edits, unpadded.
    Padding is whitespace inside cells, which GFM trims: the table's structure cannot change, but the
    edit is not counted as proven local, so the rendered page is compared with the source anyway."""
    groups: dict[str, list[int]] = {}
    for index, (segment, _, _) in enumerate(edits):
        if segment.kind is SegmentKind.TABLE_CELL:
            groups.setdefault(segment.id.rpartition("/")[0], []).append(index)
    if not groups:
        return edits
    replaced: set[int] = set()
    added: list[Edit] = []
    for indexes in groups.values():
        region = _table_region(source, [edits[i][1] for i in indexes])
        if region is None:
            continue
        start, end = region
        inner = [(a - start, b - start, text) for a, b, text in (edits[i][1] for i in indexes)]
        table = _repad(apply_edits(source[start:end], inner), source[start:end])
        if table is None:
            continue
        replaced.update(indexes)
        added.append((edits[indexes[0]][0], (start, end, table), False))
    return [edit for i, edit in enumerate(edits) if i not in replaced] + added


def _table_region(source: str, cells: Sequence[tuple[int, int, str]]) -> tuple[int, int] | None:
    """``(start, end)`` of the lines of the aligned table holding ``cells`` (end before the last line's
    newline), or None when the table is not aligned."""
    first = source.rfind("\n", 0, min(a for a, _, _ in cells)) + 1
    last_end = source.find("\n", max(b for _, b, _ in cells))
    last = len(source) if last_end < 0 else last_end
    start, end = first, last
    while start > 0:  # lines above that are table rows too (the header, rows without prose)
        above = source.rfind("\n", 0, start - 1) + 1
        line = source[above : start - 1].rstrip("\r")
        if not _pipes(line):
            break
        start = above
    while end < len(source):
        below = source.find("\n", end + 1)
        line = source[end + 1 : len(source) if below < 0 else below].rstrip("\r")
        if not _pipes(line):
            break
        end = len(source) if below < 0 else below
    lines = source[start:end].split("\n")
    positions = [_pipes(line.rstrip("\r")) for line in lines]
    if len(lines) < 2 or len(positions[0]) < 2 or any(p != positions[0] for p in positions):
        return None
    if len(_cells(lines[1].rstrip("\r"))) != len(positions[0]) - 1 or not all(
        _DELIMITER_CELL.match(cell) for cell in _cells(lines[1].rstrip("\r"))
    ):
        return None  # the second line is not the delimiter row: not a table's start
    for line in lines:
        body = line.rstrip("\r")
        prefix = CONTAINER_PREFIX.match(body)
        if body[prefix.end() if prefix else 0 :][:1] != "|" or body.rstrip()[-1:] != "|":
            return None  # without leading and trailing pipes: left unpadded
    return start, end


def _pipes(line: str) -> list[int]:
    """Columns of the line's unescaped pipes."""
    found, escaped = [], False
    for column, char in enumerate(line):
        if char == "|" and not escaped:
            found.append(column)
        escaped = char == "\\" and not escaped
    return found


def _cells(line: str) -> list[str]:
    """The text between the line's unescaped pipes (not what precedes the first or follows the last)."""
    pipes = _pipes(line)
    return [line[a + 1 : b] for a, b in pairwise(pipes)]


def _repad(table: str, original: str) -> str | None:
    """``table`` (``original``, the source's aligned table, with cells translated) with every column as
    wide as its widest cell, the margins the source's; None when the translated rows no longer share
    the source's pipe count (then it is not touched)."""
    rows, source = _rows(table), _rows(original)
    if len({len(cells) for _, cells, _ in rows + source}) != 1 or len(rows) != len(source):
        return None
    columns = len(rows[0][1])
    out_rows: list[list[str]] = [[] for _ in rows]
    for column in range(columns):
        cells = [cells[column] for _, cells, _ in rows]
        body = [c for n, c in enumerate(cells) if n != 1]
        # the margins: the least space the source puts around a cell of this column (the delimiter row
        # keeps its own)
        was = [cells[column] for n, (_, cells, _) in enumerate(source) if n != 1]
        lead = min(len(c) - len(c.lstrip(" \t")) for c in was)
        trail = min(len(c) - len(c.rstrip(" \t")) for c in was)
        match = _DELIMITER_CELL.match(cells[1])
        assert match is not None  # checked by _table_region
        marks = match.group(1), match.group(2)
        rule = cells[1]
        rule_lead, rule_trail = len(rule) - len(rule.lstrip(" \t")), len(rule) - len(rule.rstrip(" \t"))
        total = max(
            lead + max(_width(c.strip(" \t")) for c in body) + trail,
            rule_lead + len(marks[0]) + 3 + len(marks[1]) + rule_trail,  # at least three dashes
        )
        for n, cell in enumerate(cells):
            if n == 1:
                dashes = total - rule_lead - rule_trail - len(marks[0]) - len(marks[1])
                out_rows[n].append(" " * rule_lead + marks[0] + "-" * dashes + marks[1] + " " * rule_trail)
                continue
            text = cell.strip(" \t")
            gap = total - lead - trail - _width(text)
            if marks[1] and not marks[0]:  # right-aligned column
                text = " " * gap + text
            elif marks[0] and marks[1]:  # centred
                text = " " * (gap // 2) + text + " " * (gap - gap // 2)
            else:
                text += " " * gap
            out_rows[n].append(" " * lead + text + " " * trail)
    return "\n".join(
        prefix + "|" + "|".join(cells) + "|" + suffix
        for (prefix, _, suffix), cells in zip(rows, out_rows, strict=True)
    )


def _rows(table: str) -> list[tuple[str, list[str], str]]:
    """Each line as (what precedes its first pipe, its cells, what follows its last pipe)."""
    rows = []
    for line in table.split("\n"):
        ending = "\r" if line.endswith("\r") else ""
        body = line.removesuffix("\r")
        pipes = _pipes(body)
        if len(pipes) < 2:
            return []
        rows.append((body[: pipes[0]], _cells(body), body[pipes[-1] + 1 :] + ending))
    return rows


def _width(text: str) -> int:
    """Columns ``text`` takes in a monospaced editor: wide East Asian characters 2, combining marks 0."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text
    )


def apply_edits(source: str, edits: Sequence[tuple[int, int, str]]) -> str:
    """``source`` with each ``(start, end, replacement)`` edit applied (edits do not overlap)."""
    parts: list[str] = []
    position = 0
    for start, end, replacement in sorted(edits):
        parts.append(source[position:start])
        parts.append(replacement)
        position = end
    parts.append(source[position:])
    return "".join(parts)
