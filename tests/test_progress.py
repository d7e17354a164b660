"""Progress of long runs: a bar on a terminal, a line every few seconds in a log (CI), quiet with -q.
The clock is at the edge (``i18n.clock.ticks``): tests move it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import i18n.clock
from i18n.cli import main
from i18n.jobs.progress import Meter, Tally

from .deepl_fake import FakeDeepL, fast_retries
from .project import Project

KEY = "secret-key-123:fx"
PAGE = "# Plans\n\n" + "".join(f"Paragraph number {n} says something about the plans.\n\n" for n in range(30))


class Clock:
    def __init__(self, step: float) -> None:
        self.now, self.step = 100.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_a_log_gets_a_line_every_few_seconds_and_the_last_figures() -> None:
    times = iter([0.0, 1.0, 2.0, 6.0, 7.0, 12.5, 13.0])
    meter = Meter(terminal=False, every=5.0, clock=lambda: next(times))
    shown = [meter.show(Tally(done, 7, done, 10 * done)) for done in range(7)]
    assert [n for n, text in enumerate(shown) if text is not None] == [3, 5]
    assert shown[3] == "translating: 43%, 3/7 texts, 3 requests, 30 characters"
    assert meter.final() == "translating: 86%, 6/7 texts, 6 requests, 60 characters"


def test_a_short_run_prints_no_progress_in_a_log() -> None:
    meter = Meter(terminal=False, every=5.0, clock=lambda: 1.0)
    assert meter.show(Tally(1, 2, 1, 5)) is None and meter.final() is None


def test_a_terminal_gets_a_bar_redrawn_in_place() -> None:
    meter = Meter(terminal=True)
    text = meter.show(Tally(1, 4, 1, 0, 120, 80, 0.0123, tokens=True))
    assert text == (
        "\rtranslating [######------------------] 1/4 texts, 1 request, 120 prompt + 80 completion tokens, "
        "cost 0.0123"
    )
    assert meter.final() == "\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    with FakeDeepL(auth_key=KEY) as server, fast_retries(retries=3, backoff=0.01):
        monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
        monkeypatch.setenv("DEEPL_SERVER_URL", server.url)
        project = Project(tmp_path, extra="batch_max_texts = 4\nconcurrency = 1\n")
        project.page("plans.md", PAGE)
        project.extract()
        yield project


def test_translate_prints_progress_lines_in_a_log_and_none_with_quiet(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(i18n.clock, "ticks", Clock(step=6.0))  # every tally is 6 s after the last
    result = CliRunner().invoke(main, ["--project", str(project.root), "translate"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("translating: ")]
    assert len(lines) >= 8  # one per answer (31 texts in requests of 4)
    assert lines[-1].startswith("translating: 100%, 31/31 texts, 8 requests, ")
    assert "characters" in lines[-1]
    project.page("plans.md", PAGE.replace("Paragraph", "Section"))
    result = CliRunner().invoke(main, ["--project", str(project.root), "translate", "-q"])
    assert result.exit_code == 0, result.output
    assert "translating" not in result.stderr
