"""What an MkDocs site's ``mkdocs.yml`` says that decides URLs and ids made from translated text.

- **Blog posts** (Material's blog plugin, ``plugins: [blog]``): a post's URL is made from its *title*
  (``post_url_format`` ``{date}/{slug}``, the slug by ``post_slugify``), so a translated title would move
  the post. A translated post gets ``slug:`` (the English title's slug, as the plugin's default
  ``pymdownx.slugs.slugify(case="lower")`` makes it) in its frontmatter unless the source sets one. Posts
  are the pages under ``<docs_dir>/<post_dir>`` (defaults ``docs`` and ``{blog}/posts``, ``{blog}`` being
  ``blog_dir``, default ``blog``).
- **Content tabs with slugs** (``pymdownx.tabbed`` with a ``slugify`` option): a tab's id is made from its
  label, and no syntax pins it, so tab labels are not translated on such a site.

``mkdocs.yml`` is read with YAML's safe loader, its ``!!python/…`` tags read as opaque values.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
_TAGS = re.compile(r"</?[^>]*>")
_NOT_SLUG = re.compile(r"[^\w\- ]")
_H1 = re.compile(r"^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_FENCE = re.compile(r"^[ \t]*(```|~~~)", re.MULTILINE)
_FRONTMATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_SLUG_KEY = re.compile(r"^slug[ \t]*:", re.MULTILINE)
_TITLE_KEY = re.compile(r"^title[ \t]*:", re.MULTILINE)


class MkDocsSite(NamedTuple):
    """The settings of an MkDocs site that pin URLs and ids (paths relative to the project root)."""

    posts: str | None = None  # the blog's posts folder ("docs/blog/posts/"), None without the blog plugin
    tab_slugs: bool = False  # pymdownx.tabbed makes tab ids from labels (its ``slugify`` option)


class _Loader(yaml.SafeLoader):
    """The safe loader, with ``!!python/name:…`` and other tags read as their plain node values."""


def _any_tag(loader: _Loader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_multi_constructor("!", _any_tag)
_Loader.add_multi_constructor("tag:", _any_tag)


def _named(entries: object) -> dict[str, Any]:
    """``plugins`` / ``markdown_extensions`` (a list of names or one-key mappings, or a mapping): name →
    options."""
    found: dict[str, Any] = {}
    items = entries.items() if isinstance(entries, dict) else []
    if isinstance(entries, list):
        items = []
        for entry in entries:
            if isinstance(entry, str):
                items.append((entry, {}))
            elif isinstance(entry, dict):
                items.extend(entry.items())
    for name, options in items:
        found[str(name)] = options if isinstance(options, dict) else {}
    return found


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
    try:
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(data, dict):
        return None
    plugins = _named(data.get("plugins"))
    blog = plugins.get("blog", plugins.get("material/blog"))
    posts = None
    if blog is not None and blog.get("enabled", True) is not False:
        blog_dir = str(blog.get("blog_dir", "blog")).strip("/")
        post_dir = str(blog.get("post_dir", "{blog}/posts")).replace("{blog}", blog_dir).strip("/")
        docs = (path.parent / str(data.get("docs_dir", "docs")) / post_dir).resolve()
        try:
            posts = docs.relative_to(root.resolve()).as_posix().rstrip("/") + "/"
        except ValueError:
            posts = None
    tabbed = _named(data.get("markdown_extensions")).get("pymdownx.tabbed", {})
    return MkDocsSite(posts, bool(tabbed.get("slugify")))


def post_slug(title: str) -> str:
    """A post title's slug as the blog plugin's default ``post_slugify`` makes it
    (``pymdownx.slugs.slugify(case="lower")``, separator ``-``)."""
    slug = _TAGS.sub("", unicodedata.normalize("NFC", html.unescape(title))).strip().lower()
    return _NOT_SLUG.sub("", slug).replace(" ", "-")


def post_title(source: str, frontmatter_title: str | None, plain: Any) -> str | None:
    """A post's English title: its frontmatter ``title``, else its first ``# heading`` (``plain``: inline
    markdown → plain text), without an attribute list."""
    if frontmatter_title:
        return frontmatter_title
    body = source[_FRONTMATTER.match(source).end() :] if _FRONTMATTER.match(source) else source  # type: ignore[union-attr]
    fence = _FENCE.search(body)
    match = _H1.search(body, 0)
    if match is None or (fence is not None and fence.start() < match.start()):
        return None
    from .mkdocs import HEADING_ATTRIBUTES

    text = match.group(1)
    attributes = HEADING_ATTRIBUTES.search(text)
    text = text[: attributes.start()] if attributes else text
    result: str = plain(text)
    return result


def pin_slug(source: str, rendered: str, slug: str) -> str:
    """``rendered`` (a translated post) with ``slug: <slug>`` added to its frontmatter, unless the source
    sets a slug or has no YAML frontmatter."""
    match = _FRONTMATTER.match(rendered)
    if match is None or _SLUG_KEY.search(match.group(1) or "") or rendered == source:
        return rendered
    newline = "\r\n" if "\r\n" in match.group() else "\n"
    value = slug if re.fullmatch(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+", slug) else json.dumps(slug)
    end = match.end(1) if match.group(1) is not None else rendered.index("\n") + 1
    return rendered[:end] + f"slug: {value}{newline}" + rendered[end:]


def has_title_key(source: str) -> bool:
    match = _FRONTMATTER.match(source)
    return bool(match and _TITLE_KEY.search(match.group(1) or ""))
