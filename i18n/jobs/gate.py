"""The spend gate: what a translation run may spend before it stops, for every engine that bills.

- An engine billing money (its registry entry's ``unit``: ``openai``) with prices (``[tool.i18n.openai]
  prices``) is gated in money:
  ``--max-cost``, else ``max_cost`` in ``[tool.i18n]``, else :data:`DEFAULT_MAX_COST`.
- DeepL is gated in characters: ``--max-characters``, else ``max_characters``, else the account's
  remaining quota (its usage, read when the engine is made: the first request never gets a 456).
- An engine that bills nothing (``pseudo``), or a chat model without prices (its cost is unknown: a local
  server, say), has no gate.

The gate is stated in every dry run and summary (:meth:`Gate.describe`); a run that reaches it stops
with every translation received saved, and says which gate it was and how to raise it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config
from ..errors import ConfigError
from ..mt import engine_prices
from ..mt.engine import Usage
from ..mt.registry import CHARACTERS, COST, engine_entry, priced_engines

DEFAULT_MAX_COST = 0.10  # money (the prices' currency) a chat model may spend when nothing is configured
QUOTA = "the account's remaining quota"


@dataclass
class Gate:
    """A run's budget: ``limit`` in ``unit`` (None: not known yet, or none), and where it comes from."""

    unit: str  # COST or CHARACTERS
    limit: float | None
    origin: str  # "--max-cost", "max_cost in pyproject.toml", "the default", QUOTA, …
    read: bool = False  # the account's usage was read (QUOTA)

    def from_usage(self, usage: Usage | None) -> None:
        """The account's remaining quota, when the limit is to come from it."""
        if self.origin != QUOTA:
            return
        self.read = True
        if usage is not None and usage.limit is not None:
            self.limit = max(0, usage.limit - usage.characters)

    def describe(self) -> str:
        """``max_cost 0.1000 (the default; raise it with --max-cost or max_cost in [tool.i18n])``."""
        if self.unit == COST:
            amount = f"max_cost {self.limit:.4f}"
            hint = "--max-cost or max_cost in [tool.i18n]"
        else:
            if self.limit is not None:
                shown = f"{int(self.limit)} characters"
            else:
                shown = "none: the account reports no quota" if self.read else "read when the run starts"
            amount = f"max_characters {shown}"
            hint = "--max-characters or max_characters in [tool.i18n]"
        if self.origin in ("the default", QUOTA):
            return f"{amount} ({self.origin}; set another with {hint})"
        return f"{amount} ({self.origin})"


def spend_gate(
    config: Config, engine: str, max_cost: float | None, max_characters: int | None
) -> Gate | None:
    """The gate of a run of ``engine`` (see the module's rules; what an engine bills is its registry
    entry's ``unit``); errors for a budget the engine cannot be held to (``--max-cost`` for DeepL, or for
    a chat model without prices)."""
    in_money = engine_entry(engine).unit == COST
    prices = engine_prices(config, engine)
    if max_cost is not None:
        if not in_money:
            needs = " or ".join(f"the {name} engine" for name in priced_engines())
            raise ConfigError(f"--max-cost needs {needs} (the {engine} engine bills characters)")
        if prices is None:
            raise ConfigError(
                f"[tool.i18n.{engine}] prices: needed for --max-cost "
                "(prices per million input/output tokens)",
                path=config.root / "pyproject.toml",
            )
        return Gate(COST, max_cost, "--max-cost")
    if not engine_entry(engine).billed:
        return None
    if in_money and config.max_cost is not None:
        if prices is None:
            raise ConfigError(
                f"[tool.i18n.{engine}] prices: needed for max_cost "
                "(price per million input and output tokens)",
                path=config.root / "pyproject.toml",
            )
        return Gate(COST, config.max_cost, "max_cost in pyproject.toml")
    if max_characters is not None:
        return Gate(CHARACTERS, max_characters, "--max-characters")
    if config.max_characters is not None:
        return Gate(CHARACTERS, config.max_characters, "max_characters in pyproject.toml")
    if in_money:  # with prices a small default; without them the cost is unknown: no gate
        return Gate(COST, DEFAULT_MAX_COST, "the default") if prices is not None else None
    return Gate(CHARACTERS, None, QUOTA)
