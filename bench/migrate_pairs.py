"""Import translations made from older English onto edited English (``i18n import --source``).

    python bench/migrate_pairs.py [EN_DIR NL_DIR]

Defaults: ``../shared/corpus/pairs/en`` and ``../shared/corpus/pairs/nl`` (each Dutch page was made from
exactly that English page). "Today's English" is made in a temporary folder by editing a copy of EN_DIR
mechanically: a new section before the first heading, every 4th prose line edited (a clause appended),
every 9th rewritten (its words reversed), every 11th removed. Then, in a throwaway project whose content
is today's English, NL_DIR is imported twice: as before (aligned with today's English) and with
``--source EN_DIR``. Printed for each: segments of the translations that reached the catalogs (imported,
rejected with a reason, stale, or obsolete when their English is gone), pages skipped whole, and how many
catalog entries hold an imported translation made for another English text without being marked stale
(the goal: 0), and how many edited segments were left without their old translation. Nothing is
written outside the temporary folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

PAIRS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "pairs"
_NOT_PROSE = ("#", "-", "*", "+", "|", "<", "{", ">", "!", "[", "`", "import ", "export ")


def edit(text: str) -> str:
    """Today's English: the older page with mechanical edits (see the module's docstring)."""
    lines = text.split("\n")
    start = 0
    if lines and lines[0] == "---":  # frontmatter stays as it is
        start = lines.index("---", 1) + 1
    out = lines[:start]
    prose = 0
    inserted = False
    fence = False
    for line in lines[start:]:
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fence = not fence
        if not inserted and stripped.startswith("#") and not fence:
            out += ["## What changed this year", "", "We updated this page with the latest news.", ""]
            inserted = True
        is_prose = (
            not fence and len(stripped) > 30 and not stripped.startswith(_NOT_PROSE) and line == stripped
        )
        if not is_prose:
            out.append(line)
            continue
        prose += 1
        if prose % 11 == 0:
            continue  # removed
        if prose % 9 == 0:
            out.append(" ".join(reversed(line.split())))
        elif prose % 4 == 0:
            out.append(line.rstrip(".") + ", as we found out later.")
        else:
            out.append(line)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("en_dir", nargs="?", type=Path, default=PAIRS / "en")
    parser.add_argument("nl_dir", nargs="?", type=Path, default=PAIRS / "nl")
    args = parser.parse_args(argv)
    if not args.en_dir.is_dir() or not args.nl_dir.is_dir():
        print(f"error: {args.en_dir} or {args.nl_dir} is not a folder", file=sys.stderr)
        return 1
    names = sorted(p.name for p in args.en_dir.glob("*.md") if (args.nl_dir / p.name).is_file())
    for label, source in (("against today's English", None), ("--source (the older English)", args.en_dir)):
        found = measure(args.en_dir, args.nl_dir, names, source)
        total, stored, skipped = found["segments"], found["stored"], found["skipped"]
        print(
            f"{label}: {stored}/{total} segments reached the catalogs ({100 * stored / max(total, 1):.1f}%: "
            f"{found['imported']} imported, {found['rejected']} rejected, {found['stale']} stale, "
            f"{found['obsolete']} obsolete); {len(skipped)} pages skipped whole"
            f"{': ' + ', '.join(skipped) if skipped else ''}; {found['unmarked']} edited but not marked "
            f"stale, {found['lost']} edited left without their old translation"
        )
    return 0


def measure(en_dir: Path, nl_dir: Path, names: list[str], source: Path | None) -> dict[str, Any]:
    from i18n.catalog.po import read_catalog
    from i18n.config import load_config
    from i18n.jobs.extract import extract
    from i18n.jobs.importer import import_translations
    from i18n.jobs.layout import catalog_path
    from i18n.markdown.kind import MarkdownKind

    kind = MarkdownKind()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "pyproject.toml").write_text('[tool.i18n]\nlanguages = ["nl"]\n', encoding="utf-8")
        (root / "content").mkdir()
        old_texts: set[str] = set()
        for name in names:
            old = (en_dir / name).read_text(encoding="utf-8")
            (root / "content" / name).write_text(edit(old), encoding="utf-8")
            old_texts.update(s.text for s in kind.parse(old, name).segments)
        config = load_config(root)
        extract(config)
        rows = [r for r in import_translations(config, "nl", nl_dir, made_from=source) if r.page in names]
        unmarked = lost = 0
        added = {"What changed this year", "We updated this page with the latest news."}
        for name in names:
            catalog = read_catalog(catalog_path(config, "nl", name), name, "nl")
            for message in catalog.active:
                if not (message.origin or "").startswith("import:"):
                    lost += message.msgid not in old_texts and message.msgid not in added
                    continue
                if message.state.value != "stale" and message.msgid not in old_texts:
                    unmarked += 1  # a translation made for another English text, not marked
    return {
        "segments": sum(r.segments for r in rows),
        "stored": sum(r.stored for r in rows),
        "imported": sum(r.imported for r in rows),
        "rejected": sum(len(r.rejected) for r in rows),
        "stale": sum(r.stale for r in rows),
        "obsolete": sum(r.obsolete for r in rows),
        "skipped": [r.page for r in rows if r.skipped],
        "unmarked": unmarked,
        "lost": lost,
    }


if __name__ == "__main__":
    sys.exit(main())
