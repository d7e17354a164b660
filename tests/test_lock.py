"""Concurrent runs (issue 11, item 2): one lock per site, and a translator's save during a run is kept.

Two `i18n translate` on one site, in subprocesses against the local DeepL-compatible server: the second
says who holds the lock and exits non-zero (or, with `--wait`, runs after the first and has nothing left to
pay for). A translator saving a `.po` while the run waits for DeepL: the run's write merges, the
translator's entries win.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from i18n.catalog.model import State
from i18n.catalog.po import read_catalog
from i18n.cli import main
from i18n.jobs.lock import LOCK_FILE, SiteLocked, holder, site_lock

from .deepl_fake import FakeDeepL, fast_retries
from .project import Project
from .support import ROOT

KEY = "lock-key-5150:fx"
PAGE = "# Plans\n\nWe grow every year.\n\nWe protest in every country.\n\nWe lobby the parliament.\n"


@pytest.fixture
def fake() -> Iterator[FakeDeepL]:
    with FakeDeepL(auth_key=KEY) as server, fast_retries(retries=1, backoff=0.01):
        yield server


@pytest.fixture
def project(tmp_path: Path, fake: FakeDeepL, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
    monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
    project = Project(tmp_path, languages=("nl",))
    project.page("plans.md", PAGE)
    project.extract()
    return project


def spawn(project: Project, fake: FakeDeepL, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DEEPL_AUTH_KEY": KEY, "DEEPL_SERVER_URL": fake.url, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "i18n", "--project", str(project.root), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_second_run_says_who_holds_the_lock_and_bills_nothing(project: Project, fake: FakeDeepL) -> None:
    characters = _dry_run_characters(project)
    fake.slow(2.0, path="/v2/translate")
    first = spawn(project, fake, "translate", "-q")
    assert fake.wait_for_arrivals("/v2/translate")
    second = CliRunner().invoke(main, ["--project", str(project.root), "run", "--engine", "deepl", "-q"])
    assert second.exit_code == 1
    assert f"error: locales/{LOCK_FILE}: locked by pid {first.pid} on " in second.output
    assert "`i18n translate`" in second.output and "--wait" in second.output
    _, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert fake.billed == characters  # billed once
    assert not (project.root / "locales" / LOCK_FILE).exists()  # released


def test_with_wait_the_second_run_waits_and_has_nothing_left_to_pay(
    project: Project, fake: FakeDeepL
) -> None:
    characters = _dry_run_characters(project)
    fake.slow(1.5, path="/v2/translate")
    first = spawn(project, fake, "translate", "-q")
    assert fake.wait_for_arrivals("/v2/translate")
    second = spawn(project, fake, "translate", "-q", "--wait")
    _, err_second = second.communicate(timeout=60)
    _, err_first = first.communicate(timeout=60)
    assert first.returncode == 0 and second.returncode == 0, (err_first, err_second)
    assert f"waiting for pid {first.pid} on" in err_second
    assert fake.billed == characters and len(fake.requests_to("/v2/translate")) == 1


def test_a_lock_left_by_a_killed_run_is_taken_over(project: Project) -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    pid = int(gone.stdout)
    stale = {"pid": pid, "host": os.uname().nodename, "command": "i18n run", "since": "2026-01-02T03:04:05"}
    lock = project.root / "locales" / LOCK_FILE
    lock.write_text(json.dumps(stale), encoding="utf-8")
    assert holder(project.config) is None  # a dead process on this host holds nothing
    result = CliRunner().invoke(main, ["--project", str(project.root), "extract", "-q"])
    assert result.exit_code == 0, result.output
    assert f"took over the lock left by pid {pid}" in result.output
    assert not lock.exists()


def test_the_lock_is_exclusive_and_names_its_holder(project: Project) -> None:
    config = project.config
    with site_lock(config, "i18n test") as held:
        assert holder(config) is not None and holder(config).pid == os.getpid()  # type: ignore[union-attr]
        assert held.stale is None
        with (
            pytest.raises(SiteLocked, match=r"locked by pid \d+ on .*`i18n test`"),
            site_lock(config, "i18n x"),
        ):
            pass  # pragma: no cover
    assert holder(config) is None
    with site_lock(config, "i18n again"):  # free again
        pass


# -- a translator's save during a run ------------------------------------------------------------------


def test_a_translator_save_during_translate_is_never_overwritten(project: Project, fake: FakeDeepL) -> None:
    fake.slow(1.0, path="/v2/translate")
    path = project.po_path("plans.md")

    def translator() -> None:  # saves in Poedit while the run waits for DeepL
        fake.wait_for_arrivals("/v2/translate")
        po = polib.pofile(str(path))
        for entry in po:
            if entry.msgid == "We grow every year.":
                entry.msgstr = "We groeien elk jaar."
        po.save(str(path))

    editor = threading.Thread(target=translator)
    editor.start()
    result = CliRunner().invoke(main, ["--project", str(project.root), "translate", "-q"])
    editor.join()
    assert result.exit_code == 0, result.output
    catalog = read_catalog(path, "plans.md", "nl")
    by_id = {m.msgid: m for m in catalog.active}
    assert by_id["We grow every year."].msgstr == "We groeien elk jaar."  # the translator's words
    assert by_id["We grow every year."].state is State.REVIEWED
    assert by_id["We lobby the parliament."].msgstr == "WE LOBBY THE PARLIAMENT."  # and the machine's
    assert by_id["We lobby the parliament."].state is State.MACHINE
    status = CliRunner().invoke(main, ["--project", str(project.root), "status", "--json"])
    totals = json.loads(status.output)["languages"]["nl"]["totals"]
    assert (totals["reviewed"], totals["machine"]) == (1, 3)  # the state file knows the merged catalog


def test_a_translator_save_during_extract_is_never_overwritten(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import i18n.jobs.extract

    project.page("plans.md", PAGE + "\nA new paragraph.\n")
    path = project.po_path("plans.md")
    real = i18n.jobs.extract.update_messages
    saved = []

    def meanwhile(*args: object, **kwargs: object) -> object:
        if not saved:  # the translator saves just after extract read the file
            saved.append(True)
            project.translate("plans.md", {"We protest in every country.": "We protesteren overal."})
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(i18n.jobs.extract, "update_messages", meanwhile)
    result = CliRunner().invoke(main, ["--project", str(project.root), "extract", "-q"])
    assert result.exit_code == 0, result.output
    by_id = {m.msgid: m for m in read_catalog(path, "plans.md", "nl").active}
    assert by_id["We protest in every country."].msgstr == "We protesteren overal."
    assert "A new paragraph." in by_id  # and the extract's own change


def _dry_run_characters(project: Project) -> int:
    result = CliRunner().invoke(main, ["--project", str(project.root), "translate", "--dry-run"])
    assert result.exit_code == 0, result.output
    return int(result.output.strip().splitlines()[-1].split()[1])
