# os.path and os.stat on str: this path runs before anything else is imported (pathlib included)
# ruff: noqa: PTH105, PTH108, PTH109, PTH113, PTH116, PTH118, PTH120, PTH123
"""The no-op fast path of ``i18n run -q``: the console script's entry point.

A run that changed nothing leaves a stamp, ``<locales_dir>/.i18n-noop.json``: every file and folder
under the project's folders that the run reads or writes (content, locales, output, glossary, message
sources, the configuration, the package's own code) with its size and ``mtime_ns``, the command line,
the settings of the environment that change a run, and what the run printed. The next identical
command whose every file and folder still has the recorded size and ``mtime_ns`` cannot do anything
else: it prints the same lines and exits 0 without importing click, the configuration or any job,
reading no catalog and taking no lock. Anything else (a file edited, added or removed, another command
line, a key in the environment, a stamp that cannot be read) runs the full pipeline, where the content
hash is the truth. A stamp is only written when no file is younger than the timestamps' granularity at
the end of the run (a file changed twice within one tick could otherwise keep its size and mtime):
:data:`RACY_NS`, or :data:`COARSE_RACY_NS` when a file's mtime is a whole second (a file system that
keeps seconds only).
"""

from __future__ import annotations

import io
import json
import os
import sys
import time

TYPE_CHECKING = False  # not typing's: the fast path imports neither typing nor collections.abc

if TYPE_CHECKING:  # typing and collections.abc stay unloaded on the fast path
    from collections.abc import Callable, Iterable, Sequence
    from typing import Any, TextIO


def _sha256_hex(data: bytes) -> str:
    """SHA-256 of ``data`` in hex, from the interpreter's own module when it has one (it loads in a third
    of hashlib's time, which loads OpenSSL): the same digests."""
    try:
        module = __import__("_sha2" if sys.version_info >= (3, 12) else "_sha256")
    except ImportError:  # pragma: no cover - an interpreter built without it
        import hashlib

        return hashlib.sha256(data).hexdigest()
    return str(module.sha256(data).hexdigest())


STAMP_FILE = ".i18n-noop.json"
FORMAT = 2  # 2: entries grouped by folder
RACY_NS = 100_000_000  # files touched this recently are not trusted by their size and mtime (ns clocks)
COARSE_RACY_NS = 2_000_000_000  # the same on a file system keeping whole seconds (or FAT's two)
FLAGS = frozenset({"-q", "--quiet", "-v", "--verbose"})  # `run` options a stamp may carry
ENGINE_KEYS = ("DEEPL_AUTH_KEY", "OPENAI_API_KEY")  # with a key `run` may translate: never stamped
SETTINGS = ("GITHUB_SHA", "NO_COLOR", "TERM", "COLUMNS", "LANG", "LC_ALL", "LC_CTYPE", "PYTHONIOENCODING")

# Folders no run reads (version control, environments, tools' caches): not watched.
SKIPPED = frozenset({".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".mypy_cache",
                     ".ruff_cache", ".pytest_cache", ".hypothesis", ".tox", ".nox"})  # fmt: skip

Entry = tuple[str, int, int]  # path, size (-1: a folder), mtime_ns


def main() -> None:
    """``i18n``: replay a no-op ``run -q`` from its stamp, else the full command line (recording a stamp
    when the full run changed nothing)."""
    args = sys.argv[1:]
    if not eligible(args, os.environ):
        _full()
        return
    project: str | None = None
    stamp_path: str | None = None
    try:
        project = find_project(os.getcwd())
        stamp_path = stamp_location(project) if project else None
    except (OSError, ValueError):
        pass
    if project is None or stamp_path is None:
        _full()
        return
    key = stamp_key(args, os.environ, project)
    replay = read_stamp(stamp_path, key)
    if replay is not None:
        out, err = replay
        sys.stdout.write(out)
        sys.stderr.write(err)
        sys.stdout.flush()
        return
    watched = _watched(project, stamp_path)
    before = snapshot(watched)
    code = _full(
        capture=True, on_end=lambda out, err: _maybe_stamp(stamp_path, key, watched, before, out, err)
    )
    sys.exit(code)


def eligible(args: Sequence[str], environ: dict[str, str] | os._Environ[str]) -> bool:
    """Whether the command line may be answered from a stamp: ``run`` with ``-q`` (no other options), no
    engine key in the environment."""
    if not args or args[0] != "run" or not set(_without_jobs(args[1:])) <= FLAGS:
        return False
    if "-q" not in args and "--quiet" not in args:
        return False
    return not any(environ.get(name) for name in ENGINE_KEYS)


def _without_jobs(args: Sequence[str]) -> list[str]:
    """``args`` without ``--jobs N`` / ``--jobs=N`` / ``-j N`` / ``-jN``: how many processes do the work
    changes no byte of the result."""
    kept: list[str] = []
    value_next = False
    for arg in args:
        if value_next:
            value_next = False
            if arg.isdigit():
                continue
            kept.append("--jobs")  # without its number: the command line says what is wrong
        if arg in ("--jobs", "-j"):
            value_next = True
            continue
        if (arg.startswith("--jobs=") and arg[7:].isdigit()) or (arg.startswith("-j") and arg[2:].isdigit()):
            continue
        kept.append(arg)
    return kept + (["--jobs"] if value_next else [])  # a --jobs without its number: not ours to answer


def find_project(cwd: str) -> str | None:
    """The folder of the nearest ``pyproject.toml`` (as the configuration finds it)."""
    here = os.path.realpath(cwd)
    while True:
        if os.path.isfile(os.path.join(here, "pyproject.toml")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def _settings(project: str) -> dict[str, object]:
    import tomllib

    with open(os.path.join(project, "pyproject.toml"), "rb") as handle:
        data = tomllib.load(handle)
    table = data.get("tool", {}).get("i18n", {})
    return table if isinstance(table, dict) else {}


def _locales_dir(project: str) -> object:
    """The ``locales_dir`` setting: the default without loading a TOML parser when the file cannot name
    the key (its name appears nowhere, not even through a ``\\u`` escape in a quoted key)."""
    with open(os.path.join(project, "pyproject.toml"), "rb") as handle:
        text = handle.read()
    if b"locales_dir" not in text and b"\\u" not in text and b"\\U" not in text:
        return "locales"
    return _settings(project).get("locales_dir", "locales")


def stamp_location(project: str) -> str:
    locales = _locales_dir(project)
    if not isinstance(locales, str):
        raise ValueError("locales_dir")
    return os.path.join(os.path.realpath(os.path.join(project, locales)), STAMP_FILE)


def stamp_key(args: Sequence[str], environ: dict[str, str] | os._Environ[str], project: str) -> str:
    """What besides the files decides a run's output: the command line, the interpreter, the folders,
    the terminals, a few settings of the environment (hashed: never a value in the stamp)."""
    from .. import __version__

    parts = [
        FORMAT,
        __version__,
        sys.executable,
        sys.version,
        list(args),
        os.path.realpath(os.getcwd()),
        project,
        sys.stdout.isatty(),
        sys.stderr.isatty(),
        [(name, environ.get(name)) for name in SETTINGS],
    ]
    return _sha256_hex(json.dumps(parts).encode())


def _watched(project: str, stamp_path: str) -> list[str]:
    """The folders and files a run reads or writes: the whole project's folder (configuration, glossary,
    a site's own configuration folders, content, catalogs, output), the folders the settings name (they
    may lie outside it), and the package's code."""
    settings = _settings(project)
    roots = [project, os.path.dirname(stamp_path), os.path.dirname(os.path.dirname(__file__))]
    for name, default in (("content_dir", "content"), ("output_dir", "build")):
        value = settings.get(name, default)
        if isinstance(value, str):
            roots.append(os.path.realpath(os.path.join(project, value)))
    messages = settings.get("messages")
    if isinstance(messages, list):
        for table in messages:
            source = table.get("source") if isinstance(table, dict) else None
            if isinstance(source, str):
                roots.append(os.path.dirname(os.path.realpath(os.path.join(project, source))))
    glossary = settings.get("glossary")
    if isinstance(glossary, str):
        roots.append(os.path.dirname(os.path.realpath(os.path.join(project, glossary))))
    return sorted(set(roots))


def snapshot(roots: Iterable[str]) -> list[Entry]:
    """Every folder and file under ``roots`` (but :data:`SKIPPED`; symlinks followed), sorted: the
    stamp's file list."""
    entries: dict[str, Entry] = {}
    seen: set[tuple[int, int]] = set()
    for root in roots:
        _walk(root, entries, seen)
    return sorted(entries.values())


def _walk(folder: str, entries: dict[str, Entry], seen: set[tuple[int, int]]) -> None:
    try:
        info = os.stat(folder)
    except OSError:
        entries[folder] = (folder, -2, 0)  # absent: its appearance changes the snapshot
        return
    identity = (info.st_dev, info.st_ino)
    if identity in seen and folder in entries:
        return
    seen.add(identity)
    entries[folder] = (folder, -1, info.st_mtime_ns)
    with os.scandir(folder) as listing:
        children = sorted(listing, key=lambda child: child.name)
    for child in children:
        if child.name == STAMP_FILE or child.name in SKIPPED:
            continue
        try:
            stat = child.stat()
            is_dir = child.is_dir()
        except OSError:
            continue
        if is_dir:
            if (stat.st_dev, stat.st_ino) not in seen:
                _walk(child.path, entries, seen)
        else:
            entries[child.path] = (child.path, stat.st_size, stat.st_mtime_ns)


def unchanged(folders: dict[str, list[list[Any]]], listed: Iterable[str] = ()) -> bool:
    """Whether every recorded folder and file still has its size and ``mtime_ns`` (a folder's mtime
    changes when an entry is added, removed or renamed in it); the ``listed`` folders are compared by
    their entry names instead of their mtime. ``folders``: the entries by the folder holding them (names
    in it), each folder opened once and its entries looked up in it."""
    by_names = set(listed)
    for parent, names in folders.items():
        try:
            handle: int | None = os.open(parent, _DIRECTORY) if _DIR_FD else None
        except OSError:
            handle = -1  # the folder is gone: only absent entries may be in it
        try:
            for name, size, mtime in names:
                if size == -1 and os.path.join(parent, name) in by_names:
                    continue
                try:
                    if handle is None:
                        info = os.stat(os.path.join(parent, name))
                    elif handle >= 0:
                        info = os.stat(name, dir_fd=handle)
                    else:
                        raise FileNotFoundError(name)
                except OSError:
                    if size == -2:
                        continue
                    return False
                if size == -2:
                    return False
                if info.st_mtime_ns != mtime:
                    return False
                if size != -1 and info.st_size != size:
                    return False
        finally:
            if handle is not None and handle >= 0:
                os.close(handle)
    return True


_DIR_FD = os.stat in os.supports_dir_fd  # a name looked up in its open folder: no path walked per file
_DIRECTORY = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


def grouped(entries: Iterable[Entry]) -> dict[str, list[list[object]]]:
    """The stamp's entries by the folder holding them: ``{folder: [[name, size, mtime_ns], ...]}`` (each
    folder's path once, not once per file: a big site's stamp is half the size to read)."""
    folders: dict[str, list[list[object]]] = {}
    for path, size, mtime in entries:
        parent, name = os.path.split(path)
        folders.setdefault(parent, []).append([name, size, mtime])
    return folders


def read_stamp(path: str, key: str) -> tuple[str, str] | None:
    """The output to replay when the stamp at ``path`` is for ``key`` and nothing changed since."""
    try:
        with open(path, "rb") as handle:
            data = json.loads(handle.read())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    folders, out, err = data.get("folders"), data.get("stdout"), data.get("stderr")
    if not (isinstance(folders, dict) and isinstance(out, str) and isinstance(err, str)):
        return None
    listed = data.get("listed")
    if not isinstance(listed, dict):
        return None
    for names in folders.values():
        if not (isinstance(names, list) and all(isinstance(e, list) and len(e) == 3 for e in names)):
            return None
    if not unchanged(folders, listed):
        return None
    for folder, names in listed.items():
        try:
            if listing(folder) != names:
                return None
        except OSError:
            return None
    return out, err


def listing(folder: str) -> str:
    """The digest of a folder's entry names (the stamp excepted)."""
    with os.scandir(folder) as entries:
        names = sorted(entry.name for entry in entries if entry.name != STAMP_FILE)
    return _sha256_hex("\0".join(names).encode())


def _maybe_stamp(path: str, key: str, watched: list[str], before: list[Entry], out: str, err: str) -> None:
    """Write the stamp when the run changed no file (folders may have been touched by the lock) and no
    file is racy; remove a stale one otherwise. A racy folder (the lock file came and went in it) is
    recorded with the digest of its entry names too, which the fast path compares."""
    after = snapshot(watched)
    files = [e for e in after if e[1] != -1]
    coarse = any(e[2] % 1_000_000_000 == 0 for e in after)
    racy = time.time_ns() - (COARSE_RACY_NS if coarse else RACY_NS)
    if files != [e for e in before if e[1] != -1] or any(e[2] >= racy for e in files):
        _remove(path)
        return
    try:
        folder = os.path.dirname(path)  # the stamp's own: writing the stamp changes its mtime
        listed = {e[0]: listing(e[0]) for e in after if e[1] == -1 and (e[2] >= racy or e[0] == folder)}
    except OSError:
        return
    data = {"key": key, "folders": grouped(after), "listed": listed, "stdout": out, "stderr": err}
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, path)
    except OSError:
        _remove(temporary)


def _remove(path: str) -> None:
    import contextlib  # here: the fast path never removes a file

    with contextlib.suppress(OSError):
        os.unlink(path)


class _Tee(io.TextIOBase):
    """A text stream writing through to ``stream`` and keeping what was written."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.kept = io.StringIO()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.stream.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self.stream.errors

    def write(self, text: str) -> int:
        self.kept.write(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()


def _full(capture: bool = False, on_end: Callable[[str, str], None] | None = None) -> int:
    """The full command line (click); with ``capture``, ``on_end(stdout, stderr)`` after a run that
    exits 0. Returns the exit status."""
    from ..cli import main as cli_main

    if not capture:
        cli_main()
        return 0
    out, err = _Tee(sys.stdout), _Tee(sys.stderr)
    real = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    code: int = 0
    try:
        cli_main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.stdout, sys.stderr = real
    if code == 0 and on_end is not None:
        on_end(out.kept.getvalue(), err.kept.getvalue())
    return code
