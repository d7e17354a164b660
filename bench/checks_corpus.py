"""False alarms of the numbers check and accuracy of the language check on reviewed translations.

    python bench/checks_corpus.py [-v]

Pairs: the reviewed Dutch and German catalogs of this repository (``locales/``) and the aligned pages of
``../shared/corpus/pairs`` (English → Dutch, aligned as ``i18n import`` does). Prints, per set: pairs, pairs
with numbers, numbers false alarms (a reviewed translation reported as missing a number), the language
check's false rejections of the translations (a real translation judged not to be in its language) and its
detection of the untranslated English sources (the English text offered as the translation). ``-v`` lists
every alarm.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

from i18n import read_page
from i18n.catalog.model import State
from i18n.catalog.po import read_catalog
from i18n.language import wrong_language
from i18n.markdown.align import align_pages
from i18n.numbers import describe, numbers_of

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT.parent / "shared" / "corpus" / "pairs"


def catalog_pairs(language: str) -> Iterator[tuple[str, str, str]]:
    for path in sorted((ROOT / "locales" / language).glob("*.po")):
        for message in read_catalog(path, path.name, language).active:
            if message.msgstr and message.state is State.REVIEWED:
                yield f"{path.relative_to(ROOT)}:{message.line}", message.msgid, message.msgstr


def corpus_pairs() -> Iterator[tuple[str, str, str]]:
    for english in sorted((PAIRS / "en").glob("*.md")):
        dutch = PAIRS / "nl" / english.name
        if not dutch.is_file():
            continue
        source = read_page(english)
        texts = {s.id: s.text for s in source.segments}
        for pair in align_pages(source, read_page(dutch)).pairs:
            yield f"pairs/{english.name}#{pair.segment_id}", texts[pair.segment_id], pair.text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    sets = [
        ("nl catalogs", "nl", list(catalog_pairs("nl"))),
        ("de catalogs", "de", list(catalog_pairs("de"))),
    ]
    if PAIRS.is_dir():
        sets.append(("corpus pairs (nl)", "nl", list(corpus_pairs())))
    for name, language, pairs in sets:
        with_numbers = alarms = rejected = judged = caught = english = 0
        for where, source, translation in pairs:
            if numbers_of(source) or numbers_of(translation):
                with_numbers += 1
                problem = describe(source, translation)
                if problem:
                    alarms += 1
                    if args.verbose:
                        print(f"  numbers {where}: {problem}\n    {source!r}\n    {translation!r}")
            if source.strip() == translation.strip():
                continue  # names, code: not a translation to judge
            judged += 1
            verdict = wrong_language(translation, language)
            if verdict:
                rejected += 1
                if args.verbose:
                    print(f"  language {where}: {verdict}\n    {translation!r}")
            if wrong_language(source, language, source=source):
                caught += 1
            english += 1
        print(
            f"{name}: {len(pairs)} pairs, {with_numbers} with numbers, numbers false alarms {alarms}; "
            f"language: {rejected}/{judged} translations falsely rejected, "
            f"{caught}/{english} English sources caught ({100 * caught / max(1, english):.1f} %)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
