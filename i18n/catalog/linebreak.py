"""Line breaking exactly as GNU gettext 0.21 wraps PO strings (libunistring 1.0).

gettext's ``wrap()`` hands each escaped string portion to libunistring's ``ulc_width_linebreaks``: break
opportunities by UAX #14 with libunistring's tailoring, then a greedy fill measuring columns with
``uc_width``. This module does the same with the tables of libunistring 1.0 itself (``_unidata.py``,
Unicode 14.0.0; see ``tools/gen_unidata.py``), in three ways that give the same answer (the tests check
them against each other and against the library):

- **short lines**: text of characters one column wide whose breaks UAX #14 decides pairwise (Latin,
  Greek, Cyrillic, general punctuation, currency: nearly all prose) is filled line by line from the end:
  the last space before the line's limit (``str.rfind``), and a regular expression for the breaks that
  need no space (after a hyphen, a slash, a dash ...) in the word after it. Only a few characters per
  line are looked at;
- **pairwise**: other text of pairwise classes (CJK, emoji without joiners, wide characters): one regular
  expression over the text's class letters finds every opportunity, the fill takes a ``bisect`` per line;
- **the state machine** of libunistring's ``u8_possible_linebreaks_loop`` and ``u8_width_linebreaks``,
  literally, for the rest (combining marks, joiners, regional indicators, Hebrew, zero-width space, line
  separators, control characters).
"""

from __future__ import annotations

import base64
import re
import zlib
from bisect import bisect_right
from collections.abc import Collection, Iterator
from functools import cache
from itertools import accumulate

from . import _unidata

# libunistring 1.0's class numbers (lib/unilbrk/lbrktables.h); 33 and above are resolved at run time
(WJ, GL, B2, BA, BB, HY, CL, CP1, CP2, EX, IN, NS, OP1, OP2, QU, IS, NU, PO, PR, SY, AL) = range(21)
(H2, H3, ID1, ID2, JL, JV, JT, HL, RI, ZWJ, EB, EM, BK, CR, LF, CM, ZW, SP, CB, AI, SA, XX) = range(21, 43)
_HL_BA = 100  # run-time state: a Hebrew letter followed by a hyphen or break-after character
_TABLE_CLASSES = 33

# break values, as in <unilbrk.h>
_PROHIBITED, _POSSIBLE, _MANDATORY, _CR_BEFORE_LF = 1, 2, 3, 5

_PAIRS = tuple(tuple("_DIP".index(c) for c in row) for row in _unidata.PAIRS)
_D, _I, _P = 1, 2, 3

assert _unidata.CLASS_NAMES.split()[AL] == "AL" and _unidata.CLASS_NAMES.split()[XX] == "XX"


def _resolve(cls: int) -> int:
    """libunistring resolves these before using the pair table (non-CJK encoding: AI is AL)."""
    if cls in (AI, SA, XX):
        return AL
    return ID1 if cls == CB else cls


# -- the tables ---------------------------------------------------------------------------------------


def _runs(runs: str) -> Iterator[tuple[int, int, int]]:
    """The (start, end, stored value) runs of a ``_unidata`` table."""
    data = zlib.decompress(base64.b85decode(runs))
    start = index = 0
    previous: tuple[int, int] | None = None
    while index < len(data):
        delta = shift = 0
        while data[index] & 128:
            delta |= (data[index] & 127) << shift
            shift += 7
            index += 1
        delta |= data[index] << shift
        start += delta
        if previous is not None:
            yield previous[0], start, previous[1]
        previous = (start, data[index + 1])
        index += 2
    if previous is not None:
        yield previous[0], 0x110000, previous[1]


class _Table:
    """One property of every code point, looked up by ``bisect`` in its runs."""

    def __init__(self, runs: str, value: dict[int, int] | None = None) -> None:
        decoded = list(_runs(runs))
        self.ranges = [(start, end, value.get(v, v) if value else v) for start, end, v in decoded]
        self.starts = [start for start, _, _ in self.ranges]
        self.values = [v for _, _, v in self.ranges]

    def __getitem__(self, code: int) -> int:
        return self.values[bisect_right(self.starts, code) - 1]


# stored class -> resolved class; stored width + 1 -> columns (controls, stored as 0, take none)
CLASSES = _Table("".join(_unidata.LINEBREAK_RUNS), {c: _resolve(c) for c in range(43)})
WIDTHS = _Table("".join(_unidata.WIDTH_RUNS), {w: max(w - 1, 0) for w in range(256)})


class _CharMap(dict[str, int]):
    """Character -> a property, memoised."""

    def __init__(self, table: _Table) -> None:
        super().__init__()
        self.table = table

    def __missing__(self, char: str) -> int:
        value = self[char] = self.table[ord(char)]
        return value


_CLASS_OF = _CharMap(CLASSES)
_WIDTH_OF = _CharMap(WIDTHS)

_SPECIAL = frozenset((BK, CR, LF, CM, ZWJ, ZW, RI, HL))  # classes with rules beyond the pair table


def _char_class(codes: Iterator[int] | list[int]) -> str:
    """A regular expression character set of these code points (as ranges)."""
    ordered = sorted(set(codes))
    parts: list[str] = []
    n = 0
    while n < len(ordered):
        first = last = ordered[n]
        while n + 1 < len(ordered) and ordered[n + 1] == last + 1:
            n += 1
            last = ordered[n]
        parts.append(re.escape(chr(first)) + ("-" + re.escape(chr(last)) if last > first else ""))
        n += 1
    return "".join(parts)


# -- short lines: one column per character, pairwise classes ------------------------------------------

# The characters of the short-line path: printable ASCII, Latin-1, general punctuation, currency, letter-
# like symbols, arrows, math brackets (U+27E6..), each if it takes one column and is of a pairwise class.
_SHORT_BLOCKS = (
    *((0x20, 0x7F), (0xA0, 0x250), (0x370, 0x530), (0x2010, 0x2060)),
    *((0x20A0, 0x20C1), (0x2100, 0x2200), (0x27E6, 0x27F0)),
)
_SHORT = sorted(
    code
    for low, high in _SHORT_BLOCKS
    for code in range(low, high)
    if WIDTHS[code] == 1 and CLASSES[code] not in _SPECIAL
)
_SHORT_CLASS = {chr(code): CLASSES[code] for code in _SHORT}
_OUTSIDE_SHORT = re.compile(f"[^{_char_class(_SHORT)}]")
_SPACED_PROHIBITED = {
    (a, b) for a in range(_TABLE_CLASSES) for b in range(_TABLE_CLASSES) if _PAIRS[a][b] == _P
}


def _short_direct_pattern() -> re.Pattern[str]:
    """Matches the character before a break that needs no space (``m.end()`` is the break)."""
    by_class: dict[int, list[int]] = {}
    for code in _SHORT:
        by_class.setdefault(CLASSES[code], []).append(code)
    groups: dict[str, list[int]] = {}
    for before, codes in by_class.items():
        if before == SP:  # spaces are never the class before a break: the character before them is
            continue
        after = _char_class(
            c for a, cs in by_class.items() if a != SP and _PAIRS[before][a] == _D for c in cs
        )
        if after:
            groups.setdefault(after, []).extend(codes)
    return re.compile("|".join(f"[{_char_class(codes)}](?=[{after}])" for after, codes in groups.items()))


_SHORT_DIRECT = _short_direct_pattern()


def _short_lines(text: str, width: int, start_column: int, prohibited: Collection[int]) -> list[int]:
    """The fill for text in ``_SHORT`` characters: per line, the last opportunity within the width."""
    breaks: list[int] = []
    line, column = 0, start_column  # where the line starts, and its column there
    size = len(text)
    while column + size - line > width:
        point = _last_break(text, line, line + width - column, prohibited)
        if point < 0:  # a piece longer than the line: it goes whole, up to the next opportunity
            point = _next_break(text, line, prohibited)
            if point < 0:
                break
        breaks.append(point)
        line, column = point, 0
    return breaks


def _last_break(text: str, low: int, high: int, prohibited: Collection[int]) -> int:
    """The last break opportunity ``p`` with ``low < p <= high`` (before ``text[p]``), or -1."""
    high = min(high, len(text) - 1)
    direct = _SHORT_DIRECT
    while high > low:
        space = text.rfind(" ", low, high + 1)
        word = space + 1 if space >= low else low
        if direct.search(text, word, high + 1) is not None:  # a break inside the word: the last one
            for match in reversed(list(direct.finditer(text, word, high + 1))):
                if match.end() not in prohibited:
                    return match.end()
        if space < low:
            return -1
        run = space
        while run > 0 and text[run - 1] == " ":
            run -= 1
        point = space + 1
        if (
            point <= high
            and run > 0  # a space run at the start of the text: no break after it
            and point not in prohibited
            and (_SHORT_CLASS[text[run - 1]], _SHORT_CLASS[text[point]]) not in _SPACED_PROHIBITED
        ):
            return point
        high = run - 1
    return -1


def _next_break(text: str, low: int, prohibited: Collection[int]) -> int:
    """The first break opportunity after ``low``, or -1."""
    for match in _PAIRWISE_SHORT.finditer(text, low):
        if match.end() not in prohibited:
            return match.end()
    return -1


def _pairwise_pattern(classes: dict[int, str], space: str) -> re.Pattern[str]:
    """Matches a character and the spaces after it when a break may follow them: ``m.end()`` is one.
    ``classes`` gives the regular expression set of each class."""
    plain = [c for c in range(_TABLE_CLASSES) if c not in _SPECIAL and c != SP and c in classes]
    groups: dict[tuple[str, str], list[int]] = {}
    for before in plain:
        direct = "".join(classes[a] for a in plain if _PAIRS[before][a] == _D)
        spaced = "".join(classes[a] for a in plain if _PAIRS[before][a] in (_D, _I))
        groups.setdefault((direct, spaced), []).append(before)
    branches = []
    for (direct, spaced), befores in groups.items():
        after = []
        if direct:
            after.append(f"(?=[{direct}])")
        if spaced:
            after.append(f"{space}+(?=[{spaced}])")
        if after:
            branches.append(f"[{''.join(classes[b] for b in befores)}](?:{'|'.join(after)})")
    # Most positions are inside a word (a letter or digit before a letter or digit), where no branch can
    # match: say so first, so that the engine leaves them after one test.
    assert all(_PAIRS[a][b] != _D for a in (AL, NU) for b in (AL, NU))
    word = classes.get(AL, "") + classes.get(NU, "")
    return re.compile(f"(?![{word}][{word}])(?:{'|'.join(branches)})")


def _short_sets() -> dict[int, str]:
    by_class: dict[int, list[int]] = {}
    for code in _SHORT:
        by_class.setdefault(CLASSES[code], []).append(code)
    return {cls: _char_class(codes) for cls, codes in by_class.items()}


_PAIRWISE_SHORT = _pairwise_pattern(_short_sets(), " ")


# -- pairwise: class letters -----------------------------------------------------------------------------


def _letter(cls: int) -> str:
    return chr(ord("A") + cls) if cls < 26 else chr(ord("a") + cls - 26)


class _LetterMap(dict[int, str]):
    """Code point -> its class letter, filled as characters are met (a ``str.translate`` mapping)."""

    def __missing__(self, code: int) -> str:
        letter = self[code] = _letter(CLASSES[code])
        return letter


class _WidthCharMap(dict[int, str]):
    """Code point -> its columns as a character (``chr(0)``, ``chr(1)``, ``chr(2)``), filled as met."""

    def __missing__(self, code: int) -> str:
        width = self[code] = chr(WIDTHS[code])
        return width


_LETTERS = _LetterMap()
_WIDTH_CHARS = _WidthCharMap()
_SPECIAL_LETTERS = re.compile("[" + "".join(_letter(c) for c in sorted(_SPECIAL)) + "]")


@cache
def _pairwise() -> re.Pattern[str]:
    return _pairwise_pattern({c: _letter(c) for c in range(_TABLE_CLASSES)}, _letter(SP))


def _columns(text: str) -> list[int]:
    """Column before each character and after the last (prefix sums of the widths)."""
    return [0, *accumulate(text.translate(_WIDTH_CHARS).encode("latin-1"))]


def _fill(
    opportunities: list[int], columns: list[int], total: int, width: int, start_column: int
) -> list[int]:
    """Where the greedy fill breaks: ``columns[k]`` is the column of ``opportunities[k]`` counted from the
    text's start, ``total`` the text's width. Each line takes the pieces that end within ``width``, or one
    piece when even that one is too wide (a long word is never cut)."""
    breaks = []
    line_start = 0  # column (from the text's start) where the current line begins
    start = start_column
    first = 0  # index of the first opportunity after the line start
    while start + total - line_start > width:
        k = max(bisect_right(columns, line_start + width - start, first) - 1, first)
        if k >= len(opportunities):
            break
        breaks.append(opportunities[k])
        line_start, start, first = columns[k], 0, k + 1
    return breaks


# -- the state machine ---------------------------------------------------------------------------------


def possible_breaks(text: str) -> list[int]:
    """libunistring 1.0's ``u8_possible_linebreaks_v2`` for ``text`` (UTF-8, not a CJK encoding): per
    character, the break value before it (prohibited, possible, mandatory or CR before LF)."""
    classes = _CLASS_OF
    result = [_PROHIBITED] * len(text)
    prev_prop = last_prop = BK
    seen_space = False
    ri_count = 0
    for i, char in enumerate(text):
        prop = classes[char]
        if prop in (BK, LF, CR):
            result[i] = _MANDATORY
            if prev_prop == CR and prop == LF:
                result[i - 1] = _CR_BEFORE_LF
            prev_prop, last_prop, seen_space = prop, BK, False
        else:
            if prop == SP:
                seen_space = True
            elif prop == ZW:
                last_prop, seen_space = ZW, False
            elif prop in (CM, ZWJ):
                if last_prop == BK:
                    last_prop, seen_space = AL, False
                elif last_prop == ZW or seen_space:
                    result[i] = _POSSIBLE
                    last_prop, seen_space = AL, False
            else:
                result[i] = _decide(prev_prop, last_prop, prop, seen_space, ri_count)
                last_prop, seen_space = prop, False
            prev_prop = _HL_BA if prev_prop == HL and prop in (HY, BA) else prop
        ri_count = ri_count + 1 if prop == RI else 0
    return result


def _decide(prev_prop: int, last_prop: int, prop: int, seen_space: bool, ri_count: int) -> int:
    if last_prop == BK:
        return _PROHIBITED
    if last_prop == ZW:
        return _POSSIBLE
    if prev_prop in (ZWJ, _HL_BA):
        return _PROHIBITED
    if last_prop == RI and prop == RI:
        return _POSSIBLE if seen_space or ri_count % 2 == 0 else _PROHIBITED
    pair = _PAIRS[last_prop][prop]
    return _POSSIBLE if pair == _D or (pair == _I and seen_space) else _PROHIBITED


def _fill_literal(text: str, breaks: list[int], width: int, start_column: int) -> list[int]:
    """libunistring's ``u8_width_linebreaks`` (at_end_columns 0) over known break values, literally."""
    widths = _WIDTH_OF
    inserted: list[int] = []
    last_p = -1
    last_column, piece_width = start_column, 0
    for i, char in enumerate(text):
        brk = breaks[i]
        if brk in (_POSSIBLE, _MANDATORY) and last_p >= 0 and last_column + piece_width > width:
            inserted.append(last_p)
            last_column = 0
        if brk == _MANDATORY:
            last_p, last_column, piece_width = -1, 0, 0
        else:
            if brk == _POSSIBLE:
                last_p, last_column, piece_width = i, last_column + piece_width, 0
            piece_width += widths[char]
    if last_p >= 0 and last_column + piece_width > width:
        inserted.append(last_p)
    return inserted


def fill_slow(text: str, width: int, start_column: int, prohibited: Collection[int] = ()) -> list[int]:
    """``ulc_width_linebreaks`` by the state machine alone (what the faster paths must agree with)."""
    breaks = possible_breaks(text)
    for i in prohibited:
        breaks[i] = _PROHIBITED
    return _fill_literal(text, breaks, width, start_column)


# -- the entry point -----------------------------------------------------------------------------------


class LineBreaker:
    """The break opportunities of one text, to fill lines from any start column: what
    ``ulc_width_linebreaks(text, width, start_column, 0, overrides, "UTF-8")`` does, where the overrides
    forbid a break before each position in ``prohibited`` and leave the others to UAX #14."""

    __slots__ = ("_breaks", "_columns", "_opportunities", "_short", "prohibited", "text")

    def __init__(self, text: str, prohibited: Collection[int] = ()) -> None:
        self.text = text
        self.prohibited = prohibited
        self._short: bool | None = None
        self._columns: list[int] | None = None
        self._opportunities: list[int] | None = None
        self._breaks: list[int] | None = None  # the state machine's answer, for the rest

    def points(self, width: int, start_column: int) -> list[int]:
        """Positions before which a line break goes."""
        text = self.text
        if start_column + 2 * len(text) <= width or (text.isascii() and start_column + len(text) <= width):
            return []  # fits, whatever the widths
        if self._short is None:
            self._short = _OUTSIDE_SHORT.search(text) is None
        if self._short:
            return _short_lines(text, width, start_column, self.prohibited)
        if self._breaks is None and self._opportunities is None:
            self._analyse()
        if self._breaks is not None:
            return _fill_literal(text, self._breaks, width, start_column)
        assert self._opportunities is not None and self._columns is not None
        columns = self._columns
        if start_column + columns[-1] <= width:
            return []
        found = self._opportunities
        return _fill(found, [columns[p] for p in found], columns[-1], width, start_column)

    def _analyse(self) -> None:
        letters = self.text.translate(_LETTERS)
        if _SPECIAL_LETTERS.search(letters) is not None:
            breaks = possible_breaks(self.text)
            for i in self.prohibited:
                breaks[i] = _PROHIBITED
            self._breaks = breaks
            return
        found = [m.end() for m in _pairwise().finditer(letters)]
        if self.prohibited:
            found = [p for p in found if p not in self.prohibited]
        self._opportunities = found
        self._columns = _columns(self.text)


def wrap_points(text: str, width: int, start_column: int, prohibited: Collection[int] = ()) -> list[int]:
    """Positions in ``text`` before which ``ulc_width_linebreaks(text, width, start_column, 0, overrides,
    "UTF-8")`` puts a line break, where the overrides forbid a break before each position in
    ``prohibited`` and leave the others to UAX #14."""
    return LineBreaker(text, prohibited).points(width, start_column)
