"""Markdown flavours: golden fixtures per flavour, what each flavour's syntax becomes, auto-detection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from i18n import PageError, RenderError, SegmentKind, parse_page
from i18n.checks import check_translation
from i18n.markdown.flavours import flavour, flavour_names
from i18n.markdown.flavours.detect import page_flavour, site_flavour, site_folders
from i18n.markdown.page import Page
from i18n.mt.pseudo import pseudo_localize
from i18n.mt.xmlmarkup import decode, encode

from .support import FIXTURES, SHARED, golden, read_text

# Every registered flavour runs through these suites, the example flavour (tests/example_flavour.py) too.
pytestmark = pytest.mark.usefixtures("with_example_flavour")

FLAVOURS = FIXTURES / "flavours"
PAGES = sorted(p for p in FLAVOURS.glob("*/*") if p.suffix in (".md", ".mdx"))
GENERATOR_PAGES = sorted((Path(__file__).parent / "generators" / "mdx" / "pages").iterdir())
SAMPLES = (
    sorted(p for p in (SHARED / "corpus" / "flavours").glob("*/*") if p.suffix in (".md", ".mdx"))
    if (SHARED / "corpus" / "flavours").is_dir()
    else []
)


def pseudo(page: Page) -> dict[str, str]:
    """What the pseudo engine makes of every segment, through the XML encoder and the machine checks
    (a translation that fails them is left out, as translate does)."""
    translations = {}
    for segment in page.segments:
        encoded = encode(segment.text)
        text = decode(encoded, pseudo_localize(encoded.xml, encoded.ignore_tags))
        if not check_translation(segment.text, text, segment.kind, machine=True):
            translations[segment.id] = text
    return translations


def rows(page: Page) -> str:
    found = [
        {"id": s.id, "kind": s.kind.value, "line": s.line, "anchor": s.anchor, "text": s.text}
        for s in page.segments
    ]
    return json.dumps(found, ensure_ascii=False, indent=1) + "\n"


def fixture(path: Path) -> Page:
    return parse_page(read_text(path), path=path.name, flavour=flavour(path.parent.name))


# -- golden fixtures ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden_segments(path: Path) -> None:
    golden(path.parent / "golden" / f"{path.name}.segments.json", rows(fixture(path)))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden_pseudo_output(path: Path) -> None:
    page = fixture(path)
    translations = pseudo(page)
    assert len(translations) == len(page.segments), "every segment passes the checks"
    golden(path.parent / "golden" / f"{path.stem}.pseudo{path.suffix}", page.render(translations))


@pytest.mark.parametrize("path", PAGES + SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_identity_is_byte_exact_in_every_flavour(path: Path) -> None:
    source = read_text(path)
    for name in flavour_names():
        page = parse_page(source, path=path.name, flavour=flavour(name))
        assert page.render({}) == source, name
        assert page.render({s.id: s.text for s in page.segments}) == source, name


@pytest.mark.parametrize("path", GENERATOR_PAGES, ids=lambda p: p.name)
def test_mdx_compiler_fixtures_are_byte_exact_without_the_compiler(path: Path) -> None:
    """The pages tests/test_generator_mdx.py compiles, read as MDX and as CommonMark (a Starlight
    ``.md``): identity, and a pseudo translation that parses back to the same segments."""
    source = read_text(path)
    for name in ("mdx", "commonmark"):
        page = parse_page(source, path=path.name, flavour=flavour(name))
        assert page.render({}) == source, name
        assert page.render({s.id: s.text for s in page.segments}) == source, name
        again = parse_page(page.render(pseudo(page)), flavour=flavour(name))
        assert [s.kind for s in again.segments] == [s.kind for s in page.segments], name


@pytest.mark.parametrize("path", PAGES + SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pseudo_build_keeps_the_structure(path: Path) -> None:
    """The pseudo translation of every segment renders (structure check) and parses back to the same
    segments; rendering its own segments again is identity."""
    name = path.parent.name if path.parent.name in flavour_names() else "commonmark"
    page = parse_page(read_text(path), path=path.name, flavour=flavour(name))
    rendered = page.render(pseudo(page))
    again = parse_page(rendered, flavour=flavour(name))
    assert [s.kind for s in again.segments] == [s.kind for s in page.segments]
    if flavour(name).inject_anchors:  # translated headings keep the English ids, so every id stays
        assert [s.id for s in again.segments] == [s.id for s in page.segments]
    assert again.render({s.id: s.text for s in again.segments}) == rendered


def test_every_flavour_has_a_fixture_and_the_default_is_auto_fallback() -> None:
    from i18n.markdown.flavours import DEFAULT

    assert {p.parent.name for p in PAGES} == set(flavour_names())
    assert flavour(DEFAULT).name == DEFAULT and parse_page("# A\n").flavour is flavour(DEFAULT)


# -- what each flavour makes of its syntax --------------------------------------------------------------


def texts(source: str, name: str) -> list[tuple[str, str]]:
    return [(s.kind.value, s.text) for s in parse_page(source, flavour=flavour(name)).segments]


@pytest.mark.parametrize(
    ("name", "source", "expected"),
    [
        (
            "mkdocs",
            '!!! note "Read me"\n    Body words.\n',
            [("title", "Read me"), ("paragraph", "Body words.")],
        ),
        ("mkdocs", "??? tip\n    Hidden words.\n", [("paragraph", "Hidden words.")]),
        ("mkdocs", '=== "Tab one"\n    Tab words.\n', [("title", "Tab one"), ("paragraph", "Tab words.")]),
        (
            "mkdocs",
            "/// note | Title words\n    type: x\n\nBody.\n///\n",
            [("title", "Title words"), ("paragraph", "Body.")],
        ),
        ("mkdocs", "/// html | div.result\nBody.\n///\n", [("paragraph", "Body.")]),
        ("mkdocs", '--8<-- "file.md"\n', []),
        ("mkdocs", "*[HTML]: Hyper Text\n", [("attribute", "Hyper Text")]),
        ("mkdocs", "Term\n:   Meaning words.\n", [("term", "Term"), ("paragraph", "Meaning words.")]),
        ("mkdocs", "\\begin{align}\nx words\n\\end{align}\n", []),
        ("mkdocs", "## Title {: #my-id .wide }\n", [("heading", "Title")]),
        ("hugo", '{{< figure src="a.png" alt="Alt words" >}}\n', [("attribute", "Alt words")]),
        ("hugo", "{{% notice %}}\nWrapped words.\n{{% /notice %}}\n", [("paragraph", "Wrapped words.")]),
        ("hugo", "{{< highlight go >}}\ncode words\n{{< /highlight >}}\n", []),
        ("hugo", '{{< img\n  src="x"\n  title="A title"\n>}}\n', [("attribute", "A title")]),
        ("hugo", "Term\n: Meaning.\n", [("term", "Term"), ("paragraph", "Meaning.")]),
        ("mdx", "import { A } from 'a';\nexport const b = 1;\n", []),
        ("mdx", "{/* a comment with words */}\n", []),
        (
            "mdx",
            "<FileTree>\n\n- src/\n  - **index.md**\n  - guide.md the main guide\n\n</FileTree>\n",
            [("paragraph", "guide.md the main guide")],
        ),
        (
            "mdx",
            "export const a = {\n  b: 'x',\n\n  c: `some\n\nwords`\n}\n\nText.\n",
            [("paragraph", "Text.")],
        ),
        ("mdx", "export const a = '{' // {\n\nText.\n", [("paragraph", "Text.")]),
        ("mdx", "{\n  /**\n   * @import {A} from './a.js'\n   */\n}\n\nText.\n", [("paragraph", "Text.")]),
        (
            "mdx",
            '<Card title="Moons" icon="moon">\n\tInside words.\n</Card>\n',
            [("attribute", "Moons"), ("paragraph", "Inside words.")],
        ),
        ("mdx", "<Aside>One line of words.</Aside>\n", [("paragraph", "One line of words.")]),
        ("mdx", "<Preview\n  config={[{ label: 'js words' }]}\n/>\n", []),
        ("mdx", "    not code in MDX\n", [("paragraph", "not code in MDX")]),
        ("mdx", "# {frontmatter.title}\n\n{name}\n", []),
        (
            "commonmark",
            ':::tip[Did you know?]{icon="x"}\nAside words.\n:::\n',
            [("title", "Did you know?"), ("paragraph", "Aside words.")],
        ),
        (
            "commonmark",
            ":::note Docusaurus title\nWords.\n:::\n",
            [("title", "Docusaurus title"), ("paragraph", "Words.")],
        ),
        (
            "commonmark",
            "- [ ] open task\n- [x] done task\n",
            [("paragraph", "open task"), ("paragraph", "done task")],
        ),
        ("commonmark", "> [!NOTE]\n> Alert words.\n", [("paragraph", "Alert words.")]),
        ("commonmark", "> [!tip] Obsidian title\n> Body.\n", [("paragraph", "Obsidian title\nBody.")]),
        (
            "commonmark",
            "Text[^1].\n\n[^1]: Note words.\n",
            [("paragraph", "Text[^1]."), ("paragraph", "Note words.")],
        ),
        ("commonmark", "$$\nx = words\n$$\n", []),
        (
            "commonmark",
            '![Alt words](/a.png "Title words")\n',
            [("image-alt", "Alt words"), ("attribute", "Title words")],
        ),
        ("commonmark", "++ctrl+c++ :smile: $x$\n", []),
        ("svelte", "{#if shown}\n", []),
    ],
)
def test_flavour_syntax(name: str, source: str, expected: list[tuple[str, str]]) -> None:
    assert texts(source, name) == expected


@pytest.mark.parametrize(
    ("source", "kept"),
    [
        ('!!! note "Read me"\n    Body.\n', '!!! note "'),
        ('=== "Tab one"\n    Tab words.\n', '=== "'),
        ("/// note | Title\n    type: warning\n\nBody.\n///\n", "    type: warning\n"),
        ("*[HTML]: Hyper Text\n", "*[HTML]: "),
        ("Term\n:   Meaning words.\n", "\n:   "),
    ],
)
def test_mkdocs_markers_are_kept(source: str, kept: str) -> None:
    page = parse_page(source, flavour=flavour("mkdocs"))
    rendered = page.render({s.id: "Vertaald" for s in page.segments})
    assert kept in rendered and "Vertaald" in rendered


def test_quoted_titles_and_attribute_values_are_escaped() -> None:
    page = parse_page(
        '!!! note "Title"\n    Body.\n\n<img src="a.png" alt="Alt">\n', flavour=flavour("mkdocs")
    )
    rendered = page.render({s.id: 'Say "hi"' for s in page.segments})
    assert '!!! note "Say &quot;hi&quot;"' in rendered
    assert 'alt="Say &quot;hi&quot;"' in rendered
    image = parse_page('![Alt](/a.png "Title")\n')
    assert (
        image.render({"_/p1/title": 'A "quoted" \\ title'}) == '![Alt](/a.png "A \\"quoted\\" \\\\ title")\n'
    )


def test_translated_mdx_headings_get_no_anchor_and_hugo_mkdocs_headings_do() -> None:
    for name, expected in (("mdx", "## Vertaald\n"), ("hugo", "## Vertaald {#a-heading}\n")):
        page = parse_page("## A heading\n", flavour=flavour(name))
        assert page.render({s.id: "Vertaald" for s in page.segments}) == expected
    assert parse_page("## A heading {#own}\n", flavour=flavour("mdx")).segments[0].text == "A heading {#own}"
    mkdocs = parse_page("## Café & co\n\n## Café & co\n", flavour=flavour("mkdocs"))
    assert [s.anchor for s in mkdocs.segments] == ["cafe-co", "cafe-co_1"]  # Python-Markdown's toc
    commonmark = parse_page("## A heading\n", flavour=flavour("commonmark"))
    assert commonmark.render({"h:a-heading": "Vertaald"}) == "## Vertaald\n"


def test_mkdocs_heading_with_attribute_list_but_no_id_keeps_it_and_gets_the_english_id_in_it() -> None:
    page = parse_page("## A heading {: .wide }\n", flavour=flavour("mkdocs"))
    assert page.segments[0].text == "A heading"
    assert page.render({s.id: "Vertaald" for s in page.segments}) == "## Vertaald {: #a-heading .wide }\n"


def test_render_refuses_a_translation_that_changes_flavour_syntax() -> None:
    page = parse_page("{{< x >}}\n\nWords here.\n", flavour=flavour("hugo"))
    with pytest.raises(RenderError):
        page.render({"_/p1": "Woorden\n\n{{< y >}}"})
    mdx = parse_page("<Card>\nWords here.\n</Card>\n", flavour=flavour("mdx"))
    with pytest.raises(RenderError):
        mdx.render({"_/p1": "Woorden\n</Card>\n<Other>"})


def test_checks_keep_the_shared_inline_syntax() -> None:
    kind = SegmentKind.PARAGRAPH
    for source, bad in (
        ("Press ++ctrl+c++ now", "Druk nu"),
        ("An :smile: here", "Een glimlach hier"),
        ("Math $x^2$ here", "Wiskunde $y^2$ hier"),
        ("A {++new++} word", "Een nieuw woord"),
        ("Text[^1] here", "Tekst hier"),
        ("A {{< ref x >}} link", "Een link"),
    ):
        assert [v.problem.value for v in check_translation(source, bad, kind)] == ["placeholders"], source
    assert check_translation("A {++new++} word", "Een {++nieuw++} woord", kind) == ()
    assert check_translation("Costs $5 or $10", "Kost $5 of $10 euro", kind) == ()  # not math
    assert check_translation("Press ++A++", "Druk op A", SegmentKind.MESSAGE) == ()  # not markdown


def test_encoder_sends_the_shared_inline_syntax_as_placeholders() -> None:
    encoded = encode("Press ++ctrl+c++, see :smile:, $x$, {++a++} and [^1].")
    assert encoded.xml.count("<x ") == 6
    assert "ctrl" not in encoded.xml and "smile" not in encoded.xml


# -- property: identity in every flavour -----------------------------------------------------------------

_FRAGMENTS = [
    "word",
    "Two words",
    " ",
    "    ",
    "\t",
    "- ",
    "1. ",
    "> ",
    "# ",
    "```",
    '!!! note "T"',
    "??? tip",
    '=== "Tab"',
    "/// note | T",
    "///",
    "--8<--",
    '--8<-- "f.md"',
    "*[X]: y",
    ": ",
    ":::note[T]",
    ":::",
    "{{< x >}}",
    "{{% y %}}",
    "{{< /x >}}",
    "{{< img\n",
    ">}}",
    "import a from 'b'",
    "export const c = 1",
    '<Card title="T">',
    "</Card>",
    "<A x={[1, 2]}\n",
    "/>",
    "{/* c */}",
    "{",
    "}",
    "$$",
    "$x$",
    "\\[",
    "\\]",
    "++ctrl++",
    ":smile:",
    "{++a++}",
    "[^1]",
    "[^1]: ",
    "[ ] ",
    "[!NOTE]",
    "<p>text</p>",
    '<img alt="A">',
    "{#id}",
    "{: .c }",
    '"',
    "+++",
    "---",
]
_line = st.lists(st.sampled_from(_FRAGMENTS), max_size=5).map("".join)
_pages = st.lists(st.tuples(_line, st.sampled_from(["\n", "\r\n", "\n\n"])), max_size=12).map(
    lambda pairs: "".join(text + end for text, end in pairs)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_pages, st.deferred(lambda: st.sampled_from(flavour_names())))  # (registered when it runs)
def test_identity_and_translation_never_corrupt_in_any_flavour(source: str, name: str) -> None:
    try:
        page = parse_page(source, flavour=flavour(name))
    except PageError as exc:
        assert "frontmatter" in exc.message
        return
    assert page.render({}) == source
    assert page.render({s.id: s.text for s in page.segments}) == source
    translations = {s.id: "Vertaald " + s.text for s in page.segments if s.kind is not SegmentKind.HTML}
    try:
        rendered = page.render(translations)
    except RenderError:
        return  # refused: nothing written
    again = parse_page(rendered, flavour=flavour(name))
    assert [s.kind for s in again.segments] == [s.kind for s in page.segments]
    assert page.render(translations) == rendered  # deterministic


# -- auto-detection ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "text", "site", "expected"),
    [
        ("a.mdx", "# T\n", "mkdocs", "mdx"),
        ("a.md", "# T\n", "mkdocs", "mkdocs"),
        ("a.md", "+++\ntitle = 'x'\n+++\n", None, "hugo"),
        ("a.md", '\n{\n  "title": "x"\n}\n', None, "hugo"),
        ("a.md", "Text {{< x >}} here\n", None, "hugo"),
        ("a.md", '!!! note "x"\n    y\n', None, "mkdocs"),
        ("a.md", '=== "Tab"\n    y\n', None, "mkdocs"),
        ("a.md", "/// tip | x\ny\n///\n", None, "mkdocs"),
        ("a.md", "---\ntitle: x\n---\nPlain.\n", None, "svelte"),
        ("a.md", "+++\ntitle = 'x'\n+++\n", "commonmark", "commonmark"),
    ],
)
def test_auto_detection(location: str, text: str, site: str | None, expected: str) -> None:
    assert page_flavour("auto", site, location, text) == expected
    assert page_flavour("mkdocs", site, location, text) == "mkdocs"  # a setting is not auto


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        ("mkdocs.yml", "mkdocs"),
        ("hugo.toml", "hugo"),
        ("svelte.config.js", "svelte"),
        ("docusaurus.config.ts", "mdx"),
        ("astro.config.mjs", "commonmark"),
    ],
)
def test_site_flavour_from_the_generators_configuration_file(
    tmp_path: Path, marker: str, expected: str
) -> None:
    content = tmp_path / "site" / "content"
    content.mkdir(parents=True)
    assert site_flavour(site_folders(tmp_path, content)) is None
    (tmp_path / "site" / marker).write_text("", encoding="utf-8")
    assert site_flavour(site_folders(tmp_path, content)) == expected


def test_an_unknown_flavour_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown markdown flavour"):
        flavour("jekyll")
