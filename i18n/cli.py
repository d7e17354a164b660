"""Command line: the only place that prints. Library code returns or raises."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click

from . import __version__
from .config import Config, load_config
from .errors import ConfigError, I18nError
from .page import read_page

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


@main.command()
@click.pass_context
@_reports_errors
def run(ctx: click.Context) -> None:
    """The whole pipeline over content/: segment every page and report."""
    config = _config(ctx)
    pages = sorted(config.content_dir.rglob("*.md"))
    if not pages:
        raise ConfigError(f"no markdown pages under {config.content_dir}")
    total = 0
    for path in pages:
        page = read_page(path, frontmatter_keys=config.frontmatter_keys)
        total += len(page.segments)
        click.echo(f"{path.relative_to(config.root)}: {len(page.segments)} segments")
    click.echo(f"{len(pages)} pages, {total} segments; languages: {', '.join(config.languages)}")
