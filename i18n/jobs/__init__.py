"""The jobs over a project's folders, at the edge (files, clock): where sources and catalogs are
(:mod:`.layout`), loading documents once (:mod:`.documents`), the state file (:mod:`.state`) on the one
cache implementation (:mod:`.cache`), catalog files (:mod:`.catalogs`), and the commands' work:
:mod:`.extract`, :mod:`.translate`, :mod:`.build` (with :mod:`.manifest`, :mod:`.archive`, the overwrite
guard :mod:`.outputs` and the pseudo-locale :mod:`.pseudo`), :mod:`.importer`, :mod:`.status`,
:mod:`.billing` and :mod:`.pipeline` (``run``); :mod:`.workers` spreads extract and build over processes.
Jobs return reports; only the CLI prints.

Imports sit at the top of each module, except these, imported inside the function that needs them because a
run that does not need them must not pay for them (measured on top of ``i18n.cli`` and the jobs a no-op
``i18n run`` loads, median of 3, 2-core machine; the no-op tests check the first three stay out):

- markdown-it (``i18n.checks``, ``i18n.markdown.html``, ``i18n.mt.xmlmarkup``): ~35 ms;
- PyYAML and rapidfuzz (``i18n.mt.glossary``, ``i18n.mt.pseudo``, ``i18n.jobs.translate``): 17–85 ms;
- the engines' clients (openai, deepl): loaded by ``i18n.mt``'s registry when an engine is made;
- PO formatting (``i18n.catalog.po``, 9 ms): only when a catalog is written;
- ``gzip`` + ``tarfile`` (3.4 ms): when an archive is written; ``concurrent.futures`` (2.6 ms) and
  ``multiprocessing`` (4.2 ms): when work is spread over threads or processes.
"""
