"""Translation memory: the reviewed translations of one language, for exact reuse and suggestions."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..segments import source_hash


@dataclass
class Memory:
    """Reviewed translations by the source hash of the text they translate (first one found wins)."""

    threshold: float  # rapidfuzz ratio for a suggestion
    _exact: dict[str, tuple[str, str]] = field(default_factory=dict)  # hash -> (msgid, msgstr)
    _pairs: list[tuple[str, str]] | None = None  # the entries as a list, for fuzzy lookups
    _choices: list[str] | None = None

    def add(self, msgid: str, msgstr: str) -> None:
        self._exact.setdefault(source_hash(msgid), (msgid, msgstr))
        self._pairs = self._choices = None

    def __len__(self) -> int:
        return len(self._exact)

    def exact(self, msgid: str) -> str | None:
        """The reviewed translation of exactly this text (whitespace aside), if any."""
        found = self._exact.get(source_hash(msgid))
        return found[1] if found else None

    def suggestion(self, msgid: str) -> str | None:
        """``memory NN%: <translation>`` of the closest reviewed text, when close enough."""
        if not self._exact:
            return None
        from rapidfuzz import fuzz, process

        if self._pairs is None or self._choices is None:
            self._pairs = list(self._exact.values())
            self._choices = [source for source, _ in self._pairs]
        best = process.extractOne(msgid, self._choices, scorer=fuzz.ratio, score_cutoff=self.threshold)
        if best is None:
            return None
        return f"memory {best[1]:.0f}%: {self._pairs[best[2]][1]}"
