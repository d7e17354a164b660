"""Fixtures shared by the test modules."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .deepl_fake import FakeDeepL


@pytest.fixture
def fake() -> Iterator[FakeDeepL]:
    """A local DeepL-compatible server on 127.0.0.1 (no key required); modules may override it."""
    with FakeDeepL() as server:
        yield server
