"""Small pure helpers over markdown-it inline tokens."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from markdown_it.token import Token

from .autolink import autolinks, literals

_ATOMS = frozenset({"keys", "emoji", "critic", "math_inline", "math_inline_double"})


def walk_inline(children: Sequence[Token] | None) -> Iterator[Token]:
    """Every inline token, depth first (image alt tokens included)."""
    for token in children or ():
        yield token
        if token.children:
            yield from walk_inline(token.children)


def plain_text(
    children: Sequence[Token] | None,
    typographer: Callable[[str], str] | None = None,
    *,
    image_alt: bool = False,
) -> str:
    """Text content as hast's toString sees it (what rehype-slug slugs): text and code, no markup.
    ``typographer``: what the generator does to text (not code) before it makes ids of it;
    ``image_alt``: an image counts with its alt text (goldmark's ids)."""
    parts: list[str] = []
    for token in children or ():
        if token.type == "text" and typographer is not None:
            parts.append(typographer(token.content))
        elif token.type in ("text", "text_special", "code_inline"):
            parts.append(token.content)
        elif token.type == "key_link":  # [archetype](g): the link's text
            parts.append(str(token.meta["text"]))
        elif token.type in _ATOMS:  # generator syntax a site without it shows as written
            parts.append(token.markup + token.content + token.markup)
        elif token.type == "footnote_ref":
            parts.append(f"[^{token.meta['label']}]")
        elif token.type == "softbreak":
            parts.append("\n")  # mdast keeps the line ending in the text node
        elif token.type == "image" and not image_alt:
            continue  # an <img> has no text content
        elif token.children:
            parts.append(plain_text(token.children, typographer, image_alt=image_alt))
    return "".join(parts)


def prose(children: Sequence[Token] | None) -> str:
    """The words a translator would translate: text outside code, HTML, autolinks and bare URLs."""
    parts: list[str] = []
    in_autolink = 0
    for token in walk_inline(children):
        if token.type == "link_open" and token.markup == "autolink":
            in_autolink += 1
        elif token.type == "link_close" and token.markup == "autolink":
            in_autolink -= 1
        elif token.type in ("text", "text_special") and not in_autolink:
            parts.append(without_autolinks(token.content))
    return " ".join(parts)


def without_autolinks(text: str) -> str:
    """``text`` with its autolink literals (bare URLs, e-mail addresses) as spaces."""
    for start, end in reversed(autolinks(text)):
        text = text[:start] + " " + text[end:]
    return text


_LETTER = re.compile(r"[^\W\d_]")


def has_letters(text: str) -> bool:
    return _LETTER.search(text) is not None


def link_targets(children: Sequence[Token] | None) -> list[str]:
    """Link hrefs and image srcs, and the autolink literals (bare URLs, e-mail addresses) the site links
    in text outside links, in order."""
    targets: list[str] = []
    for token in walk_inline(children):
        if token.type == "link_open":
            targets.append(str(token.attrs.get("href", "")))
        elif token.type == "image":
            targets.append(str(token.attrs.get("src", "")))
    in_link = 0
    for token in children or ():  # image alt text is not linked
        in_link += {"link_open": 1, "link_close": -1}.get(token.type, 0)
        if token.type == "text" and not in_link:
            targets.extend(literals(token.content))
    return targets
