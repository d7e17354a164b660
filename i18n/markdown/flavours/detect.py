"""Which flavour a page is read in (``flavour = "auto"``). Cheap: a few file checks once per run, a few
regular expressions per page; no markdown parse.

``auto`` decides, in this order (the first rule that applies wins):

1. the file extension: ``.mdx`` is ``mdx``;
2. the site generator, by its configuration file in the project root or in a folder between the
   content folder and the root: ``mkdocs.yml``/``mkdocs.yaml`` → ``mkdocs``; ``hugo.toml``/``hugo.yaml``/
   ``hugo.yml``/``hugo.json`` → ``hugo``; ``svelte.config.js`` (``.mjs``, ``.cjs``, ``.ts``) → ``svelte``;
   ``docusaurus.config.js`` (``.mjs``, ``.ts``) → ``mdx`` (Docusaurus reads ``.md`` as MDX);
   ``astro.config.mjs`` (``.js``, ``.ts``, ``.mts``) → ``commonmark`` (Astro reads ``.md`` as markdown;
   its ``.mdx`` files are MDX by rule 1);
   without such a file, a content folder holding ``.mdx`` pages is an MDX toolchain's (the MDX docs' own
   site, Next.js, Astro with its configuration elsewhere): its ``.md`` pages are ``commonmark`` (MDX's
   ``format: 'detect'`` compiles them as markdown; an injected ``{#id}`` would show as text);
3. the frontmatter delimiter: TOML (``+++``) or JSON (``{`` or ``;;;``) frontmatter → ``hugo``;
4. the page's own syntax: a Hugo shortcode (``{{<`` or ``{{%``) → ``hugo``; a line opening an MkDocs
   admonition (``!!! note``, ``??? tip``), content tab (``=== "Tab"``) or block (``/// note``) → ``mkdocs``;
5. otherwise ``svelte`` (:data:`DEFAULT`: CommonMark + GFM as mdsvex renders it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from . import DEFAULT

AUTO = "auto"
SITE_MARKERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("mkdocs", ("mkdocs.yml", "mkdocs.yaml")),
    ("hugo", ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json")),
    ("svelte", ("svelte.config.js", "svelte.config.mjs", "svelte.config.cjs", "svelte.config.ts")),
    ("mdx", ("docusaurus.config.js", "docusaurus.config.mjs", "docusaurus.config.ts")),
    ("commonmark", ("astro.config.mjs", "astro.config.js", "astro.config.ts", "astro.config.mts")),
)
_LEADING = re.compile(r"\ufeff?(?:[ \t]*(?:\r\n?|\n))*")
_HUGO_FRONTMATTER = re.compile(r"(?:\+\+\+|;;;)[ \t]*(?:\r\n?|\n)|\{[ \t]*(?:\r\n?|\n)")
_SHORTCODE = re.compile(r"\{\{[<%]")
_MKDOCS_BLOCK = re.compile(
    r"^[ \t]*(?:(?:!!!|\?\?\?\+?)[ \t]+[\w-]+|===[!+]*[ \t]+\"|/{3,}[ \t]*[A-Za-z][\w-]*[ \t]*(?:\||$))",
    re.MULTILINE,
)


def site_flavour(folders: Iterable[Path]) -> str | None:
    """The flavour named by the first site generator configuration file found in ``folders``."""
    for folder in folders:
        for name, files in SITE_MARKERS:
            if any((folder / file).is_file() for file in files):
                return name
    return None


def mdx_site(content_dir: Path) -> str | None:
    """``commonmark`` when ``content_dir`` holds an ``.mdx`` file (rule 2, without a configuration file),
    else None. A walk that stops at the first one (a few milliseconds for 10,000 pages)."""
    for _, _, files in os.walk(content_dir):
        if any(name.lower().endswith(".mdx") for name in files):
            return "commonmark"
    return None


def site_folders(root: Path, content_dir: Path) -> list[Path]:
    """The folders rule 2 looks in: from the content folder's parent up to the project root, then the
    root (a content folder outside the project: its parent and the root)."""
    folders: list[Path] = []
    folder = content_dir.parent
    while folder != folder.parent and folder not in folders:
        folders.append(folder)
        if folder == root or not folder.is_relative_to(root):
            break
        folder = folder.parent
    if root not in folders:
        folders.append(root)
    return folders


def page_flavour(setting: str, site: str | None, location: str, text: str) -> str:
    """The flavour a page is read in: ``setting`` itself unless it is ``auto`` (see the module's rules)."""
    if setting != AUTO:
        return setting
    if location.lower().endswith(".mdx"):
        return "mdx"
    if site is not None:
        return site
    lead = _LEADING.match(text)
    if _HUGO_FRONTMATTER.match(text, lead.end() if lead else 0):
        return "hugo"
    if _SHORTCODE.search(text):
        return "hugo"
    if _MKDOCS_BLOCK.search(text):
        return "mkdocs"
    return DEFAULT
