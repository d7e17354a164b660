"""File writes at the edge: atomic (temp file + rename) and only when the content changed."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path


def _file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


FILE_MODE = _file_mode()


DIGEST = 32  # hex digits kept of a sha256 in the state files: 128 bits, and half the size


def bytes_digest(data: bytes) -> str:
    """sha256 of ``data``, shortened to ``DIGEST`` hex digits (what the state files record)."""
    return hashlib.sha256(data).hexdigest()[:DIGEST]


def file_digest(path: Path) -> str | None:
    """:func:`bytes_digest` of a file's bytes, or None when it does not exist."""
    try:
        return bytes_digest(path.read_bytes())
    except FileNotFoundError:
        return None


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    import tempfile  # here: a run that writes nothing does not load it (nor shutil, bz2, lzma)

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, FILE_MODE)  # mkstemp makes 0600; a page or catalog is an ordinary file
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` (UTF-8, exact newlines) unless the file already holds it. True if written."""
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, data)
    return True


def write_chunks_if_changed(path: Path, chunks: Iterable[str]) -> bool:
    """:func:`write_if_changed` for a large text given in pieces: streamed to a temporary file (never
    whole in memory), which replaces ``path`` only if its bytes differ. True if written."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(name)
    try:
        os.fchmod(fd, FILE_MODE)
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                data = chunk.encode("utf-8")
                digest.update(data)
                handle.write(data)
        if file_digest(path) == digest.hexdigest()[:DIGEST]:
            temp.unlink()
            return False
        temp.replace(path)
        return True
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
