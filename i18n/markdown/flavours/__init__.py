"""Markdown flavours: what a site generator adds to CommonMark + GFM, as small explicit extensions.

**The extension point.** A flavour is one module holding ``FLAVOUR``, a :class:`Flavour` (markdown-it
plugins applied to the one setup in :mod:`..parser`, hooks for the walk (:mod:`..walk`) on the tokens
those plugins make, what is never prose, frontmatter formats, heading-id rules, the slugger), and one
:class:`FlavourEntry` registered here (name, module, what ``--help`` says, detection hints, options).
Everything else is derived from the registry: the configuration's ``flavour`` choices and their "did you
mean", the CLI's ``--flavour`` choices and help, auto-detection (:mod:`.detect`). To add a flavour, write
the module (``tests/example_flavour.py`` is a complete one) and :func:`register` its entry.

This package's ``__init__`` is light (no markdown-it): the configuration reads the registry at start-up,
and a flavour's module (which loads markdown-it) is imported when a page is first read in it.

The built-in flavours, one module each:

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

The inline syntax of every built-in flavour (key codes, emoji codes, math, critic marks, shortcodes,
``{expressions}``) is one layer they share (:mod:`.inline_syntax`, reached through each flavour's
``not_prose`` and the parser's setup), so the XML encoder and the checks, which see a segment's text without
its page, treat the same characters as placeholders.

A configured flavour is resolved once (a :class:`FlavourSetting`, checked against the registry by
:mod:`i18n.config`) and a page's flavour once (:func:`flavour`, cached: one :class:`Flavour` object per
name); the markdown layer then passes :class:`Flavour` objects, never names.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from ..slug import Slugger
from .hugo_site import read_hugo_site
from .mkdocs_site import configured_docs_dir, read_mkdocs_site
from .site import SiteReader

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from ..slug import Slugs
    from ..walk import Found, Walk

Plugin = Callable[["MarkdownIt"], None]
Hook = Callable[["Walk", "list[Token]", int], "Iterator[Found]"]

AUTO = "auto"  # the setting that decides per page (:mod:`.detect`)

# `{#id}` (optionally followed by classes/attributes) at the end of a heading: remark-heading-id.
HEADING_ID = re.compile(r"[ \t]+\{#([^\s}]+)[^}]*\}$")
# remark-toc's default `heading` option, as mdast-util-toc matches it: the whole heading, any case.
TOC_HEADING = re.compile(r"^(?:(?:table[ -]of[ -])?contents?|toc)$", re.IGNORECASE)
_NOTHING = re.compile(r"(?!)")  # matches nowhere
_ANYWHERE = re.compile(r"")  # matches everywhere


@dataclass(frozen=True, eq=False)
class Flavour:
    """What one site generator's markdown is, for the parser and the walk. One object per flavour name
    (:func:`flavour`): compared by identity, pickled by name."""

    name: str
    # markdown-it plugins, applied in order to the one setup (:mod:`..parser`): the built-in flavours'
    # first is the inline layer they share (:func:`.inline_syntax.inline_atoms`)
    plugins: tuple[Plugin, ...] = ()
    disable: tuple[str, ...] = ()  # markdown-it rules the generator does not have ("code" in MDX)
    hooks: Mapping[str, Hook] = field(default_factory=dict)  # token type -> walk hook
    # Inline text that is never words to translate (code spans, links' targets, the generator's inline
    # syntax: the shared layer's :data:`.inline_syntax.NOT_PROSE` plus the flavour's own), and a cheap test of
    # whether a text may hold any (``_ANYWHERE``: always look).
    not_prose: re.Pattern[str] = _NOTHING
    not_prose_hint: re.Pattern[str] = _ANYWHERE
    # Block token types a translation may not change at all (info and content): the generator's own
    # (``svelte_block``) and the shared layer's (:data:`.inline_syntax.VERBATIM`: math blocks); fences and
    # indented code always.
    verbatim: frozenset[str] = frozenset()
    # A line that is template syntax (Svelte's ``{#if …}``): a paragraph made only of such lines is none.
    template_line: re.Pattern[str] | None = None
    # Raw HTML that is template markup (components, attribute expressions): never segments.
    html_template: Callable[[str], bool] | None = None
    # Template syntax in raw HTML's text that is no words (Svelte's ``{#if …}`` block tags): an element
    # whose text is only such syntax is no segment.
    html_not_words: re.Pattern[str] | None = None
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

    @property
    def base(self) -> str:
        """The registered name (``mkdocs`` for ``mkdocs@slugify=lower``)."""
        return self.name.partition("@")[0]

    def slugs(self, *, smartypants_dashes: bool = False) -> Slugs:
        """A fresh slugger for a page's heading ids; ``smartypants_dashes``: github-slugger's of the text
        as the site's smartypants leaves it (``--`` an em dash)."""
        return self.slugger() if self.slugger else Slugger(smartypants_dashes=smartypants_dashes)

    def __reduce__(self) -> tuple[Callable[[str], Flavour], tuple[str]]:
        return flavour, (self.name,)


@dataclass(frozen=True)
class FlavourEntry:
    """A flavour in the registry: where its module is and what is known of it without loading it."""

    name: str
    module: str  # absolute, or relative to this package (".mkdocs"); it holds ``FLAVOUR``
    summary: str  # what ``--help`` says of it
    # Auto-detection (:mod:`.detect`): the generator's configuration files, with their rank among all
    # flavours' (lower first); page extensions read in this flavour; patterns of the page's text, each
    # with its rank and whether it must match at the start of the page (after blank lines) or anywhere.
    site_markers: tuple[str, ...] = ()
    site_rank: int = 0
    extensions: tuple[str, ...] = ()
    page_hints: tuple[tuple[int, bool, re.Pattern[str]], ...] = ()
    # ``name@key=value`` variants the module's ``variant(option)`` makes: allowed values by key.
    options: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # For ``i18n init`` (:mod:`i18n.jobs.sitescan`): the site generator's name as its users know it, and
    # its usual content folders (looked in first, in order).
    generator: str = ""
    content_dirs: tuple[str, ...] = ()
    # The site's configuration: ``site`` reads the settings its pages depend on (:class:`SiteSettings`);
    # ``site_content`` the content folder it names (project root → folder, for ``i18n init``); the folder
    # the generator builds into (``i18n init`` writes elsewhere).
    site: SiteReader | None = None
    site_content: Callable[[Path], str | None] | None = None
    build_dir: str = ""

    def load(self, option: str = "") -> Flavour:
        module = import_module(self.module, __package__)
        if not option:
            return module.FLAVOUR  # type: ignore[no-any-return]
        key, _, value = option.partition("=")
        if value not in self.options.get(key, ()) or not hasattr(module, "variant"):
            raise ValueError(f"unknown markdown flavour {self.name + '@' + option!r}")
        return module.variant(option)  # type: ignore[no-any-return]


_ENTRIES: dict[str, FlavourEntry] = {}
_LOADED: dict[str, Flavour] = {}
DEFAULT = "svelte"  # what auto falls back to (the generator this project started with)


def register(entry: FlavourEntry) -> FlavourEntry:
    """Add a flavour (a name already registered is replaced)."""
    _ENTRIES[entry.name] = entry
    for name in [n for n in _LOADED if n.partition("@")[0] == entry.name]:
        del _LOADED[name]
    return entry


def unregister(name: str) -> None:
    _ENTRIES.pop(name, None)
    for loaded in [n for n in _LOADED if n.partition("@")[0] == name]:
        del _LOADED[loaded]


def entries() -> tuple[FlavourEntry, ...]:
    return tuple(_ENTRIES.values())


def flavour_names() -> tuple[str, ...]:
    """The registered flavours' names, in registration order."""
    return tuple(_ENTRIES)


def choices() -> tuple[str, ...]:
    """What the ``flavour`` setting and ``--flavour`` accept: ``auto`` and every registered name."""
    return (AUTO, *_ENTRIES)


def help_text() -> str:
    """One line per flavour for ``--help``."""
    return "; ".join(f"{e.name}: {e.summary}" for e in _ENTRIES.values())


def closest(name: str) -> str | None:
    """The registered choice closest to a mistyped ``name`` (for "did you mean"), if any is close."""
    close = difflib.get_close_matches(name, choices(), n=1)
    return close[0] if close else None


def flavour(name: str) -> Flavour:
    """The flavour called ``name`` (registered), or a site's variant of it, ``name@option``
    (``mkdocs@slugify=lower``: the module's ``variant(option)``). Loaded once per name."""
    found = _LOADED.get(name)
    if found is None:
        base, _, option = name.partition("@")
        entry = _ENTRIES.get(base)
        if entry is None:
            raise ValueError(f"unknown markdown flavour {name!r}")
        found = _LOADED[name] = entry.load(option)
    return found


def default_flavour() -> Flavour:
    return flavour(DEFAULT)


@dataclass(frozen=True)
class FlavourSetting:
    """The configured ``flavour``: ``auto`` or a registered flavour (resolved against the registry once,
    when the configuration is read; its :class:`Flavour` loads with the first page read in it)."""

    value: str = AUTO

    def __str__(self) -> str:  # written as its value, as the enum it replaces was
        return self.value


_SLUGIFY_CASES = frozenset({"none", "lower", "lower-ascii", "fold"})

register(
    FlavourEntry(
        "commonmark",
        ".commonmark",
        "CommonMark + GFM (Astro's .md pages, GitHub)",
        site_markers=("astro.config.mjs", "astro.config.js", "astro.config.ts", "astro.config.mts"),
        site_rank=5,
        generator="Astro",
        content_dirs=("src/content/docs", "src/content"),
    )
)
register(
    FlavourEntry(
        "svelte",
        ".svelte",
        "SvelteKit with mdsvex ({#id} heading ids, Svelte blocks)",
        site_markers=("svelte.config.js", "svelte.config.mjs", "svelte.config.cjs", "svelte.config.ts"),
        site_rank=3,
        generator="SvelteKit (mdsvex)",
        content_dirs=("src/posts", "src/content", "src/lib/posts", "src/routes"),
        build_dir="build",
    )
)
register(
    FlavourEntry(
        "mkdocs",
        ".mkdocs",
        "Material for MkDocs / pymdown-extensions",
        site_markers=("mkdocs.yml", "mkdocs.yaml"),
        site_rank=1,
        generator="MkDocs",
        content_dirs=("docs",),
        site=read_mkdocs_site,
        site_content=configured_docs_dir,
        build_dir="site",
        page_hints=(
            (
                41,
                False,
                re.compile(
                    r"^[ \t]*(?:(?:!!!|\?\?\?\+?)[ \t]+[\w-]+|===[!+]*[ \t]+\""
                    r"|/{3,}[ \t]*[A-Za-z][\w-]*[ \t]*(?:\||$))",
                    re.MULTILINE,
                ),
            ),
        ),
        options={"slugify": _SLUGIFY_CASES},
    )
)
register(
    FlavourEntry(
        "hugo",
        ".hugo",
        "Hugo (goldmark, shortcodes)",
        site_markers=("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json"),
        site_rank=2,
        generator="Hugo",
        content_dirs=("content",),
        site=read_hugo_site,
        build_dir="public",
        page_hints=(
            (30, True, re.compile(r"(?:\+\+\+|;;;)[ \t]*(?:\r\n?|\n)|\{[ \t]*(?:\r\n?|\n)")),
            (40, False, re.compile(r"\{\{[<%]")),
        ),
    )
)
register(
    FlavourEntry(
        "mdx",
        ".mdx",
        "MDX (Astro/Starlight, Docusaurus)",
        site_markers=("docusaurus.config.js", "docusaurus.config.mjs", "docusaurus.config.ts"),
        site_rank=4,
        generator="Docusaurus (MDX)",
        content_dirs=("docs",),
        build_dir="build",
        extensions=(".mdx",),
    )
)
