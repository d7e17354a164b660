"""Faults at the engine's edge (issue 11, items 4, 5 and 6): through the real `deepl` client against the
local DeepL-compatible server. Oversized texts are skipped and named, the rest goes on; odd keys, URLs and
server answers are one clear line, never a traceback, never the key."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from click.testing import Result

from i18n.catalog.po import read_catalog
from i18n.mt.deepl import deepl_engine, request_size
from i18n.mt.engine import EngineError, FailureKind

from .deepl_fake import DEEPL_MAX_BODY_BYTES, FakeDeepL, fast_retries
from .project import Project
from .support import invoke as cli

KEY = "fault-key-8841:fx"
SMALL = "# Small\n\nA short paragraph.\n\nAnother short paragraph.\n"


@pytest.fixture
def fake() -> Iterator[FakeDeepL]:
    with FakeDeepL(auth_key=KEY) as server, fast_retries(retries=1, backoff=0.01):
        yield server


@pytest.fixture
def project(tmp_path: Path, fake: FakeDeepL, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
    monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
    return Project(tmp_path, languages=("nl", "de"))


def no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def huge_paragraph(size: int) -> str:
    words = "an enormously long sentence that keeps going "
    return (words * (size // len(words) + 1)).strip() + "."


def forms(secret: str) -> list[str]:
    base = secret.removesuffix(":fx")
    return [f for s in (secret, base) for f in (s, repr(s)[1:-1], quote(s, safe=""), quote_plus(s))]


# -- item 5: a text that cannot fit one request --------------------------------------------------------


def test_a_text_too_large_for_any_request_is_named_and_skipped_and_the_rest_goes_on(
    project: Project, fake: FakeDeepL
) -> None:
    project.page("big.md", "# Big\n\nIntro paragraph.\n\n" + huge_paragraph(140_000) + "\n\nAfter it.\n")
    project.page("small.md", SMALL)
    project.extract()
    dry = cli(project, "translate", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "big.md:5: [nl] text too large for one request" in dry.output  # the dry run says so too
    result = cli(project, "translate", "-q")
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert "warning: content/big.md:5: [nl] text too large for one request" in result.output
    assert "warning: content/big.md:5: [de] text too large for one request" in result.output
    assert "over the 131072-byte request limit" in result.output
    assert all(r.body_bytes <= DEEPL_MAX_BODY_BYTES for r in fake.requests_to("/v2/translate"))
    assert all(r.status == 200 for r in fake.requests_to("/v2/translate"))
    for language in ("nl", "de"):  # everything else, in every language, was translated
        big = read_catalog(project.po_path("big.md", language), "big.md", language).active
        assert [bool(m.msgstr) for m in big] == [True, True, False, True]
        small = read_catalog(project.po_path("small.md", language), "small.md", language).active
        assert all(m.msgstr for m in small)
    again = cli(project, "translate", "-q")  # still reported on the next run, nothing sent for it
    assert again.exit_code == 0 and "big.md:5: [nl] text too large" in again.output
    assert all(r.body_bytes <= DEEPL_MAX_BODY_BYTES for r in fake.requests_to("/v2/translate"))


def test_a_413_splits_the_request_then_skips_the_one_text_the_server_refuses(
    project: Project, fake: FakeDeepL
) -> None:
    project.page(
        "page.md", "# Page\n\n" + "\n\n".join(f"Paragraph {n} of the page." for n in range(6)) + "\n"
    )
    project.page("z.md", "# Zed\n\n" + huge_paragraph(3_000) + "\n")
    project.extract()
    fake.max_body_bytes = 2_500  # the server's limit is below the configured batch_max_bytes
    result = cli(project, "translate", "-q")
    no_traceback(result)
    assert result.exit_code == 0, result.output
    statuses = [r.status for r in fake.requests_to("/v2/translate")]
    assert 413 in statuses and statuses.count(200) >= 4
    assert "content/z.md:3: [nl] text too large for one request (refused)" in result.output
    assert "content/z.md:3: [de] text too large for one request (refused)" in result.output
    for language in ("nl", "de"):
        page = read_catalog(project.po_path("page.md", language), "page.md", language).active
        assert all(m.msgstr for m in page)  # split and sent again: every smaller text got through
        zed = read_catalog(project.po_path("z.md", language), "z.md", language).active
        assert [bool(m.msgstr) for m in zed] == [True, False]


def test_413_is_too_large_not_a_stop(fake: FakeDeepL) -> None:
    engine = deepl_engine(KEY, fake.url)
    fake.max_body_bytes = request_size(["x" * 10], "en", "nl")
    with pytest.raises(EngineError) as caught:
        engine.translate(["y" * 500], "en", "nl")
    assert caught.value.kind is FailureKind.TOO_LARGE and not caught.value.kind.stops


# -- item 4: the key --------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["abc\ndef-123:fx", "abc def-123:fx", "abc\tdef-123", "abc\x7fdef-123"])
def test_a_key_with_whitespace_inside_is_refused_before_any_request(
    project: Project, fake: FakeDeepL, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    project.page("small.md", SMALL)
    project.extract()
    monkeypatch.setenv("DEEPL_AUTH_KEY", key)
    result = cli(project, "translate", "-q")
    no_traceback(result)
    assert result.exit_code == 1
    assert "DEEPL_AUTH_KEY has a space, line break or control character inside" in result.output
    assert fake.requests == []
    for piece in ("abc", "def-123", *forms(key)):
        assert piece not in result.output


@pytest.mark.parametrize("status", [400, 403, 456])
@pytest.mark.parametrize("key", [KEY, 'we"ird\\key/+=&é-8841:fx'], ids=["plain", "odd"])
def test_every_form_of_the_key_in_a_server_message_is_scrubbed(status: int, key: str) -> None:
    with FakeDeepL(auth_key=key) as server, fast_retries(retries=0):
        engine = deepl_engine(key, server.url)
        leaked = [*forms(key), json.dumps(key), key.encode("unicode_escape").decode("ascii")]
        server.fail_next(status, message="echo: " + " | ".join(leaked), path="/v2/translate")
        with pytest.raises(EngineError) as caught:
            engine.translate(["Hello"], "en", "nl")
    message = str(caught.value)
    assert "echo:" in message
    for form in leaked:
        assert form not in message, form
    assert "8841" not in message  # the key without its :fx suffix too


def test_secret_forms_cover_escaped_and_encoded_keys() -> None:
    from i18n.mt.deepl import secret_forms

    key = 'we"ird\\key/+=:fx'
    found = set(secret_forms(key))
    assert {key, 'we\\"ird\\\\key/+=:fx', quote(key, safe=""), quote_plus(key, safe="")} <= found
    assert 'we"ird\\key/+=' in found  # without :fx


# -- item 6: a bad server URL, an odd error body ---------------------------------------------------------


@pytest.mark.parametrize("url", ["http://[::1", "ftp://example.org", "localhost:8080", "http://host:99999"])
def test_a_bad_server_url_is_one_clear_line(
    project: Project, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    project.page("small.md", SMALL)
    project.extract()
    monkeypatch.setenv("DEEPL_SERVER_URL", url)
    result = cli(project, "translate", "-q")
    no_traceback(result)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "DEEPL_SERVER_URL" in lines[0] and repr(url) in lines[0]


@pytest.mark.parametrize("detail", [{"code": 7}, ["a", "b"], 42, None])
def test_an_error_body_whose_detail_is_not_a_string_is_one_clear_line(
    project: Project, fake: FakeDeepL, detail: object
) -> None:
    project.page("small.md", SMALL)
    project.extract()
    fake.fail_next(400, message="Bad request", path="/v2/translate", body={"detail": detail})
    result = cli(project, "translate", "-q")
    no_traceback(result)
    assert result.exit_code == 1
    # nl and de are sent side by side: the failure meets whichever request arrives first
    assert re.search(r"translation stopped: DeepL translation into (nl|de) failed", result.output)


def test_an_unsupported_language_names_the_language(
    project: Project, fake: FakeDeepL, tmp_path: Path
) -> None:
    """A valid language code DeepL does not offer: the error says which language."""
    project = Project(tmp_path, languages=("cy",))
    project.page("small.md", SMALL)
    project.extract()
    result = cli(project, "translate", "-q")
    no_traceback(result)
    assert result.exit_code == 1
    assert "DeepL translation into cy failed" in result.output
