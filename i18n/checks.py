"""The one validator of a segment's translation, shared by human and machine translations.

``check_translation(source, translation, kind)`` compares what a translation must keep with its source:
link and image targets, code spans, inline HTML tags, Svelte ``{expressions}``, the generator syntax every
flavour shares (key and emoji codes, math, critic delimiters, footnote references) and emphasis, as multisets
(translations reorder words, so links may move). It also rejects blank translations, new blocks and heading
anchors; ``machine=True`` adds checks for an engine's chatter (length ratio, preambles). A UI message is
not markdown: it keeps its HTML tags and its variables (``{name}``, ``{{count}}``, see
:mod:`i18n.messages.markup`), and nothing else is syntax in it.

Reference-style links: a segment's text carries no definitions (``[our Discord][discord]``), so every
label the source uses in the full (``[text][label]``) or collapsed (``[text][]``) form is given a stand-in
definition whose target is ``[label]`` (normalised as CommonMark matches labels), and source and
translation are parsed with these same definitions (plus any label the translation adds). A kept label is
then the link target ``[label]`` on both sides; a translated or dropped one is reported as a missing link
target, a new one as an added target. Shortcut references
(``[label]`` alone) cannot be told from literal brackets without the page's definitions; a translation
that breaks one is caught when the page is rendered (``Page.render`` compares link targets).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from enum import Enum

from markdown_it.common.utils import normalizeReference

from .caches import run_cache
from .catalog.model import Message, State
from .catalog.msgfmt import format_problems
from .catalog.update import kind_of
from .markdown.escape import escape_block_starts
from .markdown.flavours.inline import atoms
from .markdown.inline import link_targets, walk_inline
from .markdown.markup import block_outline, same_markup
from .markdown.parser import markdown_parser
from .messages import markup as message_markup
from .segments import INLINE_MARKDOWN_KINDS, SegmentKind


class Problem(Enum):
    """What is wrong with a translation; the value is the stable code used in PO comments and JSON."""

    EMPTY = "empty"
    LINK_TARGETS = "link-targets"
    CODE = "code"
    HTML = "html"
    PLACEHOLDERS = "placeholders"
    MARKUP = "markup"
    NEW_BLOCK = "new-block"
    ANCHOR = "anchor"
    LENGTH = "length"
    PREAMBLE = "preamble"
    LINE_BREAK = "line-break"
    HARD_BREAK = "hard-break"
    WHITESPACE = "whitespace"
    DOUBLED_WORD = "doubled-word"
    NUMBERS = "numbers"
    LANGUAGE = "language"


@dataclass(frozen=True)
class Violation:
    problem: Problem
    detail: str

    def __str__(self) -> str:
        return f"{self.problem.value}: {self.detail}"


_SINGLE_LINE_KINDS = frozenset(
    {
        SegmentKind.HEADING,
        SegmentKind.TABLE_CELL,
        SegmentKind.IMAGE_ALT,
        SegmentKind.TITLE,
        SegmentKind.TERM,
        SegmentKind.ATTRIBUTE,
    }
)
_FULL_REFERENCE = re.compile(r"\]\[([^\[\]]+)\]")
_COLLAPSED_REFERENCE = re.compile(r"\[([^\[\]]+)\]\[\]")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)*?\1", re.DOTALL)
_EXPRESSION = re.compile(r"\{[^{}]*\}")
# A critic mark: its delimiters are placeholders (counted by ``atoms``), its content words.
_CRITIC_MARK = re.compile(r"\{(?:\+\+|--|~~|==|>>)(.*?)(?:\+\+|--|~~|==|<<)\}", re.DOTALL)
_ANCHOR = re.compile(r"\{#[^}]*\}")
_TAG = re.compile(r"<!--.*?-->|<[A-Za-z/!?][^>]*>", re.DOTALL)
_STRAY = ("**", "__", "~~", "`")
_EMPHASIS = {"em_open": "emphasis", "strong_open": "strong", "s_open": "strikethrough"}
# Chatter an engine (an LLM) puts before its answer, at the start of the text (after quotes or `**`), in
# English, Dutch, German, French and Spanish: "Here is the translation", "Translation:", "Sure!", …
_PREAMBLES = (
    r"(?:here(?:'s|’s| is| are)|below is|this is) (?:the|your|my|a) (?:\w+ ){0,3}translation",
    r"(?:sure|certainly|of course|absolutely)\b\s*[,!.:]",
    r"i(?:'ve|’ve| have)? translated",
    r"hier is (?:de|je|uw|mijn|een) (?:\w+ ){0,3}vertaling",
    r"ik heb (?:mijn|de|je|uw|het|dit) (?:\w+ ){0,3}(?:vertaling|vertaald)",
    r"(?:natuurlijk|zeker)\s*!",
    r"hier ist (?:die|deine|ihre|meine|eine) (?:\w+ ){0,3}übersetzung",
    r"(?:gerne|natürlich|klar)\s*!",
    r"voici (?:la|ta|votre|ma|une) (?:\w+ ){0,3}traduction",
    r"bien sûr\s*!",
    r"(?:aquí (?:está|tienes)|esta es) (?:la|tu|su|mi|una) (?:\w+ ){0,3}traducción",
    r"¡?(?:claro|por supuesto)\s*!",
    # "Translation:", "Dutch translation:", "Vertaling (NL):", "Übersetzung ins Deutsche:"
    r"(?:\w+ )?(?:translation|vertaling|übersetzung|traduction|traducción)"
    r"(?: (?:to|into|naar|in|ins|en|al) (?:het |de |le |el )?\w+| \(\w+\))?\s*:",
)
_PREAMBLE = re.compile(r"^[\W_]{0,3}(?:" + "|".join(_PREAMBLES) + ")", re.IGNORECASE)
_MIN_RATIO, _MAX_RATIO, _RATIO_FROM, _SHORT_SLACK = 0.3, 3.0, 20, 200


@dataclass(frozen=True)
class _Inline:
    """What a translation of inline markdown must keep, as multisets."""

    targets: Counter[str]
    code: Counter[str]
    html: Counter[str]
    emphasis: Counter[str]
    stray: Counter[str]


def check_translation(
    source: str, translation: str, kind: SegmentKind, *, machine: bool = False
) -> tuple[Violation, ...]:
    """Everything wrong with ``translation`` of the segment text ``source`` of ``kind`` (empty if fine).
    ``machine``: also the checks for an engine's chatter (length, preamble)."""
    found = dict(_problems(source, translation, kind))
    if machine and Problem.EMPTY not in found:
        src, dst = _prepare(source, kind), _prepare(translation, kind)
        found[Problem.LENGTH] = _length(src, dst)
        preamble = _PREAMBLE.match(dst)
        if preamble and not _PREAMBLE.match(src):
            found[Problem.PREAMBLE] = f"translation starts with chatter '{preamble.group().strip()}'"
    return tuple(Violation(problem, found[problem]) for problem in Problem if found.get(problem))


def check_numbers(source: str, translation: str) -> Violation | None:
    """The numbers check (:mod:`i18n.numbers`): a number of the source missing from the translation in
    every formatting. A machine translation that fails it is rejected; a human one is warned about."""
    from .numbers import describe

    detail = describe(source, translation) if translation.strip() else None
    return Violation(Problem.NUMBERS, detail) if detail else None


def check_language(source: str, translation: str, language: str) -> Violation | None:
    """The language check (:mod:`i18n.language`), for machine translations: an answer still in English
    (or another language than ``language``), or the source itself."""
    from .language import wrong_language

    detail = wrong_language(translation, language, source=source) if translation.strip() else None
    return Violation(Problem.LANGUAGE, detail) if detail else None


@run_cache(16384)  # translate, build, status and check in one process check a translation once
def _problems(source: str, translation: str, kind: SegmentKind) -> tuple[tuple[Problem, str], ...]:
    """The checks for every translation, human or machine: (problem, detail) pairs."""
    if not translation.strip():
        return ((Problem.EMPTY, "translation is blank"),)
    src, dst = _prepare(source, kind), _prepare(translation, kind)
    found: dict[Problem, str] = {}
    if not (kind in INLINE_MARKDOWN_KINDS and same_markup(src, dst)):  # else proven to pass: skipped
        found.update(structure_problems(src, dst, kind))
    expressions = _expressions(src, kind), _expressions(dst, kind)
    if kind is not SegmentKind.MESSAGE:  # markdown's generator syntax (messages have their own markup)
        expressions = expressions[0] + atoms(src), expressions[1] + atoms(dst)
    anchors: Counter[str] = Counter()
    if kind is SegmentKind.HEADING:  # an added `{#id}` is an ANCHOR problem, not a placeholder one
        anchors = _anchors(dst) - _anchors(src)
        expressions = expressions[0], expressions[1] - anchors
    found[Problem.PLACEHOLDERS] = _difference("placeholder", *expressions)
    if anchors:
        found[Problem.ANCHOR] = f"heading anchor {_items(anchors)} added (the pipeline adds the English one)"
    found.update(spacing_problems(source, translation, kind))
    return tuple((problem, detail) for problem, detail in found.items() if detail)


def effective_state(message: Message) -> State:
    """The message's state, with a failing check making a usable translation *rejected* (and the numbers
    check a machine translation)."""
    state = message.state
    if state in (State.REVIEWED, State.MACHINE) and (
        check_translation(message.msgid, message.msgstr, kind_of(message)) or format_problems(message)
    ):
        return State.REJECTED
    if state is State.MACHINE and check_numbers(message.msgid, message.msgstr):
        return State.REJECTED  # a machine translation that changed a number is never built
    return state


def structure_problems(src: str, dst: str, kind: SegmentKind) -> dict[Problem, str]:
    """The checks that need markdown-it: links, code, HTML, markup balance, blocks (texts as written)."""
    found: dict[Problem, str] = {}
    if kind in INLINE_MARKDOWN_KINDS:
        references = tuple(sorted({*_references(src), *_references(dst)}))
        before = _inline(src, references)  # a shortcut `[label]` kept as `[text][label]` is the same link
        after = _inline(dst, references)
        found[Problem.LINK_TARGETS] = _difference("link target", before.targets, after.targets)
        found[Problem.CODE] = _difference("code span", before.code, after.code)
        found[Problem.HTML] = _difference("HTML tag", before.html, after.html)
        found[Problem.MARKUP] = _markup(before, after)
    elif kind is SegmentKind.HTML:
        found[Problem.HTML] = _difference("HTML tag", _tags(src), _tags(dst))
    elif kind is SegmentKind.MESSAGE:
        found[Problem.HTML] = _difference("HTML tag", message_markup.tags(src), message_markup.tags(dst))
    # blocks are markdown's; values (frontmatter, attributes, messages) are written on one line
    if kind not in (SegmentKind.FRONTMATTER, SegmentKind.MESSAGE, SegmentKind.ATTRIBUTE):
        found[Problem.NEW_BLOCK] = _new_blocks(block_outline(src), block_outline(_in_place(dst, kind)))
    return {problem: detail for problem, detail in found.items() if detail}


# -- spacing: what msgfmt and pofilter check on the text as written ------------------------------------
_HARD_BREAK = re.compile(r"(?: {2,}|\\)\n")  # two spaces or a backslash before a line break: <br>
_DOUBLE_SPACE = re.compile(r"(?<=\w) {2,}(?=\w)")
# a word of 4+ letters: shorter ones double legitimately in Dutch and German ("voeren het in in AI",
# "dat het het", "die die"); the corpus pairs hold two such, no false doubling of a longer word
_DOUBLED_WORD = re.compile(r"(?<![\w-])(\w{4,})\s+\1(?![\w-])", re.IGNORECASE)
_BREAK_KINDS = frozenset({SegmentKind.PARAGRAPH, SegmentKind.HTML})


def spacing_problems(source: str, translation: str, kind: SegmentKind) -> dict[Problem, str]:
    """Spacing a translation must keep, on the texts as written (raw msgid and msgstr): a line break at
    either end (``msgfmt --check`` refuses a msgstr that ends with one when its msgid does not, and the
    reverse, and at the start), spaces or tabs at either end, tabs, hard line breaks (two spaces or a
    backslash before a line break: a ``<br>``); no double space between words and no doubled word the
    source does not have (pofilter's ``doublespacing`` and ``doublewords``)."""
    found: dict[Problem, str] = {}
    if not translation:
        return found
    ends = []
    for verb, index in (("begins", 0), ("ends", -1)):
        marked = source[index] == "\n" if source else False
        if marked != (translation[index] == "\n"):
            first, second = ("source", "translation") if marked else ("translation", "source")
            ends.append(f"the {first} {verb} with a line break and the {second} does not")
    if ends:
        found[Problem.LINE_BREAK] = "; ".join(ends) + " (msgfmt refuses it)"
    spaces: list[str] = []
    src, dst = source.strip("\n"), translation.strip("\n")
    for side, index in (("start", 0), ("end", 1)):
        before, after = (_edge_space(text, index) for text in (src, dst))
        if before != after:
            spaces.append(
                f"{_spacing(before)} at the {side} in the source, {_spacing(after)} in the translation"
            )
    if source.count("\t") != translation.count("\t"):
        spaces.append(
            f"{source.count(chr(9))} tabs in the source, {translation.count(chr(9))} in the translation"
        )
    doubled = _double_spaces(translation) - _double_spaces(source)
    if doubled > 0 and kind is not SegmentKind.HTML:
        spaces.append("a double space between words")
    if spaces:
        found[Problem.WHITESPACE] = "; ".join(spaces)
    if kind in _BREAK_KINDS:
        breaks = len(_HARD_BREAK.findall(src)), len(_HARD_BREAK.findall(dst))  # not at the very end
        if breaks[0] != breaks[1]:
            found[Problem.HARD_BREAK] = (
                f"{breaks[0]} hard line breaks (two spaces or a backslash before a line break) in the "
                f"source, {breaks[1]} in the translation"
            )
    words = Counter(
        m.group(1).lower() for m in _DOUBLED_WORD.finditer(translation) if not m.group(1).isdigit()
    )
    words -= Counter(m.group(1).lower() for m in _DOUBLED_WORD.finditer(source))
    if words:
        found[Problem.DOUBLED_WORD] = f"word {_items(words)} doubled"
    return found


def _double_spaces(text: str) -> int:
    """Double spaces between two words, outside HTML tags (spacing inside a tag is the tag's)."""
    return len(_DOUBLE_SPACE.findall(_TAG.sub("<>", text) if "<" in text else text))


def _edge_space(text: str, end: int) -> str:
    """The spaces and tabs at the start (``end`` 0) or the end (1) of ``text``."""
    if end:
        return text[len(text.rstrip(" \t")) :]
    return text[: len(text) - len(text.lstrip(" \t"))]


def _spacing(text: str) -> str:
    return f"{text!r}" if text else "none"


def _in_place(text: str, kind: SegmentKind) -> str:
    """A translation as it will stand in its place: a line-start marker (``1. Deel``) is text in a
    heading, a table cell or a title, and is escaped when written into a paragraph."""
    if kind is SegmentKind.PARAGRAPH or kind in _SINGLE_LINE_KINDS:
        return escape_block_starts(text)
    return text


def _prepare(text: str, kind: SegmentKind) -> str:
    """The text as it will be written: trimmed, continuation lines unindented, one line where it must be."""
    lines = [line.strip(" \t") for line in text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")]
    if kind in _SINGLE_LINE_KINDS or kind is SegmentKind.FRONTMATTER:
        return " ".join(line for line in lines if line)
    return "\n".join(lines)


@run_cache(4096)
def _references(source: str) -> tuple[str, ...]:
    """The normalised labels of the reference links the source uses in full or collapsed form."""
    labels = [m.group(1) for m in _FULL_REFERENCE.finditer(source)]
    labels += [m.group(1) for m in _COLLAPSED_REFERENCE.finditer(source)]
    return tuple(sorted({label for label in map(normalizeReference, labels) if label}))


@run_cache(2048)
def _inline(text: str, references: tuple[str, ...]) -> _Inline:
    definitions = {label: {"href": f"[{label.lower()}]", "title": "", "map": None} for label in references}
    env: dict[str, object] = {"references": definitions}
    tokens = markdown_parser().parseInline(text, env)
    children = tokens[0].children if tokens else None
    code: Counter[str] = Counter()
    html: Counter[str] = Counter()
    emphasis: Counter[str] = Counter()
    stray: Counter[str] = Counter()
    for token in walk_inline(children):
        if token.type == "code_inline":
            code[token.content] += 1
        elif token.type == "html_inline":
            html[" ".join(token.content.split())] += 1
        elif token.type in _EMPHASIS:
            emphasis[_EMPHASIS[token.type]] += 1
        elif token.type == "text":
            stray.update({run: token.content.count(run) for run in _STRAY if run in token.content})
    return _Inline(Counter(link_targets(children)), code, html, emphasis, stray)


def _tags(text: str) -> Counter[str]:
    return Counter(" ".join(tag.split()) for tag in _TAG.findall(text))


def _anchors(text: str) -> Counter[str]:
    return Counter(" ".join(anchor.split()) for anchor in _ANCHOR.findall(text))


def _expressions(text: str, kind: SegmentKind) -> Counter[str]:
    if kind is SegmentKind.MESSAGE:
        return message_markup.variables(text)
    if kind in INLINE_MARKDOWN_KINDS and "`" in text:
        text = _CODE_SPAN.sub(" ", text)  # braces in code are code, compared as code spans
    if "{" in text:
        text = _CRITIC_MARK.sub(lambda m: f" {m.group(1)} ", text)
    return Counter(" ".join(expression.split()) for expression in _EXPRESSION.findall(text))


def _new_blocks(
    source: tuple[tuple[str, str, int], ...], translation: tuple[tuple[str, str, int], ...]
) -> str:
    if source == translation:
        return ""

    def outline(blocks: tuple[tuple[str, str, int], ...]) -> str:
        top = [kind.removesuffix("_open") for kind, _, level in blocks if level == 0 and "close" not in kind]
        return ", ".join(top) or "nothing"

    return f"translation parses as {outline(translation)}; the source as {outline(source)}"


def _markup(source: _Inline, translation: _Inline) -> str:
    problems = [
        f"{name}: {source.emphasis[name]} in the source, {translation.emphasis[name]} in the translation"
        for name in _EMPHASIS.values()
        if source.emphasis[name] != translation.emphasis[name]
    ]
    stray = translation.stray - source.stray
    if stray:
        problems.append(f"stray {_items(stray)} in the text")
    return "; ".join(problems)


def _length(source: str, translation: str) -> str:
    if len(source) >= _RATIO_FROM:
        ratio = len(translation) / len(source)
        if not _MIN_RATIO <= ratio <= _MAX_RATIO:
            return f"translation is {ratio:.2f}× the source's length (expected {_MIN_RATIO}–{_MAX_RATIO}×)"
    elif len(translation) > len(source) + _SHORT_SLACK:
        return f"translation has {len(translation)} characters for a {len(source)}-character source"
    return ""


def _difference(noun: str, source: Counter[str], translation: Counter[str]) -> str:
    """``"link target '/people' missing; '/mensen' added"``, or ``""`` when the multisets are equal."""
    missing, added = source - translation, translation - source
    parts: list[str] = []
    if missing:
        parts.append(f"{_items(missing)} missing")
    if added:
        parts.append(f"{_items(added)} added")
    if not parts:
        return ""
    plural = "s" if sum((missing or added).values()) > 1 else ""
    return f"{noun}{plural} " + "; ".join(parts)


def _items(items: Counter[str]) -> str:
    return ", ".join(f"'{_shorten(item)}'" for item in items.elements())


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
