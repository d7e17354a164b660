"""Prompts for chat models, and reading their answers: pure, shared by the engine and the dry run.

A batch goes out as two messages: a system message with the rules of the XML markup (the same
:mod:`i18n.mt.xmlmarkup` elements DeepL gets: the model must keep every element exactly once), the site's and
the language's instructions and the glossary terms that occur in the batch; and a user message, a JSON
object with the texts by id and what a translator would see around each (page title, section heading,
neighbouring segments, the catalog's ``#.`` notes). The model is asked for one JSON object
``{id: translation}``; :func:`read_answer` reads every shape real models answer in that carries the ids
unambiguously (wrapped, a list, fenced, with words around it, lenient JSON, cut off) and says which ids
it could not read.

The review pass sends the same system rules with a reviewer's task and each text's draft translation.

:func:`request_key` is the hash a machine translation records (``# i18n: request``): what the answer
depends on (prompt version, model, language, instructions, the glossary terms that occur in the text, the
review setting and the text), so changing one of them makes exactly the affected entries eligible for
re-translation.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from collections.abc import Collection, Iterable, Sequence
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


def system_message(
    style: Style,
    terms: Sequence[tuple[str, str]],
    *,
    review: bool = False,
    keep: Collection[str] | None = None,
) -> str:
    """The system message for a batch into ``style.target`` with the glossary ``terms`` it contains
    (term, target; a do-not-translate term maps to itself). ``keep``: the do-not-translate terms (None:
    every term mapping to itself); a term whose target is itself but that is not one of them (``protest``
    → ``protest``) is a glossary term, inflected as the sentence needs, not a name."""
    names = {"source": language_name(style.source), "target": language_name(style.target)}
    task = (_REVIEW_TASK if review else _TASK).format(code=style.target, **names)
    parts = [task, _RULES]

    def is_name(source: str, target: str) -> bool:
        return source == target and (keep is None or source in keep)

    kept = [source for source, target in terms if is_name(source, target)]
    translated = [(source, target) for source, target in terms if not is_name(source, target)]
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


_THINKING = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"```[\w-]*[ \t]*\n(.*?)\n[ \t]*```", re.DOTALL)
_REQUEST_ONLY = frozenset({"context", "page", "note", "notes", "source", "sources", "glossary"})
_WRAPPERS = ("texts", "translations", "translation", "result", "results", "data", "output", "answer")
_PAIR = re.compile(r'"(\d+)"\s*:\s*"((?:[^"\\]|\\.)*)"\s*(?=[,}\n])')
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


def _loads(text: str) -> object:
    """``text`` as JSON, or as a lenient parser reads it (trailing commas, single quotes); ValueError."""
    try:
        return json.loads(text)
    except ValueError as error:
        first = error
    relaxed = _TRAILING_COMMA.sub(r"\1", text)
    try:
        return json.loads(relaxed)
    except ValueError:
        pass
    try:  # single quotes, True/None: a Python literal of strings and containers only
        value = ast.literal_eval(relaxed)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        raise first from None
    if isinstance(value, (dict, list)):
        return value
    raise first


def _balanced(text: str) -> list[str]:
    """The top-level ``{…}`` and ``[…]`` of ``text`` (brackets inside JSON strings aside), last first."""
    found: list[str] = []
    depth, start, quote, escaped = 0, -1, "", False
    for position, char in enumerate(text):
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char == '"' and depth:
            quote = char
        elif char in "{[":
            if depth == 0:
                start = position
            depth += 1
        elif char in "}]" and depth:
            depth -= 1
            if depth == 0:
                found.append(text[start : position + 1])
    return found[::-1]


def _candidates(text: str) -> list[str]:
    """Where the JSON of an answer may be: a fenced block, the whole text, each top-level {…} or […]
    (the last first: a model's final answer after a draft), the outermost {…} or […]."""
    found = [m.group(1) for m in _FENCE.finditer(text)]
    found.append(text)
    found += _balanced(text)
    for opening, closing in ("{}", "[]"):
        start, end = text.find(opening), text.rfind(closing)
        if 0 <= start < end:
            found.append(text[start : end + 1])
    return list(dict.fromkeys(candidate.strip() for candidate in found if candidate.strip()))


def _id_of(key: object) -> str | None:
    """An answer's key as an id: "1", 1, " 01 ", "id1"."""
    text = str(key).strip().removeprefix("id").removeprefix("#").strip()
    return str(int(text)) if text.isdigit() else None


def _text_of(value: object) -> str | None:
    """An item's translation: a string, or an object holding one (``{"translation": …}``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in ("translation", "translated", "text", "target", "draft"):
            if isinstance(value.get(key), str):
                return str(value[key])
    return None  # (never another field: a context's "before" is no translation)


def _items(loaded: object, count: int, depth: int = 0) -> dict[str, str | None] | None:
    """The translations by id in a decoded answer, or None when it holds none unambiguously."""
    wanted = _ids(count)
    if isinstance(loaded, list):
        if len(loaded) == count:
            by_position = {i: _text_of(v) for i, v in zip(wanted, loaded, strict=True)}
            with_ids = {_id_of(v.get("id")): _text_of(v) for v in loaded if isinstance(v, dict) and "id" in v}
            if len(with_ids) == count and set(with_ids) == set(wanted):
                return {i: with_ids[i] for i in wanted}
            return by_position
        if len(loaded) == 1 and depth < 3:
            return _items(loaded[0], count, depth + 1)
        return None
    if not isinstance(loaded, dict):
        return None
    ids: dict[str, list[object]] = {}
    for key, value in loaded.items():
        number = _id_of(key)
        if number is not None:
            ids.setdefault(number, []).append(value)
    if any(i in ids for i in wanted):
        return {i: _text_of(ids[i][0]) if len(ids.get(i, ())) == 1 else None for i in wanted}
    if depth < 3:  # the map wrapped: in the request's own shape ({"texts": {…}}) or another key
        inner = [loaded[key] for key in _WRAPPERS if key in loaded]
        inner = inner or [
            value
            for key, value in loaded.items()
            if isinstance(value, (dict, list)) and key not in _REQUEST_ONLY
        ]
        for value in inner:
            found = _items(value, count, depth + 1)
            if found is not None:
                return found
    return None


def _by_source(loaded: object, texts: Sequence[str]) -> object:
    """An answer keyed by the source texts themselves (``{"Read more": "Lees meer"}``) keyed by id."""
    if not texts or not isinstance(loaded, dict):
        return loaded
    ids = {text: str(n) for n, text in enumerate(texts, start=1) if texts.count(text) == 1}
    if loaded and all(key in ids for key in loaded):
        return {ids[key]: value for key, value in loaded.items()}
    return loaded


def read_answer(content: str | None, count: int, texts: Sequence[str] = ()) -> list[str | None]:
    """The translations of ids 1…count in a model's answer, in order; None for an id the answer does not
    give (once, as a string). Every shape that carries the ids unambiguously is read: the object asked
    for, the same wrapped in the request's own keys (``{"texts": {…}}``) or another one, a list in
    request order of the right length, numeric keys, the source ``texts`` themselves as keys, a fenced
    block, words before or after the JSON (a reasoning model's ``<think>`` block aside), the last of
    several objects, trailing commas and single quotes; of an answer cut off, the items complete before
    the cut. :class:`AnswerError` when no id can be read at all."""
    text = _THINKING.sub("", content or "").strip()
    if not text:
        raise AnswerError("empty answer")
    error = "not JSON"
    best: list[str | None] = []
    for candidate in _candidates(text):
        try:
            loaded = _loads(candidate)
        except ValueError as problem:
            error = f"not JSON ({str(problem).split(':')[0]})"
            continue
        found = _items(_by_source(loaded, texts), count)
        if found is None or all(v is None for v in found.values()):
            error = "no requested id in the answer"
            continue
        result = [found[i] for i in _ids(count)]
        if None not in result:
            return result
        if _given(result) > _given(best):  # the candidate giving most ids (a part of the answer)
            best = result
    pairs: dict[str, list[str]] = {}
    for match in _PAIR.finditer(text):  # cut off, or broken further on: the complete pairs
        try:
            pairs.setdefault(str(int(match.group(1))), []).append(json.loads(f'"{match.group(2)}"'))
        except ValueError:
            continue
    salvaged = [pairs[i][0] if len(pairs.get(i, ())) == 1 else None for i in _ids(count)]
    best = salvaged if _given(salvaged) > _given(best) else best
    if _given(best):
        return best
    raise AnswerError(error)


def _given(found: Sequence[str | None]) -> int:
    return sum(value is not None for value in found)


def parse_answer(content: str | None, count: int) -> list[str]:
    """The translations of ids 1…count (see :func:`read_answer`); :class:`AnswerError` naming the ids the
    answer does not give."""
    found = read_answer(content, count)
    missing = [i for i, v in zip(_ids(count), found, strict=True) if v is None]
    if missing:
        raise AnswerError(f"missing ids {', '.join(missing)}")
    return [v for v in found if v is not None]


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
    keep: Collection[str] | None = None,
) -> list[dict[str, str]]:
    """The chat messages of a batch (a review when ``drafts`` are given); ``keep`` as for
    :func:`system_message`."""
    review = drafts is not None
    if drafts is not None:
        user = review_message(texts, drafts, contexts, note)
    else:
        user = user_message(texts, contexts, note)
    return [
        {"role": "system", "content": system_message(style, terms, review=review, keep=keep)},
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
