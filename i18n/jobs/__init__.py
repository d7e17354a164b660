"""The jobs over a project's folders, at the edge (files, clock): where sources and catalogs are
(:mod:`.layout`), loading documents once (:mod:`.documents`), the state file (:mod:`.state`) on the one
cache implementation (:mod:`.cache`), catalog files (:mod:`.catalogs`), and the commands' work:
:mod:`.extract`, :mod:`.translate`, :mod:`.build`, :mod:`.importer`, :mod:`.status`, :mod:`.billing`
and :mod:`.pipeline` (``run``). Jobs return reports; only the CLI prints."""
