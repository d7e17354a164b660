"""``init``: a new site's starting point — a commented ``[tool.i18n]`` table in ``pyproject.toml``, the
content and catalog folders, a starter glossary and, optionally, the two GitHub workflows.

Nothing that exists is overwritten: an existing ``[tool.i18n]`` table, page, glossary or workflow is
kept as it is (and reported so); a ``pyproject.toml`` without the table gets it appended, its own bytes
untouched.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from typing import NamedTuple

from .. import __version__
from ..config import config_from_mapping
from ..errors import ConfigError
from ..files import write_atomic

WORKFLOWS = ("i18n-check.yml", "i18n-translate.yml")

_TABLE = """\
[tool.i18n]
# Target languages, as DeepL and gettext name them: "nl", "de", "fr", "pt-BR", ...
languages = [{languages}]
# The English pages (markdown) to translate.
content_dir = "{content}"
# One gettext catalog per page and language (translators open these in Poedit or Weblate).
locales_dir = "{locales}"
# The localised pages, one folder per language (and <lang>.tar.gz archives).
output_dir = "{output}"
# Terms kept as written, and terms translated one way (see glossary.yaml).
glossary = "{glossary}"
# The least-reviewed translations a build uses: "machine" (unreviewed DeepL output) or "reviewed".
# build_min_state = "machine"
# Pages translated below this percentage are left out of a language's build (the site serves English).
# build_min_coverage = 0
# Machine translation: "deepl" needs the DEEPL_AUTH_KEY environment variable. A budget per run:
# engine = "deepl"
# max_characters = 100000
# The locale `i18n build --pseudo` writes (pseudo-localised pages for layout tests).
# pseudo_locale = "en-XA"
"""

_GLOSSARY = """\
# The glossary: terms kept exactly as written in every language, and terms translated one way.
# Both lists may stay empty; see the README, "Glossary".
do_not_translate: []
#  - YourOrganisation
terms: {}
#  national group:
#    nl: nationale groep
#    de: nationale Gruppe
"""

_PAGE = """\
---
title: Welcome
description: The first page of the site, in English.
---

# Welcome

This page is written in English. Run `i18n run` and find it translated under `build/`.
"""


class Created(NamedTuple):
    """One thing ``init`` did: ``path`` and ``action`` (``created``, ``appended``, ``kept``)."""

    path: Path
    action: str
    note: str = ""


def init_site(
    root: Path,
    languages: Sequence[str],
    *,
    content: str = "content",
    locales: str = "locales",
    output: str = "build",
    glossary: str = "glossary.yaml",
    workflows: bool = False,
) -> list[Created]:
    """Set up ``root`` for the pipeline; never clobbers what is there. Raises ``ConfigError`` (before
    writing anything) on bad languages or paths, or an unreadable ``pyproject.toml``."""
    root = root.resolve()
    pyproject = root / "pyproject.toml"
    existing = _read_pyproject(pyproject)
    if not languages and (existing is None or _table_of(existing) is None):
        raise ConfigError("name the target languages: i18n init --lang nl [--lang de ...]")
    table = _TABLE.format(
        languages=", ".join(f'"{language}"' for language in languages),
        content=content,
        locales=locales,
        output=output,
        glossary=glossary,
    )
    settings = tomllib.loads(table)["tool"]["i18n"]
    if languages:  # the same checks as every command's, before anything is written
        config_from_mapping(settings, root, pyproject)
    done: list[Created] = []
    if existing is None:
        write_atomic(pyproject, table.encode("utf-8"))
        done.append(Created(pyproject, "created", "with a commented [tool.i18n] table"))
        active = settings
    elif (own := _table_of(existing)) is not None:
        done.append(Created(pyproject, "kept", "it already has a [tool.i18n] table"))
        active = own
    else:
        text = existing.decode("utf-8")
        joined = text + ("" if not text or text.endswith("\n\n") else "\n" if text.endswith("\n") else "\n\n")
        combined = joined + table
        try:
            tomllib.loads(combined)
        except tomllib.TOMLDecodeError as exc:
            why = f"cannot add [tool.i18n]: the result would not be valid TOML ({exc})"
            raise ConfigError(why, path=pyproject) from None
        write_atomic(pyproject, combined.encode("utf-8"))
        done.append(Created(pyproject, "appended", "a commented [tool.i18n] table"))
        active = settings
    config = config_from_mapping(active, root, pyproject)
    content_dir = config.content_dir
    if content_dir.is_dir():
        done.append(Created(content_dir, "kept"))
    else:
        content_dir.mkdir(parents=True)
        write_atomic(content_dir / "index.md", _PAGE.encode("utf-8"))
        done.append(Created(content_dir, "created", "with a starter page, index.md"))
    if config.locales_dir.is_dir():
        done.append(Created(config.locales_dir, "kept"))
    else:
        config.locales_dir.mkdir(parents=True)
        done.append(Created(config.locales_dir, "created"))
    done.append(_write_new(config.glossary, _GLOSSARY))
    if workflows:
        places = {
            "@CONTENT@": _relative(root, config.content_dir),
            "@LOCALES@": _relative(root, config.locales_dir),
            "@OUTPUT@": _relative(root, config.output_dir),
            "@GLOSSARY@": _relative(root, config.glossary),
            "@VERSION@": __version__,
        }
        for name in WORKFLOWS:
            text = files("i18n").joinpath("templates", name).read_text(encoding="utf-8")
            for placeholder, value in places.items():
                text = text.replace(placeholder, value)
            done.append(_write_new(root / ".github" / "workflows" / name, text))
    return done


def _read_pyproject(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", path=path) from None
    try:
        tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"not valid TOML, left as it is ({exc})", path=path) from None
    return data


def _table_of(data: bytes) -> dict[str, object] | None:
    tool = tomllib.loads(data.decode("utf-8")).get("tool")
    table = tool.get("i18n") if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def _write_new(path: Path, text: str) -> Created:
    if path.exists():
        return Created(path, "kept")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))
    return Created(path, "created")


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
