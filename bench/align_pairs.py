"""Align existing translations with their English pages and report how much aligns.

    python bench/align_pairs.py [EN_DIR NL_DIR] [--strict] [-v]

Defaults: ``../shared/corpus/pairs/en`` and ``../shared/corpus/pairs/nl``. Pages are paired by file name.
Prints per page: English segments, aligned, %, aligned pairs passing ``check_translation``, leftover
texts; then what ``i18n import`` makes of them in a throwaway project (``content/`` = EN_DIR): imported
for review, kept as rejected (failed a check), localised link targets restored, and the share of
segments that reached the catalogs (rejected-but-kept counts). ``-v`` lists the unaligned segments with
the reason, the leftover texts and the pairs that fail a check.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from i18n import read_page
from i18n.checks import check_translation
from i18n.markdown.align import align_pages

PAIRS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "pairs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("en_dir", nargs="?", type=Path, default=PAIRS / "en")
    parser.add_argument("nl_dir", nargs="?", type=Path, default=PAIRS / "nl")
    parser.add_argument("--strict", action="store_true", help="pair only translations keeping every link")
    parser.add_argument("-v", "--verbose", action="store_true", help="list what does not align or check")
    args = parser.parse_args(argv)
    if not args.en_dir.is_dir() or not args.nl_dir.is_dir():
        print(f"error: {args.en_dir} or {args.nl_dir} is not a folder", file=sys.stderr)
        return 1
    names = sorted(p.name for p in args.en_dir.glob("*.md") if (args.nl_dir / p.name).is_file())
    total = aligned = passing = leftover = 0
    seconds = 0.0
    print(f"{'page':<36}{'segs':>6}{'aligned':>9}{'%':>8}{'pass':>6}{'leftover':>10}")
    for name in names:
        source, translated = read_page(args.en_dir / name), read_page(args.nl_dir / name)
        start = time.perf_counter()
        result = align_pages(source, translated, strict=args.strict)
        seconds += time.perf_counter() - start
        kinds = {s.id: s for s in source.segments}
        failing = [
            (pair, problems)
            for pair in result.pairs
            if (
                problems := check_translation(
                    kinds[pair.segment_id].text, pair.text, kinds[pair.segment_id].kind
                )
            )
        ]
        segments = len(source.segments)
        total += segments
        aligned += len(result.pairs)
        passing += len(result.pairs) - len(failing)
        leftover += len(result.leftover)
        print(
            f"{name:<36}{segments:>6}{len(result.pairs):>9}{100 * result.ratio:>7.1f}%"
            f"{len(result.pairs) - len(failing):>6}{len(result.leftover):>10}"
        )
        if args.verbose:
            for segment_id, reason in zip(result.unaligned, result.reasons, strict=True):
                print(f"    unaligned  {segment_id}: {_short(kinds[segment_id].text)}")
                print(f"               {reason}")
            for text in result.leftover:
                print(f"    leftover   {_short(text)}")
            for pair, problems in failing:
                print(f"    fails      {pair.segment_id} ({pair.how}): {problems[0]}")
            for pair in result.pairs:
                if pair.how not in ("order", "anchor", "frontmatter"):
                    print(f"    {pair.how:<10} {pair.segment_id}: {_short(pair.text)}")
    ratio = aligned / total if total else 1.0
    print(
        f"{'total':<36}{total:>6}{aligned:>9}{100 * ratio:>7.1f}%{passing:>6}{leftover:>10}\n"
        f"alignment ratio {ratio:.4f} ({aligned}/{total}); {passing}/{aligned} aligned pairs pass "
        f"check_translation; {len(names)} pages in {1000 * seconds:.0f} ms"
    )
    _import(args.en_dir, args.nl_dir, names, total)
    return 0


def _import(en_dir: Path, nl_dir: Path, names: list[str], total: int) -> None:
    """``i18n import --lang nl NL_DIR`` into a throwaway project whose content is EN_DIR's pages."""
    from i18n.config import load_config
    from i18n.jobs.extract import extract
    from i18n.jobs.importer import import_translations

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "pyproject.toml").write_text('[tool.i18n]\nlanguages = ["nl"]\n', encoding="utf-8")
        (root / "content").mkdir()
        for name in names:
            (root / "content" / name).write_bytes((en_dir / name).read_bytes())
        config = load_config(root)
        extract(config)
        rows = [r for r in import_translations(config, "nl", nl_dir) if r.page in names]
    imported = sum(r.imported for r in rows)
    rejected = sum(len(r.rejected) for r in rows)
    restored = sum(len(r.restored) for r in rows)
    stored = sum(r.stored for r in rows)
    skipped = [r.page for r in rows if r.skipped]
    print(
        f"import: {stored}/{total} segments reached the catalogs ({100 * stored / max(total, 1):.1f}%): "
        f"{imported} imported for review, {rejected} kept as rejected; {restored} localised link targets "
        f"restored; {len(skipped)} pages skipped{': ' + ', '.join(skipped) if skipped else ''}"
    )


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


if __name__ == "__main__":
    sys.exit(main())
