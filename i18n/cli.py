"""Command line: the only place that prints. Library code returns or raises."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import click

from . import __version__
from .catalog import State
from .config import Config, load_config
from .errors import ConfigError, I18nError
from .files import write_if_changed
from .memo import Memo
from .project import PageStatus, collect_status, extract, find_violations, out_of_date, record_catalogs

if TYPE_CHECKING:
    from .build import LanguageBuild
    from .engines import Engine
    from .translate import TranslateReport

P = ParamSpec("P")
R = TypeVar("R")


def _reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn library errors into one line on stderr and exit status 1."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except I18nError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)

    return wrapper


def _config(ctx: click.Context) -> Config:
    project: Path | None = ctx.obj.get("project") if ctx.obj else None
    return load_config(project)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="i18n")
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    help="Project folder (holding pyproject.toml). Default: the current folder or a parent.",
)
@click.pass_context
def main(ctx: click.Context, project: Path | None) -> None:
    """Keep a markdown site translated: extract segments, translate, review, build."""
    ctx.ensure_object(dict)
    ctx.obj["project"] = project


@main.command()
@click.argument("page", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the segments as JSON.")
@click.pass_context
@_reports_errors
def segments(ctx: click.Context, page: Path, as_json: bool) -> None:
    """Show the segments PAGE yields: id, kind, line and text."""
    from .page import read_page

    try:
        keys = _config(ctx).frontmatter_keys
    except ConfigError:
        keys = ("title", "description")
    parsed = read_page(page, frontmatter_keys=keys)
    if as_json:
        rows: list[dict[str, Any]] = [
            {
                "id": s.id,
                "kind": s.kind.value,
                "line": s.line,
                "hash": s.hash,
                "anchor": s.anchor,
                "text": s.text,
            }
            for s in parsed.segments
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for s in parsed.segments:
        text = s.text.replace("\n", "⏎")
        if len(text) > 70:
            text = text[:69] + "…"
        click.echo(f"{s.line:>5}  {s.kind.value:<11} {s.id}\n       {text}")
    click.echo(f"{len(parsed.segments)} segments in {page}")


def _languages(config: Config, lang: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [code for code in lang if code not in config.languages]
    if unknown:
        raise ConfigError(
            f"unknown language {', '.join(map(repr, unknown))}; configured: {', '.join(config.languages)}"
        )
    return lang or config.languages


@main.command("extract")
@click.option("--prune", is_flag=True, help="Drop obsolete entries and catalogs of deleted pages.")
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.option("-q", "--quiet", is_flag=True, help="Only the summary line.")
@click.pass_context
@_reports_errors
def extract_command(ctx: click.Context, prune: bool, dry_run: bool, quiet: bool) -> None:
    """Create or update locales/<lang>/<page>.po and locales/templates/<page>.pot from content/."""
    config = _config(ctx)
    report = extract(config, prune=prune, dry_run=dry_run)
    verb = "would write" if dry_run else "wrote"
    summary = "would be written" if dry_run else "written"
    for path in () if quiet else report.written:
        click.echo(f"{verb} {_rel(config, path)}")
    for path in report.orphans:
        action = "removed" if path in report.removed else "kept (obsolete; remove with --prune)"
        click.echo(f"page gone for {_rel(config, path)}: {action}")
    click.echo(
        f"{len(report.written)} catalogs {summary}, {report.unchanged} unchanged, "
        f"{report.skipped} pages skipped (unchanged)"
    )


def _rel(config: Config, path: Path) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return str(path)


_STATES = (State.MISSING, State.MACHINE, State.REVIEWED, State.STALE, State.REJECTED)


def _status_json(status: dict[str, tuple[PageStatus, ...]]) -> dict[str, Any]:
    languages: dict[str, Any] = {}
    for language, rows in status.items():
        pages = {row.page: _row_json(row) for row in rows}
        totals = {
            key: sum(p[key] for p in pages.values())
            for key in ("segments", "words", "characters", "usable", "glossary", *(s.value for s in _STATES))
        }
        totals["usable_percent"] = (
            round(100.0 * totals["usable"] / totals["segments"], 1) if totals["segments"] else 100.0
        )
        languages[language] = {"pages": pages, "totals": totals}
    return {"languages": languages}


def _row_json(row: PageStatus) -> dict[str, Any]:
    data: dict[str, Any] = {"segments": row.segments, "words": row.words, "characters": row.characters}
    data.update({state.value: row.counts[state] for state in _STATES})
    data["usable"] = row.usable
    data["glossary"] = row.glossary
    data["usable_percent"] = row.usable_percent
    return data


@main.command("status")
@click.option("--lang", "lang", multiple=True, help="Only this language (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (format in the README).")
@click.pass_context
@_reports_errors
def status_command(ctx: click.Context, lang: tuple[str, ...], as_json: bool) -> None:
    """Per language and page: segments, words, and how many are missing/machine/reviewed/stale/rejected."""
    config = _config(ctx)
    data = _status_json(collect_status(config, _languages(config, lang)))
    if as_json:
        click.echo(json.dumps(data, indent=2, sort_keys=True))
        return
    header = (
        f"{'page':<32} {'segs':>5} {'words':>6}  missing machine reviewed stale rejected  usable  glossary"
    )
    for language, block in data["languages"].items():
        click.echo(f"[{language}]")
        click.echo(header)
        for name, row in [*block["pages"].items(), ("total", block["totals"])]:
            click.echo(
                f"{name:<32} {row['segments']:>5} {row['words']:>6}  {row['missing']:>7} {row['machine']:>7} "
                f"{row['reviewed']:>8} {row['stale']:>5} {row['rejected']:>8}  "
                f"{row['usable_percent']:>5.1f}%  {row['glossary']:>8}"
            )


@main.command("check")
@click.pass_context
@_reports_errors
def check_command(ctx: click.Context) -> None:
    """Fail (exit 1) when catalogs are out of date with content/ or hold a translation that fails a check."""
    config = _config(ctx)
    stale = out_of_date(config)
    for path in stale:
        click.echo(f"{_rel(config, path)}: out of date with content/ (run `i18n extract`)")
    findings = list(find_violations(config))
    for finding in findings:
        click.echo(str(finding).replace(str(config.root) + "/", ""))
    if stale or findings:
        click.echo(
            f"check failed: {len(stale)} catalogs out of date, {len(findings)} translation problems", err=True
        )
        sys.exit(1)
    click.echo("check passed: catalogs up to date, every translation passes the checks")


def _engine(name: str) -> Engine:
    from .engines import deepl_engine, pseudo_engine

    return pseudo_engine() if name == "pseudo" else deepl_engine()


@main.command("translate")
@click.option("--lang", "lang", multiple=True, help="Only this language (repeatable).")
@click.option("--engine", type=click.Choice(["deepl", "pseudo"]), help="Engine (default: config `engine`).")
@click.option(
    "--dry-run", is_flag=True, help="Print the characters and requests a run would bill; send nothing."
)
@click.option(
    "--max-characters", type=click.IntRange(min=1), help="Stop before billing more than N characters."
)
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
@click.pass_context
@_reports_errors
def translate_command(
    ctx: click.Context,
    lang: tuple[str, ...],
    engine: str | None,
    dry_run: bool,
    max_characters: int | None,
    quiet: bool,
) -> None:
    """Machine-translate missing and stale entries, checked, after reusing reviewed translations."""
    config = _config(ctx)
    languages = _languages(config, lang)
    if not _translate(ctx, config, languages, engine or str(config.engine), dry_run, max_characters, quiet):
        sys.exit(1)


def _translate(
    ctx: click.Context,
    config: Config,
    languages: tuple[str, ...],
    engine_name: str,
    dry_run: bool,
    max_characters: int | None,
    quiet: bool,
    *,
    extracted: bool = False,
) -> bool:
    """Run (or plan) a translation and print its figures; False when it stopped early."""
    from .glossary import load_glossary
    from .translate import Translation

    if dry_run:
        lagging = out_of_date(config)
        if lagging:
            raise ConfigError(
                f"{len(lagging)} catalogs are out of date with content/: run `i18n extract` first"
            )
    elif not extracted:
        extract(config)
    glossary = load_glossary(config.glossary)
    job = Translation(config, glossary)
    if dry_run:
        characters = requests = 0
        for language in languages:
            texts = chars = batches = reused = 0
            for plan in job.plans(language):
                job.release(language, save=False)  # nothing is written in a dry run
                texts, chars = texts + len(plan.jobs), chars + plan.characters
                batches, reused = batches + len(plan.batches), reused + plan.reused
            click.echo(
                f"{language}: {texts} texts, {chars} characters billed, "
                f"{batches} requests ({reused} reused from memory)"
            )
            characters, requests = characters + chars, requests + batches
        click.echo(f"total: {characters} characters, {requests} requests")
        return True

    def engine() -> Engine:
        chosen = _engine(engine_name)
        usage = chosen.usage()
        if usage is not None:
            limit = f" of {usage.limit}" if usage.limit else ""
            click.echo(f"{chosen.name} usage before this run: {usage.characters}{limit} characters")
        chosen.sync_glossary(glossary, config.source_language, config.languages)  # always the full list
        return chosen

    bars: dict[str, Any] = {}

    def progress(language: str, done: int, total: int) -> None:
        if quiet:
            return
        if language not in bars:
            bars[language] = click.progressbar(
                length=total, label=f"translating {language}", file=sys.stderr, show_pos=True
            ).__enter__()
        bars[language].update(1)
        if done == total:
            bars.pop(language).__exit__(None, None, None)

    try:
        plans = (plan for language in languages for plan in job.plans(language))
        report = job.run(
            engine, plans, max_characters=max_characters or config.max_characters, progress=progress
        )
    finally:
        for bar in bars.values():
            bar.__exit__(None, None, None)
    touched, origin = job.touched, job.origin
    del job, plans  # its tables and state summaries are freed before the state file is read again
    record_catalogs(config, touched)  # the next extract need not re-read what we just wrote
    _record_billing(config, origin, report)
    for row in report.languages.values():
        click.echo(
            f"{row.language}: {row.translated} translated ({row.rejected} rejected, {row.glossary} glossary "
            f"misses), {row.reused} reused, {row.billed} characters billed in {row.requests} requests"
        )
    left = [r for r in report.languages.values() if r.remaining_texts]
    if report.stopped is not None or report.budget_stop:
        why = str(report.stopped) if report.stopped is not None else "character budget reached"
        remaining = ", ".join(
            f"{r.language}: {r.remaining_texts} texts / {r.remaining_characters} chars" for r in left
        )
        click.echo(f"error: translation stopped: {why}. Saved what was received; left: {remaining}", err=True)
        return False
    return True


def _record_billing(config: Config, engine: str, report: TranslateReport) -> None:
    from datetime import UTC, datetime

    billed = {r.language: {"characters": r.billed, "requests": r.requests} for r in report.languages.values()}
    if not any(row["requests"] for row in billed.values()):
        return
    line = json.dumps(
        {"date": datetime.now(UTC).isoformat(timespec="seconds"), "engine": engine, "languages": billed},
        sort_keys=True,
    )
    path = config.locales_dir / ".billing.jsonl"
    previous = path.read_text(encoding="utf-8") if path.exists() else ""
    write_if_changed(path, previous + line + "\n")


@main.command("build")
@click.option("--lang", "lang", multiple=True, help="Only this language (repeatable).")
@click.pass_context
@_reports_errors
def build_command(ctx: click.Context, lang: tuple[str, ...]) -> None:
    """Write the localised pages: <output_dir>/<lang>/<page>.md, manifest.json and <lang>.tar.gz."""
    config = _config(ctx)
    _build(config, _languages(config, lang), verbose=True)


def _build(
    config: Config, languages: tuple[str, ...], *, verbose: bool, memo: Memo | None = None
) -> list[LanguageBuild]:
    from .build import build

    results = build(config, languages, memo=memo)
    for result in results:
        included = [p for p in result.pages if p.included]
        segments = sum(p.segments for p in result.pages)
        translated = sum(p.translated for p in included)
        coverage = 100.0 * translated / segments if segments else 100.0
        click.echo(
            f"build {result.language}: {len(included)}/{len(result.pages)} pages, {coverage:.1f}% of "
            f"segments translated, {result.files_written} files written, {len(result.removed)} removed "
            f"-> {_rel(config, result.archive)}"
        )
        if verbose:
            for page in result.pages:
                note = "" if page.included else " (left out: below build_min_coverage)"
                click.echo(f"  {page.page}: {page.coverage:.1f}%{note}")
                for segment in page.dropped:
                    click.echo(f"    {segment}: translation breaks the page, English used")
    return results


@main.command("import")
@click.option("--lang", "lang", required=True, help="Language of the translated pages.")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 when a page could not be aligned at all.")
@click.pass_context
@_reports_errors
def import_command(ctx: click.Context, lang: str, folder: Path, strict: bool) -> None:
    """Bring existing translated pages in FOLDER into the catalogs, marked for review."""
    from .importer import import_translations

    config = _config(ctx)
    (language,) = _languages(config, (lang,))
    extract(config)
    results = import_translations(config, language, folder)
    failed = False
    segments = aligned = imported = 0
    for row in results:
        if row.skipped:
            click.echo(f"{row.page}: skipped: {row.skipped}")
            failed = failed or row.skipped != "no translated page"
            continue
        segments, aligned, imported = segments + row.segments, aligned + row.aligned, imported + row.imported
        click.echo(
            f"{row.page}: {row.aligned}/{row.segments} aligned, {row.imported} imported, {row.kept} kept "
            f"(already translated), {len(row.rejected)} failed checks"
        )
        for segment_id in row.unaligned:
            click.echo(f"  not aligned: {segment_id}")
        for segment_id, reason in row.rejected:
            click.echo(f"  not imported: {segment_id}: {reason}")
    share = 100.0 * aligned / segments if segments else 0.0
    click.echo(f"total: {aligned}/{segments} segments aligned ({share:.1f}%), {imported} imported for review")
    if strict and failed:
        sys.exit(1)


@main.command()
@click.option("--engine", type=click.Choice(["deepl", "pseudo"]), help="Translate with this engine.")
@click.option("-q", "--quiet", is_flag=True, help="Only the summary (for CI logs).")
@click.option("-v", "--verbose", is_flag=True, help="Per-page detail.")
@click.pass_context
@_reports_errors
def run(ctx: click.Context, engine: str | None, quiet: bool, verbose: bool) -> None:
    """The whole pipeline: extract, translate (with a key or --engine), build, status summary."""
    config = _config(ctx)
    memo = Memo()  # what extract parses, build need not parse again
    report = extract(config, memo=memo)
    click.echo(
        f"extract: {len(report.written)} catalogs written, {report.unchanged} unchanged, "
        f"{report.skipped} pages skipped (unchanged)"
    )
    ok = True
    name = engine or (str(config.engine) if os.environ.get("DEEPL_AUTH_KEY") else None)
    if name is not None:
        ok = _translate(ctx, config, config.languages, name, False, None, quiet, extracted=True)
    results = _build(config, config.languages, verbose=verbose, memo=memo)
    if name is None:
        needed = ", ".join(
            f"{r.language}: {sum(p.states['missing'] + p.states['stale'] for p in r.pages)}" for r in results
        )
        click.echo(
            f"translate: skipped (no DEEPL_AUTH_KEY and no --engine); segments needing translation: {needed}"
        )
    if not quiet:
        ctx.invoke(status_command, lang=(), as_json=False)
    if not ok:
        sys.exit(1)
