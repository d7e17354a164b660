"""The project glossary: its format, loading with strict validation, compliance checks and DeepL naming.

Format (``glossary.yaml`` at the repository root; ``glossary`` in ``[tool.i18n]``)::

    do_not_translate:        # kept exactly as written in every language
      - PauseAI
    terms:                   # source term -> target per language code
      national group:
        nl: nationale groep
        de: nationale Gruppe

Both keys are optional and no other key is allowed; a missing file is an empty glossary. Terms and
translations are non-empty single-line strings without leading or trailing whitespace, unique after
case-folding (a term may not be both kept and translated). Language codes look like ``nl`` or ``pt-BR``;
a language without an entry for a term is left to the engine. Every problem is a :class:`GlossaryError`
naming the file and line.

Machine translation gets the glossary as DeepL glossaries (:meth:`Glossary.entries`, named by
:func:`deepl_glossary_name` after a hash of their content so a changed glossary gets a new one), and every
translation is checked with :func:`check_terms`.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from ..caches import run_cache
from ..errors import I18nError

LANGUAGE_RE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
FUZZY_THRESHOLD = 85.0
_KEEP, _TERMS = "do_not_translate", "terms"
_TOP_KEYS = (_KEEP, _TERMS)
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_TAG_KINDS = {
    "tag:yaml.org,2002:int": "an integer",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:binary": "binary data",
}
# Markup whose words are not prose: code spans, link targets, reference labels, HTML tags, bare URLs.
_MARKUP = re.compile(r"`+[^`]*`+|\]\([^)]*\)|\]\[[^\]]*\]|<[^>\n]*>|https?://\S+")
_POSSESSIVE = r"(?:['’]s|s['’])"


class GlossaryError(I18nError):
    """The glossary cannot be read or is invalid."""


@dataclass(frozen=True)
class Term:
    """A source term and its translation per language code (pairs in file order)."""

    source: str
    targets: tuple[tuple[str, str], ...]
    line: int

    def target(self, language: str) -> str | None:
        """The translation for ``language`` (``pt-BR`` falls back to ``pt``), or None."""
        wanted = language.casefold()
        base = wanted.split("-", 1)[0]
        found = {code.casefold(): target for code, target in self.targets}
        return found.get(wanted, found.get(base))


@dataclass(frozen=True)
class Glossary:
    """Do-not-translate terms and translated terms, in file order."""

    keep: tuple[str, ...] = ()
    terms: tuple[Term, ...] = ()

    @property
    def languages(self) -> tuple[str, ...]:
        """Language codes that have at least one translated term, sorted."""
        return tuple(sorted({code for term in self.terms for code, _ in term.targets}))

    def entries(self, language: str) -> dict[str, str]:
        """Source -> target for one language; do-not-translate terms map to themselves."""
        entries = {term: term for term in self.keep}
        for term in self.terms:
            target = term.target(language)
            if target is not None:
                entries[term.source] = target
        return entries

    def digest(self, language: str | None = None) -> str:
        """A stable hash of the content (of one language's entries if given): 12 hex digits of sha256.

        Order in the file and line numbers do not matter; any change to a term or translation does.
        """
        if language is not None:
            return _digest({"language": language, "entries": sorted(self.entries(language).items())})
        terms = sorted((t.source, sorted(t.targets)) for t in self.terms)
        return _digest({"keep": sorted(self.keep), "terms": terms})


def _digest(value: object) -> str:
    data = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:12]


def deepl_glossary_name(glossary: Glossary, source_language: str, languages: Sequence[str]) -> str:
    """The DeepL glossary name for these languages' entries, e.g. ``i18n-en-3f2a9c1b7d0e``.

    The name changes exactly when the entries for one of ``languages`` (or the set of languages) does, so
    an existing glossary with the same name can be reused and others with the ``i18n-`` prefix deleted.
    """
    wanted = sorted({lang for lang in languages if lang != source_language})
    dictionaries = {lang: sorted(glossary.entries(lang).items()) for lang in wanted}
    return f"i18n-{source_language}-{_digest({'source': source_language, 'dictionaries': dictionaries})}"


# --- loading -------------------------------------------------------------------------------------------


def load_glossary(path: Path) -> Glossary:
    """Read and validate the glossary at ``path``; a missing file is an empty glossary."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return Glossary()
    except UnicodeDecodeError as exc:
        raise GlossaryError(f"not UTF-8: {exc.reason} at byte {exc.start}", path=path) from None
    except OSError as exc:
        raise GlossaryError(f"cannot read: {exc.strerror or exc}", path=path) from None
    return parse_glossary(text, path)


def parse_glossary(text: str, path: str | Path = "glossary.yaml") -> Glossary:
    """Parse and validate glossary YAML; ``path`` only names the file in errors."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        raise GlossaryError(
            f"invalid YAML: {problem}", path=path, line=mark.line + 1 if mark else None
        ) from None
    except yaml.YAMLError as exc:
        raise GlossaryError(f"invalid YAML: {exc}", path=path) from None
    return _Parser(path).glossary(root)


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _NULL_TAG:
        return "nothing"
    kind = _TAG_KINDS.get(node.tag, "a string" if node.tag == _STR_TAG else f"a {node.tag} value")
    return f"{kind} ({node.value})"


def _fold(text: str) -> str:
    """The duplicate-detection key: NFC, whitespace runs folded, case-folded."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


class _Parser:
    def __init__(self, path: str | Path):
        self.path = path
        self.keep_lines: dict[str, int] = {}

    def error(self, message: str, node: yaml.Node) -> GlossaryError:
        return GlossaryError(message, path=self.path, line=_line(node))

    def glossary(self, root: yaml.Node | None) -> Glossary:
        if root is None or (isinstance(root, yaml.ScalarNode) and root.tag == _NULL_TAG):
            return Glossary()
        if not isinstance(root, yaml.MappingNode):
            raise self.error(f"expected a mapping with {_KEEP!r} and {_TERMS!r}, got {_kind(root)}", root)
        sections: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value in root.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str) or key not in _TOP_KEYS:
                shown = key if isinstance(key, str) else _kind(key_node)
                close = difflib.get_close_matches(key, _TOP_KEYS, n=1) if isinstance(key, str) else []
                hint = f"did you mean {close[0]!r}?" if close else f"expected {_KEEP!r} or {_TERMS!r}"
                raise self.error(f"unknown key {shown!r} ({hint})", key_node)
            if key in sections:
                first = _line(sections[key][0])
                raise self.error(f"duplicate key {key!r} (first on line {first})", key_node)
            sections[key] = (key_node, value)
        keep = self.keep(sections[_KEEP][1]) if _KEEP in sections else {}
        terms = self.terms(sections[_TERMS][1], keep) if _TERMS in sections else ()
        return Glossary(keep=tuple(keep.values()), terms=terms)

    def string(self, node: yaml.Node, what: str) -> str:
        """A valid term or translation, else an error describing ``what`` it should have been."""
        if not isinstance(node, yaml.ScalarNode) or node.tag not in (_STR_TAG, _NULL_TAG):
            hint = "; quote it" if isinstance(node, yaml.ScalarNode) else ""
            raise self.error(f"{what} must be a string, got {_kind(node)}{hint}", node)
        value = str(node.value) if node.tag == _STR_TAG else ""
        if not value.strip():
            raise self.error(f"empty {what}", node)
        if "\t" in value:
            raise self.error(f"{what} {value!r} contains a tab", node)
        if any(c in value for c in "\n\r\v\f\x85\u2028\u2029"):
            raise self.error(f"{what} {value!r} contains a line break", node)
        if value != value.strip():
            raise self.error(f"{what} {value!r} has leading or trailing whitespace; trim it", node)
        return value

    def keep(self, node: yaml.Node) -> dict[str, str]:
        """Do-not-translate terms by folded key."""
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG:
            return {}
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(f"{_KEEP} must be a list of terms, got {_kind(node)}", node)
        keep: dict[str, str] = {}
        lines: dict[str, int] = {}
        for item in node.value:
            term = self.string(item, "do-not-translate term")
            key = _fold(term)
            if key in keep:
                raise self.error(
                    f"duplicate do-not-translate term {term!r} (first on line {lines[key]})", item
                )
            keep[key], lines[key] = term, _line(item)
        self.keep_lines = lines
        return keep

    def terms(self, node: yaml.Node, keep: dict[str, str]) -> tuple[Term, ...]:
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG:
            return ()
        if not isinstance(node, yaml.MappingNode):
            raise self.error(f"{_TERMS} must map each term to its translations, got {_kind(node)}", node)
        terms: list[Term] = []
        lines: dict[str, int] = {}
        for key_node, value in node.value:
            source = self.string(key_node, "term")
            key = _fold(source)
            if key in lines:
                raise self.error(f"duplicate term {source!r} (first on line {lines[key]})", key_node)
            if key in keep:
                where = self.keep_lines[key]
                raise self.error(f"term {source!r} is also in {_KEEP} (line {where}); keep one", key_node)
            lines[key] = _line(key_node)
            terms.append(
                Term(source=source, targets=tuple(self.targets(source, key_node, value)), line=lines[key])
            )
        return tuple(terms)

    def targets(self, source: str, key_node: yaml.Node, node: yaml.Node) -> Iterator[tuple[str, str]]:
        if not isinstance(node, yaml.MappingNode):
            got = _kind(node)
            raise self.error(f"term {source!r} must map language codes to translations, got {got}", key_node)
        if not node.value:
            raise self.error(f"term {source!r} has no translations; add some or move it to {_KEEP}", key_node)
        lines: dict[str, int] = {}
        for code_node, target_node in node.value:
            if not isinstance(code_node, yaml.ScalarNode):
                raise self.error(f"language code must be a string, got {_kind(code_node)}", code_node)
            # The raw text, so that `no:` (Norwegian) is a language and not a boolean.
            code = str(code_node.value)
            if not LANGUAGE_RE.fullmatch(code):
                raise self.error(
                    f"invalid language code {code!r} for term {source!r} (like 'nl', 'pt-BR')", code_node
                )
            if code.casefold() in lines:
                first = lines[code.casefold()]
                raise self.error(
                    f"duplicate language {code!r} for term {source!r} (first on line {first})", code_node
                )
            lines[code.casefold()] = _line(code_node)
            yield code, self.string(target_node, f"translation of {source!r} in {code!r}")


# --- compliance ----------------------------------------------------------------------------------------


def check_terms(glossary: Glossary, source: str, translation: str, language: str) -> tuple[str, ...]:
    """The glossary terms in ``source`` that ``translation`` does not honour, in glossary order.

    A term occurs in the source case-insensitively as whole words, also as a simple English plural or
    possessive ("National Groups", "national group's", "policies", "PauseAI's") and with its words
    hyphenated ("national-group pages"); a capitalised do-not-translate term written all in lower
    case ("discord") is the ordinary word and does not count, and a longer term claims its words ("PauseAI
    Global" is not also an occurrence of "PauseAI"). Code spans, link targets, HTML tags and URLs are
    ignored on both sides.

    A do-not-translate term must appear exactly as written (case-sensitive), also at the start of a
    compound or with a suffix ("PauseAI-protest", "PauseAIs"). A translated term must appear as its target
    for ``language``, compared case- and accent-insensitively and tolerant to inflection and compounds:
    either the target's words occur in order with their last letters trimmed ("nationalen Gruppen",
    "vrijwilligers", "Nationalgruppe"), or each trimmed word occurs somewhere and rapidfuzz
    ``partial_ratio`` reaches :data:`FUZZY_THRESHOLD` ("Sicherheit von KI"). Terms without a target for
    ``language`` are not checked.
    """
    return _checker(glossary, language).violations(_prose(source), _prose(translation))


def terms_in(glossary: Glossary, source: str, language: str) -> tuple[tuple[str, str], ...]:
    """The glossary terms that occur in ``source`` (as :func:`check_terms` finds them), in glossary
    order, as (term, what it must be in ``language``): a do-not-translate term maps to itself."""
    rules = _checker(glossary, language).present(_prose(source))
    targets = {term.source: term.target(language) for term in glossary.terms}
    return tuple(
        (rule.source, rule.source if rule.exact is not None else targets[rule.source] or rule.source)
        for rule in sorted(rules, key=lambda r: r.order)
    )


@run_cache(4096)  # a source is checked once per language: its prose is made once
def _prose(text: str) -> str:
    return _MARKUP.sub(lambda m: "]" if m.group().startswith("]") else " ", text)


def _loose(text: str) -> str:
    """Case-folded without accents, for comparing translations with targets."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _trim(word: str) -> int:
    """How many final letters of ``word`` inflection may change: up to 3 of long words, none of short."""
    trim = 3 if len(word) >= 10 else 2 if len(word) >= 6 else 1 if len(word) >= 4 else 0
    while trim and not word[-trim:].isalpha():
        trim -= 1
    return trim


@dataclass(frozen=True)
class _Rule:
    order: int
    source: str
    in_source: re.Pattern[str]
    proper_noun: bool  # do-not-translate with capitals: an all-lowercase occurrence is another word
    exact: re.Pattern[str] | None  # do-not-translate: the term as written
    target: str = ""  # translated term: the loose target ...
    ordered: re.Pattern[str] | None = None  # ... its word stems in order, as words or a compound
    stems: tuple[str, ...] = ()  # ... and the stems alone

    @functools.cached_property
    def cue(self) -> str:
        """The case-folded first word of the source term: a cheap test before the pattern."""
        return self.source.split()[0].casefold()

    def found_in(self, translation: str, loose: str) -> bool:
        if self.exact is not None:
            return self.exact.search(translation) is not None
        if self.target in loose or (self.ordered is not None and self.ordered.search(loose)):
            return True
        if not all(stem in loose for stem in self.stems) or len(loose) < len(self.target):
            return False  # (a short translation would be aligned inside the target, not vice versa)
        return fuzz.partial_ratio(self.target, loose, score_cutoff=FUZZY_THRESHOLD) > 0


def _keep_rule(order: int, term: str) -> _Rule:
    exact = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in term.split()))
    return _Rule(order, term, _source_pattern(term), term != term.casefold(), exact)


def _term_rule(order: int, source: str, target: str) -> _Rule:
    loose = _loose(target)
    words = [w for w in re.split(r"[\s\-]+", loose) if w]
    stems = tuple(w[: len(w) - _trim(w)] for w in words)
    # A word's stem may be followed by its trimmed letters plus two (an inflection), then by a space,
    # a hyphen or nothing (a compound) before the next word's stem.
    parts = [
        re.escape(stem) + (rf"\w{{0,{_trim(w) + 2}}}[\s\-]*" if i < len(words) - 1 else "")
        for i, (w, stem) in enumerate(zip(words, stems, strict=True))
    ]
    ordered = re.compile("".join(parts)) if parts else None
    return _Rule(order, source, _source_pattern(source), False, None, loose, ordered, stems)


def _source_pattern(term: str) -> re.Pattern[str]:
    words = term.split()
    last = re.escape(words[-1])
    if re.search(r"[^aeiou\W]y$", words[-1], re.IGNORECASE):
        last = f"(?:{last}|{re.escape(words[-1][:-1])}ies)"
    words_re = [re.escape(w) for w in words[:-1]] + [f"{last}(?:{_POSSESSIVE}|e?s)?"]
    return re.compile(r"(?<!\w)" + r"(?:\s+|-)".join(words_re) + r"(?!\w)", re.IGNORECASE)


class _Checker:
    def __init__(self, rules: list[_Rule]):
        # Longest first, so "PauseAI Global" claims its words before "PauseAI" looks.
        self.rules = sorted(rules, key=lambda r: (-len(r.source), r.order))

    def present(self, source: str) -> list[_Rule]:
        """The rules whose term occurs in ``source`` (prose only), longest first."""
        if not self.rules:
            return []
        folded = source.casefold()
        claimed: list[tuple[int, int]] = []
        found: list[_Rule] = []
        for rule in self.rules:
            if rule.cue not in folded:
                continue
            present = False
            for match in rule.in_source.finditer(source):
                start, end = match.span()
                if rule.proper_noun and match.group().islower():
                    continue
                if any(start < c_end and c_start < end for c_start, c_end in claimed):
                    continue
                present = True
                claimed.append((start, end))
            if present:
                found.append(rule)
        return found

    def violations(self, source: str, translation: str) -> tuple[str, ...]:
        candidates = self.present(source)
        if not candidates:
            return ()
        loose = _loose(translation)
        bad = [rule for rule in candidates if not rule.found_in(translation, loose)]
        return tuple(rule.source for rule in sorted(bad, key=lambda r: r.order))


@run_cache(32)
def _checker(glossary: Glossary, language: str) -> _Checker:
    rules = [_keep_rule(i, term) for i, term in enumerate(glossary.keep)]
    for entry in glossary.terms:
        target = entry.target(language)
        if target is not None:
            rules.append(_term_rule(len(rules), entry.source, target))
    return _Checker(rules)
