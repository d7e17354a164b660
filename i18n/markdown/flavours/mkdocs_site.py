"""What an MkDocs site's ``mkdocs.yml`` says that decides URLs and ids made from translated text.

- **Blog posts** (Material's blog plugin, ``plugins: [blog]``): a post's URL is made from its *title*
  (``post_url_format`` ``{date}/{slug}``, the slug by ``post_slugify``), so a translated title would move
  the post. A translated post gets ``slug:`` (the English title's slug, as the plugin's default
  ``pymdownx.slugs.slugify(case="lower")`` makes it) in its frontmatter unless the source sets one. Posts
  are the pages under ``<docs_dir>/<post_dir>`` (defaults ``docs`` and ``{blog}/posts``, ``{blog}`` being
  ``blog_dir``, default ``blog``).
- **Heading ids**: with ``toc``'s ``slugify: pymdownx.slugs.slugify`` (Material's own docs), headings are
  slugged as that function does (Unicode kept, each space a ``-``): the flavour ``mkdocs@slugify=<case>``.
- **Content tabs with slugs** (``pymdownx.tabbed`` with a ``slugify`` option): a tab's id is made from its
  label, and no syntax pins it, so tab labels are not translated on such a site.

``mkdocs.yml`` is scanned line by line for these few keys (its ``!!python/…`` tags need no loader).
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from .site import SitePins

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
_DOCS_DIR = re.compile(r"^docs_dir:\s*['\"]?([^'\"\s#]+)", re.MULTILINE)
_TAGS = re.compile(r"</?[^>]*>")
_NOT_SLUG = re.compile(r"[^\w\- ]")
_H1 = re.compile(r"^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_FENCE = re.compile(r"^[ \t]*(```|~~~)", re.MULTILINE)
_FRONTMATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_SLUG_KEY = re.compile(r"^slug[ \t]*:", re.MULTILINE)
_TOML_FRONTMATTER = re.compile(r"\A\ufeff?\+\+\+[ \t]*\r?\n(.*?\r?\n)?\+\+\+[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_TOML_SLUG_KEY = re.compile(r"^slug[ \t]*=", re.MULTILINE)
_TITLE_KEY = re.compile(r"^title[ \t]*:", re.MULTILINE)


class MkDocsSite(NamedTuple):
    """The settings of an MkDocs site that pin URLs and ids (paths relative to the project root)."""

    posts: str | None = None  # the blog's posts folder ("docs/blog/posts/"), None without the blog plugin
    tab_slugs: bool = False  # pymdownx.tabbed makes tab ids from labels (its ``slugify`` option)
    toc_slugify: str | None = None  # toc's ``slugify`` is pymdownx.slugs.slugify(case=…): the case

    def variant(self) -> str:
        """``mkdocs@slugify=<case>`` when toc slugs as pymdownx.slugs.slugify does."""
        return f"slugify={self.toc_slugify}" if self.toc_slugify else ""

    def pins(self, location: str) -> SitePins:
        """Tab labels when tab ids are made from them; a blog post's URL."""
        post = self.posts is not None and location.startswith(self.posts)
        return SitePins(tab_labels=self.tab_slugs, post_slug=post)


def read_mkdocs_site(folders: Sequence[Path], root: Path, content_dir: Path) -> MkDocsSite | None:
    """The flavour entry's ``site`` reader: the first ``mkdocs.yml`` found in ``folders``."""
    return next((found for folder in folders if (found := read_site(folder, root)) is not None), None)


def configured_docs_dir(root: Path) -> str | None:
    """The content folder ``root``'s ``mkdocs.yml`` names (``docs_dir``), if it names one."""
    for name in CONFIG_NAMES:
        try:
            found = _DOCS_DIR.search((root / name).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        if found:
            return found.group(1).rstrip("/")
    return None


def _section(lines: list[str], key: str) -> list[str]:
    """The lines of the top-level ``key:`` section (up to the next top-level key)."""
    for index, line in enumerate(lines):
        if re.match(rf"{re.escape(key)}[ \t]*:", line):
            found = []
            for inner in lines[index + 1 :]:
                if inner.strip() and not inner[0].isspace() and not inner.startswith("-"):
                    break
                found.append(inner)
            return found
    return []


def _entry(lines: list[str], names: tuple[str, ...]) -> dict[str, str] | None:
    """In a ``plugins``/``markdown_extensions`` section (a list or a mapping): the options of the entry
    called one of ``names`` (``key: value`` lines indented under it), or None when it is not there."""
    pattern = re.compile(
        r"^([ \t]*)(?:-[ \t]+)?(['\"]?)(" + "|".join(map(re.escape, names)) + r")\2[ \t]*(:?)"
    )
    for index, line in enumerate(lines):
        match = pattern.match(line)
        if match is None or line[match.end() :].strip() not in ("", "{}"):
            continue
        indent = len(match.group(1))
        options: dict[str, str] = {}
        for inner in lines[index + 1 :]:
            if not inner.strip() or inner.lstrip().startswith("#"):
                continue
            depth = len(inner) - len(inner.lstrip())
            if depth <= indent or (depth == indent + 2 and inner.lstrip().startswith("- ")):
                break
            option = re.match(r"[ \t]*([\w-]+)[ \t]*:[ \t]*(.*?)[ \t]*$", inner)
            if option:
                options.setdefault(option.group(1), option.group(2).strip("'\""))
        return options
    return None


def read_site(folder: Path, root: Path) -> MkDocsSite | None:
    """The site configured by ``mkdocs.yml`` in ``folder`` (None when there is none or it cannot be
    read: then nothing is pinned)."""
    for name in CONFIG_NAMES:
        path = folder / name
        if path.is_file():
            stat = path.stat()
            return _read(path, root, stat.st_mtime_ns, stat.st_size)
    return None


@lru_cache(maxsize=8)
def _read(path: Path, root: Path, _mtime: int, _size: int) -> MkDocsSite | None:
    """A line scan of the keys that matter (no YAML parser: a no-op run loads none), enough for
    ``mkdocs.yml`` as written by hand: ``docs_dir``, the ``blog`` plugin's ``enabled``/``blog_dir``/
    ``post_dir``, ``pymdownx.tabbed``'s ``slugify``."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    docs_dir = next(
        (
            m.group(1)
            for line in lines
            if (m := re.match(r"docs_dir[ \t]*:[ \t]*['\"]?([^'\"#]+?)['\"]?[ \t]*(?:#.*)?$", line))
        ),
        "docs",
    )
    blog = _entry(_section(lines, "plugins"), ("blog", "material/blog"))
    posts = None
    if blog is not None and blog.get("enabled", "true").lower() not in ("false", "no", "off"):
        blog_dir = blog.get("blog_dir", "blog").strip("/")
        post_dir = blog.get("post_dir", "{blog}/posts").replace("{blog}", blog_dir).strip("/")
        folder = (path.parent / docs_dir / post_dir).resolve()
        try:
            posts = folder.relative_to(root.resolve()).as_posix().rstrip("/") + "/"
        except ValueError:
            posts = None
    extensions = _section(lines, "markdown_extensions")
    tabbed = _entry(extensions, ("pymdownx.tabbed",))
    toc = _entry(extensions, ("toc",)) or {}
    toc_slugify = None
    slugify = toc.get("slugify", "")
    if "pymdownx.slugs.slugify" in slugify and "percent_encode: true" not in slugify:
        inline = re.search(r"case[ \t]*:[ \t]*['\"]?([\w-]+)", slugify)  # a flow mapping `{kwds: {case: …}}`
        toc_slugify = toc.get("case") or (inline.group(1) if inline else "none")
    return MkDocsSite(posts, tabbed is not None and "slugify" in tabbed, toc_slugify)


def post_slug(title: str) -> str:
    """A post title's slug as the blog plugin's default ``post_slugify`` makes it
    (``pymdownx.slugs.slugify(case="lower")``, separator ``-``)."""
    slug = _TAGS.sub("", unicodedata.normalize("NFC", html.unescape(title))).strip().lower()
    return _NOT_SLUG.sub("", slug).replace(" ", "-")


def post_title(
    source: str, frontmatter_title: str | None, plain: Any, attributes: re.Pattern[str] | None
) -> str | None:
    """A post's English title: its frontmatter ``title``, else its first ``# heading`` (``plain``: inline
    markdown → plain text), without an attribute list (``attributes``: the flavour's ``heading_id``)."""
    if frontmatter_title:
        return frontmatter_title
    body = source[_FRONTMATTER.match(source).end() :] if _FRONTMATTER.match(source) else source  # type: ignore[union-attr]
    fence = _FENCE.search(body)
    match = _H1.search(body, 0)
    if match is None or (fence is not None and fence.start() < match.start()):
        return None
    text = match.group(1)
    found = attributes.search(text) if attributes is not None else None
    text = text[: found.start()] if found else text
    result: str = plain(text)
    return result


_TAB_LABEL = re.compile(r"(?:^|/)tab[0-9]+/title[0-9]+$")
_BLOCK_TITLE = re.compile(r"(?:^|/)block[0-9]+/title[0-9]*$")
_TAB_BLOCK = re.compile(r"[ \t>]*/{3,}[ \t]*tab[ \t]*\|")


def maybe_tab_label(segment_id: str) -> bool:
    """Whether the segment ``segment_id`` may be a tab's label (a tab's or a ``///`` block's title)."""
    return bool(_TAB_LABEL.search(segment_id) or _BLOCK_TITLE.search(segment_id))


def tab_label(segment_id: str, line: str) -> bool:
    """Whether the segment ``segment_id``, on source ``line``, is a tab's label: ``=== "Label"``, or
    ``/// tab | Label`` (whose ids pymdownx.tabbed makes from the label)."""
    if _TAB_LABEL.search(segment_id):
        return True
    return bool(_BLOCK_TITLE.search(segment_id)) and _TAB_BLOCK.match(line) is not None


def pin_slug(source: str, rendered: str, slug: str) -> str:
    """``rendered`` (a translated page) with ``slug: <slug>`` (TOML: ``slug = "<slug>"``) added to its
    frontmatter, unless the source sets a slug or has no YAML or TOML frontmatter."""
    match = _FRONTMATTER.match(rendered)
    toml = match is None
    if toml:
        match = _TOML_FRONTMATTER.match(rendered)
    if match is None or rendered == source:
        return rendered
    if (_TOML_SLUG_KEY if toml else _SLUG_KEY).search(match.group(1) or ""):
        return rendered
    newline = "\r\n" if "\r\n" in match.group() else "\n"
    plain = not toml and re.fullmatch(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+", slug)
    value = slug if plain else json.dumps(slug, ensure_ascii=False)
    end = match.end(1) if match.group(1) is not None else rendered.index("\n") + 1
    line = f"slug = {value}" if toml else f"slug: {value}"
    return rendered[:end] + line + newline + rendered[end:]


def has_title_key(source: str) -> bool:
    match = _FRONTMATTER.match(source)
    return bool(match and _TITLE_KEY.search(match.group(1) or ""))
