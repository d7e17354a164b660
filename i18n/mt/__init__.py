"""Machine translation: inline markdown as XML the engines cannot break (:mod:`.xmlmarkup`), the glossary
(:mod:`.glossary`), translation memory (:mod:`.memory`), planning into request batches (:mod:`.plan`),
sending them (:mod:`.execute`) and the engines (:mod:`.engine`, :mod:`.deepl`, :mod:`.openai` with
:mod:`.prompt` and :mod:`.tokens`, :mod:`.pseudo`). Engines load their clients only when a text is sent;
:func:`planning` says what the jobs need to know of an engine before it is made (dry runs make none)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

from ..errors import ConfigError
from .engine import Prices
from .registry import COST, engine_entry, engine_names, unbilled

if TYPE_CHECKING:
    from ..config import Config
    from .engine import Engine
    from .execute import Request
    from .glossary import Glossary

ENGINES = engine_names()
UNBILLED = unbilled()  # engines without an account: what they are sent is not billed


class RequestSize(Protocol):
    """The size of a request carrying ``texts`` (and ``context``), as an engine measures it (bytes for
    DeepL, estimated answer tokens for a chat model)."""

    def __call__(self, texts: Sequence[str], source: str, target: str, *, context: str = "") -> int: ...


RequestKey = Callable[[str, str], str]  # (source text, language) -> what a translation records as asked


class Estimate(NamedTuple):
    """What a chat request is expected to use: tokens, and the cost when prices are known."""

    prompt_tokens: int
    completion_tokens: int
    cost: float | None


class Planning(NamedTuple):
    """An engine as the planner sees it: how a request is measured (``size``) and the limits of a batch;
    whether texts travel with their context; the request key a translation records (None: none) and the
    model; how a request's tokens are estimated (None: the engine bills characters)."""

    size: RequestSize
    max_texts: int
    max_size: int
    context: bool = False
    key: RequestKey | None = None
    model: str | None = None
    estimate: Callable[[Request], Estimate] | None = None
    counting: Callable[[], str] | None = None  # how tokens are estimated (tiktoken or the ratio)
    name: str = "engine"  # the engine's name: the origin its translations record
    max_requests: Callable[[int], int] | None = None  # the most requests a batch of n texts makes (None: 1)
    probes: int = 0  # requests a run may spend besides its batches' (a chat server refusing a format)


def engine_settings(config: Config, name: str) -> object:
    """The checked ``[tool.i18n.<name>]`` table of the engine ``name`` (an error when it is not given)."""
    settings = config.settings_for(name)
    if settings is None:
        hint = engine_entry(name).settings_module().TABLE_HINT
        message = f"[tool.i18n.{name}]" + (f" {hint}" if hint else "") + f" is needed for the {name} engine"
        raise ConfigError(message, path=config.root / "pyproject.toml")
    return settings


def engine_prices(config: Config, name: str) -> Prices | None:
    """The token prices of an engine billing money (``unit = COST``), None when not configured."""
    if engine_entry(name).unit != COST:
        return None
    prices = getattr(config.settings_for(name), "prices", None)
    return prices if isinstance(prices, Prices) else None


def make_engine(name: str, config: Config) -> Engine:
    """The engine called ``name`` (its entry in :mod:`.registry`; keys are read from the environment)."""
    return engine_entry(name).load().make(config)


def planning(name: str, config: Config, glossary: Glossary) -> Planning:
    """What planning needs to know of the engine ``name`` (see :class:`Planning`)."""
    return engine_entry(name).load().plan(config, glossary)
