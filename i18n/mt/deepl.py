"""The DeepL engine, through the official ``deepl`` client (imported only when a text is translated).

The client retries 429, 5xx, connection errors and timeouts itself, with exponential backoff,
``deepl.http_client.max_network_retries`` times (default 5; a process-wide setting, changed by the
``retries`` argument). Whatever still fails becomes an :class:`EngineError` whose :class:`FailureKind`
tells the pipeline whether to stop (quota, auth) or carry on, and whose message never contains the key.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from ..secret import holds_secret, scrub, secret_forms
from . import Planning
from .engine import Answer, Context, EngineError, FailureKind, Stopping, Translated, Usage, never
from .glossary import Glossary, deepl_glossary_name
from .xmlmarkup import NON_SPLITTING_TAGS

if TYPE_CHECKING:
    from ..config import Config

AUTH_KEY_ENV, SERVER_URL_ENV = "DEEPL_AUTH_KEY", "DEEPL_SERVER_URL"

_TARGET_DEFAULTS = {"EN": "EN-GB", "PT": "PT-PT"}  # DeepL refuses the bare EN and PT as targets
_ALIASES = {"NO": "NB"}


def deepl_language(code: str, *, target: bool) -> str:
    """DeepL's code for a language: ``nl`` -> ``NL``; a source is its base language (``pt-BR`` -> ``PT``);
    a target keeps its variant (``pt-BR`` -> ``PT-BR``) and ``en``/``pt`` become ``EN-GB``/``PT-PT``."""
    parts = code.replace("_", "-").upper().split("-")
    base = _ALIASES.get(parts[0], parts[0])
    if not target:
        return base
    if len(parts) > 1:
        return "-".join([base, *parts[1:]])
    return _TARGET_DEFAULTS.get(base, base)


def _glossary_code(code: str) -> str:
    """The language of a DeepL glossary dictionary: base language, lower case."""
    return deepl_language(code, target=False).lower()


@dataclass(frozen=True)
class _Remote:
    """A glossary on the account, as listed."""

    glossary_id: str
    name: str
    pairs: frozenset[tuple[str, str]]


# A planned glossary: name -> target glossary code -> (entries, the languages that use them)
_Plan = dict[str, dict[str, tuple[dict[str, str], list[str]]]]


def _plan(glossary: Glossary, source: str, languages: Sequence[str]) -> _Plan:
    """The glossaries to have: one per name, one dictionary per target language.

    A glossary holds one dictionary per base language, so a second variant with other entries
    (``pt-BR`` beside ``pt``) goes to a second glossary named ``<name>-2``.
    """
    name = deepl_glossary_name(glossary, source, languages)
    plan: _Plan = {}
    for language in sorted(set(languages)):
        code, entries = _glossary_code(language), glossary.entries(language)
        if not entries or code == _glossary_code(source):
            continue
        layer = 1
        while True:
            dictionaries = plan.setdefault(name if layer == 1 else f"{name}-{layer}", {})
            if code not in dictionaries:
                dictionaries[code] = (entries, [language])
                break
            if dictionaries[code][0] == entries:
                dictionaries[code][1].append(language)
                break
            layer += 1
    return plan


def _options(
    source: str, target: str, ignore_tags: Sequence[str], glossary_id: str | None, context: str = ""
) -> dict[str, Any]:
    """The options of a ``translate_text`` call, as the client's keyword arguments."""
    return {
        "context": context or None,
        "source_lang": deepl_language(source, target=False),
        "target_lang": deepl_language(target, target=True),
        "tag_handling": "xml",
        "ignore_tags": list(ignore_tags) or None,
        "non_splitting_tags": list(NON_SPLITTING_TAGS),
        "outline_detection": False,
        "split_sentences": "nonewlines",
        "preserve_formatting": True,
        "glossary": glossary_id,
    }


def request_size(
    texts: Sequence[str], source: str, target: str, glossary_id: str | None = None, *, context: str = ""
) -> int:
    """Bytes of the JSON body the client sends for ``texts`` (``requests`` encodes JSON with non-ASCII
    escaped): the options of :func:`_options` under the API's names. DeepL refuses a body over 128 KiB.
    Without a glossary id, the size of one is counted (batches are planned before the glossary syncs)."""
    options = _options(source, target, ("x",), glossary_id)
    body: dict[str, Any] = {
        "target_lang": options["target_lang"],
        "source_lang": options["source_lang"],
        "glossary_id": options["glossary"] or "0" * 36,
        "text": list(texts),
        "show_billed_characters": True,
        "split_sentences": options["split_sentences"],
        "preserve_formatting": options["preserve_formatting"],
        "tag_handling": options["tag_handling"],
        "outline_detection": options["outline_detection"],
        "non_splitting_tags": options["non_splitting_tags"],
        "ignore_tags": options["ignore_tags"],
        **({"context": context} if context else {}),
    }
    return len(json.dumps(body).encode("ascii"))


class DeepLEngine:
    """The DeepL API through the official client (``deepl.DeepLClient``, else ``deepl.Translator``)."""

    name = "deepl"

    def __init__(self, client: Any, auth_key: str):
        self._client = client
        self._secrets = secret_forms(auth_key)
        self._multilingual = hasattr(client, "create_multilingual_glossary")
        self._glossary_ids: dict[tuple[str, str], str] = {}  # (source, target) as given -> glossary id

    @property
    def secrets(self) -> tuple[str, ...]:
        """The forms of the key: an answer holding one is never stored (:mod:`i18n.mt.execute`)."""
        return self._secrets

    def usage(self) -> Usage | None:
        with self._errors("usage"):
            character = self._client.get_usage().character
        count, limit = character.count, character.limit
        return Usage(int(count or 0), None if limit is None else int(limit))

    def sync_glossary(self, glossary: Glossary, source: str, languages: Sequence[str]) -> None:
        """Reuse the glossary named after this content, or create it and delete our older ones.

        Only glossaries named ``i18n-<source>-<hash>`` are ever deleted. Languages without entries get no
        dictionary; an empty glossary creates nothing (and still removes our old ones).
        """
        plan = _plan(glossary, source, languages)
        ours = re.compile(re.escape(f"i18n-{source}-") + r"[0-9a-f]{12}(?:-\d+)?")
        src = _glossary_code(source)
        ids: dict[tuple[str, str], str] = {}
        kept: set[str] = set()
        with self._errors("glossary sync"):
            existing = self._list_glossaries()
            for name, dictionaries in plan.items():
                groups = [dictionaries] if self._multilingual else [{c: d} for c, d in dictionaries.items()]
                for group in groups:
                    pairs = frozenset((src, code) for code in group)
                    found = next((g for g in existing if g.name == name and g.pairs == pairs), None)
                    glossary_id = found.glossary_id if found else self._create_glossary(name, src, group)
                    kept.add(glossary_id)
                    for _, group_languages in group.values():
                        ids.update(((source, language), glossary_id) for language in group_languages)
            for old in existing:  # one of this content's name is never deleted: another shard's, in use
                if ours.fullmatch(old.name) and old.glossary_id not in kept and old.name not in plan:
                    self._delete_glossary(old.glossary_id)
        self._glossary_ids = {k: v for k, v in self._glossary_ids.items() if k[0] != source} | ids

    def request_size(self, texts: Sequence[str], source: str, target: str) -> int:
        return request_size(texts, source, target, self._glossary_ids.get((source, target)))

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
        todo = [i for i, text in enumerate(texts) if text.strip()]  # DeepL rejects empty texts
        results = [Translated(text, 0) for text in texts]
        if not todo:
            return Answer(tuple(results), calls=0)
        with self._errors(f"translation into {target}"):
            answers = self._client.translate_text(
                [texts[i] for i in todo],
                **_options(source, target, ignore_tags, self._glossary_ids.get((source, target)), context),
            )
        if len(answers) != len(todo):
            raise EngineError(FailureKind.FAILED, f"DeepL returned {len(answers)} texts for {len(todo)}")
        for i, answer in zip(todo, answers, strict=True):
            results[i] = Translated(str(answer.text), int(answer.billed_characters))
        return Answer(tuple(results))

    def _list_glossaries(self) -> list[_Remote]:
        if self._multilingual:
            return [
                _Remote(
                    str(g.glossary_id),
                    str(g.name),
                    frozenset(
                        (str(d.source_lang).lower(), str(d.target_lang).lower()) for d in g.dictionaries
                    ),
                )
                for g in self._client.list_multilingual_glossaries()
            ]
        return [
            _Remote(
                str(g.glossary_id), str(g.name), frozenset({(g.source_lang.lower(), g.target_lang.lower())})
            )
            for g in self._client.list_glossaries()
        ]

    def _create_glossary(
        self, name: str, src: str, group: dict[str, tuple[dict[str, str], list[str]]]
    ) -> str:
        if self._multilingual:
            from deepl.api_data import MultilingualGlossaryDictionaryEntries

            dictionaries = [
                MultilingualGlossaryDictionaryEntries(src, code, entries)
                for code, (entries, _) in group.items()
            ]
            return str(self._client.create_multilingual_glossary(name, dictionaries).glossary_id)
        ((code, (entries, _)),) = group.items()
        return str(self._client.create_glossary(name, src, code, entries).glossary_id)

    def _delete_glossary(self, glossary_id: str) -> None:
        import deepl

        delete = (
            self._client.delete_multilingual_glossary if self._multilingual else self._client.delete_glossary
        )
        with contextlib.suppress(deepl.GlossaryNotFoundException):  # deleted meanwhile: fine
            delete(glossary_id)

    def _scrub(self, text: str) -> str:
        return scrub(text, self._secrets)

    @contextlib.contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        """Turn the client's exceptions into EngineErrors without the key (and without the cause,
        whose message and request may carry it)."""
        import deepl

        try:
            yield
        except deepl.QuotaExceededException as exc:
            message = f"DeepL quota exceeded (456): {self._scrub(str(exc))}"
            raise EngineError(FailureKind.QUOTA, message) from None
        except deepl.AuthorizationException as exc:
            message = f"DeepL rejected the auth key (403); check {AUTH_KEY_ENV}: {self._scrub(str(exc))}"
            raise EngineError(FailureKind.AUTH, message) from None
        except (deepl.DeepLException, OSError) as exc:
            too_large = getattr(exc, "http_status_code", None) == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
            kind = FailureKind.TOO_LARGE if too_large else FailureKind.FAILED
            message = f"DeepL {what} failed: {self._scrub(str(exc)) or type(exc).__name__}"
            raise EngineError(kind, message) from None
        except (TypeError, ValueError, KeyError, AttributeError) as exc:  # an answer the client cannot read
            message = (
                f"DeepL {what} failed: unreadable answer ({type(exc).__name__}: {self._scrub(str(exc))})"
            )
            raise EngineError(FailureKind.FAILED, message) from None


def deepl_engine(
    auth_key: str | None = None, server_url: str | None = None, *, retries: int | None = None
) -> DeepLEngine:
    """A DeepL engine with the key from ``auth_key`` or ``$DEEPL_AUTH_KEY`` and the server from
    ``server_url`` or ``$DEEPL_SERVER_URL`` (default: DeepL's, free or pro by the key).

    ``retries`` sets ``deepl.http_client.max_network_retries`` for the whole process (None: leave it,
    default 5): how often a request is retried on 429, 5xx, a timeout or a connection error.
    """
    key = (auth_key or os.environ.get(AUTH_KEY_ENV) or "").strip()
    if not key:
        raise EngineError(
            FailureKind.AUTH,
            f'{AUTH_KEY_ENV} is not set: export your DeepL API key, or use engine = "pseudo"',
        )
    if any(ch.isspace() or not ch.isprintable() for ch in key):  # never sent: the error would show it
        raise EngineError(
            FailureKind.AUTH,
            f"{AUTH_KEY_ENV} has a space, line break or control character inside: set it to the key alone",
        )
    url = server_url or os.environ.get(SERVER_URL_ENV) or None
    if url is not None:
        check_server_url(url, secret_forms(key))
    import deepl
    import deepl.http_client

    if retries is not None:
        deepl.http_client.max_network_retries = max(0, retries)
    client_class = getattr(deepl, "DeepLClient", None) or deepl.Translator
    try:
        client = client_class(key, server_url=url)
    except ValueError as exc:
        raise EngineError(
            FailureKind.FAILED, scrub(f"cannot set up DeepL: {exc}", secret_forms(key))
        ) from None
    return DeepLEngine(client, key)


def check_server_url(url: str, secrets: Sequence[str] = ()) -> None:
    """A ``DEEPL_SERVER_URL`` the client can use (http or https, a host), or an ``EngineError`` that
    shows the URL unless it holds one of ``secrets`` (the key, set in the wrong variable)."""
    from urllib.parse import urlsplit

    if holds_secret(url, secrets):
        raise EngineError(
            FailureKind.FAILED,
            f"{SERVER_URL_ENV} holds the value of {AUTH_KEY_ENV} (swapped by mistake?): set it to the "
            "server's http:// or https:// URL",
        )

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        raise EngineError(
            FailureKind.FAILED, f"{SERVER_URL_ENV} is not a valid URL ({exc}): {url!r}"
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EngineError(
            FailureKind.FAILED, f"{SERVER_URL_ENV} must be an http:// or https:// URL with a host: {url!r}"
        )


def make(config: Config) -> DeepLEngine:
    """The registry's factory (:mod:`.registry`): the key and server from the environment."""
    return deepl_engine()


def plan(config: Config, glossary: Glossary) -> Planning:
    """The registry's planning: requests measured in bytes, batches bounded by the configuration."""
    return Planning(request_size, config.batch_max_texts, config.batch_max_bytes, name="deepl")
