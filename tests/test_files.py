"""Writes at the edge: atomic, only when the content changed, never a temporary file left behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from i18n.files import write_atomic, write_chunks_if_changed, write_if_changed


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("write", ["text", "chunks"])
def test_written_only_when_changed(tmp_path: Path, write: str) -> None:
    path = tmp_path / "sub" / "state.json"

    def put(text: str) -> bool:
        if write == "text":
            return write_if_changed(path, text)
        return write_chunks_if_changed(path, iter([text[:3], text[3:]]))

    assert put("héllo\n") is True
    assert path.read_bytes() == "héllo\n".encode()
    inode = path.stat().st_ino
    assert put("héllo\n") is False
    assert path.stat().st_ino == inode  # not replaced
    assert put("hello again\n") is True
    assert path.read_text(encoding="utf-8") == "hello again\n"
    assert leftovers(path.parent) == []


def test_a_failing_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    write_atomic(path, b"old\n")

    def chunks() -> object:
        yield "new"
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_chunks_if_changed(path, chunks())  # type: ignore[arg-type]
    assert path.read_bytes() == b"old\n"
    assert leftovers(tmp_path) == []


def _aged(path: Path, seconds: float = 10.0) -> None:
    """Give ``path`` an mtime ``seconds`` in the past (its ctime stays now: not aged by this)."""
    import os
    import time

    past = time.time_ns() - int(seconds * 1e9)
    os.utime(path, ns=(past, past))


def test_a_file_digest_is_not_read_again_while_the_file_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from i18n import files

    path = tmp_path / "nl" / "page.po"
    write_atomic(path, b'msgid "a"\nmsgstr "b"\n')
    _aged(path)
    monkeypatch.setattr(files, "RACY_NS", 0)  # the file's ctime is now: no racy window for the test
    time.sleep(0.01)
    hashed: list[bytes] = []
    real = files.bytes_digest
    monkeypatch.setattr(files, "bytes_digest", lambda data: hashed.append(data) or real(data))
    first = files.file_digest(path)
    assert first == real(path.read_bytes())
    assert files.file_digest(path) == first
    assert files.file_digest(path) == first
    assert len(hashed) == 1  # extract, recall, build and the report ask; the file is read once
    # the same size written again (a translator's edit): read again, whatever its mtime says
    write_atomic(path, b'msgid "a"\nmsgstr "c"\n')
    _aged(path)
    assert files.file_digest(path) == real(b'msgid "a"\nmsgstr "c"\n')
    assert len(hashed) == 2
    path.unlink()
    assert files.file_digest(path) is None


def test_a_file_changed_within_the_clock_granularity_is_hashed_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from i18n import files

    path = tmp_path / "page.po"
    path.write_bytes(b"one\n")
    monkeypatch.setattr(files, "RACY_NS", 3_600 * 10**9)  # everything is young
    hashed: list[bytes] = []
    real = files.bytes_digest
    monkeypatch.setattr(files, "bytes_digest", lambda data: hashed.append(data) or real(data))
    assert files.file_digest(path) == files.file_digest(path) == real(b"one\n")
    assert len(hashed) == 2  # a write in the same tick could keep size and times: never trusted
