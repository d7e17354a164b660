"""Message files as documents: parse (segments, instructions), byte-faithful render, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n.catalog.model import Message
from i18n.catalog.update import context_of, fresh_messages
from i18n.checks import Problem, check_translation
from i18n.errors import PageError
from i18n.messages.file import MessageFile, parse_messages, read_values, restore_messages
from i18n.messages.formats import FLAT, I18NEXT, INLANG, Instructions
from i18n.messages.kind import MessagesKind
from i18n.messages.markup import syntax, tags, variables
from i18n.mt.pseudo import pseudo_localize
from i18n.mt.xmlmarkup import MarkupError, decode, encode, encode_message
from i18n.segments import SegmentKind

from .support import FIXTURES, golden, read_text

MESSAGES = FIXTURES / "messages"
SOURCES = {"inlang": MESSAGES / "inlang.en.json", "i18next": MESSAGES / "i18next.en.json"}


def parse(path: Path, **options: object) -> MessageFile:
    return parse_messages(read_text(path), path.name, **options)  # type: ignore[arg-type]


def pseudo(document: MessageFile) -> dict[str, str]:
    """Each message pseudo-localised through the XML encoding the engines see."""
    result = {}
    for segment in document.segments:
        encoded = encode_message(segment.text)
        result[segment.id] = decode(encoded, pseudo_localize(encoded.xml, encoded.ignore_tags))
    return result


# -- golden fixtures -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_golden_segments(name: str) -> None:
    document = parse(SOURCES[name])
    rows = [
        {"id": s.id, "kind": s.kind.value, "line": s.line, "text": s.text, "notes": list(s.notes)}
        for s in document.segments
    ]
    golden(
        FIXTURES / "golden" / "messages" / f"{name}.segments.json",
        json.dumps(rows, ensure_ascii=False, indent=1) + "\n",
    )


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_golden_pseudo_build(name: str) -> None:
    document = parse(SOURCES[name])
    golden(FIXTURES / "golden" / "messages" / f"{name}.pseudo.json", document.render(pseudo(document)))


def test_golden_instructions_dropped() -> None:
    document = parse(SOURCES["inlang"], instructions=Instructions.DROP)
    golden(FIXTURES / "golden" / "messages" / "inlang.dropped.json", document.render(pseudo(document)))


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_pseudo_build_has_the_source_keys_in_order_and_every_text_translated(name: str) -> None:
    source = read_text(SOURCES[name])
    document = parse(SOURCES[name])
    rendered = document.render(pseudo(document))
    assert list(json.loads(rendered)) == list(json.loads(source))  # keys and order (top level)
    built = read_values(rendered, "built.json")
    original = read_values(source, "source.json")
    assert list(built) == list(original)  # every key path, in order
    for segment in document.segments:
        assert built[segment.id] != segment.text and "⟦" in built[segment.id]
        assert tags(built[segment.id]) == tags(segment.text)
        assert variables(built[segment.id]) == variables(segment.text)
    untouched = set(original) - {s.id for s in document.segments}
    assert untouched and all(built[key] == original[key] for key in untouched)  # "©", "2024", "v2.1"…
    # indentation, spacing and the final newline are the source's: only values changed
    assert rendered.count("\n") == source.count("\n") and rendered.endswith("}\n")
    assert [line[: len(line) - len(line.lstrip())] for line in rendered.split("\n")] == [
        line[: len(line) - len(line.lstrip())] for line in source.split("\n")
    ]


def test_inlang_instructions_are_notes_and_never_segments() -> None:
    document = parse(SOURCES["inlang"])
    assert document.format is INLANG
    ids = [s.id for s in document.segments]
    assert not any(i.endswith("__instructions") or i.startswith("$") for i in ids)
    by_id = {s.id: s for s in document.segments}
    prefix = "header__instructions: All translations prefixed with 'header_' should be as short as possible"
    assert by_id["header_join"].notes[0].startswith(prefix)
    assert len(by_id["header_join"].notes) == 1
    # general first, then the key's own
    assert by_id["header_action"].notes[0].startswith(prefix)
    assert by_id["header_action"].notes[1] == "header_action__instructions: German: Handeln"
    assert by_id["footer_press"].notes == ("footer__instructions: Footer texts: keep them formal.",)
    assert by_id["join_volunteer"].notes == (
        "join_volunteer__instructions: A button label: use the imperative.",
    )
    assert by_id["join_donate"].notes == ()  # "join_" has no prefix instruction
    assert by_id["home_action_title"].text == "WE NEED TO ACT <u>RIGHT NOW</u>"
    assert by_id["header_action"].line == 4
    assert "footer_copyright" not in by_id and "footer_year" not in by_id  # no letters: not text


def test_i18next_paths_instructions_and_arrays() -> None:
    document = parse(SOURCES["i18next"])
    assert document.format is I18NEXT
    by_id = {s.id: s for s in document.segments}
    assert by_id["inbox.count_one"].text == "You have {{count}} new message"
    assert by_id["inbox.actions.2"].text == "Mark as <b>read</b>"
    assert by_id["settings.Welcome to the settings"].line == 23
    assert by_id["nav.home"].notes == (
        "nav__instructions: The site's navigation.",
        "nav.__instructions: Menu labels: one or two words.",
    )
    assert by_id["welcome"].notes == ()


def test_key_form_wins_over_prefix_and_file_wide_instructions() -> None:
    text = (
        '{"__instructions": "Informal.", "menu": "Menu", "menu__instructions": "Short.",'
        ' "menu_open": "Open", "intro": "Hello"}'
    )
    by_id = {s.id: s.notes for s in parse_messages(text, "m.json").segments}
    assert by_id == {
        "menu": ("__instructions: Informal.", "menu__instructions: Short."),
        "menu_open": ("__instructions: Informal.",),  # "menu" is a message: key form only
        "intro": ("__instructions: Informal.",),
    }


def test_detected_formats() -> None:
    assert parse_messages('{"a": "Hi"}', "m.json").format is FLAT
    assert parse_messages('{"a": {"b": "Hi"}}', "m.json").format is I18NEXT
    assert parse_messages('{"$schema": "https://inlang.com/x", "a": "Hi"}', "m").format is INLANG


# -- render ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_identity_is_byte_exact(name: str) -> None:
    source = read_text(SOURCES[name])
    document = parse(SOURCES[name])
    assert document.render({}) == source
    assert document.render({s.id: s.text for s in document.segments}) == source


def test_escapes_of_an_untouched_value_are_kept_and_ascii_files_stay_ascii() -> None:
    source = '{\n\t"a": "caf\\u00e9 \\/ \\"x\\"",\n\t"b": "Hello"\n}'  # tabs, no final newline
    document = parse_messages(source, "m.json")
    rendered = document.render({"b": "Hallo wereld – één"})
    assert rendered == '{\n\t"a": "caf\\u00e9 \\/ \\"x\\"",\n\t"b": "Hallo wereld \\u2013 \\u00e9\\u00e9n"\n}'
    utf8 = parse_messages('{"b": "Hello é"}', "m.json").render({"b": "Hallo – één"})
    assert utf8 == '{"b": "Hallo – één"}'


def test_a_leading_bom_and_crlf_are_kept() -> None:
    source = '\ufeff{\r\n  "a": "Hi",\r\n  "b": "There"\r\n}\r\n'
    document = parse_messages(source, "m.json")
    assert [s.line for s in document.segments] == [2, 3]
    assert document.render({"b": "Daar"}) == '\ufeff{\r\n  "a": "Hi",\r\n  "b": "Daar"\r\n}\r\n'


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('{\n  "a__instructions": "x",\n  "a": "A"\n}\n', '{\n  "a": "A"\n}\n'),
        ('{\n  "a": "A",\n  "a__instructions": "x"\n}\n', '{\n  "a": "A"\n}\n'),
        ('{\n  "x__instructions": "1",\n  "y__instructions": "2",\n  "a": "A",\n  "a__instructions": "3",\n'
         '  "b": "B",\n  "b__instructions": "4"\n}\n', '{\n  "a": "A",\n  "b": "B"\n}\n'),
        ('{"a": {"__instructions": "x"}, "b": "B"}', '{"a": {}, "b": "B"}'),
        ('{"$schema": "s", "__instructions": "x"}', '{"$schema": "s"}'),
    ],
)  # fmt: skip
def test_dropped_instructions_leave_valid_json_in_the_source_layout(source: str, expected: str) -> None:
    assert parse_messages(source, "m.json", instructions=Instructions.DROP).render({}) == expected
    assert parse_messages(source, "m.json").render({}) == source  # copied: the source


@pytest.mark.parametrize("name", sorted(SOURCES))
@pytest.mark.parametrize("instructions", list(Instructions))
def test_snapshot_restores_the_same_document(name: str, instructions: Instructions) -> None:
    kind = MessagesKind(None, instructions)
    source = read_text(SOURCES[name])
    document = kind.parse(source, "m.json")
    snapshot = json.loads(json.dumps(document.snapshot()))
    restored = kind.restore(source, snapshot, "m.json")
    assert restored == document
    assert restored is not None and restored.render(pseudo(document)) == document.render(pseudo(document))
    assert restore_messages(source, {**snapshot, "v": 0}, "m.json") is None
    assert restore_messages(source, {**snapshot, "rows": [["a", 1, 0, 1, []]]}, "m.json") is None


_KEYS = st.one_of(
    st.text(st.sampled_from("ab_.$ é"), min_size=1, max_size=6),
    st.sampled_from(["__instructions", "a__instructions", "b_x__instructions"]),
)
_TEXTS = st.text(st.sampled_from('aZ é"\\\n\t{}<u>/&;€\u2028'), max_size=12)
_SPACES = st.sampled_from(["", " ", "\n", "\n  ", "\r\n\t"])


@st.composite
def message_files(draw: st.DrawFn) -> str:
    keys = draw(st.lists(_KEYS, unique=True, max_size=8))
    ascii_only = draw(st.booleans())
    members = []
    for key in keys:
        value = draw(st.one_of(_TEXTS, st.dictionaries(_KEYS, _TEXTS, max_size=3)))
        encoded = json.dumps(value, ensure_ascii=ascii_only)
        members.append(f"{draw(_SPACES)}{json.dumps(key)}{draw(_SPACES)}:{draw(_SPACES)}{encoded}")
    return "{" + ",".join(members) + draw(_SPACES) + "}" + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=300, deadline=None)
@given(message_files(), st.data())
def test_render_is_the_source_with_exactly_the_translated_values(text: str, data: st.DataObject) -> None:
    try:
        document = parse_messages(text, "m.json", format=I18NEXT)
    except PageError as error:  # "a.b" beside {"a": {"b"}}; an instruction that is not a string
        assert "used twice" in error.message or "instruction key" in error.message
        return
    assert document.render({}) == text
    translations = {s.id: data.draw(_TEXTS) for s in document.segments if data.draw(st.booleans())}
    rendered = document.render(translations)
    expected = read_values(text, "m.json", I18NEXT) | translations
    assert read_values(rendered, "m.json", I18NEXT) == expected
    assert document.render(translations) == rendered  # deterministic
    dropped = parse_messages(text, "m.json", format=I18NEXT, instructions=Instructions.DROP)
    without = dropped.render(translations)
    assert read_values(without, "m.json", I18NEXT) == expected

    def keys(value: object) -> list[str]:  # metadata ($…) is kept whole, never looked into
        if isinstance(value, dict):
            return [k for key, item in value.items() for k in (key, *([] if key[:1] == "$" else keys(item)))]
        return []

    assert not any(key.endswith("__instructions") for key in keys(json.loads(without)))
    assert keys(json.loads(without)) == [
        k for k in keys(json.loads(rendered)) if not k.endswith("__instructions")
    ]


# -- bad input -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('{\n  "a": "x",\n  "b": "y"\n  "c": "z"\n}\n', 4, "invalid JSON: Expecting ',' delimiter"),
        ('{\n  "a": "x",\n}\n', 3, "invalid JSON"),
        ('{\n  "a": "x",\n  "b": "y",\n  "a": "z"\n}\n', 4, "duplicate key 'a' (first at line 2)"),
        ('{\n  "n": {\n    "a": "x",\n    "a": "y"\n  }\n}\n', 4, "duplicate key 'a' (first at line 3)"),
        ('{\n  "a": "x",\n  "b": 3\n}\n', 3, "key 'b': expected a string (the message's text), got a number"),
        ('{\n  "a": true\n}', 2, "key 'a': expected a string (the message's text), got a boolean"),
        ('{\n  "a": null\n}', 2, "got null"),
        ('{"a": "x",\n "a__instructions": 1}', 2, "instruction key 'a__instructions': expected a string"),
        ("[1, 2]", 1, "a message file holds a JSON object, not an array"),
        ('{"a": NaN}', None, "invalid JSON: NaN is not JSON"),
    ],
)
def test_bad_input_names_the_file_and_line(text: str, line: int | None, message: str) -> None:
    with pytest.raises(PageError) as caught:
        parse_messages(text, "messages/en.json")
    assert caught.value.path == "messages/en.json"
    assert caught.value.line == line
    assert message in caught.value.message


def test_nested_values_in_a_flat_file_and_ambiguous_paths_are_errors() -> None:
    with pytest.raises(PageError, match=r"got an object \(nested messages need format = \"i18next\"\)"):
        parse_messages('{"$schema": "inlang", "a": {"b": "x"}}', "m.json", format=INLANG)
    with pytest.raises(PageError) as caught:
        parse_messages('{"a.b": "x",\n "a": {"b": "y"}}', "m.json")
    assert "key path 'a.b' is used twice (also at line 1)" in caught.value.message
    assert caught.value.line == 2


# -- the message rule for engines and checks -------------------------------------------------------------


def test_syntax_of_messages() -> None:
    text = "Hi {name}, {{count}} {n, plural, one {# item} other {# items}} $t(a.b) @:c.d <u>x</u> &amp; {open"
    found = [text[s:e] for s, e, _ in syntax(text)]
    assert found == ["{name}", "{{count}}", "{n, plural, one {# item} other {# items}}", "$t(a.b)", "@:c.d",
                     "<u>", "</u>", "&amp;"]  # fmt: skip


def test_message_encoding_keeps_tags_and_variables_away_from_the_engine() -> None:
    encoded = encode_message("WE NEED TO ACT <u>RIGHT NOW</u>, {name}! *not* `markdown` [x](y)")
    assert encoded.xml == 'WE NEED TO ACT <span i="1">RIGHT NOW</span>, <x i="2"/>! *not* `markdown` [x](y)'
    assert decode(
        encoded, '<x i="2"/>, WE MOETEN <span i="1">NU</span> HANDELEN! *niet* `markdown` [x](y)'
    ) == ("{name}, WE MOETEN <u>NU</u> HANDELEN! *niet* `markdown` [x](y)")
    assert encode("*not*").xml == '<em i="1">not</em>'  # the markdown rule is another rule
    with pytest.raises(MarkupError, match="missing"):
        decode(encoded, "WE MOETEN NU HANDELEN")
    unpaired = encode_message("<b>a <i>b</b> c</i> <br/> {x")
    assert unpaired.xml == '<span i="1">a <x i="2"/>b</span> c<x i="3"/> <x i="4"/> {x'
    assert decode(unpaired, unpaired.xml) == "<b>a <i>b</b> c</i> <br/> {x"


@pytest.mark.parametrize(
    ("source", "translation", "problem"),
    [
        ("WE NEED TO ACT <u>RIGHT NOW</u>", "WE MOETEN NU HANDELEN", Problem.HTML),
        ("Hi {name}", "Hoi {naam}", Problem.PLACEHOLDERS),
        ("Hi {{name}}", "Hoi {name}", Problem.PLACEHOLDERS),
        ("Read $t(more)", "Lees meer", Problem.PLACEHOLDERS),
        ("Save", " ", Problem.EMPTY),
        (None, None, None),
    ],
)
def test_checks_of_a_message(source: str | None, translation: str | None, problem: Problem | None) -> None:
    if source is None or translation is None:  # what passes: markdown-looking text is just text
        assert check_translation("*a* b\n\nc", "*a b\n- c", SegmentKind.MESSAGE) == ()
        assert check_translation("Hi <u>{name}</u>", "<u>{name}</u>, hoi", SegmentKind.MESSAGE) == ()
        return
    assert [v.problem for v in check_translation(source, translation, SegmentKind.MESSAGE)] == [problem]


def test_catalog_entries_of_messages_are_keyed_and_carry_instructions() -> None:
    document = parse_messages('{\n"a": "Donate",\n"b": "Donate",\n"b__instructions": "Short."\n}', "m.json")
    a, b = fresh_messages(document.segments, "messages/en.json")
    assert (a.context, b.context) == ("a", "b")  # equal texts under different keys stay apart
    assert a.locations == (("messages/en.json", 2),)
    assert b.notes == ("message", "b__instructions: Short.")
    assert context_of(a) == () and context_of(b) == ("b__instructions: Short.",)


def test_context_of_joins_lines_a_po_tool_wrapped() -> None:
    message = Message(
        "Act",
        notes=(
            "message",
            "header__instructions: All translations prefixed with 'header_' should be as",
            "short as possible.",
            "header_action__instructions: German: Handeln",
        ),
    )
    assert context_of(message) == (
        "header__instructions: All translations prefixed with 'header_' should be as short as possible.",
        "header_action__instructions: German: Handeln",
    )
    assert context_of(Message("Hi", notes=("heading (anchor: #hi)",))) == ()
