"""PO reading and writing: our reader/writer against polib, and size scaling. Prints figures; no gate.

    .venv/bin/python bench/po_bench.py                  # corpus of ../shared/corpus/en (else content/)
    .venv/bin/python bench/po_bench.py --pages 1000     # the write benchmark's size (pages x 3 languages)
    .venv/bin/python bench/po_bench.py --quick          # small sizes, for CI logs

1. **catalogs**: the pipeline extracts the corpus pages in a temporary project (templates and nl, de, fr
   catalogs), machine-translates de with the pseudo engine and fr as well after editing the pages (stale
   and obsolete entries). Those files are read ~repeat~ times by ``i18n.catalog.po.parse_catalog`` and by
   ``polib.pofile`` (the reader this replaced, and polib alone), and written back by ``format_catalog`` and
   by polib.
2. **write at scale**: ``--pages`` pages x (template + 3 languages), copies of the corpus catalogs with
   words varied per page and per language (so that the per-text memo only helps as in a real run, where a
   page's msgids recur in its languages), formatted from cold caches; ms per catalog and per entry.
3. **scaling**: one msgid of 1 MB and of 4 MB (one line, and wrapped), read and written; time ratios.

Needs polib (``pip install -e '.[test]'``).
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import polib  # noqa: E402

from i18n.catalog import po  # noqa: E402
from i18n.catalog.model import Catalog, Message  # noqa: E402

LANGUAGES = ("nl", "de", "fr")


def best(function: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def cli(root: Path, *args: str) -> None:
    from click.testing import CliRunner

    from i18n.cli import main

    result = CliRunner().invoke(main, ["--project", str(root), *args])
    if result.exit_code != 0:
        raise SystemExit(f"i18n {' '.join(args)} failed: {result.output}")


def make_catalogs(corpus: Path, work: Path) -> list[Path]:
    root = work / "site"
    (root / "content").mkdir(parents=True)
    languages = ", ".join(f'"{code}"' for code in LANGUAGES)
    (root / "pyproject.toml").write_text(f'[project]\nname = "s"\n\n[tool.i18n]\nlanguages = [{languages}]\n')
    for page in sorted(corpus.glob("*.md")):
        shutil.copy(page, root / "content" / page.name)
    cli(root, "extract", "-q")
    cli(root, "translate", "--engine", "pseudo", "--lang", "de", "-q")
    for page in sorted((root / "content").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r"\bthe\b", "the very", text, count=2), encoding="utf-8")
    cli(root, "extract", "-q")
    cli(root, "translate", "--engine", "pseudo", "--lang", "fr", "-q")
    return sorted(p for p in (root / "locales").rglob("*.po*"))


def language_of(path: Path) -> str | None:
    return None if path.suffix == ".pot" else path.parent.name


def bench_catalogs(paths: Sequence[Path], repeat: int) -> list[Catalog]:
    texts = [p.read_text(encoding="utf-8") for p in paths]
    entries = sum(t.count("\nmsgid ") for t in texts)
    print(f"## {len(texts)} catalogs of the corpus, {entries / len(texts):.0f} entries each on average\n")
    old = _old_reader()

    def ours() -> None:
        for path, text in zip(paths, texts, strict=True):
            po.parse_catalog(text, path.stem, language_of(path))

    def with_polib() -> None:
        for text in texts:
            polib.pofile(text)

    times = {
        "i18n.catalog.po.parse_catalog": best(ours, repeat),
        "polib.pofile (polib alone)": best(with_polib, repeat),
    }
    if old is not None:
        times["previous reader (syntax check + polib + model)"] = best(
            lambda: [old(t, p.stem, language_of(p)) for p, t in zip(paths, texts, strict=True)], repeat
        )
    base = times["i18n.catalog.po.parse_catalog"]
    print("| read | ms per catalog | time relative to ours |\n| --- | --- | --- |")
    for name, seconds in times.items():
        print(f"| {name} | {seconds * 1000 / len(texts):.3f} | {seconds / base:.1f}x |")
    catalogs = [po.parse_catalog(t, p.stem, language_of(p)) for p, t in zip(paths, texts, strict=True)]
    pofiles = [polib.pofile(t) for t in texts]

    def write_ours() -> None:
        _clear()
        for catalog in catalogs:
            po.format_catalog(catalog)

    def write_polib() -> None:
        for pofile in pofiles:
            str(pofile)

    ours_write, polib_write = best(write_ours, repeat), best(write_polib, repeat)
    print("\n| write | ms per catalog |\n| --- | --- |")
    print(f"| i18n.catalog.po.format_catalog (cold memo) | {ours_write * 1000 / len(catalogs):.3f} |")
    print(f"| polib (str(POFile), 78 columns) | {polib_write * 1000 / len(catalogs):.3f} |\n")
    return catalogs


def _old_reader() -> Callable[[str, str, str | None], Catalog] | None:
    """The reader this module replaced (regex syntax check, polib, conversion), from git, if at hand."""
    import subprocess

    result = subprocess.run(
        ["git", "-C", str(ROOT), "show", "23e1087:i18n/po.py"], capture_output=True, text=True
    )
    if result.returncode != 0:
        return None
    source = result.stdout.replace("from .catalog import", "from i18n.catalog.model import")
    source = source.replace("from .errors import", "from i18n.errors import")
    namespace: dict[str, object] = {"__name__": "old_po"}
    exec(compile(source, "old_po.py", "exec"), namespace)
    function = namespace["parse_catalog"]
    return function  # type: ignore[return-value]


def _clear() -> None:
    po._entry_text.cache_clear()
    po._field.cache_clear()


_WORD = re.compile(r"\b[a-z]{5,}\b")


def _vary(text: str, rng: random.Random, vocabulary: Sequence[str]) -> str:
    spots = list(_WORD.finditer(text))
    for match in sorted(rng.sample(spots, min(len(spots), 2)), key=lambda m: -m.start()):
        text = text[: match.start()] + rng.choice(vocabulary) + text[match.end() :]
    return text


def bench_scale_write(catalogs: Sequence[Catalog], pages: int) -> None:
    templates = [c for c in catalogs if c.language is None]
    by_page = {c.page: {x.language: x for x in catalogs if x.page == c.page} for c in templates}
    vocabulary = sorted({w for c in catalogs for m in c.messages for w in _WORD.findall(m.msgid)})
    work: list[Catalog] = []
    for k in range(pages):
        template = templates[k % len(templates)]
        rng = random.Random(k)
        msgids = {m.key: _vary(m.msgid, rng, vocabulary) for m in template.messages}
        for language in (None, *LANGUAGES):
            source = by_page[template.page][language]
            lrng = random.Random(f"{k}/{language}")
            work.append(
                replace(
                    source,
                    messages=tuple(
                        replace(m, msgid=msgids.get(m.key, m.msgid), msgstr=_vary(m.msgstr, lrng, vocabulary))
                        for m in source.messages
                    ),
                )
            )
    entries = sum(len(c.messages) for c in work) / len(work)
    _clear()
    start = time.perf_counter()
    for catalog in work:
        po.format_catalog(catalog)
    seconds = time.perf_counter() - start
    print(
        f"## write at scale: {pages} pages x (template + {len(LANGUAGES)} languages), {len(work)} catalogs\n"
    )
    print(f"{entries:.0f} entries per catalog on average; cold memo at the start, as in one `i18n` run:\n")
    print("| measure | figure |\n| --- | --- |")
    print(f"| total | {seconds:.2f} s |")
    print(f"| per catalog | {seconds * 1000 / len(work):.3f} ms |")
    print(f"| per entry | {seconds * 1e6 / len(work) / entries:.1f} µs |\n")


def bench_scaling(quick: bool) -> None:
    sizes = (250_000, 1_000_000) if quick else (1_000_000, 4_000_000)
    print(f"## scaling: one msgid of {sizes[0]:,} and {sizes[1]:,} characters\n")
    print("| input | small | large | ratio (linear: ~4) |\n| --- | --- | --- | --- |")
    rows: dict[str, list[float]] = {
        "read, one line": [],
        "read, wrapped (msgcat's layout)": [],
        "write": [],
        "polib read, wrapped": [],
    }
    for size in sizes:
        text = ("word " * (size // 5 + 1))[:size]
        one_line = f'msgid "{text}"\nmsgstr ""\n'
        catalog = Catalog("nl", "p.md", (), (Message(text),))
        rows["write"].append(best(lambda c=catalog: (_clear(), po.format_catalog(c)), 3))
        wrapped = po.format_catalog(catalog)
        rows["read, one line"].append(best(lambda t=one_line: po.parse_catalog(t, "p.md", "nl"), 3))
        rows["read, wrapped (msgcat's layout)"].append(
            best(lambda t=wrapped: po.parse_catalog(t, "p.md", "nl"), 3)
        )
        rows["polib read, wrapped"].append(best(lambda t=wrapped: polib.pofile(t), 1))
    for name, (small, large) in rows.items():
        print(f"| {name} | {small * 1000:.0f} ms | {large * 1000:.0f} ms | {large / small:.1f} |")
    print()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "corpus", nargs="?", type=Path, help="folder of .md pages (default ../shared/corpus/en)"
    )
    parser.add_argument("--pages", type=int, default=1000, help="pages for the write-at-scale figure")
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing (the best counts)")
    parser.add_argument("--quick", action="store_true", help="small sizes (CI)")
    args = parser.parse_args(argv)
    corpus = args.corpus or ROOT.parent / "shared" / "corpus" / "en"
    if not corpus.is_dir():
        corpus = ROOT / "content"
    pages = 100 if args.quick else args.pages
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_catalogs(corpus, Path(tmp))
        print(f"# PO reader and writer ({corpus}, Python {sys.version.split()[0]})\n")
        catalogs = bench_catalogs(paths, 2 if args.quick else args.repeat)
        bench_scale_write(catalogs, pages)
    bench_scaling(args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
