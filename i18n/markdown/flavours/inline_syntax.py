"""Inline generator syntax, one layer for every flavour: each construct is one token, kept byte for byte
(a placeholder for the engines, compared by the checks), never words to translate.

- key codes ``++ctrl+alt+delete++`` (pymdownx.keys), emoji and icon codes ``:material-x:``,
  ``:octicons-search-24:`` (pymdownx.emoji; also GitHub's ``:smile:``);
- math: ``$…$`` and ``$$…$$`` (mdit-py-plugins' dollarmath, with pandoc's rules: no space inside the
  dollars, no digit after the closing one, so ``$5 and $10`` is not math), ``\\(…\\)`` (arithmatex);
- critic marks' delimiters ``{++ ++}``, ``{-- --}``, ``{~~ ~> ~~}``, ``{== ==}``, ``{>> <<}`` (their
  content is words);
- footnote references ``[^1]`` (mdit-py-plugins' footnote); ``[label][^1]`` is the shortcut reference
  ``[label]`` then the footnote ``[^1]``, as Python-Markdown (and GFM) read it, not a reference labelled
  ``^1``;
- mentions ``@user``, ``@org/repo`` and full commit hashes ``7d1b1902…`` (40 hex digits, also
  ``a…b`` compares) (pymdownx.magiclink, GitHub): names, never words;
- links whose destination is a Hugo shortcode, ``[text]({{< ref "page.md" >}})`` (Hugo replaces it before
  the markdown is read): a link like any other, the shortcode its target;
- links whose text is a key that a render hook looks up (:data:`KEY_LINKS`: ``[archetype](g)``, the Hugo
  docs' glossary links): the whole link, as translating its text loses what the site finds by it;
- tags CommonMark's inline HTML refuses but sites read: JSX/Svelte ``{expression}`` attributes
  ``<Badge text={x} />``, attributes without a space between them (as inline HTML).

``{expressions}`` (Svelte, MDX; so Hugo shortcodes ``{{< x >}}`` and attribute lists ``{: .class }`` too)
are one token in the encoder's parser (:func:`..parser.span_parser`). A construct that is not syntax on
some site (``:smile:`` on a plain CommonMark page) is then kept as written rather than translated, which
never breaks a page.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.image import image as image_rule
from markdown_it.rules_inline.link import link as link_rule
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from ...caches import run_cache

SPAN = "i18n_span"  # Token.meta key of the span parser's tokens (:func:`..parser.span_parser`): (start, end)
_KEY = r'(?:"(?:[^"\\\n]|\\.)*"|[^\s+"]+)'
_KEYS = re.compile(rf"\+\+{_KEY}(?:\+{_KEY})*\+\+")
_EMOJI = re.compile(r":[a-z0-9_+-]*[a-z][a-z0-9_+-]*:")
_CRITIC = {"{++": "++}", "{--": "--}", "{~~": "~~}", "{==": "==}", "{>>": "<<}"}
_CRITIC_CLOSERS = {closer: opener for opener, closer in _CRITIC.items()}
_JSX_NAME = re.compile(r"</?[A-Za-z][\w.:-]*")
# Link destinations that say "the text is a key": a render hook finds what to link by the link's text
# (the Hugo docs' `layouts/_markup/render-link.html`: `[archetype](g)` links the glossary's page).
KEY_LINKS = frozenset({"g"})
KEY_LINK = re.compile(r"\[([^\[\]\n]+)\]\(\s*(" + "|".join(map(re.escape, sorted(KEY_LINKS))) + r")\s*\)")
# What is never words in inline markdown, in every built-in flavour (their ``not_prose``): code, links'
# targets and HTML, and this layer's constructs; and a cheap test that a text may hold any.
NOT_PROSE = re.compile(
    r"(`+)(?:(?!\1).)*?\1|"  # code spans
    + KEY_LINK.pattern  # [archetype](g): the text is a key
    + r"|<[A-Za-z/!?][^>]*>"  # inline HTML, autolinks
    r"|\]\((?:<[^>]*>|[^)\s]*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"  # link destinations
    r"|\]\[[^\]]*\]"  # reference labels
    r"|&#?\w+;"  # entities
    r"|\{\{[<%].*?[%>]\}\}"  # Hugo shortcodes
    r"|\{(?!\+\+|--|~~|==|>>)[^{}\n]*\}"  # expressions: Svelte blocks, {values}, attribute lists (not critic)
    r'|\+\+(?:"[^"\n]*"|[^\s+"]+)(?:\+(?:"[^"\n]*"|[^\s+"]+))*\+\+'  # key codes
    r"|(?<![\w:/]):[a-z0-9_+-]*[a-z][a-z0-9_+-]*:"  # emoji codes
    r"|(?<![\\$])\$(?=[^\s$])[^$\n]*?(?<=[^\s\\])\$(?!\d)|\\\(.*?\\\)"  # math
    r"|(?i:https?://|www\.)[^\s<]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # bare URLs, e-mail addresses
    re.DOTALL,
)
NOT_PROSE_HINT = re.compile(r"[`<\]&{@+:$\\]|www\.", re.IGNORECASE)
# Block tokens of this layer's plugins that are code, never text (dollarmath's `$$` blocks).
VERBATIM = frozenset({"math_block", "math_block_label"})
# A line made only of a template block tag: {#if …}, {:else}, {/if}, {@html …} (Svelte; a `{…}` line is an
# expression in MDX too).
TEMPLATE_LINE = re.compile(r"^\{[#:/@][^\n]*\}$")
# Token types of this layer (and the footnote/math plugins'): what the checks count as placeholders.
ATOM_TYPES = frozenset(
    {
        "keys",
        "emoji",
        "critic",
        "math_inline",
        "math_inline_double",
        "footnote_ref",
        "mention",
        "commit",
        "key_link",
    }
)
# Characters without which a text has none of this layer's constructs (a cheap test before a parse).
HINT = re.compile(
    r"(?<![\w.+-])@[A-Za-z0-9]|\+\+|:[a-z0-9_+-]+:|\$|\\\(|\{[-+~=>]|[-+~=<]\}|~>|\[\^|<[A-Za-z][^>]*\{|\]\(\s*("
    + "|".join(map(re.escape, sorted(KEY_LINKS)))
    + r")\s*\)"
)


def _keys(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("++", state.pos):
        return False
    match = _KEYS.match(state.src, state.pos, state.posMax)
    if match is None:
        return False
    if not silent:
        state.push("keys", "kbd", 0).content = match.group()
    state.pos = match.end()
    return True


def _emoji(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    if state.src[pos] != ":" or (pos > 0 and (state.src[pos - 1].isalnum() or state.src[pos - 1] in ":/")):
        return False
    match = _EMOJI.match(state.src, pos, state.posMax)
    if match is None or (match.end() < state.posMax and state.src[match.end()].isalnum()):
        return False
    if not silent:
        state.push("emoji", "", 0).content = match.group()
    state.pos = match.end()
    return True


_MENTION = re.compile(r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[\w.-]*\w)?")


def _mention(state: StateInline, silent: bool) -> bool:
    """``@user`` or ``@org/repo`` not inside a word or an e-mail address (as magiclink links them)."""
    pos = state.pos
    if state.src[pos] != "@" or (
        pos > 0 and (state.src[pos - 1].isalnum() or state.src[pos - 1] in "._+-/@")
    ):
        return False
    match = _MENTION.match(state.src, pos, state.posMax)
    if match is None or (
        match.end() < state.posMax and (state.src[match.end()] in "@" or state.src[match.end()].isalnum())
    ):
        return False
    if not silent:
        state.push("mention", "", 0).content = match.group()
    state.pos = match.end()
    return True


_COMMIT = re.compile(r"(?<![\w/])[0-9a-f]{40}(?:\.\.\.[0-9a-f]{40})?(?!\w)")
_TERMINATORS = frozenset("\n!#$%&*+-:<=>@[\\]^_`{}~")  # where markdown-it's text rule stops


@run_cache(256)
def _commits(src: str) -> tuple[tuple[int, int], ...]:
    return tuple(m.span() for m in _COMMIT.finditer(src) if not m.group().isdigit())


def _commit(state: StateInline, silent: bool) -> bool:
    """A full commit hash (or ``a…b`` compare) inside a run of text: the text before it, then the hash
    as one token (the text rule would take the whole run as words)."""
    pos, src = state.pos, state.src
    if len(src) - pos < 40 or not _COMMITS_HINT.search(src, pos, state.posMax):
        return False
    for start, end in _commits(src):
        if start < pos or end > state.posMax:
            continue
        if any(ch in _TERMINATORS for ch in src[pos:start]) and start > pos:
            return False  # another rule's syntax comes first: the text rule's run ends before the hash
        if not silent:
            state.pending += src[pos:start]
            token = state.push("commit", "", 0)
            token.content = src[start:end]
            token.meta[SPAN] = (start, end)  # (the span parser's: not the text before it)
        state.pos = end
        return True
    return False


_COMMITS_HINT = re.compile(r"[0-9a-f]{40}")


def _label_close(src: str, start: int, limit: int) -> int:
    """The ``]`` closing the bracket at ``start`` (nested brackets balanced, backslash escapes and code
    spans skipped), or -1."""
    depth, i = 0, start
    while i < limit:
        ch = src[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "`":
            run = len(src[i:limit]) - len(src[i:limit].lstrip("`"))
            close = src.find("`" * run, i + run, limit)
            i = i + run if close < 0 else close + run
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _reference_before_footnote(state: StateInline, silent: bool) -> bool:
    """``[label][^1]`` / ``![alt][^1]``: the shortcut reference alone (the footnote follows), where
    CommonMark's link rule would read ``[^1]`` as the label of a full reference."""
    pos, src = state.pos, state.src
    image = src.startswith("![", pos)
    if src[pos] != "[" and not image:
        return False
    if src.find("][^", pos, state.posMax) < 0:
        return False
    end = _label_close(src, pos + image, state.posMax)  # (a scan: parseLinkLabel would fill state.cache)
    if end < 0 or not src.startswith("[^", end + 1):
        return False
    limit, state.posMax = state.posMax, end + 1
    try:
        return (image_rule if image else link_rule)(state, silent)
    finally:
        state.posMax = limit


def _critic(state: StateInline, silent: bool) -> bool:
    """A critic mark's opening delimiter when its closer follows, its closer (or ``~>``) when opened."""
    pos, src = state.pos, state.src
    three = src[pos : pos + 3]
    if (three in _CRITIC and src.find(_CRITIC[three], pos + 3, state.posMax) >= 0) or (
        three in _CRITIC_CLOSERS and src.rfind(_CRITIC_CLOSERS[three], 0, pos) >= 0
    ):
        length = 3
    elif (
        src.startswith("~>", pos)
        and src.rfind("{~~", 0, pos) >= 0
        and src.find("~~}", pos, state.posMax) >= 0
    ):
        length = 2
    else:
        return False
    if not silent:
        state.push("critic", "", 0).content = src[pos : pos + length]
    state.pos = pos + length
    return True


def _paren_math(state: StateInline, silent: bool) -> bool:
    r"""``\(…\)`` on one line."""
    pos = state.pos
    if not state.src.startswith("\\(", pos):
        return False
    end = state.src.find("\\)", pos + 2, state.posMax)
    if end < 0 or "\n" in state.src[pos:end]:
        return False
    if not silent:
        state.push("math_inline", "math", 0).content = state.src[pos : end + 2]
    state.pos = end + 2
    return True


def _key_link(state: StateInline, silent: bool) -> bool:
    """``[text](g)``: a link whose text is the key its render hook looks up (:data:`KEY_LINKS`)."""
    if state.src[state.pos] != "[":
        return False
    match = KEY_LINK.match(state.src, state.pos, state.posMax)
    if match is None:
        return False
    if not silent:
        token = state.push("key_link", "", 0)
        token.content = match.group()
        token.meta = {"text": match.group(1)}
    state.pos = match.end()
    return True


_SHORTCODE_DESTINATION = re.compile(r"\(\s*(\{\{[<%][^\n]*?[>%]\}\})\s*\)")


def _shortcode_link(state: StateInline, silent: bool) -> bool:
    """``[text]({{< ref "page.md" >}})``: a link whose destination is a shortcode, which CommonMark refuses
    (it has spaces) but Hugo links, as it replaces the shortcode with a URL before reading the markdown."""
    if state.src[state.pos] != "[" or state.linkLevel > 0 or "{{" not in state.src:
        return False
    label_end = state.md.helpers.parseLinkLabel(state, state.pos, True)
    if label_end < 0:
        return False
    match = _SHORTCODE_DESTINATION.match(state.src, label_end + 1, state.posMax)
    if match is None:
        return False
    if not silent:
        old_max = state.posMax
        state.pos, state.posMax = state.pos + 1, label_end
        state.push("link_open", "a", 1).attrs = {"href": match.group(1)}
        state.linkLevel += 1
        state.md.inline.tokenize(state)
        state.linkLevel -= 1
        state.push("link_close", "a", -1)
        state.posMax = old_max
    state.pos = match.end()
    return True


def _jsx_tag(state: StateInline, silent: bool) -> bool:
    """A tag CommonMark's inline HTML refuses but a site reads as one: ``{expression}`` attributes (JSX,
    Svelte), attributes without space between them (Python-Markdown) — as inline HTML."""
    if state.src[state.pos] != "<":
        return False
    end = jsx_tag_end(state.src, state.pos, state.posMax)
    if end is None:
        return False
    if not silent:
        state.push("html_inline", "", 0).content = state.src[state.pos : end]
    state.pos = end
    return True


def jsx_tag_end(src: str, pos: int, limit: int | None = None) -> int | None:
    """The end of a JSX/Svelte/HTML tag at ``pos`` (attribute values may be strings or balanced ``{…}``
    expressions, across lines), or None when there is no complete tag there."""
    limit = len(src) if limit is None else limit
    match = _JSX_NAME.match(src, pos, limit)
    if match is None or match.end() >= limit or not (src[match.end()].isspace() or src[match.end()] in "/>"):
        return None
    i = match.end()
    while i < limit:
        ch = src[i]
        if ch in "\"'":
            close = src.find(ch, i + 1, limit)
            if close < 0:
                return None
            i = close + 1
        elif ch == "{":
            after = expression_end(src, i, limit)
            if after is None:
                return None
            i = after
        elif ch == ">":
            return i + 1
        elif ch == "<":
            return None
        else:
            i += 1
    return None


def expression_end(src: str, pos: int, limit: int | None = None) -> int | None:
    """The end of the balanced ``{…}`` expression at ``pos`` (JavaScript strings, template literals and
    comments skipped), or None."""
    limit = len(src) if limit is None else limit
    depth, i = 0, pos
    while i < limit:
        ch = src[i]
        if ch in "\"'`":
            i += 1
            while i < limit and src[i] != ch:
                i += 2 if src[i] == "\\" else 1
        elif src.startswith("/*", i):
            close = src.find("*/", i + 2, limit)
            if close < 0:
                return None
            i = close + 1
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


_JSX_ATTRIBUTE_NAME = re.compile(r"[A-Za-z_:][\w:.-]*")


def jsx_attributes(tag: str) -> list[tuple[str, int, int, str]]:
    """The quoted attribute values of a tag's text: (name, start, end, quote) of each value."""
    found: list[tuple[str, int, int, str]] = []
    name = _JSX_NAME.match(tag)
    i = name.end() if name else len(tag)
    while i < len(tag):
        ch = tag[i]
        if ch == "{":
            i = expression_end(tag, i) or len(tag)
            continue
        attribute = _JSX_ATTRIBUTE_NAME.match(tag, i)
        if attribute is None:
            i += 1
            continue
        i = attribute.end()
        while i < len(tag) and tag[i] in " \t\r\n":
            i += 1
        if i < len(tag) and tag[i] == "=":
            i += 1
            while i < len(tag) and tag[i] in " \t\r\n":
                i += 1
            if i < len(tag) and tag[i] in "\"'":
                close = tag.find(tag[i], i + 1)
                close = len(tag) if close < 0 else close
                found.append((attribute.group(), i + 1, close, tag[i]))
                i = close + 1
            elif i < len(tag) and tag[i] == "{":
                i = expression_end(tag, i) or len(tag)
    return found


def inline_atoms(md: MarkdownIt) -> None:
    """The plugin: this layer's inline rules (and the math and footnote plugins' block rules)."""
    dollarmath_plugin(md, allow_space=False, allow_digits=False, allow_blank_lines=False, double_inline=True)
    footnote_plugin(md, inline=False, move_to_end=False, always_match_refs=True)
    md.inline.ruler.before("escape", "math_paren", _paren_math)
    md.inline.ruler.before("link", "key_link", _key_link)
    md.inline.ruler.before("link", "shortcode_link", _shortcode_link)
    md.inline.ruler.before("text", "keys", _keys)
    md.inline.ruler.before("text", "emoji", _emoji)
    md.inline.ruler.before("text", "critic", _critic)
    md.inline.ruler.before("text", "mention", _mention)
    md.inline.ruler.before("text", "commit", _commit)
    md.inline.ruler.before("link", "reference_before_footnote", _reference_before_footnote)
    md.inline.ruler.after("html_inline", "jsx_tag", _jsx_tag)
