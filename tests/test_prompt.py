"""Prompts and answers of the chat engine (pure): the JSON answer accepted exactly, request keys that
change with exactly what the answer depends on, batching by estimated answer tokens."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from i18n.mt.engine import Context, Prices
from i18n.mt.execute import Request
from i18n.mt.glossary import parse_glossary
from i18n.mt.openai import estimate, planning
from i18n.mt.openai_settings import OpenAIConfig
from i18n.mt.prompt import (
    AnswerError,
    Style,
    parse_answer,
    read_answer,
    request_key,
    system_message,
    user_message,
)
from i18n.mt.tokens import CHARACTERS_PER_TOKEN, ratio_count, token_counter

GLOSSARY = parse_glossary(
    "do_not_translate:\n  - PauseAI\nterms:\n  national group:\n    nl: nationale groep\n"
)


@pytest.mark.parametrize(
    "content",
    [
        '{"1": "a", "2": "b"}',
        '```json\n{"1": "a", "2": "b"}\n```',
        '  {"2": "b", "1": "a"}\n',
        'Sure! Here are the translations:\n{"1": "a", "2": "b"}\nHope this helps.',
        'Here you go:\n```\n{"1": "a", "2": "b"}\n```\nAnything else?',
        # the request's own shape
        '{"page": "P", "context": {"1": {"before": "x"}}, "texts": {"1": "a", "2": "b"}}',
        '{"translations": {"1": "a", "2": "b"}}',
        '["a", "b"]',  # a list in request order
        '{"translations": [{"id": 2, "translation": "b"}, {"id": "1", "translation": "a"}]}',
        '{"01": "a", "id2": "b"}',
        '{"1": "a", "2": "b",}',  # a trailing comma
        "{'1': 'a', '2': 'b'}",  # single quotes
        '{"1": {"translation": "a"}, "2": {"translation": "b"}}',
        '{"1": "a", "2": "b", "3": "extra"}',  # an id not asked for is ignored
        '<think>The user wants {"1": "x"}. Let me translate.</think>\n{"1": "a", "2": "b"}',
        'Draft: {"1": "x", "2": "y"}\nFinal: {"1": "a", "2": "b"}',  # the last object
        '{"1": "a"}\n{"2": "b"}',  # one object a line
        'Kept {placeholders} [as asked]:\n{"1": "a", "2": "b"}',
    ],
)
def test_answers_read_in_every_unambiguous_shape(content: str) -> None:
    assert read_answer(content, 2) == ["a", "b"]
    assert parse_answer(content, 2) == ["a", "b"]


def test_an_answer_keyed_by_the_source_texts_is_read() -> None:
    assert read_answer('{"Read more": "Lees meer", "Join us": "Doe mee"}', 2, ["Join us", "Read more"]) == [
        "Doe mee",
        "Lees meer",
    ]
    with pytest.raises(AnswerError):  # without the texts, those keys are no ids
        read_answer('{"Read more": "Lees meer", "Join us": "Doe mee"}', 2)


@pytest.mark.parametrize(
    ("content", "found"),
    [
        ('{"1": "a"}', ["a", None]),
        ('{"1": "a", "2": 3}', ["a", None]),
        ('{"1": "a", "2": "b', ["a", None]),  # cut off: the complete items
        ('{"texts": {"1": "a", "2": "b"}, "x": {"1": "c"}, "1": "d"}', ["d", None]),  # the ids at the top win
    ],
)
def test_ids_an_answer_does_not_give_are_none(content: str, found: list[str | None]) -> None:
    assert read_answer(content, 2) == found
    with pytest.raises(AnswerError, match="missing ids 2"):
        parse_answer(content, 2)


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("", "empty answer"),
        (None, "empty answer"),
        ('["a"]', "no requested id"),  # a list of another length: which is which?
        ('{"page": "P", "context": {"1": {"before": "x"}, "2": {"before": "y"}}}', "no requested id"),
        ('{"1": {"before": "x"}, "2": {"after": "y"}}', "no requested id"),
        ('["a", "b", "c"]', "no requested id"),
        ('{"x": "a", "y": "b"}', "no requested id"),
        ("I'm sorry, but I can't help with that.", "not JSON"),
    ],
)
def test_answers_without_any_id_refused(content: str | None, why: str) -> None:
    with pytest.raises(AnswerError, match=why):
        read_answer(content, 2)


@given(st.lists(st.text(), min_size=1, max_size=5))
def test_an_answer_of_the_asked_ids_reads_back(values: list[str]) -> None:
    content = json.dumps({str(i): v for i, v in enumerate(values, start=1)}, ensure_ascii=False)
    assert parse_answer(content, len(values)) == values


STYLE = Style("en", "nl", "Plain.", "Informal.")


def test_request_keys_change_with_what_the_answer_depends_on() -> None:
    terms = (("national group", "nationale groep"),)
    base = request_key("m", STYLE, "Join a national group.", terms, review=False)
    assert base == request_key("m", STYLE, "Join  a\nnational group.", terms, review=False)  # whitespace
    changed = [
        request_key("other", STYLE, "Join a national group.", terms, review=False),
        request_key(
            "m", Style("en", "de", "Plain.", "Informal."), "Join a national group.", terms, review=False
        ),
        request_key(
            "m", Style("en", "nl", "Formal.", "Informal."), "Join a national group.", terms, review=False
        ),
        request_key("m", Style("en", "nl", "Plain.", ""), "Join a national group.", terms, review=False),
        request_key(
            "m", STYLE, "Join a national group.", (("national group", "landelijke groep"),), review=False
        ),
        request_key("m", STYLE, "Join a national group.", terms, review=True),
        request_key("m", STYLE, "Join a national group!", terms, review=False),
    ]
    assert base not in changed and len(set(changed)) == len(changed)


def test_system_message_states_terms_names_and_style() -> None:
    text = system_message(STYLE, [("national group", "nationale groep"), ("PauseAI", "PauseAI")])
    assert '"national group" → "nationale groep"' in text and "Never translate these names" in text
    assert '"PauseAI"' in text and "Plain.\nInformal." in text and "into Dutch (nl)" in text
    bare = system_message(Style("en", "de"), [])
    assert "Glossary" not in bare and "Never translate" not in bare and "Style" not in bare


def test_user_message_shares_the_page_and_omits_empty_context() -> None:
    message = json.loads(user_message(["A", "B"], [Context(page="P"), Context(page="P", section="S")]))
    assert message == {"page": "P", "context": {"2": {"section": "S"}}, "texts": {"1": "A", "2": "B"}}
    assert json.loads(user_message(["A"])) == {"texts": {"1": "A"}}


def test_batches_fit_the_answer_budget_and_the_segment_limit() -> None:
    settings = OpenAIConfig(model="m", batch_max_segments=3, max_output_tokens=100)
    spec = planning(settings, "en", GLOSSARY)
    assert spec.max_texts == 3 and spec.max_size == 60
    assert spec.size(["word " * 40], "en", "nl") > spec.size(["word " * 20], "en", "nl")


def test_estimate_counts_the_prompt_as_sent_and_the_cost() -> None:
    settings = OpenAIConfig(model="m", prices=Prices(1.0, 2.0))
    counter = token_counter("m", use_tiktoken=False)
    request = Request("nl", ("Join a national group.",), ("x",), contexts=(Context(page="P"),))
    first = estimate(settings, counter, GLOSSARY, "en", request)
    assert first.prompt_tokens > first.completion_tokens > 0
    assert first.cost == pytest.approx((first.prompt_tokens + 2 * first.completion_tokens) / 1e6)
    reviewed = estimate(OpenAIConfig(model="m", review=True), counter, GLOSSARY, "en", request)
    assert reviewed.completion_tokens == 2 * first.completion_tokens and reviewed.cost is None
    assert reviewed.prompt_tokens > 2 * first.prompt_tokens


def test_the_ratio_counts_characters() -> None:
    assert ratio_count("x" * 36) == round(36 / CHARACTERS_PER_TOKEN) and ratio_count("") == 0
    assert token_counter("m", use_tiktoken=False).method.startswith("ratio")
