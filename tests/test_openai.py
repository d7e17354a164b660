"""The chat-model engine through the real ``openai`` client against the local OpenAI-compatible server."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from i18n.catalog.model import State
from i18n.catalog.po import read_catalog
from i18n.mt.engine import Context, EngineError, FailureKind
from i18n.mt.openai import max_requests, openai_engine
from i18n.mt.openai_settings import OpenAIConfig
from i18n.mt.xmlmarkup import encode

from .openai_fake import FakeOpenAI
from .project import Project
from .support import cli

PAGE = """---
title: Roadmap for national groups
---

## Plans

Every national group gets a [small grant](/microgrants) for `#materials`.
We will organise a protest in *every* country.

- Hire an organiser.
- Run more protests with PauseAI.

![A protest in Paris](/img/paris.jpg)

Hire an organiser.
"""
OTHER = """# Other

Hire an organiser.

A second page with its own text.
"""
GLOSSARY = """do_not_translate:
  - PauseAI
terms:
  national group:
    nl: nationale groep
    de: nationale Gruppe
"""
SETTINGS = """
engine = "openai"

[tool.i18n.openai]
model = "test-model"
max_retries = 2
timeout = 5
prices = { input = 1.0, output = 2.0 }
{extra}
"""


@pytest.fixture
def chat() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def make_project(root: Path, chat: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, extra: str = "") -> Project:
    monkeypatch.setenv("OPENAI_API_KEY", chat.api_key)
    monkeypatch.setenv("OPENAI_BASE_URL", chat.url)
    project = Project(root, languages=("nl", "de"), extra=SETTINGS.replace("{extra}", extra))
    (root / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    project.page("roadmap.md", PAGE)
    project.page("other.md", OTHER)
    project.extract()
    return project


@pytest.fixture
def project(tmp_path: Path, chat: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> Project:
    return make_project(tmp_path, chat, monkeypatch)


def configure(project: Project, extra: str) -> None:
    """Add lines to ``[tool.i18n.openai]``."""
    path = project.root / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8") + extra + "\n", encoding="utf-8")


def active(project: Project, page: str = "roadmap.md", language: str = "nl") -> dict[str, object]:
    catalog = read_catalog(project.po_path(page, language), page, language)
    return {m.msgid: m for m in catalog.active}


def states(project: Project, language: str = "nl") -> list[State]:
    found = []
    for page in ("roadmap.md", "other.md"):
        found += [m.state for m in read_catalog(project.po_path(page, language), page, language).active]
    return found


# --- the engine on its own ---------------------------------------------------------------------------------


def engine_for(chat: FakeOpenAI, **settings: object) -> object:
    options: dict[str, object] = {"model": "test-model", "max_retries": 1, "timeout": 5.0, **settings}
    return openai_engine(OpenAIConfig(**options), api_key=chat.api_key, base_url=chat.url)  # type: ignore[arg-type]


def test_a_batch_is_one_request_with_json_schema_and_context(chat: FakeOpenAI) -> None:
    engine = engine_for(chat, temperature=0.2, max_output_tokens=500)
    contexts = [
        Context(page="Roadmap", section="Plans", after="Next."),
        Context(page="Roadmap", notes=("heading",)),
    ]
    answer = engine.translate(['Join <a i="1">us</a>', "Plans"], "en", "nl", contexts=contexts)  # type: ignore[attr-defined]
    assert [t.text for t in answer.texts] == ['JOIN <a i="1">US</a>', "PLANS"]
    (request,) = chat.requests
    assert request.model == "test-model" and request.temperature == 0.2 and request.max_tokens == 500
    assert request.response_format is not None and request.response_format["type"] == "json_schema"
    schema = request.response_format["json_schema"]["schema"]
    assert schema["required"] == ["1", "2"] and schema["additionalProperties"] is False
    assert request.payload == {
        "page": "Roadmap",
        "context": {"1": {"section": "Plans", "after": "Next."}, "2": {"notes": ["heading"]}},
        "texts": {"1": 'Join <a i="1">us</a>', "2": "Plans"},
    }
    assert "into Dutch (nl)" in request.system and '<x i="N"/>' in request.system
    assert (answer.prompt_tokens, answer.completion_tokens) == (
        request.prompt_tokens,
        request.completion_tokens,
    )
    assert answer.calls == 1 and answer.cost is None


@pytest.mark.parametrize(
    ("mode", "again"),
    [
        ("chatter", []),  # words before the JSON: read
        ("extra_id", []),  # an id not asked for: ignored
        ("not_object", []),  # a list in request order: read
        ("invalid_json", []),  # a trailing comma: read
        ("length_whole", []),  # complete although finish_reason says otherwise: every item checked
        ("filtered_whole", []),
        ("missing_id", [1]),  # only the missing text is asked again
        ("untranslated_text", [4]),  # nothing readable: all again
        ("length", None),  # cut off: the texts after the cut again
        ("content_filter", None),
    ],
)
def test_a_bad_answer_keeps_what_it_carries_and_asks_again_for_the_rest(
    chat: FakeOpenAI, mode: str, again: list[int] | None
) -> None:
    engine = engine_for(chat)
    texts = [f"Text number {n}." for n in range(1, 5)]
    chat.answer_next(mode)
    answer = engine.translate(texts, "en", "nl")  # type: ignore[attr-defined]
    assert [t.text for t in answer.texts] == [t.upper() for t in texts]  # nothing of the bad answer kept
    sizes = [len(r.texts or {}) for r in chat.requests]
    assert sizes[0] == 4
    if again is not None:
        assert sizes[1:] == again
    else:
        assert len(sizes) == 2 and 1 <= sizes[1] < 4
    assert answer.calls == len(sizes) <= max_requests(engine.settings, 4)
    assert answer.prompt_tokens == chat.prompt_tokens and answer.completion_tokens == chat.completion_tokens


def test_a_text_that_keeps_failing_is_rejected_with_the_reason(chat: FakeOpenAI) -> None:
    engine = engine_for(chat)
    chat.answer_next("length", times=5)
    answer = engine.translate(["One.", "Two."], "en", "nl")  # type: ignore[attr-defined]
    assert [len(r.texts or {}) for r in chat.requests] == [2, 1, 1]  # bounded: two more rounds
    first, second = answer.texts
    assert first is not None and first.text == "ONE." and first.rejected is None  # complete before the cut
    assert second is not None and second.rejected is not None
    assert "finish_reason 'length'" in second.rejected


def test_answers_cut_at_max_tokens_keep_their_complete_texts(chat: FakeOpenAI) -> None:
    engine = engine_for(chat, max_output_tokens=30)
    texts = [f"Sentence {n} is a little longer than the others before it." for n in range(6)]
    answer = engine.translate(texts, "en", "nl")  # type: ignore[attr-defined]
    assert any(r.completion_tokens == 30 for r in chat.requests)  # some were cut off ...
    for text, translated in zip(texts, answer.texts, strict=True):
        assert translated is not None
        assert translated.rejected is not None or translated.text == text.upper()  # ... never used
    assert sum(t is not None and t.rejected is None for t in answer.texts) >= 3
    assert len(chat.requests) <= max_requests(engine.settings, 6)


def test_refused_response_formats_fall_back_to_json_mode_then_the_prompt(chat: FakeOpenAI) -> None:
    chat.formats, chat.fence = (), True
    engine = engine_for(chat)
    answer = engine.translate(["Hello.", "World."], "en", "de")  # type: ignore[attr-defined]
    assert [t.text for t in answer.texts if t] == ["HELLO.", "WORLD."]
    kinds = [(r.response_format or {}).get("type") for r in chat.requests]
    assert kinds == ["json_schema", "json_object", None]
    engine.translate(["Again."], "en", "de")  # type: ignore[attr-defined]
    assert chat.requests[-1].response_format is None  # remembered


def test_429_with_retry_after_is_retried_by_the_client(chat: FakeOpenAI) -> None:
    engine = engine_for(chat, max_retries=2)
    chat.fail_next(429, retry_after="0.4")
    started = time.monotonic()
    answer = engine.translate(["Hello."], "en", "nl")  # type: ignore[attr-defined]
    assert time.monotonic() - started >= 0.4  # the server's retry-after was honoured
    assert [r.status for r in chat.requests] == [429, 200]
    assert answer.texts[0] is not None and answer.texts[0].text == "HELLO."


def test_500_is_retried_then_stops_the_batch(chat: FakeOpenAI) -> None:
    engine = engine_for(chat, max_retries=1)
    chat.fail_next(500)
    assert engine.translate(["Hello."], "en", "nl").texts[0].text == "HELLO."  # type: ignore[attr-defined]
    chat.fail_next(500, times=2)
    answer = engine.translate(["Hello."], "en", "nl")  # type: ignore[attr-defined]
    assert answer.texts == (None,) and answer.stopped is not None
    assert answer.stopped.kind is FailureKind.FAILED and "(500) after 1 retries" in str(answer.stopped)


@pytest.mark.parametrize(
    ("status", "code", "kind", "words"),
    [
        (401, None, FailureKind.AUTH, "rejected the API key (401)"),
        (403, None, FailureKind.AUTH, "rejected the API key (403)"),
        (402, None, FailureKind.QUOTA, "no credit left (402)"),
        (429, "insufficient_quota", FailureKind.QUOTA, "no credit left (429)"),
        (400, "context_length_exceeded", FailureKind.FAILED, "context length"),
    ],
)
def test_stopping_faults(
    chat: FakeOpenAI, status: int, code: str | None, kind: FailureKind, words: str
) -> None:
    engine = engine_for(chat, max_retries=0)
    chat.fail_next(status, code=code)
    answer = engine.translate(["Hello."], "en", "nl")  # type: ignore[attr-defined]
    assert answer.texts == (None,) and answer.stopped is not None
    assert answer.stopped.kind is kind and words in str(answer.stopped)
    assert chat.api_key not in str(answer.stopped)


def test_a_stop_part_way_returns_what_was_received(chat: FakeOpenAI) -> None:
    """A text missing from an answer, then a 402 when it is asked again: the texts already answered are
    kept (they were paid)."""
    engine = engine_for(chat, max_retries=0)
    chat.answer_next("missing_id")
    chat.fail_next(402)
    answer = engine.translate(["One.", "Two.", "Three.", "Four."], "en", "nl")  # type: ignore[attr-defined]
    assert answer.stopped is not None and answer.stopped.kind is FailureKind.QUOTA
    assert [t.text if t else None for t in answer.texts] == ["ONE.", "TWO.", "THREE.", None]
    assert answer.calls == 2 and answer.completion_tokens == chat.completion_tokens > 0


def test_timeouts_are_retried_then_stop(chat: FakeOpenAI) -> None:
    engine = engine_for(chat, max_retries=1, timeout=0.3)
    chat.slow(1.0)
    assert engine.translate(["Hello."], "en", "nl").texts[0].text == "HELLO."  # type: ignore[attr-defined]
    chat.slow(1.0, times=2)
    answer = engine.translate(["Hello."], "en", "nl")  # type: ignore[attr-defined]
    assert answer.stopped is not None and "timed out" in str(answer.stopped)


def test_the_key_is_never_in_an_error(chat: FakeOpenAI) -> None:
    wrong = "sk-wrong-key-that-must-not-show-42"
    engine = openai_engine(OpenAIConfig(model="m", max_retries=0), api_key=wrong, base_url=chat.url)
    answer = engine.translate(["Hello."], "en", "nl")
    assert answer.stopped is not None and answer.stopped.kind is FailureKind.AUTH
    assert wrong not in str(answer.stopped) and "***" in str(answer.stopped)


def test_missing_and_malformed_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(EngineError, match="OPENAI_API_KEY is not set"):
        openai_engine(OpenAIConfig(model="m"))
    with pytest.raises(EngineError, match="contains whitespace") as caught:
        openai_engine(OpenAIConfig(model="m"), api_key="sk-abc\ndef")
    assert "abc" not in str(caught.value)


# --- the pipeline ------------------------------------------------------------------------------------------


def test_translations_land_as_machine_with_the_request_recorded(project: Project, chat: FakeOpenAI) -> None:
    code, output = cli(project, "translate", "-q")
    assert code == 0, output
    assert set(states(project)) == {State.MACHINE} and set(states(project, "de")) == {State.MACHINE}
    message = active(project)[
        "Every national group gets a [small grant](/microgrants) for `#materials`.\n"
        "We will organise a protest in *every* country."
    ]
    assert message.msgstr == (  # type: ignore[attr-defined]
        "EVERY NATIONAL GROUP GETS A [SMALL GRANT](/microgrants) FOR `#materials`.\n"
        "WE WILL ORGANISE A PROTEST IN *EVERY* COUNTRY."
    )
    assert message.origin == "openai"  # type: ignore[attr-defined]
    assert re.fullmatch(r"[0-9a-f]{16} test-model", message.request)  # type: ignore[attr-defined]
    text = project.po_path("roadmap.md").read_text(encoding="utf-8")
    assert "# i18n: request " in text and "# i18n: origin openai" in text
    # the glossary missed "nationale groep": noted, as for DeepL
    assert message.glossary == ("national group",)  # type: ignore[attr-defined]
    code, output = cli(project, "check")
    assert code == 0, output


def test_the_prompt_carries_context_glossary_and_instructions(project: Project, chat: FakeOpenAI) -> None:
    configure(
        project,
        'instructions = "Write for volunteers."\n[tool.i18n.openai.languages.nl]\n'
        'instructions = "Use informal address (je)."',
    )
    code, output = cli(project, "translate", "-q", "--lang", "nl")
    assert code == 0, output
    first = next(r for r in chat.requests if r.texts and "Roadmap for national groups" in r.texts.values())
    assert "Glossary" in first.system and '"national group" → "nationale groep"' in first.system
    assert '"PauseAI"' in first.system  # do-not-translate terms named
    assert "Write for volunteers." in first.system and "Use informal address (je)." in first.system
    payload = first.payload or {}
    assert "page" not in payload  # the batch spans two pages: each text names its own
    contexts = payload["context"]
    by_text = {v: contexts.get(k, {}) for k, v in (first.texts or {}).items()}
    assert by_text["Plans"] == {"page": "Roadmap for national groups", "notes": ["heading (anchor: #plans)"]}
    assert by_text["Hire an organiser."]["section"] == "Other"  # on two pages: its first one's context
    assert by_text['Run more protests with <x i="1"/>.']["section"] == "Plans"
    assert by_text["A second page with its own text."] == {
        "page": "Other",
        "section": "Other",
        "notes": ["paragraph"],
    }
    assert by_text["Roadmap for national groups"]["notes"] == ["frontmatter"]
    # a neighbour in the same batch is not repeated as context; the glossary is not repeated per text
    assert not any("before" in c or "after" in c or "terms" in c for c in contexts.values())
    # German has no language instructions
    code, output = cli(project, "translate", "-q", "--lang", "de")
    german = next(r for r in chat.requests if "German" in r.system)
    assert "Use informal address" not in german.system and "Write for volunteers." in german.system


def test_neighbours_outside_the_batch_are_given_as_context(
    tmp_path: Path, chat: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path, chat, monkeypatch, "batch_max_segments = 1")
    code, output = cli(project, "translate", "-q", "--lang", "nl")
    assert code == 0, output
    request = next(r for r in chat.requests if r.texts and "Hire an organiser." in r.texts.values())
    payload = request.payload or {}
    assert payload["page"] == "Other"  # on other.md first: its context there
    assert payload["context"]["1"] == {
        "section": "Other",
        "before": "Other",
        "after": "A second page with its own text.",
        "notes": ["paragraph"],
    }


@pytest.mark.parametrize("mode", ["drop_tag", "invent_tag", "misnest"])
def test_a_broken_tag_rejects_that_segment_only(project: Project, chat: FakeOpenAI, mode: str) -> None:
    chat.answer_next(mode, times=3)  # the text is asked again alone, twice: broken every time
    code, output = cli(project, "translate", "-q", "--lang", "nl")
    assert code == 0, output
    found = states(project)
    assert found.count(State.REJECTED) == 1 and found.count(State.MACHINE) == len(found) - 1
    rejected = [
        (p, m)
        for p in ("roadmap.md", "other.md")
        for m in active(project, p).values()
        if m.state is State.REJECTED
    ]  # type: ignore[attr-defined]
    page, message = rejected[0]
    assert "markup: " in (message.rejected or "")  # type: ignore[attr-defined]
    cli(project, "build", "--lang", "nl")
    built = (project.root / "build" / "nl" / page).read_text(encoding="utf-8")
    english = re.escape(message.msgid)  # type: ignore[attr-defined]
    assert re.search(rf"^(?:# )?{english}$", built, re.MULTILINE)  # English instead


def test_a_preamble_is_rejected_as_chatter(project: Project, chat: FakeOpenAI) -> None:
    chat.answer_next("preamble", times=3)
    code, output = cli(project, "translate", "-q", "--lang", "nl")
    assert code == 0, output
    rejected = [
        m
        for p in ("roadmap.md", "other.md")
        for m in active(project, p).values()
        if m.state is State.REJECTED
    ]  # type: ignore[attr-defined]
    assert len(rejected) == 1 and "preamble" in (rejected[0].rejected or "")  # type: ignore[attr-defined]
    cli(project, "build", "--lang", "nl")
    for page in ("roadmap.md", "other.md"):
        assert "Here is the translation" not in (project.root / "build" / "nl" / page).read_text()


def test_a_truncated_answer_is_never_shipped(project: Project, chat: FakeOpenAI) -> None:
    chat.answer_next("length", times=40)  # every request cut off: only complete texts may be accepted
    cli(project, "translate", "-q", "--lang", "nl")  # (the breaker may stop it: cut off every time)
    messages = [m for p in ("roadmap.md", "other.md") for m in active(project, p).values()]
    assert any("finish_reason 'length'" in (m.rejected or "") for m in messages)  # type: ignore[attr-defined]
    for message in messages:
        if message.state is State.MACHINE:  # type: ignore[attr-defined]
            assert message.msgstr.upper() == message.msgid.upper()  # type: ignore[attr-defined]
    cli(project, "build", "--lang", "nl")


def test_an_auth_failure_stops_cleanly_and_the_key_is_written_nowhere(
    project: Project, chat: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-not-the-right-one-7777")
    code, output = cli(project, "translate", "-q")
    assert code == 1
    assert "rejected the API key (401)" in output and "OPENAI_API_KEY" in output
    assert "sk-not-the-right-one-7777" not in output and "not-the-right" not in output
    assert "left: nl: " in output and "de: " in output
    monkeypatch.setenv("OPENAI_API_KEY", chat.api_key)
    cli(project, "translate", "-q")
    for path in project.root.rglob("*"):
        if path.is_file():
            content = path.read_text(encoding="utf-8", errors="replace")
            assert chat.api_key not in content and "sk-not-the-right" not in content, path


def test_no_credit_stops_saves_what_arrived_and_the_rerun_pays_nothing_twice(
    tmp_path: Path, chat: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path, chat, monkeypatch, "batch_max_segments = 3")
    configure(project, "")
    path = project.root / "pyproject.toml"
    path.write_text(path.read_text().replace('engine = "openai"', 'engine = "openai"\nconcurrency = 1'))
    chat.requests.clear()
    # the first two requests succeed, then the credit is gone
    original = chat._handle

    def handle(handler: object) -> None:
        if len(chat.requests) >= 2:
            chat.fail_next(402)
        original(handler)  # type: ignore[arg-type]

    chat._handle = handle  # type: ignore[method-assign]
    code, output = cli(project, "translate", "-q", "--lang", "nl")
    assert code == 1 and "no credit left (402)" in output and "left: nl: " in output
    saved = [s for s in states(project) if s is State.MACHINE]
    assert len(saved) >= 3  # what arrived is in the catalogs
    first_texts = [t for r in chat.answered for t in (r.texts or {}).values()]
    chat._handle = original  # type: ignore[method-assign]
    code, output = cli(project, "translate", "-q", "--lang", "nl")
    assert code == 0, output
    later_texts = [t for r in chat.answered for t in (r.texts or {}).values()][len(first_texts) :]
    assert not set(first_texts) & set(later_texts)  # nothing paid twice
    assert set(states(project)) == {State.MACHINE}
    lines = [json.loads(x) for x in (project.root / "locales" / ".billing.jsonl").read_text().splitlines()]
    assert sum(x["languages"]["nl"]["completion_tokens"] for x in lines) == chat.completion_tokens


def test_a_context_length_refusal_stops_the_run(project: Project, chat: FakeOpenAI) -> None:
    chat.context_window = 600
    code, output = cli(project, "translate", "-q", "--lang", "nl")
    assert code == 1
    assert "context length" in output and "batch_max_segments" in output and "left: nl: " in output


def test_server_errors_beyond_retries_stop_with_what_is_left(project: Project, chat: FakeOpenAI) -> None:
    chat.fail_next(503, times=30)
    code, output = cli(project, "translate", "-q")
    assert code == 1
    assert "(503) after 2 retries" in output and "left: nl: " in output


def test_billing_records_tokens_and_cost(project: Project, chat: FakeOpenAI) -> None:
    code, output = cli(project, "translate", "-q")
    assert code == 0, output
    (line,) = (project.root / "locales" / ".billing.jsonl").read_text().splitlines()
    record = json.loads(line)
    assert record["engine"] == "openai" and record["model"] == "test-model"
    prompt = sum(r.prompt_tokens for r in chat.answered if "Dutch" in r.system)
    completion = sum(r.completion_tokens for r in chat.answered if "Dutch" in r.system)
    nl = record["languages"]["nl"]
    assert (nl["prompt_tokens"], nl["completion_tokens"]) == (prompt, completion)
    assert nl["cost"] == pytest.approx((prompt * 1.0 + completion * 2.0) / 1e6, abs=1e-6)
    assert f"{prompt} prompt + {completion} completion tokens" in output or "tokens" in output


def test_a_second_run_sends_no_request(project: Project, chat: FakeOpenAI) -> None:
    cli(project, "translate", "-q")
    sent = len(chat.requests)
    for args in (("translate", "-q"), ("translate", "-q", "--retranslate-machine"), ("run", "-q")):
        code, output = cli(project, *args)
        assert code == 0, output
        assert len(chat.requests) == sent, args


def machine_requests(project: Project, language: str = "nl") -> dict[str, str | None]:
    return {
        m.msgid: m.request  # type: ignore[attr-defined]
        for page in ("roadmap.md", "other.md")
        for m in active(project, page, language).values()
    }


def test_a_changed_model_makes_every_machine_entry_eligible_and_reviewed_ones_stay(
    project: Project, chat: FakeOpenAI
) -> None:
    cli(project, "translate", "-q")
    project.translate("roadmap.md", {"Plans": "Onze plannen"})  # a translator reviews one entry
    path = project.root / "pyproject.toml"
    path.write_text(path.read_text().replace('model = "test-model"', 'model = "other-model"'))
    chat.requests.clear()
    code, output = cli(project, "translate", "-q")  # without the flag: nothing is re-sent
    assert code == 0 and chat.requests == []
    code, output = cli(project, "translate", "-q", "--retranslate-machine")
    assert code == 0, output
    sent = [t for r in chat.requests for t in (r.texts or {}).values()]
    unique = set(machine_requests(project)) | set(machine_requests(project, "de"))
    assert "Plans" not in [t for r in chat.requests if "Dutch" in r.system for t in (r.texts or {}).values()]
    assert len(sent) == len(unique) * 2 - 1  # every text in both languages, but the reviewed Dutch one
    assert active(project)["Plans"].msgstr == "Onze plannen"  # type: ignore[attr-defined]
    assert all(r is None or r.endswith(" other-model") for r in machine_requests(project).values())


def test_changed_language_instructions_affect_that_language_only(project: Project, chat: FakeOpenAI) -> None:
    cli(project, "translate", "-q")
    configure(project, '[tool.i18n.openai.languages.de]\ninstructions = "Duzen."')
    chat.requests.clear()
    code, output = cli(project, "translate", "-q", "--retranslate-machine")
    assert code == 0, output
    assert chat.requests and all("German" in r.system for r in chat.requests)


def test_a_changed_glossary_term_affects_the_texts_that_contain_it(
    project: Project, chat: FakeOpenAI
) -> None:
    cli(project, "translate", "-q", "--lang", "nl")
    (project.root / "glossary.yaml").write_text(GLOSSARY.replace("nationale groep", "landelijke groep"))
    chat.requests.clear()
    code, output = cli(project, "translate", "-q", "--lang", "nl", "--retranslate-machine")
    assert code == 0, output
    sent = sorted(t for r in chat.requests for t in (r.texts or {}).values())
    expected = [m for m in active(project) if "national group" in m]
    assert sent == sorted(encode(m, keep=("PauseAI",)).xml for m in expected) and len(expected) == 2


def test_the_review_pass_keeps_the_better_passing_answer(project: Project, chat: FakeOpenAI) -> None:
    configure(project, "review = true")

    def review(source: str, draft: str, target: str) -> str:
        if "ORGANISER" in draft:
            return draft.replace("ORGANISER", "ORGANIZER")  # an improvement
        if "<a " in draft:
            return re.sub(r"<a i=\"\d+\">|</a>", "", draft)  # breaks the link: must not be kept
        return draft

    chat.review = review
    code, output = cli(project, "translate", "-q", "--lang", "nl")
    assert code == 0, output
    assert any(r.review for r in chat.requests) and any(not r.review for r in chat.requests)
    messages = active(project)
    hire = messages["Hire an organiser."]
    assert hire.msgstr == "HIRE AN ORGANIZER." and hire.suggestions == ("HIRE AN ORGANISER.",)  # type: ignore[attr-defined]
    grant = next(m for k, m in messages.items() if k.startswith("Every national group"))
    assert "[SMALL GRANT](/microgrants)" in grant.msgstr  # type: ignore[attr-defined]
    assert grant.state is State.MACHINE and grant.suggestions  # type: ignore[attr-defined]
    assert "/microgrants" not in grant.suggestions[0]  # type: ignore[attr-defined]  # the review's, kept aside


def test_dry_run_estimate_and_max_cost(
    tmp_path: Path, chat: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path, chat, monkeypatch, "batch_max_segments = 2")
    code, output = cli(project, "translate", "--dry-run")
    assert code == 0 and chat.requests == []
    total = output.strip().splitlines()[-1]
    numbers = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", total.split("(")[0])]
    prompt, completion, cost, _requests = numbers
    assert cost == pytest.approx((prompt + 2 * completion) / 1e6, abs=1e-4)
    code, output = cli(project, "translate", "-q", "--max-cost", f"{cost / 3:.6f}")
    assert code == 1 and "cost budget reached" in output
    record = json.loads((project.root / "locales" / ".billing.jsonl").read_text().splitlines()[-1])
    spent = sum(row.get("cost", 0) for row in record["languages"].values())
    assert 0 < spent <= cost / 3 * 1.15  # stopped before the budget would be exceeded (estimates)


def test_max_cost_needs_prices_and_the_openai_engine(project: Project) -> None:
    code, output = cli(project, "translate", "--engine", "pseudo", "--max-cost", "1")
    assert code == 1 and "--max-cost needs the openai engine" in output
    path = project.root / "pyproject.toml"
    path.write_text(path.read_text().replace("prices = { input = 1.0, output = 2.0 }", ""))
    code, output = cli(project, "translate", "--max-cost", "1")
    assert code == 1 and "prices" in output


def test_run_translates_with_the_configured_chat_engine(project: Project, chat: FakeOpenAI) -> None:
    code, output = cli(project, "run", "-q")
    assert code == 0, output
    assert chat.requests and "tokens" in output
    assert (project.root / "build" / "nl" / "roadmap.md").read_text().startswith("---\ntitle: ROADMAP")


def test_run_without_the_key_skips_translation(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    code, output = cli(project, "run", "-q")
    assert code == 0 and "skipped (no OPENAI_API_KEY and no --engine)" in output


def test_no_op_run_does_not_import_the_openai_client(project: Project) -> None:
    cli(project, "translate", "-q")
    code = (
        "import sys\nfrom i18n.cli import main\n"
        "try:\n    main(['--project', sys.argv[1], 'run', '-q'])\n"
        "except SystemExit as e:\n    assert not e.code\n"
        "heavy = ('openai', 'tiktoken', 'tiktoken_ext')\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in heavy)\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code, str(project.root)], check=True, timeout=120)


# --- compare ---------------------------------------------------------------------------------------


def test_compare_writes_two_models_side_by_side_without_touching_catalogs(
    project: Project, chat: FakeOpenAI
) -> None:
    def careless(xml: str, target: str) -> str:  # model "b" drops every link
        return re.sub(r'<a i="\d+">|</a>', "", xml).lower()

    chat.models["model-b"] = careless
    catalogs = {p: p.read_bytes() for p in (project.root / "locales").rglob("*.po")}
    page = str(project.root / "content" / "roadmap.md")
    code, output = cli(project, "compare", page, "--model", "model-a", "--model", "model-b")
    assert code == 0, output
    assert {p: p.read_bytes() for p in (project.root / "locales").rglob("*.po")} == catalogs
    assert {r.model for r in chat.requests} == {"model-a", "model-b"}
    assert all("Dutch" in r.system for r in chat.requests)
    folder = project.root / "build" / "compare"
    table = (folder / "roadmap.nl.html").read_text(encoding="utf-8")
    assert "<th>model-a</th><th>model-b</th>" in table
    assert "EVERY NATIONAL GROUP GETS A [SMALL GRANT](/microgrants)" in table  # model a
    assert 'class="rejected"' in table and "markup: placeholder" in table  # model b's dropped link
    page_a = (folder / "roadmap.nl.model-a.md").read_text(encoding="utf-8")
    page_b = (folder / "roadmap.nl.model-b.md").read_text(encoding="utf-8")
    assert "[SMALL GRANT](/microgrants)" in page_a and "HIRE AN ORGANISER." in page_a
    assert "[small grant](/microgrants)" in page_b  # English where model b broke the link
    assert "hire an organiser." in page_b
    assert "model-a: " in output and "model-b: " in output and "wrote build/compare/roadmap.nl.html" in output
    lines = [json.loads(x) for x in (project.root / "locales" / ".billing.jsonl").read_text().splitlines()]
    assert [(x["command"], x["model"]) for x in lines] == [("compare", "model-a"), ("compare", "model-b")]
    assert sum(x["languages"]["nl"]["completion_tokens"] for x in lines) == chat.completion_tokens


def test_compare_needs_two_models_and_an_openai_table(project: Project) -> None:
    code, output = cli(project, "compare", "content/roadmap.md", "--model", "a")
    assert code == 1 and "at least two different models" in output
    code, output = cli(project, "compare", "content/roadmap.md", "--model", "a", "--model", "a")
    assert code == 1 and "at least two different models" in output
    code, output = cli(project, "compare", "content/missing.md", "--model", "a", "--model", "b")
    assert code == 1 and "missing.md" in output and "Traceback" not in output


def test_a_stopping_run_makes_no_more_calls_for_a_batch(chat: FakeOpenAI) -> None:
    """An interrupt or a stop elsewhere (the executor halts): the engine asks nothing more, so what it
    has not sent is left for the next run instead of being paid for after the stop."""
    engine = engine_for(chat)
    chat.answer_next("untranslated_text")  # the batch would be asked again ...
    calls = iter([False, True])  # ... but the run stops after the first request
    answer = engine.translate(["One.", "Two."], "en", "nl", stopping=lambda: next(calls, True))  # type: ignore[attr-defined]
    assert len(chat.requests) == 1 and answer.texts == (None, None) and answer.calls == 1


def test_a_message_context_reaches_the_prompt_as_a_note(chat: FakeOpenAI) -> None:
    engine = engine_for(chat)
    engine.translate(["Act"], "en", "nl", context="header__instructions: one word")  # type: ignore[attr-defined]
    assert (chat.requests[0].payload or {})["note"] == "header__instructions: one word"
