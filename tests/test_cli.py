"""The command line: help, version, segments, status, check, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from i18n import __version__
from i18n.cli import main

from .project import Project
from .support import ROOT


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_help_and_version() -> None:
    code, output = invoke("--help")
    assert code == 0
    for command in ("segments", "extract", "status", "check", "translate", "build", "import", "run"):
        assert command in output
    assert invoke("--version") == (0, f"i18n, version {__version__}\n")


def test_segments_json() -> None:
    code, output = invoke("segments", str(ROOT / "content" / "roadmap.md"), "--json")
    assert code == 0
    rows = json.loads(output)
    assert rows[0] == {
        "id": "fm:title",
        "kind": "frontmatter",
        "line": 2,
        "hash": rows[0]["hash"],
        "anchor": None,
        "text": "PauseAI Roadmap and Funding Scenarios",
    }
    assert any(r["anchor"] == "scenario-0-no-additional-funding" for r in rows)


def test_bad_input_is_one_line_naming_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"fine\n\xc3\x28 broken\n")
    code, output = invoke("segments", str(bad))
    assert code == 1
    assert output == f"error: {bad}:2: not valid UTF-8 (byte 0xc3 at offset 5)\n"


def test_bad_config_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.i18n]\nlangauges = ["nl"]\n', encoding="utf-8")
    code, output = invoke("--project", str(tmp_path), "status")
    assert code == 1
    assert "unknown key 'langauges' (did you mean 'languages'?)" in output
    assert output.count("\n") == 1


def test_check_fails_on_out_of_date_catalogs_and_violations(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.page("p.md", "Read [this](/x).\n")
    assert invoke("--project", str(tmp_path), "check")[0] == 1  # no catalogs yet
    assert invoke("--project", str(tmp_path), "extract")[0] == 0
    assert invoke("--project", str(tmp_path), "check") == (
        0,
        "check passed: catalogs up to date, every translation passes the checks\n",
    )
    project.translate("p.md", {"Read [this](/x).": "Lees [dit](/y)."})
    code, output = invoke("--project", str(tmp_path), "check")
    assert code == 1
    assert "locales/nl/p.po:" in output and "link-targets" in output


def test_status_json_is_stable(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.page("p.md", "# Title\n\nOne two three.\n")
    invoke("--project", str(tmp_path), "extract")
    project.translate("p.md", {"Title": "Titel"})
    code, output = invoke("--project", str(tmp_path), "status", "--json")
    assert code == 0
    data = json.loads(output)
    page = data["languages"]["nl"]["pages"]["p.md"]
    assert page == {
        "segments": 2,
        "words": 4,
        "characters": 19,
        "missing": 1,
        "machine": 0,
        "reviewed": 1,
        "stale": 0,
        "rejected": 0,
        "usable": 1,
        "usable_percent": 50.0,
        "glossary": 0,
    }
    assert data["languages"]["nl"]["totals"]["segments"] == 2
    assert output == invoke("--project", str(tmp_path), "status", "--json")[1]
