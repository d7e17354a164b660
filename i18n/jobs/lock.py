"""One writing run at a time per site: ``<locales_dir>/.i18n.lock``.

The lock is an exclusive ``flock`` on that file, which the file also names the holder in (pid, host,
command, since when). The kernel releases a lock when its process ends, however it ends, so a lock left
by a run that was killed (its file still there, naming a process that is gone) is simply taken over. The
file is removed when the run ends. At the start of a locked run, temporary files of our own naming that
an earlier killed run left behind are removed (:func:`i18n.files.stale_temp_files`): no other run can be
writing them.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from ..clock import Clock, utc_now
from ..config import Config
from ..errors import I18nError
from ..files import stale_temp_files
from .layout import relative

LOCK_FILE = ".i18n.lock"
POLL = 0.2  # seconds between tries while waiting for the lock


class Holder(NamedTuple):
    """Who holds (or held) a site's lock."""

    pid: int
    host: str
    command: str
    since: str

    def __str__(self) -> str:
        return f"pid {self.pid} on {self.host} (`{self.command}`, since {self.since})"


class SiteLocked(I18nError):
    """Another run holds the site's lock."""


class Lock(NamedTuple):
    """A lock held: the file, and what the run found when it took it."""

    path: Path
    stale: Holder | None  # the holder a killed run left named in the file (taken over)
    removed: tuple[Path, ...]  # stale temporary files removed


def lock_path(config: Config) -> Path:
    return config.locales_dir / LOCK_FILE


@contextmanager
def site_lock(
    config: Config,
    command: str,
    *,
    wait: bool = False,
    on_wait: Callable[[Holder | None], None] | None = None,
    clock: Clock = utc_now,
) -> Iterator[Lock]:
    """Hold the site's lock for the block. If another run holds it: ``SiteLocked`` naming the holder, or
    with ``wait``, wait until it is free (``on_wait`` is told the holder once)."""
    import fcntl

    path = lock_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    told = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            if not wait:
                who = str(holder) if holder is not None else "another run"
                raise SiteLocked(
                    f"locked by {who}: another i18n run is working on this site; "
                    "run again when it is done, or with --wait",
                    path=relative(config, path),
                ) from None
            if not told and on_wait is not None:
                on_wait(holder)
            told = True
            time.sleep(POLL)
            continue
        except OSError as exc:
            os.close(fd)
            raise I18nError(f"cannot lock: {exc.strerror or exc}", path=relative(config, path)) from None
        if _same_file(fd, path):
            break
        os.close(fd)  # the holder removed the file as we locked it: lock the new one
    try:
        stale = _holder(fd)
        me = Holder(os.getpid(), os.uname().nodename, command, clock().isoformat(timespec="seconds"))
        data = (json.dumps(me._asdict(), sort_keys=True) + "\n").encode("utf-8")
        os.ftruncate(fd, 0)
        os.pwrite(fd, data, 0)
        removed = tuple(_remove(stale_temp_files((config.locales_dir, config.output_dir))))
        yield Lock(path, stale, removed)
    finally:
        try:
            path.unlink(missing_ok=True)  # while still holding it: a waiting run then locks a new file
        finally:
            os.close(fd)


def holder(config: Config) -> Holder | None:
    """Who holds the site's lock now, as far as can be told without taking it (None: nobody): the file
    exists only while a run holds it, unless that run was killed (a process on this host that is gone)."""
    try:
        fd = os.open(lock_path(config), os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        found = _holder(fd)
    finally:
        os.close(fd)
    if found is not None and found.host == os.uname().nodename and not _alive(found.pid):
        return None
    return found or Holder(0, "?", "?", "?")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _holder(fd: int) -> Holder | None:
    """The holder named in the lock file (None when it names nobody readable)."""
    try:
        data = json.loads(os.pread(fd, 4096, 0) or b"null")
        return Holder(int(data["pid"]), str(data["host"]), str(data["command"]), str(data["since"]))
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _same_file(fd: int, path: Path) -> bool:
    try:
        return path.stat().st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False


def _remove(paths: Iterator[Path]) -> Iterator[Path]:
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        yield path
