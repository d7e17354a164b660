"""Fixtures shared by the test modules."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from i18n.markdown.flavours import register, unregister

from . import example_flavour
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


@pytest.fixture(autouse=True)
def _local_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches a real engine with a key from the developer's shell (a dry run reads the DeepL
    account's usage when a key is set): tests that need one set it, with a local server. A proxy from
    the environment never sees the loopback traffic to the fake servers."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    for name in ("DEEPL_AUTH_KEY", "DEEPL_SERVER_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def with_example_flavour() -> Iterator[str]:
    """The example flavour (tests/example_flavour.py) registered for a module's tests: the suites that
    run per registered flavour (``pytestmark = pytest.mark.usefixtures("with_example_flavour")``) run it
    too, as they would any new flavour."""
    register(example_flavour.ENTRY)
    yield example_flavour.ENTRY.name
    unregister(example_flavour.ENTRY.name)
