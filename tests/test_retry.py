"""``translate --retry-rejected`` (and ``run --retry-rejected``): rejected entries, machine or imported,
go to the engine again; reviewed ones never; the dry run counts them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from i18n.catalog.model import State
from i18n.catalog.po import read_catalog
from i18n.cli import main

from .deepl_fake import FakeDeepL, fast_retries
from .project import Project

KEY = "secret-key-123:fx"
PAGE = """# Plans

Every group gets a [small grant](/microgrants) for materials.

We will organise a protest with `#materials` in every country.

- Hire an organiser.
- Run more protests.
"""


@pytest.fixture
def fake() -> Iterator[FakeDeepL]:
    with FakeDeepL(auth_key=KEY) as server, fast_retries(retries=3, backoff=0.01):
        yield server


@pytest.fixture
def project(tmp_path: Path, fake: FakeDeepL, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
    monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
    project = Project(tmp_path, languages=("nl",), extra="max_characters = 100000\n")
    project.page("plans.md", PAGE)
    project.extract()
    return project


def cli(project: Project, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--project", str(project.root), *args])
    return result.exit_code, f"{result.output}{result.exception!r}"


def states(project: Project) -> dict[str, State]:
    catalog = read_catalog(project.po_path("plans.md"), "plans.md", "nl")
    return {m.msgid: m.state for m in catalog.active}


def texts_planned(project: Project, *options: str) -> int:
    code, output = cli(project, "translate", "--dry-run", *options)
    assert code == 0, output
    line = next(line for line in output.splitlines() if line.startswith("nl:"))
    return int(line.split()[1])


def test_rejected_machine_entries_are_offered_again_and_a_good_run_leaves_none(
    project: Project, fake: FakeDeepL
) -> None:
    fake.mangle("drop_tag", times=1)  # the one request of the first run loses its markup
    code, output = cli(project, "translate", "-q")
    assert code == 0, output
    rejected = [text for text, state in states(project).items() if state is State.REJECTED]
    assert rejected
    assert texts_planned(project) == 0  # without the flag nothing is sent
    assert texts_planned(project, "--retry-rejected") == len(rejected)  # the dry run counts every one
    code, output = cli(project, "translate", "-q", "--retry-rejected")
    assert code == 0, output
    sent = [t for r in fake.requests_to("/v2/translate")[1:] for t in r.params.get("text", [])]
    assert len(sent) == len(rejected)
    assert State.REJECTED not in states(project).values()
    assert texts_planned(project, "--retry-rejected") == 0  # a second run has nothing left to retry


def test_rejected_imports_are_retried_by_run_and_reviewed_never(
    project: Project, fake: FakeDeepL, tmp_path: Path
) -> None:
    folder = tmp_path / "old-nl"
    folder.mkdir()
    (folder / "plans.md").write_text(
        "# Plannen\n\nElke groep krijgt een [kleine subsidie](/microgrants) voor materiaal.\n\n"
        "We organiseren een protest in elk land.\n\n- Neem een organisator aan.\n- Meer protesten.\n",
        encoding="utf-8",
    )
    code, output = cli(project, "import", "--lang", "nl", str(folder))
    assert code == 0, output
    before = states(project)
    assert before["We will organise a protest with `#materials` in every country."] is State.REJECTED
    project.translate("plans.md", {"# Plans": "Plannen", "Plans": "Plannen"})  # a translator's own
    assert State.REVIEWED in states(project).values()
    code, output = cli(project, "run", "-q", "--retry-rejected")
    assert code == 0, output
    sent = [t for r in fake.requests_to("/v2/translate") for t in r.params.get("text", [])]
    assert len(sent) == 1 and "every country" in sent[0]
    after = states(project)
    assert State.REJECTED not in after.values()
    assert after["Plans"] is State.REVIEWED
