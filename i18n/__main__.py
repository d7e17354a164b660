"""``python -m i18n``: the command line."""

from .cli import main

main()
