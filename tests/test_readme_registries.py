"""The README's tables keep up with the registries: every built-in engine, flavour, message file format and
check the code registers is named in the README (a new entry without its documentation fails here)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from i18n.checks.registry import check_names
from i18n.markdown.flavours import flavour_names
from i18n.messages.formats import format_names
from i18n.mt.registry import engine_names

from .support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("registry", "names"),
    [
        ("engines", engine_names),
        ("flavours", flavour_names),
        ("message formats", format_names),
        ("checks", check_names),
    ],
)
def test_every_registered_name_is_in_the_readme(registry: str, names: Callable[[], tuple[str, ...]]) -> None:
    registered = names()
    assert registered, f"no {registry} registered"
    assert [name for name in registered if f"`{name}`" not in README] == []
