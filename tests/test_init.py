"""``i18n init``: a new site's start, never clobbering what is there; then ``i18n run`` works."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from i18n import __version__
from i18n.config import load_config
from i18n.mt.glossary import load_glossary

from .support import cli
from .test_workflows import actionlint


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_init_then_run_works_on_an_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEEPL_AUTH_KEY", raising=False)
    code, output = cli(tmp_path, "init", "--lang", "nl", "--lang", "de")
    assert code == 0, output
    assert output.splitlines() == [
        "created pyproject.toml (with a commented [tool.i18n] table)",
        "created content (with a starter page, index.md)",
        "created locales",
        "created glossary.yaml",
        "next: `i18n run` (with DEEPL_AUTH_KEY set, it also machine-translates)",
    ]
    text = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert text.startswith("[tool.i18n]\n# ") and "# build_min_state" in text  # commented
    config = load_config(tmp_path)
    assert config.languages == ("nl", "de") and config.content_dir == tmp_path.resolve() / "content"
    assert load_glossary(config.glossary).keep == ()  # a valid, empty starter glossary
    assert not (tmp_path / ".github").exists()
    code, output = cli(tmp_path, "run", "-q")
    assert code == 0, output
    assert (tmp_path / "build" / "nl" / "index.md").is_file() and (
        tmp_path / "locales" / "de" / "index.po"
    ).is_file()
    assert cli(tmp_path, "check")[0] == 0


def test_init_never_clobbers(tmp_path: Path) -> None:
    cli(tmp_path, "init", "--lang", "nl", "--workflows")
    (tmp_path / "content" / "index.md").write_text("# Mine\n", encoding="utf-8")
    (tmp_path / "glossary.yaml").write_text("do_not_translate:\n  - Mine\n", encoding="utf-8")
    before = snapshot(tmp_path)
    code, output = cli(tmp_path, "init", "--lang", "fr", "--workflows")
    assert code == 0, output
    assert snapshot(tmp_path) == before
    assert output.splitlines()[:4] == [
        "kept pyproject.toml (it already has a [tool.i18n] table)",
        "kept content",
        "kept locales",
        "kept glossary.yaml",
    ]
    assert "kept .github/workflows/i18n-check.yml" in output


def test_init_appends_the_table_to_an_existing_pyproject(tmp_path: Path) -> None:
    own = '[project]\nname = "site"\n\n[tool.ruff]\nline-length = 100\n'
    (tmp_path / "pyproject.toml").write_text(own, encoding="utf-8")
    code, output = cli(tmp_path, "init", "--lang", "nl", "--content-dir", "docs")
    assert code == 0, output
    assert "appended pyproject.toml (a commented [tool.i18n] table)" in output
    text = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert text.startswith(own + "\n[tool.i18n]\n")
    data = tomllib.loads(text)
    assert data["tool"]["ruff"] == {"line-length": 100} and data["tool"]["i18n"]["content_dir"] == "docs"
    assert (tmp_path / "docs" / "index.md").is_file() and not (tmp_path / "content").exists()


def test_an_existing_table_is_used_as_it_is(tmp_path: Path) -> None:
    table = '[tool.i18n]\nlanguages = ["de"]\ncontent_dir = "pages"\n'
    (tmp_path / "pyproject.toml").write_text(table, encoding="utf-8")
    code, output = cli(tmp_path, "init")  # no --lang needed: the table names them
    assert code == 0, output
    assert (tmp_path / "pyproject.toml").read_text(encoding="utf-8") == table
    assert (tmp_path / "pages" / "index.md").is_file()


@pytest.mark.parametrize(
    ("pyproject", "args", "message"),
    [
        (None, (), "name the target languages: i18n init --lang nl"),
        (None, ("--lang", "Dutch"), "[tool.i18n] languages: entry 1: expected a language code"),
        ("[project\nname = 1\n", ("--lang", "nl"), "pyproject.toml: not valid TOML, left as it is"),
        (
            "tool = { other = 1 }\n",
            ("--lang", "nl"),
            "cannot add [tool.i18n]: the result would not be valid TOML",
        ),
    ],
)
def test_bad_input_writes_nothing(
    tmp_path: Path, pyproject: str | None, args: tuple[str, ...], message: str
) -> None:
    if pyproject is not None:
        (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    before = snapshot(tmp_path)
    code, output = cli(tmp_path, "init", *args)
    assert code == 1 and message in output and output.count("\n") == 1, output
    assert snapshot(tmp_path) == before


def test_init_writes_valid_workflows_for_the_site(tmp_path: Path) -> None:
    code, output = cli(tmp_path, "init", "--lang", "nl", "--content-dir", "site/pages", "--workflows")
    assert code == 0, output
    folder = tmp_path / ".github" / "workflows"
    files = sorted(folder.glob("*.yml"))
    assert [p.name for p in files] == ["i18n-check.yml", "i18n-translate.yml"]
    result = subprocess.run([actionlint(), *map(str, files)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "@" + "CONTENT@" not in text and "@VERSION@" not in text
        assert f'pip install "i18n-pipeline=={__version__}"' in text  # the distribution, not `i18n`
        data = yaml.safe_load(text)
        paths = data[True][next(iter(data[True]))]["paths"]
        assert "site/pages/**" in paths and "locales/**" in paths and "glossary.yaml" in paths
    translate = yaml.safe_load((folder / "i18n-translate.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") for step in translate["jobs"]["translate"]["steps"]]
    assert any("i18n run -q" in run for run in steps) and any("status --html" in run for run in steps)
