"""Reading and writing catalogs as gettext PO files (through polib), deterministically."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import polib

from ..errors import I18nError
from .model import Catalog, Message

WRAP_WIDTH = 78  # GNU gettext's default: what msgmerge and Poedit write
_META = "i18n: "
_SYNTAX_LINE = re.compile(r"\(line (\d+)\)")


class CatalogError(I18nError):
    """A catalog file that cannot be read."""


def read_catalog(path: Path, page: str, language: str | None) -> Catalog:
    """Read a PO/POT file; a syntax error is a ``CatalogError`` naming the file and line."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError(f"not valid UTF-8 at byte {exc.start}", path=path) from None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", path=path) from None
    return parse_catalog(text, page, language, path=path)


# polib is lenient (an unterminated string loses its last character): check each line's syntax first.
_STRING = r'"(?:[^"\\]|\\.)*"[ \t]*'
_PO_LINE = re.compile(
    rf"(?:#~[ \t]*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+{_STRING}|{_STRING})"
    r"|#(?:[^~].*)?|#~[ \t]*(?:[#|,].*)?|[ \t]*"
)


def _check_syntax(text: str, path: str | Path) -> None:
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if _PO_LINE.fullmatch(line) is None:
            shown = line if len(line) <= 60 else line[:57] + "..."
            raise CatalogError(f"syntax error: {shown!r}", path=path, line=number)


def parse_catalog(text: str, page: str, language: str | None, *, path: str | Path = "<catalog>") -> Catalog:
    _check_syntax(text, path)
    try:
        pofile = polib.pofile(text, wrapwidth=WRAP_WIDTH)
    except (OSError, ValueError) as exc:
        match = _SYNTAX_LINE.search(str(exc))
        line = int(match.group(1)) if match else None
        message = str(exc).split(" (line")[0].rstrip(".")
        raise CatalogError(message[:1].lower() + message[1:], path=path, line=line) from None
    lines = text.split("\n")
    messages = tuple(_message(entry, _msgid_line(lines, entry.linenum)) for entry in pofile)
    header = tuple((str(k), str(v)) for k, v in pofile.metadata.items())
    return Catalog(language, page, header, messages, pofile.header or "")


def _msgid_line(lines: list[str], start: int | None) -> int:
    """The line of an entry's ``msgid`` (polib points at the entry's first comment line)."""
    index = max((start or 1) - 1, 0)
    while index < len(lines) and not lines[index].lstrip("#~ ").startswith("msgid "):
        index += 1
    return index + 1 if index < len(lines) else start or 0


def _message(entry: polib.POEntry, line: int) -> Message:
    comments: list[str] = []
    meta: dict[str, str] = {}
    suggestions: list[str] = []
    lines = entry.tcomment.split("\n") if entry.tcomment else []
    while lines:
        comment = lines.pop(0)
        if not comment.startswith(_META):
            comments.append(comment)
            continue
        name, _, value = comment[len(_META) :].partition(" ")
        # a tool that re-wrapped a long comment split our line: join the pieces back
        while lines and not lines[0].startswith(_META) and not _complete(name, value):
            value += " " + lines.pop(0)
        if name == "suggestion":
            suggestions.append(_unquote(value))
        else:
            meta[name] = value
    flags = [f for f in entry.flags if f != "fuzzy"]
    return Message(
        msgid=entry.msgid,
        msgstr=entry.msgstr,
        context=entry.msgctxt,
        fuzzy="fuzzy" in entry.flags,
        previous=entry.previous_msgid,
        obsolete=bool(entry.obsolete),
        locations=tuple((file, int(line)) for file, line in entry.occurrences if str(line).isdigit()),
        notes=tuple(entry.comment.split("\n")) if entry.comment else (),
        comments=tuple(comments),
        flags=tuple(flags),
        source_hash=meta.get("source-hash"),
        origin=meta.get("origin"),
        request=meta.get("request"),
        rejected=meta.get("rejected"),
        suggestions=tuple(suggestions),
        glossary=tuple(json.loads(meta["glossary"])) if meta.get("glossary", "").startswith("[") else (),
        line=line,
    )


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


def format_catalog(catalog: Catalog) -> str:
    """The PO text of ``catalog``: same catalog, same bytes (fixed wrapping and field order).

    polib writes the entries; translator comments are written by us, unwrapped, so that an ``i18n:`` line
    never breaks in two (polib wraps comments at the wrap width, as xgettext does).
    """
    pofile = polib.POFile(wrapwidth=WRAP_WIDTH, check_for_duplicates=False)
    pofile.header = catalog.header_comment
    pofile.metadata = dict(catalog.header)
    template = catalog.language is None
    parts: list[str] = [pofile.__unicode__().rstrip("\n") + "\n"]  # header comment and metadata
    ordered = [m for m in catalog.messages if not m.obsolete] + [m for m in catalog.messages if m.obsolete]
    parts.extend(_entry_text(message, template) for message in ordered)
    return "\n".join(parts).rstrip("\n") + "\n"


@lru_cache(maxsize=2048)  # a page's entries, shared by its catalogs in every language
def _entry_text(message: Message, template: bool) -> str:
    """One entry's text. Memoised: a page's untranslated entries are identical in every language."""
    comments = "".join(f"# {line}\n".replace("# \n", "#\n") for line in _comments(message, template=template))
    text: str = _entry(message, template=template).__unicode__(WRAP_WIDTH)
    return comments + text


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


class _Entry(polib.POEntry):  # type: ignore[misc]
    """polib's entry with its field formatting memoised: a msgid is wrapped once for every language."""

    def _str_field(
        self, fieldname: str, delflag: str, plural_index: str, field: str, wrapwidth: int = WRAP_WIDTH
    ) -> list[str]:
        return list(_format_field(fieldname, delflag, plural_index, field, wrapwidth))


@lru_cache(maxsize=4096)
def _format_field(
    fieldname: str, delflag: str, plural_index: str, field: str, wrapwidth: int
) -> tuple[str, ...]:
    lines: list[str] = polib.POEntry._str_field(_BLANK, fieldname, delflag, plural_index, field, wrapwidth)
    return tuple(lines)


_BLANK = polib.POEntry()


def _entry(message: Message, *, template: bool) -> polib.POEntry:
    flags = list(message.flags)
    if message.fuzzy and not template:
        flags.insert(0, "fuzzy")
    entry = _Entry(
        msgid=message.msgid,
        msgstr="" if template else message.msgstr,
        occurrences=[(file, str(line)) for file, line in message.locations],
        comment="\n".join(message.notes),
        flags=flags,
        obsolete=message.obsolete,
    )
    if message.context is not None:
        entry.msgctxt = message.context
    if message.previous is not None and not template:
        entry.previous_msgid = message.previous
    return entry
