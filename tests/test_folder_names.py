"""Messages name the configured folders, never the defaults (not ``content/`` where the folder is
``src/posts``)."""

from __future__ import annotations

from pathlib import Path

from .support import cli


def site(root: Path) -> Path:
    (root / "pyproject.toml").write_text(
        '[tool.i18n]\nlanguages = ["nl"]\ncontent_dir = "src/posts"\nlocales_dir = "po"\n'
        'output_dir = "l10n"\n',
        encoding="utf-8",
    )
    (root / "src" / "posts").mkdir(parents=True)
    (root / "src" / "posts" / "join.md").write_text("# Join\n\nEvery voice counts.\n", encoding="utf-8")
    return root


def test_check_and_dry_run_name_the_configured_content_folder(tmp_path: Path) -> None:
    root = site(tmp_path)
    code, output = cli(root, "check")
    assert code == 1
    assert "po/nl/join.po: out of date with src/posts/ (run `i18n extract`)" in output
    assert "content/" not in output
    code, output = cli(root, "translate", "--dry-run", "--engine", "pseudo")
    assert code == 1 and "out of date with src/posts/: run `i18n extract` first" in output


def test_import_names_the_configured_content_folder(tmp_path: Path) -> None:
    root = site(tmp_path)
    folder = tmp_path / "old-nl"
    folder.mkdir()
    (folder / "gone.md").write_text("# Weg\n\nDeze pagina bestaat niet meer.\n", encoding="utf-8")
    code, output = cli(root, "import", "--lang", "nl", str(folder))
    assert code == 0, output
    assert "gone.md: skipped: no English page in src/posts/" in output


def test_the_starter_page_names_the_output_folder(tmp_path: Path) -> None:
    (tmp_path / "build").mkdir()  # a site's own build folder: init picks another
    code, output = cli(tmp_path, "init", "--lang", "nl")
    assert code == 0, output
    page = (tmp_path / "content" / "index.md").read_text(encoding="utf-8")
    assert "translated under `l10n/`" in page
