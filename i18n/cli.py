"""Command line: the only place that prints. Library code returns or raises.

Each command imports the jobs it runs when it runs, so ``i18n --help`` and a run with nothing to do load
little beyond click.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import click

from . import __version__
from .config import Config, load_config
from .errors import ConfigError, I18nError

if TYPE_CHECKING:
    from .jobs.build import LanguageBuild
    from .jobs.extract import ExtractReport
    from .jobs.translate import Progress, TranslateReport
    from .mt.engine import Usage

P = ParamSpec("P")
R = TypeVar("R")
ENGINES = ("deepl", "pseudo")


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


def _rel(config: Config, path: Path) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return str(path)


def _languages(config: Config, lang: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [code for code in lang if code not in config.languages]
    if unknown:
        raise ConfigError(
            f"unknown language {', '.join(map(repr, unknown))}; configured: {', '.join(config.languages)}"
        )
    return lang or config.languages


# -- segments ---------------------------------------------------------------------------------------------


@main.command()
@click.argument("page", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the segments as JSON.")
@click.pass_context
@_reports_errors
def segments(ctx: click.Context, page: Path, as_json: bool) -> None:
    """Show the segments PAGE yields: id, kind, line and text."""
    from .markdown.page import read_page

    try:
        config = _config(ctx)
        keys, keep, dashes = config.frontmatter_keys, config.keep_headings, config.smartypants_dashes
    except ConfigError:
        keys, keep, dashes = ("title", "description"), (), True
    parsed = read_page(page, frontmatter_keys=keys, keep_headings=keep, smartypants_dashes=dashes)
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


# -- extract ----------------------------------------------------------------------------------------------


@main.command("extract")
@click.option("--prune", is_flag=True, help="Drop obsolete entries and catalogs of deleted pages.")
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.option("-q", "--quiet", is_flag=True, help="Only the summary line.")
@click.pass_context
@_reports_errors
def extract_command(ctx: click.Context, prune: bool, dry_run: bool, quiet: bool) -> None:
    """Create or update locales/<lang>/<page>.po and locales/templates/<page>.pot from content/."""
    from .jobs.extract import extract

    config = _config(ctx)
    report = extract(config, prune=prune, dry_run=dry_run)
    verb = "would write" if dry_run else "wrote"
    for path in () if quiet else report.written:
        click.echo(f"{verb} {_rel(config, path)}")
    for path in report.orphans:
        action = "removed" if path in report.removed else "kept (obsolete; remove with --prune)"
        click.echo(f"page gone for {_rel(config, path)}: {action}")
    click.echo(_extract_line(report, dry_run=dry_run))


def _extract_line(report: ExtractReport, *, dry_run: bool = False) -> str:
    summary = "would be written" if dry_run else "written"
    return (
        f"{len(report.written)} catalogs {summary}, {report.unchanged} unchanged, "
        f"{report.skipped} pages skipped (unchanged)"
    )


# -- status and check -------------------------------------------------------------------------------------


@main.command("status")
@click.option("--lang", "lang", multiple=True, help="Only this language (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (format in the README).")
@click.pass_context
@_reports_errors
def status_command(ctx: click.Context, lang: tuple[str, ...], as_json: bool) -> None:
    """Per language and page: segments, words, and how many are missing/machine/reviewed/stale/rejected."""
    config = _config(ctx)
    _print_status(config, _languages(config, lang), as_json=as_json)


def _print_status(config: Config, languages: tuple[str, ...], *, as_json: bool = False) -> None:
    from .jobs.status import collect_status, status_document

    data = status_document(collect_status(config, languages))
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
@click.option("--strict", is_flag=True, help="Exit 1 on site warnings too.")
@click.pass_context
@_reports_errors
def check_command(ctx: click.Context, strict: bool) -> None:
    """Fail (exit 1) when catalogs are out of date with content/ or hold a translation that fails a check;
    warn about conflicts with the site's markdown toolchain (exit 1 with --strict)."""
    from .jobs.extract import out_of_date
    from .jobs.status import find_site_conflicts, find_violations

    config = _config(ctx)
    stale = out_of_date(config)
    for path in stale:
        click.echo(f"{_rel(config, path)}: out of date with content/ (run `i18n extract`)")
    findings = list(find_violations(config))
    for finding in findings:
        click.echo(str(finding).replace(str(config.root) + "/", ""))
    warnings = list(find_site_conflicts(config))
    for warning in warnings:
        click.echo("warning: " + str(warning).replace(str(config.root) + "/", ""))
    noted = f" ({len(warnings)} site warnings)" if warnings else ""
    if stale or findings or (strict and warnings):
        click.echo(
            f"check failed: {len(stale)} catalogs out of date, {len(findings)} translation problems"
            + (f", {len(warnings)} site warnings (--strict)" if strict and warnings else noted),
            err=True,
        )
        sys.exit(1)
    click.echo(f"check passed: catalogs up to date, every translation passes the checks{noted}")


# -- translate --------------------------------------------------------------------------------------------


@main.command("translate")
@click.option("--lang", "lang", multiple=True, help="Only this language (repeatable).")
@click.option("--engine", type=click.Choice(ENGINES), help="Engine (default: config `engine`).")
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
    from .jobs.pipeline import translate_site

    config = _config(ctx)
    languages = _languages(config, lang)
    with _progress(quiet) as progress:
        report = translate_site(
            config,
            languages,
            engine or str(config.engine),
            dry_run=dry_run,
            max_characters=max_characters,
            progress=progress,
            on_usage=_usage,
        )
    if dry_run:
        _print_forecast(report)
    elif not _print_translated(report):
        sys.exit(1)


def _usage(engine: str, usage: Usage) -> None:
    limit = f" of {usage.limit}" if usage.limit else ""
    click.echo(f"{engine} usage before this run: {usage.characters}{limit} characters")


@contextmanager
def _progress(quiet: bool) -> Iterator[Progress | None]:
    """A progress bar on stderr for each chunk of requests (none with ``quiet``)."""
    if quiet:
        yield None
        return
    bar: Any = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="translating", file=sys.stderr, show_pos=True)
            bar.__enter__()
        bar.update(1)
        if done == total:
            bar.__exit__(None, None, None)
            bar = None

    try:
        yield progress
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def _print_forecast(report: TranslateReport) -> None:
    characters = requests = 0
    for row in report.languages.values():
        click.echo(
            f"{row.language}: {row.texts} texts, {row.characters} characters billed, "
            f"{row.batches} requests ({row.reused} reused from memory)"
        )
        characters, requests = characters + row.characters, requests + row.batches
    click.echo(f"total: {characters} characters, {requests} requests")


def _print_translated(report: TranslateReport) -> bool:
    """The figures of a translation run; False (and why, on stderr) when it stopped early."""
    for row in report.languages.values():
        click.echo(
            f"{row.language}: {row.translated} translated ({row.rejected} rejected, {row.glossary} glossary "
            f"misses), {row.reused} reused, {row.billed} characters billed in {row.requests} requests"
        )
    if report.complete:
        return True
    why = str(report.stopped) if report.stopped is not None else "character budget reached"
    left = [r for r in report.languages.values() if r.remaining_texts]
    remaining = ", ".join(
        f"{r.language}: {r.remaining_texts} texts / {r.remaining_characters} chars" for r in left
    )
    click.echo(f"error: translation stopped: {why}. Saved what was received; left: {remaining}", err=True)
    return False


# -- build ------------------------------------------------------------------------------------------------


@main.command("build")
@click.option("--lang", "lang", multiple=True, help="Only this language (repeatable).")
@click.pass_context
@_reports_errors
def build_command(ctx: click.Context, lang: tuple[str, ...]) -> None:
    """Write the localised pages: <output_dir>/<lang>/<page>.md, manifest.json and <lang>.tar.gz."""
    from .jobs.build import build

    config = _config(ctx)
    _print_builds(config, build(config, _languages(config, lang)), verbose=True)


def _print_builds(config: Config, results: list[LanguageBuild], *, verbose: bool) -> None:
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


# -- import -----------------------------------------------------------------------------------------------


@main.command("import")
@click.option("--lang", "lang", required=True, help="Language of the translated pages.")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 when a page could not be aligned at all.")
@click.pass_context
@_reports_errors
def import_command(ctx: click.Context, lang: str, folder: Path, strict: bool) -> None:
    """Bring existing translated pages in FOLDER into the catalogs, marked for review."""
    from .jobs.extract import extract
    from .jobs.importer import import_translations

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


# -- run --------------------------------------------------------------------------------------------------


@main.command()
@click.option("--engine", type=click.Choice(ENGINES), help="Translate with this engine.")
@click.option("-q", "--quiet", is_flag=True, help="Only the summary (for CI logs).")
@click.option("-v", "--verbose", is_flag=True, help="Per-page detail.")
@click.pass_context
@_reports_errors
def run(ctx: click.Context, engine: str | None, quiet: bool, verbose: bool) -> None:
    """The whole pipeline: extract, translate (with a key or --engine), build, status summary."""
    from .jobs.pipeline import run as run_pipeline

    config = _config(ctx)
    name = engine or (str(config.engine) if os.environ.get("DEEPL_AUTH_KEY") else None)
    with _progress(quiet) as progress:
        report = run_pipeline(config, name, progress=progress, on_usage=_usage)
    click.echo(f"extract: {_extract_line(report.extract)}")
    ok = report.translate is None or _print_translated(report.translate)
    _print_builds(config, report.builds, verbose=verbose)
    if report.translate is None:
        needed = ", ".join(
            f"{r.language}: {sum(p.states['missing'] + p.states['stale'] for p in r.pages)}"
            for r in report.builds
        )
        click.echo(
            f"translate: skipped (no DEEPL_AUTH_KEY and no --engine); segments needing translation: {needed}"
        )
    if not quiet:
        _print_status(config, config.languages)
    if not ok:
        sys.exit(1)
