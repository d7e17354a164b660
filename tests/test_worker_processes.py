"""`--jobs N` (issue 22, every core): extract and build spread pages over worker processes and give the same
bytes as one process — catalogs, state file, pages, manifests, archives, reports — with a bad page costing
that page only; a signal stops the workers with nothing half-written; a small site starts no pool."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from i18n.catalog.po import read_catalog
from i18n.errors import PageError
from i18n.files import TEMP_SUFFIX
from i18n.jobs import workers
from i18n.jobs.build import _BuildWork, build
from i18n.jobs.extract import _ExtractWork, extract
from i18n.jobs.layout import list_sources
from i18n.jobs.memo import Memo
from i18n.jobs.pipeline import run
from i18n.jobs.state import SiteState

from .project import Project, fixed_clock
from .support import ROOT, invoke

LANGUAGES = ("nl", "de")
SHARED_TEXT = "A sentence that several pages share, translated once by a translator."


def _page(n: int) -> str:
    table = f"\n| Key {n} | Value |\n| --- | --- |\n| row {n} | *cell* {n} |\n" if n % 3 == 0 else ""
    items = f"\n- item one of {n}\n- item [two](/p{n}) of {n}\n" if n % 4 == 1 else ""
    shared = f"\n{SHARED_TEXT}\n" if n % 10 == 1 else ""
    head = f"---\ntitle: Page {n}\n---\n# Page {n}\n\nParagraph {n} with `code` and **bold**.\n"
    return head + table + items + shared


def _site(root: Path, extra: str = "") -> Project:
    root.mkdir()
    project = Project(root, languages=LANGUAGES, extra=extra)
    for n in range(60):
        project.page(f"section{n % 3}/p{n:02}.md", _page(n))
    (root / "content" / "bad.md").write_bytes(b"# Bad\n\n\xff\xfe not UTF-8\n")
    return project


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _scenario(root: Path, jobs: int) -> tuple[dict[str, bytes], list[str]]:
    """Two runs and a pseudo build: from scratch; then after a translator's review, an edit, a new page
    recalling a reviewed text, a deleted page and a page left unchanged (skipped unparsed)."""
    project = _site(root, "build_min_coverage = 10\n")  # untranslated pages left out of the build
    config = project.config
    reports: list[str] = []
    skipped: list[PageError] = []
    reports.append(repr(run(config, "pseudo", clock=fixed_clock, skipped=skipped, jobs=jobs)))
    for n in (1, 11):
        project.translate(f"section{n % 3}/p{n:02}.md", {SHARED_TEXT: "Een zin die pagina's delen."})
    project.page("section2/p02.md", _page(2) + f"\n{SHARED_TEXT}\n\nAn edited paragraph.\n")
    project.page("section0/p60.md", f"# New\n\n{SHARED_TEXT}\n")
    (root / "content" / "section0" / "p03.md").unlink()
    reports.append(repr(run(config, None, clock=fixed_clock, skipped=skipped, jobs=jobs)))
    reports.append(repr(build(config, LANGUAGES, pseudo=True, skipped=skipped, jobs=jobs)))
    reports.append(repr([str(error) for error in skipped]))
    return _files(root), [report.replace(str(root), "ROOT") for report in reports]


def test_any_number_of_jobs_gives_the_same_bytes_and_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "IN_PROCESS_BELOW", 1)  # the pool even for the small second run
    files, reports = _scenario(tmp_path / "one", 1)
    assert "content/bad.md" in reports[-1]  # the bad page named, every other page done
    assert "build/nl/section0/p00.md" not in files  # below build_min_coverage: left out
    assert "Een zin die pagina" in files["build/nl/section0/p60.md"].decode()  # recalled, reviewed, built
    for jobs in (2, 3):
        other, other_reports = _scenario(tmp_path / f"jobs{jobs}", jobs)
        assert other_reports == reports
        assert sorted(other) == sorted(files)
        assert [name for name in files if files[name] != other[name]] == []


def test_the_command_line_takes_jobs_and_names_a_bad_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "IN_PROCESS_BELOW", 1)
    project = _site(tmp_path / "site")
    result = invoke(project, "run", "-q", "--jobs", "2")
    assert result.exit_code == 1, result.output  # as with one process: a page was left out
    assert "error: content/bad.md:3: not valid UTF-8" in result.output and "(skipped)" in result.output
    assert "build nl: 60/60 pages" in result.output
    result = invoke(project, "build", "-q", "-j", "2", "--pseudo")
    assert result.exit_code == 1 and "build en-XA: 60/60 pages" in result.output, result.output
    assert invoke(project, "extract", "--jobs", "0").exit_code == 2  # at least one


def test_a_small_site_starts_no_pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("a pool was started")

    monkeypatch.setattr(workers, "_pooled", refuse)
    project = Project(tmp_path, languages=LANGUAGES)
    for n in range(workers.IN_PROCESS_BELOW - 1):
        project.page(f"p{n}.md", f"# Page {n}\n\nText {n}.\n")
    result = invoke(project, "run", "-q", "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "build" / "nl" / "p0.md").is_file()


def test_an_edit_on_a_big_site_starts_no_pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parent asks every page first whether it needs work (unchanged since the last run: digests);
    one edited page of a site big enough for the pool is done in this process, extract and build, with
    the same bytes as a run that starts a pool for it."""
    projects = {}
    for name, below in (("pool", 1), ("edit", workers.IN_PROCESS_BELOW)):
        monkeypatch.setattr(workers, "IN_PROCESS_BELOW", 1)
        projects[name] = project = _site(tmp_path / name)
        (project.root / "content" / "bad.md").unlink()
        assert invoke(project, "run", "-q", "--jobs", "2").exit_code == 0
        project.page("section2/p05.md", _page(5) + "\nAn edited paragraph.\n")
        monkeypatch.setattr(workers, "IN_PROCESS_BELOW", below)
        if name == "edit":

            def refuse(*args: object) -> None:
                raise AssertionError("a pool was started")

            monkeypatch.setattr(workers, "_pooled", refuse)
        result = invoke(project, "run", "-q", "--jobs", "2")
        assert result.exit_code == 0, result.output
        assert "An edited paragraph." in (project.root / "build/nl/section2/p05.md").read_text()
    pool, edit = (_files(projects[name].root / "build") for name in ("pool", "edit"))
    assert sorted(pool) == sorted(edit)
    del pool[".i18n-build.json"], edit[".i18n-build.json"]  # catalogs' digests (their dates: the clock)
    changed = [name for name in pool if pool[name] != edit[name]]
    assert changed == [], changed


def test_what_is_sent_to_a_worker_pickles_without_the_run_s_memory(tmp_path: Path) -> None:
    """A worker gets the work's settings and each chunk of pages (pickled where processes are spawned,
    not forked), never the parent's memo or state file; it sends back the pages' outcomes."""
    project = _site(tmp_path / "site")
    (tmp_path / "site" / "content" / "bad.md").unlink()
    (tmp_path / "site" / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    config = project.config
    memo = Memo()
    build_work = _BuildWork(config, LANGUAGES, None, memo)
    extract_work = _ExtractWork(config, fixed_clock, False, False, dict.fromkeys(LANGUAGES, False),
                                SiteState(config), memo)  # fmt: skip
    for work in (build_work, extract_work):
        copy = pickle.loads(pickle.dumps(work))
        assert copy.memo is None and copy.config == config
    sources = list_sources(config)
    extracted = [
        pickle.loads(pickle.dumps(o)) for o in map(pickle.loads(pickle.dumps(extract_work)).make(), sources)
    ]
    assert [type(o).__name__ for o in extracted] == ["_Extracted"] * len(sources)
    items = pickle.loads(pickle.dumps([(source, (None, None)) for source in sources]))
    built = [pickle.loads(pickle.dumps(o)) for o in map(pickle.loads(pickle.dumps(build_work)).make(), items)]
    assert all(o.error is None and len(o.built) == len(LANGUAGES) for o in built)


def _temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob(f"*{TEMP_SUFFIX}") if p.name.startswith(".")]


def _alive_under(root: Path) -> list[int]:
    """Processes whose command line names ``root`` (the run and its workers)."""
    alive = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(root) in (entry / "cmdline").read_bytes().decode(
                errors="replace"
            ):
                alive.append(int(entry.name))
        except OSError:
            continue
    return alive


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to see the worker processes")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_the_workers_with_nothing_half_written(tmp_path: Path, signum: int) -> None:
    project = Project(tmp_path, languages=LANGUAGES)
    paragraphs = "".join(
        f"Paragraph {k} of a long page, with [a link](/x{k}) and *words*.\n\n" for k in range(40)
    )
    for n in range(400):
        project.page(f"p{n:03}.md", f"# Page {n}\n\n{paragraphs}")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "i18n", "--project", str(tmp_path), "run", "-q", "--jobs", "2"]
    started = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    catalogs = tmp_path / "locales" / "nl"
    while not (catalogs.is_dir() and any(catalogs.glob("*.po"))) and time.monotonic() < deadline:
        time.sleep(0.005)
    started.send_signal(signum)
    _, err = started.communicate(timeout=120)
    assert "Traceback" not in err
    assert started.returncode == 128 + signum, err  # 400 long pages: still extracting when it came
    assert err.strip() == f"error: interrupted by {signal.Signals(signum).name}"
    assert _alive_under(tmp_path) == []  # no worker left behind
    assert _temp_files(tmp_path) == []  # nothing half-written
    for po in catalogs.glob("*.po"):
        read_catalog(po, po.stem + ".md", "nl")  # every catalog whole
    assert not (tmp_path / "build" / "nl").exists()  # build never started
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert len(list((tmp_path / "build" / "nl").glob("*.md"))) == 400


def test_an_error_in_a_worker_stops_the_run_as_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bad catalog (not a page: nothing to skip) ends the run with the same line as in one process."""
    monkeypatch.setattr(workers, "IN_PROCESS_BELOW", 1)
    outputs = []
    for jobs in ("1", "2"):
        project = _site(tmp_path / f"jobs{jobs}")
        assert invoke(project, "extract", "-q", "--jobs", jobs).exit_code == 1  # bad.md skipped
        (tmp_path / f"jobs{jobs}" / "locales" / "nl" / "section2" / "p05.po").write_text(
            'msgid "broken\n', encoding="utf-8"
        )
        for n in range(60):
            project.page(f"section{n % 3}/p{n:02}.md", _page(n) + "\nOne more paragraph.\n")
        result = invoke(project, "extract", "-q", "--jobs", jobs)
        assert result.exit_code == 1
        outputs.append(result.output)
        assert _temp_files(tmp_path / f"jobs{jobs}") == []
    assert outputs[0] == outputs[1]
    assert outputs[1].startswith("error: locales/nl/section2/p05.po:"), outputs[1]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_recall_sees_the_catalogs_as_extract_found_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """A reviewed text moved from page a to page b, with --prune: a's catalog drops it (done first, it
    needs no recall), b's new text is recalled from what a's catalog held when extract started."""
    monkeypatch.setattr(workers, "IN_PROCESS_BELOW", 1)
    project = Project(tmp_path, languages=LANGUAGES)
    project.page("a.md", f"# A\n\n{SHARED_TEXT}\n\nStays on a.\n")
    project.page("b.md", "# B\n\nOnly b.\n")
    project.extract()
    project.translate("a.md", {SHARED_TEXT: "Een zin die pagina's delen."})
    project.page("a.md", "# A\n\nStays on a.\n")
    project.page("b.md", f"# B\n\nOnly b.\n\n{SHARED_TEXT}\n")
    extract(project.config, prune=True, clock=fixed_clock, jobs=jobs)
    assert SHARED_TEXT not in {entry.msgid for entry in project.po("a.md")}  # pruned from a
    assert project.entry("b.md", SHARED_TEXT).msgstr == "Een zin die pagina's delen."  # recalled in b
