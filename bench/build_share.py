"""Where a real build's time goes: the work done once per page for every language against the work per
page and language, measured by wall-clock timers around the pipeline's functions in one ``i18n run -q``.

Usage (from the repository root, with the project's venv):

    python bench/bench.py --only scale --runs 1 --keep --workdir /tmp/w   # a 1,000 x 3 site, translated
    python bench/build_share.py /tmp/w/scale-1000                        # this script on it

The project's catalogs are kept; its state files (``locales/.i18n-*``) and ``build/`` are removed first, so
the run is the scale section's "real build from scratch". Timers, not cProfile: a profiler inflates
markdown-it's many small calls about 1.8x and would skew the shares. Nested timers do not overlap: the
render's structure check is inside "render", the checks inside "summarise".
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PARTS = (  # (module, function, what it is)
    ("i18n.markdown.page", "parse_page", "once per page: read + parse + segment (parse_page)"),
    ("i18n.jobs.catalogs", "read_catalog", "per language: read a catalog"),
    ("i18n.jobs.state", "summarise", "per language: summarise a catalog (its checks)"),
    ("i18n.catalog.update", "update_messages", "per language: update the entries"),
    ("i18n.jobs.catalogs", "write_catalog", "per language: format + write a catalog"),
    ("i18n.jobs.build", "render_document", "per language: render a page (+ its structure check)"),
    ("i18n.jobs.targz", "write_tar_gz", "per language: the archive (on threads: summed)"),
)


def timed(totals: dict[str, float], what: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[what] = totals.get(what, 0.0) + time.perf_counter() - start

    return wrapper


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="a project with filled catalogs (e.g. bench.py --keep)")
    args = parser.parse_args(argv)
    project = args.project.resolve()
    if not (project / "pyproject.toml").is_file() or not (project / "locales").is_dir():
        print(f"error: {project}: not a project with catalogs (pyproject.toml, locales/)", file=sys.stderr)
        return 2
    import importlib

    shutil.rmtree(project / "build", ignore_errors=True)
    for state in (project / "locales").glob(".i18n-*"):
        state.unlink()
    totals: dict[str, float] = {}
    for module_name, name, what in PARTS:
        module = importlib.import_module(module_name)
        setattr(module, name, timed(totals, what, getattr(module, name)))
    from i18n.cli import main as cli

    os.chdir(project)
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        cli(["run", "-q", "--jobs", "1"])  # one process: the timers see every page
    total = time.perf_counter() - start
    print(f"i18n run -q from scratch (catalogs kept) in {project}: {total:.2f} s")
    for _, _, what in PARTS:
        seconds = totals.get(what, 0.0)
        print(f"  {what:55s} {seconds:7.2f} s  {100 * seconds / total:3.0f} %")
    rest = total - sum(totals.values())
    what = "the rest (hashing, state files, manifests, listing)"
    print(f"  {what:55s} {rest:7.2f} s  {100 * rest / total:3.0f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
