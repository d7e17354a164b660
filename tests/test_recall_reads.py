"""An edit's recall of exact translations reads the catalogs that hold its texts, not every catalog of the
language (issue 22: work follows the change); what it recalls is the same as reading them all."""

from __future__ import annotations

from pathlib import Path

import pytest

from i18n.jobs import catalogs, extract

from .project import Project

PAGES = 6


def _text(n: int) -> str:
    return f"Paragraph number {n} of the site, with words enough to be a paragraph."


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = Project(tmp_path, languages=("nl", "de"))
    for n in range(PAGES):
        project.page(f"p{n}.md", f"# Page {n}\n\n{_text(n)}\n")
    project.extract()
    for n in range(PAGES):
        for language in ("nl", "de"):
            project.translate(f"p{n}.md", {_text(n): f"[{language}] {n}"}, language=language)
    project.extract()  # records the translators' catalogs (and what each can recall)
    return project


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    seen: list[Path] = []
    real = catalogs.read_catalog

    def counting(path: Path, *args: object, **kwargs: object) -> object:
        seen.append(Path(path))
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(catalogs, "read_catalog", counting)
    monkeypatch.setattr(extract, "read_catalog", counting)
    return seen


def test_an_edit_reads_only_the_catalogs_holding_its_texts(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.page("p0.md", f"# Page 0\n\n{_text(0)}\n\n{_text(3)}\n")  # page 3's text, used again
    seen = _reads(monkeypatch)
    project.extract()
    for language in ("nl", "de"):
        assert project.entry("p0.md", _text(3), language).msgstr == f"[{language}] 3"  # recalled
    read = {path.relative_to(project.root / "locales").as_posix() for path in seen}
    assert read == {"templates/p0.pot", "nl/p0.po", "de/p0.po", "nl/p3.po", "de/p3.po"}  # not p1, p2, p4, p5


def test_a_catalog_changed_since_it_was_recorded_is_read(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A translator's edit since the last run: the state file's record of that catalog no longer holds."""
    project.translate("p4.md", {_text(4): "[nl] vier"})
    project.page("p0.md", f"# Page 0\n\n{_text(0)}\n\n{_text(4)}\n")
    seen = _reads(monkeypatch)
    project.extract()
    assert project.entry("p0.md", _text(4)).msgstr == "[nl] vier"
    assert project.root / "locales" / "nl" / "p4.po" in seen


@pytest.mark.parametrize("new_texts", [1, 40])  # a scan of the recorded keys; past 32 texts, an index
def test_many_new_texts_read_the_same_catalogs_as_few(
    project: Project, monkeypatch: pytest.MonkeyPatch, new_texts: int
) -> None:
    fresh = "\n\n".join(
        f"A new paragraph {k}, never translated anywhere on the site." for k in range(new_texts)
    )
    project.page("p0.md", f"# Page 0\n\n{_text(0)}\n\n{fresh}\n\n{_text(4)}\n")
    seen = _reads(monkeypatch)
    project.extract()
    for language in ("nl", "de"):
        assert project.entry("p0.md", _text(4), language).msgstr == f"[{language}] 4"  # recalled
    read = {path.relative_to(project.root / "locales").as_posix() for path in seen}
    assert read == {"templates/p0.pot", "nl/p0.po", "de/p0.po", "nl/p4.po", "de/p4.po"}
