"""Machine translation engines: DeepL (the real one) and a pseudo-localiser (no network).

An :class:`Engine` translates batches of DeepL XML (``tag_handling="xml"``, see :mod:`i18n.xmlmarkup`)
from a source to a target language and reports the characters billed; the caller batches within
DeepL's request limits. ``name`` is recorded in catalogs as a translation's origin.

:func:`deepl_engine` wraps the official ``deepl`` client, imported lazily so that a run with nothing to
translate never loads it. The client retries 429, 5xx, connection errors and timeouts itself, with
exponential backoff, ``deepl.http_client.max_network_retries`` times (default 5; a process-wide setting,
changed by the ``retries`` argument). Whatever still fails becomes an :class:`EngineError` whose
:class:`FailureKind` tells the pipeline whether to stop (quota, auth) or carry on, and whose message
never contains the auth key.

:func:`pseudo_engine` accents and lengthens the text outside tags (``Hello <b>world</b>`` ->
``⟦Hééllo <b>wóórld</b>⟧``) for layout tests and demos.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

from i18n.errors import I18nError
from i18n.glossary import Glossary, deepl_glossary_name

__all__ = [
    "DeepLEngine",
    "Engine",
    "EngineError",
    "FailureKind",
    "PseudoEngine",
    "Translated",
    "Usage",
    "deepl_engine",
    "deepl_language",
    "pseudo_engine",
    "pseudo_localize",
]

AUTH_KEY_ENV, SERVER_URL_ENV = "DEEPL_AUTH_KEY", "DEEPL_SERVER_URL"


@dataclass(frozen=True)
class Translated:
    """One translated text and the characters DeepL billed for it."""

    text: str
    billed: int


@dataclass(frozen=True)
class Usage:
    """Characters used in the current billing period and the account's limit (None: unknown)."""

    characters: int
    limit: int | None


class FailureKind(Enum):
    QUOTA = "quota"  # the account's character quota is used up: stop, nothing more will succeed
    AUTH = "auth"  # missing or rejected auth key: stop
    FAILED = "failed"  # anything else, after the client's own retries


class EngineError(I18nError):
    """Machine translation failed; ``kind`` says how. The message never contains the auth key."""

    def __init__(
        self, kind: FailureKind, message: str, *, path: str | Path | None = None, line: int | None = None
    ):
        self.kind = kind
        super().__init__(message, path=path, line=line)

    def at(self, path: str | Path) -> EngineError:
        return EngineError(self.kind, self.message, path=path, line=self.line)


class Engine(Protocol):
    name: str
    """``deepl`` or ``pseudo``: recorded in catalogs as the origin of a machine translation."""

    def usage(self) -> Usage | None:
        """The account's usage, or None when the engine has no account."""
        ...

    def sync_glossary(self, glossary: Glossary, source: str, languages: Sequence[str]) -> None:
        """Make ``glossary`` apply to later translations from ``source`` into ``languages``."""
        ...

    def translate(
        self, texts: Sequence[str], source: str, target: str, *, ignore_tags: Sequence[str] = ()
    ) -> list[Translated]:
        """Translate DeepL XML texts; one result per text, in order."""
        ...


# --- DeepL ---------------------------------------------------------------------------------------------

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


class DeepLEngine:
    """The DeepL API through the official client (``deepl.DeepLClient``, else ``deepl.Translator``)."""

    name = "deepl"

    def __init__(self, client: Any, auth_key: str):
        self._client = client
        self._secrets = tuple(s for s in {auth_key, auth_key.removesuffix(":fx")} if len(s) >= 4)
        self._multilingual = hasattr(client, "create_multilingual_glossary")
        self._glossary_ids: dict[tuple[str, str], str] = {}  # (source, target) as given -> glossary id

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
            for old in existing:
                if ours.fullmatch(old.name) and old.glossary_id not in kept:
                    self._delete_glossary(old.glossary_id)
        self._glossary_ids = {k: v for k, v in self._glossary_ids.items() if k[0] != source} | ids

    def translate(
        self, texts: Sequence[str], source: str, target: str, *, ignore_tags: Sequence[str] = ()
    ) -> list[Translated]:
        todo = [i for i, text in enumerate(texts) if text.strip()]  # DeepL rejects empty texts
        results = [Translated(text, 0) for text in texts]
        if not todo:
            return results
        with self._errors("translation"):
            answers = self._client.translate_text(
                [texts[i] for i in todo],
                source_lang=deepl_language(source, target=False),
                target_lang=deepl_language(target, target=True),
                tag_handling="xml",
                ignore_tags=list(ignore_tags) or None,
                outline_detection=False,
                split_sentences="nonewlines",
                preserve_formatting=True,
                glossary=self._glossary_ids.get((source, target)),
            )
        if len(answers) != len(todo):
            raise EngineError(FailureKind.FAILED, f"DeepL returned {len(answers)} texts for {len(todo)}")
        for i, answer in zip(todo, answers, strict=True):
            results[i] = Translated(str(answer.text), int(answer.billed_characters))
        return results

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
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return text

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
            message = f"DeepL {what} failed: {self._scrub(str(exc)) or type(exc).__name__}"
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
    url = server_url or os.environ.get(SERVER_URL_ENV) or None
    import deepl
    import deepl.http_client

    if retries is not None:
        deepl.http_client.max_network_retries = max(0, retries)
    client_class = getattr(deepl, "DeepLClient", None) or deepl.Translator
    try:
        client = client_class(key, server_url=url)
    except ValueError as exc:
        raise EngineError(FailureKind.FAILED, f"cannot set up DeepL: {exc}".replace(key, "***")) from None
    return DeepLEngine(client, key)


# --- pseudo-localisation -------------------------------------------------------------------------------

# Tags, comments, CDATA, processing instructions and entity references: copied as they are.
_MARKUP = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<![A-Za-z][^<>]*>|</?[A-Za-z_:][^<>]*>"
    r"|&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);",
    re.DOTALL,
)
_TAG_NAME = re.compile(r"</?\s*([^\s/>]+)")
_ACCENTS = str.maketrans("aeiouyAEIOUYcnCN", "áéíóúýÁÉÍÓÚÝçñÇÑ")
_VOWELS = frozenset("áéíóúýÁÉÍÓÚÝ")
_GROWTH = 0.3


def pseudo_localize(text: str, ignore_tags: Sequence[str] = ()) -> str:
    """Accent the text outside tags and lengthen it by about 30 % (⟦brackets⟧ and repeated vowels).

    Markup and the content of ``ignore_tags`` elements are kept byte for byte; deterministic. The
    padding is repeated vowels, not ``~``: ``~~`` would read as markdown strikethrough.
    """
    pieces: list[tuple[bool, str]] = []  # (translatable, text)
    stack: list[str] = []
    ignored = set(ignore_tags)
    pos = 0
    for match in _MARKUP.finditer(text):
        if match.start() > pos:
            pieces.append((not ignored.intersection(stack), text[pos : match.start()]))
        raw, pos = match.group(), match.end()
        pieces.append((False, raw))
        name = _TAG_NAME.match(raw)
        if name is None or raw.startswith(("<!", "<?")) or raw.endswith("/>"):
            continue
        if raw.startswith("</"):
            if name.group(1) in stack:
                while stack.pop() != name.group(1):
                    pass
        else:
            stack.append(name.group(1))
    if pos < len(text):
        pieces.append((not ignored.intersection(stack), text[pos:]))
    pieces = [(translatable, s.translate(_ACCENTS) if translatable else s) for translatable, s in pieces]
    size = sum(len(s) for translatable, s in pieces if translatable and s.strip())
    if not size:
        return text
    extra = max(0, math.ceil(_GROWTH * size) - 2)  # the brackets are 2
    vowels = sum(1 for translatable, s in pieces if translatable for c in s if c in _VOWELS)
    padded: list[tuple[bool, str]] = []
    seen = 0
    for translatable, s in pieces:
        if not translatable or not vowels:
            padded.append((translatable, s))
            continue
        chars: list[str] = []
        for c in s:
            chars.append(c)
            if c in _VOWELS:  # spread the extra characters evenly over the vowels
                chars.append(c * ((seen + 1) * extra // vowels - seen * extra // vowels))
                seen += 1
        padded.append((True, "".join(chars)))
    if not vowels:
        padded.append((True, "·" * extra))
    # Brackets go around the translatable text only, so leading or trailing markup stays where it is.
    words = [n for n, (translatable, s) in enumerate(padded) if translatable and s.strip()]
    first, last = words[0], words[-1]
    out = [s for _, s in padded]
    lead = out[first][: len(out[first]) - len(out[first].lstrip())]
    out[first] = lead + "⟦" + out[first][len(lead) :]
    trail = out[last][len(out[last].rstrip()) :]
    out[last] = out[last][: len(out[last]) - len(trail)] + "⟧" + trail
    return "".join(out)


class PseudoEngine:
    """Pseudo-localisation: no network, no account, no glossary; bills ``len(text)``."""

    name = "pseudo"

    def usage(self) -> Usage | None:
        return None

    def sync_glossary(self, glossary: Glossary, source: str, languages: Sequence[str]) -> None:
        return None

    def translate(
        self, texts: Sequence[str], source: str, target: str, *, ignore_tags: Sequence[str] = ()
    ) -> list[Translated]:
        return [Translated(pseudo_localize(text, ignore_tags), len(text)) for text in texts]


def pseudo_engine() -> PseudoEngine:
    return PseudoEngine()
