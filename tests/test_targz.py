"""A language's archive: the same tar stream as tarfile writes, read by any gzip reader, and rewritten at
the cost of the groups of files that changed (the rest copied from the archive it replaces)."""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

import pytest

from i18n.jobs import targz


def _site(folder: Path, pages: int) -> list[tuple[str, Path]]:
    members = []
    for n in range(pages):
        path = folder / f"page-{n:03d}.md"
        path.write_text(f"# Pagina {n}\n\nTekst van pagina {n}. " * (n % 7 + 1) + "\n", encoding="utf-8")
        members.append((f"nl/{path.name}", path))
    return members


def _tarfile_stream(members: list[tuple[str, Path]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, path in members:
            data = path.read_bytes()
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_the_archive_is_the_tar_stream_tarfile_writes_in_several_gzip_members(tmp_path: Path) -> None:
    members = _site(tmp_path, 80)
    members.append(("nl/päge ü.md", members[0][1]))  # a PAX header for a non-ASCII name
    archive = tmp_path / "nl.tar.gz"
    assert targz.write_tar_gz(archive, members) is True
    data = archive.read_bytes()
    assert data.count(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff") > 2  # groups, not one stream
    assert gzip.decompress(data) == _tarfile_stream(members)
    with tarfile.open(archive) as tar:
        assert tar.getnames() == [name for name, _ in members]
        assert tar.extractfile("nl/page-042.md").read() == members[42][1].read_bytes()  # type: ignore[union-attr]
    assert targz.write_tar_gz(archive, members) is False  # same files: not replaced


def test_an_edit_compresses_only_its_group_and_gives_the_bytes_of_a_fresh_archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = _site(tmp_path, 200)
    archive, fresh = tmp_path / "nl.tar.gz", tmp_path / "fresh.tar.gz"
    targz.write_tar_gz(archive, members)
    compressed: list[int] = []
    real = targz.gzip_member
    monkeypatch.setattr(targz, "gzip_member", lambda data: compressed.append(len(data)) or real(data))
    members[120][1].write_text("# Pagina 120, herschreven\n", encoding="utf-8")
    assert targz.write_tar_gz(archive, members) is True
    assert len(compressed) == 2  # the edited page's group and the end of the archive
    assert compressed[0] < 20 * 1024  # a group, not the site
    monkeypatch.setattr(targz, "gzip_member", real)
    targz.write_tar_gz(fresh, members)
    assert archive.read_bytes() == fresh.read_bytes()  # history leaves no trace in the bytes
    members.pop(7)  # a page removed: the archive follows
    targz.write_tar_gz(archive, members)
    assert gzip.decompress(archive.read_bytes()) == _tarfile_stream(members)


def test_an_unreadable_previous_archive_is_written_afresh(tmp_path: Path) -> None:
    members = _site(tmp_path, 30)
    archive = tmp_path / "nl.tar.gz"
    archive.write_bytes(b"\x1f\x8b\x08\x00 not gzip at all")
    assert targz.write_tar_gz(archive, members) is True
    assert gzip.decompress(archive.read_bytes()) == _tarfile_stream(members)
