"""What ``msgfmt --check`` refuses in a catalog the reader accepts: a byte order mark, a missing header
entry, an invalid ``Plural-Forms``, and format strings (entries flagged ``c-format``, ``python-format`` or
``python-brace-format``) whose msgstr does not match its msgid. The entry-level rules on line breaks at
either end are translation checks (:func:`i18n.checks.spacing_problems`).

Each finding is (line, text); ``i18n check`` reports them as errors naming ``file:line``.
"""

from __future__ import annotations

import re
from collections import Counter

from .model import Catalog, Message

BOM = b"\xef\xbb\xbf"
_PLURAL = re.compile(r"nplurals\s*=\s*[1-9]\d*\s*;\s*plural\s*=\s*[^;]+;?")
_C_FORMAT = re.compile(
    r"%(?:(\d+)\$)?[-+ #0'I]*(?:\d+|\*(?:\d+\$)?)?(?:\.(?:\d+|\*(?:\d+\$)?))?"
    r"(?:hh|h|ll|l|L|q|j|z|Z|t)?([diouxXeEfFgGaAcCsSpn%])"
)
_PYTHON_FORMAT = re.compile(r"%(?:\((\w+)\))?[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlL]?([diouxXeEfFgGcrsa%])")
_BRACE_FORMAT = re.compile(r"\{\{|\}\}|\{([^{}:!]*)(?:![rsa])?(?::[^{}]*)?\}")


def file_problems(data: bytes, catalog: Catalog) -> list[tuple[int, str]]:
    """What msgfmt refuses in the file as a whole (a language's catalog)."""
    found: list[tuple[int, str]] = []
    if data.startswith(BOM):
        found.append((1, "msgfmt: a byte order mark at the start (msgfmt refuses it): save without BOM"))
    if catalog.language is not None and not catalog.header:
        found.append(
            (1, 'msgfmt: no header entry (msgid ""), which msgfmt refuses: `i18n extract` writes it back')
        )
    plural = catalog.header_value("Plural-Forms")
    if plural is not None and not _PLURAL.fullmatch(plural.strip()):
        at = data.find(b"Plural-Forms:")
        line = data.count(b"\n", 0, at) + 1 if at >= 0 else 1
        found.append((line, f"msgfmt: invalid Plural-Forms {plural!r}: `i18n extract` writes the language's"))
    return found


def format_problems(message: Message) -> str:
    """Why msgstr does not match msgid as the format strings its flags say they are ("" if it does)."""
    if not message.msgstr:
        return ""
    found = []
    for flag, specs in (
        ("c-format", _c_specs),
        ("python-format", _python_specs),
        ("python-brace-format", _brace_specs),
    ):
        if flag in message.flags:
            source, translation = specs(message.msgid), specs(message.msgstr)
            if source != translation:
                found.append(f"{flag}: {_shown(source)} in msgid, {_shown(translation)} in msgstr")
    return "; ".join(found)


def _c_specs(text: str) -> Counter[str]:
    specs: Counter[str] = Counter()
    for index, match in enumerate(m for m in _C_FORMAT.finditer(text) if m.group(2) != "%"):
        specs[f"{match.group(1) or index + 1}${_c_type(match.group(2))}"] += 1
    return specs


def _c_type(conversion: str) -> str:
    """Conversions msgfmt takes as one type (``%i`` for ``%d``, ``%X`` for ``%x``, …)."""
    for group in ("di", "ouxX", "eEfFgGaA"):
        if conversion in group:
            return group[0]
    return conversion


def _python_specs(text: str) -> Counter[str]:
    specs: Counter[str] = Counter()
    for index, match in enumerate(m for m in _PYTHON_FORMAT.finditer(text) if m.group(2) != "%"):
        specs[match.group(1) or f"{index + 1}:{_c_type(match.group(2))}"] += 1
    return specs


def _brace_specs(text: str) -> Counter[str]:
    return Counter({m.group(1): 1 for m in _BRACE_FORMAT.finditer(text) if m.group(1) is not None})


def _shown(specs: Counter[str]) -> str:
    return ", ".join(sorted(specs.elements())) or "none"
