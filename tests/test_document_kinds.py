"""The document kinds' registry: a source's kind is looked up by the name it carries, a file given on the
command line by its suffix; an example kind (tests/example_kind.py) is one module and one entry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePath

import pytest

from i18n.document import kind_entry, kind_for_path, kind_names, register_kind, unregister_kind
from i18n.jobs.documents import MARKDOWN, MESSAGES, kind_of, what_of
from i18n.jobs.layout import list_sources
from i18n.markdown.kind import MarkdownKind
from i18n.messages.kind import MessagesKind

from . import example_kind
from .project import Project
from .support import cli


@pytest.fixture
def text_kind() -> Iterator[str]:
    register_kind(example_kind.ENTRY)
    yield example_kind.ENTRY.name
    unregister_kind(example_kind.ENTRY.name)


def test_the_built_in_kinds_and_how_files_are_recognised() -> None:
    assert kind_names()[:2] == ("markdown", "messages")
    assert kind_for_path(PurePath("a/en.JSON"), MARKDOWN.name) is MESSAGES
    assert kind_for_path(PurePath("guide.mdx"), MESSAGES.name) is MARKDOWN
    assert kind_for_path(PurePath("notes.txt"), MARKDOWN.name) is MARKDOWN  # unknown suffix: the default


def test_a_projects_sources_get_the_kind_they_name(tmp_path: Path) -> None:
    project = Project(tmp_path, extra='[[tool.i18n.messages]]\nsource = "en.json"\n')
    (tmp_path / "en.json").write_text('{"hi": "Hello"}\n', encoding="utf-8")
    project.page("a.md", "# A\n")
    config = project.config
    kinds = {source.kind: kind_of(config, source) for source in list_sources(config)}
    assert isinstance(kinds["markdown"], MarkdownKind) and kinds["messages"] == MessagesKind()
    assert {what_of(source) for source in list_sources(config)} == {"a markdown page", "a message file"}
    assert kind_entry("messages").what == "a message file"


def test_an_example_kind_is_one_module_and_one_entry(text_kind: str, tmp_path: Path) -> None:
    assert kind_for_path(PurePath("notes.txt"), MARKDOWN.name) is example_kind.ENTRY
    notes = tmp_path / "notes.txt"
    notes.write_text("First line\nstill first.\n\nSecond.\n", encoding="utf-8")
    code, output = cli(tmp_path, "segments", str(notes))
    assert code == 0, output
    assert "    1  attribute   p1\n       First line⏎still first.\n" in output
    assert "    4  attribute   p2\n       Second.\n" in output
    assert output.endswith(f"2 segments in {notes}\n")
    document = example_kind.TextKind().parse(notes.read_text(encoding="utf-8"), "notes.txt")
    assert document.render({"p2": "Tweede."}) == "First line\nstill first.\n\nTweede.\n"
