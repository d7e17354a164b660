"""i18n: a byte-faithful translation pipeline for markdown sites.

Public API::

    page = i18n.parse_page(text)                # segments of a page
    page.render({segment.id: translation})      # the page with translations spliced in
"""

from __future__ import annotations

from .errors import ConfigError, I18nError, PageError, RenderError
from .page import Page, decode_page, parse_page, read_page
from .segments import Segment, SegmentKind

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "I18nError",
    "Page",
    "PageError",
    "RenderError",
    "Segment",
    "SegmentKind",
    "__version__",
    "decode_page",
    "parse_page",
    "read_page",
]
