"""Source documents as the jobs load them: read once, parsed once per content.

Each source is loaded with its kind (:func:`kind_of`: markdown for pages, messages for message files). A
parsed document is remembered in the run's memo and, as a snapshot (its segments and where they sit), in
``<output_dir>/.i18n-cache/``, keyed by the digest of its bytes and the kind's settings: ``build`` then
rebuilds a page that ``extract`` parsed without parsing it again, in this process or the next.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..config import Config
from ..document import KindEntry, kind_entry, register_kind
from ..errors import PageError
from ..files import bytes_digest, decode_text, read_regular, write_atomic
from .cache import fingerprint
from .layout import Source
from .memo import Memo, Recent

if TYPE_CHECKING:  # markdown-it and PyYAML load only when a page is parsed
    from ..config import MessageSpec
    from ..document import Document, DocumentKind
    from ..markdown.kind import MarkdownKind
    from ..messages.kind import MessagesKind

CACHE_DIR = ".i18n-cache"


def markdown_kind(config: Config) -> MarkdownKind:
    from ..markdown.flavours import AUTO, entries
    from ..markdown.flavours.detect import mdx_site, site_flavour, site_folders
    from ..markdown.kind import MarkdownKind

    setting = config.flavour.value
    folders = site_folders(config.root, config.content_dir)
    site = site_flavour(folders) if setting == AUTO else None
    if setting == AUTO and site is None:
        site = mdx_site(config.content_dir)
    named = site if setting == AUTO else setting  # the flavour whose site configuration applies
    entry = next((e for e in entries() if e.name == named), None)
    settings = entry.site(folders, config.root, config.content_dir) if entry and entry.site else None
    return MarkdownKind(
        config.frontmatter_keys,
        config.inject_anchors,
        config.keep_headings,
        config.smartypants_dashes,
        setting,
        site,
        (named, settings) if named is not None and settings is not None else None,
    )


def messages_kind(spec: MessageSpec) -> MessagesKind:
    from ..messages.kind import MessagesKind

    return MessagesKind(spec.format, spec.instructions)


def _markdown(config: Config | None, spec: MessageSpec | None) -> DocumentKind:
    from ..markdown.kind import MarkdownKind

    return markdown_kind(config) if config is not None else MarkdownKind()


def _messages(config: Config | None, spec: MessageSpec | None) -> DocumentKind:
    from ..messages.kind import MessagesKind

    return messages_kind(spec) if spec is not None else MessagesKind()


# The built-in document kinds (a project's pages are markdown unless configured as another kind).
MARKDOWN = register_kind(KindEntry("markdown", "a markdown page", (".md", ".mdx", ".markdown"), _markdown))
MESSAGES = register_kind(KindEntry("messages", "a message file", (".json",), _messages))


def kind_of(config: Config, source: Source) -> DocumentKind:
    """The kind ``source`` is parsed with (its entry in :mod:`i18n.document`'s registry)."""
    return kind_entry(source.kind).make(config, source.spec)


def read_source(source: Source) -> bytes:
    """A source file's bytes, or a ``PageError`` naming it."""
    try:
        return read_regular(source.path)
    except OSError as exc:
        raise PageError(f"cannot read: {exc.strerror or exc}", path=source.location) from None


def decode(data: bytes, location: str, what: str = "a markdown page") -> str:
    return decode_text(data, location, what)


def what_of(source: Source) -> str:
    """What ``source`` is, in an error about its bytes."""
    return kind_entry(source.kind).what


class Documents:
    """Loads the documents of a project, parsing each content once."""

    def __init__(self, config: Config, memo: Memo | None = None, *, snapshots: bool = True) -> None:
        self.config = config
        self.snapshots = snapshots  # write snapshots of what is parsed (not in a dry run)
        self.memo = memo or Memo(Recent(0), Recent(0))
        self.folder = config.output_dir / CACHE_DIR

    @cached_property
    def kind(self) -> DocumentKind:
        """The kind of the project's pages."""
        return markdown_kind(self.config)

    def kind_for(self, source: Source) -> DocumentKind:
        return self.kind if source.kind == MARKDOWN.name else kind_of(self.config, source)

    def warm(self) -> None:
        """Load the pages' parser (markdown-it, its plugins, the flavour's rules) by parsing a line."""
        self.kind.parse("# Warm\n\nA *line* with [a link](/x).\n", "warm.md")

    def _tag(self, kind: DocumentKind) -> str:
        return fingerprint([__version__, kind.settings])[:8]

    def snapshot_path(self, digest: str, kind: DocumentKind | None = None) -> Path:
        return self.folder / f"{digest}-{self._tag(kind or self.kind)}.json"

    def parse(self, source: Source, data: bytes, digest: str | None = None) -> Document:
        """Parse ``data`` (the source's bytes); remembered and snapshotted for later steps."""
        digest = digest or bytes_digest(data)
        kind = self.kind_for(source)
        key = f"{digest}-{self._tag(kind)}"  # the same bytes as another kind are another document
        document = self.memo.documents.get(key)
        if document is None:
            document = kind.parse(decode(data, source.location, what_of(source)), source.location)
            self.memo.documents.put(key, document)
        path = self.snapshot_path(digest, kind)
        if self.snapshots and not path.exists():
            write_atomic(path, json.dumps(document.snapshot(), separators=(",", ":")).encode("utf-8"))
        return document

    def load(self, source: Source, data: bytes, digest: str | None = None) -> Document:
        """The document of ``data``: from the memo, from its snapshot, or parsed."""
        digest = digest or bytes_digest(data)
        kind = self.kind_for(source)
        document = self.memo.documents.get(f"{digest}-{self._tag(kind)}")
        if document is not None:
            return document
        try:
            snapshot = json.loads(self.snapshot_path(digest, kind).read_bytes())
        except (OSError, ValueError):
            snapshot = None
        if isinstance(snapshot, dict):
            restored = kind.restore(decode(data, source.location, what_of(source)), snapshot, source.location)
            if restored is not None:
                self.memo.documents.put(f"{digest}-{self._tag(kind)}", restored)
                return restored
        return self.parse(source, data, digest)

    def prune(self, digests: set[str]) -> None:
        """Remove snapshots of contents that are no longer sources (or were made with other settings)."""
        if not self.folder.is_dir():
            return
        tags = {self._tag(self.kind), *(self._tag(messages_kind(spec)) for spec in self.config.messages)}
        for path in self.folder.glob("*.json"):
            digest, _, tag = path.stem.partition("-")
            if digest not in digests or tag not in tags:
                path.unlink(missing_ok=True)
