"""Language names and gettext plural forms for catalog headers; the ISO 639-1 codes the configuration
accepts."""

from __future__ import annotations

# ISO 639-1: every two-letter language code (the deprecated iw, in, ji, jw and mo excluded).
ISO_639_1 = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de
    dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie
    ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg
    mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro
    ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty
    ug uk ur uz ve vi vo wa wo xh yi yo za zh zu""".split()  # noqa: SIM905 - a table, read as one
)

_TWO = "nplurals=2; plural=(n != 1);"
_ONE = "nplurals=1; plural=0;"
_FRENCH = "nplurals=2; plural=(n > 1);"
_SLAVIC = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)

_LANGUAGES: dict[str, tuple[str, str]] = {
    "ar": (
        "Arabic",
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
        ": n%100>=11 ? 4 : 5);",
    ),
    "bg": ("Bulgarian", _TWO),
    "ca": ("Catalan", _TWO),
    "cs": ("Czech", "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"),
    "da": ("Danish", _TWO),
    "de": ("German", _TWO),
    "el": ("Greek", _TWO),
    "en": ("English", _TWO),
    "es": ("Spanish", _TWO),
    "et": ("Estonian", _TWO),
    "fi": ("Finnish", _TWO),
    "fr": ("French", _FRENCH),
    "he": ("Hebrew", _TWO),
    "hu": ("Hungarian", _TWO),
    "id": ("Indonesian", _ONE),
    "it": ("Italian", _TWO),
    "ja": ("Japanese", _ONE),
    "ko": ("Korean", _ONE),
    "lt": ("Lithuanian", _SLAVIC),
    "lv": ("Latvian", "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);"),
    "nb": ("Norwegian Bokmål", _TWO),
    "nl": ("Dutch", _TWO),
    "pl": (
        "Polish",
        "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    ),
    "pt": ("Portuguese", _TWO),
    "pt-BR": ("Portuguese (Brazil)", _FRENCH),
    "ro": ("Romanian", _TWO),
    "ru": ("Russian", _SLAVIC),
    "sk": ("Slovak", "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"),
    "sl": ("Slovenian", "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);"),
    "sv": ("Swedish", _TWO),
    "tr": ("Turkish", _TWO),
    "uk": ("Ukrainian", _SLAVIC),
    "zh": ("Chinese", _ONE),
}


def language_name(code: str) -> str:
    entry = _LANGUAGES.get(code) or _LANGUAGES.get(code.split("-")[0])
    return entry[0] if entry else code


def plural_forms(code: str) -> str:
    entry = _LANGUAGES.get(code) or _LANGUAGES.get(code.split("-")[0])
    return entry[1] if entry else _TWO
