"""``--shard K/N`` and ``i18n merge``: N machines give the bytes one machine gives, and never write the
same file."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from i18n.config import load_config
from i18n.jobs.gate import spend_gate
from i18n.jobs.layout import Source
from i18n.jobs.merge import MARKER, mark, merge
from i18n.jobs.pipeline import run
from i18n.jobs.shard import select, shard_of, share

from .deepl_fake import FakeDeepL
from .project import Project, fixed_clock
from .support import invoke

LANGUAGES = ("nl", "de", "fr")
SHARDS = 4
MESSAGES = '\n[[tool.i18n.messages]]\nsource = "messages/en.json"\noutput = "src/locales/{locale}.json"\n'
# per project copy, not the site's results: the lock, the no-op stamp, page snapshots (a cache), and the
# records merge combines entry by entry (compared after the merge, not per shard)
MACHINE_LOCAL = {".i18n.lock", ".i18n-noop.json", ".i18n-cache", MARKER}
RECORDS = {".i18n-state.json", ".i18n-build.json", ".i18n-outputs.json", ".billing.jsonl"}


def page(number: int) -> str:
    return (
        f"---\ntitle: Page {number}\ndescription: What page {number} is about.\n---\n\n"
        f"# Guide number {number}\n\nThis is the *first* paragraph of page {number}, with a "
        f"[link](https://example.org/{number}).\n\n- one item\n- another item, shared by every page\n\n"
        f"| Name | Value |\n| --- | --- |\n| size {number} | large |\n\nThe last paragraph.\n"
    )


def make_site(root: Path, pages: int = 13) -> Project:
    root.mkdir(exist_ok=True)
    project = Project(root, LANGUAGES, extra=MESSAGES)
    for number in range(pages):
        folder = "guide/" if number % 3 == 0 else ""
        project.page(f"{folder}page-{number:02}.md", page(number))
    (root / "messages").mkdir()
    messages = {"nav_home": "Home", "nav_donate": "Donate now", "footer": "Made by {name}"}
    (root / "messages" / "en.json").write_text(json.dumps(messages, indent=2) + "\n", encoding="utf-8")
    return project


def run_copy(root: Path, shard: tuple[int, int] | None = None) -> None:
    config = load_config(root)
    if shard is not None:
        config = replace(config, shard=shard)
        mark(config)
    report = run(config, "deepl", clock=fixed_clock)
    assert report.translate is not None and report.translate.complete


def files(root: Path, *, records: bool = True) -> dict[str, bytes]:
    """Every file the pipeline keeps in a project copy (its results), by path."""
    found = {}
    for folder in ("locales", "build", "src"):
        for path in sorted((root / folder).rglob("*")):
            parts = set(path.relative_to(root).parts)
            if path.is_file() and not parts & MACHINE_LOCAL and (records or not parts & RECORDS):
                found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def stats(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every file's identity (inode, mtime, size): what a run wrote or removed shows as a change."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            info = path.stat()
            found[path.relative_to(root).as_posix()] = (info.st_ino, info.st_mtime_ns, info.st_size)
    return found


def changed(before: dict[str, tuple[int, int, int]], after: dict[str, tuple[int, int, int]]) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


@pytest.fixture
def deepl(monkeypatch: pytest.MonkeyPatch, fake: FakeDeepL) -> FakeDeepL:
    monkeypatch.setenv("DEEPL_AUTH_KEY", fake.auth_key)
    monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
    return fake


def sharded(base: Path, work: Path, name: str) -> tuple[Path, list[set[str]]]:
    """Run 4 shards in 4 copies of ``base`` (as 4 CI machines would) and merge them into a fifth copy;
    returns the merged copy and what each shard wrote."""
    written = []
    folders = []
    for k in range(1, SHARDS + 1):
        copy = work / f"{name}-shard-{k}"
        shutil.copytree(base, copy)
        before = stats(copy)
        run_copy(copy, (k, SHARDS))
        written.append(changed(before, stats(copy)))
        folders.append(copy)
    merged = work / f"{name}-merged"
    shutil.copytree(base, merged)
    result = merge(load_config(merged), folders[::-1])  # any order
    assert result.shards == SHARDS and result.copied
    return merged, written


def assert_same(single: Path, merged: Path) -> None:
    one, many = files(single), files(merged, records=True)
    many.pop("locales/.billing.jsonl", None)  # one line per shard: compared apart
    one.pop("locales/.billing.jsonl", None)
    assert sorted(one) == sorted(many)
    differing = [name for name in one if one[name] != many[name]]
    assert not differing
    assert {"build/nl.tar.gz", "build/de/manifest.json", "locales/.i18n-state.json"} <= one.keys()


def assert_disjoint(written: list[set[str]], *, every: bool = True) -> None:
    owned = [{n for n in names if not set(n.split("/")) & (MACHINE_LOCAL | RECORDS)} for names in written]
    for i, first in enumerate(owned):
        assert first or not every, f"shard {i + 1} wrote nothing"
        for second in owned[i + 1 :]:
            assert not first & second
    everything = set().union(*owned)
    assert not any(name.endswith((".tar.gz", "manifest.json")) for name in everything)  # the merge's


def test_four_shards_merged_are_byte_identical_to_one_machine(tmp_path: Path, deepl: FakeDeepL) -> None:
    base = tmp_path / "base"
    make_site(base)
    single = tmp_path / "single"
    shutil.copytree(base, single)
    run_copy(single)
    merged, written = sharded(base, tmp_path, "fresh")
    assert_same(single, merged)
    assert_disjoint(written)
    billing = (merged / "locales" / ".billing.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(billing) == SHARDS  # each shard's spending, appended

    # the next commit: a page edited, one added, one deleted; the checkout holds the merged results
    later = tmp_path / "later"
    shutil.copytree(merged, later)
    shutil.rmtree(later / "build")  # CI machines start without the builds
    text = (later / "content" / "page-01.md").read_text(encoding="utf-8")
    (later / "content" / "page-01.md").write_text(text.replace("The last", "The final"), encoding="utf-8")
    (later / "content" / "page-13.md").write_text(page(13), encoding="utf-8")
    (later / "content" / "page-02.md").unlink()
    single = tmp_path / "later-single"
    shutil.copytree(later, single)
    run_copy(single)
    merged, written = sharded(later, tmp_path, "later")
    assert_same(single, merged)
    assert_disjoint(written, every=False)
    assert (merged / "locales" / "nl" / "page-02.po").exists()  # a deleted page's catalog: kept, obsolete


def test_a_shard_run_twice_changes_nothing(tmp_path: Path, deepl: FakeDeepL) -> None:
    make_site(tmp_path)
    run_copy(tmp_path, (2, SHARDS))
    before = stats(tmp_path)
    run_copy(tmp_path, (2, SHARDS))
    assert changed(before, stats(tmp_path)) == set()


def sources(names: list[str]) -> tuple[Source, ...]:
    return tuple(Source(name, Path(name), f"content/{name}") for name in names)


names = st.lists(st.from_regex(r"[a-z0-9/_-]{1,30}\.mdx?", fullmatch=True), unique=True, max_size=40)


@given(names, names, st.integers(min_value=1, max_value=12))
def test_adding_pages_moves_no_other_page_between_shards(old: list[str], new: list[str], count: int) -> None:
    config = load_config(Path(__file__).parents[1])
    for k in range(1, count + 1):
        shard = replace(config, shard=(k, count))
        before = {s.ref for s in select(shard, sources(old))}
        after = {s.ref for s in select(shard, sources(old + new))}
        assert before == after & set(old)
    shards = [replace(config, shard=(k, count)) for k in range(1, count + 1)]
    every = [{s.ref for s in select(shard, sources(old))} for shard in shards]
    assert sum(map(len, every)) == len(old) and set().union(*every) == set(old)  # each in exactly one


def test_the_split_is_a_stable_hash_and_even() -> None:
    assert shard_of("guide/install", 4) == shard_of("guide/install", 4)  # no salted hash(): same anywhere
    counts = [0] * SHARDS
    for number in range(4000):
        counts[shard_of(f"docs/page-{number}", SHARDS) - 1] += 1
    assert all(900 < count < 1100 for count in counts), counts


def test_each_shard_spends_its_share_of_the_gate(tmp_path: Path) -> None:
    config = replace(make_site(tmp_path).config, shard=(3, SHARDS))
    gate = share(config, spend_gate(config, "deepl", None, 1000))
    assert gate is not None and gate.limit == 250 and "1/4 of it per shard" in gate.describe()
    quota = share(config, spend_gate(config, "deepl", None, None))
    assert quota is not None and quota.limit is None  # the account's quota: read when the run starts
    from i18n.mt.engine import Usage

    quota.from_usage(Usage(characters=200, limit=1000))
    assert quota.limit == 200  # a quarter of the 800 left


@pytest.mark.parametrize("value", ["0/4", "5/4", "x", "2/0", "1/"])
@pytest.mark.parametrize("command", ["extract", "translate", "build", "run"])
def test_a_bad_shard_is_one_line_and_exit_2(tmp_path: Path, command: str, value: str) -> None:
    make_site(tmp_path)
    result = invoke(tmp_path, command, "--shard", value)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: --shard ")
    assert not (tmp_path / "locales").exists()  # nothing written


def test_merge_refuses_a_missing_shard_before_writing(tmp_path: Path) -> None:
    base = tmp_path / "base"
    make_site(base)
    folders = []
    for k in (1, 2, 4):
        copy = tmp_path / f"shard-{k}"
        shutil.copytree(base, copy)
        assert invoke(copy, "extract", "--shard", f"{k}/4").exit_code == 0
        folders.append(str(copy))
    before = stats(base)
    result = invoke(base, "merge", *folders)
    assert result.exit_code == 1, result.output
    missing = "error: shard 3/4 missing: run it again (`i18n run --shard K/N`) and give its folder\n"
    assert result.stderr == missing
    assert stats(base) == before
    result = invoke(base, "merge", *folders, folders[0])
    assert result.exit_code == 1 and "shard 1/4 given twice" in result.stderr
    result = invoke(base, "merge", str(base))
    assert result.exit_code == 1 and "not a shard's results" in result.stderr


def test_the_cli_shards_and_merges(tmp_path: Path, deepl: FakeDeepL) -> None:
    base = tmp_path / "base"
    make_site(base, pages=6)
    folders = []
    for k in (1, 2):
        copy = tmp_path / f"shard-{k}"
        shutil.copytree(base, copy)
        result = invoke(copy, "run", "-q", "--shard", f"{k}/2")
        assert result.exit_code == 0, result.output
        assert "archived by `i18n merge`" in result.output and not (copy / "build" / "nl.tar.gz").exists()
        folders.append(str(copy))
    result = invoke(base, "merge", "-q", *folders)
    assert result.exit_code == 0, result.output
    assert "merge: 2 shards" in result.output and "-> build/nl.tar.gz" in result.output
    assert not (base / "locales" / MARKER).exists()
    assert invoke(base, "check").exit_code == 0
    assert (base / "build" / "fr" / "page-01.md").exists()


def test_a_shard_names_the_failing_translations_of_its_own_pages_only(tmp_path: Path) -> None:
    from i18n.jobs.status import find_violations

    project = make_site(tmp_path)
    project.extract()
    project.translate("page-01.md", {"The last paragraph.": "De [laatste](/x) alinea."})
    owner = shard_of("page-01", SHARDS)
    other = owner % SHARDS + 1
    config = project.config
    assert [f.path for f in find_violations(replace(config, shard=(owner, SHARDS)))] == [
        project.po_path("page-01.md")
    ]
    assert list(find_violations(replace(config, shard=(other, SHARDS)))) == []


def test_a_shard_never_deletes_the_glossary_another_shard_made_for_the_same_content(
    fake: FakeDeepL,
) -> None:
    """Shards that start together each find no glossary for a changed glossary.yaml and each create one
    (same name); a shard starting later must not delete the one a running shard translates with."""
    import deepl
    from deepl.api_data import MultilingualGlossaryDictionaryEntries

    from i18n.mt.deepl import deepl_engine
    from i18n.mt.glossary import deepl_glossary_name, parse_glossary

    glossary = parse_glossary(
        "terms:\n  national group:\n    nl: nationale groep\n    de: nationale Gruppe\n"
    )
    first = deepl_engine(fake.auth_key, fake.url)
    first.sync_glossary(glossary, "en", ["nl", "de"])
    (mine,) = fake.glossaries
    client = deepl.DeepLClient(fake.auth_key, server_url=fake.url)
    name = deepl_glossary_name(glossary, "en", ["nl", "de"])
    dictionaries = [
        MultilingualGlossaryDictionaryEntries("en", "nl", {"national group": "nationale groep"}),
        MultilingualGlossaryDictionaryEntries("en", "de", {"national group": "nationale Gruppe"}),
    ]
    theirs = client.create_multilingual_glossary(name, dictionaries).glossary_id  # the other shard's
    later = deepl_engine(fake.auth_key, fake.url)
    later.sync_glossary(glossary, "en", ["nl", "de"])
    assert {mine, theirs} <= set(fake.glossaries)
    old = client.create_multilingual_glossary("i18n-en-0123456789ab", dictionaries).glossary_id
    later.sync_glossary(glossary, "en", ["nl", "de"])
    assert old not in fake.glossaries  # an older content's glossary is still cleaned up


def test_the_pseudo_locale_is_built_after_the_merge_not_by_a_shard(tmp_path: Path) -> None:
    make_site(tmp_path)
    result = invoke(tmp_path, "build", "--pseudo", "--shard", "1/2")
    assert result.exit_code == 2
    assert result.stderr == "error: --pseudo is not sharded: run `i18n build --pseudo` after `i18n merge`\n"
    assert not (tmp_path / "build").exists()


def test_a_sharded_run_is_never_answered_from_the_no_op_stamp() -> None:
    from i18n.jobs.noop import eligible

    assert eligible(["run", "-q"], {})
    assert not eligible(["run", "-q", "--shard", "1/4"], {})  # its output is not the whole site's


def test_the_translation_memory_leaves_out_what_another_shards_edit_made_obsolete(
    tmp_path: Path, deepl: FakeDeepL
) -> None:
    """A reviewed sentence removed from a page of one shard is no memory suggestion for a like sentence
    added to a page of another, as on one machine (where extract has made it obsolete first)."""
    names = [f"p{number}" for number in range(40)]
    mine = next(name for name in names if shard_of(name, 2) == 1)
    other = next(name for name in names if shard_of(name, 2) == 2)
    base = tmp_path / "base"
    base.mkdir()
    project = Project(base, ("nl",))
    project.page(f"{mine}.md", "# A\n\nHello there.\n")
    project.page(f"{other}.md", "# B\n\nThe quick brown fox jumps over the dog.\n")
    run_copy(base)
    project.translate(f"{other}.md", {"The quick brown fox jumps over the dog.": "De snelle vos springt."})
    project.page(f"{other}.md", "# B\n\nSomething else entirely.\n")
    project.page(f"{mine}.md", "# A\n\nHello there.\n\nThe quick brown fox jumps over the lazy dog.\n")
    single = tmp_path / "single"
    shutil.copytree(base, single)
    run_copy(single)
    assert "memory" not in (single / "locales" / "nl" / f"{mine}.po").read_text(encoding="utf-8")
    folders = []
    for k in (1, 2):
        copy = tmp_path / f"shard-{k}"
        shutil.copytree(base, copy)
        run_copy(copy, (k, 2))
        folders.append(copy)
    merged = tmp_path / "merged"
    shutil.copytree(base, merged)
    merge(load_config(merged), folders)
    assert files(single, records=True) == files(merged, records=True) | {
        "locales/.billing.jsonl": files(single)["locales/.billing.jsonl"]
    }
