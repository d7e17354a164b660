"""The overwrite guard for message files written outside ``output_dir`` (where their ``output`` pattern
says): ``<locales_dir>/.i18n-outputs.json`` (kept with the catalogs, so a clean checkout has it) records
the digest of every such file the pipeline wrote, and a build refuses, before writing anything, to
overwrite one whose bytes are not the recorded ones."""

from __future__ import annotations

from collections.abc import Sequence

from ..config import Config
from ..errors import ConfigError
from ..files import file_digest
from .cache import Cache
from .layout import Source, output_for, relative

OUTPUTS = ".i18n-outputs.json"


def owned_outputs(config: Config) -> Cache:
    """The record of the files written outside ``output_dir``: their digests by path from the root."""
    return Cache(config.locales_dir / OUTPUTS, "outputs-1")


def refuse_foreign_outputs(
    config: Config, sources: Sequence[Source], languages: Sequence[str], owned: Cache
) -> None:
    """Refuse to overwrite a message file outside ``output_dir`` that this pipeline did not write (its
    bytes are not the ones recorded in ``owned``): a ``ConfigError`` naming it."""
    for source in sources:
        if source.spec is None:
            continue
        for language in languages:
            target = output_for(config, source, language)
            if target.is_relative_to(config.output_dir) or not target.exists():
                continue
            if owned.get(relative(config, target)) != file_digest(target):
                raise ConfigError(
                    f"exists and was not written by `i18n build`: not overwritten (import it with "
                    f"`i18n import --lang {language} {relative(config, target)}`, then remove it)",
                    path=relative(config, target),
                )
