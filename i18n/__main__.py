"""``python -m i18n``: the command line."""

from .jobs.noop import main

main()
