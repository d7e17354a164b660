"""Build writes its languages' archives on threads (zlib compresses without the interpreter lock): the
same bytes and the same report as one after another."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from i18n.jobs import build as build_module
from i18n.jobs.build import build

from .project import Project

LANGUAGES = ("nl", "de", "fr")
WRITE_ARCHIVE = build_module.write_archive


def _site(root: Path) -> Project:
    root.mkdir()
    project = Project(root, languages=LANGUAGES)
    for n in range(4):
        project.page(f"p{n}.md", f"# Page {n}\n\nA paragraph of page {n}.\n")
    project.extract()
    return project


def _built(
    root: Path, cores: int, monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, bytes], set[str], list]:
    project = _site(root)
    threads: set[str] = set()

    def recording(archive: Path, members: object) -> bool:
        threads.add(threading.current_thread().name.split("_")[0])
        return WRITE_ARCHIVE(archive, members)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "write_archive", recording)
    monkeypatch.setattr(build_module.os, "cpu_count", lambda: cores)
    results = build(project.config, LANGUAGES)
    archives = {language: (root / "build" / f"{language}.tar.gz").read_bytes() for language in LANGUAGES}
    report = [
        (r.language, [p.relative_to(root).as_posix() for p in r.written], r.pages_written) for r in results
    ]
    return archives, threads, report


def test_archives_are_written_on_threads_with_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, one_threads, one_report = _built(tmp_path / "one", 1, monkeypatch)
    two, two_threads, two_report = _built(tmp_path / "two", 2, monkeypatch)
    assert one_threads == {"MainThread"}
    assert two_threads == {"i18n-archive"}
    assert one == two
    assert one_report == two_report
    assert all(f"build/{language}.tar.gz" in written for language, written, _ in two_report)
