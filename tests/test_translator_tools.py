"""Issue 24: what a translator's tool does to a catalog (GNU gettext's msgattrib, msgmerge, msgcat, msgfmt;
translate-toolkit as Weblate saves) never ships bad text, churns files or passes `check` unnoticed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from i18n.checks import Problem, check_translation
from i18n.cli import main
from i18n.segments import SegmentKind

from .project import Project

GETTEXT = shutil.which("msgattrib") and shutil.which("msgmerge") and shutil.which("msgfmt")
needs_gettext = pytest.mark.skipif(
    not GETTEXT and not os.environ.get("CI"),
    reason="GNU gettext (msgattrib, msgmerge, msgfmt) is not installed",
)
PAGE = (
    "---\ntitle: Plans for groups\n---\n\n# Plans\n\nWe grow every year, with *new* groups.\n\n"
    "- one item\n- two items\n\n| a | b |\n| --- | --- |\n| left | right |\n"
)


def cli(project: Project, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(project.root), *args])


def tool(*args: str | Path) -> None:
    subprocess.run([str(a) for a in args], check=True, capture_output=True)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    for variable in ("DEEPL_AUTH_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(variable, raising=False)
    project = Project(tmp_path, languages=("nl", "de"))
    project.page("plans.md", PAGE)
    return project


def built(project: Project, language: str) -> str:
    return "".join(
        p.read_text(encoding="utf-8") for p in sorted((project.root / "build" / language).rglob("*.md"))
    )


# -- item 3: pseudo text known by its content ------------------------------------------------------------


@needs_gettext
@pytest.mark.parametrize("comments", ["kept", "stripped"])
def test_pseudo_text_approved_by_msgattrib_never_ships_and_check_flags_it(
    project: Project, comments: str
) -> None:
    assert cli(project, "run", "--engine", "pseudo").exit_code == 0
    catalog = project.po_path("plans.md", "de")
    assert "⟦" in catalog.read_text(encoding="utf-8")
    tool("msgattrib", "--clear-fuzzy", "-o", catalog, catalog)  # a translator's "approve all"
    if comments == "stripped":  # and a tool that drops translator comments: only the content tells
        text = catalog.read_text(encoding="utf-8")
        catalog.write_text(re.sub(r"(?m)^# i18n:.*\n", "", text), encoding="utf-8")
    assert "#, fuzzy" not in catalog.read_text(encoding="utf-8").split("msgid", 2)[2]
    result = cli(project, "run")
    assert result.exit_code == 0, result.output
    assert "⟦" not in built(project, "de") and "Plans for groups" in built(project, "de")
    check = cli(project, "check")
    assert check.exit_code == 1
    assert re.search(r"locales/de/plans\.po:\d+: pseudo: ", check.output), check.output
    status = cli(project, "status", "--json")
    assert status.exit_code == 0


# -- item 6: spacing checks (hard breaks, ends, tabs, double spaces, doubled words) ---------------------

P = SegmentKind.PARAGRAPH


@pytest.mark.parametrize(
    ("source", "bad", "good", "problem"),
    [
        ("Line one  \nline two.", "Regel een\nregel twee.", "Regel een  \nregel twee.", Problem.HARD_BREAK),
        ("Line one\\\nline two.", "Regel een\nregel twee.", "Regel een\\\nregel twee.", Problem.HARD_BREAK),
        ("Line one.", "Regel een.\n", "Regel een.", Problem.LINE_BREAK),
        ("Line one.", "\nRegel een.", "Regel een.", Problem.LINE_BREAK),
        ("Line one.\n", "Regel een.", "Regel een.\n", Problem.LINE_BREAK),
        ("Line one.", "Regel een. ", "Regel een.", Problem.WHITESPACE),
        ("Line one.", " Regel een.", "Regel een.", Problem.WHITESPACE),
        ("Line\tone.", "Regel een.", "Regel\teen.", Problem.WHITESPACE),
        ("Line one.", "Regel  een.", "Regel een.", Problem.WHITESPACE),
        (
            "We grow every year.",
            "Wij groeien groeien elk jaar.",
            "Wij groeien elk jaar.",
            Problem.DOUBLED_WORD,
        ),
    ],
)
def test_spacing_checks(source: str, bad: str, good: str, problem: Problem) -> None:
    assert {v.problem for v in check_translation(source, bad, P)} == {problem}
    assert check_translation(source, good, P) == ()


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("They feed data into AI.", "Ze voeren gegevens in in AI."),  # Dutch: separable verb + preposition
        ("that it is", "dat het het is"),
        ("A  B", "A  B"),  # as the source has it
        ('The <abbr title="x">AI</abbr>', 'De  <abbr  title="x">AI</abbr>'),  # inside and beside a tag
    ],
)
def test_spacing_checks_raise_no_false_alarm(source: str, translation: str) -> None:
    assert check_translation(source, translation, P) == ()


def test_two_spaces_at_the_very_end_are_no_hard_break() -> None:
    found = {v.problem for v in check_translation("Line one  \n", "Regel een\n", P)}
    assert found == {Problem.WHITESPACE}


def test_a_lost_hard_break_fails_check_and_a_kept_one_is_built(project: Project) -> None:
    project.page("plans.md", "# Plans\n\nLine one  \nline two.\n")
    project.extract()
    project.translate("plans.md", {"Line one  \nline two.": "Regel een\nregel twee.", "Plans": "Plannen"})
    check = cli(project, "check")
    assert check.exit_code == 1 and "hard-break: 1 hard line breaks" in check.output, check.output
    project.translate("plans.md", {"Line one  \nline two.": "Regel een  \nregel twee."})
    assert cli(project, "check").exit_code == 0
    assert cli(project, "build").exit_code == 0
    assert "Regel een  \nregel twee." in built(project, "nl")


# -- item 4: msgmerge, msgcat and translate-toolkit leave our catalogs alone, and we leave theirs ------------


def _msgmerge(project: Project) -> None:
    for po in sorted((project.root / "locales").glob("*/*.po")):
        if po.parent.name != "templates":
            pot = project.root / "locales" / "templates" / f"{po.stem}.pot"
            tool("msgmerge", "--quiet", "--update", "--backup=none", po, pot)


def _msgcat(project: Project) -> None:
    for po in sorted((project.root / "locales").glob("*/*.po*")):
        tool("msgcat", "-o", po, po)


def _toolkit(project: Project) -> None:
    toolkit = pytest.importorskip("translate.storage.po", reason="translate-toolkit is not installed")
    for po in sorted((project.root / "locales").glob("*/*.po*")):
        po.write_bytes(bytes(toolkit.pofile.parsefile(str(po))))


def _catalogs(project: Project) -> dict[str, bytes]:
    return {
        p.relative_to(project.root).as_posix(): p.read_bytes()
        for p in sorted(project.root.glob("locales/*/*.po*"))
    }


@needs_gettext
@pytest.mark.parametrize(
    "save", [_msgmerge, _msgcat, _toolkit], ids=["msgmerge-U", "msgcat", "translate-toolkit"]
)
def test_catalogs_are_a_fixed_point_of_gettext_tools_and_of_extract(project: Project, save: object) -> None:
    assert callable(save)
    project.page(
        "other.md",
        "# Other\n\nA page with a [link](/x) and `code`, long enough to wrap " + "word " * 30 + "\n",
    )
    assert cli(project, "run", "--engine", "pseudo").exit_code == 0
    project.translate(
        "plans.md", {"Plans": "Plannen", "We grow every year, with *new* groups.": "Wij groeien."}
    )
    project.page("plans.md", PAGE.replace("two items", "three items") + "\nA closing line.\n")  # stale, new
    assert cli(project, "extract").exit_code == 0
    for _ in range(2):  # the tool once (it may add its own fields), then each must leave the other alone
        save(project)
        saved = _catalogs(project)
        assert cli(project, "extract").exit_code == 0
        assert _catalogs(project) == saved  # extract rewrote none of the tool's files
        save(project)
        assert _catalogs(project) == saved  # and the tool none of ours
        project.page(
            "plans.md", (project.root / "content" / "plans.md").read_text(encoding="utf-8") + "\nMore.\n"
        )
        assert cli(project, "extract").exit_code == 0  # the template changes: a new POT-Creation-Date
