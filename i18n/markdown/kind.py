"""Markdown pages as a document kind (see :mod:`i18n.document`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # the parser loads when a page is parsed, not when the kind is named
    from .page import Page


class MarkdownKind(NamedTuple):
    """Pages parsed with the project's markdown settings."""

    frontmatter_keys: tuple[str, ...] = ("title", "description")
    inject_anchors: bool = True
    keep_headings: tuple[str, ...] = ()
    smartypants_dashes: bool = True

    @property
    def name(self) -> str:
        return "markdown"

    @property
    def settings(self) -> str:
        return repr(
            (
                self.name,
                self.frontmatter_keys,
                self.inject_anchors,
                self.keep_headings,
                self.smartypants_dashes,
            )
        )

    @property
    def verbatim(self) -> bool:
        return True

    def parse(self, text: str, location: str) -> Page:
        from .page import parse_page

        return parse_page(
            text,
            path=location,
            frontmatter_keys=self.frontmatter_keys,
            inject_anchors=self.inject_anchors,
            keep_headings=self.keep_headings,
            smartypants_dashes=self.smartypants_dashes,
        )

    def restore(self, text: str, snapshot: Mapping[str, object], location: str) -> Page | None:
        from .page import restore_page

        return restore_page(
            text,
            snapshot,
            path=location,
            frontmatter_keys=self.frontmatter_keys,
            inject_anchors=self.inject_anchors,
            smartypants_dashes=self.smartypants_dashes,
        )
