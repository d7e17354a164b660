"""A throwaway project on disk for tests: pyproject, content/, locales/, and a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polib

from i18n.config import Config, load_config
from i18n.jobs.extract import ExtractReport, extract

FIXED = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)


def fixed_clock() -> datetime:
    return FIXED


class Project:
    def __init__(self, root: Path, languages: tuple[str, ...] = ("nl",), extra: str = "") -> None:
        self.root = root
        langs = ", ".join(f'"{code}"' for code in languages)
        (root / "pyproject.toml").write_text(
            f'[project]\nname = "site"\n\n[tool.i18n]\nlanguages = [{langs}]\n{extra}', encoding="utf-8"
        )
        (root / "content").mkdir(exist_ok=True)

    @property
    def config(self) -> Config:
        return load_config(self.root)

    def page(self, name: str, text: str) -> Path:
        path = self.root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def extract(self, **options: bool) -> ExtractReport:
        return extract(self.config, clock=fixed_clock, **options)

    def po_path(self, name: str, language: str = "nl") -> Path:
        stem = Path(name).with_suffix("") if name.endswith(".md") else Path(name)  # guide.mdx.po
        return self.root / "locales" / language / f"{stem}.po"

    def po(self, name: str, language: str = "nl") -> polib.POFile:
        return polib.pofile(str(self.po_path(name, language)))

    def translate(
        self, name: str, translations: dict[str, str], *, review: bool = True, language: str = "nl"
    ) -> None:
        """Act as a translator in Poedit: set msgstr and clear fuzzy (or leave it for machine output)."""
        po = self.po(name, language)
        for entry in po:
            if entry.msgid in translations:
                entry.msgstr = translations[entry.msgid]
                if review and "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                if not review and "fuzzy" not in entry.flags:
                    entry.flags.append("fuzzy")
                entry.previous_msgid = None
        po.save(str(self.po_path(name, language)))

    def entry(self, name: str, msgid: str, language: str = "nl") -> polib.POEntry:
        for entry in self.po(name, language):
            if entry.msgid == msgid:
                return entry
        raise KeyError(msgid)
