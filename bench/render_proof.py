"""How often ``Page.render``'s fast path (edits proven local, no re-parse) passes an edit that the full
structure comparison refuses: the render check's soundness on real pages.

Usage: python bench/render_proof.py [FOLDER[:FLAVOUR] ...] [--verbose]
Default: ../shared/corpus/en (svelte) and ../shared/corpus/flavours/{hugo,mkdocs,mdx} (read as the folder's
name). For every segment of every page, each single edit of :data:`EDITS` (a pseudo translation and
adversarial word/markup insertions, deterministic) is checked: *proven* = the fast path would skip the parse;
*disagree* = proven although the full comparison (``Structure.difference``) refuses the result. A sound
check has 0 disagreements.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from i18n import parse_page  # noqa: E402
from i18n.markdown.flavours import flavour as named  # noqa: E402
from i18n.markdown.page import Page  # noqa: E402
from i18n.mt.pseudo import pseudo_localize  # noqa: E402
from i18n.mt.xmlmarkup import decode, encode  # noqa: E402


def _pseudo(text: str) -> str:
    encoded = encode(text)
    return decode(encoded, pseudo_localize(encoded.xml, encoded.ignore_tags))


def _insert(token: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        words = text.split(" ")
        words.insert(len(words) // 2, token)
        return " ".join(words)

    return edit


EDITS: tuple[Callable[[str], str], ...] = (
    _pseudo,
    lambda t: "Vertaald " + t,
    *(_insert(token) for token in ("*", "]", "|", "\\", "{#", "}", "<", "![")),
)


def check(page: Page, segment_id: str, text: str) -> tuple[bool, str | None]:
    """(proven local, what the full comparison refuses or None) for one single edit."""
    translations = {segment_id: text}
    anchors = page.inject_anchors and page.flavour.inject_anchors  # as ``Page.render``
    edits = page._edits(translations, anchors)
    proven = bool(edits) and all(local for _, _, local in edits)
    if not proven:  # only a proven edit can disagree
        return False, None
    from i18n.markdown.tables import apply_edits, repad_tables

    output = apply_edits(page.source, [e for _, e, _ in repad_tables(page.source, edits)])
    try:
        problem = page._structure.difference(page._structure_of(output), anchors=anchors)
    except Exception as exc:  # a page that no longer parses is a refusal
        problem = str(exc)
    return proven, problem


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    shared = ROOT.parent / "shared" / "corpus"
    folders = args.folders or [
        f"{shared / 'en'}:svelte",
        *(f"{shared / 'flavours' / name}:{name}" for name in ("hugo", "mkdocs", "mdx")),
    ]
    total_edits = total_proven = total_disagree = 0
    print(f"{'folder':<10} {'pages':>5} {'edits':>7} {'proven':>7} {'disagree':>8}")
    for spec in folders:
        folder, _, flavour = spec.partition(":")
        path = Path(folder)
        if not path.is_dir():
            print(f"{path}: no such folder", file=sys.stderr)
            return 2
        pages = sorted([*path.glob("*.md"), *path.glob("*.mdx")])
        n_edits = n_proven = n_disagree = 0
        for file in pages:
            text = file.read_bytes().decode("utf-8")
            page = parse_page(text, path=file.name, flavour=named(flavour or "svelte"))
            for segment in page.segments:
                for edit in EDITS:
                    proven, problem = check(page, segment.id, edit(segment.text))
                    n_edits += 1
                    n_proven += proven
                    if proven and problem is not None:
                        n_disagree += 1
                        if args.verbose:
                            where = f"{file.name}:{segment.line}: {segment.id}"
                            print(f"  {where}: {problem}: {edit(segment.text)!r}")
        print(f"{path.name:<10} {len(pages):>5} {n_edits:>7} {n_proven:>7} {n_disagree:>8}")
        total_edits += n_edits
        total_proven += n_proven
        total_disagree += n_disagree
    print(f"{'total':<10} {'':>5} {total_edits:>7} {total_proven:>7} {total_disagree:>8}")
    print("command: python bench/render_proof.py" + (" " + " ".join(args.folders) if args.folders else ""))
    return 1 if total_disagree else 0


if __name__ == "__main__":
    sys.exit(main())
