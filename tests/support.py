from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner, Result

from i18n.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
if TYPE_CHECKING:
    from .project import Project

UPDATE_GOLDEN = os.environ.get("I18N_UPDATE_GOLDEN") == "1"


def golden(path: Path, actual: str) -> None:
    """Compare ``actual`` with the golden file; ``I18N_UPDATE_GOLDEN=1`` rewrites it instead."""
    if UPDATE_GOLDEN or not path.exists():
        if not UPDATE_GOLDEN:
            pytest.fail(f"golden file {path} is missing (run with I18N_UPDATE_GOLDEN=1 to create it)")
        path.write_bytes(actual.encode("utf-8"))
        return
    expected = path.read_bytes().decode("utf-8")
    assert actual == expected, f"output differs from golden file {path}"


def read_text(path: Path) -> str:
    """Read a file exactly (no newline translation)."""
    return path.read_bytes().decode("utf-8")


def invoke(project: Project | Path, *args: str) -> Result:
    """``i18n --project ROOT ARGS…`` in-process (click's runner): the whole result."""
    root = project if isinstance(project, Path) else project.root
    return CliRunner().invoke(main, ["--project", str(root), *args])


def cli(project: Project | Path, *args: str) -> tuple[int, str]:
    """``i18n --project ROOT ARGS…`` in-process: its exit code and output."""
    result = invoke(project, *args)
    return result.exit_code, result.output
