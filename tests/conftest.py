"""Fixtures shared by the test modules."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from .deepl_fake import FakeDeepL

# Property tests draw the same examples on every run (CI stays green or red for a reason, and a failure
# reproduces); `I18N_HYPOTHESIS=explore` draws new ones each run, to look for new counterexamples.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("explore" if os.environ.get("I18N_HYPOTHESIS") == "explore" else "repeatable")


@pytest.fixture
def fake() -> Iterator[FakeDeepL]:
    """A local DeepL-compatible server on 127.0.0.1 (no key required); modules may override it."""
    with FakeDeepL() as server:
        yield server
