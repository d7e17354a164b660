"""The site as mdsvex renders it (SvelteKit; the PauseAI website): CommonMark + GFM with ``{#id}`` heading
ids (remark-heading-id), so translated headings get the English ``{#slug}``.

Svelte syntax is never a segment: template blocks (``{#if …}``, ``{:else}``, ``{/if}``, ``{@html …}``),
capitalised components (``<Card />``), ``<script>``/``<style>`` blocks (today in :mod:`..walk`:
``_paragraph`` and ``html_is_prose``). This module is where Svelte-only rules belong.
"""

from __future__ import annotations

from . import Flavour
from .commonmark import HOOKS, directives

FLAVOUR = Flavour("svelte", plugins=(directives,), hooks=HOOKS)
