"""Importing translations made from older English (``i18n import --source DIR`` / ``--source-rev REV``).

A translation is aligned with the English it was made from, as an import against today's English is.
The aligned pairs then form the catalog that page had back then (each translation for its old English
text, checked against it), and the update rules that ``extract`` applies to every edit carry that catalog
onto today's English (:func:`i18n.catalog.update.update_messages`): an unchanged segment keeps its
translation (imported for review, or *rejected* with the failed check), an edited one takes the closest
old translation as *stale* with the old English as previous msgid (``#|``), and a removed one's becomes
obsolete (``#~``). An edited segment too different for the fuzzy match still takes the old translation of
the segment in its place when the two English pages line up by structure. Only missing and stale entries
of the catalog are filled; reviewed and machine translations are kept.

``content_at`` checks the content folder out of git at a revision, into a temporary folder.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from ..catalog.model import Message, State
from ..catalog.update import fresh_messages, update_messages
from ..checks import check_translation
from ..clock import Clock
from ..config import Config
from ..errors import I18nError
from ..markdown.align import Aligned, align_pages
from ..markdown.page import Page
from ..segments import source_hash
from .catalogs import read_catalog, write_catalog
from .import_report import MIN_ALIGNED, PageImport
from .layout import Source, catalog_path, relative
from .state import SiteState, summarise


def carry_import(
    config: Config,
    state: SiteState,
    language: str,
    source: Source,
    english: Page,
    before: Page,
    translated: Page,
    origin: str,
    clock: Clock,
) -> PageImport:
    """Import ``translated`` (made from the English page ``before``) into the catalog of today's
    ``english`` page (see the module's rules)."""
    ref = source.ref
    alignment = align_pages(before, translated)
    segments = len(before.segments)
    unaligned = tuple(zip(alignment.unaligned, alignment.reasons, strict=True))
    if segments and alignment.ratio < MIN_ALIGNED:
        return PageImport(
            ref, segments, 0, unaligned=unaligned,
            skipped=f"structure does not match its older English ({len(alignment.pairs)}/{segments} "
            "segments aligned)",
        )  # fmt: skip
    then = _catalog_then(before, alignment.pairs, origin, source.location)
    fresh = fresh_messages(english.segments, source.location)
    carried = list(update_messages(then, fresh, threshold=config.fuzzy_threshold))
    _by_structure(carried, len(fresh), english, before)
    path = catalog_path(config, language, ref)
    catalog = read_catalog(path, ref, language)
    messages = list(catalog.messages)
    index = {m.key: n for n, m in enumerate(messages) if not m.obsolete}
    known = {m.key for m in messages}
    imported = kept = stale = obsolete = 0
    rejected: list[tuple[str, str]] = []
    ids = {m.key: segment.id for segment, m in zip(english.segments, fresh, strict=True)}
    for message in carried[: len(fresh)]:
        if not message.msgstr:
            continue
        position = index.get(message.key)
        if position is None:
            continue
        if messages[position].state not in (State.MISSING, State.STALE):
            kept += 1
            continue
        messages[position] = _filled(messages[position], message)
        if message.state is State.STALE:
            stale += 1
        elif message.rejected:
            rejected.append((ids.get(message.key, message.msgid[:40]), message.rejected))
        else:
            imported += 1
    for message in carried[len(fresh) :]:  # obsolete: the English segment is gone
        obsolete += 1
        if message.key not in known:
            messages.append(message)
            known.add(message.key)
    if messages != list(catalog.messages):
        updated = replace(catalog, messages=tuple(messages))
        written = write_catalog(config, updated, source, catalog, clock).catalog
        state.record_catalog(ref, language, written.digest, summarise(written.messages))
    restored = [(pair.segment_id, old, new) for pair in alignment.pairs for old, new in pair.restored]
    return PageImport(
        ref, segments, len(alignment.pairs), imported, kept, tuple(rejected), unaligned, tuple(restored),
        stale=stale, obsolete=obsolete,
    )  # fmt: skip


def _catalog_then(before: Page, pairs: tuple[Aligned, ...], origin: str, location: str) -> list[Message]:
    """The catalog ``before`` would have had with the aligned translations: each for its old English
    text, unreviewed, *rejected* with the reason when it fails a check against that text."""
    segments = {segment.id: segment for segment in before.segments}
    texts = {pair.segment_id: pair.text for pair in pairs}
    result = []
    for segment, message in zip(before.segments, fresh_messages(before.segments, location), strict=True):
        text = texts.get(segment.id)
        if text is None:
            continue  # nothing to carry
        problems = check_translation(segments[segment.id].text, text, segment.kind)
        reason = "; ".join(str(problem) for problem in problems) or None
        result.append(
            replace(
                message,
                msgstr=text,
                fuzzy=True,
                source_hash=source_hash(message.msgid),
                origin=origin,
                rejected=reason,
            )
        )
    return result


def _by_structure(carried: list[Message], count: int, english: Page, before: Page) -> None:
    """Today's segments the update rules left untranslated take, as stale, the obsolete translation of
    the old segment in their place when the two English pages line up by structure."""
    waiting = [n for n in range(count) if not carried[n].msgstr]
    if not waiting or len(carried) == count:
        return
    lined = align_pages(english, before)
    old_text = {pair.segment_id: pair.text for pair in lined.pairs}
    spare = {m.msgid: n for n, m in enumerate(carried) if n >= count and m.obsolete and m.msgstr}
    ids = [segment.id for segment in english.segments]
    taken: set[int] = set()
    for n in waiting:
        found = spare.get(old_text.get(ids[n], ""))
        if found is None or found in taken:
            continue
        taken.add(found)
        old = carried[found]
        carried[n] = replace(
            carried[n],
            msgstr=old.msgstr,
            fuzzy=True,
            previous=old.msgid,
            source_hash=source_hash(old.msgid),
            origin=old.origin,
            rejected=None,
        )
    for found in sorted(taken, reverse=True):
        del carried[found]


def _filled(current: Message, carried: Message) -> Message:
    """``current`` (missing or stale) with the carried translation; a stale entry's own old translation
    stays as a suggestion."""
    kept = list(current.suggestions)
    if current.msgstr and current.msgstr != carried.msgstr and current.msgstr not in kept:
        kept.insert(0, current.msgstr)
    return replace(
        current,
        msgstr=carried.msgstr,
        fuzzy=True,
        previous=carried.previous if carried.state is State.STALE else None,
        source_hash=carried.source_hash,
        origin=carried.origin,
        rejected=carried.rejected,
        glossary=(),
        suggestions=tuple(kept),
        request=None,
    )


@contextmanager
def content_at(config: Config, revision: str) -> Iterator[Path]:
    """The content folder as it was at git ``revision``, checked out into a temporary folder (removed
    on the way out). One clear error when git, the repository or the revision is missing."""
    folder = config.content_dir
    shown = relative(config, folder)
    git = shutil.which("git")
    if git is None:
        raise I18nError("--source-rev needs git, which is not installed")
    top = _git(git, folder, "rev-parse", "--show-toplevel", what=f"{shown} is not in a git repository")
    top_folder = Path(top.strip()).resolve()
    inside = folder.resolve().relative_to(top_folder).as_posix()
    with tempfile.TemporaryDirectory(prefix="i18n-source-") as temporary:
        archive = Path(temporary) / "content.tar"
        _git(
            git, top_folder, "archive", "--format=tar", f"--output={archive}", revision, "--", inside or ".",
            what=f"no {shown} at git revision {revision!r}",
        )  # fmt: skip
        target = Path(temporary) / "tree"
        with tarfile.open(archive) as tar:
            if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later: refuse odd members
                tar.extractall(target, filter="data")
            else:  # pragma: no cover - git archive writes plain files and folders
                tar.extractall(target)
        yield target / inside


def _git(git: str, cwd: Path, *args: str, what: str) -> str:
    try:
        done = subprocess.run([git, *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise I18nError(f"{what} (git: {exc})") from None
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or [""])[-1]
        raise I18nError(f"{what}{f' (git: {detail})' if detail else ''}")
    return done.stdout
