"""A page: its segments, and writing translations back by splicing them into the source."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from pathlib import Path

from markdown_it.token import Token

from .blocks import Found, children, heading_anchor, html_is_prose, markdown_parser, walk
from .errors import PageError, RenderError
from .frontmatter import FrontMatter, find_frontmatter, yaml_scalar
from .inline import link_targets
from .lines import count_newlines, dominant_newline, normalise_newlines, split_lines
from .segments import Segment, SegmentKind, Slot
from .slug import Slugger

DEFAULT_FRONTMATTER_KEYS = ("title", "description")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_LIST_MARKER = re.compile(r"[-+*]|\d{1,9}[.)]")  # replaced by spaces in a continuation line's prefix


@dataclass(frozen=True)
class Structure:
    """What a translation may not change: blocks, link targets, heading anchors, frontmatter keys."""

    blocks: tuple[tuple[str, ...], ...]
    targets: tuple[str, ...]
    anchors: tuple[str, ...]
    frontmatter_keys: tuple[str, ...]

    def difference(self, other: Structure, *, anchors: bool = True) -> str | None:
        if self.frontmatter_keys != other.frontmatter_keys:
            return "frontmatter keys"
        if self.blocks != other.blocks:
            return "block structure"
        if self.targets != other.targets:
            return "link targets"
        if anchors and self.anchors != other.anchors:
            return "heading anchors"
        return None


@dataclass(frozen=True)
class _Parsed:
    segments: tuple[Segment, ...]
    slots: tuple[Slot, ...]
    explicit: frozenset[str]
    frontmatter: FrontMatter | None
    tokens: list[Token]
    env: dict[str, object]


@dataclass(frozen=True)
class Page:
    """A parsed markdown page. ``render`` writes translations back; everything else stays byte for byte."""

    source: str
    segments: tuple[Segment, ...]
    path: str | None = None
    frontmatter_keys: tuple[str, ...] = DEFAULT_FRONTMATTER_KEYS
    _slots: tuple[Slot, ...] = field(default=(), repr=False, compare=False)
    _explicit: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    _parsed: _Parsed | None = field(default=None, repr=False, compare=False)  # the source's parse, reused

    def segment(self, segment_id: str) -> Segment:
        for segment in self.segments:
            if segment.id == segment_id:
                return segment
        raise KeyError(segment_id)

    def render(self, translations: Mapping[str, str], *, inject_anchors: bool = True) -> str:
        """The page with ``translations`` (segment id → text) written in place.

        Segments without a translation, or whose translation equals the source, are left exactly as they
        are. A translated heading keeps its ``{#id}`` or gets ``{#slug}`` of the English heading (unless
        ``inject_anchors`` is false). Raises ``RenderError`` if the result would not have the source's
        structure (blocks, link targets, heading anchors, frontmatter keys).
        """
        edits = self._edits(translations, inject_anchors)
        if not edits:
            return self.source
        output = _apply(self.source, [edit for _, edit in edits])
        problem = self._structure.difference(self._structure_of(output), anchors=inject_anchors)
        if problem is None:
            return output
        for segment, edit in edits:  # name the first segment that breaks the page on its own
            alone = _apply(self.source, [edit])
            what = self._structure.difference(self._structure_of(alone), anchors=inject_anchors)
            if what is not None:
                raise RenderError(
                    f"translation of segment {segment.id!r} would change the page's {what}",
                    path=self.path or "<page>",
                    line=segment.line,
                )
        raise RenderError(
            f"the translations together would change the page's {problem}",
            path=self.path or "<page>",
        )

    # -- internals -------------------------------------------------------------------------------
    def _edits(
        self, translations: Mapping[str, str], inject_anchors: bool
    ) -> list[tuple[Segment, tuple[int, int, str]]]:
        edits: list[tuple[Segment, tuple[int, int, str]]] = []
        for segment, slot in zip(self.segments, self._slots, strict=True):
            translation = translations.get(segment.id)
            if translation is None or translation == segment.text:
                continue
            text = translation.replace("\r\n", "\n").replace("\r", "\n").strip()
            if not text:
                continue
            replacement = self._replacement(segment, slot, text)
            if (
                segment.kind is SegmentKind.HEADING
                and inject_anchors
                and segment.id not in self._explicit
                and segment.anchor
            ):
                replacement += " {#" + segment.anchor + "}"
            edits.append((segment, (slot.spans[0][0], slot.spans[-1][1], replacement)))
        return edits

    def _replacement(self, segment: Segment, slot: Slot, text: str) -> str:
        if slot.yaml_style is not None:
            return yaml_scalar(text, slot.yaml_style)
        if slot.single_line:
            text = " ".join(part.strip() for part in text.split("\n") if part.strip())
        if segment.kind is SegmentKind.TABLE_CELL:  # escaped pipes; padded to keep the columns aligned
            text = _UNESCAPED_PIPE.sub(r"\\|", text).ljust(len(segment.text))
        separators = [self.source[a[1] : b[0]] for a, b in pairwise(slot.spans)]
        if separators:
            extra = separators[-1]
        else:
            prefix = self.source[slot.line_start : slot.spans[0][0]]
            extra = slot.newline + _LIST_MARKER.sub(lambda m: " " * len(m.group()), prefix)
        lines = text.split("\n")
        out = [lines[0]]
        for j, line in enumerate(lines[1:]):
            out.append(separators[j] if j < len(separators) else extra)
            out.append(line.lstrip(" \t"))
        return "".join(out)

    @cached_property
    def _structure(self) -> Structure:
        return self._structure_of(self.source, self._parsed)

    def _structure_of(self, text: str, parsed: _Parsed | None = None) -> Structure:
        try:
            parsed = parsed or _parse(text, self.frontmatter_keys)
        except PageError as exc:
            raise RenderError(f"rendered page does not parse: {exc.message}", path=self.path) from None
        keys: tuple[str, ...] = ()
        if parsed.frontmatter is not None:
            data = parsed.frontmatter.data(text)
            keys = tuple(str(k) for k in data) if isinstance(data, dict) else ()
        return _structure(parsed.tokens, parsed.env, keys)


def parse_page(
    text: str,
    *,
    path: str | Path | None = None,
    frontmatter_keys: Sequence[str] = DEFAULT_FRONTMATTER_KEYS,
) -> Page:
    """Parse a markdown page (str) into its segments. Raises ``PageError`` naming ``path`` on bad input."""
    name = str(path) if path is not None else None
    try:
        parsed = _parse(text, tuple(frontmatter_keys))
    except PageError as exc:
        raise exc.at(name or "<page>") from None
    return Page(
        source=text,
        segments=parsed.segments,
        path=name,
        frontmatter_keys=tuple(frontmatter_keys),
        _slots=parsed.slots,
        _explicit=parsed.explicit,
        _parsed=parsed,
    )


def read_page(path: Path, *, frontmatter_keys: Sequence[str] = DEFAULT_FRONTMATTER_KEYS) -> Page:
    """Read and parse a page file: UTF-8 text, or one clear ``PageError`` naming the file and line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PageError(f"cannot read: {exc.strerror}", path=path) from None
    return parse_page(decode_page(data, path), path=path, frontmatter_keys=frontmatter_keys)


def decode_page(data: bytes, path: str | Path) -> str:
    """Decode a page's bytes; binary or non-UTF-8 input is a ``PageError`` with the line."""
    if b"\0" in data:
        line = data.count(b"\n", 0, data.index(b"\0")) + 1
        raise PageError("binary file (NUL byte), not a markdown page", path=path, line=line)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise PageError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            path=path,
            line=line,
        ) from None


def _parse(text: str, keys: tuple[str, ...]) -> _Parsed:
    newline = dominant_newline(text)
    frontmatter = find_frontmatter(text, keys)
    segments: list[Segment] = []
    slots: list[Slot] = []
    if frontmatter is not None:
        body_start = frontmatter.end
        for fm_field in frontmatter.fields:
            if not any(ch.isalpha() for ch in fm_field.value):
                continue
            segments.append(
                Segment(
                    f"fm:{fm_field.key}",
                    SegmentKind.FRONTMATTER,
                    fm_field.value.strip(),
                    fm_field.line,
                )
            )
            slots.append(
                Slot(((fm_field.start, fm_field.end),), fm_field.start, newline, True, fm_field.style)
            )
    else:
        body_start = 1 if text.startswith("\ufeff") else 0
    body = text[body_start:]
    lines = split_lines(body, offset=body_start)
    first_line = count_newlines(text[:body_start]) + 1
    env: dict[str, object] = {}
    tokens = markdown_parser(inline=False).parse(normalise_newlines(body), env)
    explicit: set[str] = set()
    for found in walk(text, tokens, env, lines, newline):
        segments.append(_segment(found, first_line))
        slots.append(found.slot)
        if found.explicit_anchor:
            explicit.add(found.path)
    return _Parsed(tuple(segments), tuple(slots), frozenset(explicit), frontmatter, tokens, env)


def _segment(found: Found, first_line: int) -> Segment:
    return Segment(found.path, found.kind, found.text, first_line + found.line_index, found.anchor)


def _structure(tokens: list[Token], env: dict[str, object], frontmatter_keys: tuple[str, ...]) -> Structure:
    blocks: list[tuple[str, ...]] = []
    targets: list[str] = []
    anchors: list[str] = []
    slugger = Slugger()
    for index, token in enumerate(tokens):
        if token.type == "inline":
            if "[" in token.content or "<" in token.content:  # else no link, image or autolink: no parse
                targets.extend(link_targets(children(token, env)))
            continue
        signature: tuple[str, ...] = (token.type, token.tag, token.markup, str(token.level))
        if token.type in ("fence", "code_block"):
            signature += (token.info, token.content)
        elif token.type == "html_block":
            signature += ("prose",) if html_is_prose(token.content) else (token.content,)
        elif token.type == "heading_open":
            inline = tokens[index + 1]
            anchor, explicit = heading_anchor(slugger, inline, env)
            text = inline.content[: explicit.start()] if explicit else inline.content
            anchors.append(anchor + (" +{#" if "{#" in text else ""))
        blocks.append(signature)
    return Structure(tuple(blocks), tuple(sorted(targets)), tuple(anchors), frontmatter_keys)


def _apply(source: str, edits: Sequence[tuple[int, int, str]]) -> str:
    parts: list[str] = []
    position = 0
    for start, end, replacement in sorted(edits):
        parts.append(source[position:start])
        parts.append(replacement)
        position = end
    parts.append(source[position:])
    return "".join(parts)
