"""Update rules: carry a page's translations forward to its new segments (Babel's Catalog.update, stricter).

- unchanged text (also when its context changed) keeps its message as it is;
- whitespace-only edits and re-wrapping keep the translation valid (same source hash);
- a segment moved from another page takes that page's translation (``recall``), no engine needed;
- an edited segment takes the closest old message (rapidfuzz, ``threshold``) as *stale*: fuzzy, with the
  previous msgid, so the translator sees what changed; an edited message of a keyed kind (a message file's
  value) takes its own key's old message as stale, however much its text changed;
- a removed segment's message becomes obsolete (``#~``) until pruned; an untranslated one is dropped;
- an old translation of a whole raw HTML block (before element texts were segments of their own) is
  split into its elements' translations when both sides have the same markup (``split``), each keeping
  the block's state; when it cannot be split, the elements' messages get it as *stale*;
- nothing here ever changes a msgstr's words.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from ..segments import KEYED_KINDS, Segment, SegmentKind, normalise, source_hash
from .model import Message, State

Recall = Callable[[str], Message | None]
# An HTML block's text and translation -> the texts of its pieces, and their translations (None: the
# translation cannot be split the same way).
Split = Callable[[str, str], tuple[list[str], list[str] | None]]
INSTRUCTIONS_NOTE = re.compile(r"^(?:\S.*?)?__instructions: ")  # how an instruction note starts


def fresh_messages(segments: Sequence[Segment], location: str) -> tuple[Message, ...]:
    """Untranslated messages for a document's segments, in document order.

    ``msgctxt`` (the segment id) where the same text occurs more than once in the page, and always for a
    keyed kind (a message file's key). The extracted comments: the segment's kind, then its notes.
    """
    counts = Counter(segment.text for segment in segments)
    return tuple(
        Message(
            msgid=segment.text,
            context=segment.id if counts[segment.text] > 1 or segment.kind in KEYED_KINDS else None,
            locations=((location, segment.line),),
            notes=(note_for(segment), *segment.notes),
        )
        for segment in segments
    )


def note_for(segment: Segment) -> str:
    if segment.kind is SegmentKind.HEADING and segment.anchor:
        return f"{segment.kind.value} (anchor: #{segment.anchor})"
    return segment.kind.value


def context_of(message: Message) -> tuple[str, ...]:
    """What the extracted comments say beyond the segment kind — a message file's instructions
    (``<key>__instructions: <text>``), for translators and engines — one string per note. A PO tool
    that wrapped a long comment over several ``#.`` lines has them joined back."""
    notes: list[str] = []
    for line in message.notes[1:]:
        if notes and INSTRUCTIONS_NOTE.search(line) is None:
            notes[-1] += " " + line.strip()
        else:
            notes.append(line.strip())
    return tuple(note for note in notes if note)


def kind_of(message: Message) -> SegmentKind:
    """The segment kind recorded in a message's extracted comment (paragraph when unknown)."""
    for note in message.notes:
        word = note.split(" ", 1)[0]
        for kind in SegmentKind:
            if kind.value == word:
                return kind
    return SegmentKind.PARAGRAPH


def update_messages(
    old: Sequence[Message],
    fresh: Sequence[Message],
    *,
    threshold: float,
    recall: Recall | None = None,
    split: Split | None = None,
) -> tuple[Message, ...]:
    """The page's new messages (page order), then obsolete ones. Pure: no message text is invented."""
    kept = len(old)  # messages from ``split`` come after: used when they match, else forgotten
    old = [*old, *_split_blocks(old, split)] if split is not None else list(old)
    pool = sorted(range(len(old)), key=lambda i: (i >= kept, old[i].obsolete))  # active messages first
    used: set[int] = set()
    result: list[Message | None] = [None] * len(fresh)

    def take(index: dict[object, list[int]], key: object) -> int | None:
        for candidate in index.get(key, ()):
            if candidate not in used:
                used.add(candidate)
                return candidate
        return None

    by_key: dict[object, list[int]] = defaultdict(list)
    by_text: dict[object, list[int]] = defaultdict(list)
    by_hash: dict[object, list[int]] = defaultdict(list)
    by_origin: dict[object, list[int]] = defaultdict(list)  # the text a stale msgstr was made for
    for i in pool:
        by_key[old[i].key].append(i)
        by_text[old[i].msgid].append(i)
        by_hash[source_hash(old[i].msgid)].append(i)
        if old[i].msgstr and old[i].fuzzy and (old[i].previous or old[i].source_hash):
            by_origin[old[i].source_hash or source_hash(old[i].previous or "")].append(i)

    passes: list[tuple[dict[object, list[int]], Callable[[Message], object]]] = [
        (by_key, lambda m: m.key),
        (by_text, lambda m: m.msgid),
        (by_hash, lambda m: source_hash(m.msgid)),
        (by_origin, lambda m: source_hash(m.msgid)),
    ]
    for index, key_of in passes:
        for n, message in enumerate(fresh):
            if result[n] is None and (match := take(index, key_of(message))) is not None:
                result[n] = _carry(old[match], message)
    if recall is not None:
        for n, message in enumerate(fresh):
            if result[n] is None and (found := recall(source_hash(message.msgid))) is not None:
                result[n] = _recalled(found, message)
    by_context: dict[object, list[int]] = defaultdict(list)  # a keyed message's own key
    for i in pool:
        if i not in used and old[i].msgstr and old[i].context is not None and kind_of(old[i]) in KEYED_KINDS:
            by_context[old[i].context].append(i)
    for n, message in enumerate(fresh):
        keyed = result[n] is None and by_context and kind_of(message) in KEYED_KINDS
        if keyed and (match := take(by_context, message.context)) is not None:
            result[n] = _stale(old[match], message)
    for n, i in _closest(old, fresh, result, used, threshold):
        used.add(i)
        result[n] = _stale(old[i], fresh[n])
    messages = [m if m is not None else fresh[n] for n, m in enumerate(result)]
    obsolete = [
        replace(old[i], obsolete=True, locations=(), notes=())  # as msgmerge keeps them: no `#.`
        for i in range(kept)
        if i not in used and old[i].msgstr and not old[i].pseudo
    ]
    return tuple(m.normalised() for m in [*messages, *obsolete])


def _split_blocks(old: Sequence[Message], split: Split) -> list[Message]:
    """Messages for the pieces of old translations of whole HTML blocks (see the module's rules)."""
    derived: list[Message] = []
    for message in old:
        if not message.msgstr or kind_of(message) is not SegmentKind.HTML:
            continue
        sources, translations = split(message.msgid, message.msgstr)
        if sources == [message.msgid] or not sources:
            continue  # already one piece
        base = replace(message, context=None, obsolete=True, locations=(), suggestions=())
        if translations is not None and message.state is not State.STALE:
            for text, translated in zip(sources, translations, strict=True):
                hashed = source_hash(text) if message.source_hash else None
                derived.append(replace(base, msgid=text, msgstr=translated, source_hash=hashed))
        else:  # stale for each piece, the whole old translation shown
            for text in sources:
                derived.append(
                    replace(
                        base,
                        msgid=text,
                        fuzzy=True,
                        previous=message.previous or message.msgid,
                        source_hash=source_hash(message.previous or message.msgid),
                    )
                )
    return derived


def _carry(old: Message, new: Message) -> Message:
    return replace(
        old, msgid=new.msgid, context=new.context, locations=new.locations, notes=new.notes, obsolete=False
    )


def _recalled(found: Message, new: Message) -> Message:
    """A translation of exactly this text from another page: reviewed stays reviewed."""
    reviewed = found.origin is None and found.state in (State.REVIEWED, State.STALE)
    return replace(
        new,
        msgstr=found.msgstr,
        fuzzy=not reviewed,
        source_hash=source_hash(new.msgid),
        origin=None if reviewed else (found.origin or "memory"),
        request=None if reviewed else found.request,
    )


def _stale(old: Message, new: Message) -> Message:
    stale = old.state is State.STALE  # then still stale against the text the translation was made for
    translated_from = old.previous if stale and old.previous is not None else old.msgid
    return replace(
        _carry(old, new),
        fuzzy=True,
        previous=translated_from,
        source_hash=old.source_hash if stale and old.source_hash else source_hash(translated_from),
        rejected=None,
    )


def _closest(
    old: Sequence[Message],
    fresh: Sequence[Message],
    result: Sequence[Message | None],
    used: set[int],
    threshold: float,
) -> Iterable[tuple[int, int]]:
    """Pairs (fresh index, old index) of edited segments and their closest old translated message."""
    wanted = [n for n, m in enumerate(result) if m is None]
    offered = [i for i in range(len(old)) if i not in used and old[i].msgstr and not old[i].pseudo]
    if not wanted or not offered:
        return []
    from rapidfuzz import fuzz  # only when something was edited

    queries = [normalise(fresh[n].msgid) for n in wanted]
    choices = [normalise(old[i].msgid) for i in offered]
    pairs = sorted(
        (-score, a, b)
        for a, query in enumerate(queries)
        for b, choice in enumerate(choices)
        if (score := fuzz.ratio(query, choice, score_cutoff=threshold))
    )
    taken_fresh: set[int] = set()
    taken_old: set[int] = set()
    chosen: list[tuple[int, int]] = []
    for _, a, b in pairs:
        if a not in taken_fresh and b not in taken_old:
            taken_fresh.add(a)
            taken_old.add(b)
            chosen.append((wanted[a], offered[b]))
    return chosen


def apply_machine(
    message: Message,
    text: str,
    origin: str,
    rejected: str | None,
    missed: Sequence[str],
    suggestion: str | None = None,
    *,
    suggestions: Sequence[str] = (),
    request: str | None = None,
) -> Message:
    """A machine (or memory, or imported) translation for ``message``: unreviewed, never replacing a
    human's words. A stale message's old translation becomes a suggestion for the translator, and its
    ``#| msgid`` (the source that translation was made for) stays, so the translator sees what changed;
    ``suggestion`` and ``suggestions`` (a memory match, an engine's other candidates) become suggestions
    too. ``request``: what a chat model was asked (``# i18n: request``)."""
    kept = list(message.suggestions)
    stale = message.state is State.STALE
    if message.msgstr and stale and message.msgstr not in kept:
        kept.insert(0, message.msgstr)
    for extra in (suggestion, *suggestions):
        if extra and extra not in kept and extra != text:
            kept.append(extra)
    return replace(
        message,
        msgstr=text,
        fuzzy=True,
        previous=message.previous if stale else None,
        source_hash=source_hash(message.msgid),
        origin=origin,
        rejected=rejected,
        glossary=tuple(missed),
        suggestions=tuple(kept),
        request=request,
    )
