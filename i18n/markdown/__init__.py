"""Markdown pages, pure: a page's text → segments (:func:`parse_page`) → the page with translations
spliced in (:meth:`Page.render`). markdown-it-py parses (:mod:`.parser`, the one setup); :mod:`.walk`
finds segments and their source spans in one walk; :mod:`.kind` makes pages a document kind. Nothing
here touches files except :func:`read_page`. The names below load markdown-it on first use.

The folder reads top-down, with no circle (``tests/test_import_graph.py``): models and small helpers
(:mod:`.lines`, :mod:`.slug`, :mod:`.inline_tokens`, :mod:`.html`, :mod:`.frontmatter`, …) ← the flavours
(:mod:`.flavours`: the registry and one module per flavour; their hooks see the walk only as a type) ←
:mod:`.parser` ← :mod:`.walk` ← :mod:`.page` ← :mod:`.kind`, :mod:`.sitecheck`, :mod:`.align`.

Imports sit at the top of modules, except these, kept inside functions because a run that reads no page
(a no-op ``i18n run``: ``tests/test_flavour_projects.py``, ``tests/test_messages_pipeline.py``) must not
load markdown-it, PyYAML or linkify-it (``python -X importtime -c "import …"``, cumulative, on a busy
2-core machine: :mod:`.page` with markdown-it and the flavours' plugins ≈ 100 ms, markdown-it alone
≈ 28 ms, PyYAML ≈ 15 ms, linkify-it ≈ 2 ms):

- this package's names (:func:`__getattr__`) load :mod:`.page` on first use;
- :mod:`.kind` (a document kind is named, and its settings read, before any page is) loads :mod:`.page`
  when it parses one;
- :mod:`.autolink` loads linkify-it only for a text that may hold a bare URL;
- :mod:`.flavours.hugo_site` loads PyYAML only for a Hugo site configured in YAML.

The flavour registry (:mod:`.flavours`) is light too: the configuration reads it at start-up; a flavour's
module loads with the first page read in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .page import Page, decode_page, parse_page, read_page, restore_page

__all__ = ["Page", "decode_page", "parse_page", "read_page", "restore_page"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import page

        return getattr(page, name)
    raise AttributeError(f"module 'i18n.markdown' has no attribute {name!r}")
