"""Page work on every core: ``extract`` and ``build`` hand each page to a function that does all of that
page's work (every language: the page is read, parsed and segmented once), here in this process or in a
pool of worker processes, and get the pages' outcomes back in page order, whatever order the workers
finish in. The parent then records them (state file, build cache, manifests, archives) exactly as one
process would: the output is the same bytes for any ``--jobs``.

Pages go out in chunks and at most two chunks per worker are in flight, so memory follows the chunk, not
the site. Workers write their pages' files themselves, each atomically (a temporary file renamed), under
the parent's site lock. On SIGINT or SIGTERM the parent tells the workers to stop: each finishes the page
it is on (its files whole) and takes no other; the parent waits for them and ends as an interrupted run
does (:class:`Stopped`). Workers ignore SIGINT (a terminal sends it to the whole process group: the parent
decides) and stop after their page on SIGTERM.

A small site is not worth the pool's start: below :data:`IN_PROCESS_BELOW` pages of work (measured, see
the README's "Performance") everything runs in this process, as with ``--jobs 1``. Nor is a page that
needs no work: the parent first asks :meth:`PageWork.done_already` of every page (unchanged since the
last run: a few file digests), and only the pages left are work; a run that changed a few pages (an
edit) starts no pool at all.
"""

from __future__ import annotations

import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:  # multiprocessing and concurrent.futures load only when a pool starts (see i18n.jobs)
    from concurrent.futures import Future
    from multiprocessing.synchronize import Event

T = TypeVar("T")
R = TypeVar("R")

IN_PROCESS_BELOW = 48  # pages of work: fewer run in this process (a pool's start costs more than it saves)
CHUNK = 16  # pages per chunk at most (fewer on a small site, so that every worker gets some)
IN_FLIGHT = 2  # chunks per worker sent ahead


def default_jobs() -> int:
    """The cores this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else (os.cpu_count() or 1)


class Stopped(KeyboardInterrupt):
    """The work stopped on a signal (``signum``): every page either done whole or not started."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class PageWork(Generic[T, R]):
    """Makes, in each process that does pages, the function that does one page (it may keep what every
    page shares: parsers, the state file, the glossary). Subclasses hold only what pickles."""

    def make(self) -> Callable[[T], R]:
        raise NotImplementedError

    def preload(self) -> None:
        """Load, in the parent before the workers fork, what every page needs (parsers, checks): each
        worker then starts with it instead of loading it again."""

    def done_already(self) -> Callable[[T], R | None] | None:
        """A cheap test run in the parent before any worker starts: an item's outcome when the item needs
        no work (unchanged since the last run: the same outcome the page function would give), else None.
        Only the others go to the pool, so that a run changing a few pages starts none."""
        return None


def each_page(work: PageWork[T, R], items: Sequence[T], jobs: int) -> Generator[R, None, None]:
    """``work``'s function applied to every item, in order: in this process when ``jobs`` is 1 or there are
    fewer than :data:`IN_PROCESS_BELOW` items, else on ``jobs`` worker processes."""
    if jobs <= 1 or len(items) < IN_PROCESS_BELOW:
        do = work.make()
        for item in items:
            yield do(item)
        return
    test = work.done_already()
    if test is None:
        yield from _pooled(work, items, jobs)
        return
    done = [test(item) for item in items]
    rest = [item for item, outcome in zip(items, done, strict=True) if outcome is None]
    if len(rest) < IN_PROCESS_BELOW:
        do = work.make()
        results: Generator[R, None, None] = (do(item) for item in rest)
    else:
        results = _pooled(work, rest, jobs)
    try:
        for outcome in done:
            yield next(results) if outcome is None else outcome
    finally:
        results.close()  # the caller stopped (an error): no worker starts another page


def _pooled(work: PageWork[T, R], items: Sequence[T], jobs: int) -> Generator[R, None, None]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: the workers start with what this process has imported and read (no re-import per worker)
    fork = sys.platform == "linux"
    context = multiprocessing.get_context("fork" if fork else "spawn")
    if fork:
        work.preload()
    stop = context.Event()
    size = max(1, min(CHUNK, len(items) // (jobs * 4)))
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start, initargs=(work, stop))
    pending: deque[Future[list[Any]]] = deque()
    done = False
    try:
        for start in range(0, len(items), size):
            pending.append(pool.submit(_chunk, items[start : start + size]))
            while len(pending) >= IN_FLIGHT * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
        done = True
    finally:
        if not done:  # interrupted, or the caller stopped on an error: no worker starts another page
            stop.set()
        pool.shutdown(wait=True, cancel_futures=True)


_do: Callable[[Any], Any] | None = None  # in a worker: the page function
_stop: Event | None = None
_signalled: list[int] = []  # in a worker: SIGTERM received


def _start(work: PageWork[Any, Any], stop: Event) -> None:
    global _do, _stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_term)
    _do, _stop = work.make(), stop


def _on_term(signum: int, frame: object) -> None:
    _signalled.append(signum)


def _chunk(items: Iterable[Any]) -> list[Any]:
    assert _do is not None and _stop is not None
    results = []
    for item in items:
        if _signalled or _stop.is_set():
            raise Stopped(_signalled[0] if _signalled else signal.SIGINT)
        results.append(_do(item))
    return results
