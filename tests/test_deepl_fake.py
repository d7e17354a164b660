"""Drive :mod:`deepl_fake` through the real ``deepl`` client (never the network)."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import deepl
import deepl.http_client
import pytest
from deepl.api_data import MultilingualGlossaryDictionaryEntries
from hypothesis import given
from hypothesis import strategies as st

from .deepl_fake import (
    DEEPL_MAX_TEXTS,
    DEFAULT_AUTH_KEY,
    PREAMBLE,
    FakeDeepL,
    fast_retries,
    mangle_text,
    pseudo_translate,
)

XML = '<p id="1">Hello <b class="x">World</b>, <code>world</code> &amp; worldwide<x id="2"/></p>'


@pytest.fixture(autouse=True)
def _fast_retries() -> Iterator[None]:  # no network, no keys: conftest's _local_only
    with fast_retries(retries=2, backoff=0.01):
        yield


@pytest.fixture
def translator(fake: FakeDeepL) -> deepl.Translator:
    return deepl.Translator(DEFAULT_AUTH_KEY, server_url=fake.url)


@pytest.fixture
def client(fake: FakeDeepL) -> deepl.DeepLClient:
    return deepl.DeepLClient(DEFAULT_AUTH_KEY, server_url=fake.url)


def one(translator: deepl.Translator, text: str, **kwargs: Any) -> deepl.TextResult:
    result = translator.translate_text(text, **kwargs)
    assert isinstance(result, deepl.TextResult)
    return result


def many(translator: deepl.Translator, texts: list[str], **kwargs: Any) -> list[deepl.TextResult]:
    result = translator.translate_text(texts, **kwargs)
    assert isinstance(result, list)
    return result


def raw(
    fake: FakeDeepL,
    method: str,
    path: str,
    body: bytes | None = None,
    *,
    content_type: str = "application/x-www-form-urlencoded",
    key: str | None = DEFAULT_AUTH_KEY,
) -> tuple[int, dict[str, str], bytes]:
    """A request without the deepl client (no retries)."""
    request = urllib.request.Request(fake.url + path, data=body, method=method)
    if body is not None:
        request.add_header("Content-Type", content_type)
    if key is not None:
        request.add_header("Authorization", f"DeepL-Auth-Key {key}")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


# --------------------------------------------------------------------------- lifecycle


def test_lifecycle() -> None:
    server = FakeDeepL()
    with pytest.raises(RuntimeError):
        _ = server.url
    server.start()
    try:
        assert server.url.startswith("http://127.0.0.1:")
        assert server.port > 0
        with pytest.raises(RuntimeError):
            server.start()
    finally:
        server.stop()
    server.stop()  # idempotent
    assert not server.running
    with server:  # restartable
        assert server.running


# --------------------------------------------------------------------------- translate


def test_translate_plain(fake: FakeDeepL, translator: deepl.Translator) -> None:
    result = one(translator, "Hello world", target_lang="DE")
    assert result.text == "HELLO WORLD"
    assert result.detected_source_lang == "EN"
    assert result.billed_characters == 11
    assert fake.billed == 11
    [request] = fake.requests
    assert (request.method, request.path, request.status) == ("POST", "/v2/translate", 200)
    assert request.content_type == "application/json"  # the client sends JSON bodies
    assert request.params["target_lang"] == "DE"
    assert request.params["show_billed_characters"] is True
    assert request.n_texts == 1 and request.billed == 11 and request.body_bytes > 11


def test_translate_batch_and_source_lang(fake: FakeDeepL, translator: deepl.Translator) -> None:
    texts = ["one", "Zwei ß", ""]
    results = many(translator, texts, source_lang="DE", target_lang="EN-US")
    assert [r.text for r in results] == ["ONE", "ZWEI SS", ""]
    assert [r.detected_source_lang for r in results] == ["DE"] * 3
    assert [r.billed_characters for r in results] == [3, 6, 0]
    assert fake.translate_batches == [3]
    assert fake.billed == 9


def test_translate_xml_keeps_markup(fake: FakeDeepL, translator: deepl.Translator) -> None:
    result = one(translator, XML, target_lang="NL", tag_handling="xml", ignore_tags=["code"])
    assert result.text == (
        '<p id="1">HELLO <b class="x">WORLD</b>, <code>world</code> &amp; WORLDWIDE<x id="2"/></p>'
    )
    assert result.billed_characters == len(XML)  # tags are billed too
    assert fake.requests[-1].params["ignore_tags"] == ["code"]
    assert result.text == pseudo_translate(XML, tag_handling="xml", ignore_tags=["code"])


def test_translate_without_tag_handling_uppercases_everything(
    translator: deepl.Translator,
) -> None:
    assert one(translator, "a <b>x</b> &amp;", target_lang="DE").text == "A <B>X</B> &AMP;"


def test_translate_rejects_bad_language(translator: deepl.Translator) -> None:
    with pytest.raises(deepl.DeepLException, match="target_lang"):
        one(translator, "x", target_lang="XX")


def test_form_encoded_translate(fake: FakeDeepL) -> None:
    body = b"text=Hello&text=%3Cb%3Eworld%3C%2Fb%3E&target_lang=de&tag_handling=xml"
    status, headers, payload = raw(fake, "POST", "/v2/translate", body)
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(payload) == {
        "translations": [
            {"detected_source_language": "EN", "text": "HELLO"},
            {"detected_source_language": "EN", "text": "<b>WORLD</b>"},
        ]
    }
    assert fake.translate_batches == [2]
    assert fake.billed == 5 + 12


# --------------------------------------------------------------------------- glossaries


def test_v2_glossary_lifecycle(fake: FakeDeepL, translator: deepl.Translator) -> None:
    glossary = translator.create_glossary("site", "EN", "DE", {"world": "Welt", "New York": "NY"})
    assert (glossary.source_lang, glossary.target_lang) == ("EN", "DE")
    assert glossary.entry_count == 2 and glossary.ready

    result = one(
        translator,
        XML + " new york",
        source_lang="EN",
        target_lang="DE",
        tag_handling="xml",
        ignore_tags="code",
        glossary=glossary,
    )
    assert result.text == (
        '<p id="1">HELLO <b class="x">Welt</b>, <code>world</code> &amp; WORLDWIDE<x id="2"/></p> NY'
    )
    assert fake.requests[-1].params["glossary_id"] == glossary.glossary_id

    assert [g.glossary_id for g in translator.list_glossaries()] == [glossary.glossary_id]
    assert translator.get_glossary(glossary.glossary_id).name == "site"
    assert translator.get_glossary_entries(glossary) == {"world": "Welt", "New York": "NY"}
    assert fake.requests[-1].path.endswith("/entries")

    translator.delete_glossary(glossary)
    assert translator.list_glossaries() == []
    with pytest.raises(deepl.GlossaryNotFoundException):
        translator.get_glossary(glossary.glossary_id)


def test_glossary_from_csv_and_language_mismatch(translator: deepl.Translator) -> None:
    glossary = translator.create_glossary_from_csv("csv", "EN", "FR", '"cat, big",chat\ndog,chien\n')
    assert translator.get_glossary_entries(glossary) == {"cat, big": "chat", "dog": "chien"}
    with pytest.raises(deepl.DeepLException, match="Bad request"):
        one(translator, "dog", source_lang="EN", target_lang="DE", glossary=glossary.glossary_id)
    with pytest.raises(deepl.DeepLException, match="Bad request"):
        translator.create_glossary("bad", "EN", "XX", {"a": "b"})


def test_v3_multilingual_glossary(fake: FakeDeepL, client: deepl.DeepLClient) -> None:
    glossary = client.create_multilingual_glossary(
        "multi",
        [
            MultilingualGlossaryDictionaryEntries("EN", "DE", {"cat": "Katze"}),
            MultilingualGlossaryDictionaryEntries("EN", "NL", {"cat": "kat", "dog": "hond"}),
        ],
    )
    assert [(d.source_lang, d.target_lang, d.entry_count) for d in glossary.dictionaries] == [
        ("EN", "DE", 1),
        ("EN", "NL", 2),
    ]
    assert [g.glossary_id for g in client.list_multilingual_glossaries()] == [glossary.glossary_id]
    assert client.get_multilingual_glossary(glossary.glossary_id).name == "multi"

    entries: Any = client.get_multilingual_glossary_entries(glossary, "EN", "NL").dictionaries[0]
    # Surprise: the client hands back the API's TSV string, not the annotated dict.
    assert entries.entries == "cat\tkat\ndog\thond"
    assert deepl.convert_tsv_to_dict(entries.entries) == {"cat": "kat", "dog": "hond"}

    nl = one(client, "A cat and a dog", source_lang="EN", target_lang="NL", glossary=glossary)
    de = one(client, "A cat and a dog", source_lang="EN", target_lang="DE", glossary=glossary)
    assert (nl.text, de.text) == ("A kat AND A hond", "A Katze AND A DOG")

    renamed = client.update_multilingual_glossary_name(glossary, "renamed")
    assert renamed.name == "renamed"
    client.update_multilingual_glossary_dictionary(
        glossary, MultilingualGlossaryDictionaryEntries("EN", "FR", {"cat": "chat"})
    )
    client.delete_multilingual_glossary_dictionary(glossary, source_lang="EN", target_lang="DE")
    assert set(fake.glossaries[glossary.glossary_id]) == {("en", "nl"), ("en", "fr")}
    # A multilingual glossary is invisible to the v2 listing.
    assert client.list_glossaries() == []

    client.delete_multilingual_glossary(glossary)
    assert client.list_multilingual_glossaries() == []
    with pytest.raises(deepl.GlossaryNotFoundException):
        client.get_multilingual_glossary(glossary.glossary_id)


def test_glossary_ids_first_wins(client: deepl.DeepLClient) -> None:
    first = client.create_glossary("a", "EN", "DE", {"cat": "Katze"})
    second = client.create_glossary("b", "EN", "DE", {"Cat": "Kater", "dog": "Hund"})
    result = one(client, "cat dog", source_lang="EN", target_lang="DE", glossary_ids=[first, second])
    assert result.text == "Katze Hund"


def test_glossary_languages(translator: deepl.Translator) -> None:
    pairs = {(p.source_lang, p.target_lang) for p in translator.get_glossary_languages()}
    assert ("en", "de") in pairs and ("de", "en") in pairs and ("en", "en") not in pairs


# --------------------------------------------------------------------------- usage / languages


def test_usage_tracks_billing(fake: FakeDeepL, translator: deepl.Translator) -> None:
    many(translator, ["abc", "de"], target_lang="FR")
    usage = translator.get_usage()
    assert usage.character.count == 5 == fake.billed
    assert usage.character.limit == fake.character_limit
    fake.quota_after(5)
    assert translator.get_usage().character.limit_reached


def test_languages(fake: FakeDeepL, translator: deepl.Translator) -> None:
    sources = {lang.code: lang for lang in translator.get_source_languages()}
    targets = {lang.code: lang for lang in translator.get_target_languages()}
    assert "EN" in sources and "EN" not in targets
    assert targets["EN-US"].supports_formality is False
    assert targets["DE"].supports_formality is True
    # Surprise: the client sends type=target as a form body on a GET request.
    target_request = fake.requests[-1]
    assert target_request.method == "GET" and target_request.body_bytes > 0
    assert target_request.params == {"type": "target"}


# --------------------------------------------------------------------------- faults


def test_429_twice_then_success(fake: FakeDeepL, translator: deepl.Translator) -> None:
    fake.fail_next(429, times=2)
    assert one(translator, "hi", target_lang="DE").text == "HI"
    assert [r.status for r in fake.requests] == [429, 429, 200]
    assert fake.billed == 2  # failed attempts are not billed


def test_retry_after_header(fake: FakeDeepL) -> None:
    fake.fail_next(503, retry_after=7)
    fake.fail_next(500)
    status, headers, payload = raw(fake, "GET", "/v2/usage")
    assert (status, headers["Retry-After"]) == (503, "7")
    assert json.loads(payload) == {"message": "Service Unavailable"}
    status, headers, _ = raw(fake, "GET", "/v2/usage")
    assert status == 500 and "Retry-After" not in headers
    assert raw(fake, "GET", "/v2/usage")[0] == 200


def test_fault_path_filter(fake: FakeDeepL, translator: deepl.Translator) -> None:
    fake.fail_next(500, path="/v2/translate")
    translator.get_usage()  # unaffected
    one(translator, "x", target_lang="DE")
    assert [(r.path, r.status) for r in fake.requests] == [
        ("/v2/usage", 200),
        ("/v2/translate", 500),
        ("/v2/translate", 200),
    ]


@pytest.mark.parametrize("status", [500, 503, 429])
def test_persistent_failure_exhausts_retries(
    fake: FakeDeepL, translator: deepl.Translator, status: int
) -> None:
    fake.fail_next(status, times=10)
    with pytest.raises(deepl.DeepLException) as info:
        one(translator, "hi", target_lang="DE")
    assert info.value.http_status_code == status
    assert len(fake.requests) == 3  # 1 try + fast_retries(retries=2)
    assert fake.billed == 0


def test_quota_exceeded(fake: FakeDeepL, translator: deepl.Translator) -> None:
    fake.quota_after(10)
    one(translator, "12345", target_lang="DE")
    one(translator, "12345", target_lang="DE")  # exactly at the limit: fine
    with pytest.raises(deepl.QuotaExceededException):
        one(translator, "1", target_lang="DE")
    assert fake.billed == 10
    assert fake.requests[-1].fault == "quota" and fake.requests[-1].status == 456
    fake.quota_after(None)
    one(translator, "1", target_lang="DE")
    assert fake.billed == 11


def test_wrong_key(fake: FakeDeepL) -> None:
    translator = deepl.Translator("wrong-key:fx", server_url=fake.url)
    with pytest.raises(deepl.AuthorizationException):
        one(translator, "hi", target_lang="DE")
    status, _, payload = raw(fake, "GET", "/v2/usage", key=None)
    assert status == 403 and "message" in json.loads(payload)
    assert fake.billed == 0


def test_timeout(fake: FakeDeepL, translator: deepl.Translator) -> None:
    fake.slow(2.0)
    started = time.monotonic()
    with (
        fast_retries(retries=0, backoff=0.01, timeout=0.2),
        pytest.raises(deepl.ConnectionException, match="timed out"),
    ):
        one(translator, "hi", target_lang="DE")
    assert time.monotonic() - started < 1.5


def test_timeout_retry_rebills(fake: FakeDeepL, translator: deepl.Translator) -> None:
    fake.slow(0.5)
    with fast_retries(retries=1, backoff=0.01, timeout=0.2):
        assert one(translator, "hello", target_lang="DE").text == "HELLO"
    deadline = time.monotonic() + 3
    while len(fake.requests) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    # The abandoned first attempt was still processed: the text is billed twice.
    assert fake.translate_batches == [1, 1]
    assert fake.billed == 10
    assert sorted(r.slept for r in fake.requests) == [0.0, 0.5]


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("drop_tag", 'A A <b>B</b> C <x id="1"/>'),  # <i> unwrapped
        ("reorder_tags", '<x id="1"/> A <b>B</b> C <i>A</i>'),
        ("preamble", PREAMBLE + '<i>A</i> A <b>B</b> C <x id="1"/>'),
    ],
)
def test_mangle(fake: FakeDeepL, translator: deepl.Translator, mode: Any, expected: str) -> None:
    source = '<i>a</i> a <b>b</b> c <x id="1"/>'
    fake.mangle(mode)
    mangled = one(translator, source, target_lang="DE", tag_handling="xml")
    clean = one(translator, source, target_lang="DE", tag_handling="xml")
    assert mangled.text == expected
    assert clean.text == '<i>A</i> A <b>B</b> C <x id="1"/>'
    assert [r.fault for r in fake.requests] == [f"mangle:{mode}", None]


def test_mangle_helpers() -> None:
    assert mangle_text("<p><a>1</a><b>2</b></p>", "reorder_tags") == "<p><b>2</b><a>1</a></p>"
    assert mangle_text("<p>x</p>", "reorder_tags") == "<p>x</p>"
    assert mangle_text("plain", "drop_tag") == "plain"
    assert mangle_text("<a><b>x</b></a>y", "drop_tag") == "<b>x</b>y"


def test_body_too_large(fake: FakeDeepL, translator: deepl.Translator) -> None:
    fake.max_body_bytes = 200
    one(translator, "x" * 50, target_lang="DE")
    with pytest.raises(deepl.DeepLException) as info:
        one(translator, "x" * 300, target_lang="DE")
    assert info.value.http_status_code == 413
    assert fake.requests[-1].fault == "body_size"
    assert fake.billed == 50


def test_too_many_texts(fake: FakeDeepL, translator: deepl.Translator) -> None:
    many(translator, ["x"] * DEEPL_MAX_TEXTS, target_lang="DE")
    with pytest.raises(deepl.DeepLException, match="Too many texts"):
        many(translator, ["x"] * (DEEPL_MAX_TEXTS + 1), target_lang="DE")
    fake.max_texts = 2
    with pytest.raises(deepl.DeepLException, match="Bad request"):
        many(translator, ["a", "b", "c"], target_lang="DE")
    assert fake.translate_batches == [DEEPL_MAX_TEXTS, DEEPL_MAX_TEXTS + 1, 3]
    assert fake.billed == DEEPL_MAX_TEXTS


def test_concurrent_requests_bill_exactly(fake: FakeDeepL) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        translator = deepl.Translator(DEFAULT_AUTH_KEY, server_url=fake.url)
        try:
            for _ in range(10):
                many(translator, ["ab", "cde"], target_lang="DE")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert fake.billed == 4 * 10 * 5
    assert fake.translate_batches == [2] * 40


def test_reset(fake: FakeDeepL, translator: deepl.Translator) -> None:
    translator.create_glossary("g", "EN", "DE", {"a": "b"})
    one(translator, "abc", target_lang="DE")
    fake.fail_next(500, times=5)
    fake.max_texts = 1
    fake.reset()
    assert (fake.billed, fake.requests, fake.glossaries, fake.max_texts) == (0, [], {}, 50)
    assert one(translator, "abc", target_lang="DE").text == "ABC"


def test_fast_retries_restores() -> None:
    timer = deepl.http_client._BackoffTimer
    before = (deepl.http_client.max_network_retries, timer.BACKOFF_INITIAL)
    with fast_retries(retries=0, backoff=0.5, timeout=1.0):
        assert deepl.http_client.max_network_retries == 0
        assert deepl.http_client.min_connection_timeout == 1.0
        assert timer.BACKOFF_INITIAL == 0.5
    assert (deepl.http_client.max_network_retries, timer.BACKOFF_INITIAL) == before


# --------------------------------------------------------------------------- pseudo_translate

_MARKUP = ["<b>", "</b>", '<x id="1"/>', "<!-- <c> -->", "<![CDATA[a<b]]>", "&amp;", "&#160;"]
_TEXT = st.text(alphabet=st.characters(blacklist_characters="<&"), max_size=8)


@given(st.lists(st.one_of(st.sampled_from(_MARKUP), _TEXT), max_size=12))
def test_pseudo_translate_preserves_markup(parts: list[str]) -> None:
    expected = "".join(p if p in _MARKUP else p.upper() for p in parts)
    assert pseudo_translate("".join(parts), tag_handling="xml") == expected


def test_pseudo_translate_glossary_rules() -> None:
    glossary = {"cat": "Katze", "big cat": "Großkatze", "c++": "C-Plus"}
    assert pseudo_translate("Big Cat, cat, cats, CAT", glossary=glossary) == ("Großkatze, Katze, CATS, Katze")
    assert pseudo_translate("I like c++.", glossary=glossary) == "I LIKE C-Plus."
    assert pseudo_translate(
        "<b>cat</b><code>cat <i>cat</i></code> cat",
        tag_handling="html",
        ignore_tags=["CODE"],
        glossary=glossary,
    ) == ("<b>Katze</b><code>cat <i>cat</i></code> Katze")
    assert pseudo_translate("1 < 2 &lt; 3 <br> x", tag_handling="html") == "1 < 2 &lt; 3 <br> X"
