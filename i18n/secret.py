"""API keys: the forms in which one could show, and keeping them out of every output and file.

A key comes from the environment only (``$DEEPL_AUTH_KEY``, ``$OPENAI_API_KEY``). It must never be
echoed, whatever holds it by mistake: another variable (``DEEPL_SERVER_URL=<key>``, swapped), a setting
in ``pyproject.toml``, or a server's answer. :func:`secret_forms` gives every form the key could take in
text (as is, escaped as in a repr or JSON, URL-encoded, XML-escaped, without DeepL's ``:fx``);
:func:`scrub` replaces them; :func:`check_settings` refuses a setting or variable that holds a key.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import quote, quote_plus

from .errors import ConfigError
from .mt.registry import key_variables

KEY_VARIABLES = tuple(key_variables().values())  # every registered engine's
SETTING_VARIABLES = ("DEEPL_SERVER_URL", "OPENAI_BASE_URL", "GITHUB_SHA")  # read, shown or written
MIN_LENGTH = 4  # shorter forms are not looked for (they would match ordinary words)
HIDDEN = "***"


def secret_forms(key: str) -> tuple[str, ...]:
    """Every form in which ``key`` (and the key without its ``:fx`` suffix) could reach a message: as it
    is, escaped as in a repr or JSON, URL-encoded, XML-escaped; longest first."""
    forms: set[str] = set()
    for secret in {key, key.strip(), key.removesuffix(":fx"), key.strip().removesuffix(":fx")}:
        forms |= {
            secret,
            repr(secret)[1:-1],
            json.dumps(secret)[1:-1],
            secret.encode("unicode_escape").decode("ascii"),
            quote(secret, safe=""),
            quote_plus(secret, safe=""),
            quote(secret),
            html.escape(secret),
        }
    return tuple(sorted((f for f in forms if len(f.strip()) >= MIN_LENGTH), key=len, reverse=True))


def environment_secrets(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The forms of every key in the environment (``$DEEPL_AUTH_KEY``, ``$OPENAI_API_KEY``)."""
    env = os.environ if environ is None else environ
    forms: set[str] = set()
    for variable in KEY_VARIABLES:
        forms |= set(secret_forms(env.get(variable) or ""))
    return tuple(sorted(forms, key=len, reverse=True))


def scrub(text: str, secrets: Sequence[str]) -> str:
    """``text`` with every one of ``secrets`` replaced by ``***`` (longest first)."""
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
    return text


def holds_secret(text: str, secrets: Sequence[str]) -> bool:
    """Whether ``text`` holds one of ``secrets``, also once XML/HTML character references are read (an
    answer's ``&#75;…`` is decoded before it is stored)."""
    if not secrets or not text:
        return False
    unescaped = html.unescape(text) if "&" in text else text
    return any(secret in text or secret in unescaped for secret in secrets)


def clean(text: str, secrets: Sequence[str]) -> str:
    """``text`` scrubbed; empty when a key would still show once its character references are read."""
    scrubbed = scrub(text, secrets)
    return "" if holds_secret(scrubbed, secrets) else scrubbed


def check_settings(pyproject: Path | None, environ: Mapping[str, str] | None = None) -> None:
    """A ``ConfigError`` when a variable the pipeline reads (other than the key's own) or a line of
    ``pyproject`` holds the value of a key: it would be shown in a message or written to a file. The
    error names the variable or the file and line, never the value."""
    env = os.environ if environ is None else environ
    keys = [(variable, secret_forms(env.get(variable) or "")) for variable in KEY_VARIABLES]
    keys = [(variable, forms) for variable, forms in keys if forms]
    if not keys:
        return
    for name in (*SETTING_VARIABLES, *KEY_VARIABLES):
        value = env.get(name) or ""
        for variable, forms in keys:
            if name != variable and name not in KEY_VARIABLES and holds_secret(value, forms):
                raise ConfigError(
                    f"${name} holds the value of ${variable} (swapped by mistake?): set {name} to "
                    f"its own value; the key belongs in ${variable} only"
                )
    if pyproject is None:
        return
    try:
        text = pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return  # the configuration was read a moment ago; an error here is reported where it matters
    for number, line in enumerate(text.splitlines(), 1):
        for variable, forms in keys:
            if holds_secret(line, forms):
                raise ConfigError(
                    f"holds the value of ${variable}: an API key belongs in the environment only, never "
                    "in a file; remove it from this line",
                    path=pyproject,
                    line=number,
                )
