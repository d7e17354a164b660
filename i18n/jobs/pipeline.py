"""The pipeline as the commands run it: ``translate`` (with extract first and billing after) and ``run``
(extract → translate → build in one process, build reusing what extract parsed)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from ..clock import Clock, utc_now
from ..config import Config
from ..errors import ConfigError
from .build import LanguageBuild, build
from .extract import ExtractReport, extract, out_of_date
from .memo import Memo

if TYPE_CHECKING:  # machine translation loads only when something is translated
    from ..mt.engine import Engine, Usage
    from ..mt.glossary import Glossary
    from .translate import Progress, TranslateReport

OnUsage = Callable[["str", "Usage"], None]  # (engine name, the account's usage before the run)


def engine_maker(
    name: str, glossary: Glossary, config: Config, on_usage: OnUsage | None
) -> Callable[[], Engine]:
    """Makes the engine on first need: reports the account's usage and syncs the glossary."""

    def make() -> Engine:
        from ..mt import make_engine

        engine = make_engine(name)
        usage = engine.usage()
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
    extracted: bool = False,
    clock: Clock = utc_now,
    progress: Progress | None = None,
    on_usage: OnUsage | None = None,
) -> TranslateReport:
    """Translate ``languages`` with the engine named ``engine`` (catalogs extracted first unless
    ``extracted``; a dry run refuses out-of-date catalogs instead), and record what was billed."""
    from ..mt import request_size
    from ..mt.glossary import load_glossary
    from .billing import record_billing
    from .translate import translate

    if dry_run:
        lagging = out_of_date(config)
        if lagging:
            raise ConfigError(
                f"{len(lagging)} catalogs are out of date with content/: run `i18n extract` first"
            )
    elif not extracted:
        extract(config, clock=clock)
    glossary = load_glossary(config.glossary)
    report = translate(
        config,
        glossary,
        languages,
        engine_maker(engine, glossary, config, on_usage),
        request_size(engine),
        dry_run=dry_run,
        max_characters=max_characters or config.max_characters,
        clock=clock,
        progress=progress,
        engine_name=engine,
    )
    if not dry_run:
        record_billing(config, report, clock)
    return report


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
) -> RunReport:
    """extract → translate (when ``engine`` is given) → build, every language."""
    memo = Memo()  # what extract parses, build need not parse again
    extracted = extract(config, memo=memo, clock=clock)
    translated = None
    if engine is not None:
        translated = translate_site(
            config,
            config.languages,
            engine,
            extracted=True,
            clock=clock,
            progress=progress,
            on_usage=on_usage,
        )
    return RunReport(extracted, translated, build(config, config.languages, memo=memo))
