"""Prompts for chat models, and reading their answers: pure, shared by the engine and the dry run.

A batch goes out as two messages: a system message with the rules of the XML markup (the same
:mod:`i18n.mt.xmlmarkup` elements DeepL gets: the model must keep every element exactly once), the site's and
the language's instructions and the glossary terms that occur in the batch; and a user message, a JSON
object with the texts by id and what a translator would see around each (page title, section heading,
neighbouring segments, the catalog's ``#.`` notes). The model answers with one JSON object
``{id: translation}``; :func:`parse_answer` accepts exactly the ids asked for, each once, as strings, and
nothing else (an answer in a ```` ```json ```` fence is read from inside the fence).

The review pass sends the same system rules with a reviewer's task and each text's draft translation.

:func:`request_key` is the hash a machine translation records (``# i18n: request``): what the answer
depends on (prompt version, model, language, instructions, the glossary terms that occur in the text, the
review setting and the text), so changing one of them makes exactly the affected entries eligible for
re-translation.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..catalog.languages import language_name
from ..segments import normalise
from .engine import Context

PROMPT_VERSION = 1  # change whenever a prompt's wording changes: every recorded request key changes

_RULES = """\
Each text is inline XML. Keep every element exactly once, with its i attribute unchanged:
- <a i="N">…</a> (a link), <img i="N">…</img> (an image's description), <em>, <strong>, <s> and <span> \
wrap words: translate the words inside them;
- <x i="N"/> (code, a name or a symbol) and <br i="N"/> (a line break) stand for text that is not \
translated: copy them as they are.
Move elements where the sentence needs them; never add, drop, merge or rename one. Keep &amp;, &lt; and \
&gt; escaped.
Translate the words only: no explanations, notes, quotes or introductions such as "Here is the \
translation"."""

_TASK = """\
You are a professional translator of website content from {source} into {target} ({code}). The \
"context" of each text (page title, section, the text before and after it, notes) and a "note" about \
all of them are there to help you; translate only the "texts"."""

_REVIEW_TASK = """\
You are a professional reviewer of translations of website content from {source} into {target} \
({code}). Each text comes with a draft translation: correct its errors, make it read naturally and \
follow the glossary, or keep the draft when it is right. The "context" is there to help you."""

_ANSWER = """\
Answer with one JSON object that maps every id of "texts" to its translation (a string) and nothing \
else: {"1": "…", "2": "…"}."""


@dataclass(frozen=True)
class Style:
    """What shapes every prompt into one language: site-wide and per-language instructions."""

    source: str
    target: str
    instructions: str = ""
    language_instructions: str = ""


def system_message(style: Style, terms: Sequence[tuple[str, str]], *, review: bool = False) -> str:
    """The system message for a batch into ``style.target`` with the glossary ``terms`` it contains
    (term, target; a do-not-translate term maps to itself)."""
    names = {"source": language_name(style.source), "target": language_name(style.target)}
    task = (_REVIEW_TASK if review else _TASK).format(code=style.target, **names)
    parts = [task, _RULES]
    kept = [source for source, target in terms if source == target]
    translated = [(source, target) for source, target in terms if source != target]
    if translated:
        lines = "\n".join(f'- "{source}" → "{target}"' for source, target in translated)
        parts.append(f"Glossary: translate these terms so (inflect them as the sentence needs):\n{lines}")
    if kept:
        names_list = ", ".join(f'"{term}"' for term in kept)
        parts.append(f"Never translate these names (in the texts they are <x/> elements): {names_list}.")
    style_lines = [text.strip() for text in (style.instructions, style.language_instructions) if text.strip()]
    if style_lines:
        parts.append("Style:\n" + "\n".join(style_lines))
    parts.append(_ANSWER)
    return "\n\n".join(parts)


def _ids(count: int) -> list[str]:
    return [str(n) for n in range(1, count + 1)]


def _context_object(contexts: Sequence[Context], ids: Sequence[str]) -> dict[str, object]:
    """The ``page`` (when every text shares it) and each text's ``context``."""
    pages = {context.page for context in contexts}
    shared_page = pages.pop() if len(pages) == 1 else None
    result: dict[str, object] = {}
    if shared_page:
        result["page"] = shared_page
    per_text: dict[str, dict[str, object]] = {}
    for text_id, context in zip(ids, contexts, strict=True):
        entry: dict[str, object] = {}
        if context.page and not shared_page:
            entry["page"] = context.page
        for name in ("section", "before", "after"):
            value = getattr(context, name)
            if value:
                entry[name] = value
        if context.notes:
            entry["notes"] = list(context.notes)
        if entry:
            per_text[text_id] = entry
    if per_text:
        result["context"] = per_text
    return result


def user_message(texts: Sequence[str], contexts: Sequence[Context] = (), note: str = "") -> str:
    """The user message: the texts by id (1, 2, …), their contexts and a note about them all (a UI
    message's instructions), as one JSON object."""
    ids = _ids(len(texts))
    body: dict[str, object] = {"note": note} if note else {}
    body.update(_context_object(contexts, ids) if contexts else {})
    body["texts"] = dict(zip(ids, texts, strict=True))
    return json.dumps(body, ensure_ascii=False)


def review_message(
    texts: Sequence[str], drafts: Sequence[str], contexts: Sequence[Context] = (), note: str = ""
) -> str:
    """The user message of the review pass: each text with its draft translation."""
    ids = _ids(len(texts))
    body: dict[str, object] = {"note": note} if note else {}
    body.update(_context_object(contexts, ids) if contexts else {})
    body["texts"] = {i: {"source": t, "draft": d} for i, t, d in zip(ids, texts, drafts, strict=True)}
    return json.dumps(body, ensure_ascii=False)


def response_schema(count: int) -> dict[str, object]:
    """A ``json_schema`` response format: an object with exactly the ids 1…count, each a string."""
    ids = _ids(count)
    return {
        "type": "json_schema",
        "json_schema": {
            "name": "translations",
            "strict": True,
            "schema": {
                "type": "object",
                "properties": {i: {"type": "string"} for i in ids},
                "required": ids,
                "additionalProperties": False,
            },
        },
    }


class AnswerError(ValueError):
    """A model's answer is not the JSON object asked for."""


_FENCE = re.compile(r"\A```(?:json)?[ \t]*\n(.*)\n```\Z", re.DOTALL)


def parse_answer(content: str | None, count: int) -> list[str]:
    """The translations in a model's answer for ids 1…count, in order; :class:`AnswerError` unless the
    answer is exactly one JSON object with each id once, every value a string."""
    text = (content or "").strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1).strip()
    if not text:
        raise AnswerError("empty answer")
    objects: list[list[tuple[str, object]]] = []  # each object's pairs, the outermost one last

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        objects.append(items)
        return dict(items)

    try:
        loaded = json.loads(text, object_pairs_hook=pairs)
    except ValueError as error:
        raise AnswerError(f"not JSON ({str(error).split(':')[0]})") from None
    if not isinstance(loaded, dict):
        raise AnswerError(f"expected a JSON object, got {type(loaded).__name__}")
    keys = [key for key, _ in objects[-1]]
    if len(keys) != len(set(keys)):
        raise AnswerError("an id occurs twice")
    wanted = _ids(count)
    missing = [i for i in wanted if i not in loaded]
    extra = [k for k in keys if k not in wanted]
    if missing or extra:
        parts = [f"missing ids {', '.join(missing)}"] if missing else []
        parts += [f"unknown ids {', '.join(extra)}"] if extra else []
        raise AnswerError("; ".join(parts))
    values = [loaded[i] for i in wanted]
    bad = [i for i, value in zip(wanted, values, strict=True) if not isinstance(value, str)]
    if bad:
        raise AnswerError(f"ids {', '.join(bad)} are not strings")
    return [str(value) for value in values]


def request_key(
    model: str,
    style: Style,
    text: str,
    terms: Iterable[tuple[str, str]],
    *,
    review: bool,
) -> str:
    """16 hex digits identifying what a translation of ``text`` was asked with (whitespace in the text
    aside, as source hashes are)."""
    data = [
        PROMPT_VERSION,
        model,
        style.source,
        style.target,
        style.instructions.strip(),
        style.language_instructions.strip(),
        sorted(terms),
        review,
        normalise(text),
    ]
    encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.blake2b(encoded, digest_size=8).hexdigest()


def messages_for(
    style: Style,
    terms: Sequence[tuple[str, str]],
    texts: Sequence[str],
    contexts: Sequence[Context] = (),
    drafts: Sequence[str] | None = None,
    note: str = "",
) -> list[dict[str, str]]:
    """The chat messages of a batch (a review when ``drafts`` are given)."""
    review = drafts is not None
    if drafts is not None:
        user = review_message(texts, drafts, contexts, note)
    else:
        user = user_message(texts, contexts, note)
    return [
        {"role": "system", "content": system_message(style, terms, review=review)},
        {"role": "user", "content": user},
    ]


def answer_text(translations: Sequence[str]) -> str:
    """The answer a model gives for ``translations`` (what a completion is estimated from)."""
    return json.dumps(dict(zip(_ids(len(translations)), translations, strict=True)), ensure_ascii=False)


def merged_terms(found: Iterable[Iterable[tuple[str, str]]]) -> list[tuple[str, str]]:
    """The terms of several texts once each, in first-seen order."""
    seen: dict[tuple[str, str], None] = {}
    for pairs in found:
        for pair in pairs:
            seen.setdefault(pair, None)
    return list(seen)


def style_for(config_instructions: str, per_language: Mapping[str, str], source: str, target: str) -> Style:
    return Style(source, target, config_instructions, per_language.get(target, ""))
