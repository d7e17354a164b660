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
