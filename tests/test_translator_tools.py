"""Issue 24: what a translator's tool does to a catalog (GNU gettext's msgattrib, msgmerge, msgcat, msgfmt;
translate-toolkit as Weblate saves) never ships bad text, churns files or passes `check` unnoticed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from i18n.checks import Problem, check_translation
from i18n.segments import SegmentKind

from .project import Project
from .support import invoke as cli

GETTEXT = shutil.which("msgattrib") and shutil.which("msgmerge") and shutil.which("msgfmt")
needs_gettext = pytest.mark.skipif(
    not GETTEXT and not os.environ.get("CI"),
    reason="GNU gettext (msgattrib, msgmerge, msgfmt) is not installed",
)
PAGE = (
    "---\ntitle: Plans for groups\n---\n\n# Plans\n\nWe grow every year, with *new* groups.\n\n"
    "- one item\n- two items\n\n| a | b |\n| --- | --- |\n| left | right |\n"
)


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


@needs_gettext
@pytest.mark.parametrize(
    "save", [_msgmerge, _msgcat, _toolkit], ids=["msgmerge-U", "msgcat", "translate-toolkit"]
)
def test_the_first_save_by_each_tool_changes_no_catalog(project: Project, save: object) -> None:
    """Catalogs carry the template's POT-Creation-Date from the start, so even the first ``msgmerge
    --update`` of a catalog the pipeline wrote (and a first save by msgcat or translate-toolkit) leaves
    every file byte for byte as it was."""
    assert callable(save)
    assert cli(project, "run", "--engine", "pseudo").exit_code == 0
    project.translate("plans.md", {"We grow every year, with *new* groups.": "Wij groeien elk jaar."})
    project.page("plans.md", PAGE.replace("We grow every year, with *new* groups.\n\n", ""))
    assert cli(project, "extract").exit_code == 0  # the translated paragraph is now an obsolete entry
    written = _catalogs(project)
    assert any("#~ msgid" in text.decode() for text in written.values())
    assert any(name.endswith(".po") and "/templates/" not in name for name in written)
    save(project)
    assert _catalogs(project) == written


# -- items 5 and 9: what msgfmt --check refuses, `i18n check` refuses (file:line); declared charsets

FORMAT_PAGE = (
    "# Plans\n\nWe grow every year.\n\nWe give %s to %d groups.\n\nHello {name}, welcome.\n\nThe café.\n"
)
FORMAT_TRANSLATIONS = {
    "Plans": "Plannen",
    "We grow every year.": "Wij groeien elk jaar.",
    "We give %s to %d groups.": "Wij geven %d groepen %s.",
    "Hello {name}, welcome.": "Hallo {name}, welkom.",
    "The café.": "Het café.",
}


def _flag(text: str, msgid: str, flag: str) -> str:
    return text.replace(f'msgid "{msgid}"', f'#, {flag}\nmsgid "{msgid}"')


MUTATIONS = {
    "as-written": lambda t: t,
    "bom": lambda t: "\ufeff" + t,
    "no-header": lambda t: t.split("\n\n", 1)[1],
    "msgstr-ends-with-newline": lambda t: t.replace('"Wij groeien elk jaar."', '"Wij groeien elk jaar.\\n"'),
    "msgstr-begins-with-newline": lambda t: t.replace(
        '"Wij groeien elk jaar."', '"\\nWij groeien elk jaar."'
    ),
    "newline-inside": lambda t: t.replace('"Wij groeien elk jaar."', '"Wij groeien\\nelk jaar."'),
    "c-format-mismatch": lambda t: _flag(t, "We give %s to %d groups.", "c-format"),
    "c-format-match": lambda t: _flag(
        t.replace('"Wij geven %d groepen %s."', '"Wij geven %s aan %d groepen."'),
        "We give %s to %d groups.",
        "c-format",
    ),
    "python-brace-format": lambda t: _flag(t, "Hello {name}, welcome.", "python-brace-format"),
    "python-brace-format-mismatch": lambda t: _flag(
        t.replace('"Hallo {name}, welkom."', '"Hallo {naam}, welkom."'),
        "Hello {name}, welcome.",
        "python-brace-format",
    ),
    "plural-forms": lambda t: t.replace("nplurals=2;", "nplurals=x;"),
    "no-language-field": lambda t: t.replace('"Language: nl\\n"\n', ""),
    "no-mime-version": lambda t: t.replace('"MIME-Version: 1.0\\n"\n', ""),
}


@needs_gettext
@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_check_refuses_what_msgfmt_refuses_naming_file_and_line(project: Project, mutation: str) -> None:
    project.page("plans.md", FORMAT_PAGE)
    project.extract()
    project.translate("plans.md", FORMAT_TRANSLATIONS)
    catalog = project.po_path("plans.md")
    catalog.write_text(MUTATIONS[mutation](catalog.read_text(encoding="utf-8")), encoding="utf-8")
    msgfmt = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(catalog)], capture_output=True)
    result = cli(project, "check")
    assert "Traceback" not in result.output
    assert (result.exit_code == 1) == (msgfmt.returncode != 0), (msgfmt.stderr, result.output)
    if msgfmt.returncode:
        assert re.search(r"^locales/nl/plans\.po:\d+: ", result.output, re.MULTILINE), result.output


@needs_gettext
def test_a_latin1_catalog_is_read_in_its_charset_and_written_back_as_utf8(project: Project) -> None:
    project.page("plans.md", FORMAT_PAGE)
    project.extract()
    project.translate("plans.md", FORMAT_TRANSLATIONS)
    catalog = project.po_path("plans.md")
    text = catalog.read_text(encoding="utf-8").replace("charset=UTF-8", "charset=ISO-8859-1")
    catalog.write_bytes(text.encode("iso-8859-1"))
    tool("msgfmt", "--check", "-o", os.devnull, catalog)  # gettext reads it
    assert cli(project, "check").exit_code == 0
    run = cli(project, "run")
    assert run.exit_code == 0, run.output
    assert "Het café." in built(project, "nl")
    data = catalog.read_bytes()
    assert "Het café.".encode() in data and b"charset=UTF-8" in data  # written back as UTF-8
    tool("msgfmt", "--check", "-o", os.devnull, catalog)


def test_a_catalog_not_valid_in_its_charset_names_file_line_and_charset(project: Project) -> None:
    project.page("plans.md", FORMAT_PAGE)
    project.extract()
    catalog = project.po_path("plans.md")
    data = catalog.read_bytes().replace(b"The caf\xc3\xa9.", b"The caf\xe9.")  # Latin-1 in a UTF-8 file
    catalog.write_bytes(data)
    line = data[: data.index(b"caf\xe9")].count(b"\n") + 1
    result = cli(project, "check")
    assert result.exit_code == 1
    assert (
        f"error: locales/nl/plans.po:{line}: not valid UTF-8 (the header declares charset=UTF-8)"
        in result.output
    )


# -- also: do-not-translate terms in human translations; the run names failing translations -----------------


def test_a_human_translation_of_a_do_not_translate_term_is_a_warning(project: Project) -> None:
    (project.root / "glossary.yaml").write_text("do_not_translate:\n  - PauseAI Global\n", encoding="utf-8")
    project.page("plans.md", "# Plans\n\nJoin PauseAI Global today.\n\nAnd PauseAI Global again.\n")
    project.extract()
    project.translate(
        "plans.md",
        {
            "Plans": "Plannen",
            "Join PauseAI Global today.": "Word vandaag lid van PauzeAI Wereldwijd.",
            "And PauseAI Global again.": "En PauseAI Global opnieuw.",
        },
    )
    check = cli(project, "check")
    warning = re.findall(r"^warning: locales/nl/plans\.po:(\d+): glossary: (.*)$", check.output, re.MULTILINE)
    assert [text for _, text in warning] == ["do-not-translate 'PauseAI Global' not kept as written"]
    assert check.exit_code == 0  # a warning: exit 1 with --strict
    assert cli(project, "check", "--strict").exit_code == 1
    assert "glossary: do-not-translate 'PauseAI Global'" in cli(project, "status").output


def test_the_run_names_the_translations_that_fail_a_check(project: Project) -> None:
    project.page("plans.md", "# Plans\n\nLine one  \nline two.\n")
    project.extract()
    project.translate("plans.md", {"Plans": "Plannen  ", "Line one  \nline two.": "Regel een\nregel twee."})
    result = cli(project, "run", "-q")
    assert result.exit_code == 0  # the build is right: English in place of a failing translation
    assert "check: 2 translation problems" in result.output
    assert re.search(r"^  locales/nl/plans\.po:\d+: hard-break: ", result.output, re.MULTILINE)
    assert re.search(r"^  locales/nl/plans\.po:\d+: whitespace: ", result.output, re.MULTILINE)
    assert "Line one  \nline two." in built(project, "nl")
    project.translate("plans.md", {"Plans": "Plannen", "Line one  \nline two.": "Regel een  \nregel twee."})
    assert "check:" not in cli(project, "run", "-q").output


# -- item 7: a translation judged in its place; line-start markers escaped in a paragraph -------------------


def test_a_numbered_heading_is_a_heading_and_a_list_marker_in_a_paragraph_is_escaped(
    project: Project,
) -> None:
    project.page(
        "plans.md",
        "# Plans\n\n## Section one\n\nPoint one of the plan\nand more.\n\n| a |\n| --- |\n| Step |\n",
    )
    project.extract()
    project.translate(
        "plans.md",
        {
            "Plans": "Plannen",
            "Section one": "1. Deel",
            "Point one of the plan\nand more.": "1. Punt van het plan\n- en meer.",
            "Step": "1. Stap",
            "a": "a",
        },
    )
    check = cli(project, "check")
    assert check.exit_code == 0, check.output
    assert cli(project, "build").exit_code == 0
    page = built(project, "nl")
    assert "## 1. Deel {#section-one}\n" in page
    assert "1\\. Punt van het plan\n\\- en meer.\n" in page  # still one paragraph
    assert "| 1. Stap |" in page


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("1. Deel", "1\\. Deel"),
        ("2) Deel", "2\\) Deel"),
        ("- ja", "\\- ja"),
        ("# Kop", "# Kop"),  # refused by the checks instead (a new heading)
        ("Regel\n1. verder", "Regel\n1\\. verder"),
        ("Regel\n2. verder", "Regel\n2. verder"),  # only 1. interrupts a paragraph
        ("Regel\n- verder", "Regel\n\\- verder"),
        ("Regel\n  * verder", "Regel\n  \\* verder"),
        ("Regel\n* * *", "Regel\n* * *"),  # a rule: refused by the checks
        ("2024 was goed", "2024 was goed"),
        ("-5 graden", "-5 graden"),
    ],
)
def test_escape_block_starts(text: str, escaped: str) -> None:
    from i18n.markdown.escape import escape_block_starts

    assert escape_block_starts(text) == escaped


# -- item 8: deep nesting translated, and reported beyond the parser's limit --------------------------------


def test_deep_nesting_is_translated(project: Project) -> None:
    quote = "> " * 25 + "Deep quote text.\n"
    items = "".join("  " * level + f"- item number {level}\n" for level in range(14))
    project.page("plans.md", f"# Plans\n\n{quote}\n{items}")
    segments = cli(project, "segments", str(project.root / "content" / "plans.md"), "--json")
    texts = [s["text"] for s in json.loads(segments.output)]
    assert "Deep quote text." in texts and "item number 13" in texts
    assert cli(project, "build", "--pseudo").exit_code == 0
    page = (project.root / "build" / "en-XA" / "plans.md").read_text(encoding="utf-8")
    assert "Deep quote text" not in page and "item number 13" not in page  # every text pseudo-translated
    project.extract()
    assert "too-deep" not in cli(project, "check").output


def test_text_deeper_than_the_parser_goes_is_reported(project: Project) -> None:
    from i18n.markdown.parser import MAX_NESTING

    project.page("plans.md", "# Plans\n\nSome text.\n\n" + "> " * (MAX_NESTING + 5) + "Far too deep.\n")
    project.extract()
    check = cli(project, "check")
    assert re.search(
        r"^warning: content/plans\.md:5: too-deep: nested more than 100 levels", check.output, re.M
    )
    assert cli(project, "check", "--strict").exit_code == 1
