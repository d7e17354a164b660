"""The default spend gate: engines that bill stop at a budget even when none is configured, and every
dry run and summary states the gate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from i18n.jobs.gate import DEFAULT_MAX_COST

from .deepl_fake import FakeDeepL, fast_retries
from .openai_fake import FakeOpenAI
from .project import Project
from .support import cli

KEY = "secret-key-123:fx"
PAGE = "# Plans\n\n" + "".join(f"Paragraph number {n} says something about the plans.\n\n" for n in range(40))


@pytest.fixture
def deepl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Project, FakeDeepL]]:
    with FakeDeepL(auth_key=KEY) as server, fast_retries(retries=3, backoff=0.01):
        monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
        monkeypatch.setenv("DEEPL_SERVER_URL", server.url)
        project = Project(tmp_path, extra="batch_max_texts = 5\n")  # several requests
        project.page("plans.md", PAGE)
        project.extract()
        yield project, server


def test_deepl_defaults_to_the_accounts_remaining_quota(deepl: tuple[Project, FakeDeepL]) -> None:
    project, fake = deepl
    fake.quota_after(600)
    code, output = cli(project, "translate", "--dry-run")  # reads the usage (not billed), sends nothing
    assert code == 0, output
    assert (
        "spend gate: max_characters 600 characters (the account's remaining quota; set another with "
        "--max-characters or max_characters in [tool.i18n]); the run would stop there" in output
    )
    assert fake.billed == 0 and not fake.requests_to("/v2/translate")
    code, output = cli(project, "translate", "-q")
    assert code == 1
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "character budget reached: max_characters 600 characters" in errors[0]
    assert "the account's remaining quota" in errors[0]
    assert 0 < fake.billed <= 600  # stopped before the quota: no 456 from the server
    assert not [r for r in fake.requests if r.status == 456]


def test_a_dry_run_without_the_key_reads_no_quota(
    deepl: tuple[Project, FakeDeepL], monkeypatch: pytest.MonkeyPatch
) -> None:
    project, fake = deepl
    monkeypatch.delenv("DEEPL_AUTH_KEY")
    code, output = cli(project, "translate", "--dry-run")
    assert code == 0 and "spend gate: max_characters read when the run starts (the account's" in output
    assert not fake.requests


def test_a_configured_character_budget_is_stated(deepl: tuple[Project, FakeDeepL]) -> None:
    project, _ = deepl
    code, output = cli(project, "translate", "--dry-run", "--max-characters", "100")
    assert "spend gate: max_characters 100 characters (--max-characters); the run would stop there" in output
    code, output = cli(project, "translate", "--dry-run", "--max-characters", "100000")
    assert "spend gate: max_characters 100000 characters (--max-characters)\n" in output
    code, output = cli(project, "translate", "-q", "--max-characters", "100000")
    assert code == 0, output
    assert "spend gate: max_characters 100000 characters (--max-characters)" in output


OPENAI = """engine = "openai"

[tool.i18n.openai]
model = "m"
max_retries = 0
prices = { input = 20000.0, output = 20000.0 }
"""


@pytest.fixture
def chat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Project, FakeOpenAI]]:
    with FakeOpenAI() as server:
        monkeypatch.setenv("OPENAI_API_KEY", server.api_key)
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        project = Project(tmp_path, extra=OPENAI)  # prices so high the page costs more than the default
        project.page("plans.md", PAGE)
        project.extract()
        yield project, server


def test_a_chat_model_with_prices_stops_at_the_default_max_cost(chat: tuple[Project, FakeOpenAI]) -> None:
    project, fake = chat
    code, output = cli(project, "translate", "--dry-run")
    assert code == 0, output
    gate = next(line for line in output.splitlines() if line.startswith("spend gate: "))
    assert gate.startswith(f"spend gate: max_cost {DEFAULT_MAX_COST:.4f} (the default;")
    assert "the run would stop there, before all of this" in gate  # the estimate is over it
    code, output = cli(project, "translate", "-q")
    assert code == 1
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert f"cost budget reached: max_cost {DEFAULT_MAX_COST:.4f} (the default" in errors[0]
    assert "max_cost in [tool.i18n]" in errors[0]  # how to raise it
    assert len(fake.requests) <= 1
