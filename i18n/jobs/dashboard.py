"""``status --html``: one self-contained HTML page for translators and national groups.

The numbers are :func:`i18n.jobs.status.status_document`'s, the very document ``status --json`` prints
(it is embedded in the page too); on top of it come what a translator acts on: the stale and rejected
entries with their reason, the glossary misses, a link to each document's catalog, the date and the
source revision. Nothing is loaded from the network: CSS and the bars (SVG) are inline, and the page's
Content-Security-Policy forbids any other load. The page is generic over documents: it shows whatever
``collect_status`` returns.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from .. import __version__
from ..catalog.model import State
from ..catalog.update import kind_of
from ..clock import Clock, utc_now
from ..config import Config
from ..errors import PageError
from ..files import file_digest
from .catalogs import read_catalog
from .layout import catalog_path, list_sources
from .state import SiteState
from .status import STATE_ORDER, collect_status, status_document

COLOURS = {
    "missing": "#c9ced6",
    "machine": "#e9b949",
    "reviewed": "#2f9e5a",
    "stale": "#e07b24",
    "rejected": "#cf3a37",
}
BAR_UNITS = 1000  # an SVG bar's viewBox width
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def source_revision(root: Path) -> str | None:
    """The source's revision: ``GITHUB_SHA`` in CI, else ``git rev-parse HEAD`` (None without git)."""
    sha = os.environ.get("GITHUB_SHA")
    if sha:
        return sha
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    revision = result.stdout.strip()
    return revision if result.returncode == 0 and revision else None


def dashboard_document(
    config: Config,
    languages: Sequence[str],
    *,
    html_path: Path,
    link_base: str | None = None,
    clock: Clock = utc_now,
    revision: str | None = None,
    skipped: list[PageError] | None = None,
) -> dict[str, Any]:
    """What the page shows: ``status`` (exactly ``status --json``'s document), per language the catalog
    link of each document and the entries a translator should look at, the date and the revision.
    Links are relative to ``html_path``'s folder, or ``link_base`` + the path from the project root."""
    status = status_document(collect_status(config, languages, skipped))
    state = SiteState(config)
    details: dict[str, Any] = {}
    for language in languages:
        links: dict[str, str] = {}
        entries: list[dict[str, Any]] = []
        misses: list[dict[str, Any]] = []
        for source in list_sources(config):
            if source.ref not in status["languages"][language]["pages"]:
                continue
            path = catalog_path(config, language, source.ref)
            links[source.ref] = _link(config, path, html_path, link_base)
            for note in _notes(state, language, source.ref, path):
                (misses if note["state"] == "glossary" else entries).append(note)
        details[language] = {"catalogs": links, "entries": entries, "glossary": misses}
    return {
        "status": status,
        "details": details,
        "generated": clock().strftime("%Y-%m-%d %H:%M UTC"),
        "revision": revision,
        "version": __version__,
    }


def _link(config: Config, path: Path, html_path: Path, base: str | None) -> str:
    inside = path.relative_to(config.root).as_posix() if path.is_relative_to(config.root) else path.as_posix()
    if base is not None:
        return base.rstrip("/") + "/" + inside
    return Path(os.path.relpath(path, html_path.resolve().parent)).as_posix()


def _notes(site: SiteState, language: str, ref: str, path: Path) -> list[dict[str, Any]]:
    """A catalog's stale and rejected entries and glossary misses (not read when its summary in the
    state file shows none)."""
    summary = site.summary(ref, language, file_digest(path))
    if summary is not None and not (
        summary.count(State.STALE) or summary.count(State.REJECTED) or summary.glossary
    ):
        return []
    if not path.exists():
        return []
    from ..checks import check_translation, effective_state  # the parser: only when a catalog is read

    notes: list[dict[str, Any]] = []
    for message in read_catalog(path, ref, language).active:
        state = effective_state(message)
        base = {"page": ref, "line": message.line, "msgid": message.msgid, "msgstr": message.msgstr}
        if state is State.STALE:
            previous = message.previous
            reason = "the English changed since this translation was made"
            notes.append({**base, "state": "stale", "reason": reason, "previous": previous})
        elif state is State.REJECTED:
            why = message.rejected if message.fuzzy and message.rejected else None
            if why is None:
                problems = check_translation(message.msgid, message.msgstr, kind_of(message))
                why = "; ".join(str(problem) for problem in problems)
            notes.append({**base, "state": "rejected", "reason": why, "previous": None})
        if message.glossary and message.fuzzy:
            notes.append(
                {**base, "state": "glossary", "reason": ", ".join(message.glossary), "previous": None}
            )
    return notes


# -- rendering (pure) -------------------------------------------------------------------------------------

_STYLE = """
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6573; --line: #e3e6eb; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; font: 15px/1.45 system-ui, sans-serif;
       color: var(--ink); background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .4rem; }
.meta { color: var(--muted); margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; margin: .25rem 0 1rem; }
th, td { padding: .3rem .5rem; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
td.bar-cell { width: 30%; }
svg.bar { display: block; width: 100%; min-width: 8rem; height: 12px; border-radius: 3px;
          background: #f1f3f6; }
.legend { display: flex; flex-wrap: wrap; gap: 1rem; margin: .5rem 0 1rem; color: var(--muted); }
.legend span::before { content: ""; display: inline-block; width: .8em; height: .8em; margin-right: .3em;
                       border-radius: 2px; background: var(--c); vertical-align: -0.05em; }
ul.entries { list-style: none; padding: 0; }
ul.entries li { border-left: 4px solid var(--c); padding: .35rem .6rem; margin: .4rem 0;
                background: #fafbfc; }
.text { white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: .85rem; }
.reason { color: var(--muted); }
a { color: #1c5fb8; }
"""


def render_dashboard(document: Mapping[str, Any]) -> str:
    """The HTML page for a :func:`dashboard_document` (deterministic: same document, same bytes)."""
    status = document["status"]["languages"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Translation status</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<h1>Translation status</h1>",
        '<p class="meta">Generated <time id="generated">'
        + escape(str(document["generated"]))
        + '</time> from source revision <code id="revision">'
        + escape(str(document.get("revision") or "unknown"))
        + "</code> by i18n "
        + escape(str(document.get("version", "")))
        + ".</p>",
        _legend(),
        "<h2>Languages</h2>",
        _table(
            "languages",
            [(language, block["totals"], None) for language, block in status.items()],
            "language",
            link_anchor=True,
        ),
    ]
    for language, block in status.items():
        details = document["details"].get(language, {})
        links = details.get("catalogs", {})
        parts.append(f'<section id="lang-{escape(language)}" data-language="{escape(language)}">')
        parts.append(f"<h2>{escape(language)}</h2>")
        rows = [(page, row, links.get(page)) for page, row in block["pages"].items()]
        parts.append(_table(f"pages-{language}", rows, "document"))
        parts.append(_entries(details.get("entries", []), links))
        parts.append(_glossary(details.get("glossary", []), links))
        parts.append("</section>")
    embedded = json.dumps(document["status"], sort_keys=True, ensure_ascii=False).replace("</", "<\\/")
    parts.append(f'<script type="application/json" id="status-json">{embedded}</script>')
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _legend() -> str:
    items = "".join(f'<span style="--c: {COLOURS[s.value]}">{s.value}</span>' for s in STATE_ORDER)
    return f'<div class="legend">{items}</div>'


_COLUMNS = ("segments", "words", "missing", "machine", "reviewed", "stale", "rejected", "usable", "glossary")


def _table(
    name: str,
    rows: Sequence[tuple[str, Mapping[str, Any], str | None]],
    first: str,
    *,
    link_anchor: bool = False,
) -> str:
    head = "".join(f"<th>{column}</th>" for column in _COLUMNS)
    out = [
        f'<table id="{escape(name)}">',
        f"<thead><tr><th>{first}</th><th>usable %</th><th>states</th>{head}</tr></thead>",
        "<tbody>",
    ]
    for key, row, link in rows:
        label = escape(key)
        if link_anchor:
            label = f'<a href="#lang-{escape(key)}">{label}</a>'
        elif link is not None:
            label = f'{label} <a class="po" href="{escape(link)}">.po</a>'
        cells = "".join(f'<td data-key="{column}">{int(row[column])}</td>' for column in _COLUMNS)
        out.append(
            f'<tr data-key="{escape(key)}"><td>{label}</td>'
            f'<td data-key="usable_percent">{float(row["usable_percent"]):.1f}</td>'
            f'<td class="bar-cell">{_bar(row)}</td>{cells}</tr>'
        )
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _bar(row: Mapping[str, Any]) -> str:
    """The states as one stacked bar: each state's width is its share of the segments."""
    total = int(row["segments"])
    label = ", ".join(f"{int(row[s.value])} {s.value}" for s in STATE_ORDER)
    rects = []
    x = 0.0
    for state in STATE_ORDER:
        count = int(row[state.value])
        if not count or not total:
            continue
        width = BAR_UNITS * count / total
        rects.append(
            f'<rect data-state="{state.value}" data-count="{count}" x="{x:.3f}" y="0" '
            f'width="{width:.3f}" height="12" fill="{COLOURS[state.value]}"><title>{count} '
            f"{state.value}</title></rect>"
        )
        x += width
    return (
        f'<svg class="bar" viewBox="0 0 {BAR_UNITS} 12" preserveAspectRatio="none" role="img" '
        f'aria-label="{escape(label)}">{"".join(rects)}</svg>'
    )


def _where(note: Mapping[str, Any], links: Mapping[str, str]) -> str:
    """The document and the entry's line in its catalog, linked to the catalog (to the line where the
    link is a repository URL: ``#L<line>``)."""
    link = links.get(note["page"])
    line = int(note["line"])
    text = f"{escape(note['page'])} (.po line {line})"
    if not link:
        return text
    if "://" in link:
        link += f"#L{line}"
    return f'<a href="{escape(link)}">{text}</a>'


def _entries(entries: Sequence[Mapping[str, Any]], links: Mapping[str, str]) -> str:
    out = [f"<h3>Stale and rejected entries ({len(entries)})</h3>"]
    if not entries:
        return out[0] + "\n<p>None.</p>"
    out.append('<ul class="entries">')
    for note in entries:
        previous = note.get("previous")
        was = f'<div class="text">was: {escape(previous)}</div>' if previous else ""
        out.append(
            f'<li data-state="{note["state"]}" style="--c: {COLOURS[note["state"]]}">'
            f"<strong>{note['state']}</strong> {_where(note, links)} "
            f'<span class="reason">{escape(note["reason"])}</span>'
            f'<div class="text">{escape(note["msgid"])}</div>{was}'
            f'<div class="text">translation: {escape(note["msgstr"])}</div></li>'
        )
    out.append("</ul>")
    return "\n".join(out)


def _glossary(misses: Sequence[Mapping[str, Any]], links: Mapping[str, str]) -> str:
    out = [f"<h3>Glossary misses ({len(misses)})</h3>"]
    if not misses:
        return out[0] + "\n<p>None.</p>"
    out.append('<ul class="entries">')
    for note in misses:
        out.append(
            f'<li data-state="glossary" style="--c: {COLOURS["machine"]}">{_where(note, links)} '
            f'<span class="reason">term not used: {escape(note["reason"])}</span>'
            f'<div class="text">{escape(note["msgid"])}</div></li>'
        )
    out.append("</ul>")
    return "\n".join(out)
