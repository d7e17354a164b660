"""The numbers check: every number of a source text is in its translation, in whatever formatting.

A number is read with every formatting a language may give it — ``1,000``, ``1.000``, ``1 000`` and
``1000`` are one thousand; ``3.5`` and ``3,5`` are three and a half — times the magnitude that follows it
(``200k``, ``€1M``, ``1.5 million``, ``1,5 miljoen``, ``2 Mrd.``, ``mil millones``). A translation may also
spell a number out (``drie``, ``zwei``, ``trois``, ``dos``: 0 to 20, the tens, in English, Dutch, German,
French and Spanish), alone or before a magnitude word (``één miljoen``), and ordinals and months as
words (``1st`` ↔ ``eerste``, ``2/12`` ↔ ``12 februari``).

:func:`missing_numbers` gives the source's numbers (as written) of which no reading is among the
translation's readings: "€200k" translated as "€2M" is missing ``€200k``; "1,000" as "1.000" or "duizend"
is not. Only numbers written with digits in the source are required (a spelled-out "one" is too often an
article in the target language). Code spans, link targets, URLs, HTML tags, ``{expressions}`` and footnote
references are not prose and are left out on both sides. :func:`added_numbers` gives the translation's
digits that stand for nothing in the source (a number made up). The readings are sets, so a number that occurs
twice needs to occur once: the check never blames a translation for merging a repetition.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from fractions import Fraction

from .caches import run_cache

_NOT_PROSE = re.compile(
    r"`+[^`]*`+|\]\([^)]*\)|\]\[[^\]]*\]|<[^>\n]*>|(?:https?://|www\.)\S+|\{[^{}\n]*\}|\[\^[^\]]*\]"
    r"|&#?\w+;"
)
_SEPARATORS = ",.\u00a0\u202f '’"
# A number: digit groups joined by separators (a space only before exactly three digits), then an
# optional magnitude written right after it or after one space.
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<digits>\d+(?:(?:[,.'’]|[ \u00a0\u202f](?=\d{3}(?!\d)))\d+)*)(?!\d)"
    r"(?P<magnitude>\s?(?:[a-zA-Zäéèëöüñó]+\.?)(?:\s(?:de\s)?[a-zA-Zäéèëöüñó]+)?)?"
)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

_MAGNITUDES: dict[str, int] = {
    # suffixes
    "k": 10**3, "m": 10**6, "mn": 10**6, "mm": 10**6, "bn": 10**9, "b": 10**9, "tn": 10**12,
    "mln": 10**6, "mld": 10**9, "mrd": 10**9, "mio": 10**6, "md": 10**9, "mds": 10**9,
    # English
    "thousand": 10**3, "thousands": 10**3, "million": 10**6, "millions": 10**6, "billion": 10**9,
    "billions": 10**9, "trillion": 10**12, "hundred": 100, "hundreds": 100,
    # Dutch
    "duizend": 10**3, "miljoen": 10**6, "miljoenen": 10**6, "miljard": 10**9, "miljarden": 10**9,
    "biljoen": 10**12, "honderd": 100,
    # German
    "tausend": 10**3, "millionen": 10**6, "milliarde": 10**9, "milliarden": 10**9,
    "hundert": 100,
    # French
    "honderden": 100, "duizenden": 1000, "hunderte": 100, "tausende": 1000, "centaines": 100,
    "milliers": 1000, "miles": 1000,
    "mille": 10**3, "milliard": 10**9, "milliards": 10**9, "cent": 100, "cents": 100,
    # Spanish
    "mil": 10**3, "millón": 10**6, "millon": 10**6, "millones": 10**6, "millardo": 10**9,
    "millardos": 10**9, "cien": 100, "ciento": 100, "cientos": 100,
}  # fmt: skip
_SPELLED: dict[str, int] = {}
for _language, _words in {
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty",
    "nl": "nul één twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien "
    "zestien zeventien achttien negentien twintig",
    "de": "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn fünfzehn "
    "sechzehn siebzehn achtzehn neunzehn zwanzig",
    "fr": "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
    "dix-sept dix-huit dix-neuf vingt",
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
    "dieciséis diecisiete dieciocho diecinueve veinte",
}.items():
    for _value, _word in enumerate(_words.split()):
        _SPELLED.setdefault(_word, _value)
_TENS = {
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70, "tachtig": 80, "negentig": 90,
    "dreißig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90,
    "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "septante": 70, "octante": 80,
    "nonante": 90, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70,
    "ochenta": 80, "noventa": 90,
}  # fmt: skip
_SPELLED.update(_TENS)
# Articles and other forms of "one"; a dozen; the German and Dutch "half" words.
_SPELLED.update(
    {"a": 1, "an": 1, "een": 1, "één": 1, "ein": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1,
     "eines": 1, "une": 1, "una": 1, "dozen": 12, "dozijn": 12, "dutzend": 12, "douzaine": 12,
     "docena": 12, "beide": 2, "both": 2, "deux": 2, "ambos": 2, "ambas": 2}
)  # fmt: skip
_ORDINALS = {
    "en": "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth",
    "nl": "eerste tweede derde vierde vijfde zesde zevende achtste negende tiende elfde twaalfde",
    "de": "erste zweite dritte vierte fünfte sechste siebte achte neunte zehnte elfte zwölfte",
    "fr": "premier deuxième troisième quatrième cinquième sixième septième huitième neuvième dixième "
    "onzième douzième",
    "es": "primero segundo tercero cuarto quinto sexto séptimo octavo noveno décimo undécimo duodécimo",
}
for _names in _ORDINALS.values():
    for _value, _word in enumerate(_names.split(), start=1):
        for _form in (_word, _word + "n", _word + "r", _word + "s", _word + "m"):  # German endings
            _SPELLED.setdefault(_form, _value)
        if _word.endswith("o"):  # Spanish feminine
            _SPELLED.setdefault(_word[:-1] + "a", _value)
for _word, _value in {"première": 1, "primer": 1, "tercer": 3, "seconde": 2, "second": 2}.items():
    _SPELLED.setdefault(_word, _value)
_MONTHS = {
    "en": "january february march april may june july august september october november december",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
}
for _names in _MONTHS.values():
    for _value, _word in enumerate(_names.split(), start=1):
        _SPELLED.setdefault(_word, _value)
for _word, _value in {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "okt": 10, "nov": 11, "dec": 12, "dez": 12,
}.items():  # fmt: skip
    _SPELLED.setdefault(_word, _value)
# A time of day: 4:00 PM, 9pm, 16:00, 16.00 uur; its hour counts on the 12- and the 24-hour clock.
_TIME = re.compile(
    r"(?<![\w.:,])(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s?(?P<half>[ap])\.?m\.?(?!\w)"
    r"|(?<![\w.:,])(?P<hour24>\d{1,2}):(?P<minute24>\d{2})(?![\d:])",
    re.IGNORECASE,
)
_CURRENCY = re.compile(r"[€$£¥]\s?$")


def _fold(word: str) -> str:
    return word.casefold().rstrip(".")


def _readings(digits: str) -> set[Fraction]:
    """Every value ``digits`` (digit groups and separators) can be read as."""
    parts = re.split(r"[,.\u00a0\u202f '’]", digits)
    seps = re.findall(r"[,.\u00a0\u202f '’]", digits)
    if not seps:
        return {Fraction(int(digits))}
    values: set[Fraction] = set()
    if len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:]) and len(set(seps)) == 1:
        values.add(Fraction(int("".join(parts))))  # thousands separators
    last = seps[-1]
    if last in ",." and all(s != last for s in seps[:-1]):  # a decimal mark, the others thousands
        whole = parts[:-1]
        if len(whole) == 1 or (len(whole[0]) <= 3 and all(len(p) == 3 for p in whole[1:])):
            values.add(Fraction("".join(whole) + "." + parts[-1]))
    if not values:  # a list of numbers ("1, 2, 3"), a version (1.2.3), a date (1.2.2024): each one
        values.update(Fraction(int(part)) for part in parts if part)
    return values


def _magnitude(text: str | None, before: str) -> tuple[int, str]:
    """The magnitude the words after a number give it (1: none), and those words."""
    if not text:
        return 1, ""
    factor, used = 1, []
    for word in text.split():
        folded = _fold(word)
        if folded == "de":
            used.append(word)
            continue
        if folded in ("m", "b") and not _CURRENCY.search(before) and not word.isupper():
            break  # "5 m" is five metres, "€5m" five million
        scale = _MAGNITUDES.get(folded)
        if scale is None:
            break
        factor *= scale
        used.append(word)
    if factor == 1:
        return 1, ""
    return factor, text[: text.index(used[-1]) + len(used[-1])]


@run_cache(8192)
def _prose(text: str) -> str:
    return _NOT_PROSE.sub(" ", text)


def _times(prose: str) -> tuple[str, list[tuple[str, frozenset[Fraction]]]]:
    """The times of day of ``prose`` (their hour on both clocks, their minutes) and the prose without them."""
    found: list[tuple[str, frozenset[Fraction]]] = []

    def take(match: re.Match[str]) -> str:
        hour = int(match.group("hour") or match.group("hour24"))
        minute = match.group("minute") or match.group("minute24")
        hours = {hour, hour % 12, hour % 12 + 12}
        found.append((match.group().strip(), frozenset(Fraction(h) for h in hours)))
        if minute and int(minute):
            found.append((minute, frozenset({Fraction(int(minute))})))
        return " "

    return _TIME.sub(take, prose), found


def numbers_of(text: str) -> list[tuple[str, frozenset[Fraction]]]:
    """The numbers written with digits in ``text``: each as written, with every value it may stand for."""
    prose, found = _times(_prose(text))
    for match in _NUMBER.finditer(prose):
        digits = match.group("digits")
        factor, words = _magnitude(match.group("magnitude"), prose[: match.start()])
        values = {value * factor for value in _readings(digits)}
        shown = digits + words
        start = match.start()
        if start and prose[start - 1] in "€$£¥":
            shown = prose[start - 1] + shown
        found.append((shown, frozenset(values)))
    return found


def _values(text: str) -> set[Fraction]:
    """Every value the numbers of ``text`` may stand for: digits read every way (scaled and not), spelled
    numbers (alone and before magnitude words) and magnitude words alone."""
    prose, times = _times(_prose(text))
    values: set[Fraction] = set().union(*(found for _, found in times))
    for match in _NUMBER.finditer(prose):
        plain = _readings(match.group("digits"))
        factor, _ = _magnitude(match.group("magnitude"), prose[: match.start()])
        values |= plain | {value * factor for value in plain}
    words = [_fold(w) for w in _WORD.findall(prose)]
    for n, word in enumerate(words):
        base = _SPELLED.get(word)
        if base is None and word in _MAGNITUDES and len(word) > 2:
            base = _MAGNITUDES[word]  # "miljoen" alone: a million
        if base is None:
            continue
        values.add(Fraction(base))
        factor = 1
        for following in words[n + 1 : n + 4]:
            scale = _MAGNITUDES.get(following) if len(following) > 1 else None
            if scale is None:
                break
            factor *= scale
            values.add(Fraction(base * factor))
    return values


def missing_numbers(source: str, translation: str) -> tuple[str, ...]:
    """The numbers of ``source`` (as written, in order, once each) that ``translation`` does not have in
    any formatting (empty: the numbers agree)."""
    wanted = numbers_of(source)
    if not wanted:
        return ()
    have = _values(translation)
    return tuple(dict.fromkeys(shown for shown, values in wanted if not values & have))


def added_numbers(source: str, translation: str) -> tuple[str, ...]:
    """The numbers written with digits in ``translation`` that stand for nothing in ``source`` (its
    digits, spelled-out numbers and magnitude words, read every way)."""
    found = numbers_of(translation)
    if not found:
        return ()
    have = _values(source)
    return tuple(dict.fromkeys(shown for shown, values in found if not values & have))


@run_cache(16384)  # build, status and check in one process check a translation once
def describe(source: str, translation: str) -> str | None:
    """The numbers check as one line (None: the numbers agree): the source's numbers missing from the
    translation, and the translation's numbers the source does not have."""
    missing, added = missing_numbers(source, translation), added_numbers(source, translation)
    if not missing and not added:
        return None
    if not missing:
        return f"number{'s' if len(added) > 1 else ''} {', '.join(added)} not in the source"
    instead = f" (the translation has {', '.join(added)})" if added else ""
    return f"number{'s' if len(missing) > 1 else ''} {', '.join(missing)} not in the translation{instead}"


def iter_numbers(text: str) -> Iterator[str]:
    """The numbers of ``text`` as written (for reports)."""
    return (shown for shown, _ in numbers_of(text))
