"""The checks' registry: every check is one small function and one entry; ``check_translation``, and so
``i18n check``, ``build``'s gate and ``status``, run what is registered for a segment's kind. An example
check (tests/example_check.py) proves a new one needs nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from i18n.checks import Problem, check_translation, register, unregister
from i18n.checks.registry import changed_checks, check_names, checks_for
from i18n.segments import SegmentKind

from . import example_check
from .project import Project
from .support import cli


@pytest.fixture
def exclamation() -> Iterator[str]:
    register(example_check.CHECK)
    yield example_check.CODE
    unregister(example_check.CHECK.name)


def test_each_kind_gets_only_its_checks() -> None:
    names = {kind: {check.name for check in checks_for(kind, machine=False)} for kind in SegmentKind}
    assert (
        "message-variables" in names[SegmentKind.MESSAGE] and "placeholders" not in names[SegmentKind.MESSAGE]
    )
    assert "heading-placeholders" in names[SegmentKind.HEADING]
    assert "inline-markup" not in names[SegmentKind.HTML] | names[SegmentKind.ATTRIBUTE]
    machine_only = {c.name for c in checks_for(SegmentKind.PARAGRAPH, machine=True)} - names[
        SegmentKind.PARAGRAPH
    ]
    assert machine_only == {"length", "preamble"}


def test_problems_come_in_the_order_of_problem_codes() -> None:
    found = check_translation("See [the plan](/plan) now.", "Zie  het plan   nu.\n", SegmentKind.PARAGRAPH)
    codes = [v.problem for v in found]
    assert codes == sorted(codes, key=list(Problem).index)
    assert {Problem.LINK_TARGETS, Problem.LINE_BREAK, Problem.WHITESPACE} <= set(codes)


def test_an_example_check_is_one_module_and_one_entry(exclamation: str) -> None:
    assert "exclamation" in check_names() and changed_checks() == ("exclamation",)
    found = check_translation(
        "We meet [on Friday](/friday)!", "We komen [vrijdag](/vrijdag)!!!", SegmentKind.PARAGRAPH
    )
    assert [str(v) for v in found] == [
        "link-targets: link target '/friday' missing; '/vrijdag' added",
        "exclamation: 2 exclamation marks added",
    ]
    assert not check_translation("Hi", "Hoi!", SegmentKind.ATTRIBUTE)  # not registered for that kind


def test_a_removed_check_is_gone(exclamation: str) -> None:
    unregister("exclamation")
    assert not check_translation("Go", "Ga!!", SegmentKind.PARAGRAPH) and changed_checks() == ()
    register(example_check.CHECK)  # the fixture unregisters it again


def test_a_new_check_reaches_i18n_check_and_the_build_gate(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.page("plans.md", "# Plans\n\nWe meet on Friday.\n")
    project.extract()
    project.translate("plans.md", {"Plans": "Plannen", "We meet on Friday.": "We komen vrijdag samen!!!"})
    assert cli(project, "check")[0] == 0
    assert cli(project, "build", "-q")[0] == 0
    built = tmp_path / "build" / "nl" / "plans.md"
    assert "vrijdag samen!!!" in built.read_text(encoding="utf-8")
    register(example_check.CHECK)
    try:
        code, output = cli(project, "check")
        assert code == 1 and "exclamation: 3 exclamation marks added" in output
        assert cli(project, "build", "-q")[0] == 0
        assert (
            built.read_text(encoding="utf-8") == "# Plannen {#plans}\n\nWe meet on Friday.\n"
        )  # English in its place
    finally:
        unregister(example_check.CHECK.name)
