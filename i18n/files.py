"""File writes at the edge: atomic (temp file + rename) and only when the content changed.

Every file the pipeline writes goes through :class:`AtomicFile`: the bytes go to a temporary file in the
target's folder (``.<name>.<random>.tmp``) that replaces the target by a rename only when complete, so a
crash or a kill leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import BinaryIO


def _file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


FILE_MODE = _file_mode()
TEMP_SUFFIX = ".tmp"  # our temporary files: .<target name>.<random>.tmp beside the target


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


def file_digest(path: Path) -> str | None:
    """:func:`bytes_digest` of a file's bytes, or None when it does not exist."""
    try:
        return bytes_digest(path.read_bytes())
    except (FileNotFoundError, NotADirectoryError):
        return None


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
        fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=TEMP_SUFFIX, dir=self.path.parent)
        self._temp = Path(name)
        try:
            os.fchmod(fd, FILE_MODE)  # mkstemp makes 0600; a page or catalog is an ordinary file
            self._handle = os.fdopen(fd, "wb")
        except BaseException:
            os.close(fd)
            self._temp.unlink(missing_ok=True)
            raise
        return self._handle

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        assert self._temp is not None and self._handle is not None
        temp = self._temp
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
        if path.read_bytes() == data:
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
