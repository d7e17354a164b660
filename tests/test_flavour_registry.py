"""The flavours' registry: every flavour is one module and one entry; the configuration's choices, the
CLI's ``--flavour``, detection and the parsers derive from the entries, and a flavour is resolved once
into a ``Flavour`` object that travels (also to worker processes) as that object. An example flavour
(tests/example_flavour.py) proves the shape; the per-flavour suites (test_flavours, test_render_proof)
run it like the built-in ones."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

from i18n.cli import main
from i18n.config import Config, config_from_mapping, load_config
from i18n.errors import ConfigError
from i18n.jobs.documents import markdown_kind
from i18n.jobs.init import init_site
from i18n.jobs.sitescan import scan_site
from i18n.markdown.flavours import (
    AUTO,
    Flavour,
    choices,
    entries,
    flavour,
    flavour_names,
    register,
    unregister,
)
from i18n.markdown.flavours.detect import page_flavour, site_markers
from i18n.markdown.kind import MarkdownKind
from i18n.markdown.parser import block_parser

from . import example_flavour

WIKI_PAGE = "# Notes\n\nSee [[Home]] for more.\n\n[[Home]] · [[Index]]\n\n%% kept\nas written %%\n"


def load_config_for(tmp_path: Path, **settings: object) -> Config:
    return config_from_mapping({"languages": ["nl"], **settings}, tmp_path)


def _config(tmp_path: Path, **settings: object) -> object:
    return config_from_mapping({"languages": ["nl"], **settings}, tmp_path)


@pytest.mark.parametrize("name", flavour_names())
def test_every_registered_flavour_module_declares_its_flavour(name: str) -> None:
    found = flavour(name)
    assert isinstance(found, Flavour) and found.name == name and found.base == name
    assert found is flavour(name)  # resolved once: one object per name
    assert block_parser(found) is block_parser(found)  # and one parser per flavour


def test_the_configuration_accepts_exactly_the_registered_flavours(tmp_path: Path) -> None:
    assert choices() == (AUTO, *flavour_names())
    for name in choices():
        assert _config(tmp_path, flavour=name).flavour.value == name  # type: ignore[attr-defined]
    with pytest.raises(ConfigError, match=r"flavour: .*\('mkdoc'\) \(did you mean 'mkdocs'\?\)"):
        _config(tmp_path, flavour="mkdoc")
    with pytest.raises(ConfigError, match="expected 'auto' or 'commonmark' or 'svelte'"):
        _config(tmp_path, flavour="wiki")


def test_an_example_flavour_is_one_module_and_one_entry(tmp_path: Path) -> None:
    entry = example_flavour.ENTRY
    assert entry.name not in flavour_names()
    register(entry)
    try:
        assert entry.name in flavour_names() and entry.name in choices()
        wiki = flavour(entry.name)
        assert wiki is example_flavour.FLAVOUR
        assert _config(tmp_path, flavour="wiki").flavour.value == "wiki"  # type: ignore[attr-defined]
        page = MarkdownKind(flavour="wiki").parse(WIKI_PAGE, "notes.md")
        assert page.flavour is wiki
        assert [s.text for s in page.segments] == ["Notes", "See [[Home]] for more."]
        assert page.render({}) == WIKI_PAGE
        # detection: the page's wiki links, ranked after every built-in rule
        assert page_flavour(AUTO, None, "notes.md", WIKI_PAGE) == "wiki"
        assert page_flavour(AUTO, None, "n.md", '!!! note "T"\n    [[Home]]\n') == "mkdocs"
        # the CLI's choices
        source = tmp_path / "notes.md"
        source.write_text(WIKI_PAGE, encoding="utf-8")
        result = CliRunner().invoke(main, ["segments", "--flavour", "wiki", str(source)])
        assert result.exit_code == 0, result.output
        assert "(wiki flavour)" in result.output and "2 segments in" in result.output
    finally:
        unregister(entry.name)
    assert entry.name not in choices()
    with pytest.raises(ValueError, match="unknown markdown flavour 'wiki'"):
        flavour("wiki")
    result = CliRunner().invoke(main, ["segments", "--flavour", "wiki", str(source)])
    assert result.exit_code == 2 and "'wiki' is not one of" in result.output


def test_init_finds_a_registered_flavours_site(tmp_path: Path) -> None:
    """``i18n init`` names the generator and looks in its content folder from the entry alone."""
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".obsidian" / "app.json").write_text("{}", encoding="utf-8")
    (tmp_path / "vault").mkdir()
    (tmp_path / "vault" / "notes.md").write_text(WIKI_PAGE, encoding="utf-8")
    assert scan_site(tmp_path).generator is None
    register(example_flavour.ENTRY)
    try:
        site = scan_site(tmp_path)
        assert (site.generator, site.marker, site.content) == ("wiki", ".obsidian/app.json", "vault")
        init_site(tmp_path, ["nl"])
        table = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
        assert '"mdx", "wiki".\n# Found: a Obsidian site (.obsidian/app.json).' in table
        assert 'content_dir = "vault"' in table
    finally:
        unregister(example_flavour.ENTRY.name)


def test_a_flavours_site_settings_are_read_through_its_entry(tmp_path: Path) -> None:
    """The example's ``site`` reader (``.obsidian/app.json``'s ``slugFolders``): a translated page in such
    a folder keeps its English title as ``slug``; a page elsewhere, or a vault read before the flavour is
    registered, pins nothing. No other module knows the flavour."""
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".obsidian" / "app.json").write_text('{"slugFolders": ["journal"]}', encoding="utf-8")
    page = "---\ntitle: Monday notes\n---\n\nSee [[Home]] for more.\n"
    config = load_config_for(tmp_path, content_dir="vault")
    translations = {"fm:title": "Maandagnotities"}
    unpinned = markdown_kind(config).parse(page, "vault/journal/monday.md").render(translations)
    assert unpinned == page.replace("Monday notes", "Maandagnotities")
    register(example_flavour.ENTRY)
    try:
        kind = markdown_kind(config)
        assert kind.site == "wiki" and kind.site_settings == (
            "wiki",
            example_flavour.WikiSite(("vault/journal/",)),
        )
        pinned = kind.parse(page, "vault/journal/monday.md").render(translations)
        assert pinned == '---\ntitle: Maandagnotities\nslug: "Monday notes"\n---\n\nSee [[Home]] for more.\n'
        assert kind.parse(page, "vault/other.md").render(translations) == unpinned
        assert pickle.loads(pickle.dumps(kind)) == kind  # travels to worker processes
    finally:
        unregister(example_flavour.ENTRY.name)


def test_init_finds_the_content_folder_a_sites_configuration_names(tmp_path: Path) -> None:
    """MkDocs' ``docs_dir``, read by its entry's ``site_content``, comes before its usual ``docs/``."""
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: pages/\n", encoding="utf-8")
    for folder in ("pages", "docs"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "index.md").write_text("# Hi\n", encoding="utf-8")
    entry = next(e for e in entries() if e.name == "mkdocs")
    assert entry.site_content is not None and entry.site_content(tmp_path) == "pages"
    assert scan_site(tmp_path).content == "pages"
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    assert scan_site(tmp_path).content == "docs"


def test_detection_reads_the_entries(tmp_path: Path) -> None:
    markers = dict(site_markers())
    assert markers["mkdocs"] == ("mkdocs.yml", "mkdocs.yaml")
    assert [name for name, _ in site_markers()] == ["mkdocs", "hugo", "svelte", "mdx", "commonmark"]
    assert {e.name for e in entries() if ".mdx" in e.extensions} == {"mdx"}
    assert page_flavour(AUTO, None, "a.md", "{{< x >}}\n\n!!! note\n") == "hugo"  # by the hints' ranks


def test_variants_are_checked_by_the_entry_and_resolved_once() -> None:
    lower = flavour("mkdocs@slugify=lower")
    assert lower is flavour("mkdocs@slugify=lower") and lower.base == "mkdocs"
    assert lower.slugs().slug("Café Au Lait") != flavour("mkdocs").slugs().slug("Café Au Lait")
    for bad in ("mkdocs@slugify=upper", "mkdocs@case=lower", "hugo@slugify=lower", "jekyll"):
        with pytest.raises(ValueError, match="unknown markdown flavour"):
            flavour(bad)


def test_a_configuration_and_its_flavours_pickle_and_parse_the_same(tmp_path: Path) -> None:
    """Worker processes get the configuration and pages by pickling: a flavour travels by name and is
    the same object on arrival; a configuration parses pages the same after the trip."""
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    config = config_from_mapping({"languages": ["nl"], "flavour": "auto"}, tmp_path)
    again = pickle.loads(pickle.dumps(config))
    assert again == config
    text = '# Title\n\n!!! note "A title"\n    Body text.\n'
    before, after = markdown_kind(config).parse(text, "a.md"), markdown_kind(again).parse(text, "a.md")
    assert after.flavour is before.flavour is flavour("mkdocs")
    assert after.segments == before.segments
    for name in [*flavour_names(), "mkdocs@slugify=lower"]:
        assert pickle.loads(pickle.dumps(flavour(name))) is flavour(name)
        for value in vars(flavour(name)).values():  # no lambda or closure: each part pickles by value too
            pickle.dumps(value)
    page = pickle.loads(pickle.dumps(before))
    assert page.flavour is before.flavour and page.render({}) == text


def test_an_unknown_flavour_in_the_configuration_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.i18n]\nlanguages = ["nl"]\nflavour = "hug"\n', encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["--project", str(tmp_path), "status"])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "flavour: expected 'auto' or" in result.output and "(did you mean 'hugo'?)" in result.output
    with pytest.raises(ConfigError, match="did you mean 'hugo'"):
        load_config(tmp_path)
