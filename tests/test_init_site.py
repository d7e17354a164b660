"""``i18n init`` reads the site: its generator, content folder, inlang / i18next message files and their
languages, and writes a configuration that ``i18n run`` uses as it is."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from i18n.config import load_config
from i18n.mt import engine_prices

from .support import cli

SETTINGS = {
    "$schema": "https://inlang.com/schema/project-settings",
    "baseLocale": "en",
    "locales": ["en", "nl", "de"],
    "modules": ["https://cdn.jsdelivr.net/npm/@inlang/plugin-message-format@4/dist/index.js"],
    "plugin.inlang.messageFormat": {"pathPattern": "./messages/{locale}.json"},
}
MESSAGES = {
    "$schema": "https://inlang.com/schema/inlang-message-format",
    "header_join": "Join",
    "home_title": "Pause the development of frontier AI",
}


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def sveltekit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A SvelteKit + mdsvex + paraglide site, as such sites lay themselves out."""
    monkeypatch.delenv("DEEPL_AUTH_KEY", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    write(tmp_path / "package.json", '{"name": "site", "type": "module"}\n')
    write(tmp_path / "svelte.config.js", "export default { extensions: ['.svelte', '.md'] };\n")
    write(tmp_path / "src/posts/join.md", "---\ntitle: Join us\n---\n\n## Why join\n\nEvery voice counts.\n")
    write(tmp_path / "src/posts/about.md", "---\ntitle: About\n---\n\nWe are volunteers.\n")
    write(tmp_path / "src/routes/+page.svelte", "<h1>Home</h1>\n")
    write(tmp_path / "project.inlang/settings.json", json.dumps(SETTINGS, indent=2) + "\n")
    write(tmp_path / "messages/en.json", json.dumps(MESSAGES, indent=2) + "\n")
    return tmp_path


def test_init_in_a_sveltekit_paraglide_site_writes_what_run_uses(sveltekit: Path) -> None:
    code, output = cli(sveltekit, "init")
    assert code == 0, output
    assert "found svelte.config.js (a SvelteKit (mdsvex) site)" in output
    assert "found src/posts (the content folder)" in output
    assert "found messages/en.json (a message file (inlang, from project.inlang/settings.json))" in output
    text = (sveltekit / "pyproject.toml").read_text(encoding="utf-8")
    table = tomllib.loads(text)["tool"]["i18n"]
    assert table["languages"] == ["nl", "de"] and table["content_dir"] == "src/posts"
    assert table["output_dir"] == "l10n"  # not build/: SvelteKit builds there
    assert table["messages"] == [
        {"source": "messages/en.json", "output": "messages/{locale}.json", "format": "inlang"}
    ]
    assert table["engine"] == "deepl" and "# max_characters" in text  # commented
    code, output = cli(sveltekit, "run", "-q")
    assert code == 0, output
    assert (sveltekit / "l10n" / "nl" / "join.md").is_file()
    built = json.loads((sveltekit / "messages" / "de.json").read_text(encoding="utf-8"))
    assert list(built) == list(MESSAGES)  # where paraglide reads it, every key
    assert (sveltekit / "locales" / "nl" / "messages" / "messages.po").is_file()
    code, output = cli(sveltekit, "check")
    assert code == 0, output


def test_existing_translated_message_files_are_not_overwritten(sveltekit: Path) -> None:
    write(sveltekit / "messages/nl.json", json.dumps({**MESSAGES, "header_join": "Doe mee"}) + "\n")
    code, output = cli(sveltekit, "init")
    assert code == 0, output
    text = (sveltekit / "pyproject.toml").read_text(encoding="utf-8")
    assert "i18n import --lang nl messages/nl.json" in text and '# output = "messages/{locale}.json"' in text
    assert "output" not in tomllib.loads(text)["tool"]["i18n"]["messages"][0]
    before = (sveltekit / "messages/nl.json").read_bytes()
    code, output = cli(sveltekit, "run", "-q")
    assert code == 0, output
    assert (sveltekit / "messages/nl.json").read_bytes() == before
    code, output = cli(sveltekit, "import", "--lang", "nl", str(sveltekit / "messages/nl.json"))
    assert code == 0 and "1 imported for review" in output, output


def test_init_with_the_chat_engine_writes_its_table(sveltekit: Path) -> None:
    code, output = cli(sveltekit, "init", "--engine", "openai", "--lang", "nl")
    assert code == 0, output
    assert output.splitlines()[-1] == "next: `i18n run` (with OPENAI_API_KEY set, it also machine-translates)"
    config = load_config(sveltekit)
    assert config.languages == ("nl",) and config.engine == "openai"
    assert engine_prices(config, "openai") is not None
    assert cli(sveltekit, "extract")[0] == 0
    code, output = cli(sveltekit, "translate", "--dry-run")
    assert code == 0, output
    assert "spend gate: max_cost 0.1000 (the default;" in output


def test_init_finds_i18next_folders_and_a_hugo_content_folder(tmp_path: Path) -> None:
    write(tmp_path / "hugo.toml", 'title = "Site"\n')
    write(tmp_path / "content/posts/first.md", "+++\ntitle = 'First'\n+++\n\nHello there.\n")
    write(tmp_path / "locales/en/common.json", '{"nav": {"home": "Home"}}\n')
    write(tmp_path / "locales/fr/common.json", '{"nav": {"home": "Accueil"}}\n')
    code, output = cli(tmp_path, "init")
    assert code == 0, output
    config = load_config(tmp_path)
    assert config.languages == ("fr",) and config.content_dir == tmp_path.resolve() / "content"
    assert config.locales_dir == tmp_path.resolve() / "po"  # locales/ is the site's own
    assert [spec.name for spec in config.messages] == ["common"]
    assert "i18n import --lang fr locales/fr/common.json" in (tmp_path / "pyproject.toml").read_text()
    code, output = cli(tmp_path, "run", "-q")
    assert code == 0, output
