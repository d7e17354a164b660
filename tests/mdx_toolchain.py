"""MDX's own compiler (``tests/generators/mdx/``: pinned @mdx-js/mdx 3.1.1 + remark-gfm, remark-frontmatter,
remark-directive, remark-toc, rehype-slug) compiling pages, English and translated.

``fingerprints(folder)`` runs ``tests/generators/mdx/compile.mjs`` on every ``*.mdx`` (as MDX) and ``*.md``
(as markdown) under ``folder``: one fingerprint per page (compile ok/error, JSX elements and props,
import/export statements, ``{expressions}``, href/src multiset, heading ids, HTML element counts, asides,
the text of every ``<code>``).
``pseudo_build(pages, workdir)`` translates a folder of pages with the real pipeline as a Starlight site
(``astro.config.mjs`` beside ``content/``, ``flavour = "auto"``: ``.mdx`` read as MDX, ``.md`` as CommonMark)
into the pseudo-locale (``i18n build --pseudo``). ``compare(english, translated)`` lists what the
translation broke.

Nothing is installed here (no network in tests): ``tests/generators/mdx/install.sh`` installs the pinned
packages once into ``$I18N_GENERATORS_DIR/mdx`` (default ``~/.cache/i18n-generators/mdx``), outside the
repository; ``.ci/run`` calls it.

Run as a script for the figures: ``python -m tests.mdx_toolchain [PAGES] [--mdx]`` (default
``../shared/corpus/flavours/mdx``; ``--mdx``: every page read as MDX, ``flavour = "mdx"``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from i18n.markdown.flavours.mdx import PROSE_PROPS

from .site_toolchain import pseudo_build as site_pseudo_build

HERE = Path(__file__).parent / "generators" / "mdx"
CORPUS = Path(__file__).parents[2] / "shared" / "corpus" / "flavours" / "mdx"
Fingerprint = dict[str, Any]


def install_dir() -> Path:
    """Where ``install.sh`` put the pinned compiler."""
    configured = os.environ.get("I18N_GENERATORS_DIR")
    base = Path(configured) if configured else Path.home() / ".cache" / "i18n-generators"
    return base / "mdx"


def unavailable() -> str | None:
    """Why the compiler cannot run here (for a skip), or None when it can."""
    if shutil.which("node") is None:
        return "node not installed (.ci/run installs it from Debian)"
    installed = install_dir()
    if not (installed / "node_modules").is_dir():
        return f"@mdx-js/mdx not installed in {installed} (run tests/generators/mdx/install.sh)"
    lock = installed / "installed.lock"
    if not lock.is_file() or lock.read_bytes() != (HERE / "package-lock.json").read_bytes():
        return f"the MDX toolchain in {installed} is not the pinned one (run tests/generators/mdx/install.sh)"
    return None


def fingerprints(folder: Path) -> dict[str, Fingerprint]:
    """Compile every page under ``folder``: page (relative path) -> fingerprint."""
    with tempfile.TemporaryDirectory(prefix="i18n-mdx-") as tmp:
        work = Path(tmp)  # the script resolves its packages from its own folder: node_modules beside it
        shutil.copy2(HERE / "compile.mjs", work / "compile.mjs")
        (work / "node_modules").symlink_to(install_dir() / "node_modules", target_is_directory=True)
        done = subprocess.run(
            ["node", str(work / "compile.mjs"), str(folder)],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
    if done.returncode != 0:
        raise RuntimeError(f"compile.mjs failed ({done.returncode}): {done.stderr[-2000:]}")
    result: dict[str, Fingerprint] = json.loads(done.stdout)
    return result


def pseudo_build(pages: Path, workdir: Path, *, extra: str = "") -> Path:
    """``pages`` pseudo-translated by the real pipeline (``i18n build --pseudo``) as a Starlight site's
    ``content/``: the built folder of the pseudo-locale. ``extra``: more ``[tool.i18n]`` lines."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "astro.config.mjs").write_text("export default {};\n", encoding="utf-8")
    return site_pseudo_build(pages, workdir, extra=extra)


def kept_props(fingerprint: Fingerprint) -> list[tuple[str, str, str]]:
    """The JSX props a translation must keep as they are: every prop, with the value of a prose prop
    (``title``, ``label``…: translated) left out."""
    return sorted(
        (element, prop, "…" if prop in PROSE_PROPS and isinstance(value, str) else json.dumps(value))
        for element, prop, value in fingerprint["props"]
    )


def dangling_anchors(fingerprint: Fingerprint) -> list[str]:
    """Same-page links (``href=#x``, percent-decoded as a browser does) to an id no heading of the page
    has."""
    ids = set(fingerprint["ids"])
    targets = [unquote(link[len("href=#") :]) for link in fingerprint["links"] if link.startswith("href=#")]
    return sorted(target for target in targets if target and target not in ids)


def other_links(fingerprint: Fingerprint) -> list[str]:
    """Every href/src but same-page links, which follow the heading ids (remark-toc makes them from the
    translated headings): those must resolve (:func:`dangling_anchors`) rather than stay the same."""
    return [link for link in fingerprint["links"] if not link.startswith("href=#")]


# What a translation may not change, by the fingerprint's key (heading ids may: MDX makes them from text).
_KEPT = {
    "JSX elements": lambda fp: fp["jsx"],
    "JSX props": kept_props,
    "import/export": lambda fp: fp["esm"],
    "expressions": lambda fp: fp["expressions"],
    "href/src": other_links,
    "same-page links": lambda fp: sum(link.startswith("href=#") for link in fp["links"]),
    "element counts": lambda fp: fp["elements"],
    "asides": lambda fp: fp["asides"],
    "code": lambda fp: fp["code"],
}


@dataclass
class Comparison:
    """What the translated pages changed: kind of difference -> page -> detail."""

    pages: int = 0
    compiled: int = 0  # English pages that compile
    differences: dict[str, dict[str, str]] = field(default_factory=dict)
    anchors: dict[str, list[str]] = field(default_factory=dict)  # page -> same-page links left dangling
    changed_ids: int = 0  # heading ids that follow the translated text (MDX: informational)
    ids: int = 0

    def failures(self) -> dict[str, dict[str, str]]:
        return {kind: pages for kind, pages in self.differences.items() if pages}

    def summary(self) -> str:
        anchors = sum(len(found) for found in self.anchors.values())
        kinds = ", ".join(
            f"{len(pages)} pages with {kind} differences" for kind, pages in self.failures().items()
        )
        kinds = kinds or "no difference in compile result, JSX, props, ESM, expressions, href, code, elements"
        return (
            f"{self.pages} pages, {self.compiled} compile in English; translated: {kinds}; "
            f"{anchors} same-page links left without their heading on {len(self.anchors)} pages; "
            f"{self.changed_ids} of {self.ids} heading ids follow the translated text"
        )


def _difference(before: object, after: object) -> str:
    if isinstance(before, int) and isinstance(after, int):
        return f"{before} vs {after}"
    if isinstance(before, dict) and isinstance(after, dict):
        keys = sorted(set(before) | set(after))
        return str(
            {k: (before.get(k, 0), after.get(k, 0)) for k in keys if before.get(k, 0) != after.get(k, 0)}
        )
    assert isinstance(before, list) and isinstance(after, list)
    a, b = Counter(map(str, before)), Counter(map(str, after))
    return f"missing {sorted((a - b).elements())[:5]}, added {sorted((b - a).elements())[:5]}"


def compare(english: Mapping[str, Fingerprint], translated: Mapping[str, Fingerprint]) -> Comparison:
    result = Comparison(pages=len(english))
    found: dict[str, dict[str, str]] = {"compile": {}, "missing": {}, **{kind: {} for kind in _KEPT}}
    for page, en in sorted(english.items()):
        if not en["ok"]:
            continue
        result.compiled += 1
        xx = translated.get(page)
        if xx is None:
            found["missing"][page] = "not built"
            continue
        if not xx["ok"]:
            found["compile"][page] = str(xx["error"])
            continue
        for kind, read in _KEPT.items():
            if read(en) != read(xx):
                found[kind][page] = _difference(read(en), read(xx))
        lost = list((Counter(dangling_anchors(xx)) - Counter(dangling_anchors(en))).elements())
        if lost:
            result.anchors[page] = lost
        result.ids += len(en["ids"])
        result.changed_ids += sum(a != b for a, b in zip(en["ids"], xx["ids"], strict=False))
    result.differences = found
    return result


def main(argv: list[str]) -> int:
    folders = [arg for arg in argv if not arg.startswith("--")]
    pages = Path(folders[0]).resolve() if folders else CORPUS
    reason = unavailable()
    if reason:
        print(f"cannot run: {reason}")
        return 2
    with tempfile.TemporaryDirectory(prefix="i18n-mdx-build-") as tmp:
        built = pseudo_build(pages, Path(tmp), extra='flavour = "mdx"\n' if "--mdx" in argv else "")
        result = compare(fingerprints(pages), fingerprints(built))
    print(result.summary())
    for kind, differences in result.failures().items():
        for page, detail in differences.items():
            print(f"  {kind}: {page}: {detail}")
    for page, lost in result.anchors.items():
        print(f"  same-page links without their heading: {page}: {', '.join('#' + a for a in lost)}")
    return 1 if result.failures() else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
