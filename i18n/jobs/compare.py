"""``compare``: one page translated by several chat models, side by side, for a translator to judge.

Every segment of the page (whatever its catalogs hold) is sent to each model exactly as ``translate`` would
send it (same XML markup, context, glossary, instructions, batches) and every answer is checked the same
way. Nothing touches the catalogs: the result is an HTML page (English and one column per model, each
rejected translation with its reason) and, per model, the localised page with the translations that
passed (``<output_dir>/compare/<page>.<lang>.html`` and ``<page>.<lang>.<model>.md``). What was spent is
appended to ``locales/.billing.jsonl`` (``"command": "compare"``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..catalog.update import fresh_messages
from ..clock import Clock, utc_now
from ..config import Config
from ..errors import ConfigError, PageError, RenderError
from ..files import write_atomic
from ..markdown.page import Page
from ..mt.engine import Answer, Engine, EngineError, Translated
from ..mt.execute import Executor, Request
from ..mt.glossary import Glossary, load_glossary, terms_in
from ..mt.openai_settings import settings_of
from ..mt.plan import Job, Plan, contexts_of, make_batches
from ..mt.xmlmarkup import encode
from ..segments import Segment
from .billing import record_billing
from .documents import decode, markdown_kind
from .translate import LanguageReport, TranslateReport, judge

COMPARE_DIR = "compare"


@dataclass
class ModelResult:
    """One model's translations of the page: segment id -> (text, rejected reason or None)."""

    model: str
    translations: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    report: LanguageReport | None = None
    stopped: EngineError | None = None
    page: Path | None = None  # the localised page written


@dataclass
class CompareResult:
    page: Path
    language: str
    segments: tuple[Segment, ...]
    models: list[ModelResult]
    table: Path


def slug(model: str) -> str:
    """A file-name-safe model name: ``meta-llama/llama-3.3-70b`` -> ``meta-llama_llama-3.3-70b``."""
    return re.sub(r"[^A-Za-z0-9.\-]+", "_", model).strip("_") or "model"


def compare(
    config: Config,
    page_path: Path,
    models: Sequence[str],
    language: str,
    *,
    out: Path | None = None,
    make: Callable[[Config], Engine] | None = None,
    clock: Clock = utc_now,
) -> CompareResult:
    """Translate the page at ``page_path`` into ``language`` with each of ``models`` and write the
    comparison (see the module). ``make`` builds the engine from a configuration (default: the openai
    engine with the key and server from the environment)."""
    if len(models) < 2 or len(set(models)) != len(models):
        raise ConfigError("compare needs at least two different models (--model A --model B)")
    settings = settings_of(config)
    try:
        data = page_path.read_bytes()
    except OSError as exc:
        raise PageError(f"cannot read: {exc.strerror}", path=page_path) from None
    page = markdown_kind(config).parse(decode(data, str(page_path)), str(page_path))  # in its flavour
    glossary = load_glossary(config.glossary)
    folder = out if out is not None else config.output_dir / COMPARE_DIR
    results = []
    for model in models:
        model_config = config.with_settings("openai", replace(settings, model=model))
        result = _translate(model_config, glossary, page, language, make, clock)
        stem = page_path.stem
        result.page = folder / f"{stem}.{language}.{slug(model)}.md"
        write_atomic(result.page, _render(page, result).encode("utf-8"))
        results.append(result)
    table = folder / f"{page_path.stem}.{language}.html"
    write_atomic(table, side_by_side(page_path.name, language, page.segments, results).encode("utf-8"))
    return CompareResult(page_path, language, page.segments, results, table)


def _translate(
    config: Config,
    glossary: Glossary,
    page: Page,
    language: str,
    make: Callable[[Config], Engine] | None,
    clock: Clock,
) -> ModelResult:
    from ..mt import make_engine, planning

    settings = settings_of(config)
    spec = planning("openai", config, glossary)
    messages = fresh_messages(page.segments, page.path or "page")
    contexts = contexts_of(messages)
    unique: dict[str, list[int]] = {}
    for index, segment in enumerate(page.segments):
        unique.setdefault(segment.text, []).append(index)
    jobs = tuple(
        Job(
            text,
            encode(text, keep=glossary.keep),
            tuple(("page", i) for i in indexes),
            around=replace(contexts[indexes[0]], terms=terms_in(glossary, text, language)),
        )
        for text, indexes in unique.items()
    )
    source, size = config.source_language, spec.size
    overhead = size([], source, language)
    batches = make_batches(
        [job.encoded.xml for job in jobs],
        overhead=overhead,
        cost=lambda text: size([text], source, language) - overhead + 2,
        max_texts=spec.max_texts,
        max_bytes=spec.max_size,
    )
    plan = Plan(language, 0, jobs, tuple(batches))
    ignore = tuple(sorted({tag for job in jobs for tag in job.encoded.ignore_tags}))
    requests = [
        Request(
            language, tuple(jobs[i].encoded.xml for i in batch), ignore, batch, contexts=plan.contexts(batch)
        )
        for batch in batches
    ]
    result = ModelResult(settings.model)
    row = LanguageReport(language, texts=len(jobs), batches=len(batches))

    def receive(request: Request, answer: Answer) -> None:
        batch: tuple[int, ...] = request.tag  # type: ignore[assignment]
        row.requests += answer.calls
        row.prompt_tokens += answer.prompt_tokens
        row.completion_tokens += answer.completion_tokens
        if answer.cost is not None:
            row.cost = (row.cost or 0.0) + answer.cost
        for index, translated in zip(batch, answer.texts, strict=True):
            if translated is not None:
                _store(result, page, jobs[index], translated, glossary, language)

    executor = Executor(
        (lambda: make(config)) if make is not None else (lambda: make_engine("openai", config)),
        source,
        concurrency=config.concurrency,
    )
    executor.run(requests, receive)
    result.stopped, result.report = executor.stopped, row
    report = TranslateReport({language: row}, executor.stopped, engine="openai", model=settings.model)
    record_billing(config, report, clock, command="compare")
    return result


def _store(
    result: ModelResult, page: Page, job: Job, answer: Translated, glossary: Glossary, language: str
) -> None:
    for _, index in job.entries:
        segment = page.segments[index]
        outcome = judge(job, answer, segment.kind, glossary, language)
        result.translations[segment.id] = (outcome.text, outcome.rejected)


def _render(page: Page, result: ModelResult) -> str:
    """The page with the model's passing translations (one that would break the page is left out)."""
    accepted: dict[str, str] = {}
    for segment in page.segments:
        text, rejected = result.translations.get(segment.id, ("", "not translated"))
        if rejected is not None or not text:
            continue
        candidate = {**accepted, segment.id: text}
        try:
            page.render(candidate)
        except RenderError:
            result.translations[segment.id] = (text, "breaks the page")
            continue
        accepted = candidate
    return page.render(accepted)


_STYLE = """body{font-family:system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccc;padding:.4rem .6rem;vertical-align:top;text-align:left;white-space:pre-wrap}
th{background:#f3f3f3}td.id{font-family:monospace;font-size:.8em;color:#555}
td.rejected{background:#fde8e8}.why{display:block;color:#a00;font-size:.85em;margin-top:.3rem}"""


def side_by_side(
    name: str, language: str, segments: Sequence[Segment], results: Sequence[ModelResult]
) -> str:
    """A self-contained HTML table: segment, English, one column per model (rejections marked)."""
    esc = html.escape
    head = "".join(f"<th>{esc(r.model)}</th>" for r in results)
    rows = []
    for segment in segments:
        cells = [
            f'<td class="id">{esc(segment.id)}<br>{esc(segment.kind.value)}</td><td>{esc(segment.text)}</td>'
        ]
        for result in results:
            text, rejected = result.translations.get(segment.id, ("", "not translated (the run stopped)"))
            if rejected is None:
                cells.append(f"<td>{esc(text)}</td>")
            else:
                cells.append(f'<td class="rejected">{esc(text)}<span class="why">{esc(rejected)}</span></td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    totals = []
    for result in results:
        row = result.report
        if row is None:
            continue
        cost = f", cost {row.cost:.4f}" if row.cost is not None else ""
        passed = sum(1 for _, rejected in result.translations.values() if rejected is None)
        totals.append(
            f"<li>{esc(result.model)}: {passed}/{len(segments)} passed the checks, "
            f"{row.prompt_tokens} prompt + {row.completion_tokens} completion tokens{cost} "
            f"in {row.requests} requests</li>"
        )
    return (
        f'<!doctype html>\n<html lang="{esc(language)}"><head><meta charset="utf-8">'
        f"<title>{esc(name)} ({esc(language)}): model comparison</title><style>{_STYLE}</style></head>\n"
        f"<body><h1>{esc(name)} → {esc(language)}</h1><ul>{''.join(totals)}</ul>\n"
        f"<table><thead><tr><th>segment</th><th>English</th>{head}</tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table></body></html>\n"
    )
