"""Markdown pages as a document kind (see :mod:`i18n.document`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from .flavours import Flavour, flavour
from .flavours.detect import page_flavour

if TYPE_CHECKING:  # the parser loads when a page is parsed, not when the kind is named (:data:`..LAZY`)
    from .page import Page


class MarkdownKind(NamedTuple):
    """Pages parsed with the project's markdown settings.

    ``flavour`` is the configured setting (``auto`` or a flavour's name); with ``auto`` each page's
    flavour is decided by :func:`.flavours.detect.page_flavour` from its extension, the ``site`` flavour
    (found once from the generator's configuration file), its frontmatter delimiter and syntax.
    """

    frontmatter_keys: tuple[str, ...] = ("title", "description")
    inject_anchors: bool = True
    keep_headings: tuple[str, ...] = ()
    smartypants_dashes: bool = True
    flavour: str = "auto"
    site: str | None = None
    posts: str | None = None  # MkDocs: the blog's posts folder ("docs/blog/posts/"): their URL is pinned
    tab_slugs: bool = False  # MkDocs: tab ids are made from tab labels (pymdownx.tabbed's slugify)
    slugify: str | None = None  # MkDocs: toc's slugify is pymdownx.slugs.slugify with this case
    slugged: tuple[str, ...] = ()  # Hugo: folders whose page URLs are made with `:slug` (else the title)

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
                self.flavour,
                self.site,
                self.posts,
                self.tab_slugs,
                self.slugify,
                self.slugged,
            )
        )

    @property
    def verbatim(self) -> bool:
        return True

    def flavour_of(self, text: str, location: str) -> Flavour:
        """The flavour a page is read in (resolved once here, then passed as an object)."""
        found = page_flavour(self.flavour, self.site, location, text)
        return flavour(f"{found}@slugify={self.slugify}" if found == "mkdocs" and self.slugify else found)

    def parse(self, text: str, location: str) -> Page:
        from .page import parse_page

        return self._site(
            text,
            location,
            parse_page(
                text,
                path=location,
                frontmatter_keys=self.frontmatter_keys,
                inject_anchors=self.inject_anchors,
                keep_headings=self.keep_headings,
                smartypants_dashes=self.smartypants_dashes,
                flavour=self.flavour_of(text, location),
            ),
        )

    def restore(self, text: str, snapshot: Mapping[str, object], location: str) -> Page | None:
        from .page import restore_page

        page = restore_page(
            text,
            snapshot,
            path=location,
            frontmatter_keys=self.frontmatter_keys,
            inject_anchors=self.inject_anchors,
            smartypants_dashes=self.smartypants_dashes,
            flavour=self.flavour_of(text, location),
        )
        return None if page is None else self._site(text, location, page)

    def _site(self, text: str, location: str, page: Page) -> Page:
        """``page`` with what its MkDocs site pins: tab labels kept when tab ids are made from them, a
        blog post's URL (``slug:``) kept when it is translated (:mod:`.flavours.mkdocs_site`); with what
        its Hugo site makes from a title: the URL of a page in a ``:slug`` section
        (:mod:`.flavours.hugo_site`)."""
        name = page.flavour.base
        if name == "hugo" and self.slugged:
            from .page import pin_title

            where = location.replace("\\", "/")
            return pin_title(page) if where.startswith(self.slugged) else page
        if name != "mkdocs" or not (self.tab_slugs or self.posts):
            return page
        from .page import pin_site

        post = self.posts is not None and location.replace("\\", "/").startswith(self.posts)
        return pin_site(page, tab_labels=self.tab_slugs, post=post)
