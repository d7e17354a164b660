"""Machine translation through the real `deepl` client against the local DeepL-compatible server."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace as replace_config
from pathlib import Path

import pytest

from i18n.catalog.model import Catalog, State
from i18n.catalog.po import read_catalog

from .deepl_fake import FakeDeepL, fast_retries
from .project import Project
from .support import cli

KEY = "secret-key-123:fx"
PAGE = """---
title: Roadmap for national groups
---

## Plans

Every national group gets a [small grant](/microgrants) for `#materials`.
We will organise a protest in *every* country.

- Hire an organiser.
- Run more protests with PauseAI.

Hire an organiser.
"""
OTHER = """# Other

Hire an organiser.

A second page with its own text.
"""
GLOSSARY = """do_not_translate:
  - PauseAI
terms:
  national group:
    nl: nationale groep
    de: nationale Gruppe
"""


@pytest.fixture
def fake() -> Iterator[FakeDeepL]:
    with FakeDeepL(auth_key=KEY) as server, fast_retries(retries=3, backoff=0.01):
        yield server


@pytest.fixture
def project(tmp_path: Path, fake: FakeDeepL, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
    monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
    project = Project(tmp_path, languages=("nl", "de"))
    (tmp_path / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    project.page("roadmap.md", PAGE)
    project.page("other.md", OTHER)
    project.extract()
    return project


def dry_run_total(project: Project) -> tuple[int, int]:
    code, output = cli(project, "translate", "--dry-run")
    assert code == 0, output
    total = output.strip().splitlines()[-1]  # "total: N characters, M requests"
    characters, requests = (int(word) for word in total.replace(",", "").split() if word.isdigit())
    return characters, requests


def test_dry_run_equals_what_the_server_bills(project: Project, fake: FakeDeepL) -> None:
    characters, requests = dry_run_total(project)
    assert fake.billed == 0 and not fake.requests_to("/v2/translate")
    code, output = cli(project, "translate", "-q")
    assert code == 0, output
    assert fake.billed == characters
    assert len(fake.requests_to("/v2/translate")) == requests == 2  # one per language
    # deduplicated: "Hire an organiser." occurs three times over two pages, sent once per language
    assert max(fake.translate_batches) == 7


def test_translations_land_as_machine_state_and_pass_checks(project: Project) -> None:
    cli(project, "translate", "-q")
    catalog = read_catalog(project.po_path("roadmap.md"), "roadmap.md", "nl")
    states = {m.msgid: m.state for m in catalog.active}
    assert set(states.values()) == {State.MACHINE}
    message = next(m for m in catalog.active if m.msgid.startswith("Every national group"))
    assert message.msgstr == (
        "EVERY nationale groep GETS A [SMALL GRANT](/microgrants) FOR `#materials`.\n"
        "WE WILL ORGANISE A PROTEST IN *EVERY* COUNTRY."
    )
    assert message.origin == "deepl" and message.glossary == ()
    assert "PauseAI" in next(m.msgstr for m in catalog.active if "PauseAI" in m.msgid)
    code, output = cli(project, "check")
    assert code == 0, output


def test_batches_respect_text_and_byte_limits(project: Project, fake: FakeDeepL) -> None:
    config_file = project.root / "pyproject.toml"
    config_file.write_text(
        config_file.read_text(encoding="utf-8") + "batch_max_texts = 3\nbatch_max_bytes = 900\n",
        encoding="utf-8",
    )
    characters, requests = dry_run_total(project)
    code, _ = cli(project, "translate", "-q")
    assert code == 0
    translate_requests = fake.requests_to("/v2/translate")
    assert len(translate_requests) == requests > 4
    assert all(r.n_texts <= 3 and r.body_bytes <= 900 for r in translate_requests)
    assert fake.billed == characters


def test_429_is_retried_by_the_client(project: Project, fake: FakeDeepL) -> None:
    characters, _ = dry_run_total(project)
    fake.fail_next(429, times=2, path="/v2/translate")
    code, output = cli(project, "translate", "-q")
    assert code == 0, output
    assert fake.billed == characters
    assert [r.status for r in fake.requests_to("/v2/translate")][:2] == [429, 429]


def test_quota_stop_keeps_work_and_resume_bills_nothing_twice(project: Project, fake: FakeDeepL) -> None:
    characters, _ = dry_run_total(project)
    fake.quota_after(characters // 2)  # one language's batch fits, the other's does not
    # a budget past the quota: the server's 456 stops the run (not the default gate, test_gate.py)
    code, output = cli(project, "translate", "-q", "--max-characters", str(characters))
    assert code == 1
    # nl and de are sent side by side: the quota runs out for whichever arrives second
    left = [lang for lang in ("nl", "de") if f"{lang}: 7 texts" in output]
    assert "quota exceeded" in output and len(left) == 1
    (done,) = {"nl", "de"} - set(left)
    translated = read_catalog(project.po_path("roadmap.md", done), "roadmap.md", done)
    assert all(m.state is State.MACHINE for m in translated.active)  # saved before the stop
    billed_first = fake.billed
    fake.quota_after(None)
    code, output = cli(project, "translate", "-q")
    assert code == 0, output
    assert fake.billed == characters  # every character billed exactly once over both runs
    assert fake.billed - billed_first < characters


def test_server_errors_beyond_retries_stop_with_a_clear_message(project: Project, fake: FakeDeepL) -> None:
    fake.fail_next(503, times=20, path="/v2/translate")
    code, output = cli(project, "translate", "-q")
    assert code == 1
    assert "translation stopped" in output and "nl: 7 texts" in output


def test_auth_failure_never_shows_the_key(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPL_AUTH_KEY", "wrong-secret-999:fx")
    code, output = cli(project, "translate", "-q")
    assert code == 1
    assert "403" in output and "DEEPL_AUTH_KEY" in output
    assert "wrong-secret-999" not in output


def test_missing_key_is_one_clear_error(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEEPL_AUTH_KEY")
    code, output = cli(project, "translate", "-q")
    assert code == 1 and "DEEPL_AUTH_KEY is not set" in output


def test_key_is_written_nowhere(project: Project) -> None:
    cli(project, "translate", "-q")
    for path in project.root.rglob("*"):
        if path.is_file():
            assert KEY.split(":")[0] not in path.read_text(encoding="utf-8", errors="replace"), path


def test_glossary_is_synced_once_and_reused(project: Project, fake: FakeDeepL) -> None:
    cli(project, "translate", "-q", "--lang", "nl")
    project.page("roadmap.md", PAGE + "\nA new paragraph.\n")
    cli(project, "translate", "-q", "--lang", "nl")
    creates = [r for r in fake.requests if r.method == "POST" and "glossaries" in r.path]
    assert len(creates) == 1
    (project.root / "glossary.yaml").write_text(GLOSSARY.replace("nationale groep", "landelijke groep"))
    project.page("roadmap.md", PAGE + "\nAnother new paragraph.\n")
    cli(project, "translate", "-q", "--lang", "nl")
    creates = [r for r in fake.requests if r.method == "POST" and "glossaries" in r.path]
    assert len(creates) == 2 and len(fake.glossaries) == 1  # the old one was replaced


def test_mangled_output_is_rejected_and_never_built(project: Project, fake: FakeDeepL) -> None:
    fake.mangle("drop_tag", times=1)
    code, _ = cli(project, "translate", "-q", "--lang", "nl")
    assert code == 0
    catalog = read_catalog(project.po_path("roadmap.md"), "roadmap.md", "nl")
    rejected = [m for m in catalog.active if m.state is State.REJECTED]
    assert rejected and all("markup: placeholder" in (m.rejected or "") for m in rejected)
    code, _ = cli(project, "build", "--lang", "nl")
    built = (project.root / "build" / "nl" / "roadmap.md").read_text(encoding="utf-8")
    assert rejected[0].msgid.split("\n")[0] in built  # English for the rejected segment


def test_preamble_chatter_is_rejected(project: Project, fake: FakeDeepL) -> None:
    fake.mangle("preamble", times=1)
    cli(project, "translate", "-q", "--lang", "nl")
    catalog = read_catalog(project.po_path("roadmap.md"), "roadmap.md", "nl")
    rejected = [m for m in catalog.active if m.state is State.REJECTED]
    assert rejected and "preamble" in (rejected[0].rejected or "")


def test_reviewed_translation_is_reused_without_engine(project: Project, fake: FakeDeepL) -> None:
    project.translate("other.md", {"Hire an organiser.": "Neem een organisator aan."})
    cli(project, "translate", "-q", "--lang", "nl")
    roadmap = read_catalog(project.po_path("roadmap.md"), "roadmap.md", "nl")
    hires = [m for m in roadmap.active if m.msgid == "Hire an organiser."]
    assert [m.msgstr for m in hires] == ["Neem een organisator aan."] * 2
    assert all(m.origin == "memory" for m in hires)
    sent = [t for r in fake.requests_to("/v2/translate") for t in r.params.get("text", [])]
    assert "Hire an organiser." not in sent


def test_stale_entry_is_retranslated_and_old_translation_kept(project: Project, fake: FakeDeepL) -> None:
    project.translate("other.md", {"A second page with its own text.": "Een tweede pagina met eigen tekst."})
    project.page("other.md", OTHER.replace("its own text", "its very own text"))
    cli(project, "translate", "-q", "--lang", "nl")
    message = next(
        m for m in read_catalog(project.po_path("other.md"), "other.md", "nl").active if "own text" in m.msgid
    )
    assert message.state is State.MACHINE
    assert message.msgstr == "A SECOND PAGE WITH ITS VERY OWN TEXT."
    assert message.suggestions[0] == "Een tweede pagina met eigen tekst."


def test_reviewed_entries_are_never_sent_or_overwritten(project: Project, fake: FakeDeepL) -> None:
    project.translate("other.md", {"A second page with its own text.": "Een tweede pagina."})
    cli(project, "translate", "-q", "--lang", "nl")
    assert project.entry("other.md", "A second page with its own text.").msgstr == "Een tweede pagina."
    sent = [t for r in fake.requests_to("/v2/translate") for t in r.params.get("text", [])]
    assert "A second page with its own text." not in sent


def test_budget_stops_before_exceeding(project: Project, fake: FakeDeepL) -> None:
    characters, _ = dry_run_total(project)
    code, output = cli(project, "translate", "-q", "--max-characters", str(characters // 2 + 1))
    assert code == 1 and "budget" in output
    assert fake.billed <= characters // 2 + 1


def test_billing_is_recorded_per_run(project: Project, fake: FakeDeepL) -> None:
    cli(project, "translate", "-q")
    lines = (project.root / "locales" / ".billing.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[-1])
    assert record["engine"] == "deepl"
    assert sum(row["characters"] for row in record["languages"].values()) == fake.billed


def test_usage_is_shown_before_a_real_run(project: Project) -> None:
    code, output = cli(project, "translate", "-q")
    assert code == 0 and "deepl usage before this run:" in output


def test_pseudo_engine_needs_no_key(
    project: Project, monkeypatch: pytest.MonkeyPatch, fake: FakeDeepL
) -> None:
    monkeypatch.delenv("DEEPL_AUTH_KEY")
    code, output = cli(project, "translate", "--engine", "pseudo", "-q")
    assert code == 0, output
    assert fake.requests == []
    catalog = read_catalog(project.po_path("roadmap.md"), "roadmap.md", "de")
    assert all("⟦" in m.msgstr and "⟧" in m.msgstr for m in catalog.active)
    assert all(m.state is State.MISSING for m in catalog.active)  # pseudo text is no translation


def test_a_stale_entry_translated_by_machine_keeps_its_previous_msgid(project: Project) -> None:
    old = (
        "Every national group gets a [small grant](/microgrants) for `#materials`.\n"
        "We will organise a protest in *every* country."
    )
    human = (
        "Elke nationale groep krijgt een [kleine subsidie](/microgrants) voor `#materials`.\n"
        "We protesteren in *elk* land."
    )
    project.translate("roadmap.md", {old: human})
    project.page("roadmap.md", PAGE.replace("small grant", "large grant"))
    project.extract()
    new = old.replace("small", "large")
    assert project.entry("roadmap.md", new).previous_msgid == old
    code, output = cli(project, "translate", "-q", "--lang", "nl")
    assert code == 0, output
    entry = project.entry("roadmap.md", new)
    assert entry.previous_msgid == old  # what changed since the translator's version, for the review
    assert "fuzzy" in entry.flags and entry.msgstr != human
    catalog = read_catalog(project.po_path("roadmap.md"), "roadmap.md", "nl")
    message = next(m for m in catalog.active if m.msgid == new)
    assert message.state is State.MACHINE and message.origin == "deepl"
    assert message.suggestions[0] == human
    code, output = cli(project, "translate", "-q", "--lang", "nl")
    assert "nl: 0 translated" in output  # not stale: nothing is sent again
    project.translate("roadmap.md", {new: entry.msgstr})  # the translator reviews it
    project.extract()
    assert project.entry("roadmap.md", new).previous_msgid is None


def test_no_op_pipeline_does_not_import_the_deepl_client(project: Project) -> None:
    code = (
        "import sys; from click.testing import CliRunner; from i18n.cli import main; "
        f"r = CliRunner().invoke(main, ['--project', {str(project.root)!r}, 'extract']); "
        "assert r.exit_code == 0, r.output; "
        "print('deepl' in sys.modules, 'requests' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


def test_pages_are_planned_in_chunks_and_shared_texts_sent_once(
    project: Project, fake: FakeDeepL, monkeypatch: pytest.MonkeyPatch
) -> None:
    import i18n.jobs.translate

    monkeypatch.setattr(i18n.jobs.translate, "CHUNK_ENTRIES", 1)  # one page per plan
    characters, requests = dry_run_total(project)
    assert requests == 4  # one page per request now: 2 pages x 2 languages
    code, output = cli(project, "translate", "-q", "--lang", "nl")
    assert code == 0, output
    assert fake.billed * 2 == characters  # the dry run covered both languages
    sent = [t for r in fake.requests_to("/v2/translate") for t in r.params.get("text", [])]
    assert sent.count("Hire an organiser.") == 1  # on both pages, sent with the first
    hires = [
        m for ref in ("roadmap.md", "other.md") for m in read_catalog(project.po_path(ref), ref, "nl").active
        if m.msgid == "Hire an organiser."
    ]  # fmt: skip
    assert len(hires) == 3 and {m.msgstr for m in hires} == {"HIRE AN ORGANISER."}


def test_chunks_are_sized_by_entries_so_memory_does_not_follow_page_sizes(
    tmp_path: Path, fake: FakeDeepL, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chunk holds about CHUNK_ENTRIES entries over the languages: a long page is a chunk of its own,
    short ones share one; pages keep their order and each is in exactly one chunk."""
    import i18n.jobs.translate

    monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
    monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
    project = Project(tmp_path, languages=("nl", "de"))
    project.page("a-long.md", "# Long\n\n" + "".join(f"Paragraph {n}.\n\n" for n in range(29)))  # 30
    for n in range(4):
        project.page(f"b-short-{n}.md", f"# Short {n}\n\nOne paragraph.\n")  # 2 entries
    project.extract()
    monkeypatch.setattr(i18n.jobs.translate, "CHUNK_ENTRIES", 13)  # x 2 languages: 3 short pages fit
    seen: list[list[str]] = []
    chunk = i18n.jobs.translate._Translation.chunk

    def recording(self: object, refs: list[str], *args: object) -> None:
        seen.append(list(refs))
        chunk(self, refs, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(i18n.jobs.translate._Translation, "chunk", recording)
    code, output = cli(project, "translate", "-q")
    assert code == 0, output
    assert seen == [["a-long.md"], ["b-short-0.md", "b-short-1.md", "b-short-2.md"], ["b-short-3.md"]]


def test_extract_after_translate_skips_the_pages_it_translated(project: Project) -> None:
    code, _ = cli(project, "translate", "-q")
    assert code == 0
    code, output = cli(project, "extract", "-q")
    assert code == 0 and "0 catalogs written, 0 unchanged, 2 pages skipped" in output


def test_first_pass_parses_no_catalog_the_state_file_summarises(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Right after extract, no catalog has reviewed entries: translate parses each catalog once (to
    translate it), not a second time for the memory. A catalog a translator edited since is read."""
    import i18n.jobs.translate

    reads: list[str] = []
    real = i18n.jobs.translate.read_catalog

    def counting(path: Path, page: str, language: str | None) -> object:
        reads.append(f"{language}/{page}")
        return real(path, page, language)

    monkeypatch.setattr(i18n.jobs.translate, "read_catalog", counting)
    code, output = cli(project, "translate", "-q")
    assert code == 0, output
    assert sorted(reads) == ["de/other.md", "de/roadmap.md", "nl/other.md", "nl/roadmap.md"]
    project.translate("other.md", {"A second page with its own text.": "Een tweede pagina."})
    project.page("roadmap.md", PAGE + "\nOne more paragraph.\n")
    reads.clear()
    code, output = cli(project, "translate", "-q", "--lang", "nl")
    assert code == 0, output
    # other.md: edited by the translator, read for the memory; roadmap.md: re-extracted, read to translate
    assert sorted(reads) == ["nl/other.md", "nl/roadmap.md"]
    roadmap = read_catalog(project.po_path("roadmap.md"), "roadmap.md", "nl")
    assert all(m.msgstr for m in roadmap.active)


def test_each_catalog_is_written_once_however_many_batches(
    tmp_path: Path, fake: FakeDeepL, monkeypatch: pytest.MonkeyPatch
) -> None:
    import i18n.jobs.translate

    monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
    monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
    project = Project(tmp_path, languages=("nl",), extra="batch_max_texts = 1\n")
    project.page("roadmap.md", PAGE)
    project.page("other.md", OTHER)
    project.extract()
    writes: list[str] = []
    real = i18n.jobs.translate.write_catalog

    def counting(config: object, catalog: Catalog, *args: object, **kwargs: object) -> bool:
        writes.append(Path(catalog.page).with_suffix(".po").name)
        return real(config, catalog, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(i18n.jobs.translate, "write_catalog", counting)
    code, output = cli(project, "translate", "-q")
    assert code == 0, output
    assert len(fake.requests_to("/v2/translate")) > 5  # one text per request
    assert sorted(writes) == ["other.po", "roadmap.po"]
    assert all(m.msgstr for m in read_catalog(project.po_path("roadmap.md"), "roadmap.md", "nl").active)


def test_an_interrupt_keeps_what_was_received(project: Project) -> None:
    """Ctrl-C (or any unexpected error) in the middle of a language: the translations already back are
    written before the error goes on, so the next run does not pay for them again."""
    from i18n.jobs.translate import translate
    from i18n.mt import planning
    from i18n.mt.engine import Answer, Translated
    from i18n.mt.glossary import load_glossary

    class Interrupted:
        name = "test"
        calls = 0

        def translate(self, texts: list[str], source: str, target: str, **_: object) -> Answer:
            self.calls += 1
            if self.calls > 1:
                raise KeyboardInterrupt
            return Answer(tuple(Translated(f"NL {text}", len(text)) for text in texts))

    config = project.config
    one_at_a_time = replace_config(config, batch_max_texts=1, concurrency=1)
    engine = Interrupted()
    with pytest.raises(KeyboardInterrupt):
        translate(
            one_at_a_time,
            load_glossary(config.glossary),
            ["nl"],
            lambda: engine,  # type: ignore[arg-type,return-value]
            planning("pseudo", one_at_a_time, load_glossary(config.glossary)),
        )
    received = [
        m for ref in ("roadmap.md", "other.md") for m in read_catalog(project.po_path(ref), ref, "nl").active
        if m.msgstr
    ]  # fmt: skip
    assert len(received) >= 1 and all(m.msgstr.startswith("NL ") for m in received)
