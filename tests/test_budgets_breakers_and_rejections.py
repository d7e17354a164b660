"""Budgets met exactly or one short; translations that break the page, alone or together; rejected and
close reviewed translations: each a behaviour no other test noticed when changed (issue 11, item 11).

(The other survivors have their tests elsewhere: a paragraph's last line ending in spaces in
``test_every_prose_block_is_a_segment.py``; the key without ``:fx`` in ``test_engine_faults.py``.)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from i18n.catalog.model import State
from i18n.errors import RenderError
from i18n.jobs.build import render_document
from i18n.jobs.catalogs import read_catalog

from .deepl_fake import FakeDeepL, fast_retries
from .project import Project
from .support import invoke as cli

KEY = "mutant-key-1234:fx"
PAGE = "# Plans\n\nWe grow every year.\n\nWe protest in every country.\n\nWe lobby the parliament.\n"


@pytest.fixture
def fake() -> Iterator[FakeDeepL]:
    with FakeDeepL(auth_key=KEY) as server, fast_retries(retries=0, backoff=0.01):
        yield server


@pytest.fixture
def env(fake: FakeDeepL, monkeypatch: pytest.MonkeyPatch) -> FakeDeepL:
    monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
    monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
    return fake


def site(root: Path, languages: tuple[str, ...] = ("nl", "de"), extra: str = "") -> Project:
    root.mkdir(parents=True, exist_ok=True)
    project = Project(root, languages=languages, extra=extra)
    project.page("plans.md", PAGE)
    project.page("other.md", "# Other\n\nA second page with its own text.\n")
    project.extract()
    return project


def total(project: Project) -> int:
    result = cli(project, "translate", "--dry-run")
    assert result.exit_code == 0, result.output
    return int(result.output.strip().splitlines()[-1].split()[1])


# -- after a stop, later languages (and later chunks) send nothing ----------------------------------------


@pytest.mark.parametrize("chunk", [100_000, 1], ids=["one-chunk", "chunk-per-page"])  # entries
def test_after_a_stop_no_later_language_calls_the_engine(
    tmp_path: Path, env: FakeDeepL, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    import i18n.jobs.translate

    monkeypatch.setattr(i18n.jobs.translate, "CHUNK_ENTRIES", chunk)
    project = site(tmp_path / "site", extra="concurrency = 1\n")
    env.quota_after(1)  # the first request already exceeds the quota
    result = cli(project, "translate", "-q", "--max-characters", "100000")  # past the default gate
    assert result.exit_code == 1 and "quota exceeded" in result.output
    sent = env.requests_to("/v2/translate")
    assert len(sent) == 1 and sent[0].status == 456
    assert {r.params.get("target_lang") for r in sent} == {"NL"}  # German was never sent


# -- the budget's boundary --------------------------------------------------------------------------------


def test_a_budget_of_exactly_the_total_is_enough(tmp_path: Path, env: FakeDeepL) -> None:
    exact = site(tmp_path / "exact")
    characters = total(exact)
    result = cli(exact, "translate", "-q", "--max-characters", str(characters))
    assert result.exit_code == 0, result.output
    assert env.billed == characters


def test_a_budget_one_short_of_the_total_stops_before_exceeding_it(tmp_path: Path, env: FakeDeepL) -> None:
    short = site(tmp_path / "short", languages=("nl",))
    characters = total(short)
    result = cli(short, "translate", "-q", "--max-characters", str(characters - 1))
    assert result.exit_code == 1 and "character budget reached" in result.output
    assert env.billed <= characters - 1


# -- build falls back to English when translations break a page -------------------------------------------


class _Fragile:
    """A document whose render refuses ``breaks`` alone, and ``together`` only in combination."""

    source = "SOURCE"

    def __init__(self, breaks: set[str], together: set[str]) -> None:
        self.breaks, self.together = breaks, together

    def render(self, translations: Mapping[str, str]) -> str:
        if self.breaks & set(translations) or (self.together and self.together <= set(translations)):
            raise RenderError("would change the page")
        return "|".join(f"{k}={v}" for k, v in sorted(translations.items()))


def test_a_translation_that_breaks_the_page_alone_is_dropped_and_named() -> None:
    text, dropped, partners = render_document(_Fragile({"b"}, set()), {"a": "A", "b": "B", "c": "C"})  # type: ignore[arg-type]
    assert (text, dropped, partners) == ("a=A|c=C", ("b",), ("",))


def test_translations_that_break_the_page_only_together_lose_only_the_smallest_set() -> None:
    """Two that conflict: one of them is dropped (named with the other), every other one is kept."""
    translations = {k: k.upper() for k in "abcdef"}
    text, dropped, partners = render_document(_Fragile(set(), {"b", "e"}), translations)  # type: ignore[arg-type]
    assert (text, dropped, partners) == ("a=A|b=B|c=C|d=D|f=F", ("e",), ("b",))


class _Conflicts(_Fragile):
    """Refuses any translation set holding one of several conflicting pairs."""

    def __init__(self, breaks: set[str], pairs: list[set[str]]) -> None:
        super().__init__(breaks, set())
        self.pairs = pairs

    def render(self, translations: Mapping[str, str]) -> str:
        if any(pair <= set(translations) for pair in self.pairs):
            raise RenderError("would change the page")
        return super().render(translations)


def test_several_conflicts_and_a_lone_breaker_each_cost_one_translation() -> None:
    translations = {k: k.upper() for k in "abcdefgh"}
    document = _Conflicts({"h"}, [{"a", "c"}, {"d", "g"}, {"b", "f"}])
    text, dropped, partners = render_document(document, translations)  # type: ignore[arg-type]
    assert dropped == ("h", "c", "f", "g") and partners == ("", "a", "b", "d")
    assert text == "a=A|b=B|d=D|e=E"


# -- check reports rejected machine translations ----------------------------------------------------------


def test_check_fails_on_a_rejected_machine_translation(tmp_path: Path, env: FakeDeepL) -> None:
    project = site(tmp_path / "site", languages=("nl",))
    env.mangle("preamble")  # chatter: rejected by the machine-only checks (a human may write it)
    assert cli(project, "translate", "-q").exit_code == 0
    rejected = [m for m in read_catalog(project.po_path("plans.md"), "plans.md", "nl").active if m.rejected]
    assert rejected and all(m.state is State.REJECTED for m in rejected)
    result = cli(project, "check")
    assert result.exit_code == 1
    assert (
        "locales/nl/plans.po:" in result.output
        and "rejected: " in result.output
        and "preamble" in result.output
    )


# -- memory suggestions reach the catalog -----------------------------------------------------------------


def test_a_close_reviewed_translation_is_kept_as_a_suggestion(tmp_path: Path, env: FakeDeepL) -> None:
    project = site(tmp_path / "site", languages=("nl",))
    project.translate("other.md", {"A second page with its own text.": "Een tweede pagina met eigen tekst."})
    project.page("plans.md", PAGE + "\nA second page with its very own text.\n")
    result = cli(project, "translate", "-q")
    assert result.exit_code == 0, result.output
    catalog = read_catalog(project.po_path("plans.md"), "plans.md", "nl")
    message = next(m for m in catalog.active if m.msgid == "A second page with its very own text.")
    assert message.state is State.MACHINE and message.origin == "deepl"
    assert message.suggestions == ("memory 93%: Een tweede pagina met eigen tekst.",)
    text = project.po_path("plans.md").read_text(encoding="utf-8")
    assert '# i18n: suggestion "memory 93%: Een tweede pagina met eigen tekst."' in text
