"""MkDocs (+ Material, pymdown-extensions) as the judge of a translated site.

``tests/generators/mkdocs/install.sh`` installs the pinned toolchain (``requirements.txt`` beside it) into
``$I18N_GENERATORS_DIR/mkdocs`` (default ``~/.cache/i18n-generators/mkdocs``), outside the repository.

- :func:`unavailable` says why the toolchain cannot run here (a skip, or a failure in CI);
- :func:`pseudo_build` runs the real pipeline (``i18n build --pseudo``) on a site folder (its ``mkdocs.yml``
  and docs) and returns the built pseudo-locale folder;
- :func:`mkdocs_build` runs ``mkdocs build`` on a docs folder with the site's ``mkdocs.yml`` and returns
  the built HTML's fingerprint (:func:`fingerprint`) and the build log's warnings;
- :func:`compare` lists what a translation changed: pages (URLs), hrefs/srcs, ids, element counts, new
  warnings, pages with no translated text.

The fingerprint is html.parser-based: per built page (its URL), every ``href``/``src`` of the whole page
(navigation included, so a blog post that moved shows in every page linking to it), every ``id`` inside the
article in order (heading ids, tab ids, footnote ids), and counts of the elements translation must keep
(admonitions, details, tabs, code blocks, tables, images, footnotes, definition lists, buttons, math,
task lists, keys, emoji, links, headings…).

Run as a script for the figures: ``python -m tests.generators.mkdocs_site SITE`` (a folder with
``mkdocs.yml`` and its docs) or ``python -m tests.generators.mkdocs_site --pages FOLDER`` (a folder of pages,
built with the fixture site's configuration).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).parent / "mkdocs"
FIXTURE_SITE = HERE / "site"
PSEUDO_MARK = "\u27e6"  # ⟦: the pseudo-locale brackets every translated text

# (tag, class) → what is counted; a class of None: the tag alone.
_COUNTED: tuple[tuple[str, str | None, str], ...] = (
    ("div", "admonition", "admonitions"),
    ("details", None, "details"),
    ("div", "tabbed-set", "tab sets"),
    ("div", "tabbed-block", "tabs"),
    ("input", None, "inputs"),
    ("pre", None, "code blocks"),
    ("table", None, "tables"),
    ("img", None, "images"),
    ("div", "footnote", "footnote sections"),
    ("sup", None, "footnote references"),
    ("dl", None, "definition lists"),
    ("dt", None, "terms"),
    ("dd", None, "definitions"),
    ("a", "md-button", "buttons"),
    ("div", "arithmatex", "block math"),
    ("span", "arithmatex", "inline math"),
    ("li", "task-list-item", "task items"),
    ("span", "keys", "keys"),
    ("span", "twemoji", "emoji"),
    ("a", "magiclink", "magic links"),
    ("a", None, "links"),
    ("h1", None, "h1"),
    ("h2", None, "h2"),
    ("h3", None, "h3"),
    ("h4", None, "h4"),
    ("li", None, "list items"),
    ("p", None, "paragraphs"),
    ("code", None, "code"),
    ("mark", None, "marks"),
    ("del", None, "deletions"),
    ("small", None, "small"),
)
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


@dataclass
class PageFingerprint:
    links: Counter[str] = field(default_factory=Counter)  # href/src of the whole page
    ids: list[str] = field(default_factory=list)  # ids inside the article, in order
    elements: Counter[str] = field(default_factory=Counter)  # inside the article
    text: str = ""  # the article's text


class _Fingerprinter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageFingerprint()
        self.depth = 0  # > 0: inside the article
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in ("href", "src"):
            if name in values:
                self.page.links[f"{tag}@{name}={values[name]}"] += 1
        classes = values.get("class", "").split()
        if tag == "article" and "md-content__inner" in classes:
            self.depth = 1
            return
        if self.depth == 0:
            return
        if tag not in _VOID:
            self.depth += 1
        if "id" in values:
            self.page.ids.append(values["id"])
        for counted_tag, counted_class, name in _COUNTED:
            if tag == counted_tag and (counted_class is None or counted_class in classes):
                self.page.elements[name] += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if self.depth > 0 and tag not in _VOID:
            self.depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth > 0 and tag not in _VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth > 0:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self.page.text = " ".join("".join(self._text).split())


def fingerprint_page(html: str) -> PageFingerprint:
    parser = _Fingerprinter()
    parser.feed(html)
    parser.close()
    return parser.page


def fingerprint(site: Path) -> dict[str, PageFingerprint]:
    """Every built HTML page of ``site`` (theme assets left out): its URL → fingerprint."""
    pages: dict[str, PageFingerprint] = {}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith("assets/"):
            continue
        url = "/" + (relative.removesuffix("index.html") if relative.endswith("index.html") else relative)
        pages[url] = fingerprint_page(path.read_text(encoding="utf-8"))
    return pages


def generator_dir() -> Path:
    configured = os.environ.get("I18N_GENERATORS_DIR")
    base = Path(configured) if configured else Path.home() / ".cache" / "i18n-generators"
    return base / "mkdocs"


def unavailable() -> str | None:
    """Why MkDocs cannot run here (for a skip), or None when it can."""
    installed = generator_dir()
    if not (installed / "bin" / "mkdocs").is_file():
        return f"MkDocs not installed in {installed} (run tests/generators/mkdocs/install.sh)"
    stamp = installed / ".requirements.txt"
    if not stamp.is_file() or stamp.read_bytes() != (HERE / "requirements.txt").read_bytes():
        return f"MkDocs in {installed} is not the pinned one (run tests/generators/mkdocs/install.sh)"
    return None


@dataclass
class Built:
    pages: dict[str, PageFingerprint]
    warnings: list[str]  # the build log's WARNING lines, the docs folder's path left out
    returncode: int
    log: str


_LOG_LEVEL = re.compile(r"^(WARNING|ERROR)\s+-\s+(.*)$")


def mkdocs_build(config: Path, docs: Path, work: Path) -> Built:
    """``mkdocs build`` of ``docs`` with the settings of ``config`` (its ``docs_dir`` replaced), into a
    folder under ``work``."""
    site = work / "site"
    derived = config.parent / f".i18n-test-{work.name}.yml"
    derived.write_text(
        f"INHERIT: {config.name}\ndocs_dir: {docs.resolve()}\nsite_dir: {site.resolve()}\n", encoding="utf-8"
    )
    try:
        done = subprocess.run(
            [str(generator_dir() / "bin" / "mkdocs"), "build", "--clean", "-f", str(derived)],
            cwd=config.parent,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"},
        )
    finally:
        derived.unlink()
    log = done.stdout + done.stderr
    warnings = []
    for line in log.splitlines():
        match = _LOG_LEVEL.match(line.strip())
        if match:
            warnings.append(f"{match.group(1)}: {match.group(2).replace(str(docs.resolve()), '<docs>')}")
    pages = fingerprint(site) if site.is_dir() else {}
    return Built(pages, warnings, done.returncode, log)


def pseudo_build(site: Path, work: Path, *, extra: str = "") -> Path:
    """The site folder ``site`` (``mkdocs.yml`` and its docs) copied into ``work`` as an i18n project
    (``content_dir`` the site's docs folder) and pseudo-translated by ``i18n build --pseudo``; the built
    pseudo-locale folder, with the docs' other files (images) beside the pages as the site deploys them."""
    shutil.copytree(site, work, dirs_exist_ok=True)
    docs = docs_dir(work / "mkdocs.yml")
    (work / "pyproject.toml").write_text(
        f'[project]\nname = "site"\n\n[tool.i18n]\nlanguages = ["nl"]\n'
        f'content_dir = "{docs.relative_to(work).as_posix()}"\n{extra}',
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "i18n", "build", "--pseudo", "-q"],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"i18n build --pseudo failed ({done.returncode}): {done.stdout[-3000:]}{done.stderr[-3000:]}"
        )
    built = work / "build" / "en-XA"
    (built / "manifest.json").unlink(missing_ok=True)
    for path in docs.rglob("*"):
        target = built / path.relative_to(docs)
        if path.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    return built


def docs_dir(config: Path) -> Path:
    match = re.search(
        r"^docs_dir:[ \t]*['\"]?([^'\"\n#]+?)['\"]?[ \t]*$", config.read_text(encoding="utf-8"), re.M
    )
    return config.parent / (match.group(1) if match else "docs")


@dataclass
class Comparison:
    pages: int = 0
    missing: list[str] = field(default_factory=list)  # URLs only the English build has
    added: list[str] = field(default_factory=list)  # URLs only the translated build has
    links: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    elements: dict[str, str] = field(default_factory=dict)
    english: list[str] = field(default_factory=list)  # pages with no translated text
    warnings: list[str] = field(default_factory=list)  # new warning lines
    failed: str = ""  # the translated build did not succeed

    def failures(self) -> dict[str, object]:
        found: dict[str, object] = {
            "translated build failed": self.failed,
            "pages missing (URLs)": self.missing,
            "pages added (URLs)": self.added,
            "href/src": self.links,
            "ids": self.ids,
            "element counts": self.elements,
            "pages entirely English": self.english,
            "new warnings": self.warnings,
        }
        return {kind: detail for kind, detail in found.items() if detail}

    def summary(self) -> str:
        return (
            f"{self.pages} pages; translated: {len(self.missing)} missing, {len(self.added)} added, "
            f"{len(self.links)} with href/src differences, {len(self.ids)} with id differences, "
            f"{len(self.elements)} with element-count differences, {len(self.english)} entirely English, "
            f"{len(self.warnings)} new warnings"
        )


def _counter_difference(before: Counter[str], after: Counter[str]) -> str:
    missing = sorted((before - after).elements())
    added = sorted((after - before).elements())
    return f"missing {missing[:6]}, added {added[:6]}"


def compare(english: Built, translated: Built, *, translated_pages: set[str] | None = None) -> Comparison:
    """What ``translated`` changed against ``english``; ``translated_pages``: the URLs that must show
    translated text (default: every page whose article has text)."""
    result = Comparison(pages=len(english.pages))
    if translated.returncode != 0:
        result.failed = translated.log[-2000:]
    result.missing = sorted(set(english.pages) - set(translated.pages))
    result.added = sorted(set(translated.pages) - set(english.pages))
    for url, en in sorted(english.pages.items()):
        xx = translated.pages.get(url)
        if xx is None:
            continue
        if en.links != xx.links:
            result.links[url] = _counter_difference(en.links, xx.links)
        if en.ids != xx.ids:
            pairs = [(a, b) for a, b in zip(en.ids, xx.ids, strict=False) if a != b]
            result.ids[url] = f"{len(en.ids)} vs {len(xx.ids)} ids; first differences {pairs[:4]}"
        if en.elements != xx.elements:
            keys = sorted(set(en.elements) | set(xx.elements))
            diff = {k: (en.elements[k], xx.elements[k]) for k in keys if en.elements[k] != xx.elements[k]}
            result.elements[url] = str(diff)
        theme_only = url == "/404.html"  # the theme's page: no source page, no text of the site's
        wanted = (translated_pages is None and en.text and not theme_only) or (
            translated_pages is not None and url in translated_pages
        )
        if wanted and PSEUDO_MARK not in xx.text:
            result.english.append(url)
    english_warnings = Counter(english.warnings)
    result.warnings = sorted((Counter(translated.warnings) - english_warnings).elements())
    return result


_ICON = re.compile(r"\A(---\r?\n(?:(?!---).*\r?\n)*?)icon:[^\n]*\n", re.MULTILINE)


def site_of_pages(pages: Path, dest: Path) -> Path:
    """A site folder at ``dest``: the fixture site's configuration with ``pages`` as its docs (a page's
    frontmatter ``icon:`` left out: the pinned Material may not ship that icon set)."""
    shutil.copytree(FIXTURE_SITE, dest, ignore=shutil.ignore_patterns("docs"))
    shutil.copytree(pages, dest / "docs")
    for page in (dest / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        stripped = _ICON.sub(r"\1", text)
        if stripped != text:
            page.write_text(stripped, encoding="utf-8")
    return dest


def judge(site: Path, work: Path, *, extra: str = "") -> tuple[Comparison, Built, Built]:
    """Build ``site`` in English and pseudo-translated with MkDocs and compare them."""
    project = work / "project"
    built = pseudo_build(site, project, extra=extra)
    config = project / "mkdocs.yml"
    english = mkdocs_build(config, docs_dir(config), work / "en")
    translated = mkdocs_build(config, built, work / "xx")
    return compare(english, translated), english, translated


def main(argv: list[str]) -> int:
    reason = unavailable()
    if reason:
        print(f"cannot run: {reason}")
        return 2
    with tempfile.TemporaryDirectory(prefix="i18n-mkdocs-") as tmp:
        work = Path(tmp)
        if argv[:1] == ["--pages"]:  # a folder of pages, in the fixture site's configuration
            site = site_of_pages(Path(argv[1]), work / "source")
        else:
            site = Path(argv[0]) if argv else FIXTURE_SITE
        result, english, _ = judge(site, work)
    print(result.summary())
    for line in english.warnings:
        print(f"  English build: {line}")
    for kind, detail in result.failures().items():
        items = (
            detail.items()
            if isinstance(detail, dict)
            else [(x, "") for x in (detail if isinstance(detail, list) else [detail])]
        )
        for page, what in items:
            print(f"  {kind}: {page} {what}")
    return 1 if result.failures() else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
