"""Never all-or-nothing: a page that cannot be read (unparseable frontmatter, invalid UTF-8) is one error
line naming it (file:line), skipped; every other page is extracted, translated and built; the command
ends with exit 1 (extract, translate, build, run, status, check)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result

from i18n.errors import PageError

from .project import Project
from .support import invoke as cli


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = Project(tmp_path, languages=("nl",))
    project.page("good.md", "---\ntitle: Good page\n---\n\n# Hello\n\nSome words here.\n")
    project.page("bad.md", "---\ntitle: [unclosed\n---\n\nText of a bad page.\n")
    project.page("z/other.md", "# Other\n\nMore words on another page.\n")
    (project.root / "content" / "latin1.md").write_bytes("Caf\xe9 au lait.\n".encode("latin-1"))
    return project


def _errors(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("error:")]


def _names_each_bad_page_once(result: Result) -> None:
    assert result.exit_code == 1, result.output
    errors = _errors(result)
    assert len(errors) == 2, result.output
    assert errors[0].startswith("error: content/bad.md:") and "frontmatter" in errors[0]
    assert errors[1].startswith("error: content/latin1.md:1: not valid UTF-8")
    assert "Traceback" not in result.output


def test_extract_skips_the_unreadable_pages_and_extracts_the_others(project: Project) -> None:
    result = cli(project, "extract")
    _names_each_bad_page_once(result)
    assert project.po_path("good.md").exists() and project.po_path("z/other.md").exists()
    assert not project.po_path("bad.md").exists() and not project.po_path("latin1.md").exists()


def test_translate_and_build_every_other_page(project: Project) -> None:
    _names_each_bad_page_once(cli(project, "translate", "--engine", "pseudo", "-q"))
    assert "Hello" in project.po_path("good.md").read_text(encoding="utf-8")
    result = cli(project, "build", "--pseudo")
    _names_each_bad_page_once(result)
    built = project.root / "build" / "en-XA"
    assert (built / "good.md").exists() and (built / "z" / "other.md").exists()
    assert not (built / "bad.md").exists() and not (built / "latin1.md").exists()
    assert "Hello" not in (built / "good.md").read_text(encoding="utf-8")  # pseudo-localised


def test_run_builds_every_other_page_and_names_each_bad_one_once(project: Project) -> None:
    result = cli(project, "run")
    _names_each_bad_page_once(result)  # extract and build both meet them: named once
    built = project.root / "build" / "nl"
    assert sorted(p.name for p in built.rglob("*.md")) == ["good.md", "other.md"]
    assert "good.md" in result.output and "other.md" in result.output  # the status table


def test_status_and_check_name_the_unreadable_pages(project: Project) -> None:
    assert cli(project, "extract").exit_code == 1
    result = cli(project, "status")
    _names_each_bad_page_once(result)
    assert "good.md" in result.output
    result = cli(project, "check")
    _names_each_bad_page_once(result)
    assert "2 unreadable pages" in result.output


def test_a_site_whose_pages_all_read_is_unaffected(project: Project) -> None:
    (project.root / "content" / "bad.md").unlink()
    (project.root / "content" / "latin1.md").unlink()
    result = cli(project, "run")
    assert result.exit_code == 0, result.output
    assert not _errors(result)


def test_the_library_still_raises_without_a_list_to_collect_into(project: Project) -> None:
    with pytest.raises(PageError):
        project.extract()
    skipped: list[PageError] = []
    from i18n.jobs.extract import extract

    extract(project.config, skipped=skipped)
    assert sorted(Path(str(e.path)).name for e in skipped) == ["bad.md", "latin1.md"]
