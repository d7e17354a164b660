"""Engines: DeepL through the real ``deepl`` client against :class:`FakeDeepL` (never the network), and
the pseudo-localiser."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import deepl
import deepl.http_client
import pytest

from i18n.mt.deepl import DeepLEngine, deepl_engine, deepl_language
from i18n.mt.engine import Engine, EngineError, FailureKind, Translated, Usage
from i18n.mt.glossary import Glossary, deepl_glossary_name, parse_glossary
from i18n.mt.pseudo import PseudoEngine, pseudo_localize
from i18n.mt.xmlmarkup import NON_SPLITTING_TAGS

from .deepl_fake import FakeDeepL, fast_retries, pseudo_translate

GLOSSARY = parse_glossary(
    """\
do_not_translate:
  - PauseAI
terms:
  national group:
    nl: nationale groep
    de: nationale Gruppe
"""
)
XML = 'Join a <a i="0">national group</a> of <x i="1"/> PauseAI, <code>national group</code> &amp; more'


@pytest.fixture(autouse=True)
def _fast_retries() -> Iterator[None]:  # no network, no keys: conftest's _local_only
    with fast_retries(retries=2, backoff=0.01):
        yield


@pytest.fixture
def engine(fake: FakeDeepL) -> DeepLEngine:
    return deepl_engine(fake.auth_key, fake.url)


def creates(fake: FakeDeepL) -> int:
    return len([r for r in fake.requests if r.method == "POST" and "glossaries" in r.path])


# --- translation ---------------------------------------------------------------------------------------


def test_translate_keeps_tags_and_ignored_elements(fake: FakeDeepL, engine: DeepLEngine) -> None:
    texts = [XML, "Hello <b>world</b>"]
    result = engine.translate(texts, "en", "nl", ignore_tags=["code"]).texts
    expected = [pseudo_translate(t, tag_handling="xml", ignore_tags=["code"]) for t in texts]
    assert [r.text for r in result] == expected
    assert "<code>national group</code>" in result[0].text
    (request,) = fake.requests_to("/v2/translate")
    params = request.params
    assert params["source_lang"] == "EN" and params["target_lang"] == "NL"
    assert params["tag_handling"] == "xml" and params["split_sentences"] == "nonewlines"
    assert params["outline_detection"] is False and params["preserve_formatting"] is True
    assert params["ignore_tags"] == ["code"]
    assert params["non_splitting_tags"] == list(NON_SPLITTING_TAGS)  # inline markup never splits a sentence
    assert "glossary_id" not in params


def test_request_size_is_what_the_client_sends(fake: FakeDeepL, engine: DeepLEngine) -> None:
    """Batch limits are measured as the DeepL client encodes the body (the largest case: a glossary id
    and ignore_tags ["x"]; without a glossary the real body is that much smaller)."""
    texts = ["Hello <b>world</b>", 'Ünïcode “quotes” — and <x i="1"/> a placeholder']
    engine.translate(texts, "en", "nl", ignore_tags=["x"])
    (request,) = fake.requests_to("/v2/translate")
    assert request.body_bytes == engine.request_size(texts, "en", "nl") - len('"glossary_id": "", ') - 36


def test_context_is_sent_and_counted_in_the_request_size(fake: FakeDeepL, engine: DeepLEngine) -> None:
    """A UI message's instructions go to DeepL as ``context`` (not translated, not billed), and the
    batch limits measure the body with it."""
    from i18n.mt.deepl import request_size

    texts = ["Act", "Get Involved"]
    context = "header__instructions: As short as possible — one word.\nheader_action__instructions: German"
    result = engine.translate(texts, "en", "nl", ignore_tags=["x"], context=context).texts
    engine.translate(texts, "en", "nl", ignore_tags=["x"])
    with_context, without = fake.requests_to("/v2/translate")
    assert with_context.params["context"] == context and "context" not in without.params
    assert (
        with_context.body_bytes
        == request_size(texts, "en", "nl", context=context) - len('"glossary_id": "", ') - 36
    )
    assert without.body_bytes == request_size(texts, "en", "nl") - len('"glossary_id": "", ') - 36
    assert fake.billed == 2 * sum(map(len, texts)) and [r.billed for r in result] == [3, 12]


def test_no_ignore_tags_sends_none(fake: FakeDeepL, engine: DeepLEngine) -> None:
    engine.translate(["Hello"], "en", "en")
    (request,) = fake.requests_to("/v2/translate")
    assert "ignore_tags" not in request.params
    assert request.params["target_lang"] == "EN-GB"


def test_billed_characters_per_text(fake: FakeDeepL, engine: DeepLEngine) -> None:
    texts = ["Hello <b>world</b>", "Good morning, ünïcode"]
    result = engine.translate(texts, "en", "de").texts
    assert [r.billed for r in result] == [len(t) for t in texts]
    assert sum(r.billed for r in result) == fake.billed == sum(len(t) for t in texts)
    assert all(isinstance(r, Translated) for r in result)


def test_empty_texts_are_not_sent(fake: FakeDeepL, engine: DeepLEngine) -> None:
    assert engine.translate([], "en", "nl").texts == ()
    assert engine.translate(["", "  "], "en", "nl").texts == (Translated("", 0), Translated("  ", 0))
    assert fake.requests == []
    result = engine.translate(["", "Hi"], "en", "nl").texts
    assert result == (Translated("", 0), Translated("HI", 2))
    assert fake.translate_batches == [1]


def test_usage(fake: FakeDeepL, engine: DeepLEngine) -> None:
    engine.translate(["Hello world"], "en", "nl")
    fake.quota_after(1000)
    assert engine.usage() == Usage(characters=11, limit=1000)


# --- glossaries ----------------------------------------------------------------------------------------


def test_glossary_created_once_and_reused_by_a_new_engine(fake: FakeDeepL) -> None:
    first = deepl_engine(fake.auth_key, fake.url)
    first.sync_glossary(GLOSSARY, "en", ["nl", "de"])
    assert creates(fake) == 1
    ((gid, dictionaries),) = fake.glossaries.items()
    assert dictionaries == {
        ("en", "de"): {"PauseAI": "PauseAI", "national group": "nationale Gruppe"},
        ("en", "nl"): {"PauseAI": "PauseAI", "national group": "nationale groep"},
    }
    fake.clear_requests()
    second = deepl_engine(fake.auth_key, fake.url)
    second.sync_glossary(GLOSSARY, "en", ["nl", "de"])
    assert creates(fake) == 0
    assert [r.method for r in fake.requests] == ["GET"]  # one list, nothing created or deleted
    assert list(fake.glossaries) == [gid]
    result = second.translate(["Join a national group"], "en", "de").texts
    assert result[0].text == "JOIN A nationale Gruppe"
    assert fake.requests_to("/v2/translate")[0].params["glossary_id"] == gid


def test_glossary_applied_in_translation(fake: FakeDeepL, engine: DeepLEngine) -> None:
    engine.sync_glossary(GLOSSARY, "en", ["nl", "de"])
    (nl,) = engine.translate([XML], "en", "nl", ignore_tags=["code"]).texts
    assert nl.text == (
        'JOIN A <a i="0">nationale groep</a> OF <x i="1"/> PauseAI, <code>national group</code> &amp; MORE'
    )
    (fr,) = engine.translate(["national group"], "en", "fr").texts  # not synced: no glossary
    assert fr.text == "NATIONAL GROUP"


def test_changed_glossary_replaces_ours_only(fake: FakeDeepL, engine: DeepLEngine) -> None:
    client = deepl.DeepLClient(fake.auth_key, server_url=fake.url)
    foreign = client.create_glossary("team terms", "EN", "NL", {"cat": "kat"})
    lookalike = client.create_glossary("i18n-en-custom", "EN", "NL", {"dog": "hond"})
    other_source = client.create_glossary("i18n-de-0123456789ab", "DE", "NL", {"Hund": "hond"})
    engine.sync_glossary(GLOSSARY, "en", ["nl", "de"])
    old = set(fake.glossaries) - {foreign.glossary_id, lookalike.glossary_id, other_source.glossary_id}
    changed = parse_glossary("terms:\n  national group:\n    nl: landelijke groep\n    de: Landesgruppe\n")
    fake.clear_requests()
    engine.sync_glossary(changed, "en", ["nl", "de"])
    assert creates(fake) == 1
    assert len(fake.requests_to("/v3/glossaries/" + next(iter(old)), "DELETE")) == 1
    remaining = set(fake.glossaries)
    assert not old & remaining
    assert {foreign.glossary_id, lookalike.glossary_id, other_source.glossary_id} <= remaining
    names = {g.glossary_id: g.name for g in client.list_multilingual_glossaries()}
    (new,) = remaining - {foreign.glossary_id, lookalike.glossary_id, other_source.glossary_id}
    assert names[new] == deepl_glossary_name(changed, "en", ["nl", "de"])
    assert engine.translate(["national group"], "en", "nl").texts[0].text == "landelijke groep"


def test_languages_without_entries_and_empty_glossary(fake: FakeDeepL, engine: DeepLEngine) -> None:
    only_nl = parse_glossary("terms:\n  national group:\n    nl: nationale groep\n")
    engine.sync_glossary(only_nl, "en", ["nl", "de"])
    ((_, dictionaries),) = fake.glossaries.items()
    assert list(dictionaries) == [("en", "nl")]
    assert engine.translate(["national group"], "en", "de").texts[0].text == "NATIONAL GROUP"
    fake.clear_requests()
    engine.sync_glossary(Glossary(), "en", ["nl", "de"])
    assert creates(fake) == 0
    assert fake.glossaries == {}  # the old one is ours and obsolete
    assert engine.translate(["national group"], "en", "nl").texts[0].text == "NATIONAL GROUP"


def test_language_variants_with_different_entries(fake: FakeDeepL, engine: DeepLEngine) -> None:
    glossary = parse_glossary("terms:\n  bus:\n    pt: autocarro\n    pt-BR: ônibus\n")
    engine.sync_glossary(glossary, "en", ["pt", "pt-BR"])
    assert len(fake.glossaries) == 2  # one dictionary per base language per glossary
    assert engine.translate(["the bus"], "en", "pt").texts[0].text == "THE autocarro"
    assert engine.translate(["the bus"], "en", "pt-BR").texts[0].text == "THE ônibus"
    fake.clear_requests()
    deepl_engine(fake.auth_key, fake.url).sync_glossary(glossary, "en", ["pt", "pt-BR"])
    assert creates(fake) == 0


def test_v2_glossaries_with_the_plain_translator(fake: FakeDeepL) -> None:
    engine = DeepLEngine(deepl.Translator(fake.auth_key, server_url=fake.url), fake.auth_key)
    engine.sync_glossary(GLOSSARY, "en", ["nl", "de"])
    assert creates(fake) == 2 and len(fake.requests_to("/v2/glossaries", "POST")) == 2
    assert engine.translate(["national group"], "en", "nl").texts[0].text == "nationale groep"
    again = DeepLEngine(deepl.Translator(fake.auth_key, server_url=fake.url), fake.auth_key)
    fake.clear_requests()
    again.sync_glossary(GLOSSARY, "en", ["nl", "de"])
    assert creates(fake) == 0
    again.sync_glossary(parse_glossary("do_not_translate: [PauseAI]\n"), "en", ["nl", "de"])
    assert creates(fake) == 2
    assert len(fake.requests_to("/v2/glossaries", "GET")) == 2
    assert len(fake.glossaries) == 2
    assert again.translate(["national group"], "en", "de").texts[0].text == "NATIONAL GROUP"


# --- failures ------------------------------------------------------------------------------------------


def test_429_twice_is_recovered(fake: FakeDeepL, engine: DeepLEngine) -> None:
    fake.fail_next(429, times=2)
    assert engine.translate(["Hello"], "en", "nl").texts == (Translated("HELLO", 5),)
    assert [r.status for r in fake.requests] == [429, 429, 200]


def test_quota(fake: FakeDeepL, engine: DeepLEngine) -> None:
    fake.quota_after(5)
    with pytest.raises(EngineError) as caught:
        engine.translate(["Hello world"], "en", "nl")
    assert caught.value.kind is FailureKind.QUOTA
    assert str(caught.value).startswith("DeepL quota exceeded (456)")


def test_rejected_key_is_auth_and_never_shown(fake: FakeDeepL) -> None:
    key = "0123abcd-secret-wrong-key:fx"
    engine = deepl_engine(key, fake.url)
    for call in (lambda: engine.translate(["Hi"], "en", "nl"), engine.usage):
        with pytest.raises(EngineError) as caught:
            call()
        assert caught.value.kind is FailureKind.AUTH
        assert "DeepL rejected the auth key (403)" in str(caught.value)
        assert key not in str(caught.value) and "0123abcd-secret-wrong-key" not in str(caught.value)
        assert caught.value.__cause__ is None and caught.value.__suppress_context__
        assert key not in repr(caught.value.args)


@pytest.mark.parametrize("status", [400, 403, 456])
def test_key_in_a_server_message_is_scrubbed(fake: FakeDeepL, engine: DeepLEngine, status: int) -> None:
    fake.fail_next(status, message=f"key {fake.auth_key} is not welcome")
    with pytest.raises(EngineError) as caught:
        engine.translate(["Hi"], "en", "nl")
    assert fake.auth_key not in str(caught.value) and "test-key" not in str(caught.value)
    assert "key *** is not welcome" in str(caught.value)
    assert caught.value.__suppress_context__  # the client's exception (with the key) is not chained
    expected = {400: FailureKind.FAILED, 403: FailureKind.AUTH, 456: FailureKind.QUOTA}[status]
    assert caught.value.kind is expected


def test_5xx_beyond_retries_fails(fake: FakeDeepL, engine: DeepLEngine) -> None:
    fake.fail_next(503, times=3)
    with pytest.raises(EngineError) as caught:
        engine.translate(["Hi"], "en", "nl")
    assert caught.value.kind is FailureKind.FAILED
    assert "DeepL translation into nl failed" in str(caught.value)
    assert len(fake.requests_to("/v2/translate")) == 3  # 1 + max_network_retries (2)


def test_retries_knob(fake: FakeDeepL) -> None:
    with fast_retries(retries=2, backoff=0.01):  # restores the process-wide setting afterwards
        engine = deepl_engine(fake.auth_key, fake.url, retries=0)
        assert deepl.http_client.max_network_retries == 0
        fake.fail_next(500)
        with pytest.raises(EngineError) as caught:
            engine.translate(["Hi"], "en", "nl")
        assert caught.value.kind is FailureKind.FAILED
        assert len(fake.requests) == 1


def test_timeouts_fail(fake: FakeDeepL) -> None:
    engine = deepl_engine(fake.auth_key, fake.url)
    fake.slow(3.0, times=2, path="/v2/translate")
    started = time.monotonic()
    with fast_retries(retries=1, backoff=0.01, timeout=0.2), pytest.raises(EngineError) as caught:
        engine.translate(["Hi"], "en", "nl")
    assert time.monotonic() - started < 2.5
    assert caught.value.kind is FailureKind.FAILED
    assert "timed out" in str(caught.value)


def test_connection_refused_fails() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    engine = deepl_engine("some-key", f"http://127.0.0.1:{port}")
    with pytest.raises(EngineError) as caught:
        engine.usage()
    assert caught.value.kind is FailureKind.FAILED
    assert "some-key" not in str(caught.value)


def test_missing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(EngineError) as caught:
        deepl_engine()
    assert caught.value.kind is FailureKind.AUTH
    assert str(caught.value).startswith("DEEPL_AUTH_KEY is not set")
    monkeypatch.setenv("DEEPL_AUTH_KEY", "   ")
    with pytest.raises(EngineError):
        deepl_engine()


def test_key_and_server_from_the_environment(fake: FakeDeepL, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPL_AUTH_KEY", fake.auth_key)
    monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
    engine = deepl_engine()
    assert engine.translate(["Hi"], "en", "nl").texts == (Translated("HI", 2),)
    assert fake.requests_to("/v2/translate")[0].auth_key == fake.auth_key


def test_engine_error_at_keeps_the_kind() -> None:
    error = EngineError(FailureKind.QUOTA, "DeepL quota exceeded (456)").at("locales/nl/roadmap.po")
    assert error.kind is FailureKind.QUOTA
    assert str(error) == "locales/nl/roadmap.po: DeepL quota exceeded (456)"


@pytest.mark.parametrize(
    ("code", "target", "expected"),
    [
        ("nl", True, "NL"),
        ("de", True, "DE"),
        ("en", True, "EN-GB"),
        ("en", False, "EN"),
        ("en-US", True, "EN-US"),
        ("pt", True, "PT-PT"),
        ("pt-BR", True, "PT-BR"),
        ("pt-BR", False, "PT"),
        ("zh-Hans", True, "ZH-HANS"),
        ("no", True, "NB"),
    ],
)
def test_deepl_language(code: str, target: bool, expected: str) -> None:
    assert deepl_language(code, target=target) == expected


# --- pseudo --------------------------------------------------------------------------------------------

_MARKUP = re.compile(r"<[^>]*>|&\w+;")


def test_pseudo_keeps_markup_and_ignored_content() -> None:
    (result,) = PseudoEngine().translate([XML], "en", "nl", ignore_tags=["code"]).texts
    assert _MARKUP.findall(result.text) == _MARKUP.findall(XML)
    assert "<code>national group</code>" in result.text
    assert result.text.startswith("⟦Jó") and result.text.endswith("⟧")
    assert "national group" not in result.text.replace("<code>national group</code>", "")
    assert result.billed == len(XML)
    assert "~~" not in result.text  # would be markdown strikethrough


def test_pseudo_is_longer_and_deterministic() -> None:
    text = "Join a national group and help us <b>pause</b> the development of frontier AI systems."
    first = pseudo_localize(text)
    assert first == pseudo_localize(text) == PseudoEngine().translate([text], "en", "de").texts[0].text
    visible, source = _MARKUP.sub("", first), _MARKUP.sub("", text)
    assert 1.25 <= len(visible) / len(source) <= 1.4
    assert first.startswith("⟦Jóí") and first.endswith(".⟧")


def test_pseudo_edge_cases() -> None:
    assert pseudo_localize("  Hi \n") == "  ⟦Hí⟧ \n"
    assert pseudo_localize('<x i="0"/>') == '<x i="0"/>'
    assert pseudo_localize("") == ""
    assert pseudo_localize("<code>x</code>", ["code"]) == "<code>x</code>"
    assert pseudo_localize("1 < 2 & 3").startswith("⟦1 < 2 & 3")


def test_pseudo_brackets_enclose_words_not_punctuation_after_markup() -> None:
    """``press@example.com.`` keeps its final dot right after the placeholder: the site's e-mail autolink
    takes a dot that is followed by anything but the paragraph's end."""
    assert pseudo_localize('Mail <x i="1"/>.') == '⟦Máíl⟧ <x i="1"/>.'
    assert pseudo_localize('<x i="1"/>, ok') == '<x i="1"/>⟦, ók⟧'
    assert pseudo_localize('<x i="1"/> !') == '<x i="1"/> ⟦!⟧'  # no word at all: the text is bracketed


def test_pseudo_engine_has_no_account() -> None:
    engine: Engine = PseudoEngine()
    assert engine.name == "pseudo" and engine.usage() is None
    engine.sync_glossary(GLOSSARY, "en", ["nl"])
    assert engine.translate([], "en", "nl").texts == ()
    assert deepl_engine.__name__ and DeepLEngine.name == "deepl"


def test_import_does_not_load_deepl() -> None:
    code = (
        "import sys, i18n.mt.pseudo as p, i18n.mt.deepl as d\n"
        "p.PseudoEngine().translate(['Hi <b>x</b>'], 'en', 'nl')\n"
        "try:\n    d.deepl_engine(None)\nexcept d.EngineError:\n    pass\n"
        "assert 'deepl' not in sys.modules, sorted(m for m in sys.modules if 'deepl' in m)\n"
    )
    env = {"PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=60)
