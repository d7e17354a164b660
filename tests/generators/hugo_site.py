"""Hugo as the judge of a translated page: build a site with the real `hugo` and fingerprint its HTML.

Self-contained (standard library only): where the pinned Hugo is (``tests/generators/hugo/install.sh``),
one build of a site with a given content folder (its log's ERROR/WARN lines), and a fingerprint of every
built page that a translation must not change — the page's URL, the multiset of its ``href``/``src`` values,
its ``id`` values in order, and how many of each element it has. Text is left out: it is what changes.

A heading holding a ``{{< shortcode >}}`` gets an id from Hugo's placeholder for it,
``…-hahahugoshortcode9s4hbhb``: its first number counts across the whole build (it differs between two
builds of the same page), so it is left out of the comparison.

A definition term's id (goldmark's ``autoDefinitionTermID``) is made from the term's text and no syntax
pins it: a translated term may change its id unless a link of the site points to it (then it must stay).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

PIN = re.search(r'^PIN="([^"]+)"', (Path(__file__).parent / "hugo" / "install.sh").read_text(), re.M)
SITE = Path(__file__).parent / "hugo" / "site"
_PLACEHOLDER_ID = re.compile(r"(hahahugoshortcode)\d+(?=s\d+hbhb)")
_LOG_LINE = re.compile(r"^(ERROR|WARN)\b.*$", re.M)


_SHORTCODE_NAME = re.compile(r"\{\{[<%]\s*([A-Za-z][\w-]*)")
_LENIENT_LINK = """\
{{- /* Glossary links as the Hugo docs make them, without their glossary: the key becomes the href. */ -}}
{{- if eq .Destination "g" -}}<a href="/glossary/{{ .PlainText | lower | urlize }}/">{{ .Text }}</a>
{{- else -}}<a href="{{ .Destination | safeURL }}">{{ .Text }}</a>{{- end -}}
"""
_STUB = """\
{{- /* A stand-in for the real site's shortcode: every param as data, the body as it comes. */ -}}
<div class="shortcode-%s">{{ range .Params }}<span data-param="{{ . }}"></span>{{ end }}%s</div>
"""
_CLOSED = re.compile(r"\{\{[<%]\s*/\s*([A-Za-z][\w-]*)|\{\{[<%]\s*([A-Za-z][\w-]*)[^{}]*/[>%]\}\}")


def stub_site(site: Path, pages: list[Path]) -> None:
    """Make ``site`` build pages of another Hugo site: a stand-in for each shortcode they call (params kept
    as data attributes, so a changed param shows) and glossary links that need no glossary pages."""
    (site / "layouts" / "_markup" / "render-link.html").write_text(_LENIENT_LINK, encoding="utf-8")
    texts = [page.read_text(encoding="utf-8") for page in pages]
    names = {name for text in texts for name in _SHORTCODE_NAME.findall(text)}
    # Hugo wants a closing tag exactly when the template reads .Inner: read it where the pages close one
    closed = {a or b for text in texts for a, b in _CLOSED.findall(text)}
    for name in sorted(names):
        stub = _STUB % (name, "{{ .Inner }}" if name in closed else "")
        (site / "layouts" / "_shortcodes" / f"{name}.html").write_text(stub, encoding="utf-8")


def generators_dir() -> Path:
    default = Path(os.environ.get("HOME", "/root")) / ".cache" / "i18n-generators"
    return Path(os.environ.get("I18N_GENERATORS_DIR") or default)


def hugo_binary() -> Path | None:
    """The pinned Hugo installed by ``install.sh``, or None (also when another version is there)."""
    folder = generators_dir() / "hugo"
    binary = folder / "bin" / "hugo"
    pinned = (folder / "pin").read_text().strip() if (folder / "pin").is_file() else None
    if not binary.exists() or PIN is None or pinned != PIN.group(1):
        return None
    return binary


def missing_reason() -> str:
    return f"Hugo {PIN.group(1) if PIN else '?'} not installed: run tests/generators/hugo/install.sh"


@dataclass
class Built:
    """One build: its log's ERROR/WARN lines and the fingerprint of each page, by URL."""

    problems: list[str]
    pages: dict[str, PageFingerprint] = field(default_factory=dict)


@dataclass
class PageFingerprint:
    hrefs: Counter[str] = field(default_factory=Counter)
    srcs: Counter[str] = field(default_factory=Counter)
    ids: list[str] = field(default_factory=list)  # every id but a definition term's, in order
    term_ids: list[str] = field(default_factory=list)
    elements: Counter[str] = field(default_factory=Counter)


class _Scan(HTMLParser):
    def __init__(self, page: PageFingerprint) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.elements[tag] += 1
        for name, value in attrs:
            if name == "href" and value is not None:
                self.page.hrefs[value] += 1
            elif name == "src" and value is not None:
                self.page.srcs[value] += 1
            elif name == "id" and value is not None:
                value = _PLACEHOLDER_ID.sub(r"\1", value)
                (self.page.term_ids if tag == "dt" else self.page.ids).append(value)

    handle_startendtag = handle_starttag


def fingerprint(public: Path) -> dict[str, PageFingerprint]:
    """Every HTML page under ``public``, by its URL path."""
    pages: dict[str, PageFingerprint] = {}
    for path in sorted(public.rglob("*.html")):
        url = "/" + path.relative_to(public).as_posix().removesuffix("index.html")
        page = PageFingerprint()
        scan = _Scan(page)
        scan.feed(path.read_text(encoding="utf-8"))
        scan.close()
        pages[url] = page
    return pages


def build(binary: Path, site: Path, content: Path, public: Path) -> Built:
    """``hugo build`` of ``site`` with its pages from ``content`` into ``public``."""
    if public.exists():
        shutil.rmtree(public)
    result = subprocess.run(
        [
            str(binary),
            "build",
            "--source",
            str(site),
            "--contentDir",
            str(content),
            "--destination",
            str(public),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, "HUGO_CACHEDIR": str(public.parent / "hugo-cache")},
    )
    log = (result.stdout + result.stderr).replace(str(content), "<content>").replace(str(site), "<site>")
    problems = [match.group() for match in _LOG_LINE.finditer(log)]
    if result.returncode != 0 and not problems:
        problems = [f"hugo exited {result.returncode}: {log.strip()[-500:]}"]
    return Built(problems, fingerprint(public) if public.exists() else {})


def _linked(pages: dict[str, PageFingerprint]) -> set[tuple[str, str]]:
    """(page URL, id) of every same-site link with a fragment: ``#x`` on its page, ``/a/b/#x`` to another."""
    linked: set[tuple[str, str]] = set()
    for url, page in pages.items():
        for href in page.hrefs:
            path, hash_, fragment = href.partition("#")
            if hash_ and fragment and "://" not in path and not path.startswith(("mailto:", "tel:")):
                linked.add((path or url, fragment))
    return linked


def differences(english: Built, translated: Built) -> list[str]:
    """What the translated build changed that a translation must not: one line each (empty: none)."""
    found = [
        f"new in the translated build's log: {line}"
        for line in translated.problems
        if line not in english.problems
    ]
    for url in sorted(english.pages.keys() - translated.pages.keys()):
        found.append(f"{url}: page missing from the translated build")
    for url in sorted(translated.pages.keys() - english.pages.keys()):
        found.append(f"{url}: page only in the translated build")
    for url in sorted(english.pages.keys() & translated.pages.keys()):
        before, after = english.pages[url], translated.pages[url]
        for name in ("hrefs", "srcs", "elements"):
            old, new = getattr(before, name), getattr(after, name)
            if old != new:
                found.append(f"{url}: {name} differ: lost {dict(old - new)}, gained {dict(new - old)}")
        if before.ids != after.ids:
            lost = [i for i in before.ids if i not in after.ids]
            gained = [i for i in after.ids if i not in before.ids]
            found.append(f"{url}: ids differ: lost {lost}, gained {gained}")
    for url, fragment in sorted(_linked(english.pages)):
        before_page, after_page = english.pages.get(url), translated.pages.get(url)
        if before_page is None or after_page is None or fragment not in before_page.term_ids:
            continue
        if fragment not in after_page.term_ids:
            found.append(f"{url}: a link points to term id {fragment!r}, gone from the translated build")
    return found
