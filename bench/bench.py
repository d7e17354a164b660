"""End-to-end benchmark of the i18n pipeline: prints a table of measured figures.

Usage (from the repository root, with the project's venv):

    python bench/bench.py                      # every section; scale: 1,000 pages x 3 languages
    python bench/bench.py --quick              # small inputs (CI): scale 100 pages x 3 languages
    python bench/bench.py --only scale --big   # + the 10,000-page x 10-language run (tens of minutes)
    python bench/bench.py --scale 1000 --only cold,noop,edit,scale

Every CLI is run as a subprocess; CPU time is the child's user+sys, peak RSS the child's own ``ru_maxrss``
from ``os.wait4`` (MiB = 1024 x 1024 bytes). A goal against another program is measured in *paired* runs:
ours and the other's alternate, the figure is the median of the per-pair ratios (the machine is shared:
load that comes and goes hits both sides of a pair), printed with the medians of each side.

Real pages: the union of ../shared/corpus/en/*.md and ../shared/corpus/pairs/en/*.md (a file name in
both is one page: the en/ version), else content/; --corpus DIR overrides.

1. cold     ``i18n run -q`` (extract + identity build, 1 language, one process, fresh project each run)
            against mdpo (md2po + po2md in one Python process, Python API) over the same pages: paired,
            goal <= 0.6x. Also ``i18n extract`` + ``build`` as two processes, translate-toolkit (md2po +
            po2md CLI processes), and the pages each tool gives back byte-identical. The peers live in a
            separate venv (--bench-venv, created when missing; never project dependencies).
2. noop     5 languages, nothing changed (after a first run): ``i18n run -q`` against ``python -c pass``
            of the same interpreter and venv, paired (--runs x 5 pairs, at least 15): goal <= 2.5x; a
            second ``i18n extract`` and ``i18n run`` against the cold run (goal <= 10 %); whether the no-op
            process imports ``deepl`` or ``requests``.
3. edit     against the local fake DeepL server (tests/deepl_fake.py): translate the project into 5
            languages, edit one paragraph of one page, translate again: characters billed and requests on
            that second run against len(encode(paragraph).xml) x languages.
4. scale    generated pages (copies of the real pages with a few words varied; --scale sizes, 1,000) x 3
            languages, catalogs full of reviewed translations (filled by ``--engine pseudo``, then made
            reviewed: fuzzy, origin and the pseudo marks removed, so the build renders them), state files
            and build removed, ``i18n run -q`` (a real build of translated pages) against mdpo updating the
            same pages' filled catalogs (md2po) and writing the translated pages (po2md), one process per
            language, paired: goal <= 1.0x; peak RSS goal <= 200 MiB. Then one paragraph of one page
            edited and ``i18n run -q`` (goal <= 1.0 s at 1,000 x 3), and a no-op re-run. With --big:
            10,000 pages x 10 languages, ``i18n run --engine pseudo -q`` once (extract + pseudo translate
            + build of pages whose pseudo entries are never rendered), peak RSS goal < 300 MiB.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
SHARED_CORPORA = (
    ROOT.parent / "shared" / "corpus" / "en",
    ROOT.parent / "shared" / "corpus" / "pairs" / "en",
)
NOOP_LANGUAGES = ("nl", "de", "fr", "es", "it")
SCALE_LANGUAGES = ("nl", "de", "fr", "es", "it", "pl", "pt", "sv", "da", "fi")
PEER_PACKAGES = ("mdpo", "translate-toolkit[markdown]")
MIB = 1024 * 1024
T = TypeVar("T")

# --------------------------------------------------------------------------- processes


@dataclass
class Proc:
    """One finished child process: wall seconds, CPU seconds (user + sys), peak RSS in bytes."""

    cmd: list[str]
    wall: float
    cpu: float
    rss: int
    code: int
    out: str
    err: str

    def check(self) -> Proc:
        if self.code != 0:
            tail = (self.err or self.out).strip().splitlines()[-15:]
            raise RuntimeError(f"exit {self.code}: {shlex.join(self.cmd)}\n  " + "\n  ".join(tail))
        return self


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(
    cmd: Sequence[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    progress: Callable[[float], str] | None = None,
    every: float = 60.0,
) -> Proc:
    """Run ``cmd``; measure wall time and, through ``os.wait4``, this child's own CPU time and peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        stop = threading.Event()
        start = time.perf_counter()
        child = subprocess.Popen(
            list(cmd), cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL
        )
        reporter = None
        if progress is not None:

            def report() -> None:
                while not stop.wait(every):
                    elapsed = time.perf_counter() - start
                    with contextlib.suppress(Exception):
                        log(f"  ... {elapsed:.0f} s: {progress(elapsed)}")

            reporter = threading.Thread(target=report, daemon=True)
            reporter.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        except BaseException:
            child.kill()
            child.wait()
            raise
        finally:
            stop.set()
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Proc(
            list(cmd),
            wall,
            usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss * 1024,  # KiB on Linux
            child.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


I18N_JOBS: list[str] = []  # --jobs: passed through to i18n run, extract and build


def i18n_cmd(*args: str) -> list[str]:
    """The ``i18n`` console script of this interpreter's environment (what a user runs)."""
    if args and args[0] in ("run", "extract", "build"):
        args = (*args, *I18N_JOBS)
    script = Path(sys.executable).parent / "i18n"
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-c", "import sys; from i18n.cli import main; sys.exit(main())", *args]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for a child: no DeepL settings unless given; bytecode cached as on a normal install
    (in a private folder, so an environment with PYTHONDONTWRITEBYTECODE does not compile every run)."""
    drop = ("DEEPL_AUTH_KEY", "DEEPL_SERVER_URL", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "i18n-bench-pycache"))
    env.update(extra)
    return env


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


# --------------------------------------------------------------------------- projects


def make_project(folder: Path, pages: Sequence[Path], languages: Sequence[str], base: Path) -> Path:
    """A fresh project in ``folder``: pages copied into content/ (keeping sub-folders), a pyproject."""
    if folder.exists():
        shutil.rmtree(folder)
    content = folder / "content"
    for page in pages:
        target = content / page.relative_to(base)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, target)
    langs = ", ".join(f'"{code}"' for code in languages)
    (folder / "pyproject.toml").write_text(f"[tool.i18n]\nlanguages = [{langs}]\n", encoding="utf-8")
    return folder


def corpus_pages(corpus: Path) -> list[Path]:
    pages = sorted(corpus.rglob("*.md"))
    if not pages:
        raise SystemExit(f"no *.md pages under {corpus}")
    return pages


def union_corpus(target: Path, folders: Sequence[Path]) -> str:
    """Copy the ``*.md`` pages of ``folders`` into ``target``, one page per file name (a name met again in
    a later folder is the same page: the first folder's version is kept). Returns where they came from."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    parts = []
    for folder in folders:
        added = skipped = 0
        for page in sorted(folder.glob("*.md")):
            if (target / page.name).exists():
                skipped += 1
                continue
            shutil.copyfile(page, target / page.name)
            added += 1
        where = os.path.relpath(folder, ROOT)
        parts.append(f"{added} from {where}" + (f" (+{skipped} already counted)" if skipped else ""))
    return ", ".join(parts)


def identical_pages(source: Path, output: Path, pages: Sequence[Path]) -> tuple[int, list[str]]:
    """How many pages under ``output`` equal their source byte for byte; the names of those that don't."""
    same, differ = 0, []
    for page in pages:
        rel = page.relative_to(source)
        out = output / rel
        if out.is_file() and out.read_bytes() == page.read_bytes():
            same += 1
        else:
            differ.append(rel.as_posix())
    return same, differ


# --------------------------------------------------------------------------- results


@dataclass
class Row:
    section: str
    what: str
    figure: str
    goal: str = ""
    verdict: str = ""


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    def add(self, section: str, what: str, figure: str, goal: str = "", ok: bool | None = None) -> None:
        verdict = "" if ok is None else ("yes" if ok else "NO")
        self.rows.append(Row(section, what, figure, goal, verdict))
        note = f"  [goal {goal}: {verdict}]" if verdict else (f"  [goal {goal}]" if goal else "")
        log(f"{section}: {what}: {figure}{note}")

    def table(self) -> str:
        head = Row("section", "measurement", "figure", "goal", "met")
        rows = [head, *self.rows]
        names = ("section", "what", "figure", "goal", "verdict")
        widths = [max(len(getattr(r, f)) for r in rows) for f in names]
        lines = []
        for i, r in enumerate(rows):
            cells = (r.section, r.what, r.figure, r.goal, r.verdict)
            lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
            if i == 0:
                lines.append("  ".join("-" * w for w in widths))
        return "\n".join(lines)


def secs(value: float) -> str:
    if value < 1:
        return f"{value:.3f} s"
    return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"


def timing(procs: Sequence[Proc]) -> tuple[float, float]:
    return median([p.wall for p in procs]), median([p.cpu for p in procs])


@dataclass
class Paired:
    """Alternating runs of ours and a peer: (wall, cpu) per run, pair i = (ours[i], peer[i])."""

    ours: list[tuple[float, float]] = field(default_factory=list)
    peer: list[tuple[float, float]] = field(default_factory=list)

    def ratio(self, index: int = 0) -> float:
        """The median of the per-pair ratios ours / peer (index 0: wall, 1: CPU)."""
        return median(
            [o[index] / p[index] for o, p in zip(self.ours, self.peer, strict=False) if p[index] > 0]
        )

    def side(self, runs: Sequence[tuple[float, float]], index: int = 0) -> float:
        return median([r[index] for r in runs])

    def data(self) -> dict[str, Any]:
        return {
            "pairs": len(self.peer),
            "ours": self.ours,
            "peer": self.peer,
            "ratio_wall": self.ratio(0) if self.peer else None,
            "ratio_cpu": self.ratio(1) if self.peer else None,
        }


def paired(
    count: int,
    ours: Callable[[int], tuple[float, float]],
    peer: Callable[[int], tuple[float, float]] | None,
    label: str = "",
) -> Paired:
    """``count`` pairs: ours, then the peer (when there is one), alternating."""
    result = Paired()
    for i in range(count):
        result.ours.append(ours(i))
        if peer is not None:
            result.peer.append(peer(i))
        if label:
            o = result.ours[-1][0]
            p = f", peer {result.peer[-1][0]:.3f} s = {o / result.peer[-1][0]:.2f}x" if peer else ""
            log(f"{label} pair {i + 1}/{count}: ours {o:.3f} s{p}")
    return result


def add_ratio(
    res: Results, section: str, what: str, pair: Paired, names: tuple[str, str], goal: float
) -> None:
    """The goal row (median of the per-pair wall ratios) and a row with the medians of each side."""
    goal_text = f"<= {goal:.1f}x"
    if not pair.peer:
        res.add(section, what, "(no peers)", goal_text)
        return
    ratio = pair.ratio(0)
    res.add(
        section,
        what,
        f"{ratio:.2f}x wall (median of {len(pair.peer)} paired ratios; CPU {pair.ratio(1):.2f}x)",
        goal_text,
        ratio <= goal,
    )
    ours, peer = names
    res.add(
        section,
        "  medians of each side",
        f"{ours} {secs(pair.side(pair.ours))} / {peer} {secs(pair.side(pair.peer))} wall; "
        f"CPU {secs(pair.side(pair.ours, 1))} / {secs(pair.side(pair.peer, 1))}",
    )


# --------------------------------------------------------------------------- peers (separate venv)

MDPO_SCRIPT = r"""
import json, pathlib, sys, time
t0 = time.perf_counter()
from mdpo.md2po import markdown_to_pofile
from mdpo.po2md import pofile_to_markdown
src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
pages = sorted(src.rglob("*.md"))
identical, errors = 0, {}
for page in pages:
    rel = page.relative_to(src)
    po = (out / "po" / rel).with_suffix(".po")
    md = out / "md" / rel
    po.parent.mkdir(parents=True, exist_ok=True)
    md.parent.mkdir(parents=True, exist_ok=True)
    try:
        markdown_to_pofile(str(page), po_filepath=str(po), save=True)
        pofile_to_markdown(str(page), str(po), save=str(md))
    except Exception as exc:
        errors[rel.as_posix()] = f"{type(exc).__name__}: {exc}"[:120]
        continue
    identical += md.read_bytes() == page.read_bytes()
print(json.dumps({"pages": len(pages), "identical": identical, "errors": errors,
                  "seconds": time.perf_counter() - t0}))
"""


def ensure_bench_venv(venv: Path) -> Path:
    """The peers' venv (mdpo, translate-toolkit): created with ``python3 -m venv`` + pip when missing."""
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import mdpo.md2po, mdpo.po2md, translate.convert.md2po, mistletoe"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    log(f"creating the peers' venv {venv} (pip install {' '.join(PEER_PACKAGES)})")
    if not python.exists():
        base = shutil.which("python3") or sys.executable
        subprocess.run([base, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
    subprocess.run(probe, check=True)
    return python


def peer_python(res: Results, args: argparse.Namespace) -> Path | None:
    """The peers' interpreter (None with --no-peers); the venv is made, and the versions noted, once."""
    if args.no_peers:
        return None
    python = ensure_bench_venv(args.bench_venv)
    if "peers" not in res.data:
        res.data["peers"] = peer_versions(python)
        log(f"peers: {res.data['peers']}")
    return python


def mdpo_round_trip(python: Path, work: Path, source: Path, out: Path) -> tuple[Proc, dict[str, Any]]:
    """One mdpo process: md2po + po2md of every page under ``source`` (output under ``out``)."""
    script = work / "mdpo_roundtrip.py"
    if not script.exists():
        script.write_text(textwrap.dedent(MDPO_SCRIPT), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    proc = run([str(python), str(script), str(source), str(out)], work, clean_env()).check()
    report: dict[str, Any] = json.loads(proc.out.strip().splitlines()[-1])
    return proc, report


def peer_versions(python: Path) -> str:
    code = "from importlib.metadata import version as v; print(v('mdpo'), v('translate-toolkit'))"
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return f"mdpo {out[0]}, translate-toolkit {out[1]}"


# --------------------------------------------------------------------------- 1. cold run


def bench_cold(res: Results, args: argparse.Namespace, work: Path, corpus: Path, pages: list[Path]) -> None:
    section = "1 cold"
    n = len(pages)
    # extract + build as two processes (what CI runs step by step): the identity round trip.
    ours: list[tuple[Proc, Proc]] = []
    for i in range(args.runs):
        project = make_project(work / "cold", pages, ("nl",), corpus)
        extract = run(i18n_cmd("extract"), project, clean_env()).check()
        build = run(i18n_cmd("build"), project, clean_env()).check()
        ours.append((extract, build))
        log(f"cold run {i + 1}: extract {extract.wall:.2f} s + build {build.wall:.2f} s")
    same, differ = identical_pages(
        project / "content",
        project / "build" / "nl",
        [project / "content" / p.relative_to(corpus) for p in pages],
    )
    wall = median([e.wall + b.wall for e, b in ours])
    cpu = median([e.cpu + b.cpu for e, b in ours])
    extract_wall = median([e.wall for e, _ in ours])
    build_wall = median([b.wall for _, b in ours])
    res.data["cold"] = {
        "pages": n,
        "wall": wall,
        "cpu": cpu,
        "extract": extract_wall,
        "build": build_wall,
        "identical": same,
        "differ": differ,
    }
    res.add(
        section,
        f"i18n extract + build, {n} pages, 1 language",
        f"{secs(wall)} wall (extract {secs(extract_wall)}, build {secs(build_wall)}), {secs(cpu)} CPU",
    )
    res.add(section, "i18n identity round trip", f"{same}/{n} byte-identical", f"{n}/{n}", same == n)
    if differ:
        log(f"  not identical: {', '.join(differ[:10])}")
    # The goal: `i18n run -q` (extract + build, no key: no translate) in ONE process, fresh project each
    # run, paired with mdpo's md2po + po2md in one process over the same pages.
    python = peer_python(res, args)
    report: dict[str, Any] = {}
    run_same = [n]

    def i18n_run(_: int) -> tuple[float, float]:
        project = make_project(work / "cold-run", pages, ("nl",), corpus)
        proc = run(i18n_cmd("run", "-q"), project, clean_env()).check()
        content = project / "content"
        got, _differ = identical_pages(content, project / "build" / "nl", sorted(content.rglob("*.md")))
        run_same[0] = min(run_same[0], got)
        return proc.wall, proc.cpu

    def mdpo(_: int) -> tuple[float, float]:
        assert python is not None
        proc, report_ = mdpo_round_trip(python, work, corpus, work / "mdpo")
        report.update(report_)
        return proc.wall, proc.cpu

    pair = paired(args.runs, i18n_run, mdpo if python else None, "cold")
    one_wall, one_cpu = pair.side(pair.ours), pair.side(pair.ours, 1)
    res.data["cold"]["run"] = {"wall": one_wall, "cpu": one_cpu, "identical": run_same[0]}
    res.data["cold"]["vs_mdpo"] = pair.data()
    res.add(
        section,
        "i18n run -q (extract + build, 1 process)",
        f"{secs(one_wall)} wall, {secs(one_cpu)} CPU; {run_same[0]}/{n} byte-identical",
    )
    add_ratio(res, section, "  i18n run / mdpo time (both 1 process)", pair, ("i18n run", "mdpo"), 0.6)
    if python is None:
        return
    m_wall, m_cpu = pair.side(pair.peer), pair.side(pair.peer, 1)
    res.data["mdpo"] = {"wall": m_wall, "cpu": m_cpu, **report}
    res.add(section, "mdpo md2po+po2md (1 process, Python API)", f"{secs(m_wall)} wall, {secs(m_cpu)} CPU")
    res.add(
        section, "  i18n extract + build / mdpo time", f"{wall / m_wall:.2f}x wall, {cpu / m_cpu:.2f}x CPU"
    )
    errors = report["errors"]
    note = f" (crashed on {len(errors)}: {', '.join(errors)})" if errors else ""
    res.add(section, "  mdpo identity round trip", f"{report['identical']}/{n} byte-identical{note}")
    # translate-toolkit: its md2po and po2md command line tools (module form: the console-script names
    # collide with mdpo's in the same venv). -m 0: no reflow, its most faithful setting.
    tt: list[tuple[Proc, Proc]] = []
    tt_same = 0
    for _ in range(args.runs):
        out = work / "ttk"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        module = [str(python), "-m", "translate.convert.md2po", "--progress=none"]
        md2po = run([*module, "-i", str(corpus), "-o", str(out / "po")], work, clean_env()).check()
        module = [str(python), "-m", "translate.convert.po2md", "--progress=none", "-m", "0"]
        arguments = ["-t", str(corpus), "-i", str(out / "po"), "-o", str(out / "md")]
        po2md = run([*module, *arguments], work, clean_env()).check()
        tt.append((md2po, po2md))
        tt_same, _ = identical_pages(corpus, out / "md", pages)
    t_wall = median([a.wall + b.wall for a, b in tt])
    t_cpu = median([a.cpu + b.cpu for a, b in tt])
    res.data["translate-toolkit"] = {"wall": t_wall, "cpu": t_cpu, "identical": tt_same}
    res.add(
        section, "translate-toolkit md2po + po2md -m 0 (2 CLIs)", f"{secs(t_wall)} wall, {secs(t_cpu)} CPU"
    )
    res.add(
        section,
        "  i18n extract + build / translate-toolkit time (2 processes each)",
        f"{wall / t_wall:.2f}x wall, {cpu / t_cpu:.2f}x CPU",
    )
    res.add(section, "  translate-toolkit identity round trip", f"{tt_same}/{n} byte-identical")


# --------------------------------------------------------------------------- 2. no-op re-run

PROBE = r"""
import json, sys, time
t0 = time.perf_counter()
from i18n.cli import main
t1 = time.perf_counter()
code = 0
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit as exc:
    code = exc.code
t2 = time.perf_counter()
mods = {m: m in sys.modules for m in ("deepl", "requests", "urllib3", "rapidfuzz", "polib", "markdown_it")}
sys.stderr.write("BENCH-PROBE " + json.dumps({"import": t1 - t0, "work": t2 - t1, "code": code,
                                               "modules": mods}) + "\n")
"""


def probe(project: Path, *args: str) -> dict[str, Any]:
    """Run the CLI's main in a wrapper that reports import/work time and which modules got imported."""
    proc = run([sys.executable, "-c", PROBE, *args], project, clean_env()).check()
    line = next(x for x in proc.err.splitlines() if x.startswith("BENCH-PROBE "))
    data: dict[str, Any] = json.loads(line.removeprefix("BENCH-PROBE "))
    return data


def import_profile(project: Path) -> tuple[float, list[tuple[str, float]]]:
    """``python -X importtime``: seconds to import i18n.cli; the heaviest top-level packages (self time)."""
    proc = run([sys.executable, "-X", "importtime", "-c", "import i18n.cli"], project, clean_env()).check()
    total = 0.0
    per_package: dict[str, float] = {}
    for line in proc.err.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if not m:
            continue
        self_us, cum_us, name = int(m[1]), int(m[2]), m[4]
        if name == "i18n.cli":
            total = cum_us / 1e6
        top = name.split(".")[0]
        per_package[top] = per_package.get(top, 0.0) + self_us / 1e6
    heavy = sorted(per_package.items(), key=lambda kv: -kv[1])[:6]
    return total, heavy


def bench_noop(res: Results, args: argparse.Namespace, work: Path, corpus: Path, pages: list[Path]) -> None:
    section = "2 no-op"
    n, langs = len(pages), NOOP_LANGUAGES
    cold: list[Proc] = []
    extract2: list[Proc] = []
    rerun: list[Proc] = []
    for _ in range(args.runs):
        project = make_project(work / "noop", pages, langs, corpus)
        e = run(i18n_cmd("extract"), project, clean_env()).check()
        b = run(i18n_cmd("build"), project, clean_env()).check()
        cold.append(Proc([*e.cmd, "+ build"], e.wall + b.wall, e.cpu + b.cpu, max(e.rss, b.rss), 0, "", ""))
    for _ in range(args.runs):
        extract2.append(run(i18n_cmd("extract"), project, clean_env()).check())
    if "0 catalogs written" not in extract2[-1].out:
        log(f"  warning: the second extract wrote catalogs: {extract2[-1].out.strip().splitlines()[-1]}")
    # A first `i18n run` (not timed), then no-op runs paired with a bare start of the same interpreter and
    # venv (the console script's interpreter), same environment: what the run costs beyond starting Python.
    first = run(i18n_cmd("run", "-q"), project, clean_env()).check()
    log(f"first i18n run after extract + build: {first.wall:.2f} s")
    bare_cmd = [str(Path(sys.executable)), "-c", "pass"]

    def i18n_run(_: int) -> tuple[float, float]:
        proc = run(i18n_cmd("run", "-q"), project, clean_env()).check()
        rerun.append(proc)
        return proc.wall, proc.cpu

    def bare(_: int) -> tuple[float, float]:
        proc = run(bare_cmd, project, clean_env()).check()
        return proc.wall, proc.cpu

    pair = paired(max(15, 5 * args.runs), i18n_run, bare)
    c_wall, c_cpu = timing(cold)
    e_wall, e_cpu = timing(extract2)
    r_wall, r_cpu = timing(rerun)
    extract_probe = probe(project, "extract")
    run_probe = probe(project, "run", "-q")
    import_s, heavy = import_profile(project)
    res.data["noop"] = {
        "cold": [c_wall, c_cpu],
        "extract": [e_wall, e_cpu],
        "run": [r_wall, r_cpu],
        "probe_extract": extract_probe,
        "probe_run": run_probe,
        "import_i18n_cli": import_s,
        "heaviest_imports": heavy,
        "vs_bare_python": pair.data(),
    }
    res.add(
        section,
        f"cold extract + build, {n} pages x {len(langs)} languages",
        f"{secs(c_wall)} wall, {secs(c_cpu)} CPU",
    )
    res.add(
        section,
        "second i18n extract (nothing changed)",
        f"{secs(e_wall)} wall = {100 * e_wall / c_wall:.0f}% of cold ({100 * e_cpu / c_cpu:.0f}% CPU)",
        "<= 10%",
        e_wall <= 0.10 * c_wall,
    )
    res.add(
        section,
        "i18n run -q, no key (nothing changed)",
        f"{secs(r_wall)} wall = {100 * r_wall / c_wall:.0f}% of cold ({100 * r_cpu / c_cpu:.0f}% CPU)",
        "<= 10%",
        r_wall <= 0.10 * c_wall,
    )
    add_ratio(
        res,
        section,
        "  i18n run -q / python -c pass (same venv)",
        pair,
        ("i18n run", "python -c pass"),
        2.5,
    )
    res.add(
        section,
        "  of which: import i18n.cli / in-process work",
        f"{secs(extract_probe['import'])} import; work: extract {secs(extract_probe['work'])}, "
        f"run {secs(run_probe['work'])}",
    )
    heaviest = ", ".join(f"{k} {1000 * v:.0f} ms" for k, v in heavy[:4])
    res.add(section, "  heaviest imports (self time)", heaviest)
    for name, data in (("extract", extract_probe), ("run", run_probe)):
        mods = data["modules"]
        clean = not mods["deepl"] and not mods["requests"]
        res.add(
            section,
            f"no-op {name} imports deepl / requests",
            f"deepl: {'yes' if mods['deepl'] else 'no'}, requests: {'yes' if mods['requests'] else 'no'}",
            "neither",
            clean,
        )


# --------------------------------------------------------------------------- 3. one-paragraph edit


def pick_paragraph(project: Path) -> tuple[Path, str, str, str]:
    """A paragraph to edit: single-line, plain start, mid-length, its text unique in the project.

    Returns (page, segment id, old text, new text)."""
    from i18n import SegmentKind, read_page

    pages = sorted((project / "content").rglob("*.md"))
    counts: dict[str, int] = {}
    parsed = []
    for path in pages:
        page = read_page(path)
        parsed.append((path, page))
        for s in page.segments:
            counts[s.text] = counts.get(s.text, 0) + 1
    for path, page in parsed:
        paragraphs = [s for s in page.segments if s.kind is SegmentKind.PARAGRAPH]
        for s in paragraphs[len(paragraphs) // 2 :]:
            if "\n" in s.text or not 120 <= len(s.text) <= 400 or counts[s.text] != 1:
                continue
            if not s.text[0].isalpha():
                continue
            word = re.search(r"(?<= )[a-z]{5,}(?= )", s.text)
            if word is None:
                continue
            new = s.text[: word.end()] + " really" + s.text[word.end() :]
            return path, s.id, s.text, new
    raise RuntimeError("no paragraph fit for the edit benchmark")


def bench_edit(res: Results, args: argparse.Namespace, work: Path, corpus: Path, pages: list[Path]) -> None:
    section = "3 edit"
    sys.path.insert(0, str(ROOT))
    from i18n import read_page
    from i18n.mt.xmlmarkup import encode
    from tests.deepl_fake import DEFAULT_AUTH_KEY, FakeDeepL

    langs = NOOP_LANGUAGES
    project = make_project(work / "edit", pages, langs, corpus)
    with FakeDeepL() as fake:
        env = clean_env(DEEPL_AUTH_KEY=DEFAULT_AUTH_KEY, DEEPL_SERVER_URL=fake.url)
        first = run(i18n_cmd("translate", "-q"), project, env).check()
        billed0, requests0 = fake.billed, len(fake.requests_to("/v2/translate"))
        all0 = len(fake.requests)
        res.add(
            section,
            f"first translate, {len(pages)} pages x {len(langs)} languages",
            f"{secs(first.wall)} wall, {billed0} characters in {requests0} translate requests",
        )
        path, segment_id, old, new = pick_paragraph(project)
        page = read_page(path)
        edited = page.render({segment_id: new}, inject_anchors=False)
        path.write_text(edited, encoding="utf-8", newline="")
        check = read_page(path)
        assert check.segment(segment_id).text == new, "the edit did not land where intended"
        dry = run(i18n_cmd("translate", "--dry-run"), project, env)
        if dry.code != 0:  # the dry run refuses out-of-date catalogs: extract first, as a user would
            run(i18n_cmd("extract"), project, env).check()
            dry = run(i18n_cmd("translate", "--dry-run"), project, env).check()
        dry_total = re.search(r"total: (\d+) characters?, (\d+) requests?", dry.out)
        second = run(i18n_cmd("translate", "-q"), project, env).check()
        billed = fake.billed - billed0
        requests = len(fake.requests_to("/v2/translate")) - requests0
        others = len(fake.requests) - all0 - requests  # usage, glossary, languages...
        expected = len(encode(new).xml) * len(langs)
    rel = path.relative_to(project / "content").as_posix()
    res.data["edit"] = {
        "page": rel,
        "segment": segment_id,
        "old": old,
        "new": new,
        "billed": billed,
        "requests": requests,
        "expected": expected,
        "other_requests": others,
        "first": {"wall": first.wall, "billed": billed0, "requests": requests0},
        "second_wall": second.wall,
        "dry_run": [int(dry_total[1]), int(dry_total[2])] if dry_total else None,
    }
    shown = segment_id if len(segment_id) <= 40 else "…" + segment_id[-39:]
    res.add(section, "edited paragraph", f"{rel} {shown} ({len(new)} chars, XML {len(encode(new).xml)})")
    res.add(
        section,
        "second translate: characters billed",
        f"{billed} (expected {len(encode(new).xml)} x {len(langs)} = {expected})",
        "= paragraph x languages",
        billed == expected,
    )
    res.add(
        section,
        "second translate: /v2/translate requests",
        f"{requests} (+{others} other requests)",
        f"<= {len(langs)}",
        requests <= len(langs),
    )
    if dry_total:
        forecast = f"{dry_total[1]} characters, {dry_total[2]} requests"
        res.add(section, "  dry-run forecast before it", forecast, "= billed", int(dry_total[1]) == billed)
    res.add(section, "  second translate wall time", secs(second.wall))


# --------------------------------------------------------------------------- 4. scale


_FENCE = re.compile(r"^\s*(```|~~~)")
_WORD = re.compile(r"(?<= )[a-z]{4,}(?= )")
_VALUE_KEY = re.compile(r"^(title|description):")
_DOUBLED = re.compile(r"\b(\w+) \1\b")


def vocabulary(sources: Sequence[str]) -> list[str]:
    words: set[str] = set()
    for text in sources:
        words.update(re.findall(r"\b[a-z]{5,12}\b", text))
    return sorted(words)


def vary(text: str, rng: random.Random, vocab: Sequence[str]) -> str:
    """``text`` with one space-delimited lowercase word per prose line replaced (two on long lines):
    outside fenced code and outside frontmatter other than title/description, so the page's structure
    stays the same while its segments' texts differ from the other copies'."""
    lines = text.split("\n")
    in_fence = False
    in_front = bool(lines) and lines[0].strip() == "---"
    for i, line in enumerate(lines):
        if in_front:
            if i > 0 and line.strip() in ("---", "..."):
                in_front = False
            elif not _VALUE_KEY.match(line):
                continue
        elif _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        spots = list(_WORD.finditer(line))
        if not spots:
            continue
        for m in sorted(rng.sample(spots, min(len(spots), 1 + len(line) // 200)), key=lambda m: -m.start()):
            line = line[: m.start()] + rng.choice(vocab) + line[m.end() :]
        if not _DOUBLED.search(line):  # a doubled word made here would be one no translation keeps
            lines[i] = line
    return "\n".join(lines)


def generate_corpus(target: Path, corpus: Path, pages: Sequence[Path], count: int) -> None:
    """``count`` pages: copies of the corpus pages named ``<stem>-<copy>.md``, each with words varied."""
    from i18n import parse_page

    sources = [p.read_bytes().decode("utf-8") for p in pages]
    vocab = vocabulary(sources)
    target.mkdir(parents=True, exist_ok=True)
    for k in range(count):
        base = k % len(pages)
        copy = k // len(pages)
        rel = pages[base].relative_to(corpus)
        out = target / rel.parent / f"{rel.stem}-{copy:05d}{rel.suffix}"
        out.parent.mkdir(parents=True, exist_ok=True)
        text = vary(sources[base], random.Random(k), vocab)
        if k < 2 * len(pages):  # the variation keeps every page's structure: same segment count
            want = len(parse_page(sources[base]).segments)
            got = len(parse_page(text, path=out).segments)
            if got != want:
                raise RuntimeError(f"variation changed {out.name}: {got} segments instead of {want}")
        out.write_bytes(text.encode("utf-8"))


def count_files(folder: Path, suffix: str) -> int:
    total = 0
    if folder.is_dir():
        for _, _, files in os.walk(folder):
            total += sum(1 for f in files if f.endswith(suffix))
    return total


def scale_project(
    work: Path, name: str, corpus: Path, pages: Sequence[Path], count: int, langs: Sequence[str]
) -> Path:
    """A project of ``count`` generated pages in ``langs`` (no locales/, no build/)."""
    project = work / name
    if project.exists():
        shutil.rmtree(project)
    (project / "content").mkdir(parents=True)
    t = time.perf_counter()
    generate_corpus(project / "content", corpus, pages, count)
    codes = ", ".join(f'"{c}"' for c in langs)
    (project / "pyproject.toml").write_text(f"[tool.i18n]\nlanguages = [{codes}]\n", encoding="utf-8")
    log(f"generated {count} pages in {time.perf_counter() - t:.1f} s")
    return project


def pipeline_progress(project: Path, langs: Sequence[str], count: int) -> Callable[[float], str]:
    """A progress line for a long run: catalogs and built pages so far."""
    total = count * len(langs)

    def progress(_: float) -> str:
        catalogs = sum(count_files(project / "locales" / code, ".po") for code in langs)
        built = sum(count_files(project / "build" / code, ".md") for code in langs)
        return f"catalogs {catalogs}/{total}, built pages {built}/{total}"

    return progress


PIPELINE = ("run", "--engine", "pseudo", "-q")  # the --big run; fills the scale section's catalogs
REAL = ("run", "-q")  # the scale section's timed run: a real build of reviewed translations


_PADDING = re.compile("([áéíóúýÁÉÍÓÚÝ])\\1+")  # the pseudo-localiser's lengthening: repeated vowels


def in_child(function: Callable[..., T], *args: Any) -> T:
    """``function(*args)`` in a fresh interpreter (``spawn``): work that grows this process (every
    catalog or page read) would otherwise show in the peak RSS of the children it starts afterwards
    (Linux counts the forked copy's peak in a child's ``ru_maxrss``)."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def fill_reviewed(project: Path, langs: Sequence[str]) -> int:
    """Turn the pseudo-localised entries ``i18n run --engine pseudo`` left in ``project``'s catalogs into
    reviewed translations: fuzzy cleared, the engine's origin, the ⟦ ⟧ marks and the repeated vowels
    dropped (accented text with the markup kept, which the checks accept and the build renders; the
    lengthening would now and then make a doubled word the checks reject). Idempotent. Returns the entries
    filled."""
    sys.path.insert(0, str(ROOT))
    from dataclasses import replace

    from i18n.catalog.po import format_catalog, read_catalog

    filled = 0
    for code in langs:
        folder = project / "locales" / code
        for path in sorted(folder.rglob("*.po")):
            catalog = read_catalog(path, path.relative_to(folder).as_posix(), code)
            messages = []
            for m in catalog.messages:
                if m.msgstr and not m.obsolete:
                    text = _PADDING.sub(r"\1", m.msgstr.replace("\u27e6", "").replace("\u27e7", ""))
                    m = replace(m, msgstr=text, fuzzy=False, origin=None)
                    filled += 1
                messages.append(m)
            path.write_text(format_catalog(replace(catalog, messages=tuple(messages))), encoding="utf-8")
    return filled


def translated_pages(project: Path, langs: Sequence[str]) -> tuple[int, int]:
    """(built pages that differ from their English source, built pages) over ``langs``."""
    content = project / "content"
    differ = total = 0
    for source in sorted(content.rglob("*.md")):
        english = source.read_bytes()
        for code in langs:
            built = project / "build" / code / source.relative_to(content)
            if built.is_file():
                total += 1
                differ += built.read_bytes() != english
    return differ, total


def remove_state(project: Path) -> None:
    """What a from-scratch build does not have: the build folder and every state file (the catalogs stay)."""
    shutil.rmtree(project / "build", ignore_errors=True)
    for path in (project / "locales").glob(".i18n-*"):
        path.unlink()


MDPO_FILLED_SCRIPT = r"""
import json, pathlib, sys, time
t0 = time.perf_counter()
from mdpo.md2po import markdown_to_pofile
from mdpo.po2md import pofile_to_markdown
mode = sys.argv[1]
src, po_dir, out = (pathlib.Path(arg) for arg in sys.argv[2:5])
ACCENTS = str.maketrans("aeiouyAEIOUYcnCN", "áéíóúýÁÉÍÓÚÝçñÇÑ")
pages = sorted(src.rglob("*.md"))
written, errors = 0, {}
for page in pages:
    rel = page.relative_to(src)
    po = (po_dir / rel).with_suffix(".po")
    md = out / rel
    po.parent.mkdir(parents=True, exist_ok=True)
    md.parent.mkdir(parents=True, exist_ok=True)
    try:
        if mode == "fill":  # once, untimed: the catalog with every msgstr filled
            pofile = markdown_to_pofile(str(page))
            for entry in pofile:
                entry.msgstr = entry.msgid.translate(ACCENTS)
            pofile.save(str(po))
            continue
        # timed: the catalog updated from the page (its translations kept), then the translated page
        markdown_to_pofile(str(page), po_filepath=str(po), save=True)
        pofile_to_markdown(str(page), str(po), save=str(md))
    except Exception as exc:
        errors[rel.as_posix()] = f"{type(exc).__name__}: {exc}"[:120]
        continue
    written += md.is_file() and md.read_bytes() != page.read_bytes()
print(json.dumps({"pages": len(pages), "translated": written, "errors": errors,
                  "seconds": time.perf_counter() - t0}))
"""


def mdpo_filled(
    python: Path, work: Path, mode: str, source: Path, po_dir: Path, out: Path
) -> tuple[Proc, dict[str, Any]]:
    """One mdpo process over every page under ``source``: ``fill`` writes catalogs with every msgstr filled
    (accented msgid, as ours); ``build`` updates them from the pages and writes the translated pages."""
    script = work / "mdpo_filled.py"
    if not script.exists():
        script.write_text(textwrap.dedent(MDPO_FILLED_SCRIPT), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    command = [str(python), str(script), mode, str(source), str(po_dir), str(out)]
    proc = run(command, work, clean_env()).check()
    report: dict[str, Any] = json.loads(proc.out.strip().splitlines()[-1])
    return proc, report


def scale_noop(
    res: Results,
    args: argparse.Namespace,
    section: str,
    project: Path,
    count: int,
    cold: float,
    langs: int,
    command: Sequence[str] = PIPELINE,
) -> dict[str, Any]:
    """What a user (or CI) sees running ``command`` twice, then an extract once the state is fresh."""
    progress = pipeline_progress(project, SCALE_LANGUAGES[:langs], count)
    noop = run(i18n_cmd(*command), project, clean_env(), progress, args.progress_every).check()
    noop_extract = run(i18n_cmd("extract"), project, clean_env()).check()
    res.add(
        section,
        f"  no-op i18n {' '.join(command)} at {count} pages x {langs} languages",
        f"{secs(noop.wall)} wall = {100 * noop.wall / cold:.0f}% of cold, peak RSS {noop.rss / MIB:.0f} MiB",
    )
    res.add(
        section,
        f"  then no-op i18n extract at {count} pages",
        f"{secs(noop_extract.wall)} wall, peak RSS {noop_extract.rss / MIB:.0f} MiB",
    )
    return {
        "noop_run": {"wall": noop.wall, "cpu": noop.cpu, "rss": noop.rss},
        "noop_extract": {"wall": noop_extract.wall, "rss": noop_extract.rss},
    }


def bench_scale(res: Results, args: argparse.Namespace, work: Path, corpus: Path, pages: list[Path]) -> None:
    section = "4 scale"
    python = peer_python(res, args)
    measured: list[tuple[int, float, float]] = []  # pages, median wall, median CPU
    for index, count in enumerate(args.scale):
        if measured:
            n0, w0, _ = measured[-1]
            log(f"  linear extrapolation from {n0} pages: ~{w0 * count / n0:.0f} s")
        last = index == len(args.scale) - 1
        measured.append(scale_vs_mdpo(res, args, work, corpus, pages, count, python, last))
    if len(measured) >= 2:
        (n0, w0, c0), (n1, w1, c1) = measured[0], measured[-1]
        exponent = math.log(w1 / w0) / math.log(n1 / n0)
        cpu_exponent = math.log(c1 / c0) / math.log(n1 / n0)
        res.data["scale_exponent"] = {"wall": exponent, "cpu": cpu_exponent}
        res.add(
            section,
            f"growth {n0} -> {n1} pages (time ~ pages^k)",
            f"k = {exponent:.2f} wall, {cpu_exponent:.2f} CPU; {w1 / w0:.1f}x time for {n1 / n0:.0f}x pages",
            "linear (k <= 1.1)",
            exponent <= 1.1,
        )
    if args.big:
        bench_big(res, args, work, corpus, pages, measured[-1] if measured else None)


def scale_vs_mdpo(
    res: Results,
    args: argparse.Namespace,
    work: Path,
    corpus: Path,
    pages: list[Path],
    count: int,
    python: Path | None,
    last: bool,
) -> tuple[int, float, float]:
    """``count`` generated pages x --scale-languages, catalogs full of reviewed translations: a real build
    from scratch (state and build removed, ``i18n run -q``) paired with mdpo updating the same pages'
    filled catalogs and writing the translated pages, once per language. Returns (pages, median wall,
    median CPU) of ours."""
    section = "4 scale"
    langs = SCALE_LANGUAGES[: args.scale_languages]
    project = scale_project(work, f"scale-{count}", corpus, pages, count, langs)
    progress = pipeline_progress(project, langs, count)
    # Setup (not the goal): the pseudo engine fills every catalog, then its entries become reviewed.
    pseudo = run(i18n_cmd(*PIPELINE), project, clean_env(), progress, args.progress_every).check()
    res.add(
        section,
        f"setup: i18n run --engine pseudo, {count} pages x {len(langs)} languages, from scratch",
        f"{secs(pseudo.wall)} wall, peak RSS {pseudo.rss / MIB:.0f} MiB (extract + pseudo translate; "
        "pseudo entries are never built: not a build figure)",
    )
    filled = in_child(fill_reviewed, project, langs)
    run(i18n_cmd(*REAL), project, clean_env()).check()  # the catalogs' fixed point: the timed runs write none
    differ, built = translated_pages(project, langs)
    log(f"filled {filled} entries as reviewed; {differ}/{built} built pages differ from English")
    if differ < built * 0.9:
        raise RuntimeError(f"only {differ}/{built} built pages are translated: not a real build")
    rss: list[int] = []
    report: dict[str, Any] = {}
    mdpo_po = [work / f"scale-{count}-mdpo-po-{code}" for code in langs]
    mdpo_out = [work / f"scale-{count}-mdpo-{code}" for code in langs]
    if python is not None:
        for po_dir, out in zip(mdpo_po, mdpo_out, strict=True):
            shutil.rmtree(po_dir, ignore_errors=True)
            mdpo_filled(python, work, "fill", project / "content", po_dir, out)

    def i18n_run(_: int) -> tuple[float, float]:
        remove_state(project)
        proc = run(i18n_cmd(*REAL), project, clean_env(), progress, args.progress_every).check()
        rss.append(proc.rss)
        return proc.wall, proc.cpu

    def mdpo(_: int) -> tuple[float, float]:
        assert python is not None
        wall = cpu = 0.0
        for po_dir, out in zip(mdpo_po, mdpo_out, strict=True):  # one process per language
            proc, one = mdpo_filled(python, work, "build", project / "content", po_dir, out)
            report.update(one)
            wall, cpu = wall + proc.wall, cpu + proc.cpu
        return wall, cpu

    pair = paired(args.runs, i18n_run, mdpo if python else None, f"scale {count}")
    wall, cpu, peak = pair.side(pair.ours), pair.side(pair.ours, 1), max(rss)
    differ, built = translated_pages(project, langs)
    figures: dict[str, Any] = {"languages": len(langs), "wall": wall, "cpu": cpu, "rss": peak}
    figures.update(translated=differ, built=built, filled=filled, pseudo_setup=pseudo.wall)
    figures["vs_mdpo"] = pair.data()
    res.data.setdefault("scale", {})[count] = figures
    res.add(
        section,
        f"i18n run -q, {count} pages x {len(langs)} languages of reviewed translations, "
        "state and build removed",
        f"{secs(wall)} wall ({1000 * wall / count:.0f} ms/page), {secs(cpu)} CPU; "
        f"{differ}/{built} built pages translated",
    )
    res.add(
        section,
        "  peak RSS of that run (max of the runs)",
        f"{peak / MIB:.0f} MiB",
        "<= 200 MiB",
        peak <= 200 * MIB,
    )
    add_ratio(
        res,
        section,
        f"  i18n run / mdpo md2po+po2md with filled catalogs x {len(langs)} processes",
        pair,
        ("i18n run", f"mdpo x {len(langs)}"),
        1.0,
    )
    if python is not None:
        figures["mdpo"] = report
        res.add(
            section,
            f"  mdpo: 1 process per language, {count} pages each",
            f"{report['translated']}/{count} translated pages written, crashed on {len(report['errors'])}",
        )
    if last:
        figures["edit"] = scale_edit(res, args, section, project, count, langs)
        figures.update(scale_noop(res, args, section, project, count, wall, len(langs), REAL))
    if not args.keep:
        shutil.rmtree(project, ignore_errors=True)
        for folder in (*mdpo_po, *mdpo_out):
            shutil.rmtree(folder, ignore_errors=True)
    return count, wall, cpu


def scale_edit(
    res: Results, args: argparse.Namespace, section: str, project: Path, count: int, langs: Sequence[str]
) -> dict[str, Any]:
    """One paragraph of one page edited (a different word each run), then ``i18n run -q``: the CI case,
    whose cost should follow the change, not the site."""
    page, _sid, old, _new = in_child(pick_paragraph, project)
    original = page.read_bytes().decode("utf-8")
    run(i18n_cmd(*REAL), project, clean_env()).check()  # state files back after the from-scratch runs
    procs = []
    for i in range(args.runs):
        word = re.search(r"(?<= )[a-z]{5,}(?= )", old)
        assert word is not None
        edited = old[: word.end()] + f" edit{i}" + old[word.end() :]
        page.write_bytes(original.replace(old, edited, 1).encode("utf-8"))
        procs.append(run(i18n_cmd(*REAL), project, clean_env()).check())
        log(f"  edit {i + 1}: {procs[-1].wall:.3f} s")
    wall, cpu = timing(procs)
    rss = max(p.rss for p in procs)
    res.add(
        section,
        f"one paragraph of one page edited, then i18n run -q ({count} x {len(langs)})",
        f"{secs(wall)} wall (median of {len(procs)}), {secs(cpu)} CPU, peak RSS {rss / MIB:.0f} MiB",
        "<= 1.0 s at 1,000 x 3",
        wall <= 1.0 if count >= 1000 else None,
    )
    return {"wall": wall, "cpu": cpu, "rss": rss, "page": page.name}


def bench_big(
    res: Results,
    args: argparse.Namespace,
    work: Path,
    corpus: Path,
    pages: list[Path],
    reference: tuple[int, float, float] | None,
) -> None:
    """The big site, once: --big-pages x --big-languages (10,000 x 10), peak RSS < 300 MiB."""
    section = "4 scale"
    count, langs = args.big_pages, SCALE_LANGUAGES[: args.big_languages]
    project = scale_project(work, f"big-{count}", corpus, pages, count, langs)
    units = count * len(langs)
    if reference:
        n0, w0, _ = reference
        guess = w0 / (n0 * args.scale_languages) * units
        log(f"  linear extrapolation (per page x language) from {n0} pages: ~{guess:.0f} s")
    progress = pipeline_progress(project, langs, count)
    proc = run(i18n_cmd(*PIPELINE), project, clean_env(), progress, args.progress_every).check()
    figures: dict[str, Any] = {"languages": len(langs), "wall": proc.wall, "cpu": proc.cpu, "rss": proc.rss}
    res.data["big"] = {count: figures}
    res.add(
        section,
        f"i18n run --engine pseudo, {count} pages x {len(langs)} languages, from scratch (--big)",
        f"{secs(proc.wall)} wall ({1000 * proc.wall / count:.0f} ms/page), {secs(proc.cpu)} CPU",
    )
    res.add(section, "  peak RSS of that run", f"{proc.rss / MIB:.0f} MiB", "< 300 MiB", proc.rss < 300 * MIB)
    if reference:
        n0, w0, _ = reference
        per_unit = 1000 * proc.wall / units
        per_unit0 = 1000 * w0 / (n0 * args.scale_languages)
        res.add(
            section,
            "  time per page x language",
            f"{per_unit:.1f} ms at {count} x {len(langs)}, "
            f"{per_unit0:.1f} ms at {n0} x {args.scale_languages}",
        )
    figures.update(scale_noop(res, args, section, project, count, proc.wall, len(langs)))
    if not args.keep:
        shutil.rmtree(project, ignore_errors=True)


# --------------------------------------------------------------------------- main

SECTIONS = ("cold", "noop", "edit", "scale")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="small inputs (CI): scale 100 pages x 3 languages"
    )
    parser.add_argument(
        "--scale", help="generated pages for the scale test vs mdpo (1000; quick: 100), e.g. 300,1000"
    )
    parser.add_argument(
        "--scale-languages", type=int, default=3, help="languages in that test (3: nl, de, fr)"
    )
    parser.add_argument("--big", action="store_true", help="also the 10,000-page x 10-language run (long)")
    parser.add_argument("--big-pages", type=int, default=10_000, help="pages of the --big run (10000)")
    parser.add_argument("--big-languages", type=int, default=10, help="languages of the --big run (10)")
    parser.add_argument(
        "--corpus",
        type=Path,
        help="folder of English pages (default: ../shared/corpus/en + pairs/en, else content/)",
    )
    parser.add_argument("--jobs", help="passed to i18n run, extract and build as --jobs (default: theirs)")
    parser.add_argument("--runs", type=int, default=3, help="runs per timing; the median is reported (3)")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"sections to run ({','.join(SECTIONS)})")
    parser.add_argument("--no-peers", action="store_true", help="skip mdpo and translate-toolkit")
    parser.add_argument(
        "--bench-venv",
        type=Path,
        default=Path(tempfile.gettempdir()) / "bench-venv",
        help="venv for the peers, created when missing (default /tmp/bench-venv)",
    )
    parser.add_argument("--workdir", type=Path, help="where the temporary projects go (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this file")
    parser.add_argument("--progress-every", type=float, default=60.0, help="seconds between progress lines")
    args = parser.parse_args(argv)
    scale = args.scale or ("100" if args.quick else "1000")
    args.scale = sorted({int(x) for x in scale.split(",") if x.strip()})
    for name in ("scale_languages", "big_languages"):
        if not 1 <= getattr(args, name) <= len(SCALE_LANGUAGES):
            parser.error(f"--{name.replace('_', '-')}: 1 to {len(SCALE_LANGUAGES)}")
    if args.runs < 1:
        parser.error("--runs: at least 1")
    args.only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(args.only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    I18N_JOBS[:] = ["--jobs", args.jobs] if args.jobs else []
    # A terminated benchmark raises SystemExit where it waits, so run() kills the child it is timing.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    res = Results()
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        if args.workdir:
            work = args.workdir.resolve()
            work.mkdir(parents=True, exist_ok=True)
        else:
            work = Path(tempfile.mkdtemp(prefix="i18n-bench-"))
            if not args.keep:
                stack.callback(shutil.rmtree, work, True)
        log(f"work folder {work}")
        shared = [folder for folder in SHARED_CORPORA if folder.is_dir()]
        if args.corpus is not None:
            corpus = args.corpus.resolve()
            origin = str(corpus)
        elif shared:  # every real page available, each once
            corpus = work / "corpus"
            origin = union_corpus(corpus, shared)
        else:
            corpus = ROOT / "content"
            origin = "content/ (no ../shared)"
        pages = corpus_pages(corpus)
        res.data["corpus"] = {"pages": len(pages), "from": origin}
        log(
            f"corpus: {len(pages)} pages ({origin}); sections {', '.join(args.only)}; python {sys.executable}"
        )
        steps: dict[str, Callable[..., None]] = {
            "cold": bench_cold,
            "noop": bench_noop,
            "edit": bench_edit,
            "scale": bench_scale,
        }
        failed = False
        for name in SECTIONS:
            if name not in args.only:
                continue
            try:
                steps[name](res, args, work, corpus, pages)
            except Exception as exc:  # report and go on with the other sections
                failed = True
                res.add(name, "FAILED", f"{type(exc).__name__}: {str(exc).splitlines()[0][:100]}")
                log(f"{name} failed: {exc}")
    elapsed = time.perf_counter() - started
    print()
    print(
        f"i18n benchmark — {len(pages)} real pages ({origin}); {os.cpu_count()} CPUs; "
        f"--runs {args.runs}; {elapsed:.0f} s in all"
    )
    if "peers" in res.data:
        print(f"peers ({args.bench_venv}): {res.data['peers']}")
    print()
    print(res.table())
    print()
    command = [sys.executable, os.path.relpath(Path(__file__).resolve(), ROOT), *sys.argv[1:]]
    print(f"reproduce (from {ROOT}): {shlex.join(command)}")
    if args.json:
        args.json.write_text(json.dumps(res.data, indent=2, default=str) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
