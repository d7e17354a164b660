"""Catalogs, pure except for :mod:`.po`'s file reading: the model (:mod:`.model`), the rules that carry
translations forward when pages change (:mod:`.update`), headers (:mod:`.header`) and the PO format
(:mod:`.po`)."""
