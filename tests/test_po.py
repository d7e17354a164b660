"""The PO reader and writer: msgcat's bytes, a strict one-pass reader, round trips.

Differential tests run the real GNU ``msgcat``/``msgfmt`` (gettext 0.21) and, for line breaking, call
libunistring 1.0 itself through ctypes; each skips with a reason where the tool is missing (and fails in
CI, which installs gettext).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from i18n.catalog import linebreak
from i18n.catalog.model import Catalog, Message
from i18n.catalog.po import (
    NO_LINE,
    CatalogError,
    canonical_flags,
    format_catalog,
    parse_catalog,
    read_catalog,
)

from .project import Project
from .support import ROOT, SHARED

HEADER = (
    ("Project-Id-Version", "i18n"),
    ("PO-Revision-Date", "2026-01-02 03:04+0000"),
    ("Last-Translator", "i18n pipeline"),
    ("Language-Team", "Dutch"),
    ("Language", "nl"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=UTF-8"),
    ("Content-Transfer-Encoding", "8bit"),
    ("Plural-Forms", "nplurals=2; plural=(n != 1);"),
    ("X-Source-File", "content/page.md"),
)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} (GNU gettext) must be installed in CI")
        pytest.skip(f"{name} (GNU gettext) is not installed")
    return path


def msgcat(text: str, *options: str) -> str:
    """What ``msgcat`` writes for the PO text ``text``: default options unless given, and ``--force-po``,
    which only makes msgcat write a catalog that has nothing but its header (it writes nothing then)."""
    command = [_tool("msgcat"), "--force-po", *options, "-"]
    result = subprocess.run(command, input=text.encode("utf-8"), capture_output=True)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return result.stdout.decode("utf-8")


def msgfmt_check(path: Path) -> None:
    result = subprocess.run(
        [_tool("msgfmt"), "--check", "-o", os.devnull, str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def catalog(
    *messages: Message, language: str | None = "nl", header: tuple[tuple[str, str], ...] = HEADER
) -> Catalog:
    return Catalog(language, "page.md", header, messages, "Dutch translation of content/page.md.")


def body(text: str) -> str:
    """The entries of a formatted catalog, without its header entry."""
    return text.split("\n\n", 1)[1]


# -- generated catalogs --------------------------------------------------------------------------------

_WORDS = [
    "the",
    "movement",
    "a",
    "PauseAI",
    "Überprüfung",
    "naïve",
    "café",
    "straße",
    "Привет",
    "мир",
    "Γειά",
    "日本語の文章です。",
    "中文测试，",
    "한국어",
    "😀",
    "👍🏽",
    "👨‍👩‍👧",
    "🇳🇱🇩🇪",
    "שלום-עולם",
    "e\u0301",
    "https://example.com/a-b/c-d?e=f&g=h#i",
    "[link](/national-groups)",
    "**bold**",
    "`code`",
    "—",
    "–",
    "-",
    "/",
    "(",
    ")",
    '"',
    "'",
    "«",
    "»",
    "“quoted”",
    "…",
    "€200k",
    "$5",
    "100%",
    "3.14",
    "1,000",
    "e.g.",
    "well-known",
    "\\",
    "\\n",
    "\n",
    "\n\n",
    "\t",
    "\r",
    "\a\b\f\v",
    "\x01\x1f\x7f",
    "\x85",
    "\u2028",
    "\u200b",
    "\u00a0",
    "\u00ad",
    "\ufeff",
    "x" * 90,
    "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz",
    "a-very-long-hyphenated-identifier-that-goes-on-and-on-without-any-space-at-all",
    "",
]
_ANY = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x04")  # not in PO strings
texts = st.one_of(
    st.lists(st.sampled_from(_WORDS), max_size=30).map(" ".join),
    st.lists(st.sampled_from(_WORDS), max_size=30).map("".join),
    st.text(_ANY, max_size=200),
)


def _one_line(text: str) -> str:
    """A comment line (gettext joins a line that ends with a backslash to the next: see the test below)."""
    return text.replace("\n", " ").replace("\r", " ").rstrip("\\")


line_texts = texts.map(_one_line)
files = st.from_regex(r"[A-Za-z0-9_./-]{1,40}", fullmatch=True).filter(
    lambda f: not f.startswith("./") and not f[-1].isdigit() and not f.endswith(":")
)
locations = st.lists(st.tuples(files, st.one_of(st.integers(1, 99999), st.just(NO_LINE))), max_size=12).map(
    lambda refs: tuple(dict.fromkeys(refs))
)
# flags msgcat writes back as they are (format flags would make msgcat keep breaks out of directives)
_MSGCAT_FLAGS = ["no-c-format", "no-python-format", "range: 0..5", "no-wrap"]
_OTHER_FLAGS = [
    "c-format",
    "python-brace-format",
    "possible-sh-format",
    "wrap",
    "impossible-c-format",
    "my-flag",
]


_LINE_BOUNDARIES = str.maketrans(dict.fromkeys("\v\f\x1c\x1d\x1e\x85\u2028\u2029", " "))
# polib splits lines where str.splitlines does: texts without those characters
polib_texts = texts.map(lambda t: t.translate(_LINE_BOUNDARIES))


@st.composite
def messages(
    draw: st.DrawFn,
    *,
    template: bool,
    obsolete: bool,
    for_msgcat: bool,
    texts: st.SearchStrategy[str] = texts,
) -> Message:
    line_texts = texts.map(_one_line)
    msgstr = "" if template else draw(texts.filter(bool) if obsolete else texts)
    flag_pool = _MSGCAT_FLAGS if for_msgcat else _MSGCAT_FLAGS + _OTHER_FLAGS
    if obsolete:  # msgcat writes no range on an obsolete entry
        flag_pool = [f for f in flag_pool if not f.startswith("range")]
    flags = canonical_flags(tuple(draw(st.lists(st.sampled_from(flag_pool), max_size=3))))
    meta = not template and draw(st.booleans())
    return Message(
        msgid=draw(texts),
        msgstr=msgstr,
        context=draw(st.one_of(st.none(), texts)),
        fuzzy=bool(msgstr) and draw(st.booleans()),
        previous=None if template else draw(st.one_of(st.none(), texts)),
        obsolete=obsolete,
        locations=draw(locations),
        notes=tuple(draw(st.lists(line_texts, max_size=2))),
        comments=tuple(draw(st.lists(line_texts.filter(lambda c: not c.startswith("i18n: ")), max_size=2))),
        flags=flags,
        source_hash=draw(st.sampled_from([None, "4110e9e70cff1e6c"])) if meta else None,
        origin=draw(st.sampled_from([None, "deepl", "import:old"])) if meta else None,
        rejected=draw(st.one_of(st.none(), line_texts.filter(bool))) if meta else None,
        suggestions=tuple(draw(st.lists(texts, max_size=2))) if meta else (),
        glossary=tuple(draw(st.lists(st.sampled_from(["national group", "PauseAI"]), max_size=2)))
        if meta
        else (),
    )


@st.composite
def catalogs(draw: st.DrawFn, *, for_msgcat: bool = True, texts: st.SearchStrategy[str] = texts) -> Catalog:
    template = draw(st.booleans())
    entries = {"for_msgcat": for_msgcat, "texts": texts}
    active = draw(st.lists(messages(template=template, obsolete=False, **entries), max_size=6))
    obsolete = (
        [] if template else draw(st.lists(messages(template=False, obsolete=True, **entries), max_size=3))
    )
    line_texts = texts.map(_one_line)
    unique: dict[tuple[str | None, str], Message] = {}
    for message in (*active, *obsolete):
        if message.key != (None, ""):
            unique.setdefault(message.key, message)
    extra = draw(
        st.lists(st.tuples(st.from_regex(r"X-[A-Za-z-]{1,20}", fullmatch=True), line_texts), max_size=2)
    )
    comment = draw(st.lists(line_texts, max_size=3))
    return Catalog(
        None if template else "nl",
        "page.md",
        HEADER + tuple(extra),
        tuple(unique.values()),
        "\n".join(comment),
    )


_DIFFERENTIAL = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_DIFFERENTIAL
@given(catalogs())
def test_format_is_what_msgcat_writes(generated: Catalog) -> None:
    text = format_catalog(generated)
    assert msgcat(text) == text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs(for_msgcat=False))
def test_parse_of_format_is_the_catalog(generated: Catalog) -> None:
    text = format_catalog(generated)
    parsed = parse_catalog(text, "page.md", generated.language)
    assert parsed == generated
    assert format_catalog(parsed) == text
    # CRLF sends the reader down its line-by-line path (LF files in gettext's layout take the fast one)
    assert parse_catalog(text.replace("\n", "\r\n"), "page.md", generated.language) == generated


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs(), st.sampled_from([["--width=30"], ["--no-wrap"], ["--width=200"], ["--width=60"]]))
def test_a_catalog_rewrapped_by_a_gettext_tool_is_written_back_as_msgcat_writes_it(
    generated: Catalog, options: list[str]
) -> None:
    text = format_catalog(generated)
    rewrapped = msgcat(text, *options)
    assume(rewrapped != text)
    again = format_catalog(parse_catalog(rewrapped, "page.md", generated.language))
    assert again == msgcat(rewrapped) == text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs(texts=polib_texts))
def test_a_catalog_saved_by_polib_is_written_back_as_msgcat_writes_it(generated: Catalog) -> None:
    """polib (78 columns, breaking at spaces only) stands for Poedit-like tools. Our catalogs always have a
    header comment (polib writes a bare ``#`` for none, which the model cannot hold). polib also wraps our
    ``i18n:`` lines, which we join back (the next test) and msgcat does not: left out here, as are empty
    msgids, which polib takes for headers."""
    plain = tuple(
        replace(m, rejected=None, suggestions=(), glossary=()) for m in generated.messages if m.msgid
    )
    # polib trims a comment's trailing spaces: a line then ending in a backslash continues onto the next
    # one for every gettext reader (ours too), so such a comment cannot survive a polib save anywhere
    comments = [generated.header_comment, *(line for m in plain for line in (*m.comments, *m.notes))]
    assume(not any(line.rstrip().endswith("\\") for text in comments for line in text.split("\n")))
    # polib writes a header comment line that starts with ":" or "," as "#:" / "#,": a reference or flags
    # of the header entry, no longer a comment, for every gettext reader
    assume(not any(line.startswith((":", ",")) for line in generated.header_comment.split("\n")))
    text = format_catalog(
        replace(generated, messages=plain, header_comment=f"Header.\n{generated.header_comment}")
    )
    saved = str(polib.pofile(text, wrapwidth=78))
    assume(saved != text)
    ours = format_catalog(parse_catalog(saved, "page.md", generated.language))
    assert ours == msgcat(saved)


# -- the real pages of ../shared/corpus ----------------------------------------------------------------

CORPUS = SHARED / "corpus"


def _cli(root: Path, *args: str) -> None:
    from click.testing import CliRunner

    from i18n.cli import main

    result = CliRunner().invoke(main, ["--project", str(root), *args])
    assert result.exit_code == 0, result.output


def _edited(text: str, n: int) -> str:
    """A page after an editor's pass: one word changed (a stale entry), one block deleted (obsolete)."""
    head, sep, rest = text.partition("\n---\n") if text.startswith("---\n") else ("", "", text)
    blocks = rest.split("\n\n")
    if len(blocks) > 4:
        del blocks[2 + n % (len(blocks) - 3)]
    rest = re.sub(r"\b(the|de|het)\b", r"\1 very", "\n\n".join(blocks), count=1)
    return head + sep + rest


@pytest.fixture(scope="module")
def corpus_catalogs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Catalogs the pipeline writes for the corpus pages: templates, untranslated, pseudo-translated (de),
    imported real Dutch translations (nl) and, after the pages are edited, stale and obsolete entries."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not there")
    sources = {
        "en": sorted((CORPUS / "en").glob("*.md")),
        "pairs": sorted((CORPUS / "pairs" / "en").glob("*.md")),
        **{f.name: sorted(f.iterdir()) for f in sorted((CORPUS / "flavours").iterdir()) if f.is_dir()},
    }
    found: list[Path] = []
    for name, pages in sources.items():
        root = tmp_path_factory.mktemp(name)
        Project(root, languages=("nl", "de"))
        for page in pages:
            shutil.copy(page, root / "content" / page.name)
        _cli(root, "extract", "-q")
        _cli(root, "translate", "--engine", "pseudo", "--lang", "de", "-q")
        if name == "pairs":
            _cli(root, "import", "--lang", "nl", str(CORPUS / "pairs" / "nl"))
        snapshot = root / "first"
        shutil.copytree(root / "locales", snapshot)
        for n, page in enumerate(sorted((root / "content").iterdir())):
            page.write_text(_edited(page.read_text(encoding="utf-8"), n), encoding="utf-8")
        _cli(root, "extract", "-q")
        found += sorted(p for p in root.rglob("*.po*") if p.is_file())
    return found


def test_every_corpus_catalog_is_what_msgcat_writes(corpus_catalogs: list[Path]) -> None:
    differ = [
        p for p in corpus_catalogs if msgcat(p.read_text(encoding="utf-8")) != p.read_text(encoding="utf-8")
    ]
    assert len(corpus_catalogs) > 300
    assert differ == []
    texts = "".join(p.read_text(encoding="utf-8") for p in corpus_catalogs)
    for feature in ("\n#| msgid", "\n#~ msgid", "\n#, fuzzy", '\nmsgid ""\n"', "⟦"):
        assert feature in texts, feature  # the corpus catalogs exercise these


def test_every_corpus_catalog_passes_msgfmt_check(corpus_catalogs: list[Path]) -> None:
    for path in corpus_catalogs:
        msgfmt_check(path)


def test_every_corpus_catalog_reads_back_to_the_same_bytes(corpus_catalogs: list[Path]) -> None:
    for path in corpus_catalogs:
        text = path.read_text(encoding="utf-8")
        assert format_catalog(parse_catalog(text, "x.md", None if path.suffix == ".pot" else "nl")) == text


# -- msgcat's layout, case by case (expected text as msgcat 0.21 writes it) ------------------------------


def entry_text(message: Message, language: str | None = "nl") -> str:
    """The entry as we write it, checked against msgcat where it is installed."""
    text = format_catalog(catalog(message, language=language))
    if shutil.which("msgcat"):
        assert msgcat(text) == text
    return body(text)


def test_a_string_is_broken_before_column_80_and_the_space_stays_on_the_first_line() -> None:
    msgid = "Every national group now has its own page, listed under the national groups heading."
    assert entry_text(Message(msgid)) == (
        'msgid ""\n'
        '"Every national group now has its own page, listed under the national groups "\n'
        '"heading."\n'
        'msgstr ""\n'
    )
    # 77 columns of text and two quotes: 79
    assert entry_text(Message("a" * 76 + " b")) == f'msgid ""\n"{"a" * 76} "\n"b"\nmsgstr ""\n'


def test_a_string_that_fits_stays_on_the_keyword_line() -> None:
    msgid = "x" * 71  # msgid "…" is 79 columns
    assert entry_text(Message(msgid, "y" * 70)) == f'msgid "{msgid}"\nmsgstr "{"y" * 70}"\n'
    # past column 79 with nowhere to break: still one line
    assert entry_text(Message(msgid + "x")) == f'msgid "{msgid}x"\nmsgstr ""\n'
    assert entry_text(Message(msgid + " x")) == f'msgid ""\n"{msgid} x"\nmsgstr ""\n'  # 74 columns


def test_breaks_follow_uax14_after_hyphens_and_slashes_not_only_spaces() -> None:
    text = entry_text(
        Message("More than 1,500 people have joined [our Discord community](https://discord.gg/a-b).")
    )
    assert text.splitlines()[1:3] == [
        '"More than 1,500 people have joined [our Discord community](https://discord."',
        '"gg/a-b)."',
    ]
    text = entry_text(
        Message("Contact us at the address on the page /national-groups/the-netherlands-and-belgium")
    )
    assert text.splitlines()[1:3] == [
        '"Contact us at the address on the page /national-groups/the-netherlands-and-"',
        '"belgium"',
    ]


def test_newlines_split_the_string_after_each_newline() -> None:
    assert (
        entry_text(Message("one\ntwo\n\nthree"))
        == 'msgid ""\n"one\\n"\n"two\\n"\n"\\n"\n"three"\nmsgstr ""\n'
    )
    assert entry_text(Message("only at the end\n")) == 'msgid "only at the end\\n"\nmsgstr ""\n'


def test_a_long_word_is_never_cut() -> None:
    word = "Rindfleisch" * 10
    assert entry_text(Message(f"a {word} b")) == f'msgid ""\n"a "\n"{word} "\n"b"\nmsgstr ""\n'


def test_east_asian_wide_characters_take_two_columns() -> None:
    assert (
        entry_text(Message("日本語" * 20)).splitlines()[1:3]
        == [
            '"' + ("日本語" * 13)[:38] + '"',  # 38 characters, 76 columns: a 39th would take 78
            '"' + ("日本語" * 20)[38:] + '"',
        ]
    )


def test_escapes_quotes_backslashes_and_control_characters() -> None:
    assert entry_text(Message('say "hi"\t\\ \r\a\b\f\v \x01\x7f é')) == (
        'msgid "say \\"hi\\"\\t\\\\ \\r\\a\\b\\f\\v \x01\x7f é"\nmsgstr ""\n'
    )


def test_no_break_inside_an_escape_sequence_but_between_two() -> None:
    assert entry_text(Message("a" * 74 + '\\"')) == f'msgid ""\n"{"a" * 74}\\\\"\n"\\""\nmsgstr ""\n'
    assert entry_text(Message("a" * 75 + '"')) == f'msgid "{"a" * 75}\\""\nmsgstr ""\n'  # no break at all


def test_references_are_filled_to_79_columns_without_duplicates() -> None:
    refs = tuple((f"content/a-rather-long-page-name-{n}.md", n * 100) for n in range(6))
    text = entry_text(Message("x", locations=(*refs, refs[0], ("./README", NO_LINE))))
    assert text.splitlines()[:6] == [
        "#: content/a-rather-long-page-name-0.md:0",
        "#: content/a-rather-long-page-name-1.md:100",
        "#: content/a-rather-long-page-name-2.md:200",
        "#: content/a-rather-long-page-name-3.md:300",
        "#: content/a-rather-long-page-name-4.md:400",
        "#: content/a-rather-long-page-name-5.md:500 README",
    ]
    short = entry_text(Message("x", locations=tuple((f"p{n}.md", n) for n in range(12))))
    assert short.splitlines()[:2] == [
        "#: p0.md:0 p1.md:1 p2.md:2 p3.md:3 p4.md:4 p5.md:5 p6.md:6 p7.md:7 p8.md:8",
        "#: p9.md:9 p10.md:10 p11.md:11",
    ]


def test_comment_lines_are_never_wrapped_and_come_in_gettexts_order() -> None:
    message = Message(
        "x",
        "y",
        fuzzy=True,
        previous="old x",
        comments=("a translator's note " * 6, ""),
        notes=("paragraph",),
        locations=(("content/p.md", 3),),
        flags=("no-wrap", "python-format"),
        origin="deepl",
    )
    assert entry_text(message) == (
        "# " + "a translator's note " * 6 + "\n#\n# i18n: origin deepl\n#. paragraph\n#: content/p.md:3\n"
        '#, fuzzy, python-format, no-wrap\n#| msgid "old x"\nmsgid "x"\nmsgstr "y"\n'
    )


def test_fuzzy_is_not_written_for_an_empty_msgstr_and_no_wrap_stops_wrapping() -> None:
    assert entry_text(Message("x", "", fuzzy=True)) == 'msgid "x"\nmsgstr ""\n'
    long = "word " * 30
    assert entry_text(Message(long, flags=("no-wrap",))) == f'#, no-wrap\nmsgid "{long}"\nmsgstr ""\n'


def test_obsolete_entries_come_last_with_previous_and_no_range() -> None:
    gone = Message(
        "Old text", "Oude tekst", fuzzy=True, previous="Older text", obsolete=True, flags=("range: 1..2",)
    )
    untranslated = Message("Never translated", obsolete=True)
    text = format_catalog(catalog(gone, untranslated, Message("Kept")))
    assert body(text) == (
        'msgid "Kept"\nmsgstr ""\n\n'
        '#, fuzzy\n#~| msgid "Older text"\n#~ msgid "Old text"\n#~ msgstr "Oude tekst"\n'
    )


def test_a_template_has_empty_msgstrs_and_no_bookkeeping() -> None:
    message = Message(
        "x", "y", fuzzy=True, previous="w", source_hash="abc", comments=("mine",), obsolete=False
    )
    assert entry_text(message, language=None) == '# mine\nmsgid "x"\nmsgstr ""\n'


def test_header_lines_are_wrapped_like_any_string() -> None:
    text = format_catalog(
        catalog(header=(*HEADER[:-1], ("X-Source-File", "content/" + "deep/" * 15 + "page.md")))
    )
    assert text.endswith(
        '"X-Source-File: content/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/"\n'
        '"deep/deep/deep/deep/deep/page.md\\n"\n'
    )
    assert text.startswith('# Dutch translation of content/page.md.\nmsgid ""\nmsgstr ""\n')


def test_a_catalog_with_only_its_header_is_written_whole() -> None:
    """msgcat writes nothing for it unless told --force-po; the pipeline keeps the file."""
    text = format_catalog(catalog())
    assert text.startswith("# Dutch translation") and text.endswith('"X-Source-File: content/page.md\\n"\n')
    assert format_catalog(Catalog("nl", "p.md", (), ())) == ""


def test_strings_a_po_file_cannot_hold_are_refused() -> None:
    with pytest.raises(CatalogError, match="U\\+0004"):
        format_catalog(catalog(Message("a\x04b")))


# -- line breaking against libunistring itself ------------------------------------------------------------


def _libunistring() -> ctypes.CDLL:
    name = ctypes.util.find_library("unistring")
    if name is None:
        pytest.skip("libunistring is not installed")
    lib = ctypes.CDLL(name)
    version = ctypes.c_int.in_dll(lib, "_libunistring_version").value
    if version != 0x010000:
        pytest.skip(f"libunistring {version >> 16}.{version >> 8 & 255}, not the 1.0 gettext 0.21 uses here")
    return lib


def _reference_breaks(lib: ctypes.CDLL, text: str, width: int, start: int, prohibited: set[int]) -> list[int]:
    """``u8_width_linebreaks_v2`` (what ulc_width_linebreaks calls for UTF-8) on ``text``."""
    data = text.encode("utf-8")
    offsets = [len(text[:i].encode("utf-8")) for i in range(len(text))]
    overrides = bytearray(len(data))
    for i in prohibited:
        overrides[offsets[i]] = 1  # UC_BREAK_PROHIBITED
    result = ctypes.create_string_buffer(len(data))
    function = lib.u8_width_linebreaks_v2
    function.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int]
    function.argtypes += [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
    function(data, len(data), width, start, 0, bytes(overrides), b"UTF-8", result)
    position = {offset: i for i, offset in enumerate(offsets)}
    return [position[i] for i, value in enumerate(result.raw) if value == 2]  # UC_BREAK_POSSIBLE


def _class_samples() -> list[str]:
    """A few characters of every line breaking class (the table's own), for generated texts."""
    seen: dict[int, list[str]] = {}
    for code in range(0x20000):
        if not 0xD800 <= code < 0xE000 and len(seen.setdefault(linebreak.CLASSES[code], [])) < 4:
            seen[linebreak.CLASSES[code]].append(chr(code))
    return [c for chars in seen.values() for c in chars]


_SAMPLES = _class_samples()
break_texts = st.one_of(
    texts,
    st.lists(st.one_of(st.sampled_from(_SAMPLES), st.sampled_from(_WORDS), st.just(" ")), max_size=40).map(
        "".join
    ),
)


@settings(max_examples=1500, deadline=None)
@given(
    break_texts,
    st.sampled_from([77, 74, 30, 3, 0]),
    st.sampled_from([0, 6, 7, 8, 40, 100]),
    st.sets(st.integers(0, 300), max_size=4),
)
def test_line_breaks_are_libunistrings(text: str, width: int, start: int, prohibited: set[int]) -> None:
    lib = _libunistring()
    prohibited = {i for i in prohibited if i < len(text)}
    assert linebreak.wrap_points(text, width, start, prohibited) == _reference_breaks(
        lib, text, width, start, prohibited
    )


def test_the_tables_are_libunistrings() -> None:
    """Regenerating ``i18n/catalog/_unidata.py`` from the installed libunistring 1.0 gives the committed
    file."""
    _libunistring()
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_unidata.py")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (ROOT / "i18n" / "catalog" / "_unidata.py").read_text(encoding="utf-8")


@settings(max_examples=1500, deadline=None)
@given(break_texts, st.sampled_from([77, 74, 30, 3]), st.sampled_from([0, 7, 40]))
def test_the_fast_path_agrees_with_the_full_state_machine(text: str, width: int, start: int) -> None:
    """Without libunistring at hand: the pairwise shortcut gives what the literal algorithm gives."""
    assert linebreak.wrap_points(text, width, start) == linebreak.fill_slow(text, width, start)


# -- reading ----------------------------------------------------------------------------------------------

GOOD = """\
# Dutch translation of content/page.md.
msgid ""
msgstr ""
"Language: nl\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

# A translator's note
# i18n: source-hash 4110e9e70cff1e6c
#. paragraph
#: content/page.md:3 content/other.md:9
#: README
#, fuzzy, c-format
#| msgctxt "old/p1"
#| msgid "Old "
#| "text"
msgctxt "s/p1"
msgid ""
"New "
"text"
msgstr "Nieuwe tekst"

#, fuzzy
#~| msgid "Gone once"
#~ msgid "Gone"
#~ msgstr "Weg"
"""


def test_reading_every_kind_of_line() -> None:
    parsed = parse_catalog(GOOD, "page.md", "nl", path="locales/nl/page.po")
    assert parsed.header == (("Language", "nl"), ("Content-Type", "text/plain; charset=UTF-8"))
    assert parsed.header_comment == "Dutch translation of content/page.md."
    first, gone = parsed.messages
    assert first == Message(
        "New text",
        "Nieuwe tekst",
        context="s/p1",
        fuzzy=True,
        previous="Old text",
        locations=(("content/page.md", 3), ("content/other.md", 9), ("README", NO_LINE)),
        notes=("paragraph",),
        comments=("A translator's note",),
        flags=("c-format",),
        source_hash="4110e9e70cff1e6c",
    )
    assert first.line == 17  # the msgid line, where checks report problems
    assert gone == Message("Gone", "Weg", fuzzy=True, previous="Gone once", obsolete=True)
    assert gone.line == 24


def test_previous_msgid_of_an_obsolete_entry_survives_deletion_and_restoration(tmp_path: Path) -> None:
    """reviewed -> edited (stale) -> deleted (obsolete) -> restored: stale again, not reviewed."""
    project = Project(tmp_path)
    page = "# Title\n\nRun more protests.\n\nAnother paragraph.\n"
    project.page("p.md", page)
    project.extract()
    project.translate("p.md", {"Run more protests.": "Organiseer meer protesten."})
    project.page("p.md", page.replace("Run more", "Run many more"))
    project.extract()
    project.page("p.md", page.replace("Run more protests.\n\n", ""))
    project.extract()
    text = project.po_path("p.md").read_text(encoding="utf-8")
    assert '#~| msgid "Run more protests."\n#~ msgid "Run many more protests."' in text
    project.page("p.md", page.replace("Run more", "Run many more"))
    project.extract()
    restored = read_catalog(project.po_path("p.md"), "p.md", "nl").messages[1]
    assert (restored.msgid, restored.previous, restored.state.value) == (
        "Run many more protests.",
        "Run more protests.",
        "stale",
    )


LAYOUTS = [
    ('msgid "a"\nmsgstr ""\n  "indented"\n', [("a", "indented")]),
    (
        'msgid "a"\nmsgstr "x"\n\n"after a blank line"\n\nmsgid "b"\nmsgstr ""\n',
        [("a", "xafter a blank line"), ("b", "")],
    ),
    ('msgid "a"\nmsgstr "x"\nmsgid "b"\nmsgstr "y"\n', [("a", "x"), ("b", "y")]),
    ('msgid "a"\nmsgstr "x" \n\nmsgid "b"\nmsgstr "y"\t\n', [("a", "x"), ("b", "y")]),
    ('#~ msgid "a"\n#~ msgstr "x"\n\n#~ "more"\n', [("a", "xmore")]),
    ('msgid "a" "b"\nmsgstr "x"\n', [("ab", "x")]),
    ('\tmsgid "a"\nmsgstr\t"x"\n', [("a", "x")]),
    ('msgid"a"\nmsgstr""\n', [("a", "")]),
]


@pytest.mark.parametrize(("text", "expected"), LAYOUTS)
def test_layouts_other_than_gettexts_read_as_gettext_reads_them(
    text: str, expected: list[tuple[str, str]]
) -> None:
    header = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    parsed = parse_catalog(header + text, "p.md", "nl")
    assert [(m.msgid, m.msgstr) for m in parsed.messages] == expected
    if shutil.which("msgcat"):
        assert format_catalog(parsed) == msgcat(header + text)


def test_crlf_and_a_bom_read_as_lf() -> None:
    crlf = "\ufeff" + GOOD.replace("\n", "\r\n")
    assert parse_catalog(crlf, "page.md", "nl") == parse_catalog(GOOD, "page.md", "nl")


def test_flags_on_several_lines_and_separated_by_spaces_all_count() -> None:
    text = '#, fuzzy python-format\n#, no-wrap,range: 1..3\n#,my-flag\nmsgid "a"\nmsgstr "b"\n'
    (message,) = parse_catalog(text, "p.md", "nl").messages
    assert message.fuzzy and message.flags == ("python-format", "range: 1..3", "no-wrap", "my-flag")


def test_escape_sequences_as_gettext_reads_them() -> None:
    text = 'msgid "\\t\\n\\r\\a\\b\\f\\v\\\\\\"\\303\\251\\x41"\nmsgstr ""\n'
    assert parse_catalog(text, "p.md", "nl").messages[0].msgid == '\t\n\r\a\b\f\v\\"éA'


def test_a_line_ending_in_a_backslash_continues_on_the_next_as_in_gettext() -> None:
    text = '# a note\\\n# that goes on\nmsgid "split \\\nstring"\nmsgstr ""\n'
    (message,) = parse_catalog(text, "p.md", "nl").messages
    assert message.comments == ("a note# that goes on",) and message.msgid == "split string"
    if shutil.which("msgcat"):
        assert msgcat(text) == format_catalog(Catalog("nl", "p.md", (), (message,)))


def test_comments_rewrapped_by_a_tool_are_joined_back() -> None:
    reason = "link-targets: link target '/people' missing; '/mensen' added " * 3
    message = Message(
        "x", "y", fuzzy=True, origin="deepl", rejected=reason.strip(), suggestions=("a b " * 30,)
    )
    text = format_catalog(catalog(message))
    assert parse_catalog(text, "p.md", "nl").messages == (message,)
    lines = [line for line in text.split("\n") if line.startswith("# i18n:") and len(line) > 78]
    wrapped = text
    for line in lines:
        cut = line.rfind(" ", 0, 70)
        wrapped = wrapped.replace(line, line[:cut] + "\n# " + line[cut + 1 :])
    assert wrapped != text and parse_catalog(wrapped, "p.md", "nl").messages == (message,)
    saved = str(polib.pofile(text, wrapwidth=60))
    assert saved != text and parse_catalog(saved, "p.md", "nl").messages == (message,)


BAD = [
    ('msgid "unterminated\nmsgstr ""\n', 1, "syntax error: unterminated string"),
    ('msgid "a"\nmsgstr "b" "c\n', 2, "syntax error: unterminated string"),
    ('msgid "bad \\q escape"\nmsgstr ""\n', 1, "syntax error: invalid escape sequence '\\\\q'"),
    ('msgid "a"\nmsgstr ""\n\nmsgstr "b"\n', 4, "syntax error: msgstr without msgid"),
    ('msgid "a"\nmsgstr "b" stray\n', 2, "syntax error: unexpected text 'stray'"),
    ('msgid "a"\nmsgstr ""\nhello\n', 3, "syntax error: unexpected text 'hello'"),
    ('msgid "a"\nmsgid "b"\nmsgstr ""\n', 2, "syntax error: msgid after msgid, without msgstr"),
    ('msgid "a"\n# comment\nmsgstr ""\n', 2, "syntax error: comment inside an entry (msgstr missing)"),
    ('msgid "a"\n', 1, "syntax error: msgid without msgstr"),
    ('msgctxt "c"\n\n', 1, "syntax error: msgctxt without msgid"),
    (
        '"orphan"\nmsgid "a"\nmsgstr ""\n',
        1,
        "syntax error: a string that continues no msgid, msgstr or msgctxt",
    ),
    ('#~ msgid "a"\nmsgstr "b"\n', 2, "syntax error: obsolete (#~) and active lines in one entry"),
    ('msgid "a"\nmsgstr "b\\303"\n', 2, "syntax error: escape sequences that are not UTF-8"),
    ('msgid "a\\004b"\nmsgstr ""\n', 1, "syntax error: escape sequence \\004 is not a byte of UTF-8 text"),
    ('msgid\nmsgstr ""\n', 1, "syntax error: msgid without a string"),
    (
        'msgid "a"\nmsgid_plural "as"\nmsgstr[0] ""\n',
        2,
        "plural entries (msgid_plural, msgstr[N]) are not supported",
    ),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD)
def test_a_syntax_error_names_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text, "x.md", "nl", path="locales/nl/x.po")
    assert str(caught.value).startswith(f"locales/nl/x.po:{line}: {message}")


def test_what_we_refuse_msgfmt_refuses_too(tmp_path: Path) -> None:
    """Each bad input above is an error for gettext as well (checked where msgfmt is installed)."""
    _tool("msgfmt")
    for n, (text, _, _) in enumerate(BAD):
        path = tmp_path / f"bad{n}.po"
        path.write_text(text, encoding="utf-8")
        result = subprocess.run(
            ["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True
        )
        assert result.returncode != 0 or "plural" in text, text


@pytest.mark.parametrize(
    ("text", "line", "first"),
    [
        ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 4, 1),
        ('msgctxt "x"\nmsgid "a"\nmsgstr ""\n\nmsgctxt "x"\nmsgid "a"\nmsgstr ""\n', 6, 2),
        ('msgid "a"\nmsgstr ""\n\n#~ msgid "a"\n#~ msgstr "b"\n', 4, 1),  # msgfmt counts obsolete ones too
        ('msgid ""\nmsgstr ""\n\nmsgid ""\nmsgstr ""\n', 4, 1),
    ],
)
def test_a_duplicate_entry_names_the_second_one(text: str, line: int, first: int) -> None:
    with pytest.raises(
        CatalogError, match=rf"^x\.po:{line}: duplicate entry .*first defined at line {first}$"
    ):
        parse_catalog(text, "x.md", "nl", path="x.po")
    last = text.rindex('msgid "')
    assert parse_catalog(text[:last] + 'msgid "z' + text[last + 7 :], "x.md", "nl", path="x.po")


def test_big_strings_read_and_write() -> None:
    """A 2 MB msgid in one line and in 2 MB of continuation lines (the time is in bench/po_bench.py)."""
    big = "word " * 400_000
    one_line = f'msgid "{big}"\nmsgstr ""\n'
    many_lines = (
        'msgid ""\n' + "".join(f'"{big[i : i + 70]}"\n' for i in range(0, len(big), 70)) + 'msgstr ""\n'
    )
    for text in (one_line, many_lines):
        (message,) = parse_catalog(text, "p.md", "nl").messages
        assert message.msgid == big
    written = format_catalog(catalog(Message(big)))
    assert parse_catalog(written, "p.md", "nl").messages[0].msgid == big


def test_an_obsolete_entry_keeps_its_flags_but_a_range() -> None:
    """msgcat 0.21 writes fuzzy, format flags and no-wrap on an obsolete entry (and does not wrap it), no
    ``range:``."""
    long = "word " * 20
    text = f'#, no-wrap, python-format, fuzzy, range: 1..4\n#~ msgid "{long}"\n#~ msgstr "{long}"\n'
    written = format_catalog(parse_catalog(text, "p.md", "nl"))
    assert written == f'#, fuzzy, python-format, no-wrap\n#~ msgid "{long}"\n#~ msgstr "{long}"\n'
    if shutil.which("msgcat"):
        assert written == msgcat(text)
