"""Align an existing translation of a page with the English page's segments.

``align_pages(source, translated)`` says which text of an already translated page (made by another pipeline,
by hand, or by an older version of this one) belongs to which segment of the English page, so that work can
be imported instead of paid for again. Both pages are parsed with ``parse_page``; the step is pure.

How, in order (each step's code is ``Aligned.how``):

``frontmatter``
    ``fm:title`` ↔ ``fm:title``: frontmatter values by key.
``anchor``
    Sections (a heading and the blocks up to the next one) by heading anchor. A translated heading carries
    ``{#slug}`` of the English heading, so its anchor equals the English one. An anchor that differs only by
    a ``-N`` counter suffix (``contact-6`` for ``contact``: older pipelines numbered duplicates across
    pages) matches when it is the only candidate on both sides and the sections look alike. A translated
    heading without ``{#id}`` matches only if its own slug equals the English anchor at the same level.
``order``
    Sections left over (older pages without anchors) by heading level and order: a sequence alignment
    over the unmatched sections scored by shape (block kinds and structure, link targets, names and
    numbers, length). Then, inside every matched pair of sections (and the part before the first
    heading), blocks in order: a small dynamic programme over the two block lists that may skip a block on
    either side, pair one to one, or group neighbours (below). A pair needs the same kind and the same
    structural shape (``ul/li/p`` of ``section/ul1/li2/p1``) and a plausible similarity.
``merged``
    The translation merged 2–3 neighbouring English paragraphs into one. It is split back only when it is
    safe: the translation splits into exactly as many sentences (outside links and code) as the English
    paragraphs hold together, and every part keeps only its own paragraph's link targets and code spans and
    has a plausible length. Otherwise the English paragraphs are left unaligned and the merged text goes to
    ``leftover``: rendering it in place of the first would duplicate or lose content.
``split``
    The translation split one English paragraph into 2–3 paragraphs: they are joined with a line break
    (one sentence per line, still one paragraph).

Plausibility: the translation of a segment may never carry a link target, image source or code span that
the English segment does not have (that text belongs elsewhere). By default it may *lose* some: LLM
pipelines often drop links, and the pair is still the right correspondence; such a pair fails
``i18n.checks.check_translation``, which the caller runs on every pair. ``strict=True`` pairs only
translations that keep the link targets and code spans exactly (as multisets).

A translated page whose body matches nothing of the English body is not a translation of it: then nothing
is aligned, not even the frontmatter.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache, reduce

from markdown_it import MarkdownIt

from .blocks import markdown_parser
from .inline import link_targets, prose, walk_inline
from .page import Page
from .segments import Segment, SegmentKind, normalise

# -- public API -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Aligned:
    """The translation ``text`` found for the English segment ``segment_id``; ``how`` names the step."""

    segment_id: str
    text: str
    how: str  # "frontmatter" | "anchor" | "order" | "merged" | "split"


@dataclass(frozen=True)
class Alignment:
    pairs: tuple[Aligned, ...]  # in the page order of the English segments
    unaligned: tuple[str, ...]  # English segment ids with no translation found
    leftover: tuple[str, ...]  # translated texts that matched nothing, in their page order

    @property
    def ratio(self) -> float:
        """Aligned English segments / all English segments (1.0 for a page without segments)."""
        total = len(self.pairs) + len(self.unaligned)
        return len(self.pairs) / total if total else 1.0


FRONTMATTER, ANCHOR, ORDER, MERGED, SPLIT = "frontmatter", "anchor", "order", "merged", "split"


def align_pages(source: Page, translated: Page, *, strict: bool = False) -> Alignment:
    """Which text of ``translated`` (an existing translation of ``source``) belongs to which segment."""
    src, dst = _blocks(source), _blocks(translated)
    ratio = _length_ratio(src, dst)
    found: dict[str, Aligned] = {}
    used: set[str] = set()  # translated segment ids consumed (aligned, or merged text that could not split)

    # frontmatter by key
    dst_fm = {b.segment.id: b for b in dst if b.segment.kind is SegmentKind.FRONTMATTER}
    for block in src:
        other = dst_fm.get(block.segment.id)
        if block.segment.kind is SegmentKind.FRONTMATTER and other is not None:
            used.add(other.segment.id)
            if _similarity((block,), (other,), ratio, strict, structural=False) is not None:
                found[block.segment.id] = Aligned(block.segment.id, other.segment.text, FRONTMATTER)

    # sections, then blocks within each pair of sections
    src_chunks, dst_chunks = _chunks(source, src), _chunks(translated, dst)
    for en, nl, how in _match_chunks(src_chunks, dst_chunks, ratio, strict):
        if en.heading is not None and nl.heading is not None:
            used.add(nl.heading.segment.id)
            if _similarity((en.heading,), (nl.heading,), ratio, strict, structural=False) is not None:
                found[en.heading.segment.id] = Aligned(en.heading.segment.id, nl.heading.segment.text, how)
        for pairs, consumed in _align_blocks(en.blocks, nl.blocks, ratio, strict):
            used.update(consumed)
            found.update((p.segment_id, p) for p in pairs)

    body = [s for s in source.segments if s.kind is not SegmentKind.FRONTMATTER]
    other_body = [s for s in translated.segments if s.kind is not SegmentKind.FRONTMATTER]
    if body and other_body and not any(s.id in found for s in body):
        found, used = {}, set()  # a different page: its title is no translation of this one either

    return Alignment(
        pairs=tuple(found[s.id] for s in source.segments if s.id in found),
        unaligned=tuple(s.id for s in source.segments if s.id not in found),
        leftover=tuple(s.text for s in translated.segments if s.id not in used),
    )


# -- blocks and their shape -------------------------------------------------------------------------

_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"[.!?:;…]\W*$")
_HTML_TARGET = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_TAG = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)
_COUNTER_SUFFIX = re.compile(r"(?:-\d+|~\d+)$")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)")
_CONTAINER = re.compile(r"^(?:[ \t]*>|[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]+)+")


@dataclass(frozen=True, eq=False)
class _Block:
    """A segment with what alignment compares: structural shape, link targets, code, names, length."""

    segment: Segment
    rel: str  # the id below its section: "ul1/li2/p1"
    shape: str  # rel without numbers: "ul/li/p"
    parent: str  # rel's container: "ul1/li2"
    targets: Counter[str]
    code: Counter[str]
    names: Counter[str]  # numbers and capitalised words inside sentences: what translation keeps
    length: int  # characters of prose (no link targets, no markup)
    sentences: int
    section: str


@dataclass
class _Chunk:
    """A section: the heading (if it has prose) and the blocks up to the next heading."""

    key: str  # the section's name in segment ids: its heading's anchor
    heading: _Block | None
    level: int
    explicit: bool  # the heading carries an explicit {#id}
    blocks: list[_Block] = field(default_factory=list)


def _blocks(page: Page) -> list[_Block]:
    return [_block(segment) for segment in page.segments]


def _block(segment: Segment) -> _Block:
    kind, text = segment.kind, segment.text
    if kind is SegmentKind.HEADING:
        section, rel = segment.id.removeprefix("h:"), "h"
    elif kind is SegmentKind.FRONTMATTER:
        section, rel = "", segment.id
    else:
        section, _, rel = segment.id.partition("/")
    targets: Counter[str] = Counter()
    code: Counter[str] = Counter()
    if kind is SegmentKind.HTML:
        targets.update(next(g for g in m.groups() if g is not None) for m in _HTML_TARGET.finditer(text))
        words = _TAG.sub(" ", text)
    elif kind is SegmentKind.FRONTMATTER:
        words = text
    else:
        tokens = _parser().parseInline(text, {})
        children = tokens[0].children if tokens else None
        targets.update(link_targets(children))
        code.update(t.content for t in walk_inline(children) if t.type == "code_inline")
        words = prose(children)
    words = normalise(words)
    return _Block(
        segment=segment,
        rel=rel,
        shape=_DIGITS.sub("", rel),
        parent=rel.rpartition("/")[0],
        targets=targets,
        code=code,
        names=_names(words),
        length=len(words),
        sentences=len(_sentences(text)) if kind is not SegmentKind.HTML else 1,
        section=section,
    )


@cache
def _parser() -> MarkdownIt:
    return markdown_parser()


def _names(text: str) -> Counter[str]:
    """Numbers (digit runs: 33,000 and 33.000 agree) and capitalised words that do not start a sentence."""
    names: Counter[str] = Counter(_DIGITS.findall(text))
    previous = ""
    for match in _WORD.finditer(text):
        word = match.group()
        gap = text[: match.start()]
        starts = not previous or _SENTENCE_END.search(gap[-4:] if gap else ".") is not None
        if (not starts and word[0].isupper()) or sum(c.isupper() for c in word) >= 2:
            names[word] += 1
        previous = word
    return names


def _chunks(page: Page, blocks: Sequence[_Block]) -> list[_Chunk]:
    """The page's sections in order; the first (key ``_``) holds what precedes the first heading."""
    lines = page.source.splitlines()
    body = [b for b in blocks if b.segment.kind is not SegmentKind.FRONTMATTER]
    chunks = [_Chunk("_", None, 0, False)]
    for index, block in enumerate(body):
        segment = block.segment
        after = body[index + 1] if index + 1 < len(body) else None
        if after is not None and after.segment.kind is SegmentKind.HEADING:
            after = None
        if segment.kind is SegmentKind.HEADING:
            if after is not None and after.section == chunks[-1].key != block.section:
                chunks[-1].blocks.append(block)  # a heading inside a list item or quote: a block
                continue
            line = lines[segment.line - 1] if 0 < segment.line <= len(lines) else ""
            explicit = segment.anchor is not None and "{#" + segment.anchor + "}" in line
            key = after.section if after is not None else block.section
            chunks.append(_Chunk(key, block, _level(lines, segment.line), explicit))
        elif block.section != chunks[-1].key:  # after a heading without words (not a segment)
            chunks.append(_Chunk(block.section, None, 0, False, [block]))
        else:
            chunks[-1].blocks.append(block)
    return [c for c in chunks if c.heading is not None or c.blocks]


def _level(lines: Sequence[str], line: int) -> int:
    """The level of the heading at ``line`` (1-based), 0 if it cannot be told."""
    if not 0 < line <= len(lines):
        return 0
    text = _CONTAINER.sub("", lines[line - 1])
    match = _ATX.match(text)
    if match:
        return len(match.group(1))
    for below in lines[line:]:  # setext: the underline after the heading's lines
        stripped = _CONTAINER.sub("", below).strip()
        if stripped and set(stripped) == {"="}:
            return 1
        if stripped and set(stripped) == {"-"}:
            return 2
        if not stripped:
            break
    return 0


# -- similarity -------------------------------------------------------------------------------------

_THRESHOLD = 0.5  # a block pair needs this similarity
_CHUNK_THRESHOLD = 0.5  # a section pair matched by order
_LENGTH_SPREAD = math.log(2.2)  # a length this many times off the page's ratio scores 0
_GROUP_PENALTY = 0.05
_MAX_OFF, _LONG = 2.5, 40  # a pair of blocks whose length is off more than this is no pair


def _length_ratio(src: Sequence[_Block], dst: Sequence[_Block]) -> float:
    """Translated / English length of the page's prose: the language's expansion (Dutch ≈ 1.1)."""
    en = sum(b.length for b in src if b.segment.kind is not SegmentKind.FRONTMATTER)
    nl = sum(b.length for b in dst if b.segment.kind is not SegmentKind.FRONTMATTER)
    if not en or not nl:
        return 1.0
    return min(4.0, max(0.25, nl / en))


def _total(counters: Iterable[Counter[str]]) -> Counter[str]:
    items = list(counters)
    return items[0] if len(items) == 1 else reduce(lambda a, b: a + b, items, Counter())


def _dice(a: Counter[str], b: Counter[str]) -> float:
    size = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / size if size else 1.0


def _length_off(en: int, nl: int, ratio: float) -> float:
    """How many times longer or shorter than expected the translation is (≥ 1)."""
    smooth = 12  # short texts: a few characters more or less mean little
    return math.exp(abs(math.log((nl + smooth) / (en * ratio + smooth))))


def _length_score(en: int, nl: int, ratio: float) -> float:
    return max(0.0, 1.0 - math.log(_length_off(en, nl, ratio)) / _LENGTH_SPREAD)


def _plausible(en: Sequence[_Block], nl: Sequence[_Block], strict: bool) -> bool:
    """Same kind; the translation carries no link target or code span the English does not."""
    kind = en[0].segment.kind
    if any(b.segment.kind is not kind for b in (*en, *nl)):
        return False
    targets, other_targets = _total(b.targets for b in en), _total(b.targets for b in nl)
    code, other_code = _total(b.code for b in en), _total(b.code for b in nl)
    if other_targets - targets or other_code - code:
        return False
    return not strict or (targets == other_targets and code == other_code)


def _similarity(
    en: Sequence[_Block], nl: Sequence[_Block], ratio: float, strict: bool, *, structural: bool = True
) -> float | None:
    """How alike a group of English blocks and a group of translated ones are (0–1); None: implausible."""
    if structural and (
        en[0].shape != nl[0].shape or len({b.parent for b in en}) > 1 or len({b.parent for b in nl}) > 1
    ):
        return None
    if not _plausible(en, nl, strict):
        return None
    signals: list[tuple[float, float]] = []  # (score, weight)
    if structural:
        signals.append((1.0 if en[0].rel == nl[0].rel else 0.6, 1.0))
    en_length, nl_length = sum(b.length for b in en), sum(b.length for b in nl)
    if (
        structural
        and max(en_length, nl_length) >= _LONG
        and _length_off(en_length, nl_length, ratio) > _MAX_OFF
    ):
        return None  # a translation this much longer or shorter holds more or less than the segment
    signals.append(
        (_length_score(en_length, nl_length, ratio), 1.0 if max(en_length, nl_length) >= 30 else 0.5)
    )
    en_sentences, nl_sentences = sum(b.sentences for b in en), sum(b.sentences for b in nl)
    if max(en_sentences, nl_sentences) > 1:  # translations keep sentences; a merge or split does not
        signals.append((1 - abs(en_sentences - nl_sentences) / max(en_sentences, nl_sentences), 0.75))
    targets, other_targets = _total(b.targets for b in en), _total(b.targets for b in nl)
    if targets:
        kept = sum((targets & other_targets).values()) / sum(targets.values())
        signals.append((kept, 1.5 if kept else 0.75))  # LLMs drop links: a missing one says less
    code = _total(b.code for b in en)
    if code:
        signals.append((sum((code & _total(b.code for b in nl)).values()) / sum(code.values()), 1.0))
    names, other_names = _total(b.names for b in en), _total(b.names for b in nl)
    if names or other_names:
        signals.append((_dice(names, other_names), 1.0))
    return sum(s * w for s, w in signals) / sum(w for _, w in signals)


def _chunk_similarity(en: _Chunk, nl: _Chunk, ratio: float) -> float:
    """How alike two sections are, for matching them by order when anchors do not."""
    if en.level != nl.level:
        return 0.0
    en_blocks = [b for b in (en.heading, *en.blocks) if b is not None]
    nl_blocks = [b for b in (nl.heading, *nl.blocks) if b is not None]
    if not en_blocks or not nl_blocks:
        return 0.0
    shapes = SequenceMatcher(None, [b.shape for b in en_blocks], [b.shape for b in nl_blocks]).ratio()
    signals: list[tuple[float, float]] = [(shapes, 1.5)]
    en_length, nl_length = sum(b.length for b in en_blocks), sum(b.length for b in nl_blocks)
    signals.append((_length_score(en_length, nl_length, ratio), 1.0))
    targets, other_targets = _total(b.targets for b in en_blocks), _total(b.targets for b in nl_blocks)
    if targets or other_targets:
        signals.append((_dice(targets, other_targets), 1.5))
    names, other_names = _total(b.names for b in en_blocks), _total(b.names for b in nl_blocks)
    if names or other_names:
        signals.append((_dice(names, other_names), 1.5))
    return sum(s * w for s, w in signals) / sum(w for _, w in signals)


# -- sections ---------------------------------------------------------------------------------------


def _match_chunks(
    src: Sequence[_Chunk], dst: Sequence[_Chunk], ratio: float, strict: bool
) -> list[tuple[_Chunk, _Chunk, str]]:
    matched: list[tuple[_Chunk, _Chunk, str]] = []
    free_src = [c for c in src if c.key != "_"]
    free_dst = [c for c in dst if c.key != "_"]

    def take(en: _Chunk, nl: _Chunk, how: str) -> None:
        matched.append((en, nl, how))
        free_src.remove(en)
        free_dst.remove(nl)

    by_key = {c.key: c for c in free_src}
    for nl in list(free_dst):  # the anchor itself (a translated heading without {#id}: same level too)
        en = by_key.get(nl.key)
        if en is not None and (nl.explicit or nl.heading is None or nl.level == en.level):
            take(en, nl, ANCHOR)
    bases: dict[str, tuple[list[_Chunk], list[_Chunk]]] = {}
    for chunk in free_src:
        bases.setdefault(_COUNTER_SUFFIX.sub("", chunk.key), ([], []))[0].append(chunk)
    for chunk in free_dst:
        if chunk.explicit:
            bases.setdefault(_COUNTER_SUFFIX.sub("", chunk.key), ([], []))[1].append(chunk)
    for ens, nls in bases.values():  # "contact-6" for "contact": one candidate each side, alike
        if len(ens) == 1 and len(nls) == 1 and _chunk_similarity(ens[0], nls[0], ratio) >= _CHUNK_THRESHOLD:
            take(ens[0], nls[0], ANCHOR)
    for en, nl in _sequence(
        free_src, free_dst, lambda a, b: _chunk_similarity(a, b, ratio) - _CHUNK_THRESHOLD
    ):
        matched.append((en, nl, ORDER))

    first_src = next((c for c in src if c.key == "_"), None)
    first_dst = next((c for c in dst if c.key == "_"), None)
    if (
        first_src is not None
        and first_dst is not None
        and (matched or _chunk_similarity(first_src, first_dst, ratio) >= _CHUNK_THRESHOLD)
    ):
        matched.append((first_src, first_dst, ORDER))
    return matched


def _sequence(
    src: Sequence[_Chunk], dst: Sequence[_Chunk], gain: Callable[[_Chunk, _Chunk], float]
) -> list[tuple[_Chunk, _Chunk]]:
    """Order-preserving one-to-one alignment maximising the summed positive gains (a small DP)."""
    n, m = len(src), len(dst)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    step: list[list[int]] = [[0] * (m + 1) for _ in range(n + 1)]  # 0 skip src, 1 skip dst, 2 pair
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            options: list[tuple[float, int]] = []
            if i:
                options.append((best[i - 1][j], 0))
            if j:
                options.append((best[i][j - 1], 1))
            if i and j:
                g = gain(src[i - 1], dst[j - 1])
                if g > 0:
                    options.append((best[i - 1][j - 1] + g, 2))
            best[i][j], step[i][j] = max(options, key=lambda o: o[0])
    pairs: list[tuple[_Chunk, _Chunk]] = []
    i, j = n, m
    while i or j:
        move = step[i][j]
        if move == 2:
            pairs.append((src[i - 1], dst[j - 1]))
            i, j = i - 1, j - 1
        elif move == 0:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


# -- blocks within a section ------------------------------------------------------------------------

_MAX_GROUP = 3
_BAND = 12


def _align_blocks(
    src: Sequence[_Block], dst: Sequence[_Block], ratio: float, strict: bool
) -> list[tuple[list[Aligned], list[str]]]:
    """Blocks in order: one to one, or a group of neighbours on one side; returns (pairs, consumed ids)."""
    n, m = len(src), len(dst)
    band = _BAND + abs(n - m)  # pairs are only tried near the diagonal: long sections stay fast
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    step: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            value, move = -1.0, (0, 0)
            if i and best[i - 1][j] > value:
                value, move = best[i - 1][j], (1, 0)
            if j and best[i][j - 1] > value:
                value, move = best[i][j - 1], (0, 1)
            if abs(i * m - j * n) > band * max(n, m):
                continue
            for a, b in _GROUPS:
                if a > i or b > j:
                    continue
                score = _similarity(src[i - a : i], dst[j - b : j], ratio, strict)
                if score is None or score < _THRESHOLD:
                    continue
                if a > 1 or b > 1:
                    if src[i - 1].segment.kind is not SegmentKind.PARAGRAPH:
                        continue
                    gain = score - _THRESHOLD - _GROUP_PENALTY
                else:
                    gain = score - _THRESHOLD + 0.01  # a pair beats two skips
                if best[i - a][j - b] + gain > value:
                    value, move = best[i - a][j - b] + gain, (a, b)
            best[i][j], step[i][j] = value, move
    result: list[tuple[list[Aligned], list[str]]] = []
    i, j = n, m
    while i or j:
        a, b = step[i][j]
        if a and b:
            result.append(_pair(src[i - a : i], dst[j - b : j], ratio))
        i, j = i - a, j - b
    return result[::-1]


_GROUPS = [(1, 1), *((k, 1) for k in range(2, _MAX_GROUP + 1)), *((1, k) for k in range(2, _MAX_GROUP + 1))]


def _pair(en: Sequence[_Block], nl: Sequence[_Block], ratio: float) -> tuple[list[Aligned], list[str]]:
    consumed = [b.segment.id for b in nl]
    if len(en) == 1 and len(nl) == 1:
        return [Aligned(en[0].segment.id, nl[0].segment.text, ORDER)], consumed
    if len(en) == 1:
        return [Aligned(en[0].segment.id, "\n".join(b.segment.text for b in nl), SPLIT)], consumed
    parts = _split_merged(en, nl[0], ratio)
    if parts is None:
        return [], consumed
    return [Aligned(b.segment.id, part, MERGED) for b, part in zip(en, parts, strict=True)], consumed


# -- splitting a merged translation -----------------------------------------------------------------

_BREAK = re.compile(r"(?<=[.!?…])[\"'”’)\]*_]*[ \t]+(?=[\"'“‘(\[*_]*[^\W_a-z])")
_PROTECTED = re.compile(r"`+[^`]*`+|!?\[[^\]]*\]\([^)]*\)|<[^>]*>")


def _sentences(text: str) -> list[str]:
    """Sentences of a paragraph: each line, split after . ! ? … before a capital, outside links and code."""
    result: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        masked = _PROTECTED.sub(lambda m: "x" * len(m.group()), line)
        start = 0
        for brk in _BREAK.finditer(masked):
            result.append(line[start : brk.end()].rstrip())
            start = brk.end()
        result.append(line[start:])
    return [s for s in result if s]


def _split_merged(en: Sequence[_Block], merged: _Block, ratio: float) -> list[str] | None:
    """The merged translation cut back into one text per English paragraph, or None when not safe."""
    counts = [len(_sentences(b.segment.text)) for b in en]
    lines = [line.strip() for line in merged.segment.text.split("\n") if line.strip()]
    pieces: list[list[str]] = []
    if len(lines) == sum(counts):  # one sentence per line: cut between lines, keep the lines
        start = 0
        for count in counts:
            pieces.append(lines[start : start + count])
            start += count
    else:
        sentences = _sentences(merged.segment.text)
        if len(sentences) != sum(counts):
            return None
        start = 0
        for count in counts:
            pieces.append([" ".join(sentences[start : start + count])])
            start += count
    texts = ["\n".join(piece) for piece in pieces]
    for block, text in zip(en, texts, strict=True):
        part = _block(Segment(merged.segment.id, merged.segment.kind, text, merged.segment.line))
        if not _plausible((block,), (part,), strict=False):
            return None
        if _length_score(block.length, part.length, ratio) < 0.25:
            return None
    return texts
