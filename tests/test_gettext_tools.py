"""End to end with GNU gettext's own tools: a catalog a gettext tool saved (``msgcat`` writing back what the
pipeline wrote) is left alone by the next ``i18n extract``; and the bundled catalogs are msgcat's bytes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from i18n.cli import main
from i18n.jobs.state import STATE_FILE

from .support import ROOT

pytestmark = pytest.mark.skipif(
    shutil.which("msgcat") is None, reason="msgcat (GNU gettext) is not installed"
)


def cli(root: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--project", str(root), *args])
    assert result.exit_code == 0, result.output
    return result.output


def msgcat(path: Path) -> bytes:
    return subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout


def catalogs(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted((root / "locales").rglob("*.po*"))}


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled site (reviewed Dutch, partial German), then edited: stale, missing and obsolete entries,
    a long line, quotes, a tab-free non-ASCII text, a very long word."""
    monkeypatch.delenv("DEEPL_AUTH_KEY", raising=False)
    for name in ("content", "locales"):
        shutil.copytree(ROOT / name, tmp_path / name)
    for name in ("pyproject.toml", "glossary.yaml"):
        shutil.copy(ROOT / name, tmp_path / name)
    roadmap = tmp_path / "content" / "roadmap.md"
    text = roadmap.read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    del blocks[5]  # obsolete entries
    text = "\n\n".join(blocks).replace("funding", "money", 2)  # stale entries
    text += (
        '\nA "quoted" line with café, naïve and €, then a very long word: '
        + "x" * 120
        + " and after it a sentence that runs on well past the seventy-ninth column of the catalog.\n"
    )
    roadmap.write_text(text, encoding="utf-8")
    cli(tmp_path, "extract", "-q")
    return tmp_path


def test_the_pipelines_catalogs_are_msgcats_bytes(site: Path) -> None:
    found = catalogs(site)
    assert len(found) == 9
    assert [p.name for p, data in found.items() if msgcat(p) != data] == []
    text = b"".join(found.values())
    assert b"#| msgid" in text and b"#~ msgid" in text and "€".encode() in text


def test_a_catalog_saved_by_msgcat_is_not_rewritten_by_the_next_extract(site: Path) -> None:
    for path in catalogs(site):
        subprocess.run(["msgcat", str(path), "-o", str(path)], check=True)  # a gettext tool saves the file
    saved = catalogs(site)
    assert cli(site, "extract", "-q").startswith("0 catalogs written")
    assert catalogs(site) == saved
    (site / "locales" / STATE_FILE).unlink()  # every catalog is parsed and formatted again
    assert cli(site, "extract", "-q").startswith("0 catalogs written")
    assert catalogs(site) == saved
    cli(site, "run", "-q")  # nor by the rest of the pipeline
    assert catalogs(site) == saved
