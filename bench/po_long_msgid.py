"""Reading a catalog whose one msgid is megabytes long: seconds per size, and the growth per doubling
(2.0 is linear, 4.0 quadratic). Issue 11, item 5.

    .venv/bin/python bench/po_long_msgid.py            # 1.25, 2.5 and 5 MB
    .venv/bin/python bench/po_long_msgid.py 0.5 1 2    # other sizes, in MB
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from i18n.catalog.model import Catalog, Message
from i18n.catalog.po import format_catalog
from i18n.jobs.catalogs import read_catalog


def catalog_text(size: int) -> str:
    words = "a long paragraph of words "
    text = (words * (size // len(words) + 1))[:size]
    header = (("Content-Type", "text/plain; charset=UTF-8"),)
    return format_catalog(Catalog("nl", "big.md", header, (Message(text, notes=("paragraph",)),)))


def main(argv: list[str]) -> None:
    sizes = [float(a) for a in argv] or [1.25, 2.5, 5.0]
    previous: float | None = None
    with tempfile.TemporaryDirectory() as folder:
        for megabytes in sizes:
            path = Path(folder) / "big.po"
            path.write_text(catalog_text(int(megabytes * 1_000_000)), encoding="utf-8")
            best = float("inf")
            for _ in range(3):
                started = time.process_time()
                read_catalog(path, "big.md", "nl")
                best = min(best, time.process_time() - started)
            growth = f"  x{best / previous:.1f}" if previous else ""
            print(f"{megabytes:>6.2f} MB msgid: {best:.3f} s{growth}")
            previous = best


if __name__ == "__main__":
    main(sys.argv[1:])
