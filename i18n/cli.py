"""Command line: the only place that prints. Library code returns or raises; the reports carry their
totals, this module only formats them.

Imports are at the top except three, kept inside the commands that use them because each loads the
markdown parser, YAML and python-frontmatter (a run with nothing to do must not, a test checks):
``jobs.compare`` (+173 ms on top of this module, measured with ``time.perf_counter`` around the import),
``jobs.importer`` (+131 ms) and ``jobs.migrate`` (+135 ms). Every other job together adds 38 ms and none
of those modules (engine clients and the parser load only when a text is sent or a page parsed).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import click

from . import __version__
from .caches import RunCaches
from .config import Config, load_config
from .document import kind_for_path
from .errors import ConfigError, I18nError, PageError
from .files import stale_temp_files, write_if_changed
from .jobs.build import LanguageBuild, build
from .jobs.dashboard import dashboard_document, render_dashboard, source_revision
from .jobs.documents import MARKDOWN, decode
from .jobs.extract import ExtractReport, extract, out_of_date
from .jobs.init import init_site
from .jobs.lock import Holder, holder, site_lock
from .jobs.merge import mark, merge, pack
from .jobs.pipeline import run as run_pipeline
from .jobs.pipeline import translate_site
from .jobs.progress import Meter, Tally
from .jobs.shard import parse as parse_shard
from .jobs.status import (
    collect_status,
    find_glossary_warnings,
    find_number_warnings,
    find_site_conflicts,
    find_violations,
    status_document,
)
from .jobs.workers import default_jobs
from .markdown.flavours import choices as flavour_choices
from .markdown.flavours import help_text as flavour_help
from .markdown.kind import MarkdownKind
from .mt.engine import Usage
from .mt.registry import engine_names, key_variables, unbilled
from .secret import check_settings, environment_secrets, scrub

if TYPE_CHECKING:
    from .jobs.import_report import ImportTotals, MessagesImport, PageImport
    from .jobs.translate import Progress, TranslateReport

P = ParamSpec("P")
R = TypeVar("R")


class _Engines(click.Choice[str]):
    """``--engine``: the engines registered when the command line is read (:mod:`i18n.mt.registry`)."""

    def __init__(self) -> None:
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        return engine_names()

    @choices.setter
    def choices(self, value: object) -> None:  # click sets it once; the registry decides
        pass


def _unbilled(engine: str | None) -> bool:
    return engine in unbilled()


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM outside translate (which handles them itself): ends the command, and every
    write in progress is undone on the way out (atomic writes), never left half done."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _interrupt(signum: int, frame: object) -> None:
    raise Interrupted(signum)


def _reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn library errors into one line on stderr and exit status 1 (an unreadable or unwritable file
    too); an interrupt into one line and 128 + the signal's number. The file an error names is shown
    relative to the project's folder, as every other message names files."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        context = click.get_current_context(silent=True)
        try:
            return func(*args, **kwargs)
        except I18nError as exc:
            root = context.obj.get("root") if context is not None and context.obj else None
            click.echo(_unsecret(f"error: {_relative_error(exc, root)}"), err=True)
            sys.exit(1)
        except OSError as exc:  # a file the pipeline could not read or write: one line naming it
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(_unsecret(f"error: {where}{exc.strerror or exc}"), err=True)
            sys.exit(1)
        except KeyboardInterrupt as exc:
            signum = getattr(exc, "signum", signal.SIGINT)  # Interrupted, or workers stopped by one
            click.echo(f"error: interrupted by {signal.Signals(signum).name}", err=True)
            sys.exit(128 + signum)

    return wrapper


def _unsecret(line: str) -> str:
    """``line`` without any form of a key in the environment (an error may quote a value that holds one)."""
    return scrub(line, environment_secrets())


def _relative_error(exc: I18nError, root: Path | None) -> str:
    if root is None or exc.path is None or not Path(exc.path).is_absolute():
        return str(exc)
    try:
        shown = Path(exc.path).relative_to(root).as_posix()
    except ValueError:
        return str(exc)
    return str(I18nError(exc.message, path=shown, line=exc.line))


def _report_skipped(ctx: click.Context | None, skipped: list[PageError]) -> None:
    """One error line per page that could not be read (every other page was processed); exit 1."""
    if not skipped:
        return
    root = ctx.obj.get("root") if ctx is not None and ctx.obj else None
    for error in skipped:
        click.echo(f"error: {_relative_error(error, root)} (skipped)", err=True)
    sys.exit(1)


def _config(ctx: click.Context) -> Config:
    project: Path | None = ctx.obj.get("project") if ctx.obj else None
    check_settings(None)  # a key in another variable: refused before anything could show or store it
    try:
        config = load_config(project)
    except ConfigError as exc:  # named from the project's folder, as the other errors are
        if ctx.obj is not None and exc.path is not None and Path(exc.path).name == "pyproject.toml":
            ctx.obj["root"] = Path(exc.path).parent
            check_settings(Path(exc.path))  # a key pasted into a setting: say so, not the setting's error
        raise
    if ctx.obj is not None:
        ctx.obj["root"] = config.root
    check_settings(config.root / "pyproject.toml")
    return config


_WAIT = click.option(
    "--wait", is_flag=True, help="If another run is working on this site, wait for it instead of failing."
)


def _parse_shard(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    """``--shard K/N``; anything else: one line and exit status 2 (a usage error)."""
    if value is None:
        return None
    try:
        return parse_shard(value)
    except ValueError as exc:
        click.echo(f"error: --shard {exc}", err=True)
        ctx.exit(2)


_SHARD = click.option(
    "--shard",
    metavar="K/N",
    callback=_parse_shard,
    help="Only shard K of N (pages split by a stable hash of their names): one CI machine's share. "
    "Combine the N results with `i18n merge`.",
)


def _sharded(config: Config, shard: tuple[int, int] | None, *, write: bool = True) -> Config:
    """``config`` for shard ``shard`` (None: the whole site); a run that writes records which it is."""
    if shard is None:
        return config
    config = replace(config, shard=shard)
    if write:
        mark(config)
    return config


_JOBS = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes for the pages (default: one per core; 1: all in this process).",
)


_RETRY = click.option(
    "--retry-rejected",
    is_flag=True,
    help="Also send rejected translations (machine or imported; never reviewed ones) to the engine again.",
)


@contextmanager
def _locked(config: Config, command: str, wait: bool, *, skip: bool = False) -> Iterator[None]:
    """Hold the site's lock for a command that writes (not when ``skip``: a dry run writes nothing)."""
    if skip:
        yield
        return

    def waiting(holder: Holder | None) -> None:
        click.echo(f"waiting for {holder or 'another run'} to finish…", err=True)

    with site_lock(config, f"i18n {command}", wait=wait, on_wait=waiting) as lock:
        if lock.stale is not None:
            click.echo(f"note: took over the lock left by {lock.stale}, which is no longer running", err=True)
        if lock.removed:
            names = ", ".join(_rel(config, path) for path in lock.removed)
            click.echo(f"note: removed temporary files left by an interrupted run: {names}", err=True)
        yield


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    """``1 text``, ``2 texts``."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


class _Group(click.Group):
    """The command group; a usage error (a bad option value: a key pasted as ``--engine``) is shown
    without any key in the environment."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        with _usage_unsecret():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        with _usage_unsecret():
            return super().invoke(ctx)


@contextmanager
def _usage_unsecret() -> Iterator[None]:
    try:
        yield
    except click.ClickException as exc:
        vars(exc)["message"] = _unsecret(exc.message)  # Final in the stubs, a plain attribute at run time
        raise


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
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
    if threading.current_thread() is threading.main_thread():  # SIGTERM ends a command as Ctrl-C does
        previous = {number: signal.signal(number, _interrupt) for number in (signal.SIGINT, signal.SIGTERM)}
        ctx.call_on_close(lambda: [signal.signal(n, h) for n, h in previous.items()])


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


# -- init -------------------------------------------------------------------------------------------------


@main.command("init")
@click.option(
    "--lang", "lang", multiple=True, help="A target language (repeatable), e.g. --lang nl --lang de."
)
@click.option(
    "--content-dir",
    help="Folder of the English pages (default: the one the site has, e.g. src/posts or docs; else content).",
)
@click.option(
    "--engine",
    type=click.Choice(["deepl", "openai"]),
    default="deepl",
    show_default=True,
    help="The machine translation engine the configuration sets up.",
)
@click.option("--workflows", is_flag=True, help="Also write the two GitHub workflows (.github/workflows/).")
@click.option(
    "--shards",
    type=click.IntRange(min=1),
    is_flag=False,
    flag_value=4,
    metavar="N",
    help="Write the workflows with translation split over N machines (a matrix, then `i18n merge`; "
    "--shards alone: 4).",
)
@click.pass_context
@_reports_errors
def init_command(
    ctx: click.Context,
    lang: tuple[str, ...],
    content_dir: str | None,
    engine: str,
    workflows: bool,
    shards: int | None,
) -> None:
    """Set up a site: [tool.i18n] in pyproject.toml (from what the site has: its generator, content
    folder, inlang or i18next message files and their languages), the content and catalog folders,
    glossary.yaml (all kept if there)."""
    root = (ctx.obj.get("project") if ctx.obj else None) or Path.cwd()
    ctx.obj["root"] = root.resolve()
    found = init_site(root, lang, content=content_dir, workflows=workflows, engine=engine, shards=shards)
    for item in found:
        note = f" ({item.note})" if item.note else ""
        click.echo(f"{item.action} {_rel_to(root, item.path)}{note}")
    click.echo(f"next: `i18n run` (with {key_variables()[engine]} set, it also machine-translates)")


def _rel_to(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root.resolve()).as_posix() or "."
    except ValueError:
        return str(path)


# -- segments ---------------------------------------------------------------------------------------------


class _FlavourChoice(click.Choice):  # type: ignore[type-arg]
    """``--flavour``'s choices: the flavour registry's, as it is when the option is read."""

    def __init__(self) -> None:
        super().__init__(flavour_choices())

    @property  # type: ignore[override]
    def choices(self) -> Sequence[str]:
        return flavour_choices()

    @choices.setter
    def choices(self, value: Sequence[str]) -> None:
        pass  # the registry's, always


@main.command()
@click.argument("page", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the segments as JSON.")
@click.option(
    "--flavour",
    type=_FlavourChoice(),
    help="Read PAGE in this markdown flavour (default: the project's `flavour`, else auto): "
    + flavour_help()
    + ".",
)
@click.pass_context
@_reports_errors
def segments(ctx: click.Context, page: Path, as_json: bool, flavour: str | None) -> None:
    """Show the segments PAGE (a markdown page, or a .json message file) yields: id, kind, line and text."""
    try:
        config: Config | None = _config(ctx)
    except ConfigError:
        config = None
    entry = kind_for_path(page, MARKDOWN.name)  # a document kind, by the file's suffix
    spec = next((s for s in config.messages if s.source == page.resolve()), None) if config else None
    kind = entry.make(config, spec)
    if isinstance(kind, MarkdownKind) and flavour is not None:
        kind = kind._replace(flavour=flavour)
    try:
        data = page.read_bytes()
    except OSError as exc:
        raise PageError(f"cannot read: {exc.strerror or exc}", path=page) from None
    text = decode(data, str(page), entry.what)
    parsed = kind.parse(text, str(page))
    read_as = f" ({kind.flavour_of(text, str(page)).name} flavour)" if isinstance(kind, MarkdownKind) else ""
    if as_json:
        rows: list[dict[str, Any]] = [
            {
                "id": s.id,
                "kind": s.kind.value,
                "line": s.line,
                "hash": s.hash,
                "anchor": s.anchor,
                "text": s.text,
                **({"notes": list(s.notes)} if s.notes else {}),
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
        for note in s.notes:
            click.echo(f"       # {note}")
    click.echo(f"{len(parsed.segments)} segments in {page}{read_as}")


# -- extract ----------------------------------------------------------------------------------------------


@main.command("extract")
@click.option("--prune", is_flag=True, help="Drop obsolete entries and catalogs of deleted pages.")
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.option("-q", "--quiet", is_flag=True, help="Only the summary line.")
@_SHARD
@_JOBS
@_WAIT
@click.pass_context
@_reports_errors
def extract_command(
    ctx: click.Context,
    prune: bool,
    dry_run: bool,
    quiet: bool,
    shard: tuple[int, int] | None,
    jobs: int | None,
    wait: bool,
) -> None:
    """Create or update each page's catalogs (<locales_dir>/<lang>/<page>.po) and template
    (<locales_dir>/templates/<page>.pot) from the content folder."""
    config = _config(ctx)
    skipped: list[PageError] = []
    with _locked(config, "extract", wait, skip=dry_run):
        config = _sharded(config, shard, write=not dry_run)
        report = extract(config, prune=prune, dry_run=dry_run, skipped=skipped, jobs=jobs or default_jobs())
    verb = "would write" if dry_run else "wrote"
    for path in () if quiet else report.written:
        click.echo(f"{verb} {_rel(config, path)}")
    for path in () if quiet else report.orphans:
        if path in report.removed:
            action = "would be removed" if dry_run else "removed"
        else:
            action = "kept (obsolete; remove with --prune)"
        click.echo(f"page gone for {_rel(config, path)}: {action}")
    click.echo(_extract_line(report, dry_run=dry_run))
    _report_skipped(ctx, skipped)


def _extract_line(report: ExtractReport, *, dry_run: bool = False) -> str:
    would = "would be " if dry_run else ""
    line = (
        f"{_plural(len(report.written), 'catalog')} {would or ''}written, {report.unchanged} unchanged, "
        f"{_plural(report.skipped, 'page')} skipped (unchanged)"
    )
    if report.orphans:
        removed, kept = len(report.removed), len(report.orphans) - len(report.removed)
        parts = [f"{removed} {would}removed"] if removed else []
        parts += [f"{kept} kept"] if kept else []
        line += f"; {_plural(len(report.orphans), 'catalog')} of deleted pages: {', '.join(parts)}"
    return line


# -- status and check -------------------------------------------------------------------------------------


@main.command("status")
@click.option("--lang", "lang", multiple=True, help="Only this language (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (format in the README).")
@click.option(
    "--html",
    "html_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a self-contained HTML dashboard to FILE (the same numbers as --json).",
)
@click.option(
    "--link-base",
    metavar="URL",
    help="Link catalogs in the dashboard as URL/<path> (e.g. a repository's blob URL); default: relative.",
)
@click.pass_context
@_reports_errors
def status_command(
    ctx: click.Context, lang: tuple[str, ...], as_json: bool, html_file: Path | None, link_base: str | None
) -> None:
    """Per language and page: segments, words, and how many are missing/machine/reviewed/stale/rejected."""
    config = _config(ctx)
    languages = _languages(config, lang)
    skipped: list[PageError] = []
    if html_file is None:
        _print_status(config, languages, as_json=as_json, skipped=skipped)
        if not as_json:
            for warning in find_glossary_warnings(config):
                click.echo("warning: " + str(warning).replace(str(config.root) + "/", ""))
        _report_skipped(ctx, skipped)
        return
    document = dashboard_document(
        config,
        languages,
        html_path=html_file,
        link_base=link_base,
        revision=source_revision(config.root),
        skipped=skipped,
    )
    if as_json:
        click.echo(json.dumps(document["status"], indent=2, sort_keys=True))
    write_if_changed(html_file, render_dashboard(document))
    click.echo(f"dashboard written to {html_file}", err=as_json)
    _report_skipped(ctx, skipped)


def _print_status(
    config: Config,
    languages: tuple[str, ...],
    *,
    as_json: bool = False,
    skipped: list[PageError] | None = None,
) -> None:
    data = status_document(collect_status(config, languages, [] if skipped is None else skipped))
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
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (site conflicts, numbers that differ).")
@click.pass_context
@_reports_errors
def check_command(ctx: click.Context, strict: bool) -> None:
    """Fail (exit 1) when catalogs are out of date with the content folder, hold a translation that
    fails a check, or an interrupted run left temporary files; warn about conflicts with the site's
    markdown toolchain, do-not-translate terms a human translation changed and translations whose numbers
    differ from their source's (exit 1 with --strict)."""
    config = _config(ctx)
    skipped: list[PageError] = []
    stale = out_of_date(config, skipped)
    content = _rel(config, config.content_dir)
    for path in stale:
        click.echo(f"{_rel(config, path)}: out of date with {content}/ (run `i18n extract`)")
    findings = list(find_violations(config))
    for finding in findings:
        click.echo(str(finding).replace(str(config.root) + "/", ""))
    warnings = (
        list(find_number_warnings(config))
        + list(find_site_conflicts(config, skipped))
        + list(find_glossary_warnings(config))
    )
    for warning in warnings:
        click.echo("warning: " + str(warning).replace(str(config.root) + "/", ""))
    running = holder(config) is not None  # a run in progress owns its temporary files
    temps = [] if running else sorted(stale_temp_files((config.locales_dir, config.output_dir)))
    for path in temps:
        click.echo(
            f"{_rel(config, path)}: temporary file left by an interrupted run "
            "(the next extract, translate, build, import or run removes it)"
        )
    noted = f" ({len(warnings)} site warnings)" if warnings else ""
    for error in skipped:  # pages that cannot be read: each named, the check fails
        click.echo(f"error: {_relative_error(error, config.root)} (skipped)", err=True)
    if stale or findings or temps or (strict and warnings) or skipped:
        click.echo(
            f"check failed: {len(stale)} catalogs out of date, {len(findings)} translation problems, "
            f"{_plural(len(temps), 'stale temporary file')}"
            + (f", {_plural(len(skipped), 'unreadable page')}" if skipped else "")
            + (f", {len(warnings)} site warnings (--strict)" if strict and warnings else noted),
            err=True,
        )
        sys.exit(1)
    click.echo(f"check passed: catalogs up to date, every translation passes the checks{noted}")


# -- translate --------------------------------------------------------------------------------------------


@main.command("translate")
@click.option("--lang", "lang", multiple=True, help="Only this language (repeatable).")
@click.option("--engine", type=_Engines(), help="Engine (default: config `engine`).")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print the characters (or tokens and cost) and requests a run would bill; send nothing.",
)
@click.option(
    "--max-characters", type=click.IntRange(min=1), help="Stop before billing more than N characters."
)
@click.option(
    "--max-cost",
    type=click.FloatRange(min=0, min_open=True),
    help="Stop before spending more than this (openai engine, needs `prices`).",
)
@click.option(
    "--retranslate-machine",
    is_flag=True,
    help="Also re-translate machine translations made with another engine, model, prompt, instructions "
    "or glossary than now (never reviewed ones).",
)
@_RETRY
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
@_SHARD
@_WAIT
@click.pass_context
@_reports_errors
def translate_command(
    ctx: click.Context,
    lang: tuple[str, ...],
    engine: str | None,
    dry_run: bool,
    max_characters: int | None,
    max_cost: float | None,
    retranslate_machine: bool,
    retry_rejected: bool,
    quiet: bool,
    shard: tuple[int, int] | None,
    wait: bool,
) -> None:
    """Machine-translate missing and stale entries, checked, after reusing reviewed translations."""
    config = _config(ctx)
    languages = _languages(config, lang)
    skipped: list[PageError] = []
    with _locked(config, "translate", wait, skip=dry_run), _progress(quiet) as progress:
        config = _sharded(config, shard, write=not dry_run)
        report = translate_site(
            config,
            languages,
            engine or str(config.engine),
            dry_run=dry_run,
            max_characters=max_characters,
            max_cost=max_cost,
            retranslate=retranslate_machine,
            retry_rejected=retry_rejected,
            progress=progress,
            on_usage=_usage,
            skipped=skipped,
        )
    if dry_run:
        _print_forecast(report, engine or str(config.engine))
        for item in report.too_large:
            click.echo(f"warning: {item}", err=True)
    elif code := _print_translated(report):
        _report_skipped(ctx, skipped)  # named too when the run stopped early
        sys.exit(code)
    _report_skipped(ctx, skipped)


def _usage(engine: str, usage: Usage) -> None:
    limit = f" of {usage.limit}" if usage.limit else ""
    click.echo(f"{engine} usage before this run: {usage.characters}{limit} characters")


@contextmanager
def _progress(quiet: bool) -> Iterator[Progress | None]:
    """Progress on stderr (none with ``quiet``): a bar on a terminal, else a line every few seconds
    (CI logs): texts done / total, requests, characters or tokens, cost so far."""
    if quiet:
        yield None
        return
    meter = Meter(terminal=sys.stderr.isatty())

    def progress(tally: Tally) -> None:
        shown = meter.show(tally)
        if shown is not None:
            click.echo(shown, err=True, nl=not meter.terminal)

    try:
        yield progress
    finally:
        end = meter.final()
        if end is not None:
            click.echo(end, err=True, nl=not meter.terminal)


def _print_gate(report: TranslateReport, engine: str, planned: float | None = None) -> None:
    """The run's spend gate, as every dry run and summary of an engine that bills states it; with the
    dry run's ``planned`` total (characters or cost), whether the run would stop at it."""
    if report.gate is not None:
        limit = report.gate.limit
        over = ""
        if planned is not None and limit is not None and planned > limit:
            shown = f"{planned:.4f}" if report.gate.unit == "cost" else str(int(planned))
            over = f"; the run would stop there, before all of this ({shown})"
        click.echo(f"spend gate: {report.gate.describe()}{over}")
    elif not _unbilled(engine):
        click.echo(f"spend gate: none (no [tool.i18n.{engine}] prices: the cost is unknown)")


def _cost(cost: float | None) -> str:
    return f", cost {cost:.4f}" if cost is not None else ""


def _print_forecast(report: TranslateReport, engine: str) -> None:
    if report.model is not None:
        _print_token_forecast(report)
        return
    billed = "" if _unbilled(engine) else " billed"
    for row in report.languages.values():
        click.echo(
            f"{row.language}: {_plural(row.texts, 'text')}, {_plural(row.characters, 'character')}{billed}, "
            f"{_plural(row.batches, 'request')} ({row.reused} reused from memory)"
        )
    _print_gate(report, engine, report.planned_characters)
    note = f" ({engine}: nothing billed)" if _unbilled(engine) else ""
    characters, requests = report.planned_characters, report.planned_requests
    click.echo(f"total: {_plural(characters, 'character')}, {_plural(requests, 'request')}{note}")


def _print_token_forecast(report: TranslateReport) -> None:
    for row in report.languages.values():
        click.echo(
            f"{row.language}: {_plural(row.texts, 'text')}, {_plural(row.batches, 'request')} "
            f"({row.reused} reused from memory), "
            f"about {row.estimated_prompt_tokens} prompt + {row.estimated_completion_tokens} completion "
            f"tokens{_cost(row.estimated_cost)}"
        )
    total, requests = report.estimated_cost, report.planned_requests
    _print_gate(report, report.engine or "", total)
    most = f"at most {report.max_requests} with texts asked again; " if requests else ""
    tokens = f"{report.estimated_prompt_tokens} prompt + {report.estimated_completion_tokens} completion"
    click.echo(
        f"total: about {tokens} tokens{_cost(total)}, {requests} requests "
        f"({most}{report.model}; tokens counted by {report.counting})"
    )


def _print_translated(report: TranslateReport) -> int:
    """The figures of a translation run; its exit status: 0, or (and why, on stderr) 1 when it stopped
    early, 128 + the signal's number when a signal stopped it."""
    unbilled = _unbilled(report.engine)
    for row in report.languages.values():
        if report.model is not None:
            tokens = f"{row.prompt_tokens} prompt + {row.completion_tokens} completion tokens"
            tokens += _cost(row.cost)
            sent = f"{tokens} in {_plural(row.requests, 'request')}"
        elif unbilled:
            sent = (
                f"{_plural(row.billed, 'character')} sent in {_plural(row.requests, 'request')} "
                f"({report.engine}: not billed)"
            )
        else:
            sent = f"{_plural(row.billed, 'character')} billed in {_plural(row.requests, 'request')}"
        click.echo(
            f"{row.language}: {row.translated} translated ({row.rejected} rejected, "
            f"{_plural(row.glossary, 'glossary miss', 'glossary misses')}), {row.reused} reused, {sent}"
        )
    for item in report.too_large:
        click.echo(f"warning: {item}", err=True)
    _print_gate(report, report.engine or "")
    if report.complete:
        return 0
    budget = "cost budget reached" if report.model is not None else "character budget reached"
    if report.gate is not None:
        budget += f": {report.gate.describe()}"
    why = str(report.stopped) if report.stopped is not None else budget
    if report.abandoned:
        why += f" ({_plural(report.abandoned, 'request')} still in flight given up: their answers are lost)"
    remaining = ", ".join(
        f"{r.language}: {_plural(r.remaining_texts, 'text')} / {r.remaining_characters} chars"
        for r in report.left
    )
    click.echo(
        f"error: translation stopped: {why}. Saved what was received; left: {remaining or 'nothing'}",
        err=True,
    )
    return 128 + report.signal if report.signal is not None else 1


# -- compare ----------------------------------------------------------------------------------------------


@main.command("compare")
@click.argument("page", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--model", "models", multiple=True, required=True, help="A chat model (give two or more).")
@click.option("--lang", "lang", help="Target language (default: the first configured one).")
@click.option(
    "--engine", type=click.Choice(["openai"]), default="openai", show_default=True, help="Chat engine."
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the comparison (default: <output_dir>/compare).",
)
@click.pass_context
@_reports_errors
def compare_command(
    ctx: click.Context, page: Path, models: tuple[str, ...], lang: str | None, engine: str, out: Path | None
) -> None:
    """Translate PAGE with each --model side by side for a translator to judge; catalogs are not touched."""
    from .jobs.compare import compare

    config = _config(ctx)
    (language,) = _languages(config, (lang,)) if lang else config.languages[:1] or ("",)
    if not language:
        raise ConfigError("no target language: set `languages` in [tool.i18n] or pass --lang")
    result = compare(config, page, models, language, out=out)
    failed = False
    for model in result.models:
        row = model.report
        passed = sum(1 for _, rejected in model.translations.values() if rejected is None)
        spent = ""
        if row is not None:
            spent = (
                f", {row.prompt_tokens} prompt + {row.completion_tokens} completion tokens{_cost(row.cost)}"
            )
        click.echo(f"{model.model}: {passed}/{len(result.segments)} segments passed the checks{spent}")
        if model.page is not None:
            click.echo(f"  wrote {_rel(config, model.page)}")
        if model.stopped is not None:
            failed = True
            click.echo(f"error: {model.model}: stopped: {model.stopped}", err=True)
    click.echo(f"wrote {_rel(config, result.table)}")
    if failed:
        sys.exit(1)


# -- build ------------------------------------------------------------------------------------------------


@main.command("build")
@click.option("--lang", "lang", multiple=True, help="Only this language (repeatable).")
@click.option(
    "--pseudo",
    is_flag=True,
    help="Build the pseudo-locale (config `pseudo_locale`, en-XA) from the sources; no catalogs used.",
)
@click.option("-q", "--quiet", is_flag=True, help="Only one line per language.")
@_SHARD
@_JOBS
@_WAIT
@click.pass_context
@_reports_errors
def build_command(
    ctx: click.Context,
    lang: tuple[str, ...],
    pseudo: bool,
    quiet: bool,
    shard: tuple[int, int] | None,
    jobs: int | None,
    wait: bool,
) -> None:
    """Write the localised pages: <output_dir>/<lang>/<page>.md, manifest.json and <lang>.tar.gz."""
    if shard is not None and pseudo:
        click.echo("error: --pseudo is not sharded: run `i18n build --pseudo` after `i18n merge`", err=True)
        ctx.exit(2)
    config = _config(ctx)
    languages = _languages(config, lang) if lang or not pseudo else ()
    skipped: list[PageError] = []
    with _locked(config, "build", wait, skip=not languages):  # the pseudo-locale alone reads no catalog
        config = _sharded(config, shard)
        results = build(config, languages, pseudo=pseudo, skipped=skipped, jobs=jobs or default_jobs())
    _print_builds(config, results, verbose=not quiet)
    _report_skipped(ctx, skipped)


def _print_builds(config: Config, results: list[LanguageBuild], *, verbose: bool) -> None:
    for result in results:
        click.echo(
            f"build {result.language}: {len(result.included)}/{len(result.pages)} pages, "
            f"{result.coverage:.1f}% of segments translated, {result.files_written} files written, "
            f"{len(result.removed)} removed "
            f"-> {_rel(config, result.archive) if config.shard is None else 'archived by `i18n merge`'}"
        )
        if verbose:
            for page in result.pages:
                note = "" if page.included else " (left out: below build_min_coverage)"
                click.echo(f"  {page.page}: {page.coverage:.1f}%{note}")
                partners = page.partners or ("",) * len(page.dropped)
                for segment, partner in zip(page.dropped, partners, strict=True):
                    why = f" together with the translation of {partner}" if partner else ""
                    click.echo(f"    {segment}: translation breaks the page{why}, English used")


@main.command("pack")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@_SHARD
@_WAIT
@click.pass_context
@_reports_errors
def pack_command(ctx: click.Context, folder: Path, shard: tuple[int, int] | None, wait: bool) -> None:
    """Copy shard K/N's own catalogs, built files and records into FOLDER (new or empty), at their
    paths in the project: what a CI machine uploads for `i18n merge`."""

    if shard is None:
        click.echo("error: i18n pack needs --shard K/N", err=True)
        ctx.exit(2)
    config = _config(ctx)
    with _locked(config, "pack", wait):
        count = pack(replace(config, shard=shard), folder.resolve())
    click.echo(f"pack: {_plural(count, 'file')} of shard {shard[0]}/{shard[1]} -> {folder}")


@main.command("merge")
@click.argument("folders", nargs=-1, required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("-q", "--quiet", is_flag=True, help="Only one line per language.")
@_WAIT
@click.pass_context
@_reports_errors
def merge_command(ctx: click.Context, folders: tuple[Path, ...], quiet: bool, wait: bool) -> None:
    """Combine the results of `--shard K/N` runs (FOLDERS: each shard's copy of the project, or its
    artefact) into this project: catalogs, outputs, state; then build the manifests and archives."""

    config = _config(ctx)
    with _locked(config, "merge", wait):
        merged = merge(config, folders)
    click.echo(
        f"merge: {merged.shards} shards, {_plural(len(merged.copied), 'file')} copied, "
        f"{len(merged.removed)} removed"
    )
    _print_builds(config, merged.builds, verbose=not quiet)


# -- import -----------------------------------------------------------------------------------------------


@main.command("import")
@click.option("--lang", "lang", required=True, help="Language of the translations.")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--strict", is_flag=True, help="Exit 1 when a page could not be aligned at all or has no English page."
)
@click.option(
    "--messages",
    "messages",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The configured message file a translated FILE.json belongs to (needed when several are).",
)
@click.option(
    "--source",
    "made_from",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The English pages the translations were made from (an older copy of the content folder): "
    "aligned with those, then carried onto today's English (edited segments stale, removed obsolete).",
)
@click.option(
    "--source-rev",
    "revision",
    metavar="REV",
    help="Like --source, with the content folder as it was at git revision REV.",
)
@_WAIT
@click.pass_context
@_reports_errors
def import_command(
    ctx: click.Context,
    lang: str,
    path: Path,
    strict: bool,
    messages: Path | None,
    made_from: Path | None,
    revision: str | None,
    wait: bool,
) -> None:
    """Bring existing translations into the catalogs, marked for review: translated pages in a folder
    PATH, or a translated message file PATH (matched by key)."""
    config = _config(ctx)
    (language,) = _languages(config, (lang,))
    if made_from is not None and revision is not None:
        raise ConfigError("give --source or --source-rev, not both")
    if path.is_file():
        if made_from is not None or revision is not None:
            raise ConfigError("--source and --source-rev are for a folder of translated pages")
        from .jobs.importer import import_messages, message_source

        source = message_source(config, messages)
        with _locked(config, "import", wait):
            extract(config)
            done = import_messages(config, language, path, source)
        _print_messages_import(done, path)
        return
    from .jobs.import_report import NO_TRANSLATION, ImportTotals
    from .jobs.importer import import_translations

    with _locked(config, "import", wait), _made_from(config, made_from, revision) as older:
        extract(config)
        results = import_translations(config, language, path, made_from=older)
    against = revision or (str(made_from) if made_from else None)
    failed = _print_import(results, ImportTotals.of(results), NO_TRANSLATION, against)
    if strict and failed:
        sys.exit(1)


@contextmanager
def _made_from(config: Config, folder: Path | None, revision: str | None) -> Iterator[Path | None]:
    if revision is None:
        yield folder
        return
    from .jobs.migrate import content_at

    with content_at(config, revision) as older:
        yield older


def _print_import(
    results: list[PageImport], total: ImportTotals, no_translation: str, against: str | None
) -> bool:
    """Print an import's pages and totals; whether a page was skipped."""
    for row in results:
        if row.skipped == no_translation:
            continue
        if row.skipped:
            click.echo(f"{row.page}: skipped: {row.skipped}")
            continue
        changed = f", {row.stale} stale, {row.obsolete} obsolete" if row.against else ""
        today = " with today's English (not in the older one)" if against and not row.against else ""
        click.echo(
            f"{row.page}: {row.aligned}/{row.segments} aligned{today}, "
            f"{row.imported} imported, {len(row.rejected)} kept as rejected (failed checks){changed}, "
            f"{row.kept} kept (already translated), {_plural(len(row.restored), 'link target')} restored"
        )
        for segment_id, reason in row.unaligned:
            click.echo(f"  not aligned: {segment_id}: {reason}")
        for segment_id, reason in row.rejected:
            click.echo(f"  rejected: {segment_id}: {reason}")
        for segment_id, old, new in row.restored:
            click.echo(f"  link target restored: {segment_id}: {old!r} -> {new!r}")
    changed = ""
    if against:
        changed = f", {total.stale} stale (English changed since {against}), "
        changed += f"{total.obsolete} obsolete (English gone)"
    click.echo(
        f"total: {total.aligned}/{total.segments} segments aligned ({total.aligned_percent:.1f}%) on "
        f"{_plural(total.pages, 'page')} ({total.skipped} skipped), {total.imported} imported for review, "
        f"{total.rejected} kept as rejected{changed}; {total.stored_percent:.1f}% reached the catalogs"
    )
    return total.skipped > 0


def _print_messages_import(report: MessagesImport, path: Path) -> None:
    click.echo(
        f"{report.source} <- {path}: {len(report.shared)}/{report.keys} keys shared, {report.imported} "
        f"imported for review, {report.kept} kept (already translated), {len(report.untranslated)} the "
        f"same as the English, {len(report.rejected)} rejected"
    )
    for key, reason in report.rejected:
        click.echo(f"  rejected (kept for the translator): {key}: {reason}")
    for key in report.untranslated:
        click.echo(f"  same as the English (not imported): {key}")
    for key in report.missing:
        click.echo(f"  not in {path.name}: {key}")
    for key in report.unknown:
        click.echo(f"  not in the source (no longer there?): {key}")


# -- run --------------------------------------------------------------------------------------------------


@main.command()
@click.option("--engine", type=_Engines(), help="Translate with this engine.")
@click.option("-q", "--quiet", is_flag=True, help="Only the summary (for CI logs).")
@click.option("-v", "--verbose", is_flag=True, help="Per-page detail.")
@_RETRY
@_SHARD
@_JOBS
@_WAIT
@click.pass_context
@_reports_errors
def run(
    ctx: click.Context,
    engine: str | None,
    quiet: bool,
    verbose: bool,
    retry_rejected: bool,
    shard: tuple[int, int] | None,
    jobs: int | None,
    wait: bool,
) -> None:
    """The whole pipeline: extract, translate (with a key or --engine), build, status summary."""
    config = _config(ctx)
    variables = key_variables()
    variable = variables.get(config.engine, variables["deepl"])
    name = engine or (str(config.engine) if os.environ.get(variable) else None)
    skipped: list[PageError] = []
    with _locked(config, "run", wait), _progress(quiet) as progress:
        config = _sharded(config, shard)
        report = run_pipeline(
            config,
            name,
            progress=progress,
            on_usage=_usage,
            retry_rejected=retry_rejected,
            skipped=skipped,
            caches=RunCaches(),  # kept past the run: the status printed below reuses its checks
            jobs=jobs or default_jobs(),
        )
    click.echo(f"extract: {_extract_line(report.extract)}")
    code = 0 if report.translate is None else _print_translated(report.translate)
    if report.translate is None:
        needed = ", ".join(f"{r.language}: {r.needing}" for r in report.builds)
        click.echo(
            f"translate: skipped (no {variable} and no --engine); segments needing translation: {needed}"
        )
    _print_builds(config, report.builds, verbose=verbose)
    if report.builds:
        _print_failing(config)
    if not quiet and report.builds:
        _print_status(config, config.languages, skipped=skipped)
    if code:
        _report_skipped(ctx, skipped)
        sys.exit(code)
    _report_skipped(ctx, skipped)


_FAILING_SHOWN = 20


def _print_failing(config: Config) -> None:
    """Name the translations in the catalogs that fail a check (a reviewed one a translator must fix; none
    is built: English in its place). The run still exits 0 for them; ``i18n check`` exits 1."""
    failing = [
        finding
        for finding in find_violations(config, pseudo=False)
        if not finding.text.startswith("rejected: ")
    ]
    if not failing:
        return
    click.echo(
        f"check: {_plural(len(failing), 'translation problem')} (English is built in place of a failing "
        "translation; `i18n check` exits 1 on them):"
    )
    for finding in failing[:_FAILING_SHOWN]:
        click.echo("  " + str(finding).replace(str(config.root) + "/", ""))
    if len(failing) > _FAILING_SHOWN:
        click.echo(f"  … and {len(failing) - _FAILING_SHOWN} more (`i18n check` lists them all)")
