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
from ..markdown.flavours import flavour_names

WORKFLOWS = ("i18n-check.yml", "i18n-translate.yml")
SHARDED = "i18n.yml"  # in place of i18n-translate.yml with --shards N: a matrix of N machines, then a merge

_TABLE = """\
[tool.i18n]
# Target languages, as DeepL and gettext name them: "nl", "de", "fr", "pt-BR", ...
languages = [{languages}]
{source}# The English pages (markdown) to translate.{content_note}
content_dir = "{content}"
# How pages are read: "auto" (by the site generator's configuration file and each page), or one of
# {flavours}.{flavour_note}
# flavour = "auto"
# One gettext catalog per page and language (translators open these in Poedit or Weblate).
locales_dir = "{locales}"
# The localised pages, one folder per language (and <lang>.tar.gz archives).{output_note}
output_dir = "{output}"
# Terms kept as written, and terms translated one way (see glossary.yaml).
glossary = "{glossary}"
# The least-reviewed translations a build uses: "machine" (unreviewed DeepL output) or "reviewed".
# build_min_state = "machine"
# Pages translated below this percentage are left out of a language's build (the site serves English).
# build_min_coverage = 0
{engine}# The locale `i18n build --pseudo` writes (pseudo-localised pages for layout tests).
# pseudo_locale = "en-XA"
{messages}{engine_table}"""

_DEEPL = """\
# Machine translation: "deepl" needs the DEEPL_AUTH_KEY environment variable. A run stops before it
# bills more than max_characters (default: the account's remaining quota).
engine = "deepl"
# max_characters = 100000
"""

_OPENAI = """\
# Machine translation: "openai" is any OpenAI-compatible chat API (OpenAI, OpenRouter, Azure, vLLM,
# Ollama), with the key in OPENAI_API_KEY. A run stops before it spends more than max_cost (default
# {default_cost}, in the prices' currency).
engine = "openai"
# max_cost = 0.50
"""

_OPENAI_TABLE = """
[tool.i18n.openai]
# The server (default OpenAI's; OPENAI_BASE_URL overrides it), e.g. "https://openrouter.ai/api/v1".
# base_url = "https://api.openai.com/v1"
# The chat model.
model = "gpt-4o-mini"
# Per million input and output tokens: dry-run estimates, billing and the spend gate need them.
prices = { input = 0.15, output = 0.60 }
# Who reads the site, and how to address them.
# instructions = "Audience: volunteers. Tone: warm and plain."
"""

_MESSAGES = """
# A message file (menus, buttons) {found}.
[[tool.i18n.messages]]
source = "{source}"
{output}{format}"""

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

This page is written in English. Run `i18n run` and find it translated under `{output}/`.
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
    content: str | None = None,
    locales: str | None = None,
    output: str | None = None,
    glossary: str = "glossary.yaml",
    workflows: bool = False,
    engine: str = "deepl",
    shards: int | None = None,
) -> list[Created]:
    """Set up ``root`` for the pipeline; never clobbers what is there. What the site already has (its
    generator, content folder, message files and their languages: :func:`i18n.jobs.sitescan.scan_site`)
    is written into the table; ``content``, ``locales`` and ``output`` override what it would choose.
    ``shards``: the workflow that translates runs on that many machines (``i18n.yml``; 1: the single-job
    ``i18n-translate.yml``). Raises ``ConfigError`` (before writing anything) on bad languages or paths,
    or an unreadable ``pyproject.toml``."""
    from .gate import DEFAULT_MAX_COST
    from .sitescan import generator_build_dir, generator_name, scan_site

    root = root.resolve()
    pyproject = root / "pyproject.toml"
    existing = _read_pyproject(pyproject)
    site = scan_site(root)
    languages = tuple(languages) or site.languages
    if not languages and (existing is None or _table_of(existing) is None):
        raise ConfigError("name the target languages: i18n init --lang nl [--lang de ...]")
    generator = generator_name(site.generator)
    found: list[Created] = []
    if generator is not None:
        found.append(Created(root / (site.marker or "."), "found", f"a {generator} site"))
    if content is None and site.content is not None:
        content = site.content
        found.append(Created(root / content, "found", "the content folder"))
    content = content or "content"
    if output is None:  # not where the generator builds itself (SvelteKit, Docusaurus: build/)
        taken_by_site = generator_build_dir(site.generator) == "build"
        output = "l10n" if taken_by_site or (root / "build").exists() else "build"
    taken = {Path(found_files.source).parts[0] for found_files in site.messages}
    if locales is None:
        locales = "po" if "locales" in taken else "locales"
    messages = ""
    for found_files in site.messages:
        where = "project.inlang/settings.json" if found_files.format == "inlang" else found_files.source
        found.append(
            Created(
                root / found_files.source, "found", f"a message file ({found_files.format}, from {where})"
            )
        )
        if found_files.existing:
            names = ", ".join(found_files.pattern.replace("{locale}", code) for code in found_files.existing)
            first = found_files.pattern.replace("{locale}", found_files.existing[0])
            several = len(found_files.existing) > 1
            target = (
                f"# Built into {output}/ while {names} exist{'' if several else 's'}: import "
                f"{'them' if several else 'it'} first\n# (i18n import --lang "
                f"{found_files.existing[0]} {first}), then let the build write where the site reads them:\n"
                f'# output = "{found_files.pattern}"\n'
            )
        else:
            target = f'output = "{found_files.pattern}"  # where the site reads them\n'
        kind = f'format = "{found_files.format}"\n' if found_files.format == "inlang" else ""
        how = (
            "listed in project.inlang/settings.json"
            if found_files.format == "inlang"
            else "found in the site"
        )
        messages += _MESSAGES.format(found=how, source=found_files.source, output=target, format=kind)
    source = site.source_language or "en"
    table = _TABLE.format(
        languages=", ".join(f'"{language}"' for language in languages),
        source=""
        if source == "en"
        else f'# The language of the pages and message files.\nsource_language = "{source}"\n',
        content_note=f" Found: {content}." if site.content == content else "",
        content=content,
        flavours=", ".join(f'"{name}"' for name in flavour_names()),
        flavour_note=f"\n# Found: a {generator} site ({site.marker})." if generator else "",
        locales=locales,
        output_note="\n# Not build/: the site's own build writes there." if output == "l10n" else "",
        output=output,
        glossary=glossary,
        engine=_OPENAI.format(default_cost=f"{DEFAULT_MAX_COST:.2f}") if engine == "openai" else _DEEPL,
        messages=messages,
        engine_table=_OPENAI_TABLE if engine == "openai" else "",
    )
    settings = tomllib.loads(table)["tool"]["i18n"]
    if languages:  # the same checks as every command's, before anything is written
        config_from_mapping(settings, root, pyproject)
    done: list[Created] = found
    if existing is None:
        write_atomic(pyproject, table.encode("utf-8"))
        done.append(Created(pyproject, "created", "with a commented [tool.i18n] table"))
        active = settings
    elif (own := _table_of(existing)) is not None:
        done = []  # what the site has is not written: not reported
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
        page = _PAGE.replace("{output}", _relative(root, config.output_dir))
        write_atomic(content_dir / "index.md", page.encode("utf-8"))
        done.append(Created(content_dir, "created", "with a starter page, index.md"))
    if config.locales_dir.is_dir():
        done.append(Created(config.locales_dir, "kept"))
    else:
        config.locales_dir.mkdir(parents=True)
        done.append(Created(config.locales_dir, "created"))
    done.append(_write_new(config.glossary, _GLOSSARY))
    if workflows or shards is not None:
        count = shards or 1
        places = {
            "@CONTENT@": _relative(root, config.content_dir),
            "@LOCALES@": _relative(root, config.locales_dir),
            "@OUTPUT@": _relative(root, config.output_dir),
            "@GLOSSARY@": _relative(root, config.glossary),
            "@VERSION@": __version__,
            "@SHARDS@": str(count),
            "@MATRIX@": ", ".join(str(k) for k in range(1, count + 1)),
        }
        folder = root / ".github" / "workflows"
        templates: tuple[str, ...] = WORKFLOWS if count == 1 else (WORKFLOWS[0], SHARDED)
        for name in templates:
            text = files("i18n").joinpath("templates", name).read_text(encoding="utf-8")
            for placeholder, value in places.items():
                text = text.replace(placeholder, value)
            written = _write_new(folder / name, text)
            other = folder / (WORKFLOWS[1] if name == SHARDED else SHARDED)
            if name in (SHARDED, WORKFLOWS[1]) and other.exists():
                written = written._replace(note=f"{other.name} translates pushes too: remove one of them")
            done.append(written)
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
