"""A small in-process memo shared by the steps of one ``i18n run``: what extract parsed or wrote, build
need not parse again. Keyed by content digest (so never stale) and bounded (a large site does not keep
its pages in memory; it just gains less, and build then finds the page's snapshot on disk)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from ..catalog.model import Message
    from ..document import Document

T = TypeVar("T")


class Recent(Generic[T]):
    """The ``size`` most recently stored values by key."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, T] = OrderedDict()

    def get(self, key: str | None) -> T | None:
        if key is None or key not in self._items:
            return None
        self._items.move_to_end(key)
        return self._items[key]

    def put(self, key: str | None, value: T) -> None:
        if key is None or not self.size:
            return
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


@dataclass
class Memo:
    """Parsed documents by source digest; catalog messages by the digest of the file holding them."""

    documents: Recent[Document] = field(default_factory=lambda: Recent(64))
    catalogs: Recent[Sequence[Message]] = field(default_factory=lambda: Recent(512))
