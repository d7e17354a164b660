// Compile every page (*.md) under a folder as the PauseAI site does, and print one JSON fingerprint per
// page: `node compile.mjs DIR [--site-setup]` -> {"page.md": {"ok": true, "error": null, "ids": [...],
// "links": [...], "images": [...], "elements": {...}}, ...} (pages sorted: deterministic output).
//
// The toolchain is the site's svelte.config.js: mdsvex (extensions ['.md'], smartypants and prism
// highlighting on, its defaults) with a layout mapping markdown a/img/table to components, remark plugins
// [remarkCollectImages, [remark-toc, {tight: true}], remark-heading-id] and rehype plugins
// [rehype-unwrap-images, rehype-slug]; then svelte/compiler with generate 'server' and 'client'. Pages are
// not bundled, so imports ($lib/...) need not resolve.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { compile as mdsvexCompile } from 'mdsvex';
import rehypeSlug from 'rehype-slug';
import rehypeUnwrapImages from 'rehype-unwrap-images';
import remarkHeadingId from 'remark-heading-id';
import remarkToc from 'remark-toc';
import { compile, parse } from 'svelte/compiler';

import remarkCollectImages from './remark-collect-images.js';

const here = dirname(fileURLToPath(import.meta.url));

export const config = {
	extensions: ['.md'],
	layout: join(here, 'layout.svelte'),
	remarkPlugins: [remarkCollectImages, [remarkToc, { tight: true }], remarkHeadingId],
	rehypePlugins: [rehypeUnwrapImages, rehypeSlug],
};

// `--site-setup`: the site with the fixes of the README's "Site setup" section: smartypants without
// dashes, remark-heading-id before remark-toc.
export const fixed = {
	...config,
	smartypants: { dashes: false },
	remarkPlugins: [remarkCollectImages, remarkHeadingId, [remarkToc, { tight: true }]],
};

function pages(dir) {
	const found = [];
	for (const name of readdirSync(dir).sort()) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) found.push(...pages(path));
		else if (name.endsWith('.md')) found.push(path);
	}
	return found;
}

const FRAGMENTS = ['fragment', 'consequent', 'alternate', 'body', 'fallback', 'pending', 'then', 'catch'];
const HEADING = /^h[1-6]$/;

function attribute(node, name, code) {
	const attr = (node.attributes || []).find((a) => a.type === 'Attribute' && a.name === name);
	if (!attr) return null;
	if (attr.value === true) return '';
	const parts = Array.isArray(attr.value) ? attr.value : [attr.value];
	return parts.map((p) => (p.type === 'Text' ? p.data : code.slice(p.start, p.end))).join('');
}

function fingerprint(code) {
	const ids = [];
	const links = [];
	const elements = {};
	const walk = (fragment) => {
		for (const node of fragment?.nodes || []) {
			if (node.name && (node.type.endsWith('Element') || node.type === 'Component')) {
				elements[node.name] = (elements[node.name] || 0) + 1;
				for (const key of ['href', 'src']) {
					const value = attribute(node, key, code);
					if (value !== null) links.push(`${key}=${value}`);
				}
				if (HEADING.test(node.name)) ids.push(attribute(node, 'id', code) ?? '');
			}
			for (const key of FRAGMENTS) if (node[key]?.nodes) walk(node[key]);
		}
	};
	walk(parse(code, { modern: true }).fragment);
	links.sort();
	return { ids, links, elements: Object.fromEntries(Object.entries(elements).sort()) };
}

function problem(error) {
	const where = error.start ? `:${error.start.line}:${error.start.column}` : '';
	const text = String(error.message || error).split('\n')[0];
	return `${error.code || error.name || 'error'}${where}: ${text}`;
}

async function compilePage(path, name, options) {
	const result = { ok: false, error: null, ids: [], links: [], images: [], elements: {} };
	let processed;
	try {
		processed = await mdsvexCompile(readFileSync(path, 'utf8'), { ...options, filename: name });
	} catch (error) {
		result.error = `mdsvex ${problem(error)}`;
		return result;
	}
	result.images = [...(processed.data?.fm?.images || [])].sort();
	for (const generate of ['server', 'client']) {
		try {
			compile(processed.code, { filename: name, generate });
		} catch (error) {
			result.error = `svelte (${generate}) ${problem(error)}`;
			break;
		}
	}
	try {
		Object.assign(result, fingerprint(processed.code));
	} catch (error) {
		result.error ??= `svelte parse ${problem(error)}`;
	}
	result.ok = result.error === null;
	return result;
}

const [dir, ...flags] = process.argv.slice(2);
if (!dir || flags.some((flag) => flag !== '--site-setup')) {
	console.error('usage: node compile.mjs DIR [--site-setup]');
	process.exit(2);
}
const options = flags.length ? fixed : config;
const out = {};
for (const path of pages(dir)) {
	const name = relative(dir, path).split(sep).join('/');
	out[name] = await compilePage(path, name, options);
}
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
