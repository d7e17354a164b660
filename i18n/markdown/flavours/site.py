"""A site's settings, as a flavour's registry entry reads them from the generator's configuration
(:attr:`.FlavourEntry.site`): what decides how the site's pages are read and what they pin.

A flavour whose site configuration matters (MkDocs' ``mkdocs.yml``, Hugo's ``hugo.toml``) gives its entry a
:data:`SiteReader`; the reader's :class:`SiteSettings` name a variant of the flavour and, per page, the
:class:`SitePins` the document kind applies (:mod:`..kind`). No other module asks which flavour a site is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple, Protocol


class SitePins(NamedTuple):
    """What a site makes from a page's translated text, so the translation must keep the English: the
    page operations a site's settings ask for (applied by :mod:`..kind`, one page at a time)."""

    tab_labels: bool = False  # tab labels are not segments (the site makes tab ids from them)
    post_slug: bool = False  # ``slug:`` = the English title's slug as a blog plugin makes it (a post's URL)
    title_slug: bool = False  # ``slug`` = the English title (the URL is made from the slug, else the title)


class SiteSettings(Protocol):
    """What a site's configuration says that decides how its pages are read (a flavour entry's ``site``
    reader makes it once per run): a variant of the flavour, and what each page pins. Hashable and
    picklable (a :class:`typing.NamedTuple`), its ``repr`` part of the document kind's settings."""

    def variant(self) -> str:
        """The flavour's ``key=value`` option the site asks for (``slugify=lower``), or ``""``."""
        ...

    def pins(self, location: str) -> SitePins:
        """What the page at ``location`` (``/``-separated, from the project root) pins."""
        ...


# A site's configuration → its settings: (the folders looked in for the generator's configuration file,
# nearest first; the project root; the content folder) → settings, None when there is nothing to apply.
SiteReader = Callable[[Sequence[Path], Path, Path], "SiteSettings | None"]
