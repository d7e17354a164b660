"""Catalog headers: the fields of the header entry, in a fixed order, as gettext tools expect them."""

from __future__ import annotations

from collections.abc import Mapping

from .languages import language_name, plural_forms

DATE_FORMAT = "%Y-%m-%d %H:%M%z"


def header_comment(language: str | None, location: str) -> str:
    if language is None:
        return f"Translation template for {location}."
    return f"{language_name(language)} translation of {location}."


def date_field(language: str | None) -> str:
    """The header field holding the time of the last change (a template's creation date)."""
    return "POT-Creation-Date" if language is None else "PO-Revision-Date"


def header_fields(
    project_id: str,
    language: str | None,
    location: str,
    date: str,
    kept: Mapping[str, str],
    template_date: str | None = None,
) -> tuple[tuple[str, str], ...]:
    """The header of a catalog of ``location`` in ``language`` (None: the template) changed at ``date``.

    ``kept``: the existing header; a translator's Last-Translator and Language-Team, and fields of other
    tools, are carried over. A catalog's ``POT-Creation-Date`` is the template's (``template_date``),
    after ``Project-Id-Version``, where ``msgmerge --update`` puts it, so msgmerge and the pipeline each
    leave the other's file as it is, from the first run on.
    """
    fields: list[tuple[str, str]] = [("Project-Id-Version", project_id)]
    if language is not None and (template_date or "POT-Creation-Date" in kept):
        fields.append(("POT-Creation-Date", template_date or kept["POT-Creation-Date"]))
    if language is None:  # gettext's template placeholders, as xgettext writes them
        fields += [
            ("POT-Creation-Date", date),
            ("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"),
            ("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
            ("Language-Team", "LANGUAGE <LL@li.org>"),
            ("Language", ""),
        ]
    else:
        fields += [
            ("PO-Revision-Date", date),
            ("Last-Translator", kept.get("Last-Translator", "i18n pipeline")),
            ("Language-Team", kept.get("Language-Team", language_name(language))),
            ("Language", language),
        ]
    fields += [
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
    ]
    if language is not None:
        fields.append(("Plural-Forms", plural_forms(language)))
    fields.append(("X-Source-File", location))
    ours = {name for name, _ in fields}
    fields += [(k, v) for k, v in kept.items() if k not in ours and k != "PO-Revision-Date"]
    return tuple(fields)
