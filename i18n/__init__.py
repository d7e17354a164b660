"""i18n: a byte-faithful translation pipeline for markdown sites.

Public API::

    page = i18n.parse_page(text)                # segments of a page
    page.render({segment.id: translation})      # the page with translations spliced in
"""

from __future__ import annotations

from .errors import ConfigError, I18nError, PageError, RenderError

TYPE_CHECKING = False  # not typing's: `i18n run -q` with nothing to do starts without importing typing
if TYPE_CHECKING:
    from typing import Any

    from .markdown.page import Page, decode_page, parse_page, read_page
    from .segments import Segment, SegmentKind

_LAZY = {"Page", "decode_page", "parse_page", "read_page"}


def __getattr__(name: str) -> Any:
    """The page API loads markdown-it on first use, so commands that parse nothing start fast."""
    if name in _LAZY:
        from .markdown import page

        return getattr(page, name)
    if name in ("Segment", "SegmentKind"):
        from . import segments

        return getattr(segments, name)
    raise AttributeError(f"module 'i18n' has no attribute {name!r}")


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
