"""Progress of a translation run, as figures and as text (the command line prints it; nothing here does).

``translate`` hands a :class:`Tally` to its progress callback after each chunk is planned and after
each answer. :class:`Meter` turns tallies into what to show: on a terminal a bar redrawn in place, in
a log (CI) one line every ``every`` seconds, by a clock given at the edge (:func:`i18n.clock.ticks`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import clock as _clock
from ..clock import Ticks

EVERY = 5.0  # seconds between two progress lines in a log
BAR = 24  # characters of the bar on a terminal


@dataclass(frozen=True)
class Tally:
    """A run so far: unique texts answered of those expected (an estimate from the catalogs' summaries
    until every chunk is planned), requests, characters sent, tokens and cost (chat models)."""

    done: int = 0
    total: int = 0
    requests: int = 0
    characters: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float | None = None
    tokens: bool = False  # a chat model: tokens are what it bills

    def figures(self) -> str:
        """``120/400 texts, 12 requests, 34000 characters`` (tokens and cost for a chat model)."""
        spent = (
            f"{self.prompt_tokens} prompt + {self.completion_tokens} completion tokens"
            if self.tokens
            else f"{self.characters} characters"
        )
        cost = f", cost {self.cost:.4f}" if self.cost is not None else ""
        requests = f"{self.requests} request{'' if self.requests == 1 else 's'}"
        return f"{self.done}/{max(self.total, self.done)} texts, {requests}, {spent}{cost}"


class Meter:
    """What to show for each tally: a bar redrawn in place (a terminal), or a line at most every
    ``every`` seconds (a log; a run shorter than that shows none). :meth:`final` ends the display."""

    def __init__(self, *, terminal: bool, every: float = EVERY, clock: Ticks | None = None) -> None:
        self.terminal, self.every = terminal, every
        self.clock = clock if clock is not None else _clock.ticks
        self._last: float | None = None  # when the last line was shown (or the run started)
        self._shown = 0  # bars drawn or lines shown
        self._pending: Tally | None = None  # the latest tally, if not shown

    def show(self, tally: Tally) -> str | None:
        """The text to show now for ``tally``, if any: ``"\\r"`` and the bar on a terminal, else a
        line when ``every`` seconds passed since the last one."""
        if self.terminal:
            self._shown += 1
            return "\r" + bar(tally)
        now = self.clock()
        if self._last is None:
            self._last = now
        if now - self._last < self.every:
            self._pending = tally
            return None
        self._last, self._pending = now, None
        self._shown += 1
        return line(tally)

    def final(self) -> str | None:
        """The end of the display: a newline after a terminal's bar; in a log the last tally, when
        lines were shown and it was not."""
        if self.terminal:
            return "\n" if self._shown else None
        pending, self._pending = self._pending, None
        return line(pending) if pending is not None and self._shown else None


def line(tally: Tally) -> str:
    percent = 100.0 * tally.done / tally.total if tally.total else 100.0
    return f"translating: {min(percent, 100.0):.0f}%, {tally.figures()}"


def bar(tally: Tally, width: int = BAR) -> str:
    share = min(1.0, tally.done / tally.total) if tally.total else 1.0
    filled = round(share * width)
    return f"translating [{'#' * filled}{'-' * (width - filled)}] {tally.figures()}"
