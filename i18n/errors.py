"""Errors raised by the library. Only the CLI prints them."""

from __future__ import annotations

from pathlib import Path


class I18nError(Exception):
    """Base class: a problem the user can fix, reported as one line."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return f"{where}{self.message}"

    def at(self, path: str | Path) -> I18nError:
        """Return a copy of this error that names ``path`` (keeps the line)."""
        return type(self)(self.message, path=path, line=self.line)


class ConfigError(I18nError):
    """Bad ``[tool.i18n]`` configuration."""


class PageError(I18nError):
    """A page cannot be read, parsed or rendered."""


class RenderError(PageError):
    """Rendering would change the page's structure (the safety check failed)."""
