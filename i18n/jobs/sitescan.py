"""What ``i18n init`` reads of an existing site: its generator, its content folder, its message files.

- The generator, by its configuration file in the project folder, as ``flavour = "auto"`` finds it
  (:func:`i18n.markdown.flavours.detect.site_markers`).
- The content folder: the generator's usual one first (``docs`` or ``docs_dir`` for MkDocs, ``content`` for
  Hugo, ``src/posts`` / ``src/content`` / ``src/routes`` for SvelteKit, ``docs`` for Docusaurus,
  ``src/content/docs`` for Astro Starlight), then the common ones; the first holding markdown pages.
- Message files: an inlang project (``project.inlang/settings.json``: base locale, locales, and the
  message format plugin's ``pathPattern``, as paraglide uses it), else i18next-style folders
  (``public/locales/<lang>/<ns>.json``, ``locales/<lang>/…``, ``src/locales/<lang>.json``,
  ``messages/<lang>.json``).

Pure reading: nothing is written here. Unreadable or odd files are ignored (the scan only suggests).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..config import LOCALE
from ..markdown.flavours import entries
from ..markdown.flavours.detect import site_flavour, site_markers

_COMMON = ("content", "docs", "src/posts", "src/content", "posts", "pages")
_I18NEXT = (  # (folder of per-language folders or files, whether each language is a folder)
    ("public/locales", True),
    ("static/locales", True),
    ("locales", True),
    ("src/locales", False),
    ("src/i18n", False),
    ("locales", False),
    ("messages", False),
)
_CODE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?")


@dataclass(frozen=True)
class MessageFiles:
    """A message file and where the site reads its translations (``{locale}`` in ``pattern``)."""

    source: str  # from the project folder: messages/en.json
    pattern: str  # messages/{locale}.json
    format: str  # "inlang" or "i18next"
    existing: tuple[str, ...] = ()  # languages that already have a file there


@dataclass(frozen=True)
class Site:
    generator: str | None = None  # a flavour name (site_markers()), None: not recognised
    marker: str | None = None  # the file that says so
    content: str | None = None  # the content folder found, from the project folder
    source_language: str | None = None  # what the message files say
    languages: tuple[str, ...] = ()  # the site's other locales (inlang) or language folders
    messages: tuple[MessageFiles, ...] = ()
    notes: tuple[str, ...] = field(default=())  # what was found, for the report


def scan_site(root: Path, source_language: str = "en") -> Site:
    """What ``root`` holds (see the module's rules)."""
    generator = site_flavour([root])
    marker = None
    for name, files in site_markers():
        if name == generator:
            marker = next((file for file in files if (root / file).is_file()), None)
            break
    content = _content(root, generator)
    inlang = _inlang(root)
    if inlang is not None:
        base, locales, messages = inlang
    else:
        base, locales, messages = source_language, (), _i18next(root, source_language)
        found = sorted({lang for files in messages for lang in files.existing})
        locales = tuple(found)
    languages = tuple(code for code in locales if code != base)
    return Site(generator, marker, content, base, languages, messages)


def generator_name(flavour: str | None) -> str | None:
    """The site generator a flavour's configuration file names, as its users know it (the registry's)."""
    return next((e.generator or e.name for e in entries() if e.name == flavour), None)


def generator_build_dir(flavour: str | None) -> str:
    """The folder the site generator a flavour's configuration file names builds into (the registry's)."""
    return next((e.build_dir for e in entries() if e.name == flavour), "")


def _content(root: Path, generator: str | None) -> str | None:
    entry = next((e for e in entries() if e.name == generator), None)
    candidates = list(entry.content_dirs) if entry else []
    configured = entry.site_content(root) if entry and entry.site_content else None
    if configured:
        candidates.insert(0, configured)
    for candidate in [*candidates, *_COMMON]:
        folder = root / candidate
        if folder.is_dir() and _has_pages(folder):
            return candidate
    return None


def _has_pages(folder: Path) -> bool:
    for pattern in ("*.md", "*.mdx", "*.markdown"):
        if next(iter(folder.rglob(pattern)), None) is not None:
            return True
    return False


def _inlang(root: Path) -> tuple[str, tuple[str, ...], tuple[MessageFiles, ...]] | None:
    """(base locale, locales, message files) of ``project.inlang/settings.json``."""
    path = root / "project.inlang" / "settings.json"
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(settings, dict):
        return None
    base = settings.get("baseLocale", settings.get("sourceLanguageTag"))
    locales = settings.get("locales", settings.get("languageTags"))
    if not isinstance(base, str) or not isinstance(locales, list):
        return None
    codes = tuple(code for code in locales if isinstance(code, str))
    patterns: list[str] = []
    for key, value in settings.items():
        if key.startswith("plugin.") and isinstance(value, dict):
            pattern = value.get("pathPattern")
            for one in pattern if isinstance(pattern, list) else [pattern]:
                if isinstance(one, str) and one.endswith(".json"):
                    patterns.append(one)
    files = []
    for pattern in patterns:
        relative = pattern.removeprefix("./")
        for placeholder in ("{languageTag}", "{locale}"):
            relative = relative.replace(placeholder, LOCALE)
        if LOCALE not in relative or relative.startswith(("/", "..")):
            continue
        source = relative.replace(LOCALE, base)
        if not (root / source).is_file():
            continue
        existing = tuple(
            code for code in codes if code != base and (root / relative.replace(LOCALE, code)).is_file()
        )
        files.append(MessageFiles(source, relative, "inlang", existing))
    return base, codes, tuple(files)


def _i18next(root: Path, base: str) -> tuple[MessageFiles, ...]:
    for folder, per_folder in _I18NEXT:
        place = root / folder
        if per_folder:
            own = place / base
            if not own.is_dir():
                continue
            names = sorted(p.name for p in own.glob("*.json") if p.is_file())
            others = sorted(
                p.name for p in place.iterdir() if p.is_dir() and p.name != base and _CODE.fullmatch(p.name)
            )
            if not names:
                continue
            return tuple(
                MessageFiles(
                    f"{folder}/{base}/{name}",
                    f"{folder}/{LOCALE}/{name}",
                    "i18next",
                    tuple(code for code in others if (place / code / name).is_file()),
                )
                for name in names
            )
        own_file = place / f"{base}.json"
        if own_file.is_file():
            others = sorted(
                p.stem for p in place.glob("*.json") if p.stem != base and _CODE.fullmatch(p.stem)
            )
            return (
                MessageFiles(f"{folder}/{base}.json", f"{folder}/{LOCALE}.json", "i18next", tuple(others)),
            )
    return ()
