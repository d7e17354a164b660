"""The command line: help, version, segments, status, check, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
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
    for command in ("init", "segments", "extract", "status", "check", "translate", "build", "import", "run"):
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


# -- misconfiguration is an error, not a silent empty run ---------------------------------------------


def test_a_missing_content_dir_is_one_line_naming_the_key_and_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.i18n]\nlanguages = ["nl"]\n', encoding="utf-8")
    expected = "error: pyproject.toml: [tool.i18n] content_dir: folder 'content' does not exist\n"
    for command in (["status"], ["extract"], ["build"], ["check"], ["run", "-q"], ["translate", "--dry-run"]):
        code, output = invoke("--project", str(tmp_path), *command)
        assert (code, output) == (1, expected), command
    (tmp_path / "pyproject.toml").write_text('[tool.i18n]\nlanguages = ["nl"]\ncontent_dir = "docs"\n')
    (tmp_path / "docs").write_text("a file, not a folder", encoding="utf-8")
    code, output = invoke("--project", str(tmp_path), "status")
    assert (code, output) == (
        1,
        "error: pyproject.toml: [tool.i18n] content_dir: folder 'docs' is not a folder\n",
    )


def test_a_configured_glossary_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    project = Project(tmp_path, extra='glossary = "terms.yaml"\n')
    project.page("p.md", "Hello.\n")
    code, output = invoke("--project", str(tmp_path), "status")
    assert (code, output) == (
        1,
        "error: pyproject.toml: [tool.i18n] glossary: file 'terms.yaml' does not exist\n",
    )
    (tmp_path / "terms.yaml").write_text("do_not_translate:\n  - PauseAI\n", encoding="utf-8")
    assert invoke("--project", str(tmp_path), "status")[0] == 0


def test_the_default_glossary_may_be_absent(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.page("p.md", "Hello.\n")
    assert invoke("--project", str(tmp_path), "status")[0] == 0


# -- the smaller things ---------------------------------------------------------------------------------


def test_build_takes_quiet_like_the_other_commands(tmp_path: Path) -> None:
    project = Project(tmp_path, languages=("nl", "de"))
    project.page("a.md", "Hello.\n")
    project.page("b.md", "World.\n")
    code, output = invoke("--project", str(tmp_path), "build")
    assert code == 0 and "  a.md: 0.0%" in output
    code, output = invoke("--project", str(tmp_path), "build", "-q")
    assert code == 0, output
    assert [line.split(":")[0] for line in output.splitlines()] == ["build nl", "build de"]


def test_run_prints_translate_before_build(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.page("a.md", "Hello.\n")
    code, output = invoke("--project", str(tmp_path), "run", "-q")
    assert code == 0, output
    assert [line.split(":")[0] for line in output.splitlines()] == ["extract", "translate", "build nl"]
    code, output = invoke("--project", str(tmp_path), "run", "-q", "--engine", "pseudo")
    assert [line.split(":")[0] for line in output.splitlines()] == ["extract", "nl", "build nl"]


def test_extract_quiet_prints_only_the_summary(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.page("a.md", "Hello.\n")
    project.page("b.md", "World.\n")
    project.extract()
    project.translate("b.md", {"World.": "Wereld."})
    (tmp_path / "content" / "b.md").unlink()
    code, output = invoke("--project", str(tmp_path), "extract", "-q")
    assert code == 0
    assert output == (
        "2 catalogs written, 0 unchanged, 1 page skipped (unchanged); 2 catalogs of deleted pages: 2 kept\n"
    )
    code, output = invoke("--project", str(tmp_path), "extract")
    assert "page gone for locales/nl/b.po: kept (obsolete; remove with --prune)" in output


def test_prune_dry_run_says_would_be_removed_and_removes_nothing(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.page("a.md", "Hello.\n")
    project.page("b.md", "World.\n")
    project.extract()
    (tmp_path / "content" / "b.md").unlink()
    code, output = invoke("--project", str(tmp_path), "extract", "--prune", "--dry-run")
    assert code == 0
    assert "page gone for locales/nl/b.po: would be removed" in output
    assert "2 would be removed" in output and ": removed" not in output
    assert project.po_path("b.md").exists()
    code, output = invoke("--project", str(tmp_path), "extract", "--prune")
    assert "page gone for locales/nl/b.po: removed" in output and not project.po_path("b.md").exists()


def test_counts_of_one_are_singular(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.page("a.md", "Hello.\n")
    project.extract()
    code, output = invoke("--project", str(tmp_path), "translate", "--dry-run")
    assert code == 0, output
    assert output.splitlines()[0] == "nl: 1 text, 6 characters billed, 1 request (0 reused from memory)"
    assert output.splitlines()[-1] == "total: 6 characters, 1 request"


def test_a_catalog_syntax_error_names_the_file_relative_to_the_project(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.page("a.md", "Hello.\n")
    project.extract()
    project.po_path("a.md").write_text('msgid ""\nmsgstr ""\n\nmsgid "Hello."\nmsgstr broken\n')
    for command in ("extract", "check", "status"):
        code, output = invoke("--project", str(tmp_path), command)
        assert code == 1, command
        assert output.startswith("error: locales/nl/a.po:5: "), (command, output)
        assert str(tmp_path) not in output


def test_the_distribution_has_its_own_name_and_keeps_the_package_and_command() -> None:
    """`i18n` on PyPI is an unrelated package: this one is distributed as `i18n-pipeline`."""
    import tomllib
    from importlib.metadata import distribution

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "i18n-pipeline"
    assert project["scripts"] == {"i18n": "i18n.jobs.noop:main"}  # the no-op fast path, then the CLI
    installed = distribution("i18n-pipeline")
    assert installed.version == __version__
    assert [(e.name, e.value) for e in installed.entry_points if e.group == "console_scripts"] == [
        ("i18n", "i18n.jobs.noop:main")
    ]


def test_a_site_with_message_files_only_needs_no_content_dir(tmp_path: Path) -> None:
    (tmp_path / "messages").mkdir()
    (tmp_path / "messages" / "en.json").write_text('{"hello": "Hello"}\n', encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.i18n]\nlanguages = ["nl"]\n\n[[tool.i18n.messages]]\nsource = "messages/en.json"\n',
        encoding="utf-8",
    )
    code, output = invoke("--project", str(tmp_path), "status", "--json")
    assert code == 0, output
    assert list(json.loads(output)["languages"]["nl"]["pages"]) == ["messages/messages.json"]
    (tmp_path / "content").write_text("not a folder", encoding="utf-8")
    code, output = invoke("--project", str(tmp_path), "status")
    assert (code, output) == (
        1,
        "error: pyproject.toml: [tool.i18n] content_dir: folder 'content' is not a folder\n",
    )


def test_run_empties_the_memo_caches_between_translate_and_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big run's translate leaves thousands of memoised texts; build starts without them (and builds
    the same pages: the caches only memoise pure functions)."""
    from i18n.caches import RunCaches

    calls: list[int] = []
    monkeypatch.setattr(RunCaches, "release", lambda self: calls.append(1) or 0)
    project = Project(tmp_path)
    project.page("a.md", "# Hello\n\nA [link](/x) and *words*.\n")
    code, output = invoke("--project", str(tmp_path), "run", "-q")
    assert code == 0 and calls == []  # nothing translated: nothing to release
    code, output = invoke("--project", str(tmp_path), "run", "-q", "--engine", "pseudo")
    assert code == 0 and calls == [1], output
