// Compile every page (*.mdx as MDX, *.md as markdown: what @mdx-js/mdx's `format: 'detect'` does) under a
// folder as a Starlight-like site does, and print one JSON fingerprint per page (pages sorted: deterministic):
// `node compile.mjs DIR` -> {"page.mdx": {"ok": true, "error": null, "format": "mdx", "jsx": {name: count},
// "props": [[element, prop, value], ...], "esm": [source, ...], "expressions": ["{…}", ...], "links":
// ["href=…", "src=…", ...], "ids": [heading ids in order], "elements": {html element: count}, "asides":
// [class, ...], "code": [text of each <code>, sorted]}, ...}. A prop's value is its string, `true`, or
// `{expression}`; a spread prop is [element, "...", "{…}"]. An error: {"ok": false, "error":
// "rule:line:column: reason", "format": …}.
//
// The pipeline is @mdx-js/mdx's own (`createProcessor(options).process(file)`, which is what `compile` runs:
// remark-parse + remark-mdx -> remark plugins -> remark-rehype -> rehype plugins -> estree -> JavaScript),
// with remark plugins [remark-frontmatter (YAML), remark-gfm, remark-directive + asides (`:::note` as
// Starlight's <aside>; other directives restored to their text, as Starlight does), [remark-toc,
// {tight: true}]] and rehype plugins [rehype-slug (github-slugger ids, as Astro's), the fingerprint].
// Imports are not resolved (pages are compiled, not bundled or run), so `@astrojs/...` need not exist.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

import { createProcessor } from '@mdx-js/mdx';
import rehypeSlug from 'rehype-slug';
import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkToc from 'remark-toc';
import { visit } from 'unist-util-visit';

function pages(dir) {
	const found = [];
	for (const name of readdirSync(dir).sort()) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) found.push(...pages(path));
		else if (name.endsWith('.md') || name.endsWith('.mdx')) found.push(path);
	}
	return found;
}

// Starlight's asides: a container directive `:::note[Title]` is an <aside>; text and leaf directives
// (`:name`, `::name`) are not Starlight's and go back to their source text.
function remarkAsides() {
	return (tree, file) => {
		visit(tree, (node, index, parent) => {
			if (node.type === 'containerDirective') {
				node.data = {
					...node.data,
					hName: 'aside',
					hProperties: { className: ['starlight-aside', `starlight-aside--${node.name}`] },
				};
				const label = node.children[0];
				if (label?.data?.directiveLabel) label.data.hName = 'p';
				return;
			}
			if ((node.type === 'textDirective' || node.type === 'leafDirective') && parent) {
				const text = String(file.value).slice(node.position.start.offset, node.position.end.offset);
				parent.children[index] = { type: 'text', value: text, position: node.position };
			}
		});
	};
}

function source(value) {
	return value?.type === 'mdxJsxAttributeValueExpression' ? `{${value.value}}` : value === null ? true : value;
}

function text(node) {
	if (node.type === 'text') return node.value;
	return (node.children || []).map(text).join('');
}

// What a translation may not change, read from the final HTML tree (hast, after rehype-slug).
function rehypeFingerprint() {
	return (tree, file) => {
		const fp = { jsx: {}, props: [], esm: [], expressions: [], links: [], ids: [], elements: {}, asides: [], code: [] };
		const count = (table, key) => {
			table[key] = (table[key] || 0) + 1;
		};
		visit(tree, (node) => {
			if (node.type === 'element') {
				count(fp.elements, node.tagName);
				const props = node.properties || {};
				for (const key of ['href', 'src']) if (props[key] != null) fp.links.push(`${key}=${props[key]}`);
				if (/^h[1-6]$/.test(node.tagName)) fp.ids.push(props.id ?? '');
				if (node.tagName === 'aside') fp.asides.push(String(props.className?.[1] ?? ''));
				if (node.tagName === 'code') fp.code.push(text(node));
			} else if (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') {
				const name = node.name ?? '<>';
				count(fp.jsx, name);
				for (const attr of node.attributes || []) {
					if (attr.type === 'mdxJsxExpressionAttribute') {
						fp.props.push([name, '...', `{${attr.value}}`]);
						continue;
					}
					const value = source(attr.value);
					fp.props.push([name, attr.name, value]);
					if ((attr.name === 'href' || attr.name === 'src') && typeof value === 'string') {
						fp.links.push(`${attr.name}=${value}`);
					}
				}
			} else if (node.type === 'mdxjsEsm') {
				fp.esm.push(node.value);
			} else if (node.type === 'mdxFlowExpression' || node.type === 'mdxTextExpression') {
				fp.expressions.push(`{${node.value}}`);
			}
		});
		for (const key of ['links', 'expressions', 'code']) fp[key].sort();
		fp.props.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
		fp.jsx = Object.fromEntries(Object.entries(fp.jsx).sort());
		fp.elements = Object.fromEntries(Object.entries(fp.elements).sort());
		file.data.fingerprint = fp;
	};
}

const processors = {};
function processor(format) {
	processors[format] ??= createProcessor({
		format,
		remarkPlugins: [[remarkFrontmatter, ['yaml']], remarkGfm, remarkDirective, remarkAsides, [remarkToc, { tight: true }]],
		rehypePlugins: [rehypeSlug, rehypeFingerprint],
	});
	return processors[format];
}

function problem(error) {
	const where = error.line ? `:${error.line}:${error.column}` : '';
	const text = String(error.reason || error.message || error).split('\n')[0];
	return `${error.ruleId || error.name || 'error'}${where}: ${text}`;
}

async function compilePage(path) {
	const format = path.endsWith('.mdx') ? 'mdx' : 'md';
	const file = { path, value: readFileSync(path, 'utf8') };
	try {
		const done = await processor(format).process(file);
		return { ok: true, error: null, format, ...done.data.fingerprint };
	} catch (error) {
		return { ok: false, error: problem(error), format };
	}
}

const [dir, ...rest] = process.argv.slice(2);
if (!dir || rest.length) {
	console.error('usage: node compile.mjs DIR');
	process.exit(2);
}
const out = {};
for (const path of pages(dir)) out[relative(dir, path).split(sep).join('/')] = await compilePage(path);
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
