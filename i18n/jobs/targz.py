"""A language's ``.tar.gz``: deterministic, and rewritten at the cost of what changed.

The archive is one tar stream (PAX format, no timestamps or owners) compressed as a series of gzip
members, which every gzip reader (``tar xzf``, Python's ``tarfile``) reads as one stream. The files are
cut into groups by their names (a new group where the name's CRC-32 is 0 modulo :data:`GROUP`, so about
16 files each, and the same cut whatever the files hold; a large file is a group of its own); each group's
tar bytes are one gzip member. Writing the archive again, a group whose tar bytes are those of a member of
the archive it replaces is copied from that file as it is, compressed bytes and all; only the groups
holding a changed, added or removed file are compressed again. The bytes are the same as writing every
group afresh (deflate at level 6 of the same input, gzip headers without a name or time): an edit of one
page rewrites its group and the manifest's, not the site.
"""

from __future__ import annotations

import hashlib
import struct
import tarfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..files import AtomicFile

GROUP = 16  # a new group where crc32(name) % GROUP == 0: about this many files per gzip member
ALONE = 256 * 1024  # a file this large is a group of its own (a big site's manifest)
LEVEL = 6
_HEADER = b"\x1f\x8b\x08\x00" + b"\x00\x00\x00\x00" + b"\x00\xff"  # deflate, no flags, mtime 0, unknown OS
_READ = 1 << 20


def write_tar_gz(archive: Path, members: Iterable[tuple[str, Path]]) -> bool:
    """Write ``members`` (archive name, file) to ``archive`` as described above, replacing it only if the
    bytes differ. True if it was replaced."""
    old = _old_members(archive)
    target = AtomicFile(archive, only_if_changed=True)
    with target as out, _opened(archive if old else None) as previous:
        size = 0
        for group in _groups(members):
            data = b"".join(group)
            size += len(data)
            known = old.get(hashlib.sha256(data).digest())
            if known is not None and previous is not None:
                previous.seek(known[0])
                copied = previous.read(known[1])
                if len(copied) == known[1]:
                    out.write(copied)
                    continue
            out.write(gzip_member(data))
        end = 2 * tarfile.BLOCKSIZE  # two zero blocks, then zeros to a whole record, as tarfile closes
        end += -(size + end) % tarfile.RECORDSIZE
        out.write(gzip_member(bytes(end)))
    return target.changed


def gzip_member(data: bytes) -> bytes:
    """One gzip member of ``data``: deflate at :data:`LEVEL`, no name, no time."""
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = packer.compress(data) + packer.flush()
    return _HEADER + body + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)


def tar_member(name: str, data: bytes) -> bytes:
    """A tar member (header and padded data) with no timestamp or owner: same input, same bytes."""
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0
    info.mode = 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    head = info.tobuf(tarfile.PAX_FORMAT, tarfile.ENCODING, "surrogateescape")
    return head + data + bytes(-len(data) % tarfile.BLOCKSIZE)


def _groups(members: Iterable[tuple[str, Path]]) -> Iterator[list[bytes]]:
    group: list[bytes] = []
    for name, path in members:
        member = tar_member(name, path.read_bytes())
        alone = len(member) >= ALONE
        if group and (alone or zlib.crc32(name.encode("utf-8", "surrogateescape")) % GROUP == 0):
            yield group
            group = []
        group.append(member)
        if alone:
            yield group
            group = []
    if group:
        yield group


def _old_members(archive: Path) -> dict[bytes, tuple[int, int]]:
    """The gzip members of the archive being replaced: sha256 of what each holds -> (offset, length).
    Read as a stream (never whole in memory); none for a missing or unreadable archive."""
    found: dict[bytes, tuple[int, int]] = {}
    try:
        with archive.open("rb") as raw:
            start = position = 0
            unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
            digest = hashlib.sha256()
            while chunk := raw.read(_READ):
                while chunk:
                    digest.update(unpacker.decompress(chunk))
                    if not unpacker.eof:
                        position += len(chunk)
                        break
                    used = len(chunk) - len(unpacker.unused_data)
                    position += used
                    found[digest.digest()] = (start, position - start)
                    start, chunk = position, unpacker.unused_data
                    unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    digest = hashlib.sha256()
    except (OSError, zlib.error):
        return {}
    return found


class _opened:
    """``path`` opened for reading, or None (no previous archive worth reading)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.handle: BinaryIO | None = None

    def __enter__(self) -> BinaryIO | None:
        if self.path is not None:
            try:
                self.handle = self.path.open("rb")
            except OSError:
                self.handle = None
        return self.handle

    def __exit__(self, *_: object) -> None:
        if self.handle is not None:
            self.handle.close()
