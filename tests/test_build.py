"""`i18n build`: localised pages, fallback, coverage, manifest, deterministic archive."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from i18n.cli import main

from .project import Project
from .support import cli as run

PAGE = "---\ntitle: Plans\n---\n\n## Our plans\n\nWe grow.\n\nWe protest.\n"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = Project(tmp_path, languages=("nl", "de"))
    project.page("plans.md", PAGE)
    project.page("about/us.md", "# About us\n\nWe are volunteers.\n")
    run(project, "extract")
    project.translate(
        "plans.md", {"Plans": "Plannen", "Our plans": "Onze plannen", "We grow.": "We groeien."}
    )
    project.translate("plans.md", {"We protest.": "We protesteren."}, review=False)  # machine-like
    return project


def built(project: Project, language: str, ref: str) -> str:
    return (project.root / "build" / language / ref).read_text(encoding="utf-8")


def test_build_uses_translations_and_falls_back_to_english(project: Project) -> None:
    code, output = run(project, "build")
    assert code == 0, output
    assert built(project, "nl", "plans.md") == (
        "---\ntitle: Plannen\n---\n\n## Onze plannen {#our-plans}\n\nWe groeien.\n\nWe protesteren.\n"
    )
    assert built(project, "nl", "about/us.md") == "# About us\n\nWe are volunteers.\n"
    assert built(project, "de", "plans.md") == PAGE


def test_minimum_state_reviewed_leaves_machine_output_out(project: Project) -> None:
    pyproject = project.root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8") + 'build_min_state = "reviewed"\n', encoding="utf-8"
    )
    run(project, "build", "--lang", "nl")
    assert "We protest." in built(project, "nl", "plans.md")


def test_pages_below_coverage_are_left_out_and_removed(project: Project) -> None:
    run(project, "build")
    assert (project.root / "build" / "nl" / "about" / "us.md").exists()
    pyproject = project.root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8") + "build_min_coverage = 50\n", encoding="utf-8"
    )
    code, output = run(project, "build", "--lang", "nl")
    assert code == 0
    assert "about/us.md: 0.0% (left out: below build_min_coverage)" in output
    assert not (project.root / "build" / "nl" / "about" / "us.md").exists()
    assert (project.root / "build" / "nl" / "plans.md").exists()


def test_manifest_lists_pages_coverage_and_source_hash(project: Project) -> None:
    run(project, "build")
    manifest = json.loads((project.root / "build" / "nl" / "manifest.json").read_text(encoding="utf-8"))
    plans = manifest["pages"]["plans.md"]
    assert plans["segments"] == 4 and plans["translated"] == 4 and plans["coverage"] == 100.0
    assert plans["states"]["reviewed"] == 3 and plans["states"]["machine"] == 1
    assert len(plans["source_sha256"]) == 64
    assert manifest["totals"]["pages"] == 2


def test_rebuild_writes_nothing_and_archive_is_deterministic(project: Project) -> None:
    run(project, "build")
    archive = project.root / "build" / "nl.tar.gz"
    first = archive.read_bytes()
    stamps = {p: p.stat().st_mtime_ns for p in (project.root / "build").rglob("*") if p.is_file()}
    code, output = run(project, "build")
    assert code == 0 and "0 files written" in output
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps
    assert archive.read_bytes() == first
    shutil.rmtree(project.root / "build")  # a build from scratch makes the same bytes
    run(project, "build")
    assert archive.read_bytes() == first
    with tarfile.open(fileobj=io.BytesIO(first)) as tar:
        names = tar.getnames()
        assert names == ["nl/about/us.md", "nl/plans.md", "nl/manifest.json"]
        assert all(member.mtime == 0 and member.uid == 0 for member in tar.getmembers())


def test_deleted_source_page_is_removed_from_the_build(project: Project) -> None:
    run(project, "build")
    (project.root / "content" / "about" / "us.md").unlink()
    code, output = run(project, "build")
    assert code == 0 and "1 removed" in output
    assert not (project.root / "build" / "nl" / "about" / "us.md").exists()


def test_output_dir_inside_content_is_refused(tmp_path: Path) -> None:
    project = Project(tmp_path, extra='output_dir = "content/build"\n')
    project.page("a.md", "Text.\n")
    code, output = run(project, "build")
    assert code == 1 and "output_dir" in output and "content" in output


def test_unknown_language_is_a_clear_error(project: Project) -> None:
    code, output = run(project, "build", "--lang", "fr")
    assert code == 1 and "unknown language 'fr'; configured: nl, de" in output


def test_bundled_content_builds_dutch_and_partial_german(tmp_path: Path) -> None:
    from .support import ROOT

    for name in ("content", "locales"):
        for path in (ROOT / name).rglob("*"):
            if path.is_file():
                target = tmp_path / name / path.relative_to(ROOT / name)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(path.read_bytes())
    (tmp_path / "pyproject.toml").write_text('[tool.i18n]\nlanguages = ["nl", "de"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--project", str(tmp_path), "run", "-q"])
    assert result.exit_code == 0, result.output
    assert "build nl: 3/3 pages, 100.0% of segments translated" in result.output
    roadmap = (tmp_path / "build" / "nl" / "roadmap.md").read_text(encoding="utf-8")
    assert "## Financieringsscenario's {#funding-scenarios}" in roadmap
    lobby = (tmp_path / "build" / "de" / "lobby-tips.md").read_bytes()
    assert (
        lobby == (ROOT / "content" / "lobby-tips.md").read_bytes()
    )  # German missing: English, byte for byte


def test_no_op_build_reuses_pages_and_notices_every_change(project: Project) -> None:
    run(project, "build")
    target = project.root / "build" / "nl" / "plans.md"
    code, output = run(project, "build")
    assert code == 0 and "build nl: 2/2 pages, 66.7% of segments translated, 0 files written" in output
    project.translate("plans.md", {"Our plans": "Plannen voor later"})  # a catalog changed
    run(project, "build")
    assert "## Plannen voor later {#our-plans}" in target.read_text(encoding="utf-8")
    target.write_text("tampered\n", encoding="utf-8")  # an output changed behind our back
    run(project, "build")
    assert target.read_text(encoding="utf-8").startswith("---\ntitle: Plannen")
    project.page("plans.md", PAGE.replace("We grow.", "We grow fast."))  # a source changed
    run(project, "build")
    assert "We grow fast." in target.read_text(encoding="utf-8")


def test_run_builds_from_what_extract_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In one `i18n run`, build takes the pages extract parsed and the catalogs it wrote (by content
    digest), and gives the same output as a separate `i18n build`. A page extract parsed before is
    restored from its snapshot, not parsed again; a page with nothing usable is copied."""
    import i18n.catalog.po
    import i18n.markdown.page
    from i18n.catalog.po import read_catalog
    from i18n.files import file_digest
    from i18n.jobs.extract import extract
    from i18n.jobs.memo import Memo

    project = Project(tmp_path, languages=("nl", "de"))
    project.page("plans.md", PAGE)
    project.page("about/us.md", "# About us\n\n- We are volunteers.\n- [Join](/join) us.\n")
    memo = Memo()
    extract(project.config, memo=memo)
    for language in ("nl", "de"):  # what the memo holds is what reading the file gives
        for ref in ("plans.md", "about/us.md"):
            path = project.po_path(ref, language)
            assert memo.catalogs.get(file_digest(path)) == read_catalog(path, ref, language).messages
    project.translate("plans.md", {"We grow.": "We groeien."})
    calls: list[str] = []

    def counted(name: str, real: Any) -> Any:
        return lambda *args, **kwargs: calls.append(name) or real(*args, **kwargs)

    for module, name in (
        (i18n.markdown.page, "parse_page"),
        (i18n.markdown.page, "restore_page"),
        (i18n.catalog.po, "parse_catalog"),
    ):
        monkeypatch.setattr(module, name, counted(name, getattr(module, name)))
    code, output = run(project, "run", "-q")
    assert code == 0, output
    # extract: plans.md (its nl catalog changed) restored from the snapshot the first extract left, its 3
    # catalogs read; about/us.md skipped (state file). build: plans.md and its catalogs from the memo;
    # about/us.md has nothing usable in either language: copied, neither parsed nor its catalogs read.
    assert sorted(calls) == ["parse_catalog"] * 3 + ["restore_page"]
    via_run = {p: p.read_bytes() for p in sorted((tmp_path / "build").rglob("*.md"))}
    shutil.rmtree(tmp_path / "build")
    monkeypatch.undo()
    assert run(project, "build")[0] == 0
    assert {p: p.read_bytes() for p in sorted((tmp_path / "build").rglob("*.md"))} == via_run
    assert "We groeien." in built(project, "nl", "plans.md")


@pytest.mark.parametrize("ref", ["../x.md", "a/../../x.md", "/etc/x.md", "a\\..\\x.md", ""])
def test_a_page_path_never_leaves_the_output_folder(tmp_path: Path, ref: str) -> None:
    from i18n.config import Config
    from i18n.errors import ConfigError
    from i18n.jobs.layout import output_path

    config = Config(root=tmp_path)
    with pytest.raises(ConfigError, match="escapes the output directory"):
        output_path(config, "nl", ref)
    assert output_path(config, "nl", "a/b.md") == tmp_path / "build" / "nl" / "a" / "b.md"
