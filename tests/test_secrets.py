"""Issue 24, items 1 and 2: an API key is never echoed nor stored, whatever holds it by mistake (another
variable, a setting in pyproject.toml) and whatever a server answers (the key inside a translation, as is
or encoded): 0 occurrences in the output and in every file the pipeline writes (catalogs, pages, archives,
the billing file)."""

from __future__ import annotations

import gzip
import html
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from i18n.secret import secret_forms

from .deepl_fake import FakeDeepL, pseudo_translate
from .openai_fake import FakeOpenAI
from .project import Project
from .support import invoke as cli

KEY = "k3y-5ecret/+&<0123456789abcdef:fx"  # every encoding differs from the key as it is
PAGE = "---\ntitle: Plans for groups\n---\n\n# Plans\n\nWe grow every year.\n\n- one item\n- two items\n"


@pytest.fixture(autouse=True)
def _no_commit_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_SHA", raising=False)  # the rest: conftest's _local_only


def encoded(key: str) -> dict[str, str]:
    """The forms a server (or a user) could give the key in: every one must be caught."""
    return {
        "raw": key,
        "url": quote(key, safe=""),
        "json": json.dumps(key)[1:-1],
        "xml": html.escape(key),
        "charrefs": "".join(f"&#{ord(c)};" for c in key),
        "without-fx": key.removesuffix(":fx"),
    }


def _files(root: Path, *, skip: tuple[str, ...] = ()) -> Iterator[tuple[Path, bytes]]:
    """Every file under ``root`` (archives opened), as bytes."""
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name in skip:
            continue
        data = path.read_bytes()
        yield path, data
        if path.name.endswith(".gz"):
            yield path, gzip.decompress(data)


def occurrences(root: Path, output: str, key: str, *, skip: tuple[str, ...] = ()) -> list[str]:
    """Where any form of ``key`` shows: in ``output`` or in a file under ``root``."""
    forms = {*secret_forms(key), *encoded(key).values()}
    found = [f"output: {form!r}" for form in forms if form in output]
    for path, data in _files(root, skip=skip):
        found += [f"{path.relative_to(root)}: {form!r}" for form in forms if form.encode() in data]
    return found


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = Project(tmp_path, languages=("nl", "de"))
    project.page("plans.md", PAGE)
    return project


# -- item 1: a key pasted into a setting is refused, never shown ---------------------------------------------


@pytest.mark.parametrize("variable", ["DEEPL_SERVER_URL", "OPENAI_BASE_URL", "GITHUB_SHA"])
@pytest.mark.parametrize("form", ["raw", "url", "without-fx"])
def test_a_key_in_another_variable_is_refused_and_never_shown(
    project: Project, monkeypatch: pytest.MonkeyPatch, variable: str, form: str
) -> None:
    monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
    monkeypatch.setenv(variable, encoded(KEY)[form])
    for command in ("run", "status", "check", "build", "extract"):
        result = cli(project, command)
        assert result.exit_code == 1, result.output
        assert f"${variable} holds the value of $DEEPL_AUTH_KEY" in result.output
        assert occurrences(project.root, result.output, KEY) == []


def test_the_swapped_variables_of_the_issue(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """`DEEPL_AUTH_KEY=K DEEPL_SERVER_URL=K i18n run` printed K in the URL error."""
    monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
    monkeypatch.setenv("DEEPL_SERVER_URL", KEY)
    result = cli(project, "run")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert occurrences(project.root, result.output, KEY) == []


def test_the_engine_names_the_swapped_variable_without_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from i18n.mt.deepl import deepl_engine
    from i18n.mt.engine import EngineError

    monkeypatch.setenv("DEEPL_SERVER_URL", KEY)
    with pytest.raises(EngineError) as caught:
        deepl_engine(KEY)
    assert "DEEPL_SERVER_URL holds the value of DEEPL_AUTH_KEY" in str(caught.value)
    assert not any(form in str(caught.value) for form in secret_forms(KEY))


SETTINGS = [
    'project_id = "{}"',
    'content_dir = "{}"',
    'locales_dir = "{}"',
    'output_dir = "{}"',
    'glossary = "{}"',
    'engine = "{}"',
    'flavour = "{}"',
    'pseudo_locale = "{}"',
    'source_language = "{}"',
    'keep_headings = ["{}"]',
    'frontmatter_keys = ["title", "{}"]',
    'content_globs = ["{}"]',
    "# the key: {}",
    '[tool.i18n.openai]\nmodel = "{}"',
    '[tool.i18n.openai]\nmodel = "m"\nbase_url = "http://127.0.0.1:9/{}"',
    '[tool.i18n.openai]\nmodel = "m"\ninstructions = "{}"',
]


@pytest.mark.parametrize("setting", SETTINGS)
@pytest.mark.parametrize("variable", ["DEEPL_AUTH_KEY", "OPENAI_API_KEY"])
def test_a_key_pasted_into_any_setting_is_refused_and_never_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str, variable: str
) -> None:
    key = json.dumps(KEY)[1:-1]  # as TOML writes it in a basic string
    project = Project(tmp_path, languages=("nl",), extra=setting.format(key) + "\n")
    project.page("plans.md", PAGE)
    monkeypatch.setenv(variable, KEY)
    line = 1 + (tmp_path / "pyproject.toml").read_text(encoding="utf-8").splitlines().index(
        next(s for s in setting.format(key).splitlines() if key in s)
    )
    for command in ("run", "status", "check", "build", "extract"):
        result = cli(project, command)
        assert result.exit_code == 1, result.output
        assert f"error: pyproject.toml:{line}: holds the value of ${variable}" in result.output
        assert occurrences(project.root, result.output, KEY, skip=("pyproject.toml",)) == []


# -- item 2: a server that answers with the key --------------------------------------------------------------


@pytest.mark.parametrize("form", sorted(encoded(KEY)))
def test_a_deepl_server_echoing_the_key_gets_it_nowhere(
    project: Project, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    with FakeDeepL(auth_key=KEY) as fake:
        fake.append = " " + encoded(KEY)[form]
        monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
        monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
        result = cli(project, "run")
        assert fake.billed > 0  # the server was asked, and answered
    assert "Traceback" not in result.output, result.output
    assert occurrences(project.root, result.output, KEY) == []
    assert (project.root / "build" / "nl.tar.gz").is_file()
    assert (project.root / "locales" / ".billing.jsonl").is_file()
    status = cli(project, "status")
    assert occurrences(project.root, status.output, KEY) == []


def test_an_answer_with_the_key_is_rejected_the_others_kept(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeDeepL(auth_key=KEY) as fake:
        fake.append = ""
        monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
        monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
        cli(project, "extract")
        fake.mangle("preamble")  # first batch: untouched by the key
        fake.append = " " + KEY
        result = cli(project, "run")
    assert "Traceback" not in result.output
    text = project.po_path("plans.md").read_text(encoding="utf-8")
    assert "the answer contains the API key" in text
    assert occurrences(project.root, result.output, KEY) == []


@pytest.mark.parametrize("form", sorted(encoded(KEY)))
def test_a_chat_server_echoing_the_key_gets_it_nowhere(
    project: Project, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    path = project.root / "pyproject.toml"
    settings = 'engine = "openai"\n\n[tool.i18n.openai]\nmodel = "test-model"\nmax_retries = 0\n'
    path.write_text(path.read_text(encoding="utf-8") + settings, encoding="utf-8")
    with FakeOpenAI(api_key=KEY) as chat:
        suffix = " " + encoded(KEY)[form]
        chat.translate = lambda text, target: pseudo_translate(text, tag_handling="xml") + suffix
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", chat.url)
        result = cli(project, "run")
        assert chat.answered  # the server was asked, and answered
    assert "Traceback" not in result.output, result.output
    assert occurrences(project.root, result.output, KEY) == []
    assert (project.root / "build" / "nl.tar.gz").is_file()


@pytest.mark.parametrize(
    "args",
    [
        ["run", "--engine", KEY],
        ["translate", "--lang", "nl", "--engine", KEY],
        ["status", "--lang", KEY],
        ["run", f"--{KEY}"],
    ],
)
def test_a_key_given_as_an_argument_is_never_shown(
    project: Project, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
    result = cli(project, *args)
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert occurrences(project.root, result.output, KEY) == []
