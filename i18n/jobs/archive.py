"""A language's archive (``<output_dir>/<lang>.tar.gz``): a deterministic tar.gz of the built files,
streamed from disk, the same bytes for the same files (no timestamps, owners or gzip name), rewritten at
the cost of the change (:mod:`.targz`)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def write_archive(archive: Path, members: Iterable[tuple[str, Path]]) -> bool:
    """A deterministic tar.gz of ``members`` (archive name, file), replacing ``archive`` if different;
    the groups of files that did not change are copied from the archive it replaces. True if it changed."""
    from .targz import write_tar_gz  # gzip + tarfile load when an archive is written (see i18n.jobs)

    return write_tar_gz(archive, members)
