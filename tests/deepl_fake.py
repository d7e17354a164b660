"""A local, deterministic, DeepL-compatible HTTP server for tests and benchmarks.

Our tests must never reach the network.  :class:`FakeDeepL` speaks enough of the
DeepL API (as used by the official ``deepl`` Python client, v1.32) that a real
``deepl.Translator`` / ``deepl.DeepLClient`` can be pointed at it::

    from tests.deepl_fake import FakeDeepL, fast_retries   # (``from .deepl_fake`` in tests/)

    with FakeDeepL() as fake, fast_retries():
        translator = deepl.Translator(fake.auth_key, server_url=fake.url)
        translator.translate_text("Hello <b>world</b>", target_lang="DE", tag_handling="xml")
        # -> TextResult(text="HELLO <b>WORLD</b>", detected_source_language="EN", ...)
        assert fake.billed == 16

The module is stdlib-only (``fast_retries`` imports ``deepl`` lazily).  The
server binds ``127.0.0.1`` on a random free port (``port=0``) and serves from a
daemon thread; use it as a context manager or call :meth:`FakeDeepL.start` /
:meth:`FakeDeepL.stop`.  It can also run stand-alone for a benchmark in another
process: ``python -m tests.deepl_fake --port 8765 --latency 0.05`` (from the repository root;
``python tests/deepl_fake.py`` works too).

Pseudo-translation (deterministic; predict it with :func:`pseudo_translate`)
----------------------------------------------------------------------------
* The target language does not change the output; only the glossary does.
* Without ``tag_handling`` the whole text is one text node.
* With ``tag_handling`` ``xml`` or ``html``, markup is copied byte for byte:
  tags with all their attributes (``<b>``, ``</b>``, ``<x id="1"/>``), comments,
  CDATA sections, processing instructions and entity/character references
  (``&amp;``, ``&#160;``).  Only the text between them is transformed.  A ``<``
  that does not start a tag (``1 < 2``) is plain text.
* Each text node is transformed as follows: first the glossary entries are
  applied - every whole-word, case-insensitive occurrence of a source term is
  replaced by its target term *verbatim* (longest term wins; with several
  glossaries in ``glossary_ids`` the first glossary defining a term wins) - and
  every other character is upper-cased with ``str.upper()`` (so ``ß`` becomes
  ``SS``).
* Elements named in ``ignore_tags`` (and everything nested in them) are copied
  untouched.
* Glossaries are looked up for the request's ``source_lang`` and the *base* of
  its ``target_lang`` (``EN-GB`` and ``EN-US`` both use an ``xx -> en`` dictionary).

Example: glossary ``{"world": "Welt"}``, ``tag_handling="xml"``,
``ignore_tags=["code"]``::

    'Hello <b class="x">World</b>, <code>world</code> &amp; worldwide'
 -> 'HELLO <b class="x">Welt</b>, <code>world</code> &amp; WORLDWIDE'

``detected_source_language`` is the request's ``source_lang`` or, when absent,
:attr:`FakeDeepL.detected_source_language` (default ``"EN"``).

Billing and bookkeeping
-----------------------
Each text is billed ``len(text)`` characters (Unicode code points of the
submitted text, tags included; ``context`` is free).  ``billed_characters`` is
returned per text when the request sets ``show_billed_characters`` (the
official client always does - and crashes with ``TypeError`` if it is missing).
A request is billed only when it is answered 200 - but a request whose client
gave up (timeout) is still processed and billed, like the real service, so
client retries after a timeout re-bill.  :attr:`FakeDeepL.billed` is the total;
:attr:`FakeDeepL.requests` lists every request as a :class:`RecordedRequest`
(method, path, parsed params, number of texts, body size, status, billed, the
fault that answered it), so tests can assert batching and re-billing.
Requests are also counted as they *arrive* (:meth:`FakeDeepL.arrivals`,
:meth:`FakeDeepL.wait_for_arrivals`), so a test can act while a slow request is in
flight (send a signal, edit a file).

Limits and faults (all thread-safe, changeable at any time)
-----------------------------------------------------------
Per request the fake applies, in this order:

1. ``latency`` (constant delay, for benchmarks) and a queued :meth:`slow` delay;
2. a queued :meth:`fail_next` status (429/503 get a ``Retry-After`` header);
3. ``max_body_bytes`` -> 413 (``/v2/translate`` only; default 128 KiB, the
   documented DeepL request limit; ``None`` disables);
4. authentication -> 403 unless ``Authorization: DeepL-Auth-Key <auth_key>``;
5. the endpoint: for ``/v2/translate`` ``max_texts`` -> 400 (default 50, the
   documented DeepL limit), then the quota (:meth:`quota_after`) -> 456 if the
   request would push ``billed`` past ``character_limit`` (nothing is billed),
   then translation and a queued :meth:`mangle`.

Queued faults (``fail_next``, ``slow``, ``mangle``) are consumed first in first
out, one per matching request; ``path=`` restricts a fault to request paths
starting with that prefix.  Errors carry DeepL's JSON body ``{"message": ...}``.

Making the client fast in tests
-------------------------------
The client's retry policy lives in module globals of ``deepl.http_client``:

* ``deepl.http_client.max_network_retries`` (default 5) - retries on 429, any
  status >= 500, and connection errors/timeouts;
* ``deepl.http_client._BackoffTimer.BACKOFF_INITIAL`` (1.0 s; multiplied by
  1.6 per retry with +-23 % jitter, capped at ``BACKOFF_MAX`` = 120 s);
* ``deepl.http_client.min_connection_timeout`` (10 s).  The per-attempt timeout
  is ``max(time left in the current backoff slot, min_connection_timeout)``, so
  a short timeout needs both this and a small backoff.  ``Translator`` has no
  timeout argument.

The client ignores ``Retry-After``.  :func:`fast_retries` patches the three
settings and restores them; without it a single 429 costs about a second.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import io
import json
import re
import socket
import sys
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Final, Literal, cast, get_args
from urllib.parse import parse_qs, urlsplit

__all__ = [
    "DEEPL_MAX_BODY_BYTES",
    "DEEPL_MAX_TEXTS",
    "DEFAULT_AUTH_KEY",
    "PREAMBLE",
    "FakeDeepL",
    "MangleMode",
    "RecordedRequest",
    "fast_retries",
    "mangle_text",
    "pseudo_translate",
]

DEFAULT_AUTH_KEY: Final = "test-key:fx"
DEEPL_MAX_TEXTS: Final = 50
DEEPL_MAX_BODY_BYTES: Final = 128 * 1024
DEFAULT_CHARACTER_LIMIT: Final = 1_000_000_000_000
PREAMBLE: Final = "Here is the translation: "

MangleMode = Literal["drop_tag", "reorder_tags", "preamble"]
"""``drop_tag``: unwrap the first element (remove its start and end tag, keep its
content) or delete the first self-closing tag; ``reorder_tags``: reverse the order
of the first run of two or more sibling elements (each moved whole, the text
between them stays); ``preamble``: prefix :data:`PREAMBLE`.  The tag modes leave
texts without elements unchanged; the result stays well-formed."""

# --------------------------------------------------------------------------- languages

_SOURCE_LANGUAGES: Final[dict[str, str]] = {
    "AR": "Arabic",
    "BG": "Bulgarian",
    "CS": "Czech",
    "DA": "Danish",
    "DE": "German",
    "EL": "Greek",
    "EN": "English",
    "ES": "Spanish",
    "ET": "Estonian",
    "FI": "Finnish",
    "FR": "French",
    "HE": "Hebrew",
    "HU": "Hungarian",
    "ID": "Indonesian",
    "IT": "Italian",
    "JA": "Japanese",
    "KO": "Korean",
    "LT": "Lithuanian",
    "LV": "Latvian",
    "NB": "Norwegian Bokmål",
    "NL": "Dutch",
    "PL": "Polish",
    "PT": "Portuguese",
    "RO": "Romanian",
    "RU": "Russian",
    "SK": "Slovak",
    "SL": "Slovenian",
    "SV": "Swedish",
    "TH": "Thai",
    "TR": "Turkish",
    "UK": "Ukrainian",
    "VI": "Vietnamese",
    "ZH": "Chinese",
}
_FORMALITY: Final = frozenset({"DE", "ES", "FR", "IT", "JA", "NL", "PL", "PT-BR", "PT-PT", "RU"})
_TARGET_LANGUAGES: Final[dict[str, str]] = {
    **{code: name for code, name in _SOURCE_LANGUAGES.items() if code not in {"EN", "PT"}},
    "EN-GB": "English (British)",
    "EN-US": "English (American)",
    "ES-419": "Spanish (Latin American)",
    "PT-BR": "Portuguese (Brazilian)",
    "PT-PT": "Portuguese (European)",
    "ZH-HANS": "Chinese (simplified)",
    "ZH-HANT": "Chinese (traditional)",
}
# Deprecated but still accepted by the API (the client itself refuses them).
_ACCEPTED_TARGETS: Final = frozenset(_TARGET_LANGUAGES) | {"EN", "PT"}
_GLOSSARY_LANGUAGES: Final = tuple(code.lower() for code in _SOURCE_LANGUAGES)


def _base_lang(code: str) -> str:
    return code.split("-", 1)[0].lower()


# --------------------------------------------------------------------------- markup

_MARKUP_RE: Final = re.compile(
    r"<!--.*?-->"
    r"|<!\[CDATA\[.*?\]\]>"
    r"|<\?.*?\?>"
    r"|<![A-Za-z][^<>]*>"
    r"|</?[A-Za-z_:][^<>]*>"
    r"|&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);",
    re.DOTALL,
)
_TAG_NAME_RE: Final = re.compile(r"</?\s*([^\s/>]+)")
_HTML_VOID: Final = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)

_Kind = Literal["text", "open", "close", "empty", "other"]


@dataclass(frozen=True, slots=True)
class _Token:
    kind: _Kind
    raw: str
    name: str = ""


def _tokenize(text: str, *, html: bool = False) -> list[_Token]:
    """Split ``text`` into text, tag and other-markup (entity, comment...) tokens."""
    tokens: list[_Token] = []
    pos = 0
    for m in _MARKUP_RE.finditer(text):
        if m.start() > pos:
            tokens.append(_Token("text", text[pos : m.start()]))
        raw = m.group()
        pos = m.end()
        if not raw.startswith("<") or raw.startswith(("<!", "<?")):
            tokens.append(_Token("other", raw))
            continue
        name_match = _TAG_NAME_RE.match(raw)
        name = name_match.group(1) if name_match else ""
        if html:
            name = name.lower()
        if raw.startswith("</"):
            tokens.append(_Token("close", raw, name))
        elif raw.endswith("/>") or (html and name in _HTML_VOID):
            tokens.append(_Token("empty", raw, name))
        else:
            tokens.append(_Token("open", raw, name))
    if pos < len(text):
        tokens.append(_Token("text", text[pos:]))
    return tokens


def _glossary_node_translator(glossary: Mapping[str, str] | None) -> Callable[[str], str]:
    if not glossary:
        return str.upper
    terms = sorted((t for t in glossary if t), key=len, reverse=True)
    if not terms:
        return str.upper
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in terms) + r")(?!\w)", re.IGNORECASE)
    by_fold = {term.casefold(): glossary[term] for term in terms}

    def lookup(found: str) -> str:
        target = by_fold.get(found.casefold())
        if target is not None:
            return target
        for term in terms:  # case folding and re.IGNORECASE can disagree
            if re.fullmatch(re.escape(term), found, re.IGNORECASE):
                return glossary[term]
        return found.upper()  # pragma: no cover - unreachable in practice

    def translate(node: str) -> str:
        out: list[str] = []
        pos = 0
        for m in pattern.finditer(node):
            out.append(node[pos : m.start()].upper())
            out.append(lookup(m.group()))
            pos = m.end()
        out.append(node[pos:].upper())
        return "".join(out)

    return translate


def pseudo_translate(
    text: str,
    *,
    tag_handling: str | None = None,
    ignore_tags: Iterable[str] = (),
    glossary: Mapping[str, str] | None = None,
) -> str:
    """Return what :class:`FakeDeepL` answers for ``text`` (see the module docstring)."""
    node = _glossary_node_translator(glossary)
    if tag_handling not in ("xml", "html"):
        return node(text)
    html = tag_handling == "html"
    ignored = {t.lower() if html else t for t in ignore_tags if t}
    stack: list[str] = []
    out: list[str] = []
    for token in _tokenize(text, html=html):
        if token.kind == "text":
            inside_ignored = any(name in ignored for name in stack)
            out.append(token.raw if inside_ignored else node(token.raw))
            continue
        out.append(token.raw)
        if token.kind == "open":
            stack.append(token.name)
        elif token.kind == "close" and token.name in stack:
            while stack.pop() != token.name:
                pass
    return "".join(out)


def _element_spans(tokens: list[_Token]) -> list[tuple[int, int]]:
    """(start, end) token index ranges of the top-level elements in ``tokens``."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "empty":
            spans.append((i, i + 1))
        elif token.kind == "open":
            depth = 0
            j = i
            end = i + 1  # unbalanced start tag: treat it alone
            while j < len(tokens):
                if tokens[j].kind == "open" and tokens[j].name == token.name:
                    depth += 1
                elif tokens[j].kind == "close" and tokens[j].name == token.name:
                    depth -= 1
                    if depth == 0:
                        end = j + 1
                        break
                j += 1
            spans.append((i, end))
            i = end
            continue
        i += 1
    return spans


def _reorder(tokens: list[_Token]) -> list[_Token] | None:
    spans = _element_spans(tokens)
    if len(spans) >= 2:
        pieces = [tokens[s:e] for s, e in spans]
        out = list(tokens[: spans[0][0]])
        for k, piece in enumerate(reversed(pieces)):
            out.extend(piece)
            if k + 1 < len(spans):
                out.extend(tokens[spans[k][1] : spans[k + 1][0]])
        out.extend(tokens[spans[-1][1] :])
        return out
    for start, end in spans:
        if end - start > 2:
            inner = _reorder(tokens[start + 1 : end - 1])
            if inner is not None:
                return [*tokens[: start + 1], *inner, *tokens[end - 1 :]]
    return None


def mangle_text(text: str, mode: MangleMode) -> str:
    """Apply one :data:`MangleMode` to an (already translated) text."""
    if mode == "preamble":
        return PREAMBLE + text
    tokens = _tokenize(text)
    if mode == "reorder_tags":
        reordered = _reorder(tokens)
        return text if reordered is None else "".join(t.raw for t in reordered)
    if mode == "drop_tag":
        spans = _element_spans(tokens)
        if not spans:
            return text
        start, end = spans[0]
        drop = {start}
        if tokens[start].kind == "open" and tokens[end - 1].kind == "close" and end - start > 1:
            drop.add(end - 1)
        return "".join(t.raw for k, t in enumerate(tokens) if k not in drop)
    raise ValueError(f"unknown mangle mode {mode!r}")


# --------------------------------------------------------------------------- state


@dataclass(frozen=True)
class RecordedRequest:
    """One request as seen by the fake (recorded when it is answered)."""

    method: str
    path: str
    """URL path without the query string, e.g. ``/v2/translate``."""
    params: dict[str, Any]
    """Query string merged with the parsed body (JSON object or form fields)."""
    n_texts: int
    """Number of ``text`` values (translate requests; 0 otherwise)."""
    body_bytes: int
    status: int
    billed: int
    """Characters billed by this request (0 unless it succeeded)."""
    content_type: str
    auth_key: str | None
    fault: str | None
    """``"fail_next"``, ``"body_size"``, ``"auth"``, ``"max_texts"``, ``"quota"``,
    ``"mangle:<mode>"`` or ``None``."""
    slept: float = 0.0
    """Seconds of injected delay (``latency`` + :meth:`FakeDeepL.slow`)."""


@dataclass
class _Queued:
    remaining: int
    path: str | None
    value: Any
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Glossary:
    glossary_id: str
    name: str
    creation_time: str
    dictionaries: dict[tuple[str, str], dict[str, str]]

    def v2_json(self) -> dict[str, Any]:
        (src, tgt), entries = next(iter(self.dictionaries.items()))
        return {
            "glossary_id": self.glossary_id,
            "name": self.name,
            "ready": True,
            "source_lang": src,
            "target_lang": tgt,
            "creation_time": self.creation_time,
            "entry_count": len(entries),
        }

    def v3_json(self) -> dict[str, Any]:
        return {
            "glossary_id": self.glossary_id,
            "name": self.name,
            "dictionaries": [
                {"source_lang": s, "target_lang": t, "entry_count": len(e)}
                for (s, t), e in self.dictionaries.items()
            ],
            "creation_time": self.creation_time,
        }


class _ApiError(Exception):
    def __init__(self, status: int, message: str, fault: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.fault = fault


@dataclass
class _Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


def _json_response(status: int, payload: Any) -> _Response:
    return _Response(status, json.dumps(payload, ensure_ascii=False).encode())


def _error_response(status: int, message: str, body: Mapping[str, Any] | None = None) -> _Response:
    return _json_response(status, {"message": message, **(body or {})})


_LIST_PARAMS: Final = frozenset(
    {
        "text",
        "ignore_tags",
        "splitting_tags",
        "non_splitting_tags",
        "glossary_ids",
        "custom_instructions",
    }
)
_TAG_LIST_PARAMS: Final = frozenset({"ignore_tags", "splitting_tags", "non_splitting_tags"})


def _flatten_form(raw: Mapping[str, list[str]]) -> dict[str, Any]:
    return {k: (list(v) if k in _LIST_PARAMS else v[-1]) for k, v in raw.items()}


def _str_list(value: Any, *, split_commas: bool = False) -> list[str]:
    items = [value] if isinstance(value, str) else list(value or [])
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise _ApiError(400, f"Invalid list value: {item!r}")
        if split_commas:
            out.extend(part.strip() for part in item.split(",") if part.strip())
        else:
            out.append(item)
    return out


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "on", "yes"}
    return bool(value)


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_entries(entries: Any, entries_format: Any) -> dict[str, str]:
    if isinstance(entries, bytes):
        entries = entries.decode()
    if not isinstance(entries, str):
        raise _ApiError(400, "Parameter 'entries' not specified or invalid.")
    fmt = str(entries_format or "tsv").lower()
    rows: list[list[str]]
    if fmt == "tsv":
        rows = [line.split("\t") for line in entries.splitlines() if line.strip()]
        if any(len(row) != 2 for row in rows):
            raise _ApiError(400, "Invalid glossary entries: expected 'source<TAB>target' lines.")
    elif fmt == "csv":
        rows = [row for row in csv.reader(io.StringIO(entries)) if any(c.strip() for c in row)]
        if any(len(row) not in (2, 4) for row in rows):
            raise _ApiError(400, "Invalid glossary entries: expected 2 or 4 CSV columns.")
    else:
        raise _ApiError(400, "Value for 'entries_format' not supported.")
    result: dict[str, str] = {}
    for row in rows:
        source, target = row[0].strip(), row[1].strip()
        if not source or not target:
            raise _ApiError(400, "Invalid glossary entries: empty term.")
        if source in result:
            raise _ApiError(400, f"Invalid glossary entries: duplicate source term {source!r}.")
        result[source] = target
    if not result:
        raise _ApiError(400, "Invalid glossary entries: no entries.")
    return result


def _glossary_pair(source: Any, target: Any) -> tuple[str, str]:
    src = _base_lang(str(source or ""))
    tgt = _base_lang(str(target or ""))
    if src not in _GLOSSARY_LANGUAGES or tgt not in _GLOSSARY_LANGUAGES or src == tgt:
        raise _ApiError(400, f"Unsupported glossary language pair {src!r} -> {tgt!r}.")
    return src, tgt


_V2_GLOSSARY_RE: Final = re.compile(r"^/v2/glossaries/([^/]+)(/entries)?$")
_V3_GLOSSARY_RE: Final = re.compile(r"^/v3/glossaries/([^/]+)(/entries|/dictionaries)?$")


class FakeDeepL:
    """In-process fake of the DeepL API.  See the module docstring for the behaviour.

    Attributes (plain attributes may be reassigned at any time):

    * ``auth_key`` - the only accepted key;
    * ``max_texts`` / ``max_body_bytes`` - request limits (``None`` = unlimited);
    * ``character_limit`` - account quota reported by ``/v2/usage`` and enforced
      with 456 (set it with :meth:`quota_after`);
    * ``latency`` - seconds slept before answering every request;
    * ``detected_source_language`` - reported when a request has no ``source_lang``;
    * ``url`` / ``port`` (after :meth:`start`), ``billed``, ``requests``, ``glossaries``.
    """

    def __init__(
        self,
        *,
        auth_key: str = DEFAULT_AUTH_KEY,
        port: int = 0,
        max_texts: int | None = DEEPL_MAX_TEXTS,
        max_body_bytes: int | None = DEEPL_MAX_BODY_BYTES,
        character_limit: int = DEFAULT_CHARACTER_LIMIT,
        latency: float = 0.0,
        detected_source_language: str = "EN",
    ) -> None:
        self.auth_key = auth_key
        self.max_texts = max_texts
        self.max_body_bytes = max_body_bytes
        self.character_limit = character_limit
        self.latency = latency
        self.detected_source_language = detected_source_language
        self.append = ""  # added to every translation (a hostile server echoing the key, say)
        self._defaults = (max_texts, max_body_bytes, character_limit, latency)
        self._requested_port = port
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._billed = 0
        self._requests: list[RecordedRequest] = []
        self._glossaries: dict[str, _Glossary] = {}
        self._failures: list[_Queued] = []
        self._slow: list[_Queued] = []
        self._mangles: list[_Queued] = []
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._arrived: dict[str, int] = {}  # path -> requests received (answered or not)
        self._arrival = threading.Condition(self._lock)

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeDeepL:
        """Bind 127.0.0.1 and serve from a daemon thread.  Returns ``self``."""
        with self._lock:
            if self._httpd is not None:
                raise RuntimeError("FakeDeepL is already running")
            self._stopping.clear()
            httpd = _Server(self, self._requested_port)
            thread = threading.Thread(
                target=httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"FakeDeepL:{httpd.server_address[1]}",
                daemon=True,
            )
            self._httpd, self._thread = httpd, thread
        thread.start()
        return self

    def stop(self) -> None:
        """Stop serving (idempotent).  Wakes handlers sleeping in :meth:`slow`."""
        with self._lock:
            httpd, thread = self._httpd, self._thread
            self._httpd = self._thread = None
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> FakeDeepL:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def port(self) -> int:
        httpd = self._httpd
        if httpd is None:
            raise RuntimeError("FakeDeepL is not running; call start() first")
        return int(httpd.server_address[1])

    @property
    def url(self) -> str:
        """Base URL for ``deepl.Translator(key, server_url=url)``."""
        return f"http://127.0.0.1:{self.port}"

    # ------------------------------------------------------------------ bookkeeping

    @property
    def billed(self) -> int:
        """Total characters billed so far."""
        with self._lock:
            return self._billed

    @property
    def requests(self) -> list[RecordedRequest]:
        """Snapshot of all recorded requests, oldest first."""
        with self._lock:
            return list(self._requests)

    def requests_to(self, path: str, method: str | None = None) -> list[RecordedRequest]:
        """Recorded requests with exactly this path (and method, if given)."""
        return [r for r in self.requests if r.path == path and (method is None or r.method == method)]

    @property
    def translate_batches(self) -> list[int]:
        """``n_texts`` of every ``POST /v2/translate`` request, in order (any status)."""
        return [r.n_texts for r in self.requests_to("/v2/translate", "POST")]

    @property
    def glossaries(self) -> dict[str, dict[tuple[str, str], dict[str, str]]]:
        """Snapshot: glossary id -> {(source, target): entries} (lower-case codes)."""
        with self._lock:
            return {
                gid: {pair: dict(e) for pair, e in g.dictionaries.items()}
                for gid, g in self._glossaries.items()
            }

    def arrivals(self, path: str) -> int:
        """Requests to ``path`` received so far, answered or still being handled (:meth:`slow`)."""
        with self._lock:
            return self._arrived.get(path, 0)

    def wait_for_arrivals(self, path: str, count: int = 1, timeout: float = 30.0) -> bool:
        """Block until ``count`` requests to ``path`` have arrived (True), or ``timeout`` passed."""
        with self._arrival:
            return self._arrival.wait_for(lambda: self._arrived.get(path, 0) >= count, timeout)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def clear_faults(self) -> None:
        """Drop all queued faults (``fail_next``, ``slow``, ``mangle``)."""
        with self._lock:
            self._failures.clear()
            self._slow.clear()
            self._mangles.clear()

    def reset(self) -> None:
        """Forget faults, requests, billing and glossaries; restore constructor limits."""
        with self._lock:
            self.clear_faults()
            self._requests.clear()
            self._arrived.clear()
            self._billed = 0
            self._glossaries.clear()
            self.max_texts, self.max_body_bytes, self.character_limit, self.latency = self._defaults

    # ------------------------------------------------------------------ faults

    def fail_next(
        self,
        status: int,
        times: int = 1,
        *,
        retry_after: int | None = 1,
        message: str | None = None,
        path: str | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> None:
        """Answer the next ``times`` (matching) requests with ``status``.

        429 and 503 carry ``Retry-After: <retry_after>`` (unless ``None``). ``body`` adds fields to the
        JSON error body (``{"message": ...}``), e.g. a ``detail`` that is not a string.
        """
        if times < 1:
            raise ValueError("times must be >= 1")
        if message is None:
            message = HTTPStatus(status).phrase if status in _HTTP_STATUSES else "Injected failure"
        with self._lock:
            self._failures.append(
                _Queued(
                    times,
                    path,
                    status,
                    {"retry_after": retry_after, "message": message, "body": dict(body or {})},
                )
            )

    def slow(self, seconds: float, times: int = 1, *, path: str | None = None) -> None:
        """Sleep ``seconds`` before answering the next ``times`` (matching) requests.

        The request is then processed normally (and billed) even if the client has
        given up.  :meth:`stop` interrupts the sleep.
        """
        if times < 1:
            raise ValueError("times must be >= 1")
        with self._lock:
            self._slow.append(_Queued(times, path, float(seconds)))

    def mangle(self, mode: MangleMode, times: int = 1) -> None:
        """Corrupt every text of the next ``times`` successful translate responses."""
        if mode not in get_args(MangleMode):
            raise ValueError(f"unknown mangle mode {mode!r}")
        if times < 1:
            raise ValueError("times must be >= 1")
        with self._lock:
            self._mangles.append(_Queued(times, None, mode))

    def quota_after(self, chars: int | None) -> None:
        """Set the account limit: requests that would bill past ``chars`` get 456.

        ``None`` restores the constructor's ``character_limit``.
        """
        with self._lock:
            self.character_limit = self._defaults[2] if chars is None else chars

    def _take(self, queue: list[_Queued], path: str) -> _Queued | None:
        with self._lock:
            for item in queue:
                if item.path is None or path.startswith(item.path):
                    item.remaining -= 1
                    if item.remaining <= 0:
                        queue.remove(item)
                    return item
        return None

    # ------------------------------------------------------------------ request handling

    def _handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> _Response:
        """Process one HTTP request (``headers`` keys lower-case).  Used by the server."""
        split = urlsplit(target)
        path = split.path.rstrip("/") or "/"
        with self._arrival:
            self._arrived[path] = self._arrived.get(path, 0) + 1
            self._arrival.notify_all()
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        auth = headers.get("authorization", "")
        key = auth[len("DeepL-Auth-Key ") :].strip() if auth.startswith("DeepL-Auth-Key ") else None
        ctx: dict[str, Any] = {"fault": None, "billed": 0, "params": {}, "slept": 0.0}
        response: _Response
        try:
            response = self._process(method, path, split.query, content_type, key, body, ctx)
        except _ApiError as exc:
            ctx["fault"] = ctx["fault"] or exc.fault
            response = _error_response(exc.status, exc.message)
        params = ctx["params"]
        n_texts = 0
        if path == "/v2/translate":
            texts = params.get("text")
            n_texts = 1 if isinstance(texts, str) else len(texts) if isinstance(texts, list) else 0
        record = RecordedRequest(
            method=method,
            path=path,
            params=params,
            n_texts=n_texts,
            body_bytes=len(body),
            status=response.status,
            billed=ctx["billed"],
            content_type=content_type,
            auth_key=key,
            fault=ctx["fault"],
            slept=ctx["slept"],
        )
        with self._lock:
            self._requests.append(record)
        return response

    def _process(
        self,
        method: str,
        path: str,
        query: str,
        content_type: str,
        key: str | None,
        body: bytes,
        ctx: dict[str, Any],
    ) -> _Response:
        delay = self.latency
        slow = self._take(self._slow, path)
        if slow is not None:
            delay += float(slow.value)
        if delay > 0:
            ctx["slept"] = delay
            self._stopping.wait(delay)

        params: dict[str, Any] | None = None
        parse_error: _ApiError | None = None
        try:
            params = ctx["params"] = self._parse_params(query, content_type, body)
        except _ApiError as exc:
            parse_error = exc

        failure = self._take(self._failures, path)
        if failure is not None:
            ctx["fault"] = "fail_next"
            status = int(failure.value)
            response = _error_response(status, failure.extra["message"], failure.extra["body"])
            retry_after = failure.extra["retry_after"]
            if status in (429, 503) and retry_after is not None:
                response.headers["Retry-After"] = str(retry_after)
            return response

        limit = self.max_body_bytes
        if path == "/v2/translate" and limit is not None and len(body) > limit:
            raise _ApiError(413, "Request Entity Too Large", "body_size")

        if key is None or key != self.auth_key:
            raise _ApiError(403, "Authorization failure, check auth_key", "auth")

        if params is None:
            raise parse_error or _ApiError(400, "Bad request")
        return self._route(method, path, params, ctx)

    @staticmethod
    def _parse_params(query: str, content_type: str, body: bytes) -> dict[str, Any]:
        params = _flatten_form(parse_qs(query, keep_blank_values=True))
        if not body:
            return params
        if content_type == "application/json":
            try:
                parsed = json.loads(body)
            except (ValueError, UnicodeDecodeError) as exc:
                raise _ApiError(400, f"Invalid JSON body: {exc}") from None
            if not isinstance(parsed, dict):
                raise _ApiError(400, "JSON body must be an object")
            params.update(parsed)
        else:
            try:
                form = parse_qs(body.decode(), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                raise _ApiError(400, "Body is not UTF-8") from None
            params.update(_flatten_form(form))
        return params

    def _route(self, method: str, path: str, params: dict[str, Any], ctx: dict[str, Any]) -> _Response:
        routes: dict[str, dict[str, Callable[[], _Response]]] = {
            "/v2/translate": {"POST": lambda: self._translate(params, ctx)},
            "/v2/usage": {"GET": self._usage, "POST": self._usage},
            "/v2/languages": {
                "GET": lambda: self._languages(params),
                "POST": lambda: self._languages(params),
            },
            "/v2/glossary-language-pairs": {"GET": self._glossary_pairs},
            "/v2/glossaries": {
                "GET": self._v2_list,
                "POST": lambda: self._create(params, v3=False),
            },
            "/v3/glossaries": {
                "GET": self._v3_list,
                "POST": lambda: self._create(params, v3=True),
            },
        }
        if path in routes:
            handler = routes[path].get(method)
            if handler is None:
                raise _ApiError(405, f"Method {method} not allowed for {path}")
            return handler()
        if m := _V2_GLOSSARY_RE.match(path):
            return self._v2_glossary(method, m.group(1), m.group(2), params)
        if m := _V3_GLOSSARY_RE.match(path):
            return self._v3_glossary(method, m.group(1), m.group(2), params)
        raise _ApiError(404, f"Not found: {path}")

    # ------------------------------------------------------------------ endpoints

    def _translate(self, params: dict[str, Any], ctx: dict[str, Any]) -> _Response:
        if "text" not in params:
            raise _ApiError(400, "Parameter 'text' not specified.")
        texts = _str_list(params["text"])
        if not texts:
            raise _ApiError(400, "Parameter 'text' not specified.")
        max_texts = self.max_texts
        if max_texts is not None and len(texts) > max_texts:
            raise _ApiError(400, f"Too many texts: at most {max_texts} texts per request.", "max_texts")
        target = str(params.get("target_lang") or "").upper()
        if not target:
            raise _ApiError(400, "Parameter 'target_lang' not specified.")
        if target not in _ACCEPTED_TARGETS:
            raise _ApiError(400, "Value for 'target_lang' not supported.")
        source_raw = params.get("source_lang")
        source = str(source_raw).upper() if source_raw else None
        if source is not None and source not in _SOURCE_LANGUAGES:
            raise _ApiError(400, "Value for 'source_lang' not supported.")
        tag_handling = params.get("tag_handling")
        if tag_handling is not None and tag_handling not in ("xml", "html"):
            raise _ApiError(400, "Value for 'tag_handling' not supported.")
        ignore_tags = _str_list(params.get("ignore_tags"), split_commas=True)
        glossary = self._glossary_entries(params, source, target)

        chars = sum(len(t) for t in texts)
        with self._lock:
            if self._billed + chars > self.character_limit:
                raise _ApiError(456, "Quota exceeded", "quota")
            self._billed += chars
        ctx["billed"] = chars

        outputs = [
            pseudo_translate(t, tag_handling=tag_handling, ignore_tags=ignore_tags, glossary=glossary)
            for t in texts
        ]
        mangle = self._take(self._mangles, "/v2/translate")
        if mangle is not None:
            mode = cast(MangleMode, mangle.value)
            ctx["fault"] = f"mangle:{mode}"
            outputs = [mangle_text(o, mode) for o in outputs]
        if self.append:
            outputs = [o + self.append for o in outputs]

        show_billed = _truthy(params.get("show_billed_characters"))
        model_type = params.get("model_type")
        translations: list[dict[str, Any]] = []
        for text, out in zip(texts, outputs, strict=True):
            item: dict[str, Any] = {
                "detected_source_language": source or self.detected_source_language,
                "text": out,
            }
            if show_billed:
                item["billed_characters"] = len(text)
            if model_type:
                item["model_type_used"] = str(model_type).removeprefix("prefer_")
            translations.append(item)
        return _json_response(200, {"translations": translations})

    def _glossary_entries(self, params: dict[str, Any], source: str | None, target: str) -> dict[str, str]:
        ids: list[str] = []
        if params.get("glossary_id"):
            ids.append(str(params["glossary_id"]))
        ids.extend(_str_list(params.get("glossary_ids"), split_commas=True))
        if not ids:
            return {}
        if source is None:
            raise _ApiError(400, "Use of a glossary requires the 'source_lang' parameter to be specified.")
        pair = (source.lower(), _base_lang(target))
        merged: dict[str, str] = {}
        with self._lock:
            for gid in ids:
                glossary = self._glossaries.get(gid)
                if glossary is None:
                    raise _ApiError(404, f"Glossary {gid} not found.")
                entries = glossary.dictionaries.get(pair)
                if entries is None:
                    raise _ApiError(400, "Language pair of the glossary doesn't match the request.")
                seen = {k.casefold() for k in merged}
                merged.update({k: v for k, v in entries.items() if k.casefold() not in seen})
        return merged

    def _usage(self) -> _Response:
        with self._lock:
            payload = {"character_count": self._billed, "character_limit": self.character_limit}
        return _json_response(200, payload)

    @staticmethod
    def _languages(params: dict[str, Any]) -> _Response:
        kind = str(params.get("type") or "source").lower()
        if kind == "source":
            return _json_response(200, [{"language": c, "name": n} for c, n in _SOURCE_LANGUAGES.items()])
        if kind == "target":
            return _json_response(
                200,
                [
                    {"language": c, "name": n, "supports_formality": c in _FORMALITY}
                    for c, n in _TARGET_LANGUAGES.items()
                ],
            )
        raise _ApiError(400, "Value for 'type' not supported.")

    @staticmethod
    def _glossary_pairs() -> _Response:
        pairs = [
            {"source_lang": s, "target_lang": t}
            for s in _GLOSSARY_LANGUAGES
            for t in _GLOSSARY_LANGUAGES
            if s != t
        ]
        return _json_response(200, {"supported_languages": pairs})

    def _create(self, params: dict[str, Any], *, v3: bool) -> _Response:
        name = params.get("name")
        if not isinstance(name, str) or not name:
            raise _ApiError(400, "Parameter 'name' not specified.")
        dictionaries: dict[tuple[str, str], dict[str, str]] = {}
        if v3:
            raw = params.get("dictionaries")
            if not isinstance(raw, list) or not raw:
                raise _ApiError(400, "Parameter 'dictionaries' not specified.")
            for d in raw:
                if not isinstance(d, dict):
                    raise _ApiError(400, "Invalid dictionary.")
                pair = _glossary_pair(d.get("source_lang"), d.get("target_lang"))
                if pair in dictionaries:
                    raise _ApiError(400, f"Duplicate dictionary {pair}.")
                dictionaries[pair] = _parse_entries(d.get("entries"), d.get("entries_format"))
        else:
            pair = _glossary_pair(params.get("source_lang"), params.get("target_lang"))
            dictionaries[pair] = _parse_entries(params.get("entries"), params.get("entries_format"))
        glossary = _Glossary(str(uuid.uuid4()), name, _now(), dictionaries)
        with self._lock:
            self._glossaries[glossary.glossary_id] = glossary
            payload = glossary.v3_json() if v3 else glossary.v2_json()
        return _json_response(201, payload)

    def _v2_list(self) -> _Response:
        with self._lock:
            items = [g.v2_json() for g in self._glossaries.values() if len(g.dictionaries) == 1]
        return _json_response(200, {"glossaries": items})

    def _v3_list(self) -> _Response:
        with self._lock:
            items = [g.v3_json() for g in self._glossaries.values()]
        return _json_response(200, {"glossaries": items})

    def _get_glossary(self, gid: str) -> _Glossary:
        glossary = self._glossaries.get(gid)
        if glossary is None:
            raise _ApiError(404, "Glossary not found")
        return glossary

    def _v2_glossary(self, method: str, gid: str, sub: str | None, params: dict[str, Any]) -> _Response:
        with self._lock:
            glossary = self._get_glossary(gid)
            if len(glossary.dictionaries) != 1:
                raise _ApiError(400, "Multilingual glossaries are not supported by the v2 API.")
            if sub is None and method == "GET":
                return _json_response(200, glossary.v2_json())
            if sub is None and method == "DELETE":
                del self._glossaries[gid]
                return _Response(204)
            if sub == "/entries" and method == "GET":
                entries = next(iter(glossary.dictionaries.values()))
                tsv = "\n".join(f"{s}\t{t}" for s, t in entries.items())
                return _Response(200, tsv.encode(), "text/tab-separated-values")
        raise _ApiError(405, f"Method {method} not allowed")

    def _v3_glossary(self, method: str, gid: str, sub: str | None, params: dict[str, Any]) -> _Response:
        with self._lock:
            glossary = self._get_glossary(gid)
            if sub is None:
                if method == "GET":
                    return _json_response(200, glossary.v3_json())
                if method == "DELETE":
                    del self._glossaries[gid]
                    return _Response(204)
                if method == "PATCH":
                    return self._v3_patch(glossary, params)
            elif sub == "/entries" and method == "GET":
                pair = _glossary_pair(params.get("source_lang"), params.get("target_lang"))
                entries = glossary.dictionaries.get(pair)
                if entries is None:
                    raise _ApiError(404, "Dictionary not found")
                tsv = "\n".join(f"{s}\t{t}" for s, t in entries.items())
                return _json_response(
                    200,
                    {
                        "dictionaries": [
                            {
                                "source_lang": pair[0],
                                "target_lang": pair[1],
                                "entries": tsv,
                                "entries_format": "tsv",
                            }
                        ]
                    },
                )
            elif sub == "/dictionaries" and method == "PUT":
                pair = _glossary_pair(params.get("source_lang"), params.get("target_lang"))
                entries = _parse_entries(params.get("entries"), params.get("entries_format"))
                glossary.dictionaries[pair] = entries
                return _json_response(
                    200,
                    {"source_lang": pair[0], "target_lang": pair[1], "entry_count": len(entries)},
                )
            elif sub == "/dictionaries" and method == "DELETE":
                pair = _glossary_pair(params.get("source_lang"), params.get("target_lang"))
                if pair not in glossary.dictionaries:
                    raise _ApiError(404, "Dictionary not found")
                del glossary.dictionaries[pair]
                return _Response(204)
        raise _ApiError(405, f"Method {method} not allowed")

    @staticmethod
    def _v3_patch(glossary: _Glossary, params: dict[str, Any]) -> _Response:
        name = params.get("name")
        raw = params.get("dictionaries") or []
        if name is None and not raw:
            raise _ApiError(400, "Nothing to update.")
        if name is not None:
            if not isinstance(name, str) or not name:
                raise _ApiError(400, "Invalid 'name'.")
            glossary.name = name
        if not isinstance(raw, list):
            raise _ApiError(400, "Invalid 'dictionaries'.")
        for d in raw:
            if not isinstance(d, dict):
                raise _ApiError(400, "Invalid dictionary.")
            pair = _glossary_pair(d.get("source_lang"), d.get("target_lang"))
            entries = _parse_entries(d.get("entries"), d.get("entries_format"))
            glossary.dictionaries.setdefault(pair, {}).update(entries)
        return _json_response(200, glossary.v3_json())


_HTTP_STATUSES: Final = frozenset(s.value for s in HTTPStatus)

# --------------------------------------------------------------------------- HTTP plumbing


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeDeepL, port: int) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return  # the client went away (e.g. it timed out): not interesting
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeDeepL/1.0"
    wbufsize = -1  # buffer the response: status, headers and body leave in one write

    def setup(self) -> None:
        super().setup()
        # Without this, Nagle + delayed ACK add ~40 ms to every request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _serve(self) -> None:
        body = self._read_body()
        fake = cast(_Server, self.server).fake
        headers = {k.lower(): v for k, v in self.headers.items()}
        response = fake._handle(self.command, self.path, headers, body)
        try:
            self.send_response(response.status)
            if response.status != 204:
                self.send_header("Content-Type", f"{response.content_type}; charset=utf-8")
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(response.body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve


# --------------------------------------------------------------------------- client settings


@contextlib.contextmanager
def fast_retries(retries: int = 2, backoff: float = 0.01, timeout: float | None = None) -> Iterator[None]:
    """Temporarily make the ``deepl`` client retry quickly (process-wide patch).

    ``retries`` -> ``deepl.http_client.max_network_retries``; ``backoff`` -> the
    initial backoff slot (``_BackoffTimer.BACKOFF_INITIAL``, max ``8 * backoff``);
    ``timeout`` -> ``deepl.http_client.min_connection_timeout`` (the per-attempt
    timeout is ``max(backoff slot, timeout)``).  Restores the old values on exit.
    """
    import deepl.http_client as http_client

    timer = http_client._BackoffTimer
    saved = (
        http_client.max_network_retries,
        http_client.min_connection_timeout,
        timer.BACKOFF_INITIAL,
        timer.BACKOFF_MAX,
    )
    http_client.max_network_retries = retries
    if timeout is not None:
        http_client.min_connection_timeout = timeout
    timer.BACKOFF_INITIAL = backoff
    timer.BACKOFF_MAX = backoff * 8
    try:
        yield
    finally:
        (
            http_client.max_network_retries,
            http_client.min_connection_timeout,
            timer.BACKOFF_INITIAL,
            timer.BACKOFF_MAX,
        ) = saved


def main(argv: list[str] | None = None) -> None:
    """Run the fake stand-alone until interrupted (for benchmarks)."""
    parser = argparse.ArgumentParser(description="Local fake DeepL API server (127.0.0.1).")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--auth-key", default=DEFAULT_AUTH_KEY)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per request")
    parser.add_argument("--max-texts", type=int, default=DEEPL_MAX_TEXTS)
    parser.add_argument("--max-body-bytes", type=int, default=DEEPL_MAX_BODY_BYTES)
    parser.add_argument("--character-limit", type=int, default=DEFAULT_CHARACTER_LIMIT)
    args = parser.parse_args(argv)
    fake = FakeDeepL(
        auth_key=args.auth_key,
        port=args.port,
        latency=args.latency,
        max_texts=args.max_texts,
        max_body_bytes=args.max_body_bytes,
        character_limit=args.character_limit,
    )
    with fake:
        print(f"FakeDeepL listening on {fake.url} (auth key {fake.auth_key!r})", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
        print(f"billed {fake.billed} characters in {len(fake.requests)} requests", flush=True)


if __name__ == "__main__":
    main()
