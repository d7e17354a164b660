"""The pipeline as the commands run it: ``translate`` (with extract first and billing after) and ``run``
(extract → translate → build in one process, build reusing what extract parsed)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from ..caches import RunCaches
from ..clock import Clock, utc_now
from ..config import Config
from ..errors import ConfigError, PageError
from ..mt import make_engine, planning
from ..mt.engine import Engine, EngineError, Usage
from . import shard
from .billing import record_billing
from .build import LanguageBuild, build
from .extract import ExtractReport, extract, out_of_date
from .gate import QUOTA, Gate, spend_gate
from .layout import relative
from .memo import Memo

if TYPE_CHECKING:  # machine translation's texts load only when something is translated (see i18n.jobs)
    from ..mt.glossary import Glossary
    from .translate import Progress, TranslateReport

OnUsage = Callable[["str", "Usage"], None]  # (engine name, the account's usage before the run)


def engine_maker(
    name: str, glossary: Glossary, config: Config, on_usage: OnUsage | None, gate: Gate | None = None
) -> Callable[[], Engine]:
    """Makes the engine on first need: reports the account's usage (a quota ``gate`` takes its limit
    from it) and syncs the glossary."""

    def make() -> Engine:
        engine = make_engine(name, config)
        usage = engine.usage()
        if gate is not None:
            gate.from_usage(usage)
        if usage is not None and on_usage is not None:
            on_usage(engine.name, usage)
        engine.sync_glossary(glossary, config.source_language, config.languages)  # always the full list
        return engine

    return make


def translate_site(
    config: Config,
    languages: Sequence[str],
    engine: str,
    *,
    dry_run: bool = False,
    max_characters: int | None = None,
    max_cost: float | None = None,
    retranslate: bool = False,
    retry_rejected: bool = False,
    extracted: bool = False,
    clock: Clock = utc_now,
    progress: Progress | None = None,
    on_usage: OnUsage | None = None,
    skipped: list[PageError] | None = None,
) -> TranslateReport:
    """Translate ``languages`` with the engine named ``engine`` (catalogs extracted first unless
    ``extracted``; a dry run refuses out-of-date catalogs instead), and record what was billed.
    The spend gate (:mod:`i18n.jobs.gate`) comes from ``max_cost`` / ``max_characters``, the
    configuration, or the defaults; ``retranslate``: also machine translations made with another
    request than now; ``retry_rejected``: also rejected translations (machine or imported). ``skipped``:
    pages that cannot be read are added to it and skipped (:func:`.extract.extract`)."""
    from ..mt.glossary import load_glossary  # PyYAML, rapidfuzz, markdown-it: see i18n.jobs
    from .translate import translate

    gate = shard.share(config, spend_gate(config, engine, max_cost, max_characters))  # --shard: its part
    if dry_run and gate is not None:
        _read_quota(config, engine, gate)
    if dry_run:
        lagging = out_of_date(config, skipped)
        if lagging:
            raise ConfigError(
                f"{len(lagging)} catalogs are out of date with {relative(config, config.content_dir)}/: "
                "run `i18n extract` first"
            )
    elif not extracted:
        extract(config, clock=clock, skipped=skipped)
    glossary = load_glossary(config.glossary)
    report = translate(
        config,
        glossary,
        languages,
        engine_maker(engine, glossary, config, on_usage, gate),
        planning(engine, config, glossary),
        dry_run=dry_run,
        gate=gate,
        retranslate=retranslate,
        retry_rejected=retry_rejected,
        clock=clock,
        progress=progress,
        engine_name=engine,
        record=None if dry_run else lambda done: record_billing(config, done, clock),
    )
    return report


def _read_quota(config: Config, engine: str, gate: Gate) -> None:
    """A dry run's quota gate, from the account's usage when its key is there (a request that bills
    nothing); left unknown ("read when the run starts") without a key or when the usage cannot be read."""
    if gate.origin != QUOTA:
        return
    try:
        gate.from_usage(make_engine(engine, config).usage())
    except (EngineError, ConfigError):
        return


class RunReport(NamedTuple):
    extract: ExtractReport
    translate: TranslateReport | None  # None: skipped (no key and no engine)
    builds: list[LanguageBuild]

    @property
    def complete(self) -> bool:
        return self.translate is None or self.translate.complete


def run(
    config: Config,
    engine: str | None,
    *,
    clock: Clock = utc_now,
    progress: Progress | None = None,
    on_usage: OnUsage | None = None,
    retry_rejected: bool = False,
    skipped: list[PageError] | None = None,
    caches: RunCaches | None = None,
    jobs: int = 1,
) -> RunReport:
    """extract → translate (when ``engine`` is given) → build, every language. ``skipped``: pages that
    cannot be read are added to it (once) and skipped by every step; every other page goes through.
    ``caches``: the run's memo caches, when the caller keeps them beyond the run (the CLI prints the
    status from them); else the run's own, released when it returns. ``jobs``: worker processes for
    extract's and build's pages (:mod:`.workers`)."""
    if caches is None:
        with RunCaches() as own:
            return run(config, engine, clock=clock, progress=progress, on_usage=on_usage,
                       retry_rejected=retry_rejected, skipped=skipped, caches=own, jobs=jobs)  # fmt: skip
    memo = Memo()  # what extract parses, build need not parse again
    extracted = extract(config, memo=memo, clock=clock, skipped=skipped, jobs=jobs)
    translated = None
    if engine is not None:
        translated = translate_site(
            config,
            config.languages,
            engine,
            extracted=True,
            retry_rejected=retry_rejected,
            clock=clock,
            progress=progress,
            on_usage=on_usage,
        )
    if translated is not None and translated.signal is not None:  # interrupted: stop here
        return RunReport(extracted, translated, [])
    if translated is not None:
        caches.release()  # translate's texts: build's pages reuse the memory instead of adding to it
    return RunReport(
        extracted, translated, build(config, config.languages, memo=memo, skipped=skipped, jobs=jobs)
    )
