"""Hostile and unlucky files (issue 11, items 3, 6, 7, 8, 9): one clear line naming the file, non-zero
exit, no traceback, no hang; nothing deleted or published that the pipeline does not own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from i18n.catalog.po import read_catalog
from i18n.cli import main

from .project import Project
from .support import ROOT
from .support import invoke as cli

PAGE = "---\ntitle: Plans for groups\n---\n\n# Plans\n\nWe grow every year.\n"


def one_error_line(result: Result) -> str:
    """The run failed with exactly one ``error:`` line and no traceback; that line."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = Project(tmp_path, languages=("nl",))
    project.page("plans.md", PAGE)
    return project


# -- item 6: non-regular files in content/, an output_dir that is a file ----------------------------------


@pytest.mark.parametrize("command", ["extract", "build", "run", "check", "status"])
def test_a_folder_named_like_a_page_is_one_clear_line(project: Project, command: str) -> None:
    (project.root / "content" / "x.md").mkdir()
    line = one_error_line(cli(project, command))
    assert line == "error: content/x.md: not a page: a folder, not a page; remove or rename it"


def test_a_dangling_symlink_is_one_clear_line(project: Project) -> None:
    (project.root / "content" / "gone.md").symlink_to(project.root / "nowhere.md")
    assert "content/gone.md: not a page: a dangling symlink" in one_error_line(cli(project, "extract"))


def test_a_symlink_loop_is_one_clear_line(project: Project) -> None:
    (project.root / "content" / "loop.md").symlink_to(project.root / "content" / "loop.md")
    assert "content/loop.md: not a page: a symlink loop" in one_error_line(cli(project, "extract"))


def test_a_fifo_named_like_a_page_is_never_opened(project: Project) -> None:
    os.mkfifo(project.root / "content" / "pipe.md")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for command in ("extract", "run", "check"):
        # in a subprocess with a timeout: opening a FIFO for reading would hang for ever
        done = subprocess.run(
            [sys.executable, "-m", "i18n", "--project", str(project.root), command],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert done.stderr.strip() == "error: content/pipe.md: not a page: a FIFO; remove or rename it"


def test_a_fifo_where_a_catalog_is_expected_is_never_opened(project: Project) -> None:
    assert cli(project, "extract").exit_code == 0
    po = project.po_path("plans.md")
    po.unlink()
    os.mkfifo(po)
    project.page("plans.md", PAGE + "\nMore.\n")
    done = subprocess.run(
        [sys.executable, "-m", "i18n", "--project", str(project.root), "extract"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "plans.po: not a regular file (a FIFO)" in done.stderr


def test_an_output_dir_that_is_a_file_is_one_clear_line(project: Project) -> None:
    (project.root / "build").write_text("not a folder\n", encoding="utf-8")
    for command in ("extract", "build", "run"):
        assert one_error_line(cli(project, command)) == "error: output_dir build is a file, not a folder"
    assert (project.root / "build").read_text(encoding="utf-8") == "not a folder\n"


# -- item 7: symlinks leaving content/ -------------------------------------------------------------------


def test_a_file_symlink_leaving_content_is_refused(project: Project, tmp_path: Path) -> None:
    secret = tmp_path.parent / f"{tmp_path.name}-private.md"
    secret.write_text("# Private\n\nInternal notes nobody may publish.\n", encoding="utf-8")
    (project.root / "content" / "leak.md").symlink_to(secret)
    for command in ("extract", "build", "run"):
        line = one_error_line(cli(project, command))
        assert line.startswith("error: content/leak.md: symlink leads out of content_dir")
        assert "follow_symlinks = true" in line
    files = [p for p in project.root.rglob("*") if p.is_file() and not p.is_symlink()]
    assert not [p for p in files if "Internal notes" in p.read_text("utf-8", errors="replace")]


def test_a_folder_symlink_leaving_content_with_pages_is_refused(project: Project, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    outside.mkdir()
    (outside / "other.md").write_text("# Other\n\nFrom elsewhere.\n", encoding="utf-8")
    (project.root / "content" / "more").symlink_to(outside, target_is_directory=True)
    line = one_error_line(cli(project, "extract"))
    assert line.startswith("error: content/more: symlink leads out of content_dir")


def test_symlinks_leaving_content_are_followed_when_configured(tmp_path: Path) -> None:
    outside = tmp_path / "shared-pages"
    outside.mkdir()
    (outside / "faq.md").write_text("# FAQ\n\nShared answers.\n", encoding="utf-8")
    (outside / "sub").mkdir()
    (outside / "sub" / "deep.md").write_text("# Deep\n\nDeep text.\n", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    project = Project(site, languages=("nl",), extra="follow_symlinks = true\n")
    project.page("plans.md", PAGE)
    (site / "content" / "faq.md").symlink_to(outside / "faq.md")
    (site / "content" / "shared").symlink_to(outside, target_is_directory=True)
    (site / "content" / "again").symlink_to(site / "content", target_is_directory=True)  # inside: not walked
    result = cli(project, "extract")
    assert result.exit_code == 0, result.output
    catalogs = sorted(
        p.relative_to(site / "locales" / "nl").as_posix() for p in (site / "locales" / "nl").rglob("*.po")
    )
    assert catalogs == ["faq.po", "plans.po", "shared/faq.po", "shared/sub/deep.po"]


def test_a_symlink_inside_content_is_a_page(project: Project) -> None:
    (project.root / "content" / "alias.md").symlink_to(project.root / "content" / "plans.md")
    result = cli(project, "extract")
    assert result.exit_code == 0, result.output
    assert project.po_path("alias.md").exists()


def test_symlinks_inside_content_are_followed_without_configuration(project: Project) -> None:
    """A docs tree with symlinked pages and folders that stay inside content/: the generator serves them
    at the links' paths, so they are pages there too (a link back to a folder it lies in: not walked)."""
    content = project.root / "content"
    project.page("guide/intro.md", "# Intro\n\nGuide text.\n")
    project.page("guide/deep/more.md", "# More\n\nMore text.\n")
    (content / "readme.md").symlink_to("guide/intro.md")
    (content / "docs").symlink_to("guide", target_is_directory=True)
    (content / "guide" / "deep" / "top").symlink_to("../..", target_is_directory=True)  # a loop
    result = cli(project, "run")
    assert result.exit_code == 0, result.output
    built = sorted(
        p.relative_to(project.root / "build" / "nl").as_posix()
        for p in (project.root / "build" / "nl").rglob("*.md")
    )
    assert built == [
        "docs/deep/more.md",
        "docs/intro.md",
        "guide/deep/more.md",
        "guide/intro.md",
        "plans.md",
        "readme.md",
    ]


def test_a_folder_symlink_inside_content_that_holds_a_link_out_is_still_refused(
    project: Project, tmp_path: Path
) -> None:
    secret = tmp_path.parent / f"{tmp_path.name}-notes.md"
    secret.write_text("# Notes\n\nPrivate.\n", encoding="utf-8")
    project.page("guide/intro.md", "# Intro\n\nGuide text.\n")
    (project.root / "content" / "guide" / "leak.md").symlink_to(secret)
    (project.root / "content" / "docs").symlink_to("guide", target_is_directory=True)
    line = one_error_line(cli(project, "extract"))
    assert line.startswith("error: content/docs/leak.md: symlink leads out of content_dir")


# -- item 3: build deletes only what it wrote, writes only inside output_dir -----------------------------


def test_build_never_deletes_files_it_did_not_write(tmp_path: Path) -> None:
    project = Project(tmp_path, languages=("nl",), extra='output_dir = "site/src/posts"\n')
    project.page("plans.md", PAGE)
    theirs = tmp_path / "site" / "src" / "posts" / "nl"
    theirs.mkdir(parents=True)
    (theirs / "handwritten.md").write_text("# Mine\n", encoding="utf-8")
    (theirs / "blog").mkdir()
    (theirs / "blog" / "post.md").write_text("# Post\n", encoding="utf-8")
    assert cli(project, "run").exit_code == 0
    project.page("gone.md", "# Gone soon\n\nText.\n")
    assert cli(project, "run").exit_code == 0
    assert (theirs / "gone.md").exists()
    (project.root / "content" / "gone.md").unlink()
    result = cli(project, "build")
    assert result.exit_code == 0, result.output
    assert "1 removed" in result.output
    assert not (theirs / "gone.md").exists()  # ours: removed with its source
    assert (theirs / "handwritten.md").read_text(encoding="utf-8") == "# Mine\n"  # never ours: kept
    assert (theirs / "blog" / "post.md").exists()


def test_a_manifest_never_makes_build_delete_outside_its_folder(project: Project, tmp_path: Path) -> None:
    assert cli(project, "run").exit_code == 0
    victim = tmp_path / "victim.md"
    victim.write_text("keep me\n", encoding="utf-8")
    manifest = project.root / "build" / "nl" / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["pages"]["../../victim.md"] = {"included": True}
    data["pages"]["/etc/hostname"] = {"included": True}
    manifest.write_text(json.dumps(data), encoding="utf-8")
    assert cli(project, "build").exit_code == 0
    assert victim.read_text(encoding="utf-8") == "keep me\n"


def test_an_output_dir_outside_the_project_needs_explicit_configuration(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    project = Project(site, languages=("nl",), extra='output_dir = "../elsewhere"\n')
    project.page("plans.md", PAGE)
    line = one_error_line(cli(project, "build"))
    assert "[tool.i18n] output_dir:" in line and "outside the project folder" in line
    assert "allow_output_outside_project = true" in line and "pyproject.toml" in line
    assert not (tmp_path / "elsewhere").exists()
    Project(
        site, languages=("nl",), extra='output_dir = "../elsewhere"\nallow_output_outside_project = true\n'
    )
    assert cli(project, "build").exit_code == 0
    assert (tmp_path / "elsewhere" / "nl" / "plans.md").exists()


def test_a_symlinked_language_folder_is_never_followed_out(project: Project, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-target"
    outside.mkdir()
    (outside / "precious.md").write_text("# Precious\n", encoding="utf-8")
    (project.root / "build").mkdir()
    (project.root / "build" / "nl").symlink_to(outside, target_is_directory=True)
    line = one_error_line(cli(project, "run"))
    assert line.startswith("error: build/nl: leads out of output_dir")
    assert sorted(p.name for p in outside.iterdir()) == ["precious.md"]


def test_a_symlinked_subfolder_is_never_written_through(project: Project, tmp_path: Path) -> None:
    project.page("blog/post.md", "# Post\n\nText.\n")
    outside = tmp_path.parent / f"{tmp_path.name}-sub"
    outside.mkdir()
    (project.root / "build" / "nl").mkdir(parents=True)
    (project.root / "build" / "nl" / "blog").symlink_to(outside, target_is_directory=True)
    line = one_error_line(cli(project, "run"))
    assert line.startswith("error: build/nl/blog: leads out of output_dir")
    assert list(outside.iterdir()) == []


# -- item 8: temporary files left by a killed run ---------------------------------------------------------


def test_stale_temp_files_are_flagged_by_check_and_removed_by_the_next_run(project: Project) -> None:
    assert cli(project, "run").exit_code == 0
    left = [
        project.root / "locales" / "nl" / ".plans.po.k3j9x_2a.tmp",
        project.root / "locales" / "..i18n-state.json.abcdefgh.tmp",
        project.root / "build" / ".nl.tar.gz.q1w2e3r4.tmp",
    ]
    for path in left:
        path.write_text("half", encoding="utf-8")
    mine = project.root / "locales" / "notes.tmp"  # not our naming: never touched
    mine.write_text("mine", encoding="utf-8")
    check = cli(project, "check")
    assert check.exit_code == 1
    for path in left:
        rel = path.relative_to(project.root).as_posix()
        assert f"{rel}: temporary file left by an interrupted run" in check.output
    assert "3 stale temporary files" in check.output and "notes.tmp" not in check.output
    result = cli(project, "run", "-q")
    assert result.exit_code == 0, result.output
    assert "removed temporary files left by an interrupted run" in result.output
    assert not any(path.exists() for path in left) and mine.exists()
    assert cli(project, "check").exit_code == 0


# -- item 9: lone CR, an unknown language code ------------------------------------------------------------


def test_a_lone_cr_page_keeps_its_frontmatter_out_of_the_prose(project: Project) -> None:
    project.page("cr.md", "---\rtitle: Old Mac page\rlayout: post\r---\r\rA paragraph.\r")
    # (write_text keeps \r as it is)
    assert (project.root / "content" / "cr.md").read_bytes().count(b"\r") == 6
    result = cli(project, "extract")
    assert result.exit_code == 0, result.output
    catalog = read_catalog(project.po_path("cr.md"), "cr.md", "nl")
    assert [m.msgid for m in catalog.active] == ["Old Mac page", "A paragraph."]
    project.translate("cr.md", {"Old Mac page": "Oude Mac-pagina", "A paragraph.": "Een alinea."})
    assert cli(project, "build").exit_code == 0
    built = (project.root / "build" / "nl" / "cr.md").read_bytes()
    assert built == b"---\rtitle: Oude Mac-pagina\rlayout: post\r---\r\rEen alinea.\r"


@pytest.mark.parametrize(
    "table", ['languages = ["xx"]', 'languages = ["nl", "qq-BE"]', 'source_language = "zz"']
)
def test_an_unknown_language_code_names_the_key_and_the_file(tmp_path: Path, table: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.i18n]\n{table}\n", encoding="utf-8")
    (tmp_path / "content").mkdir()
    result = CliRunner().invoke(main, ["--project", str(tmp_path), "run"])
    line = one_error_line(result)
    key = table.split(" =")[0]
    assert line.startswith(f"error: pyproject.toml: [tool.i18n] {key}: ")
    assert "unknown language code" in line and "ISO 639-1" in line
