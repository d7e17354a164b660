"""The site's own toolchain (``tests/site/``: pinned mdsvex + svelte) compiling pages, English and translated.

``fingerprints(folder)`` runs ``tests/site/compile.mjs`` on every ``*.md`` under ``folder`` and returns one
fingerprint per page (compile ok/error, heading ids in order, href/src multiset, images, element counts).
``pseudo_build(pages, workdir)`` translates a folder of English pages with the real pipeline (the
pseudo-locale, ``i18n build --pseudo``: every segment pseudo-localised, markup kept) and returns the built
folder. ``compare(english, translated)`` lists what a
translation broke: a page that compiled and no longer does, a changed href/src multiset, changed heading
ids (the smartypants ``--`` case counted apart, see README "Site setup").

Node modules are never installed here (no network in tests): ``tests/site/install.sh`` installs them once
into ``$I18N_SITE_DIR`` (default ``~/.cache/i18n-site``), outside the repository; ``.ci/run`` calls it.

Run as a script for the figures: ``python -m tests.site_toolchain [PAGES]`` (default ``../shared/corpus/en``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SITE = Path(__file__).parent / "site"
_DOUBLE_HYPHEN = re.compile(r"(?<!-)--(?!-)")
_FILES = ("compile.mjs", "layout.svelte", "remark-collect-images.js", "components")


def site_dir() -> Path:
    """Where ``install.sh`` put the pinned toolchain (``$I18N_SITE_DIR``, default ``~/.cache/i18n-site``)."""
    configured = os.environ.get("I18N_SITE_DIR")
    return Path(configured) if configured else Path.home() / ".cache" / "i18n-site"


def unavailable() -> str | None:
    """Why the toolchain cannot run here (for a skip), or None when it can."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "node/npm not installed (.ci/run installs them from Debian)"
    installed = site_dir()
    if not (installed / "node_modules").is_dir():
        return f"site toolchain not installed in {installed} (run tests/site/install.sh)"
    lock = installed / "package-lock.json"
    if not lock.is_file() or lock.read_bytes() != (SITE / "package-lock.json").read_bytes():
        return f"site toolchain in {installed} is not the pinned one (run tests/site/install.sh)"
    return None


Fingerprint = dict[str, Any]


def fingerprints(folder: Path, *, site_setup: bool = False) -> dict[str, Fingerprint]:
    """Compile every page under ``folder`` with the site's toolchain: page (relative path) -> fingerprint.
    ``site_setup``: with the fixes of README "Site setup" (smartypants without dashes, heading ids first)."""
    with tempfile.TemporaryDirectory(prefix="i18n-site-") as tmp:
        work = Path(tmp)
        for name in _FILES:  # the script resolves its packages from its own folder: node_modules beside it
            source = SITE / name
            if source.is_dir():
                shutil.copytree(source, work / name)
            else:
                shutil.copy2(source, work / name)
        (work / "node_modules").symlink_to(site_dir() / "node_modules", target_is_directory=True)
        done = subprocess.run(
            ["node", str(work / "compile.mjs"), str(folder), *(["--site-setup"] if site_setup else [])],
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
        )
    if done.returncode != 0:
        raise RuntimeError(f"compile.mjs failed ({done.returncode}): {done.stderr[-2000:]}")
    result: dict[str, Fingerprint] = json.loads(done.stdout)
    return result


def pseudo_build(pages: Path, workdir: Path, *, extra: str = "") -> Path:
    """``pages`` pseudo-translated by the real pipeline (``i18n build --pseudo``): the built folder of the
    pseudo-locale. ``extra``: more ``[tool.i18n]`` lines."""
    content = workdir / "content"
    shutil.copytree(pages, content, dirs_exist_ok=True)
    (workdir / "pyproject.toml").write_text(
        f'[project]\nname = "site"\n\n[tool.i18n]\nlanguages = ["nl"]\n{extra}', encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "i18n", "build", "--pseudo", "-q"],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"i18n build --pseudo failed ({done.returncode}): {done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    return workdir / "build" / "en-XA"


def smartypants_id(anchor: str) -> str:
    """``anchor`` as the site's smartypants (``dashes: true``) leaves an injected ``{#anchor}``: each ``--``
    (exactly two hyphens) an em dash (measured; see README "Site setup")."""
    return _DOUBLE_HYPHEN.sub("\u2014", anchor)


@dataclass
class Comparison:
    """What the translated pages changed, per kind of difference: page -> detail."""

    pages: int = 0
    compiled: int = 0  # English pages that compile
    new_errors: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    smartypants_ids: dict[str, str] = field(default_factory=dict)  # the documented `--` case
    missing: list[str] = field(default_factory=list)  # pages the build left out
    elements: dict[str, str] = field(default_factory=dict)  # informational

    def failures(self) -> dict[str, dict[str, str]]:
        found = {"new compile errors": self.new_errors, "href/src": self.links, "heading ids": self.ids}
        if self.missing:
            found["pages missing from the build"] = dict.fromkeys(self.missing, "")
        return {kind: pages for kind, pages in found.items() if pages}

    def summary(self) -> str:
        return (
            f"{self.pages} pages, {self.compiled} compile in English; translated: "
            f"{len(self.new_errors)} new compile errors, {len(self.links)} pages with href/src differences, "
            f"{len(self.ids)} pages with heading-id differences (+{len(self.smartypants_ids)} pages "
            f"with only the documented smartypants '--' case), {len(self.missing)} pages missing, "
            f"{len(self.elements)} pages with other element-count differences"
        )


def _multiset_difference(before: list[str], after: list[str]) -> str:
    missing = sorted(set(before) - set(after)) or [x for x in before if before.count(x) > after.count(x)]
    added = sorted(set(after) - set(before)) or [x for x in after if after.count(x) > before.count(x)]
    return f"missing {missing[:5]}, added {added[:5]}"


def compare(english: Mapping[str, Fingerprint], translated: Mapping[str, Fingerprint]) -> Comparison:
    result = Comparison(pages=len(english))
    for page, en in sorted(english.items()):
        if not en["ok"]:
            continue
        result.compiled += 1
        xx = translated.get(page)
        if xx is None:
            result.missing.append(page)
            continue
        if not xx["ok"]:
            result.new_errors[page] = str(xx["error"])
            continue
        if sorted(en["links"]) != sorted(xx["links"]) or sorted(en["images"]) != sorted(xx["images"]):
            result.links[page] = _multiset_difference(en["links"] + en["images"], xx["links"] + xx["images"])
        if en["ids"] != xx["ids"]:
            if [smartypants_id(i) for i in en["ids"]] == xx["ids"]:
                result.smartypants_ids[page] = ", ".join(i for i in en["ids"] if smartypants_id(i) != i)
            else:
                pairs = [(a, b) for a, b in zip(en["ids"], xx["ids"], strict=False) if a != b]
                result.ids[page] = f"{len(en['ids'])} vs {len(xx['ids'])} ids; first differences {pairs[:3]}"
        if en["elements"] != xx["elements"]:
            keys = sorted(set(en["elements"]) | set(xx["elements"]))
            diff = {k: (en["elements"].get(k, 0), xx["elements"].get(k, 0)) for k in keys}
            result.elements[page] = str({k: v for k, v in diff.items() if v[0] != v[1]})
    return result


def main(argv: list[str]) -> int:
    pages = Path(argv[0] if argv else Path(__file__).parents[2] / "shared" / "corpus" / "en").resolve()
    reason = unavailable()
    if reason:
        print(f"cannot run: {reason}")
        return 2
    with tempfile.TemporaryDirectory(prefix="i18n-site-build-") as tmp:
        built = pseudo_build(pages, Path(tmp))
        result = compare(fingerprints(pages), fingerprints(built))
    print(result.summary())
    for kind, found in [*result.failures().items(), ("documented smartypants --", result.smartypants_ids),
                        ("element counts (informational)", result.elements)]:  # fmt: skip
        for page, detail in found.items():
            print(f"  {kind}: {page}: {detail}")
    return 1 if result.failures() else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
