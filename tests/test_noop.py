"""The no-op fast path of ``i18n run -q`` (i18n/jobs/noop.py): a stamp of sizes and mtimes after a run that
changed nothing; the next identical run replays its output without click, the configuration or any job."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from i18n.jobs import noop

# The console script's entry point, and whether click (the full command line) was imported.
ENTRY = (
    "import sys; sys.argv = ['i18n', *sys.argv[1:]]\n"
    "from i18n.jobs.noop import main\n"
    "try:\n    main()\n"
    "finally:\n    print('FULL' if 'click' in sys.modules else 'FAST', file=sys.stderr)\n"
)
PAGE = "# Title\n\nA first paragraph.\n\nA second paragraph.\n"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in noop.ENGINE_KEYS}
    return env | extra


def _i18n(project: Path, *args: str, **env: str) -> tuple[str, str, bool]:
    """stdout, stderr (without the marker) and whether the fast path answered."""
    proc = subprocess.run(
        [sys.executable, "-c", ENTRY, *args], cwd=project, env=_env(**env), capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines(keepends=True)
    marker = lines.pop().strip()
    assert marker in ("FAST", "FULL")
    return proc.stdout, "".join(lines), marker == "FAST"


def _age(project: Path, seconds: float = 30) -> None:
    """Every file and folder of the project as if written ``seconds`` ago (no sleeping in tests)."""
    then = time.time_ns() - int(seconds * 1e9)
    for folder, _dirs, files in os.walk(project, topdown=False):
        for name in files:
            os.utime(Path(folder, name), ns=(then, then))
        os.utime(folder, ns=(then, then))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content" / "guide").mkdir(parents=True)
    (root / "content" / "index.md").write_text(PAGE, encoding="utf-8")
    (root / "content" / "guide" / "start.md").write_text(PAGE.replace("first", "only"), encoding="utf-8")
    (root / "pyproject.toml").write_text('[tool.i18n]\nlanguages = ["nl"]\n', encoding="utf-8")
    (root / "config" / "_default").mkdir(parents=True)  # a site's own settings, in a nested folder
    (root / "config" / "_default" / "params.toml").write_text("a = 1\n", encoding="utf-8")
    _i18n(root, "run", "-q")  # the first run writes catalogs and the build
    return root


def _stamped(project: Path) -> tuple[str, str]:
    """A full no-op run on aged files: it leaves a stamp; returns its output."""
    _age(project)
    out, err, fast = _i18n(project, "run", "-q")
    assert not fast
    assert (project / "locales" / noop.STAMP_FILE).is_file()
    return out, err


def test_a_noop_run_replays_the_full_runs_output_without_click(project: Path) -> None:
    full = _stamped(project)
    out, err, fast = _i18n(project, "run", "-q")
    assert fast
    assert (out, err) == full
    assert "0 catalogs written" in out


def test_a_run_that_wrote_files_leaves_no_stamp(project: Path) -> None:
    _stamped(project)
    page = project / "content" / "index.md"
    page.write_text(PAGE.replace("second", "third"), encoding="utf-8")
    _age(project)
    out, _, fast = _i18n(project, "run", "-q")
    assert not fast
    assert "extract: 0 catalogs written" not in out
    assert not (project / "locales" / noop.STAMP_FILE).exists()


@pytest.mark.parametrize(
    "change",
    ["edit_same_size", "add_page", "remove_page", "touch_catalog", "config", "site_config", "other_args"],
)
def test_any_change_runs_the_full_pipeline(project: Path, change: str) -> None:
    _stamped(project)
    page = project / "content" / "index.md"
    args = ["run", "-q"]
    if change == "edit_same_size":
        page.write_text(PAGE.replace("first", "fIrst"), encoding="utf-8")
    elif change == "add_page":
        (project / "content" / "guide" / "more.md").write_text(PAGE, encoding="utf-8")
    elif change == "remove_page":
        (project / "content" / "guide" / "start.md").unlink()
    elif change == "touch_catalog":
        catalog = next((project / "locales" / "nl").rglob("*.po"))
        os.utime(catalog)
    elif change == "config":
        (project / "pyproject.toml").write_text('[tool.i18n]\nlanguages = ["nl", "de"]\n', encoding="utf-8")
    elif change == "site_config":
        (project / "config" / "_default" / "params.toml").write_text("a = 2\n", encoding="utf-8")
    elif change == "other_args":
        args = ["run", "-q", "-v"]
    _, _, fast = _i18n(project, *args)
    assert not fast


def test_a_lock_file_in_the_locales_folder_means_the_full_run(project: Path) -> None:
    _stamped(project)
    stamp = json.loads((project / "locales" / noop.STAMP_FILE).read_text(encoding="utf-8"))
    assert str(project / "locales") in stamp["listed"]
    (project / "locales" / "stray.po").write_text("", encoding="utf-8")
    os.utime(project / "locales", ns=(0, 0))  # even with the folder's mtime put back somehow
    assert noop.read_stamp(str(project / "locales" / noop.STAMP_FILE), stamp["key"]) is None


@pytest.mark.parametrize(
    ("age_ns", "stamped"),
    [
        (0, False),  # just written: within any clock's granularity
        (noop.RACY_NS // 2, False),
        (noop.RACY_NS * 5 + 123_456, True),  # older than a fine clock's tick
        (1_000_000_000 * 3, True),  # a whole second, older than a coarse file system's two
        (1_000_000_000, False),  # a whole second within the coarse window: that file system may hold more
    ],
)
def test_recent_files_are_not_trusted(project: Path, age_ns: int, stamped: bool) -> None:
    """A file younger than the timestamps' granularity when the run ends leaves no stamp; a whole-second
    mtime (a file system keeping seconds) widens the window to two seconds."""
    _age(project)
    stamp = noop.stamp_location(str(project))
    watched = noop._watched(str(project), stamp)
    page = project / "content" / "index.md"
    now = time.time_ns()
    then = (now // 1_000_000_000) * 1_000_000_000 - age_ns if age_ns % 1_000_000_000 == 0 else now - age_ns
    if age_ns == 0:
        then = now + 1_234_567  # not a whole second
    os.utime(page, ns=(then, then))
    before = noop.snapshot(watched)
    noop._maybe_stamp(stamp, "key", watched, before, "out\n", "")
    assert Path(stamp).is_file() is stamped
    if stamped:
        assert noop.read_stamp(stamp, "key") == ("out\n", "")
        assert noop.read_stamp(stamp, "another key") is None


def test_an_engine_key_or_another_command_is_never_answered_from_a_stamp() -> None:
    assert noop.eligible(["run", "-q"], {})
    assert not noop.eligible(["run", "-q"], {"DEEPL_AUTH_KEY": "k"})
    assert not noop.eligible(["run", "-q"], {"OPENAI_API_KEY": "k"})
    assert not noop.eligible(["run"], {})
    assert not noop.eligible(["run", "-q", "--engine", "pseudo"], {})
    assert not noop.eligible(["build"], {})
    assert not noop.eligible([], {})
    for jobs in (["--jobs", "2"], ["--jobs=3"], ["-j", "2"], ["-j2"]):  # how many processes: same bytes
        assert noop.eligible(["run", "-q", *jobs], {})
    assert not noop.eligible(["run", "-q", "--jobs"], {})
    assert not noop.eligible(["run", "-q", "--jobs", "x"], {})
    assert not noop.eligible(["run", "-q", "-jx"], {})
    assert not noop.eligible(["run", "--jobs", "-q"], {})


def test_the_stamp_holds_no_value_of_the_environment(project: Path) -> None:
    _age(project)
    _i18n(project, "run", "-q", GITHUB_SHA="c0ffee1234567890deadbeef")
    text = (project / "locales" / noop.STAMP_FILE).read_text(encoding="utf-8")
    assert "c0ffee1234567890deadbeef" not in text
    _, _, fast = _i18n(project, "run", "-q", GITHUB_SHA="0000000000000000")
    assert not fast  # another value: another key


@pytest.mark.parametrize(
    ("setting", "folder"),
    [
        ("", "locales"),
        ('locales_dir = "translations"\n', "translations"),
        ('"locales\\u005fdir" = "translations"\n', "translations"),  # the key's name only through an escape
    ],
)
def test_the_stamp_is_where_locales_dir_says(tmp_path: Path, setting: str, folder: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[tool.i18n]\nlanguages = ["nl"]\n{setting}', encoding="utf-8")
    assert noop.stamp_location(str(tmp_path)) == str(tmp_path / folder / noop.STAMP_FILE)


def test_the_fast_path_loads_no_toml_parser_and_no_openssl(project: Path) -> None:
    """What the fast path imports is what it costs (a big site's no-op is mostly interpreter and stats)."""
    _stamped(project)
    code = (
        "import sys; sys.argv = ['i18n', *sys.argv[1:]]\n"
        "from i18n.jobs.noop import main\n"
        "try:\n    main()\n"
        "finally:\n"
        "    loaded = [m for m in ('click', 'tomllib', 'hashlib') if m in sys.modules]\n"
        "    print(' '.join(loaded) or 'FAST', file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "run", "-q"], cwd=project, env=_env(), capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[-1] == "FAST"  # neither module loaded, and click not either
