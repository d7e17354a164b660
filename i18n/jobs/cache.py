"""The one cache implementation: a JSON file of entries by key, tied to the settings that made them.

Used for the state file (``locales/.i18n-state.json``: what each page and catalog was when last seen, so an
unchanged page is skipped unparsed) and the build cache (``<output_dir>/.i18n-build.json``). The file is
valid JSON with one line per entry, sorted, so it stays small, is written without being held whole in
memory (streamed to a temporary file, renamed only when its bytes differ), and reads well in a diff. A file
made with other settings (or unreadable) counts as empty: the cache then rebuilds itself.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..files import write_chunks_if_changed


def fingerprint(settings: object) -> str:
    """A short hash of JSON-serialisable ``settings``."""
    return hashlib.sha256(json.dumps(settings, default=str).encode()).hexdigest()[:16]


class Cache:
    """Entries (JSON values) by string key, loaded from and saved to ``path``."""

    def __init__(self, path: Path, settings: str) -> None:
        self.path = path
        self.settings = settings
        self.entries: dict[str, Any] = {}
        self.loaded = False  # read from disk with these settings
        self.changed = False  # an entry differs from what was read
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return
        if (
            isinstance(data, dict)
            and data.get("settings") == settings
            and isinstance(data.get("pages"), dict)
        ):
            self.entries = data["pages"]
            self.loaded = True

    def get(self, key: str) -> Any:
        return self.entries.get(key)

    def put(self, key: str, value: Any) -> None:
        if self.entries.get(key) != value:
            self.entries[key] = value
            self.changed = True

    def mark_changed(self) -> None:
        """An entry was changed in place (a value returned by :meth:`get`)."""
        self.changed = True

    def save(self, keep: Iterable[str] | None = None) -> bool:
        """Write the entries (only those in ``keep``, when given); True if the file changed. Nothing is
        encoded when the entries are as read."""
        kept = set(self.entries) if keep is None else set(keep) & set(self.entries)
        if self.loaded and not self.changed and len(kept) == len(self.entries):
            return False
        return write_chunks_if_changed(self.path, _lines(self.settings, self.entries, kept))


def _lines(settings: str, entries: dict[str, Any], keys: set[str]) -> Iterator[str]:
    yield f'{{"settings": {json.dumps(settings)}, "pages": {{'
    separator = "\n  "
    for key in sorted(keys):
        value = json.dumps(entries[key], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        yield f"{separator}{json.dumps(key, ensure_ascii=False)}: {value}"
        separator = ",\n  "
    yield "}}\n" if separator == "\n  " else "\n}}\n"
