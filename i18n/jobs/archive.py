"""A language's archive (``<output_dir>/<lang>.tar.gz``): a deterministic tar.gz of the built files,
streamed from disk, the same bytes for the same files (no timestamps, owners or gzip name)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import AtomicFile

if TYPE_CHECKING:  # gzip and tarfile load when an archive is written (see i18n.jobs: measured)
    import tarfile


def write_archive(archive: Path, members: Iterable[tuple[str, Path]]) -> bool:
    """A deterministic tar.gz of ``members`` (archive name, file), replacing ``archive`` if different;
    True if it changed."""
    import gzip
    import tarfile

    target = AtomicFile(archive, only_if_changed=True)
    with (
        target as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as packed,
        tarfile.open(fileobj=packed, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        for member, path in members:
            _add_file(tar, member, path.read_bytes())
    return target.changed


def _add_file(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    """A tar member with no timestamp or owner: same input, same archive bytes."""
    import tarfile

    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0
    info.mode = 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    tar.addfile(info, io.BytesIO(data))
