"""Segment and identity-render a folder of pages; print pages/s, ms/page and byte-identical count.

Usage: python bench/segment_bench.py [FOLDER ...] [--repeat N]
Default folder: ../shared/corpus/en when present, else content/.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from i18n import parse_page

ROOT = Path(__file__).resolve().parent.parent


def default_folder() -> Path:
    corpus = ROOT.parent / "shared" / "corpus" / "en"
    return corpus if corpus.is_dir() else ROOT / "content"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=20, help="passes over the pages (default 20)")
    args = parser.parse_args()
    folders = args.folders or [default_folder()]
    pages = [p for folder in folders for p in sorted(folder.rglob("*.md"))]
    sources = [(p, p.read_bytes().decode("utf-8")) for p in pages]
    identical = 0
    segments = 0
    for path, source in sources:  # warm-up pass, and the fidelity count
        page = parse_page(source, path=path)
        segments += len(page.segments)
        identical += page.render({s.id: s.text for s in page.segments}) == source
    passes: list[float] = []  # CPU seconds per pass over all pages (CPU time: the VM's steal is not ours)
    for _ in range(args.repeat):
        start = time.process_time()
        for path, source in sources:
            page = parse_page(source, path=path)
            page.render({s.id: s.text for s in page.segments})
        passes.append(time.process_time() - start)
    median = statistics.median(passes)
    best = min(passes)
    print(f"folder(s)        {', '.join(str(f) for f in folders)}")
    print(f"pages            {len(sources)} ({segments} segments)")
    print(f"byte-identical   {identical}/{len(sources)}")
    rate, top = len(sources) / median, len(sources) / best
    print(f"pages/s          {rate:.0f} (median of {args.repeat} passes; best {top:.0f})")
    print(f"ms/page          {1000 * median / len(sources):.2f}")


if __name__ == "__main__":
    main()
