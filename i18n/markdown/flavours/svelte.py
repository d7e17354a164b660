"""The site as mdsvex renders it (SvelteKit; the PauseAI website), on top of :mod:`.commonmark`.

- blocks read as mdsvex reads them (:func:`..svelte.svelte_plugin`): a line starting with a tag starts raw
  HTML up to a blank line (also a component's opening tag spanning lines), ``<svelte:…>`` elements are
  raw, Svelte block tags (``{#if …}``, ``{:else}``, ``{/if}``, ``{@html …}``) are blocks of their own:
  never segments; raw HTML that is Svelte template markup (components, attribute expressions) neither
  (:func:`..svelte.is_template`, in :func:`..walk.html_is_prose`);
- ``{#id}`` heading ids (remark-heading-id): a translated heading gets the English ``{#slug}``, slugged as
  the site's smartypants leaves the text (``smartypants_dashes``).

This module is where Svelte-only rules belong.
"""

from __future__ import annotations

from ..svelte import svelte_plugin
from . import Flavour
from .commonmark import HOOKS, directives

FLAVOUR = Flavour("svelte", plugins=(directives, svelte_plugin), hooks=HOOKS)
