"""The memo caches of pure functions (parsed markup, checks, PO formatting, source hashes: thousands of
texts each), declared with :func:`run_cache` instead of ``functools.lru_cache``: bounded, and listed
here, so the run that fills them owns them. A run (:class:`RunCaches`) empties them between two phases whose
texts differ (translate, then build: the memory is reused instead of the process growing) and when it
ends: nothing it memoised outlives it. Small tables built once (parsers, line-break classes) keep
``functools.cache`` and are not listed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import _lru_cache_wrapper, lru_cache
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")

_REGISTERED: list[_lru_cache_wrapper[Any]] = []  # every run cache, in the order their modules declared them


def run_cache(maxsize: int) -> Callable[[Callable[..., T]], _lru_cache_wrapper[T]]:
    """``functools.lru_cache(maxsize)``, listed among the caches a run releases."""
    if maxsize <= 0:
        raise ValueError("a run cache is bounded: maxsize > 0")

    def decorate(func: Callable[..., T]) -> _lru_cache_wrapper[T]:
        cached = lru_cache(maxsize=maxsize)(func)
        _REGISTERED.append(cached)
        return cached

    return decorate


def run_caches() -> tuple[_lru_cache_wrapper[Any], ...]:
    """The run caches declared so far (by the modules imported)."""
    return tuple(_REGISTERED)


class RunCaches:
    """What one run memoised: ``with RunCaches() as caches:`` around the run; :meth:`release` between
    its phases; leaving the block releases everything."""

    def __enter__(self) -> RunCaches:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()

    def release(self) -> int:
        """Empty every run cache; returns how many entries were dropped."""
        dropped = 0
        for cached in _REGISTERED:
            dropped += cached.cache_info().currsize
            cached.cache_clear()
        return dropped

    def held(self) -> int:
        """How many entries the run caches hold now."""
        return sum(cached.cache_info().currsize for cached in _REGISTERED)
