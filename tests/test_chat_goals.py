"""Chat models as they really answer (issue 21), through the real ``openai`` client against the local
server: answers in the request's shape, with tags dropped, preambles and cut-off answers; one faulty text
in eight; servers that never answer usably (the breaker); the dry run's request bound; the numbers check.
Figures are printed with ``-s``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from i18n.catalog.model import State
from i18n.catalog.po import read_catalog
from i18n.mt.glossary import load_glossary
from i18n.mt.openai import BREAKER

from .openai_fake import FakeOpenAI
from .project import Project
from .test_openai_goals import cli, site


@pytest.fixture
def chat() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def totals(project: Project) -> dict[str, float]:
    code, output = cli(project, "status", "--json")
    assert code == 0, output
    return json.loads(output)["languages"]["nl"]["totals"]  # type: ignore[no-any-return]


def show(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print(f"\n[goal] {text}")


def test_a_server_answering_in_the_request_shape_is_usable(
    tmp_path: Path, chat: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    chat.request_shape = True  # ignores response_format, echoes the request's shape
    project = site(tmp_path, chat, monkeypatch)
    code, output = cli(project, "translate", "-q")
    assert code == 0, output
    row = totals(project)
    show(f"request-shaped answers: {row['usable_percent']}% usable, {len(chat.requests)} requests", capsys)
    assert row["usable_percent"] >= 95.0


def test_request_shape_with_dropped_tags_preambles_and_cut_answers(
    tmp_path: Path, chat: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    chat.request_shape, chat.formats = True, ()  # (refuses the formats, then answers in its shape)
    chat.bad_every(3, ("drop_tag", "preamble", "length"))  # each one answer in nine
    project = site(tmp_path, chat, monkeypatch, extra="batch_max_segments = 8\n")
    code, output = cli(project, "translate", "-q")
    assert code == 0, output
    row = totals(project)
    faults = sum(1 for r in chat.answered if r.fault)
    show(
        f"request shape + dropped tags, preambles, 1 in 9 cut off: {row['usable_percent']}% usable, "
        f"{len(chat.answered)} requests ({faults} faulty)",
        capsys,
    )
    assert faults >= 3 and row["usable_percent"] >= 90.0


def test_one_faulty_text_in_eight_costs_few_requests(
    tmp_path: Path, chat: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    chat.spoil_every = 8
    project = site(tmp_path, chat, monkeypatch)
    code, output = cli(project, "translate", "-q")
    assert code == 0, output
    row = totals(project)
    segments = int(row["segments"])
    show(
        f"one faulty text in eight: {len(chat.requests)} requests for {segments} segments "
        f"(goal <= {segments / 4:.0f}), {row['usable_percent']}% usable",
        capsys,
    )
    assert len(chat.requests) <= segments / 4
    assert row["usable_percent"] >= 95.0


@pytest.mark.parametrize(
    ("mode", "words"),
    [
        ("refuse", "refuses to translate"),
        ("untranslated_text", "ignores the answer format"),
        ("untranslated", "answers in the wrong language"),
        ("empty_strings", "answers with empty texts"),
    ],
)
def test_a_server_that_never_answers_usably_trips_the_breaker(
    tmp_path: Path,
    chat: FakeOpenAI,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    mode: str,
    words: str,
) -> None:
    project = site(tmp_path, chat, monkeypatch)
    chat.bad_every(1, (mode,))
    code, output = cli(project, "translate", "-q")
    assert code == 1, output
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, output
    line = errors[0]
    assert words in line and re.search(
        r"stopped after \d+ requests, \d+ prompt \+ \d+ completion tokens", line
    )
    assert "another model" in line or "max_output_tokens" in line
    show(f"breaker ({mode}): {len(chat.requests)} requests; {line}", capsys)
    concurrency = 2
    assert len(chat.requests) <= BREAKER + 2 * concurrency  # a handful: the breaker's, and what was in flight
    code, output = cli(project, "status", "--json")
    assert code == 0


def test_the_dry_run_bounds_the_requests_and_a_run_keeps_within(
    tmp_path: Path, chat: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = site(tmp_path, chat, monkeypatch, extra="batch_max_segments = 6\n")
    code, output = cli(project, "translate", "--dry-run")
    assert code == 0, output
    most = int(re.findall(r"at most (\d+) with texts asked again", output)[0])
    planned = int(re.findall(r", (\d+) requests \(", output)[-1])
    # every answer faulty, never bad enough for the breaker: one in three breaks markup, so however the two
    # requests in flight finish (the server cycles in its order), the last six hold at most three
    chat.bad_every(1, ("missing_id", "missing_id", "drop_tag"))
    code, output = cli(project, "translate", "-q")
    assert code == 0, output
    show(f"request bound: {planned} batches, at most {most} requests, {len(chat.requests)} made", capsys)
    assert planned < len(chat.requests) <= most


def test_a_changed_number_is_asked_again_and_never_built(
    tmp_path: Path, chat: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = site(tmp_path, chat, monkeypatch, fixtures=False)
    chat.bad_every(1, ("wrong_number",))  # the first text of every answer has a changed number
    cli(project, "translate", "-q")
    rejected = [
        m
        for path in (project.root / "locales" / "nl").glob("*.po")
        for m in read_catalog(path, path.name, "nl").active
        if m.state is State.REJECTED and "numbers" in (m.rejected or "")
    ]
    assert rejected
    cli(project, "build")
    for message in rejected:
        for page in (project.root / "build" / "nl").glob("*.md"):
            assert message.msgstr not in page.read_text(encoding="utf-8")


def test_a_number_changed_in_a_catalog_is_not_built_by_machine_and_a_warning_by_hand(
    tmp_path: Path, chat: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = site(tmp_path, chat, monkeypatch, fixtures=False)
    assert cli(project, "translate", "-q")[0] == 0
    path = project.root / "locales" / "nl" / "roadmap.po"
    text = path.read_text(encoding="utf-8")
    entry = re.search(r'(#, fuzzy\n)?msgid "€200k"\nmsgstr "(€200K)"', text)
    assert entry is not None and entry.group(1)  # a machine translation
    path.write_text(text.replace(entry.group(), entry.group().replace('"€200K"', '"€300K"')), "utf-8")
    output = cli(project, "check")[1]
    assert re.search(
        r"warning: locales/nl/roadmap\.po:\d+: numbers: number €200k not in the translation", output
    )
    assert cli(project, "build")[0] == 0
    built = (project.root / "build" / "nl" / "roadmap.md").read_text(encoding="utf-8")
    assert "€300K" not in built and "| €200k " in built  # the machine translation: English instead
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('#, fuzzy\nmsgid "€200k"\nmsgstr "€300K"', 'msgid "€200k"\nmsgstr "€300K"'), "utf-8"
    )
    code, output = cli(project, "check")
    assert code == 0 and "numbers: number €200k" in output  # reviewed by a translator: a warning ...
    assert cli(project, "check", "--strict")[0] == 1  # ... an error with --strict
    assert cli(project, "build")[0] == 0
    assert "€300K" in (project.root / "build" / "nl" / "roadmap.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("source", "answer", "why"),
    [
        ('Read <a i="1">the plan</a>.', "", "empty translation"),
        ('Read <a i="1">the plan</a>.', "Lees het plan.", "markup: the elements differ"),
        ('Read <a i="1">the plan</a>.', 'Lees <a i="1">het plan.', "markup: not well-formed"),
        ("Read the plan.", "Here is the translation: Lees het plan.", "preamble"),
        ("Read the plan of the group.", "Read the plan of the group.", "language: not translated"),
        ("Join the group in your country.", "Join the group in your country!", "language: not in nl"),
        ("We raised €200k in 2024.", "We haalden €2M op in 2024.", "numbers: number €200k"),
        ('Read <a i="1">the plan</a> of 2024.', 'Lees <a i="1">het plan</a> van 2024.', None),
        ("We raised €200k.", "We haalden € 200.000 op.", None),
        ("PauseAI", "PauseAI", None),
    ],
)
def test_each_text_of_an_answer_is_checked_at_once(source: str, answer: str, why: str | None) -> None:
    from i18n.mt.openai import item_problem

    found = item_problem(source, answer, "nl")
    assert (found is None) if why is None else (found is not None and found.startswith(why)), found


def test_glossary_terms_reach_every_batch_with_any_form_of_them(
    tmp_path: Path, chat: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = site(tmp_path, chat, monkeypatch, extra="batch_max_segments = 3\n")
    (project.root / "content" / "forms.md").write_text(
        "# National Groups\n\nEvery national group's page.\n\nOur NATIONAL GROUPS meet.\n\n"
        "Two national groups joined.\n",
        encoding="utf-8",
    )
    project.extract()
    assert cli(project, "translate", "-q")[0] == 0
    glossary = load_glossary(project.root / "glossary.yaml")
    term = next(t for t in glossary.terms if t.source == "national group")
    form = re.compile(r"national\s+group(?:s|'s|’s|s')?\b", re.IGNORECASE)
    holding = [r for r in chat.requests if r.texts and any(form.search(str(t)) for t in r.texts.values())]
    reached = [r for r in holding if f'"{term.source}" → "{term.target("nl")}"' in r.system]
    show(
        f"glossary: 'national group' reaches {len(reached)} of {len(holding)} batches with a form of it",
        capsys,
    )
    assert holding and len(reached) == len(holding)


def test_a_term_translated_as_itself_is_a_glossary_term_not_a_name() -> None:
    from i18n.mt.glossary import parse_glossary, terms_in
    from i18n.mt.prompt import Style, system_message

    glossary = parse_glossary("do_not_translate:\n  - PauseAI\nterms:\n  protest:\n    nl: protest\n")
    terms = terms_in(glossary, "PauseAI organises Protests and a national-protest day.", "nl")
    assert terms == (("PauseAI", "PauseAI"), ("protest", "protest"))
    system = system_message(Style("en", "nl"), terms, keep=glossary.keep)
    assert '"protest" → "protest"' in system and "Never translate these names" in system
    assert '"protest"' not in system.split("Never translate these names")[1]


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("Our National Groups meet.", "Onze Nationale Groepen komen samen."),
        ("Every national group's page.", "De pagina van elke nationale groep."),
        ("The national-group pages.", "De pagina's van de nationale groepen."),
        ("NATIONAL GROUPS", "NATIONALE GROEPEN"),
        ("A national group's plan", "Het plan van een nationale groeps"),
    ],
)
def test_inflected_forms_of_a_term_are_found_and_honoured(source: str, translation: str) -> None:
    from i18n.mt.glossary import check_terms, parse_glossary, terms_in

    glossary = parse_glossary("terms:\n  national group:\n    nl: nationale groep\n")
    assert terms_in(glossary, source, "nl") == (("national group", "nationale groep"),)
    assert check_terms(glossary, source, translation, "nl") == ()
    assert check_terms(glossary, source, "Onze landelijke afdelingen.", "nl") == ("national group",)
