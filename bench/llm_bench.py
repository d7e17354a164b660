"""The chat engine's goals on real pages: the 10 English/Dutch page pairs of ``../shared/corpus/pairs``.

Against the local OpenAI-compatible server (``tests/openai_fake.py``) through the real ``openai`` client:

1. **estimate**: the Dutch of the pairs is brought into the catalogs with ``i18n import``; the server then
   answers each text with that real Dutch (as XML with the source's placeholders), so completion tokens
   are those of real translations. ``translate --dry-run`` is compared with the tokens the server reports,
   with tiktoken (when installed) and with the character ratio.
2. **faults**: every sixth answer is bad (the server's modes in turn); usable share after the run, and every
   built page compared with its English page: link and image targets, code spans and blocks.
3. **second run**: requests sent by a re-run (goal: none).
4. **servers as they really answer** (issue 21; answers are the pairs' real Dutch): in the request's shape
   (goal ≥ 95 % usable); also dropping tags, adding preambles and cutting one answer in nine (≥ 90 %);
   one faulty text in eight (requests ≤ segments / 4); a server that only refuses (the breaker: a
   handful of requests, one line); glossary terms in every batch holding any form of them.

Usage: ``.venv/bin/python bench/llm_bench.py [--pairs DIR]`` (from the repository root). Prints the
figures; exits 0 (figures, not a gate).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETTINGS = """[project]
name = "bench"

[tool.i18n]
languages = ["nl"]
engine = "openai"

[tool.i18n.openai]
model = "meta-llama/llama-3.3-70b-instruct"
max_retries = 1
timeout = 30
prices = {{ input = 0.13, output = 0.40 }}
{extra}
"""


def cli(root: Path, *args: str) -> tuple[int, str]:
    from click.testing import CliRunner

    from i18n.cli import main

    result = CliRunner().invoke(main, ["--project", str(root), *args])
    return result.exit_code, result.output


def project(folder: Path, pairs: Path, extra: str = "") -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "content").mkdir(parents=True)
    for page in sorted((pairs / "en").glob("*.md")):
        shutil.copy(page, folder / "content" / page.name)
    shutil.copy(ROOT / "glossary.yaml", folder / "glossary.yaml")
    (folder / "pyproject.toml").write_text(SETTINGS.format(extra=extra), encoding="utf-8")
    code, output = cli(folder, "extract")
    assert code == 0, output
    return folder


def real_dutch(folder: Path, pairs: Path) -> dict[str, str]:
    """Source XML -> the imported Dutch as XML with the source's placeholder ids."""
    from i18n.catalog.po import read_catalog
    from i18n.mt.glossary import load_glossary
    from i18n.mt.xmlmarkup import MarkupError, encode

    cli(folder, "import", "--lang", "nl", str(pairs / "nl"))
    keep = load_glossary(folder / "glossary.yaml").keep
    table: dict[str, str] = {}
    for path in sorted((folder / "locales" / "nl").glob("*.po")):
        for message in read_catalog(path, path.name, "nl").active:
            if not message.msgstr:
                continue
            try:
                source, target = encode(message.msgid, keep=keep), encode(message.msgstr, keep=keep)
            except MarkupError:
                continue
            free = list(enumerate(source.placeholders, start=1))
            numbers: dict[str, str] = {}
            for number, slot in enumerate(target.placeholders, start=1):
                same = [
                    (n, s) for n, s in free if (s.tag, s.open, s.close) == (slot.tag, slot.open, slot.close)
                ]
                if not same:
                    break
                free.remove(same[0])
                numbers[str(number)] = str(same[0][0])
            else:
                if not free:
                    table[source.xml] = re.sub(
                        r' i="(\d+)"', lambda m, n=numbers: f' i="{n[m.group(1)]}"', target.xml
                    )
    return table


def targets(text: str) -> Counter[str]:
    from i18n.markdown.parser import markdown_parser

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


def estimate_figures(work: Path, pairs: Path, ratio: bool) -> str:
    import i18n.mt.openai
    from i18n.mt import tokens
    from tests.openai_fake import FakeOpenAI

    if ratio:
        i18n.mt.openai.token_counter = lambda model: tokens.token_counter(model, use_tiktoken=False)  # type: ignore[assignment]
    folder = project(work / "estimate", pairs)
    table = real_dutch(folder, pairs)
    shutil.rmtree(folder / "locales")
    cli(folder, "extract")
    with FakeOpenAI() as chat:
        chat.table = table
        os.environ.update(OPENAI_API_KEY=chat.api_key, OPENAI_BASE_URL=chat.url)
        code, output = cli(folder, "translate", "--dry-run")
        assert code == 0, output
        total = output.strip().splitlines()[-1]
        prompt, completion = (int(n) for n in re.findall(r"(\d+) (?:prompt|completion)", total))
        method = total.rsplit("counted by ", 1)[-1][:-1]
        code, output = cli(folder, "translate", "-q")
        assert code == 0, output
        served = [t for r in chat.answered for t in (r.texts or {}).values()]
        real = sum(1 for t in served if t in table)
        p, c = chat.prompt_tokens, chat.completion_tokens
    return (
        f"estimate ({method}): {prompt} + {completion} estimated, {p} + {c} reported: prompt "
        f"{prompt / p - 1:+.1%}, completion {completion / c - 1:+.1%}, "
        f"total {(prompt + completion) / (p + c) - 1:+.1%} "
        f"({real}/{len(served)} answers real Dutch)"
    )


def fault_figures(work: Path, pairs: Path) -> list[str]:
    from tests.openai_fake import FakeOpenAI

    folder = project(work / "faults", pairs, "batch_max_segments = 5")
    with FakeOpenAI() as chat:
        os.environ.update(OPENAI_API_KEY=chat.api_key, OPENAI_BASE_URL=chat.url)
        chat.bad_every(6)
        code, output = cli(folder, "translate", "-q")
        assert code == 0, output
        bad = sum(1 for r in chat.answered if r.fault)
        answered = len(chat.answered)
        chat.bad_every(0)
        before = len(chat.requests)
        cli(folder, "translate", "-q")
        cli(folder, "translate", "-q", "--retranslate-machine")
        again = len(chat.requests) - before
    totals = json.loads(cli(folder, "status", "--json")[1])["languages"]["nl"]["totals"]
    cli(folder, "build")
    broken = []
    for page in sorted((folder / "content").glob("*.md")):
        built = folder / "build" / "nl" / page.name
        if built.exists() and targets(built.read_text(encoding="utf-8")) != targets(
            page.read_text(encoding="utf-8")
        ):
            broken.append(page.name)
    pages = len(list((folder / "content").glob("*.md")))
    return [
        f"one bad answer in six: {totals['usable_percent']}% usable "
        f"({totals['usable']}/{totals['segments']}), "
        f"{totals['rejected']} rejected; {answered} requests answered, {bad} bad",
        f"built pages losing a link, image or code target: {len(broken)}/{pages} {broken or ''}".rstrip(),
        f"second run (translate, translate --retranslate-machine): {again} requests",
    ]


def server_figures(work: Path, pairs: Path) -> list[str]:
    from i18n.mt.glossary import load_glossary
    from tests.openai_fake import FakeOpenAI

    lines = []
    table: dict[str, str] = {}
    scenarios = [
        ("request shape", {"request_shape": True}, None),
        ("request shape, tags dropped, preambles, 1 in 9 cut off", {"request_shape": True}, 3),
        ("one faulty text in eight", {"spoil_every": 8}, None),
        ("a server that only refuses", {}, 1),
    ]
    for name, options, every in scenarios:
        folder = project(work / "servers", pairs)
        if not table:
            table = real_dutch(folder, pairs)
            shutil.rmtree(folder / "locales")
            cli(folder, "extract")
        with FakeOpenAI(**options) as chat:  # type: ignore[arg-type]
            chat.table = table
            os.environ.update(OPENAI_API_KEY=chat.api_key, OPENAI_BASE_URL=chat.url)
            if every == 3:
                chat.bad_every(3, ("drop_tag", "preamble", "length"))
            elif every == 1:
                chat.bad_every(1, ("refuse",))
            code, output = cli(folder, "translate", "-q")
            requests = len(chat.requests)
            systems = [(r.system, list((r.texts or {}).values())) for r in chat.requests if r.texts]
        totals = json.loads(cli(folder, "status", "--json")[1])["languages"]["nl"]["totals"]
        segments = totals["segments"]
        line = f"{name}: {totals['usable_percent']}% usable, {requests} requests for {segments} segments"
        if every == 1:
            error = next((x for x in output.splitlines() if x.startswith("error:")), "(no error line)")
            line += f", exit {code}: {error}"
        lines.append(line)
        if name == "request shape":
            glossary = load_glossary(folder / "glossary.yaml")
            for term in glossary.terms:
                target = term.target("nl")
                if target is None:
                    continue
                words = r"[\s-]+".join(re.escape(w) for w in term.source.split())
                form = re.compile(rf"(?<!\w){words}(?:s|'s|’s|s'|es)?(?!\w)", re.IGNORECASE)
                holding = [system for system, texts in systems if any(form.search(t) for t in texts)]
                reached = sum(f'"{term.source}" → "{target}"' in system for system in holding)
                if holding:
                    lines.append(
                        f"glossary '{term.source}': in {reached} of {len(holding)} batches holding a form"
                    )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=Path, default=ROOT.parent / "shared" / "corpus" / "pairs")
    args = parser.parse_args()
    if not (args.pairs / "en").is_dir():
        print(f"no page pairs at {args.pairs}: nothing to measure")
        return 0
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    with tempfile.TemporaryDirectory(prefix="llm-bench-") as tmp:
        work = Path(tmp)
        lines = [estimate_figures(work, args.pairs, ratio=False), *fault_figures(work, args.pairs)]
        lines.append(estimate_figures(work, args.pairs, ratio=True))
        lines += server_figures(work, args.pairs)
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
