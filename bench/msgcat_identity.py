"""How many catalogs the pipeline writes are byte-identical to what GNU ``msgcat`` writes for them.

    .venv/bin/python bench/msgcat_identity.py [--corpus ../shared/corpus] [-v]

The catalogs: the bundled ``content/`` with its ``locales/`` after ``i18n run``; and, for each page set of
the corpus (``en``, ``pairs/en``, each ``flavours/*``), a throwaway project's catalogs after ``extract``,
``translate --engine pseudo --lang de``, ``import --lang nl`` of ``pairs/nl`` (pairs only), an edit of
every page (a changed word: stale entries; a deleted block: obsolete ones) and ``extract`` again. Each
file is compared with ``msgcat FILE`` (default options). Then every catalog is replaced by msgcat's
output and ``i18n extract`` is run again (state file removed, so every catalog is parsed): the catalogs
it rewrites are counted (0: a catalog saved by a gettext tool is left alone).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

from i18n.cli import main as cli_main

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def run(root: Path, *args: str) -> str:
    result = CliRunner().invoke(cli_main, ["--project", str(root), *args])
    if result.exit_code != 0:
        raise SystemExit(f"i18n {' '.join(args)} failed in {root}:\n{result.output}")
    return result.output


def edited(text: str, n: int) -> str:
    head, sep, rest = text.partition("\n---\n") if text.startswith("---\n") else ("", "", text)
    blocks = rest.split("\n\n")
    if len(blocks) > 4:
        del blocks[2 + n % (len(blocks) - 3)]
    return head + sep + re.sub(r"\b(the|de|het)\b", r"\1 very", "\n\n".join(blocks), count=1)


def project(root: Path, pages: list[Path]) -> None:
    (root / "content").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.i18n]\nlanguages = ["nl", "de"]\n', encoding="utf-8")
    for page in pages:
        shutil.copy(page, root / "content" / page.name)


def catalogs(work: Path, corpus: Path | None) -> tuple[list[Path], list[Path]]:
    bundled = work / "bundled"
    bundled.mkdir()
    for name in ("content", "locales"):
        shutil.copytree(ROOT / name, bundled / name)
    for name in ("pyproject.toml", "glossary.yaml"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, bundled / name)
    run(bundled, "run", "-q")
    roots = [bundled]
    if corpus is not None and corpus.is_dir():
        sets = {
            "en": sorted((corpus / "en").glob("*.md")),
            "pairs": sorted((corpus / "pairs" / "en").glob("*.md")),
        }
        flavours = corpus / "flavours"
        if flavours.is_dir():
            sets |= {f.name: sorted(f.iterdir()) for f in sorted(flavours.iterdir()) if f.is_dir()}
        for name, pages in sets.items():
            root = work / name
            project(root, pages)
            run(root, "extract", "-q")
            run(root, "translate", "--engine", "pseudo", "--lang", "de", "-q")
            if name == "pairs":
                run(root, "import", "--lang", "nl", str(corpus / "pairs" / "nl"))
            for n, page in enumerate(sorted((root / "content").iterdir())):
                page.write_text(edited(page.read_text(encoding="utf-8"), n), encoding="utf-8")
            run(root, "extract", "-q")
            roots.append(root)
    found = sorted(p for root in roots for p in (root / "locales").rglob("*.po*") if p.is_file())
    return found, roots


def msgcat(path: Path) -> bytes:
    return subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("-v", "--verbose", action="store_true", help="name the catalogs that differ")
    args = parser.parse_args(argv)
    if shutil.which("msgcat") is None:
        print("error: msgcat is not installed (apt-get install gettext)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        found, roots = catalogs(work, args.corpus)
        differ = [p for p in found if msgcat(p) != p.read_bytes()]
        for path in differ if args.verbose else ():
            print(f"  differs: {path.relative_to(work)}")
        print(
            f"{len(found) - len(differ)}/{len(found)} catalogs byte-identical to msgcat's output "
            f"({100 * (len(found) - len(differ)) / max(len(found), 1):.1f}%; bundled content and "
            f"{len(roots) - 1} corpus page sets)"
        )
        for path in found:
            path.write_bytes(msgcat(path))
        before = {p: p.read_bytes() for p in found}
        rewritten = 0
        for root in roots:
            (root / "locales" / ".i18n-state.json").unlink(missing_ok=True)
            output = run(root, "extract", "-q")
            rewritten += int(output.split()[0])
        changed = sum(1 for p, data in before.items() if p.read_bytes() != data)
        print(
            f"after msgcat wrote every catalog back: the next extract rewrote {rewritten} ({changed} changed)"
        )
    return 0 if not differ and not rewritten else 1


if __name__ == "__main__":
    sys.exit(main())
