"""Frontmatter in YAML, TOML and JSON: detected and read through python-frontmatter's handlers, values
spliced back byte-exactly in their own syntax; each flavour reads the formats its generator reads (Hugo
all three, MDX and mdsvex YAML only)."""

from __future__ import annotations

import json
import tomllib

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n import PageError, parse_page
from i18n.markdown.flavours import flavour as named
from i18n.markdown.frontmatter import find_frontmatter, toml_string

TOML = (
    "+++\ntitle = \"Organising an event\"\ndescription = 'Venue, press, budget.'\ndate = 2024-05-01\n\n"
    '[params]\ntitle = "a table key"\n+++\n\nBody.\n'
)
JSON = '{\n  "title": "Press contacts",\n  "description": "Who to call",\n  "weight": 20\n}\n\nBody.\n'


def test_toml_frontmatter_values_are_segments_and_other_keys_are_not() -> None:
    page = parse_page(TOML, flavour=named("hugo"))
    assert [(s.id, s.text, s.line) for s in page.segments[:2]] == [
        ("fm:title", "Organising an event", 2),
        ("fm:description", "Venue, press, budget.", 3),
    ]
    assert [s.id for s in page.segments] == ["fm:title", "fm:description", "_/p1"]
    assert page.render({}) == TOML


def test_toml_values_are_written_in_toml_and_keep_the_quoting_style() -> None:
    page = parse_page(TOML, flavour=named("hugo"))
    rendered = page.render({"fm:title": 'Een "evenement"', "fm:description": "Zaal, pers, budget."})
    assert 'title = "Een \\"evenement\\""\n' in rendered
    assert "description = 'Zaal, pers, budget.'\n" in rendered
    data = tomllib.loads(rendered.split("+++")[1])
    assert data["title"] == 'Een "evenement"' and data["params"]["title"] == "a table key"
    literal = parse_page(TOML, flavour=named("hugo")).render(
        {"fm:description": "It's here"}
    )  # a literal string cannot hold '
    assert tomllib.loads(literal.split("+++")[1])["description"] == "It's here"


@pytest.mark.parametrize("value", ["plain", "it's", 'a "q"', "back\\slash", "tab\there", "del\x7f", "ünï"])
def test_toml_strings_load_back(value: str) -> None:
    for style in ('toml"', "toml'", 'toml"""'):
        assert tomllib.loads(f"k = {toml_string(value, style)}")["k"] == value


def test_multiline_toml_string_is_replaced_whole() -> None:
    source = '+++\ntitle = """A\nlong title"""\n+++\n'
    page = parse_page(source, flavour=named("hugo"))
    assert page.segments[0].text == "A\nlong title"
    assert tomllib.loads(page.render({"fm:title": "Kort"}).split("+++")[1])["title"] == "Kort"


def test_json_frontmatter_is_read_and_written_as_json() -> None:
    page = parse_page(JSON, flavour=named("hugo"))
    assert [(s.id, s.text, s.line) for s in page.segments[:2]] == [
        ("fm:title", "Press contacts", 2),
        ("fm:description", "Who to call", 3),
    ]
    rendered = page.render({"fm:title": 'Pers "contacten"', "fm:description": "Wie bel je"})
    head = rendered[: rendered.index("}") + 1]
    assert json.loads(head) == {"title": 'Pers "contacten"', "description": "Wie bel je", "weight": 20}
    assert rendered.endswith("}\n\nBody.\n") or rendered.endswith("\n\nBody.\n")
    assert page.render({}) == JSON


def test_semicolon_fenced_json_frontmatter() -> None:
    source = ';;;\n{"title": "Semicolons"}\n;;;\nBody.\n'
    page = parse_page(source, flavour=named("hugo"))
    assert page.segments[0].text == "Semicolons"
    assert '{"title": "Puntkomma"}' in page.render({"fm:title": "Puntkomma"})


def test_yaml_frontmatter_still_keeps_its_quoting() -> None:
    source = "---\ntitle: 'Plain'\ndescription: \"Quoted\"\n---\n"
    page = parse_page(source)
    rendered = page.render({"fm:title": "It's", "fm:description": "Een"})
    assert yaml.safe_load(rendered.split("---")[1]) == {"title": "It's", "description": "Een"}
    assert "title: 'It''s'" in rendered


@pytest.mark.parametrize(
    ("source", "message", "line"),
    [
        ('+++\ntitle = "x\n+++\n', "unparseable frontmatter", 2),
        ('{\n  "title": "x",\n  oops\n}\n', "unparseable frontmatter", 3),
        ("---\ntitle: [x\n---\n", "unparseable frontmatter", 3),
    ],
)
def test_bad_frontmatter_names_the_line(source: str, message: str, line: int) -> None:
    with pytest.raises(PageError) as caught:
        parse_page(source, path="bad.md", flavour=named("hugo"))
    assert message in caught.value.message and caught.value.line == line and "bad.md" in str(caught.value)


def test_formats_are_detected_by_their_delimiter() -> None:
    for text, expected in (
        ("---\na: b\n---\n", "yaml"),
        ("+++\na = 'b'\n+++\n", "toml"),
        ('{\n"a": "b"\n}\n', "json"),
    ):
        found = find_frontmatter(text, ("a",))
        assert found is not None and found.format == expected and found.data(text) == {"a": "b"}
    assert find_frontmatter("No frontmatter\n", ("a",)) is None


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40))
def test_any_translated_value_loads_back_in_every_format(value: str) -> None:
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()  # as render normalises a translation
    if not value:
        return
    for source, load in (
        (TOML, lambda t: tomllib.loads(t.split("+++")[1])["title"]),
        (JSON, lambda t: json.loads(t[: t.index("\n}\n") + 2])["title"]),
        ("---\ntitle: x\n---\n", lambda t: yaml.safe_load(t.split("---")[1])["title"]),
    ):
        rendered = parse_page(source, flavour=named("hugo")).render({"fm:title": value})
        assert load(rendered) == value


# -- the formats each generator reads ---------------------------------------------------------------------

ESM_FIRST = "{\n  /**\n   * @import {Item} from './config.js'\n   */\n}\n\n# Blog\n\nThe latest news.\n"


def test_an_mdx_page_starting_with_an_expression_is_not_json_frontmatter() -> None:
    """MDX reads YAML frontmatter or none: a leading ``{`` (an ESM comment block) is an expression, kept as
    written, and the page's prose is read (it used to stop the run: unparseable JSON frontmatter)."""
    page = parse_page(ESM_FIRST, flavour=named("mdx"), path="blog.mdx")
    assert [(s.id, s.text, s.line) for s in page.segments] == [
        ("h:blog", "Blog", 7),
        ("blog/p1", "The latest news.", 9),
    ]
    rendered = page.render({"h:blog": "Nieuws", "blog/p1": "Het laatste nieuws."})
    assert rendered == ESM_FIRST.replace("# Blog", "# Nieuws").replace(
        "The latest news.", "Het laatste nieuws."
    )
    with pytest.raises(PageError, match="unparseable frontmatter"):  # Hugo reads it as JSON frontmatter
        parse_page(ESM_FIRST, flavour=named("hugo"), path="blog.md")


@pytest.mark.parametrize(
    ("flavour", "formats"),
    [
        ("hugo", {"yaml", "toml", "json"}),
        ("mdx", {"yaml"}),
        ("svelte", {"yaml"}),
        ("mkdocs", {"yaml"}),
        ("commonmark", {"yaml", "toml"}),
    ],
)
def test_each_flavour_reads_the_frontmatter_formats_of_its_generator(flavour: str, formats: set[str]) -> None:
    """A block in a format the generator does not read is the page's body there, kept byte for byte."""
    sources = {
        "yaml": "---\ntitle: Yaml\n---\n",
        "toml": "+++\ntitle = 'Toml'\n+++\n",
        "json": '{\n"title": "Json"\n}\n',
    }
    for name, source in sources.items():
        page = parse_page(source + "\nBody.\n", flavour=named(flavour))
        read = [s.text for s in page.segments if s.id == "fm:title"]
        assert read == ([name.capitalize()] if name in formats else []), (flavour, name)
        assert page.render({}) == source + "\nBody.\n"
