"""Chat models through any OpenAI-compatible chat-completions API (OpenAI, OpenRouter, Azure, vLLM, Ollama,
LiteLLM), with the official ``openai`` client (imported only when a text is translated).

A batch is one request (see :mod:`i18n.mt.prompt`): the texts as DeepL XML by id, with their context, and
the answer asked for as a JSON object ``{id: translation}`` (``response_format``: a strict JSON schema,
or JSON mode, or the prompt alone; a server that refuses the format is asked again with the next). The
answer is read in every shape that carries the ids unambiguously (:func:`~i18n.mt.prompt.read_answer`:
wrapped in the request's own keys, a list, fenced, with words around it, lenient JSON; of an answer cut
off or filtered, the texts complete before the cut), and each text is checked at once
(:func:`item_problem`: empty, elements not the source's, a preamble, another language, a number changed).
The texts that failed are asked again, at most :data:`RETRY_SIZE` a request, for :data:`RETRY_ROUNDS`
rounds (all in one request first when the whole answer failed); the texts that passed are kept. So a
batch of n texts makes at most :func:`max_requests` requests, which the dry run adds up. A text still
unreadable at the end is answered as *rejected* with the reason; one that only failed a check is
returned, for the pipeline's checks to reject with theirs. With ``review`` a second request asks the
model to improve each good first answer; both become candidates (the review first).

The breaker: :data:`BREAKER` of the last :data:`BREAKER_WINDOW` requests failing for the same reason (texts
holding half their characters or more unusable: the model ignores the format, refuses, answers in another
language or with empty texts, is cut off, breaks the markup), two of them the first request of their
batch, stop the run with one error naming the reason, the requests and tokens spent and what to change;
everything received is kept.

The client retries 429 (honouring ``retry-after``), 5xx, timeouts and connection errors itself
(``max_retries``). What still fails becomes an :class:`EngineError`: 401/403 (the key), 402 or
``insufficient_quota`` (credit), a context-length refusal and every other error stop the run; the texts
already answered in the batch are returned with the error (``Answer.stopped``), so nothing paid for is
lost. Messages never contain the key.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import threading
import urllib.parse
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..checks import PREAMBLE
from ..config import Config
from ..language import wrong_language
from ..numbers import describe
from . import Estimate, Planning, RequestSize
from .engine import Answer, Context, EngineError, FailureKind, Stopping, Translated, Usage, never
from .glossary import Glossary, terms_in
from .openai_settings import OpenAIConfig, ResponseFormat, settings_of
from .prompt import (
    AnswerError,
    Style,
    answer_text,
    merged_terms,
    messages_for,
    read_answer,
    request_key,
    response_schema,
)
from .tokens import TokenCounter, expansion, token_counter

if TYPE_CHECKING:
    from .execute import Request

API_KEY_ENV, BASE_URL_ENV = "OPENAI_API_KEY", "OPENAI_BASE_URL"
RETRY_ROUNDS = 2  # texts whose answer is unusable are asked again this often ...
RETRY_SIZE = 4  # ... at most this many in a request
BREAKER = 4  # this many requests failing for the same reason ...
BREAKER_WINDOW = 6  # ... among the last this many stop the run
FAILING = 0.5  # a request whose answer fails for this share of its texts (by length) counts as failed
OUTPUT_HEADROOM = 0.6  # a batch's estimated answer stays under this share of max_output_tokens
_FORMATS = (ResponseFormat.JSON_SCHEMA, ResponseFormat.JSON_OBJECT, ResponseFormat.TEXT)


def style(settings: OpenAIConfig, source: str, target: str) -> Style:
    return Style(source, target, settings.instructions, settings.instructions_for(target))


def batch_terms(
    glossary: Glossary, texts: Sequence[str], target: str, contexts: Sequence[Context] = ()
) -> list[tuple[str, str]]:
    """The glossary terms (and do-not-translate names) that occur in ``texts``: as the contexts found
    them in the sources, else as found in the XML (where do-not-translate names are placeholders)."""
    if contexts:
        return merged_terms(context.terms for context in contexts)
    return merged_terms(terms_in(glossary, text, target) for text in texts)


def answer_tokens(counter: TokenCounter, texts: Sequence[str], target: str) -> int:
    """The estimated completion tokens of the answer to ``texts`` (what batches are measured by)."""
    if not texts:
        return counter.count(answer_text([]))
    return round(counter.count(answer_text(texts)) * expansion(target))


def max_requests(settings: OpenAIConfig, count: int) -> int:
    """The most requests a batch of ``count`` texts can make: one, then :data:`RETRY_ROUNDS` rounds for
    its failed texts in requests of :data:`RETRY_SIZE` (and as much again with ``review``)."""
    if count <= 0:
        return 0
    one = 1 + RETRY_ROUNDS * math.ceil(count / RETRY_SIZE)
    return one * (2 if settings.review else 1)


def format_probes(settings: OpenAIConfig, concurrency: int) -> int:
    """The requests a run may spend learning that the server refuses ``response_format`` (each request
    in flight may meet the refusal once per format)."""
    return (len(_FORMATS) - 1 - _FORMATS.index(settings.response_format)) * concurrency


def request_size(model: str) -> RequestSize:
    """How a batch is measured for ``model``: estimated answer tokens (see :func:`answer_tokens`)."""
    counter = token_counter(model)

    def size(texts: Sequence[str], source: str, target: str, *, context: str = "") -> int:
        return answer_tokens(counter, texts, target)

    return size


def estimate(
    settings: OpenAIConfig, counter: TokenCounter, glossary: Glossary, source: str, request: Request
) -> Estimate:
    """The tokens (and cost) ``request`` is expected to use: its prompt counted as it will be sent, its
    answer estimated from the texts (see :func:`answer_tokens`); with ``review``, the second request too."""
    texts, target = list(request.texts), request.language
    if not texts:
        return Estimate(0, 0, 0.0 if settings.prices else None)
    contexts = list(request.contexts)
    terms = batch_terms(glossary, texts, target, contexts)
    shape = style(settings, source, target)
    note = request.context
    keep = glossary.keep
    prompt = counter.messages(messages_for(shape, terms, texts, contexts, note=note, keep=keep))
    completion = answer_tokens(counter, texts, target)
    if settings.review:  # the drafts are translations: longer than the sources they stand in for
        longer = completion - counter.count(answer_text(texts))
        review = messages_for(shape, terms, texts, contexts, texts, note, keep)
        prompt += counter.messages(review) + max(0, longer)
        completion *= 2
    cost = settings.prices.cost(prompt, completion) if settings.prices else None
    return Estimate(prompt, completion, cost)


def planning(settings: OpenAIConfig, source: str, glossary: Glossary, *, concurrency: int = 1) -> Planning:
    """The chat engine as the planner sees it: batches of at most ``batch_max_segments`` whose answers
    are estimated to fit ``max_output_tokens`` (with headroom), texts with context, a request key per
    text, token estimates. The token counter loads (tiktoken) when a request is first measured."""

    def counter() -> TokenCounter:
        return token_counter(settings.model)

    def key(text: str, target: str) -> str:
        terms = terms_in(glossary, text, target)
        shape = style(settings, source, target)
        return request_key(settings.model, shape, text, terms, review=settings.review)

    def size(texts: Sequence[str], source: str, target: str, *, context: str = "") -> int:
        return answer_tokens(counter(), texts, target)

    def counting() -> str:
        return counter().method

    return Planning(
        size,
        settings.batch_max_segments,
        max(1, int(settings.max_output_tokens * OUTPUT_HEADROOM)),
        context=True,
        key=key,
        model=settings.model,
        estimate=lambda request: estimate(settings, counter(), glossary, source, request),
        counting=counting,
        name=OpenAIEngine.name,
        max_requests=lambda count: max_requests(settings, count),
        probes=format_probes(settings, concurrency),
    )


class _Unusable(Exception):
    """An answer that cannot be used: why, and the raw content."""

    def __init__(self, reason: str, content: str) -> None:
        self.reason, self.content = reason, content
        super().__init__(reason)


@dataclass
class _Tally:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    stopped: EngineError | None = None


@dataclass
class _Batch:
    """One ``translate`` call: the texts, their contexts, and what it used."""

    texts: Sequence[str]
    contexts: Sequence[Context]
    target: str
    source: str
    stopping: Stopping
    note: str = ""
    tally: _Tally = field(default_factory=_Tally)
    missing: str = "missing from the answer"  # why texts of the last answer are not in it

    def context(self, indexes: Sequence[int]) -> list[Context]:
        return [self.contexts[i] for i in indexes] if self.contexts else []


class OpenAIEngine:
    """A chat model behind an OpenAI-compatible API, through the official client."""

    name = "openai"

    def __init__(self, client: Any, settings: OpenAIConfig, secret: str, counter: TokenCounter) -> None:
        self._client = client
        self.settings = settings
        self.model = settings.model
        self._secrets = _secret_forms(secret)
        self._counter = counter
        self._glossary = Glossary()
        self._format = _FORMATS.index(settings.response_format)
        self._lock = threading.Lock()
        self._recent: deque[tuple[str | None, bool]] = deque(maxlen=BREAKER_WINDOW)  # the breaker's view
        self._spent: tuple[int, int, int] = (0, 0, 0)  # requests, prompt and completion tokens of the run
        self._broken: EngineError | None = None  # the breaker's stop: no batch asks anything more

    def usage(self) -> Usage | None:
        return None  # chat APIs report no account usage

    def sync_glossary(self, glossary: Glossary, source: str, languages: Sequence[str]) -> None:
        self._glossary = glossary  # stated in each prompt: nothing to upload

    def request_size(self, texts: Sequence[str], source: str, target: str) -> int:
        return answer_tokens(self._counter, texts, target)

    def translate(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        ignore_tags: Sequence[str] = (),
        context: str = "",
        contexts: Sequence[Context] = (),
        stopping: Stopping = never,
    ) -> Answer:
        batch = _Batch(texts, contexts, target, source, stopping, context)
        results: list[Translated | None] = [None] * len(texts)
        todo = [i for i, text in enumerate(texts) if text.strip()]
        for i in set(range(len(texts))) - set(todo):
            results[i] = Translated(texts[i])
        self._solve(batch, todo, results, drafts=None)
        if self.settings.review:
            good = [i for i in todo if (r := results[i]) is not None and r.rejected is None]
            reviewed: list[Translated | None] = [None] * len(texts)
            self._solve(batch, good, reviewed, drafts=[r.text if r else "" for r in results])
            for i in good:
                first, second = results[i], reviewed[i]
                if first and second and second.rejected is None and second.text != first.text:
                    results[i] = Translated(second.text, alternatives=(first.text,))
        tally = batch.tally
        prices = self.settings.prices
        cost = prices.cost(tally.prompt_tokens, tally.completion_tokens) if prices else None
        return Answer(
            tuple(results), tally.prompt_tokens, tally.completion_tokens, tally.calls, cost, tally.stopped
        )

    # -- asking, again for what failed ------------------------------------------------------------------
    def _solve(
        self,
        batch: _Batch,
        indexes: list[int],
        results: list[Translated | None],
        drafts: list[str] | None,
    ) -> None:
        """Answer ``indexes`` into ``results``: one request, then the texts whose answer was unusable or
        failed its checks asked again for :data:`RETRY_ROUNDS` rounds, in requests of :data:`RETRY_SIZE`
        (see :func:`max_requests`); when the first answer failed as a whole (see :meth:`_round`), all of
        them in one request first (unless it was cut off), and if that fails the same way too, the batch
        is given up. A stop (the breaker, an error, the run's) leaves the texts not answered as None, for
        a later run. A text still unusable
        at the end is answered as rejected; one that only failed a check is returned as answered, for the
        caller's checks to reject with their reason."""
        groups = [indexes] if indexes else []
        last: dict[int, tuple[str, str, bool]] = {}  # index -> (text, why, whether it was read)
        whole: str | None = None  # why the first answer failed as a whole (None: it did not)
        failed: list[int] = []
        for round_ in range(RETRY_ROUNDS + 1):
            failed = []
            for group in groups:
                if self._broken is not None and batch.tally.stopped is None:
                    batch.tally.stopped = self._broken  # the breaker tripped in another batch
                if batch.tally.stopped is not None or batch.stopping():
                    return
                reasons = self._round(batch, group, results, drafts, last)
                failed += [i for i in group if results[i] is None]
                cause = self._trip(batch, reasons, first=round_ == 0)
                if round_ == 0:
                    whole = cause
                elif round_ == 1 and whole not in (None, "cut off") and cause == whole:
                    groups = []  # the whole batch failed twice the same way: not asked a third time
            if not failed or round_ == RETRY_ROUNDS or (round_ == 1 and not groups):
                break
            if round_ == 0 and whole not in (None, "cut off"):  # (a cut-off answer: smaller requests)
                groups = [failed]
            else:
                groups = [failed[n : n + RETRY_SIZE] for n in range(0, len(failed), RETRY_SIZE)]
        for i in failed:
            text, why, read = last[i]
            results[i] = (
                Translated(text) if read and text.strip() else Translated(text, rejected=f"engine: {why}")
            )

    def _round(
        self,
        batch: _Batch,
        group: list[int],
        results: list[Translated | None],
        drafts: list[str] | None,
        last: dict[int, tuple[str, str, bool]],
    ) -> list[str]:
        """One request for ``group``: the usable answers into ``results``, the others into ``last``; the
        reasons of the items that failed when they hold at least :data:`FAILING` of the text (by
        characters: a model answering in English fails the long texts, while headings too short to judge
        pass) — else empty: the answer as a whole was fine."""
        try:
            answers = self._ask(batch, group, drafts)
        except EngineError as error:
            batch.tally.stopped = error
            return []
        except _Unusable as bad:
            for i in group:
                last[i] = (_single_value(bad.content) if len(group) == 1 else "", bad.reason, False)
            return [bad.reason]
        reasons: list[str] = []
        failing = 0
        for i, text in zip(group, answers, strict=True):
            why = batch.missing if text is None else self._problem(batch, i, text)
            if why is None:
                results[i] = Translated(str(text))
                continue
            reasons.append(why)
            failing += len(batch.texts[i]) + 1
            last[i] = (text or "", why, text is not None)
        whole = sum(len(batch.texts[i]) + 1 for i in group)
        return reasons if reasons and failing >= FAILING * whole else []

    def _problem(self, batch: _Batch, index: int, answer: str) -> str | None:
        """Why an item of an answer is not usable (None: it is): empty, its elements not those of the
        source, chatter before it, another language, a number changed."""
        source = batch.texts[index]
        return item_problem(source, answer, batch.target)

    def _trip(self, batch: _Batch, reasons: Sequence[str], *, first: bool) -> str | None:
        """Count a request for the breaker: ``reasons`` of its items when it failed (empty: it did not,
        see :data:`FAILING`); ``first``: the first request of its batch. When :data:`BREAKER` of the
        last :data:`BREAKER_WINDOW` requests failed for the same reason, two of them the first of their
        batch, the run stops (texts failing again and again alone never trip it; a request of short texts
        the checks cannot judge does not hide a model that answers in English). The cause of the failure
        (None: it did not fail)."""
        kind = Counter(_cause(reason) for reason in reasons).most_common(1)[0][0] if reasons else None
        with self._lock:
            self._recent.append((kind, first))
            if kind is None or batch.tally.stopped is not None:
                return kind
            same = [was_first for cause, was_first in self._recent if cause == kind]
            if len(same) < BREAKER or sum(same) < 2:
                return kind
            calls, prompt, completion = self._spent
        what, advice = _CAUSES[kind]
        batch.tally.stopped = self._broken = EngineError(
            FailureKind.FAILED,
            f"the chat model {what} ({len(same)} of the last {len(self._recent)} requests, e.g. "
            f"{reasons[0]}): stopped after {calls} requests, {prompt} prompt + {completion} completion "
            f"tokens; {advice}",
        )
        return kind

    def _ask(self, batch: _Batch, indexes: Sequence[int], drafts: list[str] | None) -> list[str | None]:
        """One chat request for ``indexes``; the translations (None: not in the answer), or
        :class:`_Unusable`."""
        texts = [batch.texts[i] for i in indexes]
        contexts = batch.context(indexes)
        terms = batch_terms(self._glossary, texts, batch.target, contexts)
        messages = messages_for(
            style(self.settings, batch.source, batch.target),
            terms,
            texts,
            contexts,
            [drafts[i] for i in indexes] if drafts is not None else None,
            batch.note,
            self._glossary.keep,
        )
        completion = self._complete(messages, len(texts), batch.tally)
        choices = getattr(completion, "choices", None) or []
        if not choices:
            raise _Unusable("the answer has no choices", "")
        choice = choices[0]
        content = choice.message.content if choice.message is not None else None
        reason = choice.finish_reason
        try:
            found = read_answer(content, len(texts), texts)
        except AnswerError as error:
            if reason not in ("stop", None):
                raise _Unusable(_unfinished(reason), content or "") from None
            refusal = _REFUSAL.search(content or "")
            why = f"refused: {refusal.group()!r}" if refusal else f"unusable answer: {error}"
            raise _Unusable(why, content or "") from None
        if reason not in ("stop", None):  # cut off or filtered: the items complete before the cut
            complete = _complete_items(content or "", len(texts))
            found = [text if n in complete else None for n, text in enumerate(found, start=1)]
            if not any(text is not None for text in found):
                raise _Unusable(_unfinished(reason), content or "")
            batch.missing = _unfinished(reason)  # why the texts after the cut are not there
        else:
            batch.missing = "missing from the answer"
        return found

    def _complete(self, messages: list[dict[str, str]], count: int, tally: _Tally) -> Any:
        while True:
            with self._lock:
                level = self._format
            options: dict[str, Any] = {
                "model": self.model,
                "messages": messages,
                "max_tokens": self.settings.max_output_tokens,
            }
            if self.settings.temperature is not None:
                options["temperature"] = self.settings.temperature
            if _FORMATS[level] is ResponseFormat.JSON_SCHEMA:
                options["response_format"] = response_schema(count)
            elif _FORMATS[level] is ResponseFormat.JSON_OBJECT:
                options["response_format"] = {"type": "json_object"}
            try:
                with self._errors(level):
                    tally.calls += 1
                    with self._lock:
                        self._spent = (self._spent[0] + 1, *self._spent[1:])
                    completion = self._client.chat.completions.create(**options)
            except _FormatRefused:
                with self._lock:  # ask again with the next format (another thread may have moved on)
                    self._format = max(self._format, level + 1)
                continue
            usage = getattr(completion, "usage", None)
            prompt = int(getattr(usage, "prompt_tokens", 0) or 0)
            answer = int(getattr(usage, "completion_tokens", 0) or 0)
            tally.prompt_tokens += prompt
            tally.completion_tokens += answer
            with self._lock:
                calls, prompts, answers = self._spent
                self._spent = (calls, prompts + prompt, answers + answer)
            return completion

    # -- errors --------------------------------------------------------------------------------------------
    def _scrub(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return text

    @contextlib.contextmanager
    def _errors(self, level: int = len(_FORMATS) - 1) -> Iterator[None]:
        """The client's exceptions as EngineErrors without the key (and without the cause, whose request
        may carry it); a refused ``response_format`` as :class:`_FormatRefused`."""
        import openai

        try:
            yield
        except openai.APIStatusError as exc:
            status, code = exc.status_code, _error_code(exc)
            detail = self._scrub(_error_message(exc))
            if status in (401, 403):
                message = f"the server rejected the API key ({status}); check {API_KEY_ENV}: {detail}"
                raise EngineError(FailureKind.AUTH, message) from None
            if status == 402 or code == "insufficient_quota":
                raise EngineError(FailureKind.QUOTA, f"no credit left ({status}): {detail}") from None
            if status == 400 and (code == "context_length_exceeded" or _CONTEXT.search(detail)):
                message = (
                    f"the request exceeds the model's context length (400): {detail}; lower "
                    "batch_max_segments or max_output_tokens in [tool.i18n.openai]"
                )
                raise EngineError(FailureKind.FAILED, message) from None
            if status in (400, 422) and _FORMAT.search(detail) and level < len(_FORMATS) - 1:
                raise _FormatRefused() from None  # (the level this request used: another may be further)
            message = f"chat request failed ({status}) after {self.settings.max_retries} retries: {detail}"
            if status < 500 and status != 429:
                message = f"chat request refused ({status}): {detail}"
            raise EngineError(FailureKind.FAILED, message) from None
        except openai.APITimeoutError:
            tries = self.settings.max_retries + 1
            message = f"chat request timed out ({self.settings.timeout:g} s) {tries} times"
            raise EngineError(FailureKind.FAILED, message) from None
        except openai.APIConnectionError as exc:
            message = f"cannot reach the chat server: {self._scrub(str(exc)) or type(exc).__name__}"
            raise EngineError(FailureKind.FAILED, message) from None
        except openai.OpenAIError as exc:
            message = f"chat request failed: {self._scrub(str(exc)) or type(exc).__name__}"
            raise EngineError(FailureKind.FAILED, message) from None


class _FormatRefused(Exception):
    """The server does not support the ``response_format`` asked for."""


_CONTEXT = re.compile(r"context (?:length|window)|maximum context|too many tokens|prompt is too long", re.I)
_FORMAT = re.compile(r"response_format|json_schema|json_object|structured output", re.I)


def _error_code(exc: Any) -> str | None:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error") if isinstance(body.get("error"), dict) else body
        code = inner.get("code") if isinstance(inner, dict) else None
        return str(code) if code is not None else None
    code = getattr(exc, "code", None)
    return str(code) if code is not None else None


def _error_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error") if isinstance(body.get("error"), dict) else body
        message = inner.get("message") if isinstance(inner, dict) else None
        if isinstance(message, str) and message:
            return message[:300]
    return (str(getattr(exc, "message", "") or exc) or type(exc).__name__)[:300]


def _single_value(content: str) -> str:
    """What to keep of an unusable single answer: the first string value of a JSON object if one can be
    read (a cut-off answer is cut inside it), else the content as it came."""
    match = re.search(r'"1"\s*:\s*"((?:[^"\\]|\\.)*)', content)
    if match:
        raw = match.group(1)
        try:
            return str(json.loads(f'"{raw}"'))
        except ValueError:
            return raw
    return content.strip()


_REFUSAL = re.compile(
    r"\b(?:I(?:'m| am) (?:sorry|unable|not able)|I can(?:'|no)t (?:help|assist|translate|comply)|"
    r"(?:as an AI|I must decline|I won't be able))[^.\n]*",
    re.IGNORECASE,
)
_XML_ELEMENT = re.compile(r'<(\w+) i="(\d+)"')
_CAUSES = {
    "format": (
        "ignores the answer format",
        'set response_format = "json_object" (or "json_schema") in [tool.i18n.openai] if the server '
        "supports it, try another model, or lower batch_max_segments",
    ),
    "refuses": ("refuses to translate", "try another model, or check the instructions"),
    "language": (
        "answers in the wrong language",
        "try another model, or name the language in the instructions",
    ),
    "empty": ("answers with empty texts", "try another model, or lower batch_max_segments"),
    "cut off": ("stops before the end of its answers", "raise max_output_tokens or lower batch_max_segments"),
    "markup": ("breaks the markup", "lower batch_max_segments, or try another model"),
    "numbers": ("changes numbers", "try another model"),
    "other": ("gives unusable answers", "try another model, or lower batch_max_segments"),
}


def _cause(reason: str) -> str:
    """The breaker's name for why an answer (or an item of it) was unusable."""
    for prefix, cause in (
        ("refused", "refuses"),
        ("unusable answer", "format"),
        ("missing from", "format"),
        ("answer not finished", "cut off"),
        ("language", "language"),
        ("empty", "empty"),
        ("markup", "markup"),
        ("preamble", "format"),
        ("numbers", "numbers"),
    ):
        if reason.startswith(prefix):
            return cause
    return "other"


def _unfinished(reason: object) -> str:
    what = {"length": "cut off at max_output_tokens", "content_filter": "filtered"}.get(str(reason))
    return f"answer not finished (finish_reason {reason!r}" + (f": {what})" if what else ")")


def _complete_items(content: str, count: int) -> set[int]:
    """The ids of an answer cut off whose value is complete (closed before the cut)."""
    found = set()
    for match in re.finditer(r'"(\d+)"\s*:\s*"(?:[^"\\]|\\.)*"', content):
        number = int(match.group(1))
        if 1 <= number <= count:
            found.add(number)
    if found:
        return found
    return set(range(1, count + 1)) if content.rstrip().endswith(("}", "]", "```")) else set()


def item_problem(source: str, answer: str, target: str) -> str | None:
    """Why ``answer`` (XML) cannot stand for ``source`` (XML) in ``target`` (None: it can): empty, not
    the source's elements or not well-formed, chatter before it, not in ``target``, a number changed.
    The caller's checks (:func:`i18n.jobs.translate.judge`) decide in the end; these are asked again."""
    from xml.etree import ElementTree

    if not answer.strip():
        return "empty translation"
    if sorted(_XML_ELEMENT.findall(source)) != sorted(_XML_ELEMENT.findall(answer)):
        return "markup: the elements differ from the source's"
    try:
        ElementTree.fromstring(f"<r>{answer}</r>")
    except ElementTree.ParseError:
        return "markup: not well-formed"
    if PREAMBLE.match(answer) and not PREAMBLE.match(source):
        return "preamble: chatter before the translation"
    wrong = wrong_language(answer, target, source=source)
    if wrong:
        return f"language: {wrong}"
    numbers = describe(source, answer)
    return f"numbers: {numbers}" if numbers else None


def _secret_forms(secret: str) -> tuple[str, ...]:
    """The key as it may appear in a message: raw, escaped, URL-encoded (at least 4 characters each)."""
    forms = {secret, secret.encode("unicode_escape").decode("ascii"), urllib.parse.quote(secret, safe="")}
    forms |= {repr(secret)[1:-1]}
    return tuple(form for form in forms if len(form) >= 4)


def openai_engine(
    settings: OpenAIConfig, api_key: str | None = None, base_url: str | None = None
) -> OpenAIEngine:
    """An engine for ``settings.model`` with the key from ``api_key`` or ``$OPENAI_API_KEY`` and the server
    from ``base_url``, ``$OPENAI_BASE_URL`` or the configuration's ``base_url`` (default: OpenAI's)."""
    key = (api_key if api_key is not None else os.environ.get(API_KEY_ENV) or "").strip()
    if not key:
        raise EngineError(
            FailureKind.AUTH,
            f"{API_KEY_ENV} is not set: export your API key (any value for a local server such as Ollama)",
        )
    if any(c.isspace() for c in key):
        raise EngineError(FailureKind.AUTH, f"{API_KEY_ENV} contains whitespace: check the key")
    url = base_url or os.environ.get(BASE_URL_ENV) or settings.base_url or None
    import openai

    try:
        client = openai.OpenAI(
            api_key=key, base_url=url, max_retries=settings.max_retries, timeout=settings.timeout
        )
    except (openai.OpenAIError, ValueError) as exc:
        message = f"cannot set up the chat client: {exc}"
        for secret in _secret_forms(key):
            message = message.replace(secret, "***")
        raise EngineError(FailureKind.FAILED, message) from None
    return OpenAIEngine(client, settings, key, token_counter(settings.model))


def make(config: Config) -> OpenAIEngine:
    """The registry's factory (:mod:`.registry`): ``[tool.i18n.openai]``, the key from the environment."""
    return openai_engine(settings_of(config))


def plan(config: Config, glossary: Glossary) -> Planning:
    """The registry's planning: see :func:`planning`."""
    return planning(settings_of(config), config.source_language, glossary, concurrency=config.concurrency)
