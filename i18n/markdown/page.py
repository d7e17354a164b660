"""A page: its segments, and writing translations back by splicing them into the source."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

from markdown_it.common.utils import normalizeReference
from markdown_it.token import Token

from ..errors import PageError, RenderError
from ..files import decode_text
from ..segments import INLINE_MARKDOWN_KINDS, Segment, SegmentKind
from .autolink import HINT as AUTOLINK_HINT
from .escape import escape_line, indented_code_deep
from .flavours import Flavour, default_flavour, flavour
from .flavours.detect import page_flavour
from .flavours.mkdocs_site import maybe_tab_label, pin_slug, post_slug, post_title, tab_label
from .frontmatter import FrontMatter, find_frontmatter, write_value
from .html import escape_attribute, parse_html
from .inline_tokens import link_targets, plain_text
from .lines import count_newlines, dominant_newline, normalise_newlines, split_lines
from .markup import same_markup
from .parser import block_parser, inline_children, markdown_parser
from .tables import apply_edits, repad_tables
from .walk import Found, Slot, heading_anchor, html_is_prose, term_anchor, walk

DEFAULT_FRONTMATTER_KEYS = ("title", "description")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
# An attribute list after a heading's text: space, `{`, `:`, space, the rest (up to the closing `}`).
_ATTRIBUTE_LIST = re.compile(r"([ \t]+)\{(:?)([ \t]*)([^}\n]*\})(?=[ \t#]*$)", re.MULTILINE)
_DEFINITION = re.compile(r"^[ \t>*+\-0-9.)]*\[((?:[^\[\]\\\n]|\\.)+)\]:", re.MULTILINE)
_FULL_REFERENCE = re.compile(r"(!?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\])\[((?:[^\[\]\\\n]|\\.)+)\]")
_LIST_MARKER = re.compile(r"[-+*:~]|\d{1,9}[.)]")  # replaced by spaces in a continuation line's prefix


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


class Heading(NamedTuple):
    line: int
    text: str  # plain text, whitespace folded
    anchor: str
    explicit: bool  # `{#id}` written in the source
    segment: str | None  # its segment id, None when it is not translated (no prose, `keep_headings`)


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
    inject_anchors: bool = True
    smartypants_dashes: bool = True  # slug headings as the site's smartypants leaves them
    flavour: Flavour = field(default_factory=default_flavour)  # the markdown flavour it is read in
    _slots: tuple[Slot, ...] = field(default=(), repr=False, compare=False)
    _explicit: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    _parsed: _Parsed | None = field(default=None, repr=False, compare=False)  # the source's parse, reused

    def segment(self, segment_id: str) -> Segment:
        for segment in self.segments:
            if segment.id == segment_id:
                return segment
        raise KeyError(segment_id)

    def render(self, translations: Mapping[str, str], *, inject_anchors: bool | None = None) -> str:
        """The page with ``translations`` (segment id → text) written in place.

        Segments without a translation, or whose translation equals the source, are left exactly as they
        are. A translated heading keeps its ``{#id}`` or gets ``{#slug}`` of the English heading (unless
        ``inject_anchors`` is false; default: the page's setting). Raises ``RenderError`` if the result
        would not have the source's structure (blocks, link targets, heading anchors, frontmatter keys).

        The structure is compared by parsing the result, unless every edit is proven local
        (:meth:`_local`): then parsing it could only confirm what the proof already shows.
        """
        anchors = self.inject_anchors if inject_anchors is None else inject_anchors
        anchors = anchors and self.flavour.inject_anchors
        edits = repad_tables(self.source, self._edits(translations, anchors))
        if not edits:
            return self.source
        output = apply_edits(self.source, [edit for _, edit, _ in edits])
        if all(local for _, _, local in edits):
            return output
        problem = self._structure.difference(self._structure_of(output), anchors=anchors)
        if problem is None:
            return output
        for segment, edit, _ in edits:  # name the first segment that breaks the page on its own
            alone = apply_edits(self.source, [edit])
            what = self._structure.difference(self._structure_of(alone), anchors=anchors)
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

    def headings(self) -> list[Heading]:
        """Every heading of the page in order (segment or not): line, plain text, anchor, whether the anchor
        is written in the source (``{#id}``), and the heading's segment id if it is one."""
        parsed = self._parsed or _parse(
            self.source, self.frontmatter_keys, dashes=self.smartypants_dashes, flavour=self.flavour
        )
        first_line = count_newlines(self.source[: _body_start(self.source, parsed.frontmatter)]) + 1
        by_line = {s.line: s.id for s in self.segments if s.kind is SegmentKind.HEADING}
        read_as = self.flavour
        slugger = read_as.slugs(smartypants_dashes=self.smartypants_dashes)
        found: list[Heading] = []
        for index, token in enumerate(parsed.tokens):
            if token.type == "dt_open" and read_as.term_ids:  # its id counts among the headings'
                term_anchor(slugger, parsed.tokens[index + 1], parsed.env, read_as)
            if token.type != "heading_open" or token.map is None:
                continue
            inline = parsed.tokens[index + 1]
            anchor, explicit = heading_anchor(slugger, inline, parsed.env, read_as)
            content = inline.content[: explicit.start()] if explicit else inline.content
            text = plain_text(inline_children(Token("inline", "", 0, content=content), parsed.env, read_as))
            line = first_line + token.map[0]
            found.append(
                Heading(
                    line,
                    " ".join(text.split()),
                    anchor,
                    bool(explicit and explicit.group(1)),
                    by_line.get(line),
                )
            )
        return found

    def snapshot(self) -> dict[str, object]:
        """What :func:`restore_page` needs besides the source to rebuild this page without parsing it
        (JSON-serialisable): segments and where they sit."""
        rows: list[list[object]] = []
        for segment, slot in zip(self.segments, self._slots, strict=True):
            spans = [offset for span in slot.spans for offset in span]
            as_written = "\n".join(self.source[a:b] for a, b in slot.spans)
            text = segment.text if segment.text != as_written else None  # else: the spans' text
            rows.append([segment.id, segment.kind.value, segment.line, segment.anchor, spans, slot.line_start,
                         slot.newline, slot.single_line, slot.style, text, slot.continuation])  # fmt: skip
        return {"v": SNAPSHOT_VERSION, "segments": rows, "explicit": sorted(self._explicit)}

    # -- internals -------------------------------------------------------------------------------
    def _edits(
        self, translations: Mapping[str, str], inject_anchors: bool
    ) -> list[tuple[Segment, tuple[int, int, str], bool]]:
        """Per translated segment: the segment, its splice ``(start, end, text)`` and whether the splice is
        proven local (cannot change the page's structure)."""
        edits: list[tuple[Segment, tuple[int, int, str], bool]] = []
        for segment, slot in zip(self.segments, self._slots, strict=True):
            translation = translations.get(segment.id)
            if translation is None or translation == segment.text:
                continue
            text = translation.replace("\r\n", "\n").replace("\r", "\n").strip()
            if not text:
                continue
            if "][" in text:
                text = self._unkeyed(text, segment.text)
            replacement = self._replacement(segment, slot, text)
            explicit = segment.id in self._explicit
            end = slot.spans[-1][1]
            local = _local(segment, slot, text) and _local_in_context(
                self.source, segment, slot, text, inject_anchors, explicit
            )
            if segment.kind is SegmentKind.HEADING and inject_anchors and segment.anchor:
                if not explicit:
                    replacement += " {#" + segment.anchor + "}"
                else:  # an attribute list without an id (`{: .class }`) gets the English one
                    found = self._idless_attributes(end)
                    if found is not None:  # compared by a parse: not proven local
                        replacement += found[1].replace("#", "#" + segment.anchor, 1)
                        end, local = found[0], False
            edits.append((segment, (slot.spans[0][0], end, replacement), local))
        return edits

    def _idless_attributes(self, position: int) -> tuple[int, str] | None:
        """The attribute list right after a heading's text at ``position`` when it has no id: where it
        ends, and the list with a ``#`` where the id goes (``{: .class }`` → ``{: # .class }``)."""
        match = _ATTRIBUTE_LIST.match(self.source, position)
        pattern = self.flavour.heading_id
        if match is None or pattern is None:
            return None
        found = pattern.search(match.group())
        if found is None or found.group(1) is not None:
            return None
        space = match.group(3) or (" " if match.group(2) else "")
        rest = match.group(4)
        return match.end(), match.group(1) + "{" + match.group(2) + space + "#" + (
            " " if rest != "}" else ""
        ) + rest

    @cached_property
    def reference_labels(self) -> frozenset[str]:
        """The reference labels the page defines (normalised as CommonMark matches them)."""
        return frozenset(normalizeReference(m.group(1)) for m in _DEFINITION.finditer(self.source))

    def _unkeyed(self, text: str, source: str) -> str:
        return unkeyed(text, source, self.reference_labels)

    def _replacement(self, segment: Segment, slot: Slot, text: str) -> str:
        style = slot.style
        if style is not None and style.startswith("attr"):  # an HTML attribute's value
            return escape_attribute(text, style[4:])
        if style is not None and style.startswith("md"):  # a markdown title: "…", '…' or (…)
            closer = {"(": ")"}.get(style[2:], style[2:])
            text = " ".join(text.split())
            return "".join("\\" + c if c in (style[2:], closer, "\\") else c for c in text)
        if style == "line":  # plain text on one line
            return " ".join(text.split())
        if style is not None:
            return write_value(text, style)
        if slot.single_line or segment.kind is SegmentKind.TERM:  # a definition's term is one line
            text = " ".join(part.strip() for part in text.split("\n") if part.strip())
        if segment.kind is SegmentKind.TABLE_CELL:  # escaped pipes (an aligned table is re-padded later)
            text = _UNESCAPED_PIPE.sub(r"\\|", text)
        separators = [self.source[a[1] : b[0]] for a, b in pairwise(slot.spans)]
        extra = _added_line_start(self.source, slot)
        paragraph = segment.kind is SegmentKind.PARAGRAPH  # `1. Deel` at a line start: `1\. Deel`
        lines = text.split("\n")
        out = [escape_line(lines[0], first=True) if paragraph else lines[0]]
        for j, line in enumerate(lines[1:]):
            prefix = separators[j] if j < len(separators) else extra
            out.append(prefix)
            line = line.lstrip(" \t")
            out.append(
                escape_line(line, first=False) if paragraph and not indented_code_deep(prefix) else line
            )
        return "".join(out)

    @cached_property
    def _structure(self) -> Structure:
        return self._structure_of(self.source, self._parsed)

    def _structure_of(self, text: str, parsed: _Parsed | None = None) -> Structure:
        try:  # the blocks alone: the structure needs no segments (no walk)
            parsed = parsed or _parse(
                text,
                self.frontmatter_keys,
                flavour=self.flavour,
                walked=False,
                dashes=self.smartypants_dashes,
            )
        except PageError as exc:
            raise RenderError(f"rendered page does not parse: {exc.message}", path=self.path) from None
        keys: tuple[str, ...] = ()
        if parsed.frontmatter is not None:
            data = parsed.frontmatter.data(text)  # libyaml's loader when available
            keys = tuple(str(k) for k in data) if isinstance(data, dict) else ()
        return _structure(parsed.tokens, parsed.env, keys, self.smartypants_dashes, self.flavour)


def parse_page(
    text: str,
    *,
    path: str | Path | None = None,
    frontmatter_keys: Sequence[str] = DEFAULT_FRONTMATTER_KEYS,
    inject_anchors: bool = True,
    keep_headings: Sequence[str] = (),
    smartypants_dashes: bool = True,
    flavour: Flavour | None = None,
) -> Page:
    """Parse a markdown page (str) into its segments. Raises ``PageError`` naming ``path`` on bad input.

    ``inject_anchors``: whether :meth:`Page.render` gives translated headings the English ``{#slug}``
    (never in a flavour whose generator reads no ``{#id}``).
    ``keep_headings``: heading texts (compared case-insensitively) that are not segments: never translated.
    ``smartypants_dashes``: heading anchors are slugs of the text as the site's smartypants leaves it
    (``--`` an em dash; mdsvex's default), as the site makes the English ids.
    ``flavour``: the markdown flavour (None: the default; ``auto`` is resolved by the caller,
    :mod:`.flavours.detect`).
    """
    name = str(path) if path is not None else None
    try:
        parsed = _parse(
            text,
            tuple(frontmatter_keys),
            fold_headings(keep_headings),
            dashes=smartypants_dashes,
            flavour=flavour,
        )
    except PageError as exc:
        raise exc.at(name or "<page>") from None
    return Page(
        source=text,
        segments=parsed.segments,
        path=name,
        frontmatter_keys=tuple(frontmatter_keys),
        inject_anchors=inject_anchors,
        smartypants_dashes=smartypants_dashes,
        flavour=flavour or default_flavour(),
        _slots=parsed.slots,
        _explicit=parsed.explicit,
        _parsed=parsed,
    )


SNAPSHOT_VERSION = 2


def restore_page(
    text: str,
    snapshot: Mapping[str, object],
    *,
    path: str | Path | None = None,
    frontmatter_keys: Sequence[str] = DEFAULT_FRONTMATTER_KEYS,
    inject_anchors: bool = True,
    smartypants_dashes: bool = True,
    flavour: Flavour | None = None,
) -> Page | None:
    """The page ``parse_page(text, …)`` gives, rebuilt from its :meth:`Page.snapshot` without parsing;
    None when the snapshot is not one this version wrote (the caller then parses)."""
    rows, explicit = snapshot.get("segments"), snapshot.get("explicit")
    if snapshot.get("v") != SNAPSHOT_VERSION or not isinstance(rows, list) or not isinstance(explicit, list):
        return None
    segments: list[Segment] = []
    slots: list[Slot] = []
    try:
        for sid, kind, line, anchor, flat, line_start, newline, single, style, value, more in rows:
            spans = tuple(zip(flat[::2], flat[1::2], strict=True))
            body = value if value is not None else "\n".join(text[a:b] for a, b in spans)
            segments.append(Segment(sid, SegmentKind(kind), body, line, anchor))
            slots.append(Slot(spans, line_start, newline, single, style, more))
    except (TypeError, ValueError):
        return None
    return Page(
        source=text,
        segments=tuple(segments),
        path=str(path) if path is not None else None,
        frontmatter_keys=tuple(frontmatter_keys),
        inject_anchors=inject_anchors,
        smartypants_dashes=smartypants_dashes,
        flavour=flavour or default_flavour(),
        _slots=tuple(slots),
        _explicit=frozenset(str(e) for e in explicit),
    )


def read_page(
    path: Path,
    *,
    frontmatter_keys: Sequence[str] = DEFAULT_FRONTMATTER_KEYS,
    inject_anchors: bool = True,
    keep_headings: Sequence[str] = (),
    smartypants_dashes: bool = True,
    setting: str = "auto",
) -> Page:
    """Read and parse a page file: UTF-8 text, or one clear ``PageError`` naming the file and line.
    ``flavour``: the setting (a flavour's name, or ``auto``: by the file's extension and content,
    :mod:`.flavours.detect`, no site)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PageError(f"cannot read: {exc.strerror}", path=path) from None
    text = decode_page(data, path)
    return parse_page(
        text,
        path=path,
        frontmatter_keys=frontmatter_keys,
        inject_anchors=inject_anchors,
        keep_headings=keep_headings,
        smartypants_dashes=smartypants_dashes,
        flavour=flavour(page_flavour(setting, None, str(path), text)),
    )


def decode_page(data: bytes, path: str | Path) -> str:
    """Decode a page's bytes; binary or non-UTF-8 input is a ``PageError`` with the line."""
    return decode_text(data, path, "a markdown page")


def kept_heading(text: str, keep: frozenset[str]) -> bool:
    """Whether a heading's text (as written, or without emphasis markers) is one of ``keep`` (folded)."""
    folded = " ".join(text.split()).casefold()
    return folded in keep or folded.strip("*_ ") in keep


def _kept_by_flavour(text: str, read_as: Flavour) -> bool:
    """Whether the flavour keeps a heading in English (its text as written, or without emphasis markers)."""
    pattern = read_as.keep_headings
    if pattern is None:
        return False
    plain = " ".join(text.split())
    return bool(pattern.match(plain) or pattern.match(plain.strip("*_ ")))


def fold_headings(headings: Sequence[str]) -> frozenset[str]:
    return frozenset(" ".join(h.split()).casefold() for h in headings)


def _parse(
    text: str,
    keys: tuple[str, ...],
    keep: frozenset[str] = frozenset(),
    *,
    dashes: bool = True,
    flavour: Flavour | None = None,
    walked: bool = True,
) -> _Parsed:
    """The page's frontmatter, block tokens and (when ``walked``) its segments and their slots."""
    read_as = flavour or default_flavour()
    newline = dominant_newline(text)
    frontmatter = find_frontmatter(text, keys, read_as.frontmatter)
    segments: list[Segment] = []
    slots: list[Slot] = []
    if frontmatter is not None:
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
    body_start = _body_start(text, frontmatter)
    body = text[body_start:]
    lines = split_lines(body, offset=body_start)
    first_line = count_newlines(text[:body_start]) + 1
    env: dict[str, object] = {}
    tokens = block_parser(read_as).parse(normalise_newlines(body), env)
    explicit: set[str] = set()
    if not walked:
        return _Parsed((), (), frozenset(), frontmatter, tokens, env)
    for found in walk(text, tokens, env, lines, newline, read_as, smartypants_dashes=dashes):
        if found.kind is SegmentKind.HEADING and (
            (keep and kept_heading(found.text, keep)) or _kept_by_flavour(found.text, read_as)
        ):
            continue  # `keep_headings` (or the flavour's own): left in English, so it gets no anchor either
        segments.append(_segment(found, first_line))
        slots.append(found.slot)
        if found.explicit_anchor:
            explicit.add(found.path)
    return _Parsed(tuple(segments), tuple(slots), frozenset(explicit), frontmatter, tokens, env)


def _body_start(text: str, frontmatter: FrontMatter | None) -> int:
    if frontmatter is not None:
        return frontmatter.end
    return 1 if text.startswith("\ufeff") else 0


def unkeyed(text: str, source: str, labels: frozenset[str]) -> str:
    """``text`` (a translation of ``source``) with ``[text][label]`` written back as ``[text]`` where
    ``[label]`` in ``source`` is literal brackets, not a reference the page defines (``labels``, normalised):
    the XML decoder keeps a shortcut reference's label as its key, and literal brackets have none."""

    def unkey(match: re.Match[str]) -> str:
        label = match.group(2)
        if normalizeReference(label) in labels or f"[{label}]" not in source or f"][{label}]" in source:
            return match.group()
        return match.group(1)

    return _FULL_REFERENCE.sub(unkey, text)


def _segment(found: Found, first_line: int) -> Segment:
    return Segment(found.path, found.kind, found.text, first_line + found.line_index, found.anchor)


_CODE = frozenset({"fence", "code_block"})  # compared verbatim in every flavour (and its ``verbatim``)


def _structure(
    tokens: list[Token],
    env: dict[str, object],
    frontmatter_keys: tuple[str, ...],
    dashes: bool,
    flavour: Flavour,
) -> Structure:
    """What the page's translations may not change: every block token (code, raw HTML's markup, a
    flavour's syntax: ``token.meta["syntax"]`` of its rules' tokens), link targets, heading anchors."""
    blocks: list[tuple[str, ...]] = []
    targets: list[str] = []
    anchors: list[str] = []
    slugger = flavour.slugs(smartypants_dashes=dashes)
    for index, token in enumerate(tokens):
        if token.type == "inline":
            content = token.content  # no `[`, `<` or URL-like text: no link, image or autolink, no parse
            if "[" in content or "<" in content or AUTOLINK_HINT.search(content):
                targets.extend(link_targets(inline_children(token, env, flavour)))
            continue
        signature: tuple[str, ...] = (token.type, token.tag, token.markup, str(token.level))
        if token.type in _CODE or token.type in flavour.verbatim:
            signature += (token.info, token.content)
        elif token.type == "html_block":
            prose = flavour.html_prose and html_is_prose(token.content, flavour)
            signature += parse_html(token.content).skeleton if prose else (token.content,)
        elif "syntax" in token.meta:
            signature += (str(token.meta["syntax"]),)
        elif token.type == "heading_open":
            inline = tokens[index + 1]
            anchor, explicit = heading_anchor(slugger, inline, env, flavour)
            text = inline.content[: explicit.start()] if explicit else inline.content
            anchors.append(anchor + (" +{#" if "{#" in text else ""))
        elif token.type == "dt_open" and flavour.term_ids:  # its id counts among the headings'
            term_anchor(slugger, tokens[index + 1], env, flavour)
        blocks.append(signature)
    return Structure(tuple(blocks), tuple(sorted(targets)), tuple(anchors), frontmatter_keys)


def _local(segment: Segment, slot: Slot, text: str) -> bool:
    """Whether splicing ``text`` in place of ``segment`` provably leaves the page's structure as it is.

    A frontmatter value is written as a YAML scalar that loads back to it (so keys are unchanged). Inline
    markdown is local when it carries exactly its source's markup (:func:`same_markup`: no new block, no
    blank line, same links, code, tags and delimiters), its last line as many ``|`` as the source's (a
    paragraph's last line could otherwise become a table header), it has as many ``<``, ``>``, ``{`` and
    ``}`` as the source (a lone one may join a tag or an expression around the text: MDX's
    ``<p>text</p>``), and it does not end in a backslash (that would escape what follows it in the page:
    an image's ``]``, a cell's ``|``). What the text's place in
    the page adds is :func:`_local_in_context`'s. HTML blocks are always compared by a parse.
    """
    if slot.style is not None:  # frontmatter, attributes and titles: written as values that load back
        return True
    if segment.kind not in INLINE_MARKDOWN_KINDS or text.endswith("\\"):
        return False
    if not same_markup(segment.text, text):
        return False
    if any(text.count(c) != segment.text.count(c) for c in "<>{}"):
        return False  # a lone one may join what surrounds the text in the page: a tag, an expression
    return _last_line(text).count("|") == _last_line(segment.text).count("|")


# What may follow a heading's text on its line when the translation's `` {#anchor}`` is written after it:
# nothing but the closing sequence of an ATX heading (then the anchor ends the heading's content).
_HEADING_END = re.compile(r"[ \t]*(?:#+[ \t]*)?(?:\r?\n|\Z)")
# An image's or link's text followed by a reference (``]``, ``][]``, ``][label]``): its words may be the
# label the reference is looked up by.
_REFERENCE_AFTER = re.compile(r"\](?!\()")


def _local_in_context(
    source: str, segment: Segment, slot: Slot, text: str, anchors: bool, explicit: bool
) -> bool:
    """Whether the page around the segment keeps a proven-local text's edit local: what the text alone
    cannot show (:func:`_local` reads the text as a paragraph of its own).

    - A heading's anchor is compared (``anchors``) unless it cannot depend on the words: the source writes
      an id (``{#id}``, ``{: #id }``: not an attribute list without one), or the English ``{#anchor}``
      is written after the translation and nothing but a closing ``#`` sequence follows on the line. No
      brace may come or go: a lone one could join the id's braces.
    - An image's alt or a link's text followed by ``]`` that opens no inline destination: the words may
      be a reference label (``![Blog]``, ``[Blog][]``), compared by a parse.
    - An HTML attribute's value with a brace or pipe the source's has not: ``{…}`` in a tag makes the
      block a template (Svelte's attribute expressions); a ``|`` may make a JSX line a table's header
      row. Compared by a parse.
    """
    if slot.style is not None and slot.style.startswith("attr"):  # its line may be a table's header too
        return all(text.count(c) == segment.text.count(c) for c in "{}|")
    if slot.style is not None:
        return True
    if text.count("\n") >= len(slot.spans) and not _QUIET_LINE_START.fullmatch(
        _added_line_start(source, slot)
    ):
        return False  # a line the translation adds would start with a marker (a definition's `:`, say)
    end = slot.spans[-1][1]
    if segment.kind is SegmentKind.HEADING:
        if not _same_braces(segment.text, text):
            return False
        if not anchors:
            return True
        rest = source[end : _line_end(source, end)]
        if not explicit:
            return bool(segment.anchor) and _HEADING_END.match(source, end) is not None
        return _written_id(rest) == segment.anchor
    return _REFERENCE_AFTER.match(source, end) is None


def _added_line_start(source: str, slot: Slot) -> str:
    """What starts a line a translation adds beyond the source's lines: the last separator between the
    source's lines, or the first line's container prefix with its list and definition markers blanked."""
    if len(slot.spans) > 1:
        return source[slot.spans[-2][1] : slot.spans[-1][0]]
    if slot.continuation is not None:
        return slot.newline + slot.continuation
    prefix = source[slot.line_start : slot.spans[0][0]]
    return slot.newline + _LIST_MARKER.sub(lambda m: " " * len(m.group()), prefix)


_QUIET_LINE_START = re.compile(r"(?:\r\n|\r|\n)[ \t>]*")


def _same_braces(source: str, translation: str) -> bool:
    return source.count("{") == translation.count("{") and source.count("}") == translation.count("}")


def _line_end(source: str, position: int) -> int:
    found = source.find("\n", position)
    return len(source) if found < 0 else found


# A heading's written id as the flavours read it at the end of the line: ``{#id}``, ``{ #id .class }``,
# ``{: #id }`` (group 1); an attribute list without ``#id`` leaves the anchor to the words.
_WRITTEN_ID = re.compile(r"[ \t]+\{:?[ \t]*(?:[^}#\n]*?[ \t])?#([^\s}]+)[^}\n]*\}[ \t]*(?:#+[ \t]*)?\r?$")


def _written_id(rest: str) -> str | None:
    match = _WRITTEN_ID.match(rest)
    return match.group(1) if match else None


def _last_line(text: str) -> str:
    """What follows the text's last newline (all of it without one). Not ``re.search(r"[^\\n]*\\Z")``:
    that tries every position of the line, quadratic in its length (it was a third of the proof's time)."""
    return text[text.rfind("\n") + 1 :]


@dataclass(frozen=True)
class _PinnedSlug(Page):
    """A blog post whose URL is made from its title: rendered with ``slug:`` (the English one) added to
    its frontmatter unless the source sets one (:mod:`.flavours.mkdocs_site`)."""

    pinned_slug: str = ""

    def render(self, translations: Mapping[str, str], *, inject_anchors: bool | None = None) -> str:
        rendered = super().render(translations, inject_anchors=inject_anchors)
        return pin_slug(self.source, rendered, self.pinned_slug)


def pin_title(page: Page) -> Page:
    """``page`` rendered with ``slug`` = its English title added to a translation's frontmatter (unless
    the source sets one): a Hugo page whose URL is made from its slug, else its title
    (:mod:`.flavours.hugo_site`)."""
    title = next((s.text for s in page.segments if s.id == "fm:title"), None)
    if title is None:
        return page
    values = {f.name: getattr(page, f.name) for f in fields(page)}
    return _PinnedSlug(**values, pinned_slug=title)


def pin_site(page: Page, *, tab_labels: bool, post: bool) -> Page:
    """``page`` with what its MkDocs site makes from text pinned: tab labels not segments when
    ``tab_labels`` (tab ids are made from them); when ``post``, a translation keeps the post's English
    URL (``slug:``)."""
    if tab_labels and any(maybe_tab_label(s.id) for s in page.segments):
        lines = page.source.split("\n")

        def label(segment: Segment) -> bool:
            line = lines[segment.line - 1] if segment.line <= len(lines) else ""
            return tab_label(segment.id, line)

        kept = [(s, slot) for s, slot in zip(page.segments, page._slots, strict=True) if not label(s)]
        page = replace(page, segments=tuple(s for s, _ in kept), _slots=tuple(slot for _, slot in kept))
    if not post:
        return page
    title = next((s.text for s in page.segments if s.id == "fm:title"), None)

    def plain(text: str) -> str:
        tokens = markdown_parser(page.flavour).parseInline(text, {})
        return plain_text(tokens[0].children if tokens else None)

    english = post_title(page.source, title, plain, page.flavour.heading_id)
    if english is None:
        return page
    values = {f.name: getattr(page, f.name) for f in fields(page)}
    return _PinnedSlug(**values, pinned_slug=post_slug(english))
