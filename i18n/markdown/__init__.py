"""Markdown pages, pure: a page's text → segments (:func:`parse_page`) → the page with translations
spliced in (:meth:`Page.render`). markdown-it-py parses (:mod:`.parser`, the one setup); :mod:`.walk`
finds segments and their source spans in one walk; :mod:`.kind` makes pages a document kind. Nothing
here touches files except :func:`read_page`. The names below load markdown-it on first use."""

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
