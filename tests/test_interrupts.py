"""Interrupts (issue 11, item 1): SIGINT or SIGTERM in the middle of a request pays nothing twice.

`i18n translate` runs in a subprocess against the local DeepL-compatible server through the real `deepl`
client; the signal is sent while requests are in flight (the server holds them). The interrupted run keeps
every answer of the requests it had sent, saves them, records billing and exits non-zero naming what is
left; a re-run then bills exactly the rest: interrupt + re-run bill what one uninterrupted run bills.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from i18n.catalog.po import read_catalog
from i18n.mt.engine import Answer, EngineError, FailureKind, Translated
from i18n.mt.execute import Executor, Request

from .deepl_fake import FakeDeepL
from .openai_fake import FakeOpenAI
from .project import Project
from .support import ROOT

KEY = "interrupt-key-42:fx"
PARAGRAPHS = 12
PAGE = "# Interrupted\n\n" + "".join(
    f"Paragraph number {n} says something worth translating.\n\n" for n in range(1, PARAGRAPHS + 1)
)


@pytest.fixture
def fake() -> Iterator[FakeDeepL]:
    with FakeDeepL(auth_key=KEY) as server:
        yield server


def _project(root: Path) -> Project:
    root.mkdir()
    project = Project(root, languages=("nl", "de"), extra="batch_max_texts = 2\nconcurrency = 2\n")
    project.page("page.md", PAGE)
    project.extract()
    return project


def _start_translate(root: Path, **env: str) -> subprocess.Popen[str]:
    """`i18n translate -q` in a subprocess, with ``env`` (the engine's key and server) added."""
    return subprocess.Popen(
        [sys.executable, "-m", "i18n", "--project", str(root), "translate", "-q"],
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _translate(root: Path, fake: FakeDeepL) -> subprocess.Popen[str]:
    return _start_translate(root, DEEPL_AUTH_KEY=KEY, DEEPL_SERVER_URL=fake.url)


def _billing_lines(project: Project) -> list[dict[str, object]]:
    path = project.root / "locales" / ".billing.jsonl"
    return (
        [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []
    )


def _billed(record: dict[str, object]) -> int:
    languages = record["languages"]
    assert isinstance(languages, dict)
    return sum(int(row["characters"]) for row in languages.values())


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupt_mid_request_then_rerun_bills_what_one_run_bills(
    tmp_path: Path, fake: FakeDeepL, signum: int
) -> None:
    project = _project(tmp_path / "site")
    shutil.copytree(project.root, tmp_path / "copy")  # the same site, for the uninterrupted run
    fake.slow(1.5, times=1000, path="/v2/translate")  # every answer takes a while: requests are in flight
    run = _translate(project.root, fake)
    assert fake.wait_for_arrivals("/v2/translate", 2), "the run never sent a request"
    time.sleep(0.2)  # well inside the requests (the server holds them 1.5 s)
    run.send_signal(signum)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 128 + signum, err
    assert "Traceback" not in err
    name = signal.Signals(signum).name
    assert f"translation stopped: interrupted by {name}" in err
    assert "Saved what was received; left: nl:" in err  # what is left, per language
    sent = fake.arrivals("/v2/translate")
    assert 2 <= sent < PARAGRAPHS  # nothing more was sent after the signal
    answered = [r for r in fake.requests_to("/v2/translate") if r.status == 200]
    assert len(answered) == sent  # every request sent was answered (the run waited for them)
    received = [m for m in read_catalog(project.po_path("page.md"), "page.md", "nl").active if m.msgstr] + [
        m for m in read_catalog(project.po_path("page.md", "de"), "page.md", "de").active if m.msgstr
    ]
    assert len(received) == sum(r.n_texts for r in answered)  # every answer is saved
    first = _billing_lines(project)
    assert len(first) == 1 and _billed(first[0]) == fake.billed  # billing recorded by the interrupted run

    fake.clear_faults()
    rerun = _translate(project.root, fake)
    _, err = rerun.communicate(timeout=60)
    assert rerun.returncode == 0, err
    interrupted_and_rerun = fake.billed
    assert sum(_billed(record) for record in _billing_lines(project)) == interrupted_and_rerun

    before = fake.billed
    uninterrupted = _translate(tmp_path / "copy", fake)
    _, err = uninterrupted.communicate(timeout=60)
    assert uninterrupted.returncode == 0, err
    assert interrupted_and_rerun == fake.billed - before  # nothing was billed twice


CHAT_SETTINGS = """concurrency = 2
engine = "openai"

[tool.i18n.openai]
model = "test-model"
batch_max_segments = 2
max_retries = 0
timeout = 30
"""


def _chat_project(root: Path) -> Project:
    root.mkdir()
    project = Project(root, languages=("nl", "de"), extra=CHAT_SETTINGS)
    project.page("page.md", PAGE)
    project.extract()
    return project


def _chat_translate(root: Path, chat: FakeOpenAI) -> subprocess.Popen[str]:
    return _start_translate(
        root, OPENAI_API_KEY=chat.api_key, OPENAI_BASE_URL=chat.url, NO_PROXY="127.0.0.1,localhost"
    )


def _sent_texts(chat: FakeOpenAI) -> list[tuple[str, str]]:
    """(system prompt's language line, text) of every answered request: what was paid for."""
    return [(r.system[:200], str(t)) for r in chat.answered for t in (r.texts or {}).values()]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_chat_engine_run_pays_nothing_twice(tmp_path: Path, signum: int) -> None:
    """The chat engine (issue 15) behaves as DeepL does: answers in flight are kept, billing (tokens) is
    recorded, and the re-run sends only the texts that were not answered."""
    with FakeOpenAI() as chat:
        project = _chat_project(tmp_path / "site")
        shutil.copytree(project.root, tmp_path / "copy")
        chat.slow(1.5, times=1000)  # every answer takes a while: requests are in flight
        run = _chat_translate(project.root, chat)
        deadline = time.monotonic() + 30
        while len(chat.requests) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(chat.requests) >= 2, "the run never sent a request"
        time.sleep(0.2)
        run.send_signal(signum)
        _, err = run.communicate(timeout=60)
        assert run.returncode == 128 + signum, err
        assert "Traceback" not in err
        assert f"translation stopped: interrupted by {signal.Signals(signum).name}" in err
        sent = len(chat.requests)
        assert 2 <= sent < PARAGRAPHS  # nothing more was sent after the signal
        assert len(chat.answered) == sent  # and every request sent was answered and waited for
        received = sum(
            1
            for lang in ("nl", "de")
            for m in read_catalog(project.po_path("page.md", lang), "page.md", lang).active
            if m.msgstr
        )
        assert received == len(_sent_texts(chat))  # every answer is saved
        first = _billing_lines(project)
        assert len(first) == 1
        languages = first[0]["languages"]
        assert isinstance(languages, dict)
        assert sum(int(row["completion_tokens"]) for row in languages.values()) == chat.completion_tokens

        before = _sent_texts(chat)
        chat.clear_faults()
        rerun = _chat_translate(project.root, chat)
        _, err = rerun.communicate(timeout=60)
        assert rerun.returncode == 0, err
        again = _sent_texts(chat)[len(before) :]
        assert not set(before) & set(again)  # nothing asked (and paid) twice
        paid = chat.completion_tokens

        uninterrupted = _chat_translate(tmp_path / "copy", chat)
        _, err = uninterrupted.communicate(timeout=60)
        assert uninterrupted.returncode == 0, err
        assert paid == chat.completion_tokens - paid  # interrupt + re-run = one uninterrupted run
        assert sorted(before + again) == sorted(_sent_texts(chat)[len(before) + len(again) :])


def test_sigterm_during_extract_leaves_nothing_half_written(tmp_path: Path) -> None:
    """Outside translate a signal ends the command with one line; a write in progress is undone (or its
    temporary file, if the signal came at the one moment that can leave it, is removed by the next run)."""
    project = Project(tmp_path, languages=("nl",))
    for n in range(300):
        project.page(f"p{n:03}.md", f"# Page {n}\n\nSome text of page {n}.\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "i18n", "--project", str(project.root), "extract", "-q"]
    run = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not (project.root / "locales" / "nl").is_dir() and time.monotonic() < deadline:
        time.sleep(0.01)
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=60)
    assert "Traceback" not in err
    if run.returncode != 0:  # (it may have finished first)
        assert run.returncode == 128 + signal.SIGTERM and err.strip() == "error: interrupted by SIGTERM"
    for po in (project.root / "locales" / "nl").glob("*.po"):
        read_catalog(po, po.stem + ".md", "nl")  # every catalog there is whole
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert not list(project.root.rglob("*.tmp"))


# -- the executor itself (engine-agnostic) --------------------------------------------------------------


class _Held:
    """An engine whose answers wait for ``release`` (or never come)."""

    name = "held"

    def __init__(self) -> None:
        self.release = threading.Event()
        self.calls = 0
        self.on_call: object = None

    def translate(self, texts: list[str], source: str, target: str, **_: object) -> Answer:
        self.calls += 1
        if callable(self.on_call):
            self.on_call()
        self.release.wait()
        return Answer(tuple(Translated(text.upper(), len(text)) for text in texts))


def _requests(n: int) -> list[Request]:
    return [Request("nl", (f"text {i}",), (), refs=(i,)) for i in range(n)]


def test_stop_keeps_the_answers_in_flight_and_sends_nothing_more() -> None:
    engine = _Held()
    executor = Executor(lambda: engine, "en", concurrency=2, grace=10)
    received: list[object] = []

    def stop_then_release() -> None:
        if engine.calls == 2:
            executor.stop(EngineError(FailureKind.INTERRUPTED, "interrupted"))
            threading.Timer(0.2, engine.release.set).start()

    engine.on_call = stop_then_release
    left = executor.run(_requests(6), lambda request, answers: received.extend(request.refs))
    assert sorted(received) == [0, 1]  # both answers in flight were kept
    assert [r.refs for r in left] == [(2,), (3,), (4,), (5,)] and engine.calls == 2
    assert executor.interrupted and executor.abandoned == []
    assert executor.run(_requests(1), lambda request, answers: None) == _requests(1)  # halted for good


def test_the_wait_for_answers_in_flight_is_bounded() -> None:
    engine = _Held()  # never released: an answer that never comes
    executor = Executor(lambda: engine, "en", concurrency=2, grace=0.3)
    engine.on_call = lambda: executor.stop(EngineError(FailureKind.INTERRUPTED, "interrupted"))
    started = time.monotonic()
    left = executor.run(_requests(4), lambda request, answers: None)
    assert time.monotonic() - started < 5  # returned after the grace, not with the answer
    assert len(executor.abandoned) == 1 and len(left) == 4  # the one in flight counts as left
    engine.release.set()


def test_signals_stop_the_executor_and_a_second_one_stops_the_wait() -> None:
    engine = _Held()
    executor = Executor(lambda: engine, "en", concurrency=1, grace=30)

    def signal_twice() -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.2)
        os.kill(os.getpid(), signal.SIGINT)

    engine.on_call = signal_twice
    before = signal.getsignal(signal.SIGTERM)
    started = time.monotonic()
    with executor.signals():
        left = executor.run(_requests(3), lambda request, answers: None)
    assert time.monotonic() - started < 10  # not the 30 s grace: the second signal ended the wait
    assert executor.signal == signal.SIGTERM and executor.interrupted
    assert "SIGTERM" in str(executor.stopped) and len(left) == 3 and len(executor.abandoned) == 1
    assert signal.getsignal(signal.SIGTERM) is before  # handlers restored
    engine.release.set()
