"""Markdown pages as a document kind (see :mod:`i18n.document`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .page import Page, parse_page, restore_page


@dataclass(frozen=True)
class MarkdownKind:
    """Pages parsed with the project's markdown settings."""

    frontmatter_keys: tuple[str, ...] = ("title", "description")
    inject_anchors: bool = True
    name: str = "markdown"

    @property
    def settings(self) -> str:
        return repr((self.name, self.frontmatter_keys, self.inject_anchors))

    def parse(self, text: str, location: str) -> Page:
        return parse_page(
            text, path=location, frontmatter_keys=self.frontmatter_keys, inject_anchors=self.inject_anchors
        )

    def restore(self, text: str, snapshot: Mapping[str, object], location: str) -> Page | None:
        return restore_page(
            text,
            snapshot,
            path=location,
            frontmatter_keys=self.frontmatter_keys,
            inject_anchors=self.inject_anchors,
        )
