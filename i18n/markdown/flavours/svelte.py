"""The site as mdsvex renders it (SvelteKit; the PauseAI website), on top of :mod:`.commonmark`.

- blocks read as mdsvex reads them (:func:`..mdsvex_syntax.svelte_plugin`): a line starting with a tag starts
  raw HTML up to a blank line (also a component's opening tag spanning lines), ``<svelte:…>`` elements are
  raw, Svelte block tags (``{#if …}``, ``{:else}``, ``{/if}``, ``{@html …}``) are blocks of their own: never
  segments; raw HTML that is Svelte template markup (components, attribute expressions) neither
  (:func:`..mdsvex_syntax.is_template`, its ``html_template``);
- ``{#id}`` heading ids (remark-heading-id): a translated heading gets the English ``{#slug}``, slugged as
  the site's smartypants leaves the text (``smartypants_dashes``).

This module is where Svelte-only rules belong.
"""

from __future__ import annotations

from ..mdsvex_syntax import BLOCK_TAGS, is_template, svelte_plugin
from . import HEADING_ID, Flavour
from .commonmark import HOOKS, directives
from .inline_syntax import NOT_PROSE, NOT_PROSE_HINT, TEMPLATE_LINE, VERBATIM, inline_atoms

FLAVOUR = Flavour(
    "svelte",
    plugins=(inline_atoms, directives, svelte_plugin),
    hooks=HOOKS,
    not_prose=NOT_PROSE,  # the shared inline layer: `{…}` expressions and Svelte blocks among them
    not_prose_hint=NOT_PROSE_HINT,
    template_line=TEMPLATE_LINE,  # `{#if …}`, `{:else}`, `{/if}`, `{@html …}` lines
    verbatim=VERBATIM | {"svelte_block"},  # mdsvex's raw blocks
    html_template=is_template,  # components, attribute expressions
    html_not_words=BLOCK_TAGS,  # `{#if …}` block tags in raw HTML's text
    heading_id=HEADING_ID,  # remark-heading-id
    frontmatter=("yaml",),
)
