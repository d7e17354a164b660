"""Markdown flavours: what a site generator adds to CommonMark + GFM, as small explicit extensions.

A flavour is markdown-it rules (mdit-py-plugins where they keep source spans exact, else a small rule of
our own) applied to the one setup in :mod:`..parser`, hooks for the walk (:mod:`..walk`) on the tokens
those rules make, and a few switches. One module per flavour:

- :mod:`.commonmark` — CommonMark + GFM (tables, strikethrough, task lists, footnotes), ``$$`` math
  blocks and ``:::name[Title]`` directive containers (Starlight asides, Docusaurus/VitePress admonitions);
  every other flavour builds on it;
- :mod:`.svelte` — the site as mdsvex renders it (PauseAI): ``{#id}`` heading ids, Svelte blocks and
  components never segments;
- :mod:`.mkdocs` — Material for MkDocs / pymdown-extensions: admonitions and details, content tabs,
  ``///`` blocks, snippets, definition lists, abbreviations, ``{: #id}`` attribute lists;
- :mod:`.hugo` — Hugo (goldmark): shortcodes, definition lists, ``{#id}`` heading attributes;
- :mod:`.mdx` — MDX (Astro/Starlight, Docusaurus): ESM, JSX, ``{expressions}``, no indented code, no
  heading ids.

The inline syntax of every flavour (key codes, emoji codes, math, critic marks, shortcodes,
``{expressions}``) is one layer shared by all of them (:mod:`.inline`), so the XML encoder and the checks,
which see a segment's text without its page, treat the same characters as placeholders.

Which flavour a page gets: :mod:`.detect`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from ..slug import Slugs
    from ..walk import Found, Walk

Plugin = Callable[["MarkdownIt"], None]
Hook = Callable[["Walk", "list[Token]", int], "Iterator[Found]"]

NAMES = ("commonmark", "svelte", "mkdocs", "hugo", "mdx")
DEFAULT = "svelte"  # what auto falls back to (the generator this project started with)

# `{#id}` (optionally followed by classes/attributes) at the end of a heading: remark-heading-id.
HEADING_ID = re.compile(r"[ \t]+\{#([^\s}]+)[^}]*\}$")
# remark-toc's default `heading` option, as mdast-util-toc matches it: the whole heading, any case.
TOC_HEADING = re.compile(r"^(?:(?:table[ -]of[ -])?contents?|toc)$", re.IGNORECASE)


@dataclass(frozen=True, eq=False)
class Flavour:
    """What one site generator's markdown is, for the parser and the walk."""

    name: str
    plugins: tuple[Plugin, ...] = ()  # markdown-it plugins, applied in order after the common ones
    disable: tuple[str, ...] = ()  # markdown-it rules the generator does not have ("code" in MDX)
    hooks: Mapping[str, Hook] = field(default_factory=dict)  # token type -> walk hook
    heading_id: re.Pattern[str] | None = HEADING_ID  # a heading's explicit id (None: not supported)
    inject_anchors: bool = True  # translated headings may get the English {#slug}
    html_prose: bool = True  # raw HTML blocks are HTML whose element texts are segments
    slugger: Callable[[], Slugs] | None = None  # the site's heading ids (None: github-slugger's)
    term_ids: bool = False  # definition terms take ids from their text among the headings' (Hugo)
    typographer: Callable[[str], str] | None = None  # the generator's change to text (not code) before ids
    image_alt_in_ids: bool = False  # an image in a heading counts with its alt text for its id (goldmark)
    # The frontmatter formats the generator reads (:data:`..frontmatter.FORMATS`); a block in another
    # format is the page's body (in MDX a leading `{` is an expression, not JSON).
    frontmatter: tuple[str, ...] = ("yaml",)
    # Headings left in English whatever `keep_headings` says, because the site's toolchain looks them up by
    # their English text (remark-toc's `## Contents` in MDX): matched against the heading's plain text.
    keep_headings: re.Pattern[str] | None = None

    def slugs(self, *, smartypants_dashes: bool = False) -> Slugs:
        """A fresh slugger for a page's heading ids; ``smartypants_dashes``: github-slugger's of the text
        as the site's smartypants leaves it (``--`` an em dash)."""
        from ..slug import Slugger

        return self.slugger() if self.slugger else Slugger(smartypants_dashes=smartypants_dashes)


@lru_cache(maxsize=16)
def flavour(name: str) -> Flavour:
    """The flavour called ``name`` (one of :data:`NAMES`), or a site's variant of it, ``name@option``
    (``mkdocs@slugify=lower``: the module's ``variant(option)``)."""
    base, _, option = name.partition("@")
    if base not in NAMES:
        raise ValueError(f"unknown markdown flavour {name!r}")
    module = import_module(f"{__name__}.{base}")
    found: Flavour = module.variant(option) if option and hasattr(module, "variant") else module.FLAVOUR
    if option and found is module.FLAVOUR:
        raise ValueError(f"unknown markdown flavour {name!r}")
    return found
