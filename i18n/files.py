"""File writes at the edge: atomic (temp file + rename) and only when the content changed.

Every file the pipeline writes goes through :class:`AtomicFile`: the bytes go to a temporary file in the
target's folder (``.<name>.<random>.tmp``) that replaces the target by a rename only when complete, so a
crash or a kill leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import signal
import stat
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import BinaryIO


def _file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


FILE_MODE = _file_mode()
TEMP_SUFFIX = ".tmp"  # our temporary files: .<target name>.<random>.tmp beside the target
_OUR_TEMP = re.compile(r"\..+\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX))  # mkstemp's 8 random characters


def stale_temp_files(folders: Iterable[Path]) -> Iterator[Path]:
    """Temporary files of our naming (``.<name>.<random>.tmp``) under ``folders``: left by a run that was
    killed while writing (a live run's are its own; call this only while holding the site's lock, or to
    report them). Symlinked folders are not entered."""
    for folder in folders:
        for parent, _, names in os.walk(folder):
            for name in names:
                if name.endswith(TEMP_SUFFIX) and _OUR_TEMP.fullmatch(name):
                    path = Path(parent) / name
                    if path.is_file() and not path.is_symlink():
                        yield path


DIGEST = 32  # hex digits kept of a sha256 in the state files: 128 bits, and half the size


def bytes_digest(data: bytes) -> str:
    """sha256 of ``data``, shortened to ``DIGEST`` hex digits (what the state files record)."""
    return hashlib.sha256(data).hexdigest()[:DIGEST]


def decode_text(data: bytes, path: str | Path, what: str = "a text file") -> str:
    """A source file's bytes as text; binary or non-UTF-8 input is a ``PageError`` naming the line."""
    from .errors import PageError

    if b"\0" in data:
        line = data.count(b"\n", 0, data.index(b"\0")) + 1
        raise PageError(f"binary file (NUL byte), not {what}", path=path, line=line)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise PageError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})", path=path, line=line
        ) from None


class NotAFile(OSError):
    """A path that is not a regular file (a folder, a FIFO, a device, a socket): never read."""


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def read_regular(path: Path) -> bytes:
    """A regular file's bytes. Anything else raises :class:`NotAFile` without blocking: a FIFO is opened
    non-blocking and closed unread, so it can never hang the run."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotAFile(errno.EINVAL, f"not a regular file ({file_kind(mode)})", str(path))
        os.set_blocking(fd, True)
        with open(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)


def file_digest(path: Path) -> str | None:
    """:func:`bytes_digest` of a file's bytes, or None when it does not exist (:class:`NotAFile` when
    it is not a regular file).

    The jobs of one run ask for the same catalog's digest several times (extract's freshness and
    recall, build's reuse, the report of failing translations): a file whose inode, size, ``mtime_ns``
    and ``ctime_ns`` are those it had when it was hashed, and that was already older than the clock's
    granularity then (:data:`RACY_NS`), is not read again. Anything else is read and hashed: the bytes are
    the truth."""
    name = os.fspath(path)
    try:
        status = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    key = (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
    known = _DIGESTS.get(name)
    if known is not None and known[0] == key:
        return known[1]
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        status = os.fstat(fd)  # what is read, whatever happened since the stat above
        if not stat.S_ISREG(status.st_mode):
            raise NotAFile(errno.EINVAL, f"not a regular file ({file_kind(status.st_mode)})", name)
        os.set_blocking(fd, True)
        with open(fd, "rb", closefd=False) as handle:
            digest = bytes_digest(handle.read())
    finally:
        os.close(fd)
    key = (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
    whole_seconds = status.st_mtime_ns % 1_000_000_000 == 0 and status.st_ctime_ns % 1_000_000_000 == 0
    if max(status.st_mtime_ns, status.st_ctime_ns) < time.time_ns() - (
        2_000_000_000 if whole_seconds else RACY_NS
    ):
        if len(_DIGESTS) >= _DIGESTS_KEPT:
            _DIGESTS.clear()
        _DIGESTS[name] = (key, digest)
    return digest


RACY_NS = 100_000_000  # a file changed within this of being hashed may change again with the same mtime
_DIGESTS: dict[str, tuple[tuple[int, int, int, int], str]] = {}  # path -> (stat key, digest)
_DIGESTS_KEPT = 200_000  # bounded: a site larger than this hashes again instead of growing the memo


class AtomicFile:
    """``with AtomicFile(path) as handle: handle.write(...)``: ``path`` is replaced when the block ends
    without an error (and, with ``only_if_changed``, only if the bytes differ); ``changed`` says whether
    it was. On an error (or an interrupt) the temporary file is removed and ``path`` is untouched."""

    def __init__(self, path: Path, *, only_if_changed: bool = False) -> None:
        self.path = path
        self.only_if_changed = only_if_changed
        self.changed = False
        self._temp: Path | None = None
        self._handle: BinaryIO | None = None

    def __enter__(self) -> BinaryIO:
        import tempfile  # here: a run that writes nothing does not load it (nor shutil, bz2, lzma)

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd: int | None = None
        with _signals_held():  # an interrupt between making the temporary file and owning it would leak it
            try:
                fd, name = tempfile.mkstemp(
                    prefix=f".{self.path.name}.", suffix=TEMP_SUFFIX, dir=self.path.parent
                )
                self._temp = Path(name)
                os.fchmod(fd, FILE_MODE)  # mkstemp makes 0600; a page or catalog is an ordinary file
                self._handle = os.fdopen(fd, "wb")
            except BaseException:
                if fd is not None and self._handle is None:
                    os.close(fd)
                if self._temp is not None:
                    self._temp.unlink(missing_ok=True)
                raise
        return self._handle

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        assert self._temp is not None and self._handle is not None
        temp = self._temp
        with _signals_held():  # replaced or removed, never left behind by an interrupt
            try:
                self._handle.close()
                if kind is not None:
                    return
                if self.only_if_changed and _same_bytes(temp, self.path):
                    return
                temp.replace(self.path)
                self.changed = True
            finally:
                if not self.changed:
                    temp.unlink(missing_ok=True)


@contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done (delivered then), where the platform allows. (A
    signal caught just before the block still raises in it: the stale temporary file that can leave is
    removed by the next run, see :func:`remove_stale_temp_files`.)"""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:  # pragma: no cover - not POSIX
        yield
        return
    held = mask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, held)


_HELD = frozenset({signal.SIGINT, signal.SIGTERM})


def _same_bytes(a: Path, b: Path) -> bool:
    import filecmp

    try:
        return filecmp.cmp(a, b, shallow=False)
    except (FileNotFoundError, NotADirectoryError):
        return False


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    with AtomicFile(path) as handle:
        handle.write(data)


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` (UTF-8, exact newlines) unless the file already holds it. True if written."""
    data = text.encode("utf-8")
    try:
        if read_regular(path) == data:
            return False
    except (FileNotFoundError, NotADirectoryError):
        pass
    write_atomic(path, data)
    return True


def write_chunks_if_changed(path: Path, chunks: Iterable[str]) -> bool:
    """:func:`write_if_changed` for a large text given in pieces: streamed to a temporary file (never
    whole in memory), which replaces ``path`` only if its bytes differ. True if written."""
    target = AtomicFile(path, only_if_changed=True)
    with target as handle:
        for chunk in chunks:
            handle.write(chunk.encode("utf-8"))
    return target.changed
