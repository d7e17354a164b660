"""The three goal figures per markdown flavour: identity, generator syntax kept in a pseudo build, prose
lines translated.

Usage: python bench/flavours.py [FOLDER:FLAVOUR[:GENERATOR] ...] [--verbose]
Default: ../shared/corpus/flavours/{hugo,mkdocs,mdx} read as hugo, mkdocs and mdx.

For each folder the pages are copied into a temporary project (``languages = ["nl"]``, ``flavour`` as
given, ``auto`` for ``FOLDER:auto``) and the real pseudo build runs: ``i18n build --pseudo`` (the
pseudo-locale ``en-XA``: every segment pseudo-localised through the XML encoder, rendered with the page's
structure check). Then, per page:

1. **identity**: ``parse_page(source).render({})`` and ``render({id: text})`` give the source byte for byte.
2. **syntax kept**: the built page has the same multiset of *generator syntax* and of *targets* as the
   source. Both are found by the scans below (regular expressions over the text, independent of the
   segmenter), outside fenced code, whose blocks are compared whole.

   *Generator syntax*: Hugo shortcodes ``{{< … >}}``/``{{% … %}}``; MDX ``import``/``export`` lines and
   JSX tags ``<Name …>``/``</Name>`` (with the values of ``title``, ``alt``, ``label``, ``description``,
   ``aria-label`` and ``placeholder`` left out: those are prose); ``{…}`` expressions and attribute
   lists; admonition and details markers (``!!! type``, ``??? type``, ``???+ type``, without the quoted
   title), tab markers (``===``, ``===!``, ``===+``), block markers (``/// name``, the argument of
   ``/// html``), aside markers (``:::name``), snippet lines (``--8<--``), abbreviation terms
   (``*[HTML]:``), footnote labels (``[^1]``), task boxes (``[ ]``, ``[x]``), alert markers
   (``[!NOTE]``); key codes ``++ctrl+c++``, emoji codes ``:name:``, math (``$…$``, ``$$`` lines,
   ``\\(…\\)``, ``\\[…\\]``, ``\\begin{…}``/``\\end{…}``), critic delimiters (``{++ ++}`` …). A heading's
   ``{#id}`` may be added (the pipeline gives translated headings the English anchor), never lost.

   *Targets*: link and image destinations (markdown-it's CommonMark parse of each line, as written),
   reference definitions' destinations, ``href``/``src`` attribute values, code spans, and the content
   of every fenced code block.
3. **prose lines translated**: a *prose line* is a line of the source that a reader reads as words: after
   removing code spans, link destinations, URLs, HTML/JSX tags, ``{…}``, shortcodes, key/emoji/math
   codes, critic delimiters, and the markers at its start (list markers, ``>``, ``#``, table pipes, the
   generator markers above), a run of two letters remains and it is not only a file or folder name
   (``src/``, ``**index.md**``: Starlight's ``<FileTree>``); and it is not in the frontmatter (except the
   lines of the translated keys, ``title`` and ``description``), fenced code, a ``$$``/``\\[``/``\\begin``
   math block, an HTML comment, a ``<script>``/``<style>``/``<pre>`` element, an MDX
   ``import``/``export`` statement, a snippet block, a Hugo code or data shortcode (``highlight``,
   ``code-toggle``, ``code``, ``datatable``, ``qr``), a table's delimiter row, a reference definition, the
   params of a Hugo shortcode that spans lines (except the prose ones, ``alt="…"``, ``title="…"``,
   ``caption="…"``…), the props of an MDX opening tag that spans lines (``<SidebarPreview`` … ``/>``:
   JavaScript; except a prose prop alone on its line, ``title="…"``), an MDX ``{`` … ``}`` expression
   spanning lines (``{/** @import … */}``), the option lines of a pymdownx block, or (for Hugo and
   CommonMark) an indented code block as CommonMark reads it. A prose line is *translated* when the
   pseudo build changed it (lines are matched by position, or by difflib when a page's line count
   changed).

   Which syntax the scans look for is the folder's *generator* (``hugo``, ``mkdocs``, ``mdx``; the folder's
   name by default), so that reading a folder in another flavour is measured by the same rules. The ``.md``
   pages of an ``mdx`` folder are scanned as CommonMark: MDX (``format: 'detect'``) and Starlight compile
   them as markdown.

Prints a table and the command that reproduces it; ``--verbose`` lists untranslated prose lines and
every syntax or target difference.
"""

from __future__ import annotations

import argparse
import difflib
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from markdown_it import MarkdownIt

from i18n import parse_page

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "flavours"

_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_SHORTCODE = re.compile(r"\{\{[<%].*?[%>]\}\}")
_PROSE_PARAM = re.compile(r"^\s*(?:alt|title|caption|summary|description|label|attr|text)\s*=\s*\"")
_CODE_SHORTCODE = re.compile(r"\{\{[<%]\s*(highlight|code-toggle|code|datatable|qr)\b")
_PROSE_ATTRIBUTES = re.compile(
    r"""\b(title|alt|label|description|aria-label|placeholder)=("[^"]*"|'[^']*')"""
)
_JSX = re.compile(r"</?[A-Z][\w.]*(?:\s(?:[^<>{}]|\{[^{}]*\})*)?/?>")
_EXPRESSION = re.compile(r"\{(?:[^{}\n]|\{[^{}\n]*\})*\}")
_MARKERS = [
    re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*"),
    re.compile(r"^[ \t]*===[!+]*"),
    re.compile(r"^[ \t]*/{3,}[ \t]*html[ \t]*\|.*$|^[ \t]*/{3,}[ \t]*[\w-]*"),
    re.compile(r"^[ \t>]*:{3,}[\w-]*"),
    re.compile(r"^[ \t]*;*-+8<-+.*$"),
    re.compile(r"^[ \t]*\*\[[^\]]+\]:"),
    re.compile(r"\[\^[^\]\s]+\]"),
    re.compile(r"^[ \t>]*(?:[-*+]|\d+[.)])[ \t]+\[[ xX]\]"),
    re.compile(r"\[![A-Za-z]+\]"),
    re.compile(r'\+\+(?:"[^"\n]*"|[^\s+"]+)(?:\+(?:"[^"\n]*"|[^\s+"]+))*\+\+'),
    re.compile(r"(?<![\w:/]):[a-z0-9_+-]*[a-z][a-z0-9_+-]*:"),
    re.compile(r"(?<![\\$])\$(?=[^\s$])[^$\n]*?(?<=[^\s\\])\$(?!\d)|^\s*\$\$.*$|\\\(.*?\\\)|\\\[|\\\]"),
    re.compile(r"\\(?:begin|end)\{[^}]*\}"),
    re.compile(r"\{\+\+|\+\+\}|\{--|--\}|\{~~|~>|~~\}|\{==|==\}|\{>>|<<\}"),
]
_ESM = re.compile(r"^(?:import|export)\b")
_LINK_DEST = re.compile(r"\]\((?:<[^>]*>|[^)\s]*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\)")
_REFERENCE_LABEL = re.compile(r"\]\[[^\]]*\]")
_HEADING_ID = re.compile(r"^[ \t]*#{1,6}[ \t].*?[ \t](\{#[^}\s]+\})[ \t]*$")
_BLOCK_HEADER = re.compile(r"^[ \t]*/{3,}[ \t]*[A-Za-z]")
_REFERENCE = re.compile(r"^[ \t]*\[(?!\^)[^\]]+\]:[ \t]*(\S+)")  # not a footnote `[^1]: text`
_ATTR_URL = re.compile(r"""\b(?:href|src)=("[^"]*"|'[^']*')""")
_URL = re.compile(r"https?://\S+|www\.\S+")
_TAG = re.compile(r"<[^>]*>")
_LINE_MARKERS = re.compile(
    r"^[ \t>]*(?:(?:[-*+]|\d+[.)])[ \t]+)?(?:\[[ xX]\][ \t]+)?(?:#{1,6}[ \t]+)?(?:\|[ \t]*)?"
    r"(?:(?:!!!|\?\?\?\+?)[ \t]+[\w-]+|===[!+]*|/{3,}[ \t]*[\w-]*[ \t]*\|?|:{3,}[\w-]*|:[ \t]+)?"
)
_WORD = re.compile(r"[^\W\d_]{2,}")
_FILE_OR_FOLDER = re.compile(
    r"^(\*\*)?(?:[\w@~.+-]+(?:/[\w@~.+-]*)+|[\w@~+-]*[A-Za-z][\w@~.+-]*\.[A-Za-z0-9]{1,5}|\.[A-Za-z][\w.-]*)(?(1)\*\*)$"
)
_TABLE_RULE = re.compile(r"^[ \t>]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
_FRONTMATTER_KEY = re.compile(r"^(?:title|description)[ \t]*[:=]|^[ \t]*\"(?:title|description)\"[ \t]*:")


_TAG_CLOSE = re.compile(r"^[^{}\"']*?/?>\s*$|^\s*/?>|[}\"']\s*/?>\s*$")
# A prose prop alone on a line of an MDX opening tag that spans lines (`  title="Component reference"`).
_JSX_PROSE_PROP = re.compile(
    r"""^\s*(?:title|alt|label|description|caption|aria-label|placeholder)=(?:"[^"]*"|'[^']*')\s*$"""
)


def _brace_depth(line: str) -> int:
    """How many brackets a line leaves open (strings and comments not told apart)."""
    return sum(line.count(c) for c in "{([") - sum(line.count(c) for c in "})]")


def _open_tag(line: str) -> bool:
    """Whether a line starting a JSX tag leaves it open (no ``>`` outside strings and braces)."""
    depth, quote = 0, ""
    for ch in line.strip()[1:]:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'`":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == ">" and depth == 0:
            return False
    return True


def regions(text: str, flavour: str) -> list[str]:
    """Per line: "fm" frontmatter, "fmkey" a translated frontmatter line, "code", "skip" (not prose by
    rule), or "" (to be classified by its words)."""
    lines = text.split("\n")
    kinds = [""] * len(lines)
    i = 0
    fence = lines[0].strip() if lines and lines[0].strip() in ("---", "+++") else None
    if fence is not None:
        kinds[0] = "fm"
        i = 1
        while i < len(lines) and lines[i].strip() != fence:
            kinds[i] = "fmkey" if _FRONTMATTER_KEY.match(lines[i]) else "fm"
            i += 1
        if i < len(lines):
            kinds[i] = "fm"
        i += 1
    open_fence: str | None = None
    until: str | re.Pattern[str] | None = None
    esm, esm_start = False, 0
    skip_to = -1  # lines up to here are classified already
    for j in range(i, len(lines)):
        line = lines[j]
        if j <= skip_to:
            continue
        if open_fence is not None:
            kinds[j] = "code"
            match = _FENCE.match(line)
            closes = match and match.group(1)[0] == open_fence[0] and len(match.group(1)) >= len(open_fence)
            if match and closes and not line[match.end() :].strip():
                open_fence = None
            continue
        if until is _TAG_CLOSE and _JSX_PROSE_PROP.match(line):
            continue  # a prose prop of an opening tag spanning lines: prose, the tag goes on
        if until is not None:
            kinds[j] = kinds[j] if isinstance(until, re.Pattern) and until.pattern == r"[>%]\}\}" else "skip"
            if until.search(line) if isinstance(until, re.Pattern) else until in line:
                until = None
            continue
        if esm:
            if not line.strip() and _brace_depth("\n".join(lines[esm_start:j])) <= 0:
                esm = False  # a blank line ends an import/export block unless a bracket is still open
            else:
                kinds[j] = "skip"
                continue
        match = _FENCE.match(line)
        if match:
            open_fence = match.group(1)
            kinds[j] = "code"
            continue
        stripped = line.strip()
        if flavour == "mdx" and _ESM.match(line):
            kinds[j], esm, esm_start = "skip", True, j
            continue
        if flavour == "mdx" and stripped.startswith("{") and _brace_depth(line) > 0:
            depth, k = 0, j  # a flow expression spanning lines (`{` … `}`: an ESM comment block)
            while k < len(lines):
                depth += _brace_depth(lines[k])
                kinds[k] = "skip"
                if depth <= 0:
                    break
                k += 1
            skip_to = k
            continue
        if flavour == "mdx" and re.match(r"^\s*<[A-Za-z]", line) and _open_tag(line):
            kinds[j], until = "skip", _TAG_CLOSE  # an opening tag spanning lines: its props
            continue
        if stripped.startswith("<!--"):
            kinds[j] = "skip"
            until = None if "-->" in stripped else "-->"
            continue
        tag = re.match(r"<(script|style|pre)\b", stripped)
        if tag:
            kinds[j] = "skip"
            until = None if f"</{tag.group(1)}>" in stripped else f"</{tag.group(1)}>"
            continue
        if stripped == "$$" or stripped.startswith("\\[") or stripped.startswith("\\begin{"):
            kinds[j] = "skip"
            closer = (
                "\\end{"
                if stripped.startswith("\\begin{")
                else ("\\]" if stripped.startswith("\\[") else "$$")
            )
            if not (closer in stripped[2:] and (closer != "$$" or stripped.count("$$") > 1)):
                until = closer
            continue
        if re.match(r"^;*-+8<-+\s*$", stripped):
            kinds[j], until = "skip", re.compile(r"^\s*;*-+8<-+\s*$")
            continue
        if re.match(r"\{\{[<%]", stripped) and not re.search(r"[>%]\}\}", stripped):
            k = j  # a shortcode spanning lines: its params are syntax, except the prose ones
            while k < len(lines) and not re.search(r"[>%]\}\}", lines[k]):
                kinds[k] = "" if _PROSE_PARAM.match(lines[k]) else "skip"
                k += 1
            if k < len(lines):
                kinds[k] = "skip"
            until = re.compile(r"[>%]\}\}")
            continue
        code = _CODE_SHORTCODE.search(stripped)
        if code and "/>" not in stripped and f"/{code.group(1)}" not in stripped:
            kinds[j], until = "skip", f"/{code.group(1)}"
            continue
        if _TABLE_RULE.match(line) or _REFERENCE.match(line):
            kinds[j] = "skip"
        if flavour == "mkdocs" and j > 0 and _BLOCK_HEADER.match(lines[j - 1]):
            options = j  # a pymdownx block's options: indented lines right after its header
            indent = " " * (len(lines[j - 1]) - len(lines[j - 1].lstrip()) + 4)
            while options < len(lines) and lines[options].startswith(indent) and lines[options].strip():
                options += 1
            until = None
            for k in range(j, options):
                kinds[k] = "skip"
    if flavour in ("hugo", "commonmark", "svelte"):
        for token in MarkdownIt("commonmark").parse(text):
            if token.type == "code_block" and token.map:
                for j in range(*token.map):
                    if kinds[j] == "":
                        kinds[j] = "code"
    return kinds


def is_prose(line: str) -> bool:
    line = _CODE_SPAN.sub(" ", line)
    line = _LINK_DEST.sub("] ", line)
    line = _REFERENCE_LABEL.sub("] ", line)
    for pattern in (*_MARKERS, _URL, _TAG, _SHORTCODE, _EXPRESSION):
        line = pattern.sub(" ", line)
    line = _LINE_MARKERS.sub("", line)
    if _FILE_OR_FOLDER.match(line.strip()):
        return False  # a file or folder name (`src/`, `**index.md**`: Starlight's <FileTree>)
    return _WORD.search(line) is not None


def syntax(text: str, flavour: str) -> Counter[str]:
    """The page's generator syntax and targets (see the module docstring), as a multiset."""
    found: Counter[str] = Counter()
    kinds = regions(text, flavour)
    lines = text.split("\n")
    block: list[str] = []
    md = MarkdownIt("commonmark")
    for line, kind in zip(lines, kinds, strict=True):
        if kind == "code":
            block.append(line)
            continue
        if block:
            found["code:" + "\n".join(block)] += 1
            block = []
        if kind in ("fm", "fmkey"):
            continue
        for match in _CODE_SPAN.finditer(line):
            found["code:" + match.group()] += 1
        bare = _CODE_SPAN.sub(" ", line)
        anchor = _HEADING_ID.match(bare)
        if anchor:  # a heading's id: the pipeline adds the English one to translated headings
            found["anchor:" + anchor.group(1)] += 1
            bare = bare[: anchor.start(1)]
        if (flavour == "mdx" and _ESM.match(bare)) or (kind == "skip" and flavour == "mdx" and bare.strip()):
            found["line:" + bare.strip()] += 1
            continue
        for pattern in (_SHORTCODE, _JSX):
            for match in pattern.finditer(bare):
                found["syntax:" + _PROSE_ATTRIBUTES.sub(r"\1=…", match.group())] += 1
            bare = pattern.sub(" ", bare)
        for match in _EXPRESSION.finditer(bare):
            found["syntax:" + match.group()] += 1
        for pattern in _MARKERS:
            for match in pattern.finditer(bare):
                found["syntax:" + match.group().strip()] += 1
        for match in _ATTR_URL.finditer(bare):
            found["target:" + match.group(1)] += 1
        reference = _REFERENCE.match(bare)
        if reference:
            found["target:" + reference.group(1)] += 1
        elif "](" in bare or "![" in bare:
            for token in md.parseInline(bare):
                for child in token.children or []:
                    if child.type == "link_open":
                        found["target:" + str(child.attrs.get("href"))] += 1
                    elif child.type == "image":
                        found["target:" + str(child.attrs.get("src"))] += 1
    if block:
        found["code:" + "\n".join(block)] += 1
    return found


def _kept(want: Counter[str], got: Counter[str]) -> bool:
    """The same syntax and targets; heading ids may be added (the English anchors), never lost."""
    anchors = {key for key in got if key.startswith("anchor:")}
    return all(got[key] >= count for key, count in want.items()) and all(
        got[key] == want[key] for key in got if key not in anchors
    )


def translated_lines(source: str, built: str, flavour: str) -> tuple[int, int, list[str]]:
    """(prose lines, translated prose lines, the untranslated ones)."""
    before, after = source.split("\n"), built.split("\n")
    kinds = regions(source, flavour)
    prose = [j for j, line in enumerate(before) if kinds[j] == "fmkey" or (kinds[j] == "" and is_prose(line))]
    changed: set[int] = set()
    if len(before) == len(after):
        changed = {j for j in range(len(before)) if before[j] != after[j]}
    else:
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        for tag, a0, a1, _, _ in matcher.get_opcodes():
            if tag != "equal":
                changed.update(range(a0, a1))
    missed = [before[j] for j in prose if j not in changed]
    return len(prose), len(prose) - len(missed), missed


def run(folder: Path, flavour: str, generator: str, verbose: bool) -> tuple[int, int, int, int, int]:
    pages = sorted(p for p in folder.iterdir() if p.suffix in (".md", ".mdx"))
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "content").mkdir()
        for page in pages:
            shutil.copyfile(page, project / "content" / page.name)
        (project / "pyproject.toml").write_text(
            f'[tool.i18n]\nlanguages = ["nl"]\nflavour = "{flavour}"\n', encoding="utf-8"
        )
        command = [sys.executable, "-m", "i18n", "--project", str(project), "build", "--pseudo", "-q"]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stdout + done.stderr, file=sys.stderr)
        identity = kept = prose = translated = 0
        kinds: dict[str, str] = {}
        from i18n.markdown.flavours.detect import mdx_site
        from i18n.markdown.kind import MarkdownKind

        kind = MarkdownKind(
            flavour=flavour, site=mdx_site(project / "content") if flavour == "auto" else None
        )
        for page in pages:
            source = page.read_bytes().decode("utf-8")
            resolved = kind.flavour_of(source, page.name)
            kinds[page.name] = resolved.name
            parsed = parse_page(source, path=page.name, flavour=resolved)
            same = parsed.render({}) == source
            same = same and parsed.render({s.id: s.text for s in parsed.segments}) == source
            identity += same
            built_path = project / "build" / "en-XA" / page.name
            built = built_path.read_bytes().decode("utf-8") if built_path.exists() else source
            scan = "commonmark" if generator == "mdx" and page.suffix == ".md" else generator  # MDX: markdown
            want, got = syntax(source, scan), syntax(built, scan)
            same_syntax = _kept(want, got)
            kept += same_syntax
            total, done_lines, missed = translated_lines(source, built, scan)
            prose += total
            translated += done_lines
            if verbose:
                if not same:
                    print(f"  {page.name}: identity differs")
                if not same_syntax:
                    print(
                        f"  {page.name}: syntax/targets differ: "
                        f"lost {dict(want - got)} added {dict(got - want)}"
                    )
                for line in missed:
                    print(f"  {page.name}: untranslated: {line.strip()[:110]}")
        if flavour == "auto" and verbose:
            print(f"  auto: {Counter(kinds.values())}")
    return len(pages), identity, kept, prose, translated


def _target(text: str) -> tuple[Path, str, str]:
    folder, flavour, *rest = text.split(":")
    default = Path(folder).name if Path(folder).name in ("hugo", "mkdocs", "mdx") else flavour
    generator = rest[0] if rest else default
    return Path(folder), flavour, "commonmark" if generator == "auto" else generator


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "folders",
        nargs="*",
        help="FOLDER:FLAVOUR[:GENERATOR] (GENERATOR: whose syntax the scans look for; default: the folder's "
        "name when it is hugo, mkdocs or mdx, else FLAVOUR)",
    )
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args()
    targets = [_target(text) for text in args.folders] or [
        (CORPUS / name, name, name) for name in ("hugo", "mkdocs", "mdx")
    ]
    rows = []
    for folder, flavour, generator in targets:
        if not folder.is_dir():
            print(f"skipped {folder}: not a folder", file=sys.stderr)
            continue
        if args.verbose:
            print(f"{folder} ({flavour})")
        pages, identity, kept, prose, translated = run(folder, flavour, generator, args.verbose)
        share = 100.0 * translated / prose if prose else 100.0
        rows.append((f"{folder.name} ({flavour})", pages, identity, kept, prose, translated, share))
    print(
        f"{'folder':<22} {'pages':>5}  {'identity':>9}  {'syntax kept':>11}  {'prose lines translated':>24}"
    )
    for name, pages, identity, kept, prose, translated, share in rows:
        print(
            f"{name:<22} {pages:>5}  {identity:>4}/{pages:<4}  {kept:>6}/{pages:<4}  "
            f"{translated:>8}/{prose:<5} {share:6.1f} %"
        )
    print("command: " + " ".join(["python", "bench/flavours.py", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
