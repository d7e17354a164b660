"""Markdown pages as a document kind (see :mod:`i18n.document`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from .flavours import Flavour, flavour
from .flavours.detect import page_flavour
from .flavours.site import SiteSettings

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
    # What the site's configuration says (the flavour entry's ``site`` reader), with the flavour it is for:
    # applied to the pages read in that flavour.
    site_settings: tuple[str, SiteSettings] | None = None

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
                self.site_settings,
            )
        )

    @property
    def verbatim(self) -> bool:
        return True

    def flavour_of(self, text: str, location: str) -> Flavour:
        """The flavour a page is read in (resolved once here, then passed as an object)."""
        found = page_flavour(self.flavour, self.site, location, text)
        if self.site_settings is None or self.site_settings[0] != found:
            return flavour(found)
        variant = self.site_settings[1].variant()
        return flavour(f"{found}@{variant}" if variant else found)

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
        """``page`` with what its site pins (:class:`.flavours.site.SitePins`, from the site's settings
        when the page is read in the flavour they are for): tab labels kept when tab ids are made from
        them, a blog post's URL kept (``slug:``, :mod:`.flavours.mkdocs_site`), a page URL made from its
        title kept (``slug``, :mod:`.flavours.hugo_site`)."""
        if self.site_settings is None or page.flavour.base != self.site_settings[0]:
            return page
        pins = self.site_settings[1].pins(location.replace("\\", "/"))
        if pins.tab_labels or pins.post_slug:
            from .page import pin_site

            page = pin_site(page, tab_labels=pins.tab_labels, post=pins.post_slug)
        if pins.title_slug and not pins.post_slug:  # one slug: a post's wins
            from .page import pin_title

            page = pin_title(page)
        return page
