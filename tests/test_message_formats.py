"""Message file formats are a registry: a new format is one module and one entry (the example in
``tests/example_message_format.py``); the configuration's choices and detection come from the entries."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from i18n.config import load_config
from i18n.errors import ConfigError
from i18n.messages.file import parse_messages
from i18n.messages.formats import FLAT, I18NEXT, INLANG, format_names, message_format, register, unregister

from . import example_message_format as example

NAMESPACED = (
    '{\n  "$namespace": "shop",\n  "cart": {\n    "title": "Your cart",\n    "empty": "Nothing yet"\n  }\n}\n'
)


@pytest.fixture
def with_example_format() -> Iterator[str]:
    register(example.FORMAT, first=True)  # its one registry entry (narrower than i18next: asked first)
    yield example.FORMAT.name
    unregister(example.FORMAT.name)


def _project(root: Path, format: str) -> Path:
    (root / "pyproject.toml").write_text(
        '[tool.i18n]\nlanguages = ["nl"]\n\n[[tool.i18n.messages]]\nsource = "en.json"\n'
        f'format = "{format}"\n',
        encoding="utf-8",
    )
    (root / "en.json").write_text(NAMESPACED, encoding="utf-8")
    return root


def test_the_built_in_formats_are_registered_in_detection_order() -> None:
    assert format_names() == ("inlang", "i18next", "flat")
    assert parse_messages('{"$schema": "https://inlang.com/schema", "a": "Hi"}', "m").format is INLANG
    assert parse_messages('{"a": {"b": "Hi"}}', "m").format is I18NEXT
    assert parse_messages('{"a": "Hi"}', "m").format is FLAT


def test_a_registered_format_is_configurable_and_detected(tmp_path: Path, with_example_format: str) -> None:
    config = load_config(_project(tmp_path, with_example_format))
    assert format_names() == ("namespaced", "inlang", "i18next", "flat")
    assert config.messages[0].format is example.FORMAT
    document = parse_messages(NAMESPACED, "en.json")  # no format given: detected by the entry
    assert document.format is example.FORMAT
    assert [s.text for s in document.segments] == ["Your cart", "Nothing yet"]
    assert {s.id for s in document.segments} == {"cart.title", "cart.empty"}
    assert document.render({}) == NAMESPACED  # identity: the same bytes
    # the built-in formats are still detected as before with the example registered
    assert parse_messages('{"a": {"b": "Hi"}}', "m").format is I18NEXT


def test_an_unregistered_format_is_refused_naming_the_registered_ones(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        load_config(_project(tmp_path, "namespaced"))
    message = str(error.value)
    assert "'inlang' or 'i18next' or 'flat'" in message and "namespaced" in message


def test_a_format_pickles_as_the_registered_entry(with_example_format: str) -> None:
    for entry in (INLANG, I18NEXT, FLAT, message_format(with_example_format)):
        assert pickle.loads(pickle.dumps(entry)) is entry
