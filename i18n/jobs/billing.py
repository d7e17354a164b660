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


def billing_line(report: TranslateReport, clock: Clock, command: str | None = None) -> str | None:
    """The run's line: per language the characters billed and the requests made, and for a chat engine
    the prompt and completion tokens and, when prices are known, the cost; None when nothing was sent."""
    languages: dict[str, dict[str, object]] = {}
    for row in report.languages.values():
        entry: dict[str, object] = {"characters": row.billed, "requests": row.requests}
        if report.model is not None:
            entry.update(prompt_tokens=row.prompt_tokens, completion_tokens=row.completion_tokens)
            if row.cost is not None:
                entry["cost"] = round(row.cost, 6)
        languages[row.language] = entry
    if not any(row.requests for row in report.languages.values()):
        return None
    record: dict[str, object] = {
        "date": clock().isoformat(timespec="seconds"),
        "engine": report.engine or "engine",
        "languages": languages,
    }
    if report.model is not None:
        record["model"] = report.model
    if command is not None:
        record["command"] = command
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def record_billing(config: Config, report: TranslateReport, clock: Clock, command: str | None = None) -> bool:
    """Append the run's billing line (see :func:`billing_line`); nothing when nothing was sent or the
    engine bills nothing (pseudo). The line is written with one ``write`` in append mode, so concurrent
    runs cannot interleave it."""
    from ..mt import UNBILLED

    line = None if report.engine in UNBILLED else billing_line(report, clock, command)
    if line is None:
        return False
    path = billing_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
    finally:
        os.close(fd)
    return True
