"""A message file as a document: its text values are segments (id = the key, or the dotted path of a
nested one), instruction keys are notes on the messages they apply to, and rendering splices translated
values into the source, so every other byte (key order, indentation, spacing, escapes, the final newline,
``$schema`` and other non-text values) stays as it was.

Instruction keys: ``"<key>__instructions": "…"`` applies to ``<key>`` when the file has that message;
otherwise ``<key>`` is a prefix and it applies to every message whose key starts with ``<key>_`` (or, in a
nested file, lies under ``<key>.``); ``"__instructions"`` alone applies to every message of its object (the
whole file at the top). A message's notes go from the most general instruction to its own. Keys starting
with ``$`` are metadata, never text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import PageError
from ..segments import Segment, SegmentKind
from .formats import (
    INSTRUCTION_SUFFIX,
    Instructions,
    MessageFormat,
    detect_format,
    message_format,
    registered_formats,
)
from .scan import Lines, Member, Value, scan

SNAPSHOT_VERSION = 1
_LETTER = re.compile(r"[^\W\d_]")
_ESCAPED = re.compile(r"\\u[0-9a-fA-F]{4}")
_KINDS = {"object": "an object", "array": "an array", "number": "a number", "boolean": "a boolean"}


def describe(value: Value) -> str:
    return _KINDS.get(value.kind, value.kind)


@dataclass(frozen=True)
class MessageFile:
    """A parsed message file (a :class:`~i18n.document.Document`)."""

    source: str
    segments: tuple[Segment, ...]
    format: MessageFormat
    path: str | None = None
    _values: tuple[tuple[int, int], ...] = field(default=(), repr=False)  # each segment's JSON string
    _removed: tuple[tuple[int, int], ...] = field(default=(), repr=False)  # left out: dropped instructions
    _ascii: bool = field(default=False, repr=False)  # the source escapes non-ASCII: so do translations

    def segment(self, segment_id: str) -> Segment:
        for segment in self.segments:
            if segment.id == segment_id:
                return segment
        raise KeyError(segment_id)

    def render(self, translations: Mapping[str, str]) -> str:
        """The file with ``translations`` (key → text) as values; a value without one, or whose
        translation is its text, keeps its exact bytes. Dropped instruction keys are left out."""
        edits: list[tuple[int, int, str]] = [(start, end, "") for start, end in self._removed]
        for segment, (start, end) in zip(self.segments, self._values, strict=True):
            text = translations.get(segment.id)
            if text is not None and text != segment.text:
                edits.append((start, end, json.dumps(text, ensure_ascii=self._ascii)))
        if not edits:
            return self.source
        edits.sort()
        parts: list[str] = []
        position = 0
        for start, end, replacement in edits:
            parts += [self.source[position:start], replacement]
            position = end
        parts.append(self.source[position:])
        return "".join(parts)

    def snapshot(self) -> dict[str, object]:
        rows = [
            [s.id, s.line, start, end, list(s.notes)]
            for s, (start, end) in zip(self.segments, self._values, strict=True)
        ]
        removed = [list(span) for span in self._removed]
        return {"v": SNAPSHOT_VERSION, "format": self.format.name, "rows": rows, "removed": removed}


def parse_messages(
    text: str,
    location: str,
    *,
    format: MessageFormat | None = None,
    instructions: Instructions = Instructions.COPY,
) -> MessageFile:
    """Parse a message file's text (``format`` None: detected from the content). Raises ``PageError``
    naming ``location`` and the line for invalid JSON, duplicate keys, and a value that is not text
    where text is expected."""
    root = scan(text, location)
    lines = Lines(text)
    if root.kind != "object":
        raise PageError(f"a message file holds a JSON object, not {describe(root)}", path=location, line=1)
    chosen = format or detect_format(root)
    walk = _Walk(location, lines, chosen)
    walk.object(root, "")
    notes = walk.notes()
    segments = tuple(
        Segment(path, SegmentKind.MESSAGE, member.value.text, lines(member.key_start), notes=notes[path])
        for path, member in walk.messages
    )
    values = tuple((member.value.start, member.value.end) for _, member in walk.messages)
    removed = walk.removed() if instructions is Instructions.DROP else ()
    return MessageFile(text, segments, chosen, location, values, removed, _escapes(text))


def read_values(text: str, location: str, format: MessageFormat | None = None) -> dict[str, str]:
    """Key → value of every string in a message file (instructions and ``$`` keys aside), texts without
    letters included: what an existing translated file offers. Errors as :func:`parse_messages`."""
    root = scan(text, location)
    if root.kind != "object":
        raise PageError(f"a message file holds a JSON object, not {describe(root)}", path=location, line=1)
    walk = _Walk(location, Lines(text), format or detect_format(root))
    walk.object(root, "")
    return walk.strings


def _escapes(text: str) -> bool:
    return text.isascii() and _ESCAPED.search(text) is not None


class _Walk:
    """One pass over the file's objects: messages, instruction keys, and where each sits."""

    def __init__(self, location: str, lines: Lines, format: MessageFormat) -> None:
        self.location, self.lines, self.format = location, lines, format
        self.nested = format.nested
        self.messages: list[tuple[str, Member]] = []
        self.instructions: list[tuple[str, str, str]] = []  # (base path, instruction key path, text)
        self.paths: dict[str, int] = {}  # path -> line, to refuse a path used twice
        self.strings: dict[str, str] = {}  # every string value that is not an instruction, by path
        self.dropped: list[tuple[Value, set[int]]] = []  # objects and their instruction members

    def fail(self, message: str, offset: int) -> PageError:
        return PageError(message, path=self.location, line=self.lines(offset))

    def claim(self, path: str, offset: int) -> None:
        if path in self.paths:
            raise self.fail(f"key path {path!r} is used twice (also at line {self.paths[path]})", offset)
        self.paths[path] = self.lines(offset)

    def object(self, value: Value, prefix: str) -> None:
        instruction_members: set[int] = set()
        for index, member in enumerate(value.members):
            key = member.key
            if key.startswith("$"):
                continue  # metadata ($schema): kept as it is, never text
            path = prefix + key
            if key.endswith(INSTRUCTION_SUFFIX):
                if member.value.kind != "string":
                    got = f"instruction key {path!r}: expected a string, got {describe(member.value)}"
                    raise self.fail(got, member.key_start)
                base = path.removesuffix(INSTRUCTION_SUFFIX)
                text = " ".join(member.value.text.split())
                if text:
                    self.instructions.append((base, path, text))
                instruction_members.add(index)
                continue
            self.entry(member.value, path, member)
        if instruction_members:
            self.dropped.append((value, instruction_members))

    def entry(self, value: Value, path: str, member: Member) -> None:
        if value.kind == "string":
            self.claim(path, member.key_start)
            self.strings[path] = value.text
            if _LETTER.search(value.text):  # text without letters ("©", "→", "2024") is left alone
                self.messages.append((path, member))
            return
        if self.nested and value.kind == "object":
            self.object(value, path + ".")
            return
        if self.nested and value.kind == "array":
            for number, item in enumerate(value.items):
                self.entry(item, f"{path}.{number}", Member(member.key, item.start, item))
            return
        nested = " or ".join(f'format = "{f.name}"' for f in registered_formats() if f.nested)
        hint = f" (nested messages need {nested})" if nested and value.kind in ("object", "array") else ""
        raise self.fail(f"key {path!r}: expected a string (the message's text), got {describe(value)}{hint}",
                        member.key_start)  # fmt: skip

    def notes(self) -> dict[str, tuple[str, ...]]:
        """Per message path, the instructions that apply to it, general first."""
        found: dict[str, list[tuple[int, int, str]]] = {path: [] for path, _ in self.messages}
        for order, (base, key, text) in enumerate(self.instructions):
            note = (len(base), order, f"{key}: {text}")
            if base in found:
                found[base].append(note)
                continue
            for path, applying in found.items():
                if _under(path, base):
                    applying.append(note)
        return {path: tuple(note for _, _, note in sorted(notes)) for path, notes in found.items()}

    def removed(self) -> tuple[tuple[int, int], ...]:
        """The spans that remove the instruction members (and their commas) from their objects."""
        spans: list[tuple[int, int]] = []
        for value, indexes in self.dropped:
            members = value.members
            if len(indexes) == len(members):
                spans.append((value.start + 1, value.end - 1))
                continue
            first_kept = min(i for i in range(len(members)) if i not in indexes)
            for index in sorted(indexes):
                if index < first_kept:  # before every kept member: up to the next key
                    spans.append((members[index].key_start, members[index + 1].key_start))
                else:  # after a member: from the end of the one before (its comma goes)
                    spans.append((members[index - 1].value.end, members[index].value.end))
        return tuple(sorted(spans))


def _under(path: str, base: str) -> bool:
    """Whether an instruction for the prefix ``base`` applies to ``path``: every path for ``""`` (the
    file's own ``__instructions``), paths under ``a.`` for an object's own, else ``base_…`` and ``base.…``."""
    if not base or base.endswith("."):
        return path.startswith(base)
    return path.startswith((base + "_", base + "."))


def restore_messages(
    text: str,
    snapshot: Mapping[str, object],
    location: str,
    *,
    format: MessageFormat | None = None,
    instructions: Instructions = Instructions.COPY,
) -> MessageFile | None:
    """The file :func:`parse_messages` gives, from its :meth:`MessageFile.snapshot`; None if unusable."""
    rows, removed, chosen = snapshot.get("rows"), snapshot.get("removed"), snapshot.get("format")
    if snapshot.get("v") != SNAPSHOT_VERSION or not isinstance(rows, list) or not isinstance(removed, list):
        return None
    if format is not None and chosen != format.name:
        return None
    if instructions is Instructions.COPY and removed:
        return None
    segments: list[Segment] = []
    values: list[tuple[int, int]] = []
    try:
        for sid, line, start, end, notes in rows:
            decoded = json.loads(text[start:end])
            if not (isinstance(sid, str) and isinstance(line, int) and isinstance(decoded, str)):
                return None
            segments.append(Segment(sid, SegmentKind.MESSAGE, decoded, line, notes=tuple(map(str, notes))))
            values.append((int(start), int(end)))
        spans = tuple((int(a), int(b)) for a, b in removed)
        found = message_format(str(chosen))
    except (TypeError, ValueError, KeyError):
        return None
    return MessageFile(text, tuple(segments), found, location, tuple(values), spans, _escapes(text))
