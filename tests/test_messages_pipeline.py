"""UI message files through the pipeline: extract, translate, build, status, check, import, bad input."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polib
import pytest

from i18n.catalog.model import State
from i18n.catalog.po import read_catalog
from i18n.messages.file import parse_messages, read_values

from .deepl_fake import FakeDeepL, fast_retries
from .project import Project
from .support import FIXTURES, cli, read_text

MESSAGES = FIXTURES / "messages"
EN = read_text(MESSAGES / "inlang.en.json")
NL = MESSAGES / "inlang.nl.json"
CONFIG = '\n[[tool.i18n.messages]]\nsource = "messages/en.json"\noutput = "build/{locale}/messages.json"\n'
PAGE = "# Welcome\n\nDonate\n"
KEY = "secret-key-123:fx"
TEXT_KEYS = [s.id for s in parse_messages(EN, "en.json").segments]


def make(root: Path, extra: str = CONFIG, text: str = EN) -> Project:
    project = Project(root, languages=("nl", "de"), extra=extra)
    project.page("index.md", PAGE)
    (root / "messages").mkdir(exist_ok=True)
    (root / "messages" / "en.json").write_text(text, encoding="utf-8")
    return project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make(tmp_path)


def ok(project: Project, *args: str) -> str:
    code, output = cli(project, *args)
    assert code == 0, output
    return output


def po(project: Project, language: str = "nl") -> Path:
    return project.root / "locales" / language / "messages" / "messages.po"


def built(project: Project, language: str = "nl") -> str:
    return read_text(project.root / "build" / language / "messages.json")


def entries(project: Project, language: str = "nl") -> dict[str, polib.POEntry]:
    return {e.msgctxt: e for e in polib.pofile(str(po(project, language)))}


def review(project: Project, values: dict[str, str], language: str = "nl") -> None:
    """A translator in Poedit: msgstr set, fuzzy cleared."""
    catalog = polib.pofile(str(po(project, language)))
    for entry in catalog:
        if entry.msgctxt in values:
            entry.msgstr = values[entry.msgctxt]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
    catalog.save(str(po(project, language)))


# -- extract ---------------------------------------------------------------------------------------------


def test_one_catalog_per_message_file_keyed_with_instructions_as_comments(project: Project) -> None:
    ok(project, "extract")
    assert (project.root / "locales" / "templates" / "messages" / "messages.pot").is_file()
    found = entries(project)
    assert list(found) == TEXT_KEYS  # file order; every text value, nothing else
    assert not any(key.endswith("__instructions") for key in found)
    join = found["header_join"]
    assert join.msgid == "Get Involved" and join.occurrences == [("messages/en.json", "6")]
    assert join.comment.startswith("message\nheader__instructions: All translations prefixed with 'header_'")
    action = found["header_action"]
    assert action.comment.split("\n")[-1] == "header_action__instructions: German: Handeln"
    assert found["header_donate"].msgid == found["join_donate"].msgid == "Donate"  # two entries, two keys
    assert found["footer_privacy"].comment == "message\nfooter__instructions: Footer texts: keep them formal."
    assert found["home_action_title"].comment == "message"


def test_message_catalogs_pass_msgfmt_check(project: Project) -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        if os.environ.get("CI"):
            pytest.fail("msgfmt (GNU gettext) must be installed in CI")
        pytest.skip("msgfmt not installed")
    ok(project, "extract")
    ok(project, "translate", "--engine", "pseudo", "--lang", "nl", "-q")
    for path in (po(project), project.root / "locales" / "templates" / "messages" / "messages.pot"):
        result = subprocess.run(
            [msgfmt, "--check", "-o", os.devnull, str(path)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr


def test_an_edited_message_is_stale_with_its_previous_msgid_and_a_deleted_one_obsolete(
    project: Project,
) -> None:
    ok(project, "extract")
    review(
        project,
        {"header_join": "Doe mee", "home_hero_title": "Laat AI-bedrijven niet gokken", "learn_faq": "FAQ NL"},
    )
    source = project.root / "messages" / "en.json"
    text = EN.replace('"Get Involved"', '"Become a volunteer"')  # nothing like the old text
    text = text.replace('  "learn_faq": "Frequently asked questions",\n', "")
    source.write_text(text, encoding="utf-8")
    ok(project, "extract")
    catalog = read_catalog(po(project), "messages/messages.json", "nl")
    by_key = {m.context: m for m in catalog.messages}
    stale = by_key["header_join"]
    assert stale.state is State.STALE and stale.msgid == "Become a volunteer"
    assert stale.previous == "Get Involved" and stale.msgstr == "Doe mee"
    assert by_key["learn_faq"].obsolete and by_key["learn_faq"].msgstr == "FAQ NL"
    assert by_key["home_hero_title"].state is State.REVIEWED
    ok(project, "build")
    values = json.loads(built(project))
    assert values["header_join"] == "Become a volunteer"  # stale: English until reviewed
    assert values["home_hero_title"] == "Laat AI-bedrijven niet gokken"
    assert "learn_faq" not in values
    status = json.loads(ok(project, "status", "--json", "--lang", "nl"))
    assert status["languages"]["nl"]["pages"]["messages/messages.json"]["stale"] == 1
    source.write_text(EN, encoding="utf-8")  # restored: the obsolete entry comes back reviewed
    ok(project, "extract")
    back = {m.context: m for m in read_catalog(po(project), "", "nl").messages}
    assert back["learn_faq"].state is State.REVIEWED and not back["learn_faq"].obsolete
    assert back["header_join"].state is State.REVIEWED  # the edit was reverted


# -- translate and build ---------------------------------------------------------------------------------


def test_machine_build_translates_every_text_value_keeps_keys_order_tags_and_instructions(
    project: Project, deepl: FakeDeepL
) -> None:
    ok(project, "extract")
    comments = {key: entry.comment for key, entry in entries(project).items()}
    ok(project, "translate", "--lang", "nl", "-q")  # the fake DeepL: upper case outside the tags
    output = ok(project, "build")
    assert "messages/messages.json: 100.0%" in output
    text = built(project)
    source, result = json.loads(EN), json.loads(text)
    assert list(result) == list(source)  # exactly the source's keys, in its order
    for key, value in source.items():
        if key in TEXT_KEYS:
            prose, was = (re.sub(r"<[^>]*>|\{[^}]*\}", "", text) for text in (result[key], value))
            assert prose == prose.upper() and (result[key] != value or was.isupper()), key  # the fake: upper
        else:  # $schema, instruction keys and texts without letters: unchanged, never translated
            assert result[key] == value, key
    assert result["home_action_title"].count("<u>") == result["home_action_title"].count("</u>") == 1
    assert "{name}" in result["join_success"] and "<strong>" in result["join_discord"]
    assert text.endswith("}\n") and text.count("\n") == EN.count("\n")
    for key, entry in entries(project).items():  # instructions are never translated, not even in comments
        assert entry.comment == comments[key]
    manifest = json.loads(read_text(project.root / "build" / "nl" / "manifest.json"))
    row = manifest["pages"]["messages/messages.json"]
    assert row["output"] == "build/nl/messages.json" and row["segments"] == len(TEXT_KEYS)
    assert row["translated"] == len(TEXT_KEYS)
    with tarfile.open(project.root / "build" / "nl.tar.gz") as archive:
        member = archive.extractfile("nl/messages.json")
        assert member is not None and member.read().decode("utf-8") == text
    assert json.loads(built(project, "de")) == source  # nothing translated: English, same bytes
    assert built(project, "de") == EN


def test_build_writes_only_when_changed(project: Project) -> None:
    ok(project, "extract")
    ok(project, "build")
    target = project.root / "build" / "nl" / "messages.json"
    os.utime(target, (1, 1))
    output = ok(project, "build")
    assert "0 files written" in output and target.stat().st_mtime == 1
    review(project, {"header_join": "Doe mee"})
    output = ok(project, "build", "--lang", "nl")
    assert "build nl: 2/2 pages" in output and target.stat().st_mtime != 1
    assert json.loads(built(project))["header_join"] == "Doe mee"
    assert not list(target.parent.glob(".*.tmp"))


def test_build_min_state_reviewed_uses_english_for_machine_output(tmp_path: Path, deepl: FakeDeepL) -> None:
    project = make(tmp_path, 'build_min_state = "reviewed"\n' + CONFIG)
    ok(project, "extract")
    ok(project, "translate", "--lang", "nl", "-q")
    assert entries(project)["header_learn"].msgstr == "LEARN"  # machine output there, not used
    review(project, {"header_join": "Doe mee"})
    ok(project, "build", "--lang", "nl")
    result = json.loads(built(project))
    assert result["header_join"] == "Doe mee"
    assert result["header_learn"] == "Learn"  # machine: not used


def test_instruction_keys_can_be_dropped(tmp_path: Path) -> None:
    project = make(tmp_path, CONFIG + 'instructions = "drop"\n')
    ok(project, "extract")
    ok(project, "build")
    result = json.loads(built(project))
    assert [k for k in json.loads(EN) if not k.endswith("__instructions")] == list(result)
    assert built(project).startswith(
        '{\n  "$schema": "https://inlang.com/schema/inlang-message-format",\n  "header_action"'
    )


def test_default_output_is_the_file_name_in_the_language_folder(tmp_path: Path) -> None:
    project = make(tmp_path, '\n[[tool.i18n.messages]]\nsource = "messages/en.json"\n')
    ok(project, "extract")
    ok(project, "build")
    assert read_text(project.root / "build" / "nl" / "en.json") == EN
    assert not (project.root / "locales" / ".i18n-outputs.json").exists()  # nothing written elsewhere


def test_memory_gives_a_message_the_reviewed_translation_of_its_text(project: Project) -> None:
    ok(project, "extract")
    project.translate("index.md", {"Donate": "Doneer"})
    ok(project, "translate", "--engine", "pseudo", "--lang", "nl", "-q")
    catalog = {m.context: m for m in read_catalog(po(project), "", "nl").messages}
    assert catalog["join_donate"].msgstr == "Doneer" and catalog["join_donate"].origin == "memory"


@pytest.fixture
def deepl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDeepL]:
    with FakeDeepL(auth_key=KEY) as server, fast_retries(retries=2, backoff=0.01):
        monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
        monkeypatch.setenv("DEEPL_SERVER_URL", server.url)
        yield server


def test_deepl_gets_instructions_as_context_and_markup_as_placeholders(
    project: Project, deepl: FakeDeepL
) -> None:
    ok(project, "extract")
    forecast = ok(project, "translate", "--dry-run", "--lang", "nl").strip().splitlines()[-1]
    ok(project, "translate", "--lang", "nl", "-q")
    requests = deepl.requests_to("/v2/translate")
    assert f"total: {deepl.billed} characters, {len(requests)} requests" == forecast
    sent: dict[str, str | None] = {}
    for request in requests:
        context = request.params.get("context")
        for text in request.params.get("text", []):
            sent[text] = context
    assert sent["Act"] is not None and "German: Handeln" in sent["Act"]
    assert "as short as possible" in (sent["Get Involved"] or "")
    assert sent['WE NEED TO ACT <span i="1">RIGHT NOW</span>'] is None
    assert 'Welcome aboard, <x i="1"/>!' in sent
    assert not any("instructions" in text or "Handeln" in text for text in sent)  # never as text
    donate = [
        (r.params.get("context") or "")[:20] for r in requests for t in r.params["text"] if t == "Donate"
    ]
    assert sorted(donate) == ["", "header__instructio"[:20]] or sorted(donate)[0] == ""
    assert len(donate) == 2  # the page's and join_donate's (one job), header_donate's (its own context)
    ok(project, "build", "--lang", "nl")
    result = json.loads(built(project))
    assert "<u>" in result["home_action_title"] and "{name}" in result["join_success"]


def test_batches_with_context_stay_within_the_byte_limit(tmp_path: Path, deepl: FakeDeepL) -> None:
    from i18n.mt.deepl import request_size

    (join,) = [s for s in parse_messages(EN, "en.json").segments if s.id == "header_join"]
    limit = request_size([], "en", "nl", context="\n".join(join.notes)) + 60  # room for a few header texts
    project = make(tmp_path, f"batch_max_bytes = {limit}\n" + CONFIG)
    (tmp_path / "glossary.yaml").write_text("terms:\n  volunteer:\n    nl: vrijwilliger\n", encoding="utf-8")
    ok(project, "extract")  # with a glossary, the body is exactly what the limits measure
    ok(project, "translate", "--lang", "nl", "-q")
    requests = deepl.requests_to("/v2/translate")
    assert all(r.body_bytes <= limit for r in requests)
    headers = {
        e.msgid for key, e in entries(project).items() if key.startswith("header_") and key != "header_action"
    }
    grouped = [r for r in requests if r.params.get("context", "").startswith("header__instructions:")]
    assert any(len(r.params["text"]) > 1 for r in grouped)  # several texts of one context per request
    assert {t for r in grouped for t in r.params["text"]} == headers | {"Act"}
    for request in requests:  # a request holds texts of one context only
        if not request.params.get("context"):
            assert not set(request.params["text"]) & (headers - {"Donate"})


def test_status_and_check_cover_message_files(project: Project) -> None:
    ok(project, "extract")
    review(project, {"home_action_title": "WE MOETEN NU HANDELEN", "header_join": "Doe mee"})
    status = json.loads(ok(project, "status", "--json", "--lang", "nl"))
    row = status["languages"]["nl"]["pages"]["messages/messages.json"]
    assert row["segments"] == len(TEXT_KEYS) and row["reviewed"] == 1 and row["rejected"] == 1
    code, output = cli(project, "check")
    assert (
        code == 1 and "check failed: 0 catalogs out of date, 1 translation problems" in output
    )  # Poedit's save
    lines = read_text(po(project)).split("\n")
    (finding,) = [line for line in output.splitlines() if line.startswith("locales/nl/messages/messages.po:")]
    number = int(finding.split(":")[1])
    assert lines[number - 1] == 'msgid "WE NEED TO ACT <u>RIGHT NOW</u>"'
    assert "html: HTML tags '<u>', '</u>' missing" in finding
    ok(project, "build", "--lang", "nl")
    assert json.loads(built(project))["home_action_title"] == "WE NEED TO ACT <u>RIGHT NOW</u>"


def test_nested_i18next_file_is_rebuilt_exactly(tmp_path: Path, deepl: FakeDeepL) -> None:
    text = read_text(MESSAGES / "i18next.en.json")
    config = '\n[[tool.i18n.messages]]\nsource = "messages/en.json"\nformat = "i18next"\n'
    project = make(tmp_path, config, text)
    ok(project, "extract")
    keys = [
        e.msgctxt for e in polib.pofile(str(project.root / "locales" / "nl" / "messages" / "messages.po"))
    ]
    assert "inbox.count_one" in keys and "settings.profile.save" in keys and "inbox.actions.2" in keys
    ok(project, "translate", "--lang", "nl", "-q")
    ok(project, "build", "--lang", "nl")
    result = read_text(project.root / "build" / "nl" / "en.json")

    def shape(value: Any) -> Any:
        if isinstance(value, dict):
            return [(k, shape(v)) for k, v in value.items()]
        return [shape(v) for v in value] if isinstance(value, list) else type(value).__name__

    assert shape(json.loads(result)) == shape(json.loads(text))
    values = read_values(result, "nl.json")
    other = values["inbox.count_other"]
    assert (
        other.count("{{count}}") == 1
        and other.replace("{{count}}", "") == other.replace("{{count}}", "").upper()
    )
    assert other != json.loads(text)["inbox"]["count_other"]
    assert json.loads(result)["nav"]["__instructions"] == "Menu labels: one or two words."
    assert result.split("\n")[2].startswith('        "home": ')  # four-space indentation kept


# -- import ----------------------------------------------------------------------------------------------


def test_import_by_key_brings_the_shared_keys_into_the_build(project: Project) -> None:
    ok(project, "extract")
    review(project, {"header_join": "Meedoen"})  # a reviewed translation is never replaced
    output = ok(project, "import", "--lang", "nl", str(NL))
    assert (
        "rejected (kept for the translator): home_action_title: html: HTML tags '<u>', '</u>' missing"
        in output
    )
    assert "rejected (kept for the translator): join_success: placeholders" in output
    assert "not in the source (no longer there?): header_about" in output
    assert "not in inlang.nl.json: events_past" in output
    assert "1 kept (already translated)" in output
    catalog = {m.context: m for m in read_catalog(po(project), "", "nl").messages}
    assert catalog["home_action_title"].state is State.REJECTED
    assert catalog["home_action_title"].msgstr == "WE MOETEN NU HANDELEN"  # kept for the translator
    assert (
        catalog["header_learn"].state is State.MACHINE
        and catalog["header_learn"].origin == "import:inlang.nl.json"
    )
    assert catalog["header_join"].msgstr == "Meedoen" and catalog["header_join"].state is State.REVIEWED
    ok(project, "build", "--lang", "nl")
    translated, result = json.loads(read_text(NL)), json.loads(built(project))
    shared = [key for key in TEXT_KEYS if key in translated]
    into = [key for key in shared if result[key] == translated[key]]
    assert len(shared) == 60 and len(into) / len(shared) >= 0.9, (len(into), len(shared))
    assert result["home_action_title"] == "WE NEED TO ACT <u>RIGHT NOW</u>"  # rejected: never built
    assert list(result) == list(json.loads(EN))


def test_import_needs_to_know_which_message_file(tmp_path: Path) -> None:
    extra = CONFIG + '\n[[tool.i18n.messages]]\nsource = "admin/en.json"\nname = "admin"\n'
    project = make(tmp_path, extra)
    (tmp_path / "admin").mkdir()
    (tmp_path / "admin" / "en.json").write_text('{"save": "Save"}\n', encoding="utf-8")
    code, output = cli(project, "import", "--lang", "nl", str(NL))
    assert code == 1 and "several message files are configured (messages/en.json, admin/en.json)" in output
    code, output = cli(project, "import", "--lang", "nl", str(NL), "--messages", str(tmp_path / "x.json"))
    assert code == 1 and "is not a configured message file" in output
    output = ok(project, "import", "--lang", "nl", str(NL), "--messages", str(tmp_path / "admin" / "en.json"))
    assert (
        output.startswith("admin/en.json <- ")
        and "not in the source (no longer there?): header_join" in output
    )
    assert (tmp_path / "locales" / "nl" / "messages" / "admin.po").is_file()


def test_import_of_a_broken_file_names_it_and_writes_nothing(project: Project) -> None:
    ok(project, "extract")
    before = read_text(po(project))
    broken = project.root / "nl.json"
    broken.write_text('{\n  "header_join": "Doe mee",\n  "header_join": "Meedoen"\n}\n', encoding="utf-8")
    code, output = cli(project, "import", "--lang", "nl", str(broken))
    assert code == 1 and output == "error: nl.json:3: duplicate key 'header_join' (first at line 2)\n"
    assert read_text(po(project)) == before


# -- bad input and configuration -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{\n  "a": "x",\n  "b": "y"\n  "c": 1\n}', "4: invalid JSON: Expecting ',' delimiter (column 3)"),
        ('{\n  "a": "x",\n  "b": 2\n}\n', "3: key 'b': expected a string (the message's text), got a number"),
        ('{\n  "a": "x",\n  "a": "y"\n}\n', "3: duplicate key 'a' (first at line 2)"),
        ('{"a": "caf\xe9"}', "1: not valid UTF-8 (byte 0xe9 at offset 10)"),
    ],
)  # fmt: skip
def test_bad_message_file_is_one_line_and_writes_no_catalog(tmp_path: Path, text: str, expected: str) -> None:
    project = make(tmp_path)
    (tmp_path / "messages" / "en.json").write_bytes(text.encode("latin-1" if "\xe9" in text else "utf-8"))
    code, output = cli(project, "extract")
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert code == 1 and errors == [f"error: messages/en.json:{expected} (skipped)"]  # the pages: extracted
    assert not po(project).exists() and not (tmp_path / "locales" / "templates" / "messages").exists()


@pytest.mark.parametrize(
    ("extra", "line", "message"),
    [
        ('output = "build/messages.json"\n', 9, "entry 1: output: 'build/messages.json' has no {locale}"),
        ('output = "../site/{locale}.json"\n', 9, "output: '../site/{locale}.json' is outside the project"),
        ('output = "/tmp/{locale}.json"\n', 9, "is outside the project"),
        ('output = "{lang}/{locale}.json"\n', 9, "unknown placeholder {lang} (only {locale})"),
        ('output = "locales/{locale}.json"\n', 9, "is inside locales_dir"),
        ('output = "x/{locale}.json"\nformat = "yaml"\n', 10, "format: expected 'inlang' or 'i18next'"),
        ('output = "x/{locale}.json"\n\nouptut = 1\n', 11, "unknown key 'ouptut' (did you mean 'output'?)"),
        ('source = "../en.json"\n', 8, "source: '../en.json' is outside the project"),
        ('\n[[tool.i18n.messages]]\nsource = "messages/en.json"\n', 11, "entry 2: source: the same file as"),
    ],
)
def test_bad_configuration_names_the_key_and_line(
    tmp_path: Path, extra: str, line: int, message: str
) -> None:
    config = "\n[[tool.i18n.messages]]\n" + (
        "" if extra.startswith("source") else 'source = "messages/en.json"\n'
    )
    project = make(tmp_path, config + extra)
    code, output = cli(project, "extract")
    assert code == 1
    assert output.startswith(f"error: pyproject.toml:{line}: [tool.i18n] messages: "), output
    assert message in output and output.count("\n") == 1
    assert not (tmp_path / "locales").exists()


def test_a_message_catalog_may_not_be_a_page_catalog(tmp_path: Path) -> None:
    project = make(tmp_path)
    project.page("messages/messages.md", "# Messages\n")
    code, output = cli(project, "extract")
    assert code == 1 and "would share the catalog" in output and "set `name`" in output


def test_an_output_outside_the_build_folder_is_never_overwritten_unless_ours(tmp_path: Path) -> None:
    project = make(tmp_path, CONFIG.replace("build/{locale}/messages.json", "json/{locale}.json"))
    ok(project, "extract")
    theirs = tmp_path / "json" / "de.json"
    theirs.parent.mkdir()
    theirs.write_text('{"old": "pipeline"}\n', encoding="utf-8")
    code, output = cli(project, "build")
    assert code == 1 and output.startswith("error: json/de.json: exists and was not written by `i18n build`")
    assert read_text(theirs) == '{"old": "pipeline"}\n' and not (tmp_path / "json" / "nl.json").exists()
    theirs.unlink()
    ok(project, "build")
    review(project, {"header_join": "Doe mee"})
    shutil.rmtree(tmp_path / "build")  # a clean checkout: the record is kept with the catalogs
    ok(project, "build")  # our own file: rewritten
    ours = tmp_path / "json" / "nl.json"
    assert json.loads(read_text(ours))["header_join"] == "Doe mee"
    assert (tmp_path / "locales" / ".i18n-outputs.json").is_file()
    ours.write_text(read_text(ours).replace("Doe mee", "Doe mee!"), encoding="utf-8")  # edited by hand
    code, output = cli(project, "build")
    assert code == 1 and output.startswith("error: json/nl.json: exists and was not written by `i18n build`")
    assert "Doe mee!" in read_text(ours)
    with tarfile.open(tmp_path / "build" / "nl.tar.gz") as archive:
        assert "nl/messages/messages.json" in archive.getnames()


def test_a_message_file_removed_from_the_configuration_leaves_obsolete_catalogs(tmp_path: Path) -> None:
    project = make(tmp_path)
    ok(project, "extract")
    review(project, {"header_join": "Doe mee"})
    make(tmp_path, "")
    output = ok(project, "extract")
    assert "page gone for locales/nl/messages/messages.po: kept (obsolete; remove with --prune)" in output
    assert all(m.obsolete for m in read_catalog(po(project), "", "nl").messages)
    ok(project, "extract", "--prune")
    assert not po(project).exists() and (tmp_path / "locales" / "nl" / "index.po").exists()


def test_segments_command_shows_keys_and_instructions(project: Project) -> None:
    output = ok(project, "segments", str(project.root / "messages" / "en.json"))
    assert "    4  message     header_action\n       Act\n       # header__instructions: All" in output
    assert "       # header_action__instructions: German: Handeln\n" in output
    assert output.endswith(f"{len(TEXT_KEYS)} segments in {project.root / 'messages' / 'en.json'}\n")
    rows = json.loads(ok(project, "segments", "--json", str(project.root / "messages" / "en.json")))
    assert rows[0]["id"] == "header_action" and rows[0]["kind"] == "message" and len(rows[0]["notes"]) == 2


def test_a_no_op_run_with_messages_loads_no_parser(project: Project) -> None:
    ok(project, "run", "-q")
    code = (
        "import sys; from click.testing import CliRunner; from i18n.cli import main; "
        f"r = CliRunner().invoke(main, ['--project', {str(project.root)!r}, 'run', '-q']); "
        "assert r.exit_code == 0, r.output; "
        "print(' '.join(m for m in ('markdown_it', 'yaml', 'polib', 'rapidfuzz', 'i18n.messages.scan') "
        "if m in sys.modules) or 'none')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["none"]


# -- the pseudo-locale -------------------------------------------------------------------------------------


def _keys(text: str) -> list[str]:
    return list(json.loads(text))


def test_build_pseudo_writes_every_message_file_for_the_pseudo_locale(tmp_path: Path) -> None:
    """Keys, their order, ``$schema`` and the instruction members kept; every text pseudo-localised with
    its tags and ``{variables}`` kept; no catalog read or written."""
    admin_spec = (
        '\n[[tool.i18n.messages]]\nsource = "messages/admin.json"\noutput = "ui/{locale}/admin.json"\n'
    )
    project = make(tmp_path, CONFIG + admin_spec)
    admin_source = '{\n  "save": "Save {count} items"\n}\n'
    (tmp_path / "messages" / "admin.json").write_text(admin_source, encoding="utf-8")
    output = ok(project, "build", "--pseudo")
    assert "build en-XA: 3/3 pages" in output
    pseudo = built(project, "en-XA")
    assert _keys(pseudo) == _keys(EN)
    data, source = json.loads(pseudo), json.loads(EN)
    assert data["$schema"] == source["$schema"]
    assert data["header__instructions"] == source["header__instructions"]  # not a message: kept
    assert data["header_join"] != source["header_join"] and data["header_join"].startswith("⟦")
    assert "<u>" in data["home_action_text"] and "</u>" in data["home_action_text"]
    assert "{count}" in data["home_stats_members"] and "{countries}" in data["home_stats_members"]
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in data["footer_license"]
    admin = json.loads(read_text(tmp_path / "ui" / "en-XA" / "admin.json"))
    assert list(admin) == ["save"] and "{count}" in admin["save"] and admin["save"] != "Save {count} items"
    assert not [*tmp_path.rglob("*.po"), *tmp_path.rglob("*.pot")]  # no catalog
    manifest = json.loads(read_text(tmp_path / "build" / "en-XA" / "manifest.json"))
    assert set(manifest["pages"]) == {"index.md", "messages/messages.json", "messages/admin.json"}
    assert "0 files written" in ok(project, "build", "--pseudo")  # unchanged: nothing rewritten
    with tarfile.open(tmp_path / "build" / "en-XA.tar.gz") as archive:
        assert archive.getnames().count("en-XA/messages.json") == 1
