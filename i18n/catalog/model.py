"""The catalog model: one page's messages in one language, and the state of each translation.

Kept apart from the PO reader/writer (``po.py``) and from the update rules (``update.py``), as Babel does.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum

from ..segments import source_hash

PSEUDO = "pseudo"  # the origin of pseudo-localised text: never a translation of a real language
PSEUDO_MARKS = ("\u27e6", "\u27e7")  # ⟦ ⟧: pseudo-localisation brackets its text (:mod:`i18n.mt.pseudo`)


def looks_pseudo(msgid: str, msgstr: str) -> bool:
    """Whether ``msgstr`` is pseudo-localised text by its content: it carries the ``⟦…⟧`` brackets that
    pseudo-localisation puts around a text, and its source does not. Recognised whatever a tool did to
    the entry's flags and comments (``msgattrib --clear-fuzzy``, a translator's "approve all")."""
    opening, closing = PSEUDO_MARKS
    return opening in msgstr and closing in msgstr and opening not in msgid and closing not in msgid


class State(Enum):
    """Where a translation stands. Visible in the PO file through msgstr, ``fuzzy`` and our comments."""

    MISSING = "missing"  # empty msgstr
    MACHINE = "machine"  # machine (or imported) output, not reviewed yet: fuzzy
    REVIEWED = "reviewed"  # a translator cleared fuzzy
    STALE = "stale"  # the source changed after translation: fuzzy, previous msgid kept
    REJECTED = "rejected"  # a check failed; never used in a build


@dataclass(frozen=True)
class Message:
    """One catalog entry. ``comments`` are the translators' own comment lines, preserved verbatim."""

    msgid: str
    msgstr: str = ""
    context: str | None = None
    fuzzy: bool = False
    previous: str | None = None  # previous msgid (`#| msgid`): the source the msgstr was made for
    obsolete: bool = False
    locations: tuple[tuple[str, int], ...] = ()
    notes: tuple[str, ...] = ()  # extracted comments (`#.`): kind, anchor
    comments: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()  # flags other than fuzzy, preserved
    source_hash: str | None = None  # hash of the source text msgstr translates
    origin: str | None = None  # engine or import that produced an unreviewed msgstr
    request: str | None = None  # what a chat model was asked: "<request key> <model>" (``# i18n: request``)
    rejected: str | None = None  # why a check rejected msgstr
    suggestions: tuple[str, ...] = ()  # earlier translations and memory matches, for the translator
    glossary: tuple[str, ...] = ()  # glossary terms of the source the machine translation did not use
    line: int = field(default=0, compare=False)  # line in the PO file it was read from

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)

    @property
    def pseudo(self) -> bool:
        """Pseudo-localised text (``--engine pseudo`` on a real language): never usable, counted as
        missing, replaced by the next real engine run. Known by its origin while that survives, and by its
        content (:func:`looks_pseudo`) whatever a tool did to flags and comments."""
        if not self.msgstr:
            return False
        return (self.fuzzy and self.origin == PSEUDO) or looks_pseudo(self.msgid, self.msgstr)

    @property
    def outdated(self) -> bool:
        """Whether msgstr was made for another source text than msgid (by the recorded source hash;
        without one, by a previous msgid). A machine translation of the current text may still show the
        ``#| msgid`` an earlier translation was made for: what changed, for the translator."""
        if self.source_hash is not None:
            return self.source_hash != source_hash(self.msgid)
        return self.previous is not None

    @property
    def state(self) -> State:
        if not self.msgstr or self.pseudo:
            return State.MISSING
        if not self.fuzzy:
            return State.REVIEWED
        if self.rejected:
            return State.REJECTED
        if self.outdated:
            return State.STALE
        return State.MACHINE

    def normalised(self) -> Message:
        """Drop bookkeeping that no longer applies (what the pipeline writes back)."""
        if self.msgstr and self.pseudo and self.outdated:  # pseudo text of an old source: worth nothing
            return replace(self, msgstr="").normalised()
        if not self.msgstr:
            bookkeeping = (self.previous, self.source_hash, self.origin, self.rejected, self.request)
            if not (self.fuzzy or any(bookkeeping)):
                return self
            return replace(
                self, fuzzy=False, previous=None, source_hash=None, origin=None, rejected=None, request=None
            )
        if not self.fuzzy:  # a translator vouched for msgstr as a translation of msgid
            digest = source_hash(self.msgid)
            if (
                self.previous is None
                and self.source_hash == digest
                and not (self.origin or self.rejected or self.request)
            ):
                return self
            return replace(self, previous=None, source_hash=digest, origin=None, rejected=None, request=None)
        message = self
        if message.source_hash is None:
            message = replace(message, source_hash=source_hash(message.previous or message.msgid))
        if message.previous is not None and source_hash(message.previous) == source_hash(message.msgid):
            # the source went back to the text msgstr translates: no longer stale; a human
            # translation (no origin) is reviewed again
            message = replace(message, previous=None, fuzzy=message.origin is not None)
        return message


@dataclass(frozen=True)
class Catalog:
    """A page's catalog in one language (``language`` None: the template)."""

    language: str | None
    page: str  # page path relative to content/, posix
    header: tuple[tuple[str, str], ...]
    messages: tuple[Message, ...]
    header_comment: str = ""
    digest: str | None = field(default=None, compare=False)  # of the file it was read from or written to

    @property
    def active(self) -> tuple[Message, ...]:
        return tuple(m for m in self.messages if not m.obsolete)

    @property
    def obsolete(self) -> tuple[Message, ...]:
        return tuple(m for m in self.messages if m.obsolete)

    def header_value(self, name: str) -> str | None:
        for key, value in self.header:
            if key == name:
                return value
        return None
