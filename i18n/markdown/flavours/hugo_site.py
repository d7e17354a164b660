"""What a Hugo site's configuration says that decides URLs made from translated text.

- **Permalinks with** ``:slug``: Hugo takes such a page's URL from its ``slug``, and without one from its
  *title*, so a translated title would move the page. A translated page in such a section gets ``slug``
  = the English title in its frontmatter unless the source sets one: Hugo makes the same URL from it as
  from the English title. The sections are the keys of ``[permalinks]`` (``posts = "/:year/:slug/"``) and
  of ``[permalinks.page]`` (Hugo 0.120 on) whose pattern holds ``:slug``.
- ``:title`` and ``:slugorfilename``-less patterns made from the title alone need ``url``, which would
  pin more than the URL: not pinned (the README says so).

Read from ``hugo.toml``/``hugo.yaml``/``hugo.yml``/``hugo.json`` (or ``config.*``) next to the site.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from .site import SitePins

CONFIG_NAMES = (
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
)


class HugoSite(NamedTuple):
    """The settings of a Hugo site that pin URLs: the folders whose pages' URLs are made with ``:slug``."""

    slugged: tuple[str, ...]

    def variant(self) -> str:
        return ""

    def pins(self, location: str) -> SitePins:
        return SitePins(title_slug=location.startswith(self.slugged))


def read_hugo_site(folders: Sequence[Path], root: Path, content_dir: Path) -> HugoSite | None:
    """The flavour entry's ``site`` reader: the ``:slug`` sections of the first configuration that has
    any (None: nothing pinned)."""
    found = next((s for folder in folders if (s := slug_sections(folder, root, content_dir))), ())
    return HugoSite(found) if found else None


def slug_sections(folder: Path, root: Path, content_dir: Path) -> tuple[str, ...]:
    """The folders (relative to ``root``, each ending in ``/``) of the content sections whose page URLs
    Hugo makes with ``:slug``, as configured in ``folder`` (none when there is no configuration or it
    cannot be read)."""
    for name in CONFIG_NAMES:
        path = folder / name
        if path.is_file():
            stat = path.stat()
            return _read(path, root, content_dir, stat.st_mtime_ns, stat.st_size)
    return ()


@lru_cache(maxsize=8)
def _read(path: Path, root: Path, content_dir: Path, _mtime: int, _size: int) -> tuple[str, ...]:
    try:
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix == ".toml":
            data: Any = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, ValueError, tomllib.TOMLDecodeError):
        return ()
    except Exception:  # yaml's errors: the site's configuration is the site's business
        return ()
    permalinks = data.get("permalinks") if isinstance(data, dict) else None
    if not isinstance(permalinks, dict):
        return ()
    patterns = {k: v for k, v in permalinks.items() if isinstance(v, str)}
    page = permalinks.get("page")
    if isinstance(page, dict):
        patterns.update({k: v for k, v in page.items() if isinstance(v, str)})
    try:
        base = content_dir.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return ()
    prefix = "" if base == "." else base.rstrip("/") + "/"
    return tuple(
        sorted(
            f"{prefix}{section.strip('/')}/" for section, pattern in patterns.items() if ":slug" in pattern
        )
    )
