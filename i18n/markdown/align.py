"""Align an existing translation of a page with the English page's segments.

``align_pages(source, translated)`` says which text of an already translated page (made by another pipeline,
by hand, or by an older version of this one) belongs to which segment of the English page, so that work can
be imported instead of paid for again. Both pages come from ``parse_page``; the step is pure.

The steps, each named by the code in ``Aligned.how``:

``frontmatter``
    ``fm:title`` ↔ ``fm:title``: frontmatter values by key.
``anchor``
    Sections (a heading and the blocks up to the next heading) by heading anchor. A translated heading
    carries ``{#slug}`` of the English heading, so its anchor is the English one. An explicit anchor that
    differs only by a counter suffix (``contact-6`` for ``contact``: an older pipeline numbered duplicates
    across pages) matches when it is the only candidate on both sides and the sections look alike. A
    translated heading without ``{#id}`` matches by its own slug only at the English heading's level.
``order``
    The sections left (older pages without anchors) by heading level and order: a sequence alignment over
    the unmatched sections, scored by their shape (block structure, link targets, names and numbers,
    length); then a section that moved, when it is clearly the best match both ways. Inside every matched
    pair of sections, and the part before the first heading, the blocks in order: a small dynamic
    programme that may skip a block on either side, pair two blocks, or group neighbours (below). A pair
    needs the same kind and structural shape (``ul/li/p`` of ``section/ul1/li2/p1``), no foreign link
    target or code span, a length within 2.5× of the expected one (texts of 40 characters or more), and
    a similarity (structural position, length, sentences, link targets kept, code spans kept, names and
    numbers) of at least 0.5. Leaving an English block out costs a little: translators merge more often
    than they omit, so a doubtful merge leaves both paragraphs unaligned rather than one mispaired.
``merged``
    The translation merged 2–3 neighbouring English paragraphs into one. It is cut back only when that is
    safe: the translation has exactly as many sentences (never cut inside links, code or tags) as the English
    paragraphs together, and each part, cut at its paragraph's sentence count, carries only that
    paragraph's link targets and code spans and has a plausible length. Otherwise those English paragraphs
    stay unaligned and the merged text is reported in ``leftover``: rendering it in place of one of them
    would show the other's content twice, or lose it.
``split``
    The translation split one English paragraph into 2–3 paragraphs: they are joined with a line break
    (one paragraph, one sentence group per line).

A translation may never carry a link target, image source or code span that its English segment lacks
(that text belongs to another segment). By default it may *lose* some: LLM pipelines often drop links, and
such a pair is still the right correspondence; it fails ``i18n.checks.check_translation``, which the
caller runs on every pair. ``strict=True`` pairs only translations that keep the link targets and code spans
exactly (as multisets).

A translated page that shares neither an explicit anchor nor, overall, the English page's structure, link
targets and names is not a translation of it; neither is one whose body matches nothing of the English
body. Then nothing is aligned, not even the frontmatter.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache, cached_property
from itertools import pairwise
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

from ..segments import Segment, SegmentKind, normalise
from .inline_tokens import link_targets, prose, walk_inline
from .page import Page
from .parser import markdown_parser

# -- public API -------------------------------------------------------------------------------------

FRONTMATTER, ANCHOR, ORDER, MERGED, SPLIT = "frontmatter", "anchor", "order", "merged", "split"


@dataclass(frozen=True)
class Aligned:
    """The translation ``text`` found for the English segment ``segment_id``; ``how`` names the step.
    ``restored``: localised link targets of the translation put back to the English ones (as
    ``(translated, English)`` pairs)."""

    segment_id: str
    text: str
    how: str  # FRONTMATTER | ANCHOR | ORDER | MERGED | SPLIT
    restored: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Alignment:
    """What of a translated page belongs to which English segment."""

    pairs: tuple[Aligned, ...]  # in the page order of the English segments
    unaligned: tuple[str, ...]  # English segment ids with no translation found
    leftover: tuple[str, ...]  # translated texts that matched nothing, in their page order
    reasons: tuple[str, ...] = ()  # why each unaligned segment is (same order as ``unaligned``)

    def why(self, segment_id: str) -> str:
        """Why ``segment_id`` was not aligned."""
        return dict(zip(self.unaligned, self.reasons, strict=False)).get(segment_id, "not aligned")

    @property
    def ratio(self) -> float:
        """Aligned English segments / all English segments (1.0 for a page without segments)."""
        total = len(self.pairs) + len(self.unaligned)
        return len(self.pairs) / total if total else 1.0


def align_pages(source: Page, translated: Page, *, strict: bool = False) -> Alignment:
    """Which text of ``translated`` (an existing translation of ``source``) belongs to which segment."""
    src, dst = _blocks(source), _blocks(translated)
    every = tuple(s.id for s in source.segments)
    nothing = Alignment((), every, tuple(s.text for s in translated.segments), (NOT_THIS_PAGE,) * len(every))
    sections = _match_sections(_sections(source, src), _sections(translated, dst), _length_ratio(src, dst))
    if not any(nl.explicit for _, nl, how in sections if how == ANCHOR) and not _same_page(src, dst):
        return nothing
    # the language's length ratio, from the sections that correspond (not from what one page lacks)
    ratio = _length_ratio(
        [b for en, _, _ in sections for b in en.all], [b for _, nl, _ in sections for b in nl.all]
    )
    found: dict[str, Aligned] = {}
    used: set[str] = set()  # translated segments taken
    why: dict[str, str] = {}  # English segment id -> why it is not aligned

    def pair(en: _Block, nl: _Block, how: str) -> None:
        if _plausible(en.features, nl.features, strict):
            found[en.segment.id] = Aligned(en.segment.id, nl.segment.text, how)
            used.add(nl.segment.id)
        else:
            why[en.segment.id] = _implausible(en.features, nl.features, strict)

    matter = {b.segment.id: b for b in dst if b.segment.kind is SegmentKind.FRONTMATTER}
    for block in src:
        if block.segment.kind is SegmentKind.FRONTMATTER:
            if block.segment.id in matter:
                pair(block, matter[block.segment.id], FRONTMATTER)
            else:
                why[block.segment.id] = f"no {block.segment.id[3:]!r} in the translation's frontmatter"
    paired_sections = set()
    for en, nl, how in sections:
        paired_sections.add(id(en))
        if en.heading is not None and nl.heading is None:
            why[en.heading.segment.id] = "the translated section has no heading with words"
        if en.heading is not None and nl.heading is not None:
            pair(en.heading, nl.heading, how)
        for pairs, taken, merged in _align_blocks(en.blocks, nl.blocks, ratio, strict):
            used.update(taken)
            found.update((p.segment_id, p) for p in pairs)
            why.update((segment_id, NOT_SEPARABLE) for segment_id in merged)
        at = {b.rel: b for b in nl.blocks}
        for block in en.blocks:  # the translated block in the same place, if any, may say why
            other = at.get(block.rel)
            if (
                other is not None
                and other.segment.id not in used
                and block.segment.id not in why
                and not _plausible(block.features, other.features, strict)
            ):
                why[block.segment.id] = _implausible(block.features, other.features, strict)
            why.setdefault(block.segment.id, NO_COUNTERPART)
    for section in _sections(source, src):
        if id(section) not in paired_sections:
            for block in section.all:
                why.setdefault(block.segment.id, NO_SECTION if section.key != "_" else NO_FIRST_PART)

    bodies = any(b.segment.kind is not SegmentKind.FRONTMATTER for b in src) and any(
        b.segment.kind is not SegmentKind.FRONTMATTER for b in dst
    )
    if bodies and not any(b.segment.id in found for en, _, _ in sections for b in en.all):
        return nothing  # no body in common: the title is no translation of this page's either
    english = {s.id: s for s in source.segments}
    unaligned = tuple(s.id for s in source.segments if s.id not in found)
    return Alignment(
        pairs=tuple(_restore(english[s.id], found[s.id]) for s in source.segments if s.id in found),
        unaligned=unaligned,
        leftover=tuple(s.text for s in translated.segments if s.id not in used),
        reasons=tuple(why.get(segment_id, NO_COUNTERPART) for segment_id in unaligned),
    )


# Why a segment is not aligned (``Alignment.reasons``).
NOT_THIS_PAGE = (
    "the translated page does not correspond to this page (no anchor, structure or names in common)"
)
NO_SECTION = "its section has no counterpart in the translation (no matching anchor, level or content)"
NO_FIRST_PART = "nothing before the translation's first heading corresponds to it"
NO_COUNTERPART = "no block of the corresponding translated section matches it (kind, shape, length, links)"
NOT_SEPARABLE = "merged with a neighbouring paragraph in the translation, and not safely separable"


# -- what alignment compares ------------------------------------------------------------------------

_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"[.!?:;…]\W*$")
_HTML_TARGET = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_TAG = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)


@dataclass(frozen=True, eq=False)
class _Features:
    """What a translation keeps of a text (or of neighbouring texts together)."""

    kind: SegmentKind | None  # None: a group of mixed kinds
    targets: Counter[str]  # link targets and image sources
    code: Counter[str]  # code spans
    names: Counter[str]  # numbers and capitalised words inside sentences
    length: int  # characters of prose (no link targets, no markup)
    sentences: int


@dataclass(frozen=True, eq=False)
class _Block:
    """A segment, where it sits, and its features."""

    segment: Segment
    section: str  # the section part of its id
    rel: str  # the id below its section: "ul1/li2/p1"
    shape: str  # rel without numbers: "ul/li/p"
    parent: str  # rel's container: "ul1/li2"
    features: _Features


def _blocks(page: Page) -> list[_Block]:
    return [_block(segment) for segment in page.segments]


def _block(segment: Segment) -> _Block:
    if segment.kind is SegmentKind.HEADING:
        section, rel = segment.id.removeprefix("h:"), "h"
    elif segment.kind is SegmentKind.FRONTMATTER:
        section, rel = "", segment.id
    else:
        section, _, rel = segment.id.partition("/")
    return _Block(
        segment=segment,
        section=section,
        rel=rel,
        shape=_DIGITS.sub("", rel),
        parent=rel.rpartition("/")[0],
        features=_features(segment.text, segment.kind),
    )


def _features(text: str, kind: SegmentKind) -> _Features:
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
    sentences = 1 if kind is SegmentKind.HTML else len(_sentences(text.strip()))
    return _Features(kind, targets, code, _names(words), len(words), sentences)


def _group(features: Sequence[_Features]) -> _Features:
    """The features of neighbouring texts taken together."""
    if len(features) == 1:
        return features[0]
    targets: Counter[str] = Counter()
    code: Counter[str] = Counter()
    names: Counter[str] = Counter()
    for f in features:
        targets.update(f.targets)
        code.update(f.code)
        names.update(f.names)
    kinds = {f.kind for f in features}
    return _Features(
        kind=kinds.pop() if len(kinds) == 1 else None,
        targets=targets,
        code=code,
        names=names,
        length=sum(f.length for f in features),
        sentences=sum(f.sentences for f in features),
    )


@cache
def _parser() -> MarkdownIt:
    return markdown_parser()


def _names(text: str) -> Counter[str]:
    """Numbers (digit runs: 33,000 and 33.000 agree) and capitalised words that do not start a sentence
    (and acronyms anywhere): what a translation keeps as it is."""
    names: Counter[str] = Counter(_DIGITS.findall(text))
    for match in _WORD.finditer(text):
        word, start = match.group(), match.start()
        if word == "I":  # the English pronoun is no name: a translation has none of it
            continue
        first = start == 0 or _SENTENCE_END.search(text[max(0, start - 4) : start]) is not None
        if (word[0].isupper() and not first) or sum(c.isupper() for c in word) >= 2:
            names[word] += 1
    return names


# -- sections ---------------------------------------------------------------------------------------

_COUNTER_SUFFIX = re.compile(r"(?:-\d+|~\d+)$")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)")
_CONTAINER = re.compile(r"^(?:[ \t]*>|[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]+)+")


@dataclass(eq=False)
class _Section:
    """A heading (if it has words) and the blocks up to the next heading."""

    key: str  # the section's name in segment ids: its heading's anchor; "_" before the first heading
    heading: _Block | None
    level: int  # 1–6; 0 unknown or no heading
    explicit: bool  # the heading carries an explicit {#id}
    blocks: list[_Block] = field(default_factory=list)

    @property
    def all(self) -> list[_Block]:
        return [self.heading, *self.blocks] if self.heading is not None else list(self.blocks)

    @cached_property
    def features(self) -> _Features:  # asked for only once the section is complete
        return _group([b.features for b in self.all])


def _sections(page: Page, blocks: Sequence[_Block]) -> list[_Section]:
    """The page's sections in order; the first (key ``_``) holds what precedes the first heading."""
    lines = page.source.splitlines()
    body = [b for b in blocks if b.segment.kind is not SegmentKind.FRONTMATTER]
    sections = [_Section("_", None, 0, False)]
    for index, block in enumerate(body):
        segment = block.segment
        after = body[index + 1] if index + 1 < len(body) else None
        if after is not None and after.segment.kind is SegmentKind.HEADING:
            after = None
        if segment.kind is SegmentKind.HEADING:
            if after is not None and after.section == sections[-1].key != block.section:
                sections[-1].blocks.append(block)  # a heading inside a list item or quote: a block
                continue
            line = lines[segment.line - 1] if 0 < segment.line <= len(lines) else ""
            explicit = segment.anchor is not None and "{#" + segment.anchor + "}" in line
            key = after.section if after is not None else block.section
            sections.append(_Section(key, block, _level(lines, segment.line), explicit))
        elif block.section != sections[-1].key:  # after a heading without words (not a segment)
            sections.append(_Section(block.section, None, 0, False, [block]))
        else:
            sections[-1].blocks.append(block)
    return [s for s in sections if s.all]


def _level(lines: Sequence[str], line: int) -> int:
    """The level of the heading at ``line`` (1-based), 0 if it cannot be told."""
    if not 0 < line <= len(lines):
        return 0
    match = _ATX.match(_CONTAINER.sub("", lines[line - 1]))
    if match:
        return len(match.group(1))
    for below in lines[line:]:  # setext: the underline after the heading's lines
        stripped = _CONTAINER.sub("", below).strip()
        if not stripped:
            break
        if set(stripped) == {"="}:
            return 1
        if set(stripped) == {"-"}:
            return 2
    return 0


def _match_sections(
    src: Sequence[_Section], dst: Sequence[_Section], ratio: float
) -> list[tuple[_Section, _Section, str]]:
    """Pairs of corresponding sections: by anchor, then by order, then moved ones; then the first part."""
    matched: list[tuple[_Section, _Section, str]] = []
    free_src = [s for s in src if s.key != "_"]
    free_dst = [s for s in dst if s.key != "_"]
    scores: dict[tuple[int, int], float] = {}

    def similarity(en: _Section, nl: _Section) -> float:
        key = (id(en), id(nl))
        if key not in scores:
            scores[key] = _section_similarity(en, nl, ratio)
        return scores[key]

    def take(en: _Section, nl: _Section, how: str) -> None:
        matched.append((en, nl, how))
        free_src.remove(en)
        free_dst.remove(nl)

    by_key = {s.key: s for s in free_src}
    for nl in list(free_dst):
        en = by_key.get(nl.key)
        if (
            en is None
            or en not in free_src
            or not (nl.explicit or nl.heading is None or nl.level == en.level)
        ):
            continue
        if _section_similarity(en, nl, ratio, levels=False) < _CONTRADICTION:
            continue  # the anchor says one section, the content another: left to the steps below
        take(en, nl, ANCHOR)
    bases: dict[str, tuple[list[_Section], list[_Section]]] = {}
    for section in free_src:
        bases.setdefault(_COUNTER_SUFFIX.sub("", section.key), ([], []))[0].append(section)
    for section in free_dst:
        if section.explicit:
            bases.setdefault(_COUNTER_SUFFIX.sub("", section.key), ([], []))[1].append(section)
    for ens, nls in bases.values():  # "contact-6" for "contact": one candidate on each side, alike
        if len(ens) == 1 and len(nls) == 1 and similarity(ens[0], nls[0]) >= _SECTION_THRESHOLD:
            take(ens[0], nls[0], ANCHOR)
    for en, nl in _in_order(free_src, free_dst, lambda a, b: similarity(a, b) - _SECTION_THRESHOLD):
        take(en, nl, ORDER)
    for en in list(free_src):  # moved: clearly the best match both ways
        best = max(free_dst, key=lambda other: similarity(en, other), default=None)
        if best is None or similarity(en, best) < _MOVED_THRESHOLD:
            continue
        rivals = [similarity(en, other) for other in dst if other is not best and other.key != "_"]
        rivals += [similarity(other, best) for other in src if other is not en and other.key != "_"]
        if all(similarity(en, best) - rival >= _MOVED_MARGIN for rival in rivals):
            take(en, best, ORDER)

    first_src = next((s for s in src if s.key == "_"), None)
    first_dst = next((s for s in dst if s.key == "_"), None)
    if (
        first_src is not None
        and first_dst is not None
        and (matched or _section_similarity(first_src, first_dst, ratio) >= _SECTION_THRESHOLD)
    ):
        matched.append((first_src, first_dst, ORDER))
    return matched


def _in_order(
    src: Sequence[_Section], dst: Sequence[_Section], gain: Callable[[_Section, _Section], float]
) -> list[tuple[_Section, _Section]]:
    """Order-preserving one-to-one pairs maximising the summed (positive) gains: a small DP."""
    n, m = len(src), len(dst)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    step = [[0] * (m + 1) for _ in range(n + 1)]  # 1 skip src, 2 skip dst, 3 pair
    for i in range(n + 1):
        for j in range(m + 1):
            options = [(best[i - 1][j], 1)] if i else []
            if j:
                options.append((best[i][j - 1], 2))
            if i and j and (g := gain(src[i - 1], dst[j - 1])) > 0:
                options.append((best[i - 1][j - 1] + g, 3))
            if options:
                best[i][j], step[i][j] = max(options, key=lambda o: o[0])
    pairs: list[tuple[_Section, _Section]] = []
    i, j = n, m
    while i or j:
        move = step[i][j]
        if move == 3:
            pairs.append((src[i - 1], dst[j - 1]))
        i, j = i - (move != 2), j - (move != 1)
    return pairs[::-1]


def _same_page(src: Sequence[_Block], dst: Sequence[_Block]) -> bool:
    """Whether two pages' bodies look like one page: structure, link targets and names (not length)."""
    en = _Section("_", None, 0, False, [b for b in src if b.segment.kind is not SegmentKind.FRONTMATTER])
    nl = _Section("_", None, 0, False, [b for b in dst if b.segment.kind is not SegmentKind.FRONTMATTER])
    return not en.blocks or not nl.blocks or _section_similarity(en, nl, None) >= _PAGE_THRESHOLD


# -- similarity -------------------------------------------------------------------------------------

_THRESHOLD = 0.5  # a pair of blocks needs this similarity
_SECTION_THRESHOLD = 0.6  # a pair of sections matched by order
_PAGE_THRESHOLD = 0.55  # two pages without a common explicit anchor: the same page at all?
_CONTRADICTION = 0.4  # sections with the same anchor but less alike than this: the anchor is not trusted
_MOVED_THRESHOLD, _MOVED_MARGIN = 0.7, 0.15  # a section matched out of order: alike, and clearly best
_LENGTH_SPREAD = math.log(2.2)  # a length this many times off the expected one scores 0
_MAX_OFF, _LONG = 2.5, 40  # blocks (with ≥ _LONG characters) whose length is off more than this: no pair
_PART_LENGTH = 0.25  # each part of a merged translation that is cut back needs this length score
_SENTENCE_OFF = 2.0  # and each of its sentences a length within this factor of the English sentence's
_GROUP_PENALTY = 0.02  # a group must be a little better than a pair and a skip
_SKIP = 0.1  # leaving an English block without translation: translators merge more often than they omit
_LENGTH_WEIGHT = 1.5  # length tells a merge or a split best


def _length_ratio(src: Sequence[_Block], dst: Sequence[_Block]) -> float:
    """Translated / English length of the pages' prose: the language's expansion (Dutch ≈ 1.1)."""
    en = sum(b.features.length for b in src if b.segment.kind is not SegmentKind.FRONTMATTER)
    nl = sum(b.features.length for b in dst if b.segment.kind is not SegmentKind.FRONTMATTER)
    return min(4.0, max(0.25, nl / en)) if en and nl else 1.0


def _dice(a: Counter[str], b: Counter[str]) -> float:
    size = a.total() + b.total()
    return 2 * (a & b).total() / size if size else 1.0


def _kept(source: Counter[str], translation: Counter[str]) -> float:
    return (source & translation).total() / source.total()


def _length_off(en: int, nl: int, ratio: float) -> float:
    """How many times longer or shorter than expected the translation is (≥ 1)."""
    smooth = 12  # short texts: a few characters more or less mean little
    return math.exp(abs(math.log((nl + smooth) / (en * ratio + smooth))))


def _length_score(en: int, nl: int, ratio: float) -> float:
    return max(0.0, 1.0 - math.log(_length_off(en, nl, ratio)) / _LENGTH_SPREAD)


def _plausible(en: _Features, nl: _Features, strict: bool) -> bool:
    """Same kind, and the translation carries no link target or code span the English lacks (a link
    target localised where the link counts match, ``/flyering`` → ``/flyeren``, is put back: allowed)."""
    if en.kind is None or en.kind is not nl.kind:
        return False
    if nl.code - en.code or (nl.targets - en.targets and localised(en.targets, nl.targets) is None):
        return False
    return not strict or (en.targets == nl.targets and en.code == nl.code)


def _implausible(en: _Features, nl: _Features, strict: bool) -> str:
    """Why ``_plausible`` refused a pair (for ``Alignment.reasons``)."""
    if en.kind is not nl.kind:
        return "the translation's block is of another kind"
    if nl.code - en.code:
        return f"the translation has code span {_first(nl.code - en.code)!r}, which the English lacks"
    if nl.targets - en.targets and localised(en.targets, nl.targets) is None:
        return f"the translation links to {_first(nl.targets - en.targets)!r}, which the English does not"
    return "strict: the translation does not keep every link target and code span"


def _first(items: Counter[str]) -> str:
    return sorted(items)[0]


def localised(en: Counter[str], nl: Counter[str]) -> list[tuple[str, str]] | None:
    """The translation's link targets that are localised English ones, as ``(translated, English)``
    pairs: only where the link counts match and each differing target is the English one for another
    language (same site-relative kind, same host but for a language or ``www`` label, or the same
    host: another invite link). None when a differing target is foreign."""
    extra, missing = nl - en, en - nl
    if not extra:
        return []
    if nl.total() != en.total():
        return None
    pairs: list[tuple[str, str]] = []
    left = sorted(missing.elements())
    for target in sorted(extra.elements()):
        match = next((english for english in left if _same_place(english, target)), None)
        if match is None:
            return None
        left.remove(match)
        pairs.append((target, match))
    return pairs


_LANGUAGE_LABEL = re.compile(r"^(?:www\.|[a-z]{2,3}(?:-[a-z]{2,4})?\.)(?=[^.]+\.[^.]+)")


def _same_place(english: str, translated: str) -> bool:
    a, b = urlsplit(english), urlsplit(translated)
    if not a.scheme and not a.netloc:  # site-relative: /flyering and /flyeren, #about and #over
        return not b.scheme and not b.netloc and english[:1] == translated[:1] and english[:1] in "/#"
    if {a.scheme, b.scheme} - {"http", "https"}:
        return False
    host_a, host_b = (a.hostname or "").lower(), (b.hostname or "").lower()
    return bool(host_a) and _LANGUAGE_LABEL.sub("", host_a) == _LANGUAGE_LABEL.sub("", host_b)


# what precedes a link destination: `](`, `<` (autolink), `href=`/`src=`; what follows it
_DESTINATION_BEFORE = re.compile(r"(\]\(\s*<?|<|\b(?:href|src)\s*=\s*[\"']?)")
_DESTINATION_AFTER = r"(?=[>\s)\"'])"


def _restore(segment: Segment, pair: Aligned) -> Aligned:
    """``pair`` with the localised link targets of its text put back to the English ones (when each can
    be found and replaced and the result then carries exactly the English targets)."""
    english = _features(segment.text, segment.kind).targets
    translated = _features(pair.text, segment.kind).targets
    swaps = localised(english, translated)
    if not swaps:
        return pair
    text = pair.text
    for old, new in swaps:
        found = re.search(_DESTINATION_BEFORE.pattern + re.escape(old) + _DESTINATION_AFTER, text)
        if not found:
            return pair
        text = text[: found.end(1)] + new + text[found.end(1) + len(old) :]
    if _features(text, segment.kind).targets != english:
        return pair
    return dataclasses.replace(pair, text=text, restored=tuple(swaps))


def _similarity(en: _Features, nl: _Features, ratio: float, strict: bool, place: float) -> float | None:
    """How alike English blocks and their candidate translation are (0–1); None: not a pair at all.

    ``place`` scores the structural position (1.0: the same id below the section).
    """
    longest = max(en.length, nl.length)
    if longest >= _LONG and _length_off(en.length, nl.length, ratio) > _MAX_OFF:
        return None  # holds much more or much less than the English
    if not _plausible(en, nl, strict):
        return None
    length = _length_score(en.length, nl.length, ratio)
    signals = [(place, 1.0), (length, _LENGTH_WEIGHT if longest >= 30 else 0.5)]
    most = max(en.sentences, nl.sentences)
    if most > 1:  # translations keep sentences; merges and splits do not
        signals.append((1 - abs(en.sentences - nl.sentences) / most, 0.75))
    if en.targets:  # LLMs drop links: a missing one says less than a kept one; a localised one is kept
        swaps = localised(en.targets, nl.targets) or ()
        kept = _kept(en.targets, nl.targets) + len(swaps) / en.targets.total()
        signals.append((kept, 1.5 if kept else 0.75))
    if en.code:
        signals.append((_kept(en.code, nl.code), 1.0))
    names = en.names.total() + nl.names.total()
    if names:  # a name or two is weak evidence ("Dutch" is "Nederlandse")
        signals.append((_dice(en.names, nl.names), min(1.0, names / 4)))
    return sum(s * w for s, w in signals) / sum(w for _, w in signals)


def _section_similarity(en: _Section, nl: _Section, ratio: float | None, *, levels: bool = True) -> float:
    """How alike two sections are, to match them without anchors (``ratio`` None: leave length out;
    ``levels`` false: headings of different levels may still be alike)."""
    if (levels and en.level != nl.level) or not en.all or not nl.all:
        return 0.0
    shapes = SequenceMatcher(None, [b.shape for b in en.all], [b.shape for b in nl.all], autojunk=False)
    signals = [(shapes.ratio(), 1.5)]
    a, b = en.features, nl.features
    if ratio is not None:
        signals.append((_length_score(a.length, b.length, ratio), 1.0))
    if a.targets or b.targets:
        signals.append((_dice(a.targets, b.targets), 1.5))
    if a.names or b.names:
        signals.append((_dice(a.names, b.names), 1.5))
    return sum(s * w for s, w in signals) / sum(w for _, w in signals)


# -- blocks within a section ------------------------------------------------------------------------

_MAX_GROUP = 3
_GROUPS = ((1, 1), *((k, 1) for k in range(2, _MAX_GROUP + 1)), *((1, k) for k in range(2, _MAX_GROUP + 1)))
_BAND = 12  # pairs are tried this close to the diagonal (plus the length difference): long sections stay fast


def _align_blocks(
    src: Sequence[_Block], dst: Sequence[_Block], ratio: float, strict: bool
) -> list[tuple[list[Aligned], list[str], list[str]]]:
    """Blocks in order: a pair, or neighbours grouped on one side. Returns (pairs, translated ids taken,
    English ids merged in the translation that could not be separated)."""
    n, m = len(src), len(dst)
    band = (_BAND + abs(n - m)) * max(n, m)

    @cache
    def group(side: int, start: int, end: int) -> _Features | None:
        blocks = (src if side == 0 else dst)[start:end]
        if len({b.parent for b in blocks}) > 1 or blocks[0].segment.kind is not SegmentKind.PARAGRAPH:
            return None  # only paragraphs in the same container are merged or split
        return _group([b.features for b in blocks])

    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    step = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        for j in range(m + 1):
            value, move = -math.inf, (0, 0)
            if i and best[i - 1][j] - _SKIP > value:
                value, move = best[i - 1][j] - _SKIP, (1, 0)
            if j and best[i][j - 1] > value:
                value, move = best[i][j - 1], (0, 1)
            if i and j and abs(i * m - j * n) <= band:
                for a, b in _GROUPS:
                    if a > i or b > j or src[i - a].shape != dst[j - b].shape:
                        continue
                    en = src[i - 1].features if a == 1 else group(0, i - a, i)
                    nl = dst[j - 1].features if b == 1 else group(1, j - b, j)
                    if en is None or nl is None:
                        continue
                    place = 1.0 if src[i - a].rel == dst[j - b].rel else 0.6
                    score = _similarity(en, nl, ratio, strict, place)
                    if score is None or score < _THRESHOLD:
                        continue
                    gain = score - _THRESHOLD + (0.01 if a == b == 1 else -_GROUP_PENALTY)
                    if best[i - a][j - b] + gain > value:
                        value, move = best[i - a][j - b] + gain, (a, b)
            if i or j:
                best[i][j], step[i][j] = value, move
    result: list[tuple[list[Aligned], list[str], list[str]]] = []
    i, j = n, m
    while i or j:
        a, b = step[i][j]
        if a and b:
            result.append(_pair(src[i - a : i], dst[j - b : j], ratio))
        i, j = i - a, j - b
    return result[::-1]


def _pair(
    en: Sequence[_Block], nl: Sequence[_Block], ratio: float
) -> tuple[list[Aligned], list[str], list[str]]:
    taken = [b.segment.id for b in nl]
    if len(en) == 1 and len(nl) == 1:
        return [Aligned(en[0].segment.id, nl[0].segment.text, ORDER)], taken, []
    if len(en) == 1:
        return [Aligned(en[0].segment.id, "\n".join(b.segment.text for b in nl), SPLIT)], taken, []
    parts = _split_merged(en, nl[0], ratio)
    if parts is None:  # the English paragraphs stay unaligned, the merged text a leftover
        return [], [], [b.segment.id for b in en]
    return [Aligned(b.segment.id, part, MERGED) for b, part in zip(en, parts, strict=True)], taken, []


# -- cutting a merged translation back --------------------------------------------------------------

_CLOSERS, _OPENERS = "[\"'”’»)\\]*_]*", "[\"'“‘„«(\\[*_]*"
# between sentences: after . ! ? … and before a capital or digit; or at a line end after . ! ? … : ;
_BREAK = re.compile(rf"(?<=[.!?…]){_CLOSERS}[ \t]+(?={_OPENERS}[^\W_a-z])|(?<=[.!?…:;]){_CLOSERS}[ \t]*\n\s*")
_PROTECTED = re.compile(r"`+[^`]*`+|!?\[[^\]]*\]\([^)]*\)|<[^>]*>")


def _sentences(text: str) -> list[tuple[int, int]]:
    """A paragraph's sentences as spans of ``text``, never cut inside links, code or tags. A line break
    ends a sentence only after sentence punctuation, so hard-wrapped text counts right."""
    masked = _PROTECTED.sub(lambda m: "x" * len(m.group()), text)
    spans, start = [], 0
    for brk in _BREAK.finditer(masked):
        spans.append((start, brk.start() + len(brk.group().rstrip())))
        start = brk.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _split_merged(en: Sequence[_Block], merged: _Block, ratio: float) -> list[str] | None:
    """The merged translation cut into one text per English paragraph, or None when that is not safe."""
    text = merged.segment.text
    english = [(b.segment.text.strip(), _sentences(b.segment.text.strip())) for b in en]
    counts = [len(sentences) for _, sentences in english]
    spans = _sentences(text)
    if len(spans) != sum(counts) or not all(counts):
        return None
    # sentence k of the translation should be as long as sentence k of the English (a cut one sentence off
    # where the translator joined two sentences and split another would put content in the wrong part)
    lengths = [len(normalise(source[a:b])) for source, sentences in english for a, b in sentences]
    for length, (a, b) in zip(lengths, spans, strict=True):
        if _length_off(length, len(normalise(text[a:b])), ratio) > _SENTENCE_OFF:
            return None
    bounds = [0, *(sum(counts[: k + 1]) for k in range(len(counts)))]
    parts: list[str] = []
    for block, (first, end) in zip(en, pairwise(bounds), strict=True):
        part = text[spans[first][0] : spans[end - 1][1]].strip()
        features = _features(part, merged.segment.kind)
        if not _plausible(block.features, features, strict=False):
            return None
        if _length_score(block.features.length, features.length, ratio) < _PART_LENGTH:
            return None
        parts.append(part)
    return parts
