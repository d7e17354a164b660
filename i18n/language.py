"""Is a translation in its language? A stopword heuristic, deterministic and without a model.

The prose of a text (code spans, link targets, URLs, HTML and XML tags, ``{expressions}`` left out) is cut
into words; each of English, Dutch, German, French and Spanish scores the words found in its list of
frequent function words. A text is in the wrong language when another language scores at least
:data:`MIN_HITS` and more than twice the target's score: "Join the national group in your country" into
Dutch scores English 3 (the, in, your), Dutch 1 (in). Words in capitals are not counted (acronyms,
shouting; the test servers' upper-cased "translations"). Short texts, names, code and numbers score too
little to be judged, so they always pass (no false rejection of "PauseAI", "FAQ", "Discord"); a target
language without a list is judged only against English.

Measured on reviewed translations (``python bench/checks_corpus.py``): see the README, "Chat models".
"""

from __future__ import annotations

import re

from .caches import run_cache

MIN_HITS = 2  # another language must score at least this many function words to reject a translation

_NOT_PROSE = re.compile(
    r"`+[^`]*`+|\]\([^)]*\)|\]\[[^\]]*\]|<[^>\n]*>|(?:https?://|www\.)\S+|\{[^{}\n]*\}|&#?\w+;"
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_STOPWORDS: dict[str, frozenset[str]] = {
    language: frozenset(words.split())
    for language, words in {
        "en": "the and of to is are that this with for you your we our be by it not have has will can from "
        "they their which what how on an or at as more about would should been was were these those who "
        "all also into than there if when do does it's don't we're a its each every now under some any "
        "other only just out up so but my me us them he she his her",
        "nl": "de het een en van is dat die niet voor met zijn op te aan ook bij door wordt worden wij "
        "onze ons je jouw uw naar om of als kan kunnen moeten er dit deze hun meer over tot nog wat hoe "
        "maar heeft hebben zal zullen wel geen we zich",
        "de": "der die das und ist nicht mit für von zu auf den dem ein eine wir unsere sie es auch werden "
        "wird sind sich im bei als oder wie können müssen nach über noch dass aus durch hat haben kein "
        "keine uns ihr einen einer zum zur",
        "fr": "le la les et des du un une est que qui pour dans pas sur avec nous vous ce cette sont au "
        "aux plus ou par il elle ne se notre nos leur être fait comme l'ia c'est d'un d'une",
        "es": "el la los las y de del que en es un una para con por no se su sus al lo como más pero "
        "nuestro nuestra este esta son ser está también hay",
    }.items()
}


@run_cache(8192)
def scores(text: str) -> dict[str, int]:
    """Each listed language's count of function words in the prose of ``text``."""
    found = _WORD.findall(_NOT_PROSE.sub(" ", text))
    words = [w.casefold().replace("’", "'") for w in found if not w.isupper()]  # not acronyms, not shouting
    return {language: sum(w in stopwords for w in words) for language, stopwords in _STOPWORDS.items()}


def wrong_language(text: str, target: str, *, source: str | None = None) -> str | None:
    """Why ``text`` is not in the language ``target`` (None: it is, or it is too short to tell).
    ``source``: the text it translates; a translation that is the source itself, as prose of several
    function words of another language than ``target``, is "not translated"."""
    primary = target.split("-")[0].casefold()
    found = scores(text)
    own = found.get(primary, 0)
    best_other = max(n for language, n in found.items() if language != primary)
    if source is not None and _same(text, source) and best_other >= MIN_HITS and best_other > own:
        return "not translated: the answer is the source text"  # (a source already in it passes)
    others = {language: n for language, n in found.items() if language != primary}
    if primary not in _STOPWORDS:
        others = {"en": others.get("en", 0)}
    language, best = max(sorted(others.items()), key=lambda item: item[1])
    if best >= MIN_HITS and best > 2 * own:
        return f"not in {target}: reads as {language} ({best} {language} function words, {own} {primary})"
    return None


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
