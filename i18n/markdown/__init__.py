"""Markdown pages, pure: a page's text → segments (:func:`parse_page`) → the page with translations
spliced in (:meth:`Page.render`). markdown-it-py parses; nothing here touches files except
:func:`read_page`."""

from .page import Page, decode_page, parse_page, read_page, restore_page

__all__ = ["Page", "decode_page", "parse_page", "read_page", "restore_page"]
