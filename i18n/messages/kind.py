"""Message files as a document kind (see :mod:`i18n.document`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from .formats import Instructions, MessageFormat

if TYPE_CHECKING:  # the reader loads when a file is parsed, not when the kind is named
    from .file import MessageFile


class MessagesKind(NamedTuple):
    """Message files of one ``[[tool.i18n.messages]]`` entry: its format (None: detected from the
    content) and what a build does with instruction keys."""

    format: MessageFormat | None = None
    instructions: Instructions = Instructions.COPY

    @property
    def name(self) -> str:
        return "messages"

    @property
    def settings(self) -> str:
        return repr((self.name, str(self.format), str(self.instructions)))

    @property
    def verbatim(self) -> bool:
        """Whether a file rendered without translations is its source (not when instructions drop)."""
        return self.instructions is Instructions.COPY

    def parse(self, text: str, location: str) -> MessageFile:
        from .file import parse_messages

        return parse_messages(text, location, format=self.format, instructions=self.instructions)

    def restore(self, text: str, snapshot: Mapping[str, object], location: str) -> MessageFile | None:
        from .file import restore_messages

        return restore_messages(text, snapshot, location, format=self.format, instructions=self.instructions)
