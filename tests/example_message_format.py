"""An example message file format for the formats' registry tests (not shipped): one module, one entry.

A "namespaced" file is an i18next-style file of nested objects that says so with a top-level
``"$namespace"`` member (``{"$namespace": "shop", "cart": {"title": "Your cart"}}``).
"""

from __future__ import annotations

from i18n.messages.formats import MessageFormat
from i18n.messages.scan import Value


def is_namespaced(root: Value) -> bool:
    return any(member.key == "$namespace" for member in root.members)


FORMAT = MessageFormat(
    "namespaced", 'nested objects with a "$namespace" member', nested=True, detect=is_namespaced
)
