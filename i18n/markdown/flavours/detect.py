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

The extensions, configuration files and page patterns are the registered flavours' own
(:class:`.FlavourEntry`: ``extensions``, ``site_markers``/``site_rank``, ``page_hints``): a flavour
registered with its own takes part in detection without a change here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from . import AUTO, DEFAULT, entries

_LEADING = re.compile(r"\ufeff?(?:[ \t]*(?:\r\n?|\n))*")
MDX_TOOLCHAIN_MD = "commonmark"  # how an MDX toolchain without a configuration file reads `.md` pages


def site_markers() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each flavour's generator configuration files (rule 2), in the order they are looked for."""
    found = sorted((e for e in entries() if e.site_markers), key=lambda e: e.site_rank)
    return tuple((e.name, e.site_markers) for e in found)


def _hints() -> list[tuple[int, bool, re.Pattern[str], str]]:
    """Every flavour's page hints (rules 3 and 4), in rank order."""
    found = [(rank, start, pattern, e.name) for e in entries() for rank, start, pattern in e.page_hints]
    return sorted(found, key=lambda hint: hint[0])


def site_flavour(folders: Iterable[Path]) -> str | None:
    """The flavour named by the first site generator configuration file found in ``folders``."""
    markers = site_markers()
    for folder in folders:
        for name, files in markers:
            if any((folder / file).is_file() for file in files):
                return name
    return None


def mdx_site(content_dir: Path) -> str | None:
    """``commonmark`` when ``content_dir`` holds an ``.mdx`` file (rule 2, without a configuration file),
    else None. A walk that stops at the first one (a few milliseconds for 10,000 pages)."""
    for _, _, files in os.walk(content_dir):
        if any(name.lower().endswith(".mdx") for name in files):
            return MDX_TOOLCHAIN_MD
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
    lowered = location.lower()
    for entry in entries():
        if entry.extensions and lowered.endswith(entry.extensions):
            return entry.name
    if site is not None:
        return site
    lead = _LEADING.match(text)
    at = lead.end() if lead else 0
    for _, start, pattern, name in _hints():
        if pattern.match(text, at) if start else pattern.search(text):
            return name
    return DEFAULT
