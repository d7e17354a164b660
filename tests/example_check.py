"""An example check for the checks' registry tests (not shipped): one module, one registry entry.

A translation may not shout: more exclamation marks than its source is the problem ``exclamation``.
"""

from __future__ import annotations

from i18n.checks import Check, Context
from i18n.checks.base import Found
from i18n.segments import INLINE_MARKDOWN_KINDS

CODE = "exclamation"


def exclamation(source: str, translation: str, context: Context) -> Found:
    added = translation.count("!") - source.count("!")
    if added > 0:
        yield CODE, f"{added} exclamation marks added"


CHECK = Check("exclamation", exclamation, INLINE_MARKDOWN_KINDS, codes=(CODE,))
