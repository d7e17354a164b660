"""The memo caches of pure functions belong to the run that fills them: declared with ``run_cache``
(bounded, listed), emptied by the run between translate and build and when the run returns."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from i18n.caches import RunCaches, run_cache, run_caches
from i18n.jobs.pipeline import run
from i18n.segments import source_hash

from .project import Project, fixed_clock


def test_a_run_cache_is_bounded_and_released_with_the_run_while_others_are_not() -> None:
    @run_cache(2)
    def double(n: int) -> int:
        return 2 * n

    @lru_cache(maxsize=2)
    def table(n: int) -> int:  # a cache nobody declared as the run's: a run leaves it alone
        return n

    with RunCaches() as caches:
        for n in range(5):
            double(n)
            table(n)
        assert double.cache_info().currsize == 2  # bounded by its maxsize, not by the texts seen
        assert caches.held() >= 2
    assert double.cache_info().currsize == 0
    assert table.cache_info().currsize == 2
    assert double in run_caches() and table not in run_caches()
    with pytest.raises(ValueError, match="bounded"):
        run_cache(0)


def test_every_declared_run_cache_is_bounded_and_the_known_ones_are_declared() -> None:
    import i18n.catalog.po
    import i18n.checks  # declares its caches on import

    caches = run_caches()
    assert all((cached.cache_info().maxsize or 0) > 0 for cached in caches)
    assert source_hash in caches
    assert i18n.catalog.po._entry_text in caches


def test_a_pipeline_run_releases_what_it_memoised(tmp_path: Path) -> None:
    project = Project(tmp_path, languages=("nl", "de"))
    project.page("a.md", "# Hello\n\nA [link](/x) and *words*, 12 of them.\n")
    project.page("b.md", "# Other\n\n| a | b |\n| - | - |\n| one | two |\n")
    RunCaches().release()
    run(project.config, "pseudo", clock=fixed_clock)
    assert RunCaches().held() == 0  # the run's own caches: released when it returned

    kept = RunCaches()  # a caller that keeps them (the CLI prints the status from them)
    run(project.config, "pseudo", clock=fixed_clock, caches=kept)
    project.page("a.md", "# Hello again\n\nNew words.\n")
    run(project.config, None, clock=fixed_clock, caches=kept)
    assert kept.held() > 0
    kept.release()
    assert kept.held() == 0
