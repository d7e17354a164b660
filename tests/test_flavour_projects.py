"""Flavours through the pipeline: configuration, which files are pages, catalog names, builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from i18n.errors import ConfigError
from i18n.jobs.documents import markdown_kind
from i18n.jobs.layout import catalog_path, list_sources

from .project import Project
from .support import cli as run

MDX = (
    "---\ntitle: Cards\n---\n\nimport { Card } from '@astrojs/starlight/components';\n\n"
    '<Card title="Moons">\nMoons orbit planets.\n</Card>\n\n## A heading\n'
)
MD = "# Cards\n\nThe markdown page of the same name.\n"


def test_flavour_and_content_globs_are_configured_and_checked(tmp_path: Path) -> None:
    project = Project(tmp_path, extra='flavour = "mkdocs"\ncontent_globs = ["docs/**/*.md"]\n')
    assert project.config.flavour.value == "mkdocs"
    assert project.config.content_globs == ("docs/**/*.md",)
    for bad, message in (
        ('flavour = "jekyll"', "[tool.i18n] flavour: expected 'auto' or 'commonmark' or"),
        ("content_globs = []", "[tool.i18n] content_globs: expected at least one entry"),
        ('content_globs = ["../*.md"]', "[tool.i18n] content_globs: entry 1: expected a pattern inside"),
        ('content_globs = ["/abs/*.md"]', "[tool.i18n] content_globs: entry 1: expected a pattern inside"),
    ):
        with pytest.raises(ConfigError) as caught:
            _ = Project(tmp_path, extra=bad + "\n").config
        assert message in str(caught.value)


def test_md_and_mdx_are_pages_by_default_and_mdx_catalogs_keep_the_extension(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.page("cards.mdx", MDX)
    project.page("cards.md", MD)
    project.page("notes.txt", "Not a page.\n")
    config = project.config
    assert [s.ref for s in list_sources(config)] == ["cards.md", "cards.mdx"]
    assert catalog_path(config, "nl", "cards.md") == config.locales_dir / "nl" / "cards.po"
    assert catalog_path(config, "nl", "cards.mdx") == config.locales_dir / "nl" / "cards.mdx.po"
    assert catalog_path(config, None, "cards.mdx") == config.locales_dir / "templates" / "cards.mdx.pot"


def test_content_globs_choose_the_pages(tmp_path: Path) -> None:
    project = Project(tmp_path, extra='content_globs = ["**/*.txt", "guide/*.md"]\n')
    project.page("notes.txt", "A text page.\n")
    project.page("guide/a.md", "# A\n")
    project.page("other/b.md", "# B\n")
    assert [s.ref for s in list_sources(project.config)] == ["guide/a.md", "notes.txt"]


def test_pages_whose_catalogs_would_collide_are_an_error(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.page("x.mdx", MDX)
    project.page("x.mdx.md", MD)
    with pytest.raises(ConfigError, match=r"would share the catalog x\.mdx\.po"):
        list_sources(project.config)
    code, output = run(project, "extract")
    assert code == 1 and "would share the catalog" in output and "Traceback" not in output


def test_an_mdx_page_through_the_pipeline(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.page("cards.mdx", MDX)
    project.page("cards.md", MD)
    code, output = run(project, "run", "-q")
    assert code == 0, output
    po = (tmp_path / "locales" / "nl" / "cards.mdx.po").read_text(encoding="utf-8")
    assert 'msgid "Moons orbit planets."' in po and "import" not in po
    assert (tmp_path / "locales" / "nl" / "cards.po").exists()
    assert (tmp_path / "build" / "nl" / "cards.mdx").exists()
    assert run(project, "build", "--pseudo", "-q")[0] == 0
    built = (tmp_path / "build" / "en-XA" / "cards.mdx").read_text(encoding="utf-8")
    assert "import { Card } from '@astrojs/starlight/components';" in built
    assert '<Card title="⟦' in built and "{#" not in built  # a prop translated; no anchor in MDX
    # deleting the .mdx page removes its build and leaves its catalogs obsolete, not the .md one's
    project.translate("cards.mdx", {"Moons orbit planets.": "Manen draaien om planeten."})
    project.translate("cards.md", {"Cards": "Kaarten"})
    (tmp_path / "content" / "cards.mdx").unlink()
    code, output = run(project, "run", "-q")
    assert code == 0, output
    assert not (tmp_path / "build" / "nl" / "cards.mdx").exists()
    assert (tmp_path / "build" / "nl" / "cards.md").exists()
    assert "#~ " in (tmp_path / "locales" / "nl" / "cards.mdx.po").read_text(encoding="utf-8")
    assert "#~ " not in (tmp_path / "locales" / "nl" / "cards.po").read_text(encoding="utf-8")


def test_hugo_toml_page_through_the_pipeline_with_auto(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.page(
        "event.md", '+++\ntitle = "An event"\ndraft = true\n+++\n\n{{< notice >}}\nWords.\n{{< /notice >}}\n'
    )
    code, output = run(project, "build", "--pseudo", "-q")
    assert code == 0, output
    built = (tmp_path / "build" / "en-XA" / "event.md").read_text(encoding="utf-8")
    assert built.startswith('+++\ntitle = "⟦') and "draft = true\n+++" in built
    assert "{{< notice >}}\n⟦" in built and "{{< /notice >}}" in built


def test_an_mdx_page_starting_with_an_expression_block_is_built_with_auto(tmp_path: Path) -> None:
    """The MDX docs' pages open with ``{`` ``/** @import … */`` ``}``: an expression, not JSON frontmatter
    (that used to stop the whole run: "unparseable frontmatter"); in a folder without ``.mdx`` pages a
    ``.md`` page's ``{`` frontmatter is still Hugo's JSON."""
    (tmp_path / "mdx").mkdir()
    (tmp_path / "hugo").mkdir()
    project = Project(tmp_path / "mdx")
    project.page(
        "blog/index.mdx", "{\n  /**\n   * @import {Item} from './x.js'\n   */\n}\n\n# Blog\n\nNews.\n"
    )
    code, output = run(project, "build", "--pseudo", "-q")
    assert code == 0, output
    built = (project.root / "build" / "en-XA" / "blog" / "index.mdx").read_text(encoding="utf-8")
    assert built.startswith("{\n  /**\n   * @import {Item} from './x.js'\n   */\n}\n\n# ⟦") and "\n⟦" in built
    hugo = Project(tmp_path / "hugo")
    hugo.page("event.md", '{\n  "title": "An event"\n}\n\nWords.\n')
    code, output = run(hugo, "build", "--pseudo", "-q")
    assert code == 0, output
    event = (hugo.root / "build" / "en-XA" / "event.md").read_text(encoding="utf-8")
    assert event.startswith('{\n  "title": "⟦')


def test_md_pages_beside_mdx_pages_without_a_site_configuration_are_commonmark(tmp_path: Path) -> None:
    """A content folder with ``.mdx`` pages and no generator configuration is an MDX toolchain's (the MDX
    docs' site compiles ``.md`` as markdown): its ``.md`` pages get no ``{#id}``, which would show as text
    there; without ``.mdx`` pages the default (``svelte``) injects it as before."""
    (tmp_path / "mixed").mkdir()
    (tmp_path / "alone").mkdir()
    project = Project(tmp_path / "mixed")
    project.page("guide.mdx", "# Guide\n\nWords.\n")
    project.page("readme.md", "## Use it\n\nWords.\n")
    assert run(project, "build", "--pseudo", "-q")[0] == 0
    mixed = (project.root / "build" / "en-XA" / "readme.md").read_text(encoding="utf-8")
    assert mixed.startswith("## ⟦") and "{#" not in mixed
    alone = Project(tmp_path / "alone")
    alone.page("readme.md", "## Use it\n\nWords.\n")
    assert run(alone, "build", "--pseudo", "-q")[0] == 0
    assert "{#use-it}" in (alone.root / "build" / "en-XA" / "readme.md").read_text(encoding="utf-8")


def test_the_flavour_is_part_of_the_kinds_settings_so_caches_follow_it(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.page("a.md", '!!! note "Title"\n    Body words.\n')
    auto = markdown_kind(project.config)
    assert auto.flavour == "auto" and auto.site is None
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    assert markdown_kind(project.config).site == "mkdocs"
    assert markdown_kind(project.config).settings != auto.settings
    assert run(project, "extract")[0] == 0
    first = (tmp_path / "locales" / "nl" / "a.po").read_text(encoding="utf-8")
    assert 'msgid "Body words."' in first
    (tmp_path / "pyproject.toml").write_text(
        '[tool.i18n]\nlanguages = ["nl"]\nflavour = "commonmark"\n', encoding="utf-8"
    )
    assert run(project, "extract")[0] == 0  # the page is unchanged, the flavour is not: parsed again
    again = (tmp_path / "locales" / "nl" / "a.po").read_text(encoding="utf-8")
    assert 'msgid "Body words."' not in again.split("#~")[0]


@pytest.mark.parametrize("setting", ["auto", "mkdocs"])
def test_a_no_op_run_loads_no_parser_even_with_flavours(tmp_path: Path, setting: str) -> None:
    """Naming the flavour (its settings are part of the state file's key) costs no parser import: a
    configured flavour is resolved against the registry without loading its module."""
    import subprocess
    import sys

    project = Project(tmp_path, extra=f'flavour = "{setting}"\n')
    project.page("cards.mdx", MDX)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    assert run(project, "run", "-q")[0] == 0
    code = (
        "import sys; from click.testing import CliRunner; from i18n.cli import main; "
        f"r = CliRunner().invoke(main, ['--project', {str(tmp_path)!r}, 'run', '-q']); "
        "assert r.exit_code == 0, r.output; "
        "heavy = ('markdown_it', 'mdit_py_plugins', 'yaml', 'frontmatter'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_segments_command_reads_the_projects_flavour_or_the_one_given(tmp_path: Path) -> None:
    project = Project(tmp_path, extra='flavour = "mkdocs"\n')
    page = project.page("a.md", '!!! note "Title"\n    Body words.\n')
    code, output = run(project, "segments", str(page))
    assert code == 0, output
    assert "Body words." in output and "2 segments in" in output and "(mkdocs flavour)" in output
    code, output = run(project, "segments", "--flavour", "commonmark", str(page))
    assert code == 0 and "1 segments in" in output and "(commonmark flavour)" in output


def test_import_aligns_an_mdx_translation_read_as_mdx(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.page("cards.mdx", MDX)
    assert run(project, "extract")[0] == 0
    translated = tmp_path / "nl-site"
    translated.mkdir()
    (translated / "cards.nl.mdx").write_text(
        MDX.replace("title: Cards", "title: Kaarten")
        .replace('title="Moons"', 'title="Manen"')
        .replace("Moons orbit planets.", "Manen draaien om planeten.")
        .replace("## A heading", "## Een kop"),
        encoding="utf-8",
    )
    code, output = run(project, "import", "--lang", "nl", str(translated))
    assert code == 0, output
    po = (tmp_path / "locales" / "nl" / "cards.mdx.po").read_text(encoding="utf-8")
    assert 'msgstr "Manen draaien om planeten."' in po and 'msgstr "Manen"' in po


def test_a_new_flavour_rebuilds_pages_whose_catalogs_did_not_change(tmp_path: Path) -> None:
    project = Project(tmp_path, extra='flavour = "svelte"\n')
    project.page("a.md", "## A heading\n\nWords.\n")
    assert run(project, "extract")[0] == 0
    project.translate("a.md", {"A heading": "Een kop", "Words.": "Woorden."})
    assert run(project, "build")[0] == 0
    assert (tmp_path / "build" / "nl" / "a.md").read_text(
        encoding="utf-8"
    ) == "## Een kop {#a-heading}\n\nWoorden.\n"
    (tmp_path / "pyproject.toml").write_text(
        '[tool.i18n]\nlanguages = ["nl"]\nflavour = "commonmark"\n', encoding="utf-8"
    )
    assert run(project, "run", "-q")[0] == 0  # same segments, same catalog: the build still follows
    assert (tmp_path / "build" / "nl" / "a.md").read_text(encoding="utf-8") == "## Een kop\n\nWoorden.\n"
