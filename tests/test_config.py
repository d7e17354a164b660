"""Tests for loading and checking ``[tool.i18n]``."""

from __future__ import annotations

from pathlib import Path

import pytest

from i18n.config import Config, MinState, config_from_mapping, load_config
from i18n.errors import ConfigError


def write(root: Path, body: str) -> Path:
    path = root / "pyproject.toml"
    path.write_text(body, encoding="utf-8")
    return path


def fail(root: Path, table: str) -> ConfigError:
    path = write(root, "[tool.i18n]\n" + table)
    with pytest.raises(ConfigError) as info:
        load_config(root)
    assert info.value.path == str(path)
    assert "pyproject.toml" in str(info.value)
    return info.value


def test_defaults_without_table(tmp_path: Path) -> None:
    write(tmp_path, '[project]\nname = "x"\n')
    config = load_config(tmp_path)
    root = tmp_path.resolve()
    assert config == Config(root=root)
    assert config.root == root
    assert config.source_language == "en"
    assert config.languages == ()
    assert config.content_dir == root / "content"
    assert config.locales_dir == root / "locales"
    assert config.output_dir == root / "build"
    assert config.glossary == root / "glossary.yaml"
    assert config.frontmatter_keys == ("title", "description")
    assert config.inject_anchors is True
    assert config.keep_headings == ()
    assert config.smartypants_dashes is True
    assert config.fuzzy_threshold == 70.0
    assert config.memory_threshold == 75.0
    assert config.build_min_state is MinState.MACHINE
    assert str(config.build_min_state) == "machine"
    assert config.build_min_coverage == 0.0
    assert config.engine == "deepl"
    assert config.max_characters is None
    assert (config.batch_max_texts, config.batch_max_bytes, config.concurrency) == (50, 131072, 2)
    assert config.project_id == "i18n"


def test_empty_table_gives_defaults(tmp_path: Path) -> None:
    write(tmp_path, "[tool.i18n]\n")
    assert load_config(tmp_path) == Config(root=tmp_path)


def test_full_config(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere" / "terms.yaml"
    elsewhere.parent.mkdir()
    elsewhere.write_text("do_not_translate: []\n", encoding="utf-8")
    write(
        tmp_path,
        f"""
[tool.i18n]
source_language = "en-GB"
languages = ["nl", "de", "pt-BR", "fr"]
content_dir = "docs"
locales_dir = "i18n/locales"
output_dir = "site"
glossary = '{elsewhere}'
frontmatter_keys = ["title"]
inject_anchors = false
keep_headings = ["Contents", "Table of contents"]
smartypants_dashes = false
fuzzy_threshold = 90
memory_threshold = 60.5
build_min_state = "reviewed"
build_min_coverage = 50
engine = "pseudo"
max_characters = 100000
batch_max_texts = 10
batch_max_bytes = 65536
concurrency = 4
project_id = "My Site"
""",
    )
    config = load_config(tmp_path)
    root = tmp_path.resolve()
    assert config.source_language == "en-GB"
    assert config.languages == ("nl", "de", "pt-BR", "fr")
    assert config.content_dir == root / "docs"
    assert config.locales_dir == root / "i18n" / "locales"
    assert config.output_dir == root / "site"
    assert config.glossary == elsewhere.resolve()
    assert config.frontmatter_keys == ("title",)
    assert config.inject_anchors is False
    assert config.keep_headings == ("Contents", "Table of contents")
    assert config.smartypants_dashes is False
    assert config.fuzzy_threshold == 90.0
    assert isinstance(config.fuzzy_threshold, float)
    assert config.memory_threshold == 60.5
    assert config.build_min_state is MinState.REVIEWED
    assert config.build_min_coverage == 50.0
    assert config.engine == "pseudo"
    assert config.max_characters == 100000
    assert (config.batch_max_texts, config.batch_max_bytes, config.concurrency) == (10, 65536, 4)
    assert config.project_id == "My Site"


def test_config_is_frozen(tmp_path: Path) -> None:
    config = Config(root=tmp_path)
    with pytest.raises(AttributeError):
        config.languages = ("nl",)  # type: ignore[misc]


def test_relative_paths_may_leave_root(tmp_path: Path) -> None:
    config = config_from_mapping({"glossary": "../shared/glossary.yaml"}, tmp_path / "site")
    assert config.glossary == tmp_path.resolve() / "shared" / "glossary.yaml"


def test_discovery_from_subfolder(tmp_path: Path) -> None:
    write(tmp_path, '[tool.i18n]\nlanguages = ["nl"]\n')
    deep = tmp_path / "content" / "guide"
    deep.mkdir(parents=True)
    (deep / "page.md").write_text("# Hi\n", encoding="utf-8")
    assert load_config(deep).languages == ("nl",)
    assert load_config(deep / "page.md").root == tmp_path.resolve()


def test_discovery_defaults_to_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, '[tool.i18n]\nlanguages = ["de"]\n')
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert load_config().languages == ("de",)


def test_nearest_pyproject_wins(tmp_path: Path) -> None:
    write(tmp_path, '[tool.i18n]\nlanguages = ["nl"]\n')
    (tmp_path / "inner").mkdir()
    write(tmp_path / "inner", '[project]\nname = "inner"\n')
    config = load_config(tmp_path / "inner")
    assert config.root == (tmp_path / "inner").resolve()
    assert config.languages == ()


def test_no_pyproject_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Path, "is_file", lambda self: False)
    with pytest.raises(ConfigError, match=r"no pyproject\.toml found"):
        load_config(tmp_path)


def test_toml_syntax_error_has_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[tool.i18n]\nlanguages = ["nl"]\nengine = \n')
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert info.value.path == str(path)
    assert info.value.line == 3
    assert str(info.value).startswith(f"{path}:3: invalid TOML: Invalid value (column")


def test_toml_error_at_end_of_document(tmp_path: Path) -> None:
    path = write(tmp_path, '[tool.i18n]\nlanguages = ["nl",\n')
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert info.value.path == str(path)
    assert "invalid TOML" in str(info.value)


def test_table_not_a_table(tmp_path: Path) -> None:
    write(tmp_path, "[tool]\ni18n = 3\n")
    with pytest.raises(ConfigError, match=r"\[tool.i18n\] must be a table"):
        load_config(tmp_path)


def test_unknown_key_suggests(tmp_path: Path) -> None:
    error = fail(tmp_path, 'langauges = ["nl"]\n')
    assert str(error).endswith(
        "pyproject.toml: [tool.i18n] unknown key 'langauges' (did you mean 'languages'?)"
    )


def test_unknown_key_without_suggestion(tmp_path: Path) -> None:
    error = fail(tmp_path, "zzz = 1\n")
    assert str(error).endswith("[tool.i18n] unknown key 'zzz'")


@pytest.mark.parametrize(
    ("table", "key", "expected"),
    [
        ('languages = "nl"', "languages", "expected an array of strings"),
        ("languages = []", "languages", "at least one entry"),
        ('languages = ["nl", "NL"]', "languages", "entry 2: expected a language code"),
        ('languages = ["nl", "de", "nl"]', "languages", "'nl' is listed more than once"),
        ('languages = ["pt-BR", "pt-br"]', "languages", "listed more than once"),
        ('languages = ["nl", "dutch"]', "languages", "got a string ('dutch')"),
        ('languages = ["nl", "en"]', "languages", "must not include the source language 'en'"),
        (
            'source_language = "de"\nlanguages = ["nl", "de"]',
            "languages",
            "source language 'de'",
        ),
        ('languages = ["nl", 1]', "languages", "entry 2: expected a language code"),
        ('source_language = "EN"', "source_language", "expected a language code"),
        ('source_language = "e"', "source_language", "expected a language code"),
        ('source_language = "en_US"', "source_language", "expected a language code"),
        ("source_language = 1", "source_language", "got an integer (1)"),
        ("inject_anchors = 1", "inject_anchors", "expected true or false"),
        ('inject_anchors = "yes"', "inject_anchors", "expected true or false"),
        ("fuzzy_threshold = 101", "fuzzy_threshold", "from 0 to 100"),
        ("fuzzy_threshold = -1", "fuzzy_threshold", "from 0 to 100"),
        ("fuzzy_threshold = true", "fuzzy_threshold", "got a boolean (True)"),
        ("fuzzy_threshold = nan", "fuzzy_threshold", "from 0 to 100"),
        ('memory_threshold = "75"', "memory_threshold", "from 0 to 100"),
        ("build_min_coverage = 100.5", "build_min_coverage", "from 0 to 100"),
        ('build_min_state = "draft"', "build_min_state", "expected 'machine' or 'reviewed'"),
        ('engine = "google"', "engine", "expected 'deepl' or 'openai' or 'pseudo'"),
        ("max_characters = 0", "max_characters", "at least 1"),
        ("max_characters = 1.5", "max_characters", "whole number"),
        ("batch_max_texts = true", "batch_max_texts", "got a boolean (True)"),
        ("batch_max_bytes = -5", "batch_max_bytes", "at least 1"),
        ("concurrency = 0", "concurrency", "at least 1"),
        ('project_id = ""', "project_id", "non-empty string"),
        ("content_dir = 3", "content_dir", "non-empty string"),
        ('glossary = ""', "glossary", "non-empty string"),
        ('frontmatter_keys = ["title", 2]', "frontmatter_keys", "entry 2"),
        ('frontmatter_keys = ["title", "title"]', "frontmatter_keys", "more than once"),
        ('output_dir = "content/out"', "output_dir", "must not lie inside content_dir"),
        ('output_dir = "content"', "output_dir", "same folder as content_dir"),
        ('output_dir = "locales"', "output_dir", "same folder as locales_dir"),
        ('output_dir = "."', "output_dir", "must not contain content_dir"),
        ('output_dir = "x"\nlocales_dir = "x/po"', "output_dir", "contain locales_dir"),
        ('output_dir = "./content/../content"', "output_dir", "same folder as content_dir"),
    ],
)
def test_invalid_values(tmp_path: Path, table: str, key: str, expected: str) -> None:
    message = str(fail(tmp_path, table + "\n"))
    assert f"[tool.i18n] {key}: " in message
    assert expected in message


def test_config_from_mapping_without_source(tmp_path: Path) -> None:
    config = config_from_mapping({"languages": ["nl"]}, tmp_path)
    assert config.languages == ("nl",)
    with pytest.raises(ConfigError) as info:
        config_from_mapping({"languages": []}, tmp_path)
    assert info.value.path is None


def test_config_from_mapping_names_source(tmp_path: Path) -> None:
    source = tmp_path / "pyproject.toml"
    with pytest.raises(ConfigError) as info:
        config_from_mapping({"engine": "x"}, tmp_path, source)
    assert str(info.value).startswith(f"{source}: [tool.i18n] engine: ")


def test_keep_headings_must_be_an_array_of_distinct_strings(tmp_path: Path) -> None:
    assert "keep_headings: expected an array of strings" in str(
        fail(tmp_path, 'keep_headings = "Contents"\n')
    )
    assert "listed more than once" in str(fail(tmp_path, 'keep_headings = ["Contents", "contents"]\n'))


def test_every_key_is_documented_in_the_readme() -> None:
    from i18n.config import _PARSERS

    from .support import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Configuration") : readme.index("## Performance")]
    assert [key for key in _PARSERS if f"`{key}`" not in table] == []


@pytest.mark.parametrize(
    ("table", "key", "expected"),
    [
        ('[tool.i18n.openai]\nmodel = "m"\nfoo = 1', "openai", "unknown key 'foo'"),
        ('[tool.i18n.openai]\nmodel = "m"\nmodle = 1', "openai", "did you mean 'model'"),
        ("[tool.i18n.openai]\ntemperature = 1", "openai.model", "is required"),
        ('[tool.i18n.openai]\nmodel = ""', "openai.model", "non-empty string"),
        ('[tool.i18n.openai]\nmodel = "m"\ntemperature = 2.5', "openai.temperature", "from 0 to 2"),
        (
            '[tool.i18n.openai]\nmodel = "m"\nbatch_max_segments = 0',
            "openai.batch_max_segments",
            "at least 1",
        ),
        (
            '[tool.i18n.openai]\nmodel = "m"\nmax_output_tokens = "x"',
            "openai.max_output_tokens",
            "whole number",
        ),
        ('[tool.i18n.openai]\nmodel = "m"\nreview = "yes"', "openai.review", "true or false"),
        ('[tool.i18n.openai]\nmodel = "m"\nbase_url = "localhost:1"', "openai.base_url", "http"),
        ('[tool.i18n.openai]\nmodel = "m"\nprices = 1', "openai.prices", "expected a table"),
        ('[tool.i18n.openai]\nmodel = "m"\nprices = { input = 1 }', "openai.prices", "'output' is missing"),
        ('[tool.i18n.openai]\nmodel = "m"\nprices = { input = 1, output = -2 }', "openai.prices", "output:"),
        (
            '[tool.i18n.openai]\nmodel = "m"\nprices = { input = 1, output = 2, x = 3 }',
            "openai.prices",
            "'x'",
        ),
        (
            '[tool.i18n.openai]\nmodel = "m"\nresponse_format = "xml"',
            "openai.response_format",
            "'json_schema'",
        ),
        ('[tool.i18n.openai]\nmodel = "m"\ntimeout = 0', "openai.timeout", "above 0"),
        ('[tool.i18n.openai]\nmodel = "m"\nmax_retries = -1', "openai.max_retries", "at least 0"),
        (
            '[tool.i18n.openai]\nmodel = "m"\n[tool.i18n.openai.languages.fr]\ninstructions = "x"',
            "openai.languages.fr",
            "not one of the configured languages",
        ),
        (
            '[tool.i18n.openai]\nmodel = "m"\n[tool.i18n.openai.languages.nl]\ntone = "x"',
            "openai.languages.nl",
            "unknown key 'tone'",
        ),
        (
            '[tool.i18n.openai]\nmodel = "m"\n[tool.i18n.openai.languages.nl]\ninstructions = 3',
            "openai.languages.nl.instructions",
            "a string",
        ),
        ('engine = "openai"', "engine", "needs a [tool.i18n.openai] table"),
        ("max_cost = 0", "max_cost", "above 0"),
        ('openai = "gpt"', "openai", "expected a table"),
    ],
)
def test_invalid_openai_values(tmp_path: Path, table: str, key: str, expected: str) -> None:
    message = str(fail(tmp_path, 'languages = ["nl"]\n' + table + "\n"))
    assert f"[tool.i18n] {key}: " in message
    assert expected in message


def test_openai_config(tmp_path: Path) -> None:
    write(
        tmp_path,
        '[tool.i18n]\nlanguages = ["nl", "de"]\nengine = "openai"\nmax_cost = 2.5\n'
        '[tool.i18n.openai]\nmodel = "gpt-4o-mini"\nbase_url = "http://localhost:11434/v1"\n'
        'temperature = 0\ninstructions = "Plain."\nbatch_max_segments = 8\nmax_output_tokens = 2048\n'
        "prices = { input = 0.15, output = 0.6 }\nreview = true\nmax_retries = 0\ntimeout = 30\n"
        'response_format = "json_object"\n[tool.i18n.openai.languages.nl]\ninstructions = "Je."\n',
    )
    from i18n.mt.engine import Prices
    from i18n.mt.openai_settings import OpenAIConfig, ResponseFormat

    config = load_config(tmp_path)
    assert config.engine == "openai" and config.max_cost == 2.5
    assert config.settings_for("openai") == OpenAIConfig(
        "gpt-4o-mini", "http://localhost:11434/v1", 0.0, "Plain.", (("nl", "Je."),), 8, 2048,
        Prices(0.15, 0.6), True, 0, 30.0, ResponseFormat.JSON_OBJECT,
    )  # fmt: skip
    settings = config.settings_for("openai")
    assert isinstance(settings, OpenAIConfig)
    assert settings.instructions_for("nl") == "Je." and settings.instructions_for("de") == ""
