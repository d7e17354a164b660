"""Reading and writing catalogs as gettext PO files.

The writer's output is byte for byte what GNU ``msgcat`` (gettext 0.21, default options) writes for the
same catalog: strings wrapped at 79 columns where libunistring's UAX #14 allows a break (see
``linebreak.py``), ``#:`` lines filled to 79 columns, flags in gettext's order, obsolete entries last.
The reader makes one pass, checks the syntax as it goes (an error names the file and line) and takes
time linear in the file's size.

What the model cannot hold is refused rather than lost (plural entries), or is only a hint for
translators (a previous ``msgctxt``, a header's flags), see ``parse_catalog``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..caches import run_cache
from ..errors import I18nError
from .model import Catalog, Message

WRAP_WIDTH = 79  # msgcat's page width (--width): a line is at most 79 columns where a break is allowed
NO_LINE = -1  # the line of a ``#:`` reference that has none (``#: README``), as gettext keeps it
_META = "i18n: "


class CatalogError(I18nError):
    """A catalog file that cannot be read."""


def read_catalog(path: Path, page: str, language: str | None) -> Catalog:
    """Read a PO/POT file; a syntax error is a ``CatalogError`` naming the file and line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", path=path) from None
    return parse_catalog(decode_catalog(data, path), page, language, path=path)


_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:+-]+)")
_UTF8 = frozenset({"utf-8", "utf8", "charset"})  # CHARSET: a template's placeholder, read as UTF-8


def decode_catalog(data: bytes, path: str | Path) -> str:
    """A PO file's text, read in the charset its header declares (``Content-Type: …; charset=…``), as
    msgfmt reads it: UTF-8 when it declares none. The pipeline writes UTF-8 back. A file that is not
    valid in its charset is a ``CatalogError`` naming the line and the charset, never a byte offset."""
    head = data.split(b"\n\n", 1)[0]  # the header entry comes first
    declared = _CHARSET.search(head)
    charset = declared.group(1).decode("ascii") if declared else None
    header_line = data.count(b"\n", 0, declared.start()) + 1 if declared else 1
    if charset is not None and charset.lower() not in _UTF8:
        import codecs

        try:
            codec = codecs.lookup(charset).name
        except LookupError:
            raise CatalogError(
                f"the header declares charset={charset}, an encoding this reader does not know; "
                "save the file as UTF-8",
                path=path,
                line=header_line,
            ) from None
        try:
            return data.decode(codec)
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise CatalogError(
                f"not valid {charset} (the charset the header declares at line {header_line})",
                path=path,
                line=line,
            ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        said = f"the header declares charset={charset}" if charset else "the header declares no charset"
        raise CatalogError(
            f"not valid UTF-8 ({said}): save the file as UTF-8", path=path, line=line
        ) from None


# -- writing -------------------------------------------------------------------------------------------


def format_catalog(catalog: Catalog) -> str:
    """The PO text of ``catalog``, as ``msgcat`` writes it: same catalog, same bytes.

    A template (``language`` None) gets empty msgstrs and no translation bookkeeping; obsolete entries
    without a translation are left out, as msgcat leaves them out.
    """
    template = catalog.language is None
    parts: list[str] = []
    if catalog.header or catalog.header_comment:
        parts.append(_header_text(catalog.header, catalog.header_comment))
    parts.extend(_entry_text(m, template) for m in catalog.messages if not m.obsolete)
    if not template:
        parts.extend(_entry_text(m, template) for m in catalog.messages if m.obsolete and m.msgstr)
    return "\n".join(parts)


def _header_text(header: tuple[tuple[str, str], ...], comment: str) -> str:
    comments = _comment_lines("#", comment.split("\n")) if comment else ""
    value = "".join(f"{key}: {value}\n" for key, value in header)
    return comments + 'msgid ""\n' + _field("", "msgstr", value, True)


@run_cache(4096)  # a page's entries, shared by its catalogs in every language
def _entry_text(message: Message, template: bool) -> str:
    """One entry, as msgcat's ``message_print`` / ``message_print_obsolete`` write it."""
    obsolete = message.obsolete
    msgstr = "" if template else message.msgstr
    flags = canonical_flags(message.flags) if message.flags else ()
    wrap = "no-wrap" not in flags
    out = [_comment_lines("#", _comments(message, template=template))]
    if message.notes:
        out.append(_comment_lines("#.", message.notes))
    if message.locations:
        out.append(_references(message.locations))
    fuzzy = message.fuzzy and not template and (obsolete or bool(msgstr))
    shown: tuple[str, ...] = ("fuzzy",) if fuzzy else ()
    # msgcat 0.21 writes no range on an obsolete entry (the other flags it does)
    shown += tuple(f for f in flags if not f.startswith("range: ")) if obsolete else flags
    if shown:
        out.append("#, " + ", ".join(shown) + "\n")
    if message.previous is not None and not template:
        out.append(_field("#~| " if obsolete else "#| ", "msgid", message.previous, wrap))
    prefix = "#~ " if obsolete else ""
    if message.context is not None:
        out.append(_field(prefix, "msgctxt", message.context, wrap))
    out.append(_field(prefix, "msgid", message.msgid, wrap))
    out.append(_field(prefix, "msgstr", msgstr, wrap))
    return "".join(out)


def _comments(message: Message, *, template: bool) -> list[str]:
    lines: list[str] = list(message.comments)
    if template:
        return lines
    if message.source_hash:
        lines.append(f"{_META}source-hash {message.source_hash}")
    if message.origin:
        lines.append(f"{_META}origin {message.origin}")
    if message.request:
        lines.append(f"{_META}request {message.request}")
    if message.rejected:
        lines.append(f"{_META}rejected {message.rejected}")
    if message.glossary:
        lines.append(f"{_META}glossary {json.dumps(list(message.glossary), ensure_ascii=False)}")
    lines.extend(f"{_META}suggestion {json.dumps(s, ensure_ascii=False)}" for s in message.suggestions)
    return lines


def _comment_lines(mark: str, comments: Iterable[str]) -> str:
    """``# text`` lines, never wrapped; an empty comment is a bare ``#`` (a newline starts a new line)."""
    out = []
    for comment in comments:
        if comment and "\n" not in comment:
            out.append(f"{mark} {comment}\n")
            continue
        for line in comment.split("\n"):
            out.append(f"{mark} {line}\n" if line else f"{mark}\n")
    return "".join(out)


def _references(locations: tuple[tuple[str, int], ...]) -> str:
    """``#:`` lines: references separated by a space, a new line when the next would pass column 79
    (counted in bytes, as msgcat counts), duplicates dropped, a leading ``./`` dropped."""
    if len(locations) == 1 and not locations[0][0].startswith("./"):  # on the first line, whatever its size
        file, number = locations[0]
        return f"#: {file}\n" if number < 0 else f"#: {file}:{number}\n"
    lines: list[str] = []
    line, column = "#:", 2
    seen: set[tuple[str, int]] = set()
    for file, number in locations:
        if (file, number) in seen:
            continue
        seen.add((file, number))
        while file.startswith("./"):
            file = file[2:]
        reference = file if number < 0 else f"{file}:{number}"
        length = len(reference.encode("utf-8")) + 1
        if column > 2 and column + length > WRAP_WIDTH:
            lines.append(line)
            line, column = "#:", 2
        line += " " + reference
        column += length
    lines.append(line)
    return "\n".join(lines) + "\n"


# as gettext escapes (the backslash first); other control characters are written as they are
_ESCAPES = (
    *(("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\t", "\\t"), ("\r", "\\r")),
    *(("\a", "\\a"), ("\b", "\\b"), ("\f", "\\f"), ("\v", "\\v")),
)
_NEEDS_ESCAPE = re.compile('[\a\b\f\n\r\t\v\\\\"]')
_ESCAPED_PAIR = re.compile(r"\\.")


def _escape(text: str) -> str:
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    for char, escaped in _ESCAPES:
        if char in text:
            text = text.replace(char, escaped)
    return text


def _portions(value: str) -> list[str]:
    """``value`` cut after each newline (gettext writes each portion on lines of its own)."""
    end = value.find("\n")
    if end < 0 or end == len(value) - 1:
        return [value]
    parts = value.split("\n")
    portions = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        portions.append(parts[-1])
    return portions


@run_cache(16384)  # a msgid is written once for the template and every language
def _field(prefix: str, name: str, value: str, wrap: bool) -> str:
    """``name "value"`` as gettext's ``wrap()`` writes it: split after each ``\\n``, each portion escaped
    and broken where it would pass column 79; a value that takes more than one line starts with ``""``."""
    if _NEEDS_ESCAPE.search(value) is None and value.isascii() and len(prefix) + len(name) + len(value) <= 76:
        if "\x00" in value or "\x04" in value:
            raise CatalogError(f"{name} {_shown(value)}: a PO string cannot hold U+0000 or U+0004")
        return f'{prefix}{name} "{value}"\n'  # fits: nothing to escape, 1 column per character
    if "\x00" in value or "\x04" in value:
        raise CatalogError(f"{name} {_shown(value)}: a PO string cannot hold U+0000 or U+0004")
    from . import linebreak  # loaded by the first string that may need breaking (reading needs none)

    # text columns after the opening quote; the closing quote needs one more
    width = (WRAP_WIDTH if wrap else 1 << 30) - 1 - (len(prefix) + 1)
    portions = _portions(value)
    lines: list[str] = []
    first = True
    for n, portion in enumerate(portions):
        escaped = _escape(portion)
        prohibited = _prohibited(escaped, portion)
        breaker = linebreak.LineBreaker(escaped, prohibited)
        if first and escaped and n + 1 < len(portions):  # several lines for sure: the first is empty
            lines.append(f'{prefix}{name} ""')
            first = False
        breaks = breaker.points(width, len(name) + 1 if first else 0)
        if first and escaped and breaks:
            lines.append(f'{prefix}{name} ""')
            first = False
            breaks = breaker.points(width, 0)
        head = f"{prefix}{name} " if first else prefix
        first = False
        for piece in _split(escaped, breaks):
            lines.append(f'{head}"{piece}"')
            head = prefix
    return "\n".join(lines) + "\n"


def _prohibited(escaped: str, portion: str) -> set[int]:
    """No break inside an escape sequence, nor before the ``\\n`` that ends a portion."""
    if "\\" not in escaped:
        return set()
    prohibited = {m.start() + 1 for m in _ESCAPED_PAIR.finditer(escaped)}
    if portion.endswith("\n"):
        prohibited.add(len(escaped) - 2)
    return prohibited


def _split(text: str, breaks: list[int]) -> Iterator[str]:
    start = 0
    for point in breaks:
        yield text[start:point]
        start = point
    yield text[start:]


# -- flags ---------------------------------------------------------------------------------------------

# gettext 0.21's format types, in the order msgcat writes them (format.h)
_FORMATS = (
    "c",
    "objc",
    "python",
    "python-brace",
    "java",
    "java-printf",
    "csharp",
    "javascript",
    "scheme",
    "lisp",
    "elisp",
    "librep",
    "ruby",
    "sh",
    "awk",
    "lua",
    "object-pascal",
    "smalltalk",
    "qt",
    "qt-plural",
    "kde",
    "kde-kuit",
    "boost",
    "tcl",
    "perl",
    "perl-brace",
    "php",
    "gcc-internal",
    "gfc-internal",
    "ycp",
)
_FORMAT_FLAG = re.compile(r"(no-|possible-|impossible-)?(" + "|".join(map(re.escape, _FORMATS)) + ")-format")
_RANGE = re.compile(r"range: ([0-9]+)\.\.([0-9]+)")
_FLAG_SEPARATORS = re.compile("[\n \t\r\f\v,]+")


@run_cache(1024)
def canonical_flags(flags: tuple[str, ...]) -> tuple[str, ...]:
    """Flags other than fuzzy as msgcat writes them: format flags in gettext's order (``possible-`` shown
    plain, ``impossible-`` dropped; the last word for a format wins), ``range: a..b``, then ``no-wrap``
    unless a later ``wrap`` undid it. Flags gettext does not know are kept, after those, in order."""
    formats: dict[str, str] = {}
    number_range: tuple[int, int] | None = None
    wrap: bool | None = None
    others: list[str] = []
    for flag in flags:
        if match := _FORMAT_FLAG.fullmatch(flag):
            formats[match.group(2)] = match.group(1) or ""
        elif flag in ("wrap", "no-wrap"):
            wrap = flag == "wrap"
        elif (match := _RANGE.fullmatch(flag)) and int(match.group(1)) <= int(match.group(2)):
            number_range = (int(match.group(1)), int(match.group(2)))
        elif flag != "fuzzy" and flag not in others:
            others.append(flag)
    shown = [
        f"no-{name}-format" if formats[name] == "no-" else f"{name}-format"
        for name in _FORMATS
        if formats.get(name, "impossible-") != "impossible-"
    ]
    if number_range is not None:
        shown.append(f"range: {number_range[0]}..{number_range[1]}")
    if wrap is False:
        shown.append("no-wrap")
    return (*shown, *others)


def _flag_words(text: str) -> Iterator[str]:
    """The words of a ``#,`` line as gettext splits them (commas and white space), ``range: a..b`` one."""
    words = iter(w for w in _FLAG_SEPARATORS.split(text) if w)
    for word in words:
        yield f"range: {next(words, '')}" if word == "range:" else word


# -- reading -------------------------------------------------------------------------------------------

_STRINGS = re.compile(r'(?:"[^"\\]*(?:\\.[^"\\]*)*"[ \t]*)+')  # a run of complete strings
_STRING = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"')
_KEYWORD = re.compile(r"[ \t]*(msgctxt|msgid_plural|msgid|msgstr(?:\[[0-9]+\])?)(?![A-Za-z0-9_\[])[ \t]*")
_ESCAPE = re.compile(r'\\(?:([ntbrfva\\"])|([0-7]{1,3})|x([0-9a-fA-F]+)|(.?))', re.DOTALL)
_OTHER_ESCAPE = re.compile(r'\\[^ntbrfva"]')
_SIMPLE = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "\\": "\\", '"': '"'}
_PLURALS = (
    "plural entries (msgid_plural, msgstr[N]) are not supported: a page's catalog has one msgstr per entry"
)


# An entry exactly as gettext lays it out (blank lines before it, comments, keyword and strings with one
# space, continuation strings on lines of their own), the way ``_Reader._scan`` reads most files. It must
# be followed by what can only start another entry (or the end), so that the line-by-line reader, which
# takes over where this stops matching, never sees the middle of an entry.
_S = r'"[^"\\\n\x00\x04]*(?:\\[^\n][^"\\\n\x00\x04]*)*"'
_LAID_OUT = re.compile(
    rf"""\n*(?P<comments>(?:\#(?:[^~|\n][^\n]*)?\n)*)
    (?:
      (?:\#\|\ msgctxt\ {_S}(?:\n\#\|\ {_S})*\n)?
      (?:\#\|\ msgid\ (?P<prev>{_S}(?:\n\#\|\ {_S})*)\n)?
      (?:msgctxt\ (?P<ctx>{_S}(?:\n{_S})*)\n)?
      msgid\ (?P<id>{_S}(?:\n{_S})*)\n
      msgstr\ (?P<str>{_S}(?:\n{_S})*)
    |
      (?:\#~\|\ msgctxt\ {_S}(?:\n\#~\|\ {_S})*\n)?
      (?:\#~\|\ msgid\ (?P<oprev>{_S}(?:\n\#~\|\ {_S})*)\n)?
      (?:\#~\ msgctxt\ (?P<octx>{_S}(?:\n\#~\ {_S})*)\n)?
      \#~\ msgid\ (?P<oid>{_S}(?:\n\#~\ {_S})*)\n
      \#~\ msgstr\ (?P<ostr>{_S}(?:\n\#~\ {_S})*)
    )
    (?:\n|\Z)
    (?=\n*(?:\Z|\#[^~]|\#~\|\ |\#~\ msg(?:ctxt|id)\ |msg(?:ctxt|id)\ ))""",
    re.VERBOSE,
)
_CONTENTS = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"')


def _field_value(field: str) -> str:
    """The value of a laid-out field's strings (``"a"\\n"b"``, or with ``#~ `` prefixes)."""
    if "\\" not in field:
        return field[1:-1] if "\n" not in field else "".join(_CONTENTS.findall(field))
    return "".join(_unescape(piece) for piece in _CONTENTS.findall(field))


class _Syntax(Exception):
    """A syntax error at the current line (turned into a ``CatalogError`` naming file and line)."""


class _Entry:
    """An entry being read: its comments, then its strings (each field a list of pieces)."""

    __slots__ = (
        "line",
        "lines",
        "msgctxt",
        "msgid",
        "msgstr",
        "obsolete",
        "prev_msgctxt",
        "prev_msgid",
        "start",
        "target",
        "target_previous",
    )

    def __init__(self) -> None:
        self.lines = _Comments()
        self.prev_msgctxt: list[str] | None = None
        self.prev_msgid: list[str] | None = None
        self.msgctxt: list[str] | None = None
        self.msgid: list[str] | None = None
        self.msgstr: list[str] | None = None
        self.obsolete: bool | None = None  # set by the first keyword line
        self.line = 0  # of msgid
        self.start = 0  # of the first keyword (msgctxt, msgid or a previous one)
        self.target: list[str] | None = None  # the field a continuation string belongs to
        self.target_previous = False  # whether that is a previous (#|) field

    def started(self) -> bool:
        return self.msgctxt is not None or self.msgid is not None


def parse_catalog(text: str, page: str, language: str | None, *, path: str | Path = "<catalog>") -> Catalog:
    """Parse PO text (LF or CRLF, an optional BOM) in one pass; errors name ``path`` and the line.

    Refused: syntax errors (unterminated strings, bad escapes, a msgstr without msgid, stray text), a
    duplicate entry (same msgctxt and msgid, obsolete ones included, as msgfmt and msgcat refuse it) and
    plural entries. Kept as gettext keeps them: references without line numbers (line ``NO_LINE``),
    ``#~|`` previous msgids of obsolete entries, several ``#,`` lines (their flags together). Dropped, as
    the model has no place for them: a previous ``#| msgctxt`` and the header entry's flags and
    non-translator comments.
    """
    reader = _Reader()
    try:
        reader.feed(text)
    except _Syntax as exc:
        raise CatalogError(str(exc), path=path, line=reader.number) from None
    except _Refused as exc:
        raise CatalogError(exc.message, path=path, line=exc.line) from None
    return Catalog(language, page, reader.header, tuple(reader.messages), reader.header_comment)


class _Refused(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _Reader:
    """``parse_catalog``'s single pass: whole entries in gettext's layout by one regular expression each,
    anything else by a line-by-line state machine."""

    def __init__(self) -> None:
        self.number = 0
        self.entry = _Entry()
        self.messages: list[Message] = []
        self.header: tuple[tuple[str, str], ...] = ()
        self.header_comment = ""
        self.seen: dict[tuple[str | None, str], int] = {}

    def feed(self, text: str) -> None:
        if text.startswith("\ufeff"):
            text = text[1:]
        position, number = 0, 1
        if "\r" not in text and "\\\n" not in text:  # entries as gettext writes them, one match each
            position, number = self._scan(text)
        if position < len(text):  # the rest, or all, line by line
            self._feed_lines(text[position:], number)
        self._finish()

    def _scan(self, text: str) -> tuple[int, int]:
        """Read whole entries in gettext's own layout while there are any; where the next is laid out
        otherwise or has an error, return its position and line for the line-by-line reader."""
        position, number = 0, 1
        match = _LAID_OUT.match
        while position < len(text):
            found = match(text, position)
            if found is None:
                break
            try:
                self._laid_out(found, text, number)
            except (_Syntax, _Refused):
                self.entry = _Entry()  # read it again, line by line, for the error and its line
                break
            number += text.count("\n", position, found.end())
            position = found.end()
        return position, number

    def _laid_out(self, found: re.Match[str], text: str, number: int) -> None:
        comments, previous, context, msgid, msgstr = found.group("comments", "prev", "ctx", "id", "str")
        obsolete = msgid is None
        if obsolete:
            previous, context, msgid, msgstr = found.group("oprev", "octx", "oid", "ostr")
        lines = _Comments()
        if comments:
            for line in comments[:-1].split("\n"):
                lines.add(line)
        self._add(
            None if context is None else _field_value(context),
            _field_value(msgid),
            _field_value(msgstr),
            None if previous is None else _field_value(previous),
            obsolete,
            number + text.count("\n", found.start(), found.start("oid" if obsolete else "id")),
            lines,
        )

    def _feed_lines(self, text: str, first: int) -> None:
        for number, line in _lines(text):
            self.number = number + first - 1
            if line.endswith("\r"):
                line = line[:-1]
            if not line or line.isspace():
                continue
            if line[0] == "#":
                self._comment(line)
            else:
                self._strings(line, obsolete=False, previous=False)
        self.number = max(self.number, first)

    # comments -----------------------------------------------------------------------------------------

    def _comment(self, line: str) -> None:
        mark = line[1:2]
        if mark == "~":
            rest = line[2:]
            if rest.startswith("|"):
                self._strings(rest[1:], obsolete=True, previous=True)
            else:
                self._strings(rest, obsolete=True, previous=False)
            return
        if mark == "|":
            self._strings(line[2:], obsolete=False, previous=True)
            return
        entry = self._before_strings()
        entry.target = None
        entry.lines.add(line)

    def _before_strings(self) -> _Entry:
        """The entry a comment belongs to: a new one after a complete entry."""
        entry = self.entry
        if entry.msgstr is not None:
            self._finish()
            return self.entry
        if entry.started():
            raise _Syntax("syntax error: comment inside an entry (msgstr missing)")
        return entry

    # strings --------------------------------------------------------------------------------------------

    def _strings(self, line: str, *, obsolete: bool, previous: bool) -> None:
        match = _KEYWORD.match(line)
        if match is None:
            rest = line.lstrip(" \t")
            if not rest.startswith('"'):
                raise _Syntax(f"syntax error: unexpected text {_shown(rest)}")
            self._continue(self._pieces(rest), obsolete=obsolete, previous=previous)
            return
        keyword = match.group(1)
        rest = line[match.end() :]
        if not rest.startswith('"'):
            raise _Syntax(f"syntax error: {keyword} without a string")
        pieces = self._pieces(rest)
        if keyword == "msgid_plural" or keyword.startswith("msgstr["):
            raise _Refused(_PLURALS, self.number)
        if previous:
            self._previous(keyword, pieces, obsolete)
        else:
            self._keyword(keyword, pieces, obsolete)

    def _pieces(self, rest: str) -> list[str]:
        match = _STRINGS.match(rest)
        if match is None or match.end() != len(rest):
            if match is None or rest[match.end() :].startswith('"'):
                raise _Syntax("syntax error: unterminated string")
            raise _Syntax(f"syntax error: unexpected text {_shown(rest[match.end() :])}")
        pieces = [_unescape(s) for s in _STRING.findall(rest, 0, match.end())]
        if any("\x04" in p or "\x00" in p for p in pieces):
            raise _Syntax("syntax error: U+0004 (gettext's context separator) or U+0000 in a string")
        return pieces

    def _continue(self, pieces: list[str], *, obsolete: bool, previous: bool) -> None:
        entry = self.entry
        if entry.target is None or entry.obsolete != obsolete or entry.target_previous != previous:
            raise _Syntax("syntax error: a string that continues no msgid, msgstr or msgctxt")
        entry.target.extend(pieces)

    def _mode(self, entry: _Entry, obsolete: bool) -> None:
        if entry.obsolete is None:
            entry.obsolete = obsolete
            entry.start = self.number
        elif entry.obsolete != obsolete:
            raise _Syntax("syntax error: obsolete (#~) and active lines in one entry")

    def _previous(self, keyword: str, pieces: list[str], obsolete: bool) -> None:
        entry = self._before_strings()
        self._mode(entry, obsolete)
        if keyword == "msgctxt" and entry.prev_msgctxt is None and entry.prev_msgid is None:
            entry.prev_msgctxt = entry.target = pieces
        elif keyword == "msgid" and entry.prev_msgid is None:
            entry.prev_msgid = entry.target = pieces
        else:
            raise _Syntax(f"syntax error: unexpected previous {keyword}")
        entry.target_previous = True

    def _keyword(self, keyword: str, pieces: list[str], obsolete: bool) -> None:
        entry = self.entry
        if keyword == "msgstr":
            if entry.msgid is None or entry.msgstr is not None:
                raise _Syntax("syntax error: msgstr without msgid")
            self._mode(entry, obsolete)
            entry.msgstr = entry.target = pieces
            entry.target_previous = False
            return
        if entry.msgstr is not None:
            self._finish()
            entry = self.entry
        if keyword == "msgctxt" and not entry.started():
            self._mode(entry, obsolete)
            entry.msgctxt = entry.target = pieces
        elif keyword == "msgid" and entry.msgid is None:
            self._mode(entry, obsolete)
            entry.msgid = entry.target = pieces
            entry.line = self.number
        else:
            raise _Syntax(f"syntax error: {keyword} after msgid, without msgstr")
        entry.target_previous = False

    # entries --------------------------------------------------------------------------------------------

    def _finish(self) -> None:
        entry, self.entry = self.entry, _Entry()
        if entry.msgid is None:
            if entry.started() or entry.prev_msgid is not None or entry.prev_msgctxt is not None:
                raise _Refused("syntax error: msgctxt without msgid", entry.start)
            return  # comments at the end of the file: gettext drops them too
        if entry.msgstr is None:
            raise _Refused("syntax error: msgid without msgstr", entry.line)
        self._add(
            None if entry.msgctxt is None else "".join(entry.msgctxt),
            "".join(entry.msgid),
            "".join(entry.msgstr),
            None if entry.prev_msgid is None else "".join(entry.prev_msgid),
            bool(entry.obsolete),
            entry.line,
            entry.lines,
        )

    def _add(
        self,
        context: str | None,
        msgid: str,
        msgstr: str,
        previous: str | None,
        obsolete: bool,
        line: int,
        comments: _Comments,
    ) -> None:
        """A whole entry: the header, or a message (refused if its msgctxt and msgid came before)."""
        key = (context, msgid)
        if key in self.seen:
            shown = _shown(msgid) + ("" if context is None else f" (msgctxt {_shown(context)})")
            raise _Refused(f"duplicate entry {shown}: first defined at line {self.seen[key]}", line)
        self.seen[key] = line
        if key == (None, "") and not obsolete:
            self.header = _parse_header(msgstr)
            self.header_comment = "\n".join(comments.translator)
            return
        self.messages.append(_message(context, msgid, msgstr, previous, obsolete, line, comments))


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Numbered lines; as in gettext's lexer, a backslash at the end of a line joins the next one to it."""
    lines = text.split("\n")
    if "\\\n" not in text:
        yield from enumerate(lines, start=1)
        return
    number = 0
    while number < len(lines):
        start, line = number + 1, lines[number]
        number += 1
        while line.endswith("\\") and number < len(lines):
            line = line[:-1] + lines[number]
            number += 1
        yield start, line


class _Comments:
    """An entry's comment lines, sorted by kind."""

    __slots__ = ("flags", "notes", "references", "translator")

    def __init__(
        self,
        translator: list[str] | None = None,
        notes: list[str] | None = None,
        references: list[tuple[str, int]] | None = None,
        flags: list[str] | None = None,
    ) -> None:
        self.translator = translator if translator is not None else []
        self.notes = notes if notes is not None else []
        self.references = references if references is not None else []
        self.flags = flags if flags is not None else []

    def add(self, line: str) -> None:
        """A ``#`` line other than ``#~`` and ``#|``."""
        mark = line[1:2]
        if mark == ".":
            self.notes.append(_strip_one_space(line[2:]))
        elif mark == ":":
            self.references.extend(_parse_references(line[2:]))
        elif mark in (",", "!"):
            self.flags.extend(["fuzzy"] if line == "#, fuzzy" else _flag_words(line[2:]))
        else:
            self.translator.append(_strip_one_space(line[1:]))


def _message(
    context: str | None,
    msgid: str,
    msgstr: str,
    previous: str | None,
    obsolete: bool,
    line: int,
    lines: _Comments,
) -> Message:
    comments, meta, suggestions = _split_comments(lines.translator)
    return Message(
        msgid=msgid,
        msgstr=msgstr,
        context=context,
        fuzzy="fuzzy" in lines.flags,
        previous=previous,
        obsolete=obsolete,
        locations=tuple(dict.fromkeys(lines.references)) if lines.references else (),
        notes=tuple(lines.notes),
        comments=tuple(comments),
        flags=canonical_flags(tuple(lines.flags)) if lines.flags else (),
        source_hash=meta.get("source-hash"),
        origin=meta.get("origin"),
        request=meta.get("request"),
        rejected=meta.get("rejected"),
        suggestions=tuple(suggestions),
        glossary=tuple(json.loads(meta["glossary"])) if meta.get("glossary", "").startswith("[") else (),
        line=line,
    )


def _split_comments(lines: list[str]) -> tuple[list[str], dict[str, str], list[str]]:
    """Translator comments, our ``i18n:`` bookkeeping (name -> value) and suggestions."""
    if len(lines) == 1 and lines[0].startswith(_META + "source-hash "):  # the usual one
        return [], {"source-hash": lines[0][len(_META) + 12 :]}, []
    comments: list[str] = []
    meta: dict[str, str] = {}
    suggestions: list[str] = []
    index = 0
    while index < len(lines):
        comment = lines[index]
        index += 1
        if not comment.startswith(_META):
            comments.append(comment)
            continue
        name, _, value = comment[len(_META) :].partition(" ")
        # a tool that re-wrapped a long comment split our line: join the pieces back
        while index < len(lines) and not lines[index].startswith(_META) and not _complete(name, value):
            value += " " + lines[index]
            index += 1
        if name == "suggestion":
            suggestions.append(_unquote(value))
        else:
            meta[name] = value
    return comments, meta, suggestions


def _complete(name: str, value: str) -> bool:
    """Whether a meta line's value is whole (plain lines after a rejection reason continue it)."""
    if name not in ("suggestion", "glossary"):
        return name != "rejected"
    try:
        json.loads(value)
    except ValueError:
        return False
    return True


def _unquote(value: str) -> str:
    try:
        loaded = json.loads(value)
    except ValueError:
        return value
    return str(loaded) if isinstance(loaded, str) else value


def _parse_header(msgstr: str) -> tuple[tuple[str, str], ...]:
    """``Name: value`` lines; the one space after the colon is the separator, as gettext writes it."""
    fields = []
    for line in msgstr.split("\n"):
        if not line:
            continue
        name, _, value = line.partition(":")
        fields.append((name, value[1:] if value.startswith(" ") else value))
    return tuple(fields)


def _parse_references(text: str) -> list[tuple[str, int]]:
    """``file:line`` words (a word without ``:digits`` is a file without line number)."""
    references = []
    for word in text.split():
        file, _, number = word.rpartition(":")
        if file and number.isdigit() and number.isascii():
            references.append((file, int(number)))
        else:
            references.append((word, NO_LINE))
    return references


def _strip_one_space(text: str) -> str:
    return text[1:] if text.startswith(" ") else text


_SIMPLE_ESCAPES = tuple(("\\" + letter, char) for letter, char in _SIMPLE.items() if letter != "\\")


def _unescape(text: str) -> str:
    """The value of a string's body: C escapes as gettext reads them; octal and hex escapes are bytes of
    the UTF-8 text."""
    if "\\" not in text:
        return text
    if "\\\\" not in text and _OTHER_ESCAPE.search(text) is None:  # each backslash starts \n, \" ...
        for escape, char in _SIMPLE_ESCAPES:
            if escape in text:
                text = text.replace(escape, char)
        return text
    out: list[str] = []
    octets = bytearray()
    position = 0
    for match in _ESCAPE.finditer(text):
        literal = text[position : match.start()]
        position = match.end()
        simple, octal, hexadecimal, bad = match.groups()
        if octets and (literal or simple is not None):
            out.append(_decode(octets))
        out.append(literal)
        if simple is not None:
            out.append(_SIMPLE[simple])
            continue
        if bad is not None:
            raise _Syntax(f"syntax error: invalid escape sequence {_shown(match.group(0))}")
        code = int(octal, 8) if octal is not None else int(hexadecimal, 16)
        if not 0 < code < 256 or code == 4:
            raise _Syntax(f"syntax error: escape sequence {match.group(0)} is not a byte of UTF-8 text")
        octets.append(code)
    if octets:
        out.append(_decode(octets))
    out.append(text[position:])
    return "".join(out)


def _decode(octets: bytearray) -> str:
    try:
        text = octets.decode("utf-8")
    except UnicodeDecodeError:
        raise _Syntax("syntax error: escape sequences that are not UTF-8") from None
    octets.clear()
    return text


def _shown(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")
