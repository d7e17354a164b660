"""An example flavour for the registry's tests (not shipped): one module, one registry entry.

A wiki's markdown (Obsidian, Foam, Dendron): CommonMark + GFM, plus

- ``[[Page]]`` and ``[[Page|label]]`` wiki links: a page name, never words (``not_prose``), so a paragraph
  that is only wiki links is no segment;
- ``%%`` comments: on lines of their own (``%%`` … ``%%``, any lines between) a block that is never a
  segment and that a translation may not change (its token's ``syntax``); inside a paragraph it counts
  as no words (``not_prose``), but the XML encoder reads a segment without its page, in the shared inline
  layer only, so an engine sees the words of such a comment (the golden pseudo page shows it).

Its headings get no ``{#id}`` (the wiki makes ids from the heading's text, as in ``commonmark``). Detection
(``auto``): an Obsidian vault (``.obsidian/app.json``), else a page with a wiki link and no other
generator's sign; ``i18n init`` looks for its pages in ``vault/`` first.

Its site configuration (the entry's ``site`` reader): the vault's ``.obsidian/app.json`` may list
``"slugFolders"``, folders of the vault whose pages' URLs the wiki's publisher makes from their title; a
translated page there keeps its URL (``slug`` = the English title, one of the :class:`SitePins`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from i18n.markdown.flavours import Flavour, FlavourEntry
from i18n.markdown.flavours.commonmark import ALT, HOOKS, directives, linked_heading
from i18n.markdown.flavours.inline_syntax import NOT_PROSE, NOT_PROSE_HINT, VERBATIM, inline_atoms
from i18n.markdown.flavours.site import SitePins


class WikiSite(NamedTuple):
    """The vault's settings: the folders (from the project root, ending in ``/``) of title-made URLs."""

    slugged: tuple[str, ...]

    def variant(self) -> str:
        return ""

    def pins(self, location: str) -> SitePins:
        return SitePins(title_slug=location.startswith(self.slugged))


def read_site(folders: Sequence[Path], root: Path, content_dir: Path) -> WikiSite | None:
    """The first ``.obsidian/app.json`` in ``folders`` with ``"slugFolders"`` (None: nothing pinned)."""
    for folder in folders:
        try:
            settings = json.loads((folder / ".obsidian" / "app.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        listed = settings.get("slugFolders") if isinstance(settings, dict) else None
        if isinstance(listed, list):
            base = content_dir.relative_to(root).as_posix()
            return WikiSite(tuple(f"{base}/{name.strip('/')}/" for name in listed if isinstance(name, str)))
    return None


ENTRY = FlavourEntry(
    "wiki",
    "tests.example_flavour",
    "a wiki ([[Page]] links, %% comments %%)",
    page_hints=((50, False, re.compile(r"\[\[[^\[\]\n]+\]\]")),),
    site_markers=(".obsidian/app.json",),
    site_rank=6,
    generator="Obsidian",
    content_dirs=("vault",),
    site=read_site,
)

_WIKI_LINK = r"\[\[[^\[\]\n]*\]\]"
_COMMENT = r"%%.*?%%"


def _comment(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """``%%`` at the start of a line, up to the line ending in the closing ``%%``."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    first = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    if not first.startswith("%%"):
        return False
    last, rest = start, first[2:]
    while not rest.rstrip().endswith("%%"):
        last += 1
        if last >= end:
            return False  # unclosed: a paragraph
        rest = state.src[state.bMarks[last] + state.tShift[last] : state.eMarks[last]]
    if silent:
        return True
    token = state.push("wiki_comment", "", 0)
    token.map = [start, last + 1]
    token.content = state.getLines(start, last + 1, state.blkIndent, False)
    token.meta = {"syntax": token.content}
    state.line = last + 1
    return True


def wiki(md: MarkdownIt) -> None:
    md.block.ruler.before("fence", "wiki_comment", _comment, ALT)


FLAVOUR = Flavour(
    "wiki",
    plugins=(inline_atoms, directives, wiki),  # the shared inline layer, :::directives, its own
    hooks={**HOOKS, "heading_open": linked_heading},
    not_prose=re.compile(f"{NOT_PROSE.pattern}|{_WIKI_LINK}|{_COMMENT}", NOT_PROSE.flags),
    not_prose_hint=re.compile(f"{NOT_PROSE_HINT.pattern}|%%", NOT_PROSE_HINT.flags),
    verbatim=VERBATIM,  # the shared layer's `$$` math blocks
    heading_id=None,
    inject_anchors=False,
)
