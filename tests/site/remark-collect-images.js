// The site's remarkCollectImages, written again for the test: the image URLs of a page (markdown images
// and <img> tags in raw HTML) collected into its metadata (`images`), e.g. for social previews.
const IMG_SRC = /<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;

function visit(node, fn) {
	fn(node);
	for (const child of node.children || []) visit(child, fn);
}

export default function remarkCollectImages() {
	return (tree, file) => {
		const images = [];
		visit(tree, (node) => {
			if (node.type === 'image' && node.url) images.push(node.url);
			else if (node.type === 'html' && node.value) {
				for (const m of node.value.matchAll(IMG_SRC)) images.push(m[1] ?? m[2] ?? m[3]);
			}
		});
		file.data.fm = { ...(file.data.fm || {}), images };
	};
}
