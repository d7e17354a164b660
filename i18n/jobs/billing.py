"""``locales/.billing.jsonl``: one line per translating run, appended (what each language cost)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..clock import Clock
from ..config import Config

if TYPE_CHECKING:
    from .translate import TranslateReport

BILLING_FILE = ".billing.jsonl"


def billing_path(config: Config) -> Path:
    return config.locales_dir / BILLING_FILE


def record_billing(config: Config, report: TranslateReport, clock: Clock) -> bool:
    """Append the run's billed characters and requests per language; nothing when nothing was sent or
    the engine bills nothing (pseudo).
    The line is written with one ``write`` in append mode, so concurrent runs cannot interleave it."""
    from ..mt import UNBILLED

    if report.engine in UNBILLED:
        return False
    billed = {r.language: {"characters": r.billed, "requests": r.requests} for r in report.languages.values()}
    if not any(row["requests"] for row in billed.values()):
        return False
    line = json.dumps(
        {
            "date": clock().isoformat(timespec="seconds"),
            "engine": report.engine or "engine",
            "languages": billed,
        },
        sort_keys=True,
    )
    path = billing_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
    finally:
        os.close(fd)
    return True
