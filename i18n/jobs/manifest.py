"""A language's manifest (``<output_dir>/<lang>/manifest.json``): each page's row of the build (segments,
translated, coverage, states, what was dropped, where a message file went) and the language's totals. The
next build reads it back to know which pages the last one wrote (the only files it may remove)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from ..catalog.model import State
from ..files import read_regular

MANIFEST = "manifest.json"


class PageBuild(NamedTuple):
    page: str
    segments: int
    translated: int
    counts: tuple[int, ...]  # segments per state, in ``State`` order (a tuple: a big site has many)
    source_hash: str
    included: bool
    dropped: tuple[str, ...] = ()  # segments whose translation broke the page's structure: English instead
    output: str | None = None  # where a message file was written (from the project root); pages: None
    partners: tuple[str, ...] = ()  # per dropped segment: the one it breaks the page with ("" alone)

    @property
    def states(self) -> dict[str, int]:
        return {state.value: count for state, count in zip(State, self.counts, strict=True)}

    @property
    def coverage(self) -> float:
        return round(100.0 * self.translated / self.segments, 1) if self.segments else 100.0


def manifest_text(language: str, results: Sequence[PageBuild]) -> str:
    pages = {
        r.page: {
            "included": r.included,
            "segments": r.segments,
            "translated": r.translated,
            "coverage": r.coverage,
            "states": r.states,
            "source_sha256": r.source_hash,
            **({"dropped": list(r.dropped)} if r.dropped else {}),
            **({"dropped_with": dict(zip(r.dropped, r.partners, strict=True))} if any(r.partners) else {}),
            **({"output": r.output} if r.output else {}),
        }
        for r in results
    }
    segments = sum(r.segments for r in results)
    translated = sum(r.translated for r in results if r.included)
    totals = {
        "pages": len(results),
        "included": sum(r.included for r in results),
        "segments": segments,
        "translated": translated,
        "coverage": round(100.0 * translated / segments, 1) if segments else 100.0,
    }
    return (
        json.dumps({"language": language, "pages": pages, "totals": totals}, indent=2, sort_keys=True) + "\n"
    )


def built_pages(folder: Path) -> set[str]:
    """The pages a language's manifest lists as written into its folder (none when there is no readable
    manifest; a message file written elsewhere is not listed here: see :mod:`.outputs`)."""
    try:
        data = json.loads(read_regular(folder / MANIFEST))
    except (OSError, ValueError):
        return set()
    pages = data.get("pages") if isinstance(data, dict) else None
    if not isinstance(pages, dict):
        return set()
    return {
        ref
        for ref, row in pages.items()
        if isinstance(row, dict) and row.get("included") is True and "output" not in row
    }
