"""UI message files (inlang/paraglide, i18next/vue-i18n, flat JSON) as a second kind of document: pure
parse (:mod:`.scan` keeps every value's position) and render (translated values spliced into the source),
the syntax of a message (:mod:`.markup`), and the kind the jobs load them with (:mod:`.kind`)."""
