"""Building blocks shared by slide kinds: text, bullet trees, code, images, columns."""

from __future__ import annotations

import dataclasses
import functools
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from generator.errors import Location, Problems, did_you_mean
from generator.model.charts import ChartData, chart_block
from generator.model.inline import Run, parse_inline, plain_text
from generator.model.schema import BuildContext, build, describe, spec, string, xml_safe
from generator.source.includes import confined_path, read_code, read_revision
from generator.source.yamlload import Map, Seq

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 50_000_000
MAX_TEXT_CHARS = 20_000


@dataclass
class Text:
    """A line of inline markup, parsed into runs."""

    runs: list[Run]
    loc: Location

    @property
    def plain(self) -> str:
        return plain_text(self.runs)


@dataclass
class BulletItem:
    """A bullet and the sub-list nested under it."""

    text: Text
    children: list[BulletItem] = field(default_factory=list)


@dataclass(frozen=True)
class Excerpt:
    """What a slide shows of a file, for the deck's fingerprint (see generator.sync).

    Every block a slide reads from a file (code, a picture, a chart's data) has an
    `excerpt()` method that returns one: shows is how the content names it
    (`snippets/ml_eval.py region 'metrics'`, `box.png`, `data/x.csv`); shown is what
    the slide shows of the file, as JSON-able data, or None when it shows the file
    whole (then its bytes are what counts). by_line_numbers is True for code named by
    `lines:`, which shows other code when lines above it are added or removed.
    in_article is False for what the Markdown article links rather than holds (a picture).
    commit is the git commit it was read at (`ref:`).
    """

    shows: str
    file: Path
    shown: Any = None
    by_line_numbers: bool = False
    in_article: bool = True
    commit: Optional[str] = None


@dataclass(frozen=True)
class Include:
    """What a code block was read from, as the content wrote it.

    file is relative to the content file; part is ("lines", "10-24"), ("region",
    NAME), ("symbol", NAME) or None for the whole file; ref is the git revision.
    """

    file: str
    part: Optional[tuple[str, str]] = None
    ref: Optional[str] = None

    def describe(self) -> str:
        """Return `snippets/ml_eval.py region 'metrics'` (`... at v1.2` with a ref)."""
        words = [self.file]
        if self.part is not None:
            words.append(f"{self.part[0]} '{self.part[1]}'")
        if self.ref is not None:
            words.append(f"at {self.ref}")
        return " ".join(words)


@dataclass
class CodeBlock:
    """Source code with its language; origin is the file it came from, if any.

    revision is (ref, commit id) when the file was read at a git revision (`ref:`);
    include is how the content named the file and the part of it shown.
    """

    source: str
    language: str
    loc: Location
    origin: Optional[Path] = None
    revision: Optional[tuple[str, str]] = None
    include: Optional[Include] = None

    def excerpt(self) -> Excerpt | None:
        """Return what this block shows of a file; None for code written in the content."""
        if self.include is None or self.origin is None:
            return None
        commit = self.revision[1] if self.revision is not None else None
        by_lines = self.include.part is not None and self.include.part[0] == "lines"
        return Excerpt(
            self.include.describe(), self.origin, [self.source, commit], by_lines, commit=commit
        )


@dataclass
class ImageRef:
    """A verified picture file inside the project, with its alt text."""

    path: Path
    alt: str
    width_px: int
    height_px: int
    loc: Location
    src: str = ""  # the path as the content wrote it, relative to the content file
    decorative: bool = False  # marked decorative: screen readers skip it, no alt text
    alt_loc: Optional[Location] = None  # where the alt text (or decorative:) is written

    def excerpt(self) -> Excerpt:
        """Return the picture as an excerpt: its file, whole."""
        return Excerpt(self.src or self.path.name, self.path, in_article=False)


def text(value: Any, where: Location, ctx: BuildContext) -> Text | None:
    """Convert a string of inline markup to Text."""
    raw = string(value, where, ctx)  # also refuses characters XML cannot hold
    if raw is None:
        return None
    where = getattr(value, "loc", where)
    if len(raw) > MAX_TEXT_CHARS:
        ctx.problems.error(
            where, f"text is {len(raw):,} characters; the limit is {MAX_TEXT_CHARS:,}"
        )
        return None
    return Text(parse_inline(raw, where, ctx.problems), where)


def bullet_list(value: Any, where: Location, ctx: BuildContext) -> list[BulletItem] | None:
    """Convert a list whose items are text, or {text: [sub-items]} mappings."""
    if not isinstance(value, Seq):
        ctx.problems.error(where, f"bullets must be a list, got {describe(value)}")
        return None
    items: list[BulletItem] = []
    for index, item in enumerate(value):
        loc = value.loc_of(index)
        if isinstance(item, Map):
            if len(item) != 1:
                ctx.problems.error(
                    loc,
                    "a nested bullet is one 'text: [sub-items]' pair",
                    "indent further items as their own '- ' entries",
                )
                continue
            ((label, children),) = item.items()
            head = text(label, item.key_locs[label], ctx)
            kids = bullet_list(children, item.loc_of(label), ctx)
            if head is not None and kids is not None:
                items.append(BulletItem(head, kids))
        else:
            converted = text(item, loc, ctx)
            if converted is not None:
                items.append(BulletItem(converted))
    return items


@functools.cache
def _builtin_languages() -> frozenset[str]:
    """Return the aliases of Pygments' own lexers, from its table (no lexer is imported)."""
    try:
        from pygments.lexers._mapping import LEXERS
    except ImportError:
        return frozenset()
    return frozenset(alias for _, _, aliases, _, _ in LEXERS.values() for alias in aliases)


@functools.cache
def _all_languages() -> frozenset[str]:
    """Return every lexer alias, plugins' included."""
    from pygments.lexers import get_all_lexers

    return frozenset(alias for _, names, _, _ in get_all_lexers() for alias in names)


def _language(value: Any, where: Location, ctx: BuildContext) -> str | None:
    name = string(value, where, ctx)
    if name is None:
        return None
    aliases = _builtin_languages()
    if name.lower() not in aliases:
        aliases = _all_languages()  # plugins too: this scans installed packages, so only now
    if name.lower() not in aliases:
        ctx.problems.error(
            where,
            f"unknown code language '{name}'",
            did_you_mean(name.lower(), aliases) or "use a Pygments lexer name",
        )
        return None
    return name.lower()


@dataclass
class _CodeFields:
    language: str = spec("Pygments language name.", _language)
    source: Optional[str] = spec("The code itself.", string, default=None)
    file: Optional[str] = spec(
        "A file to read the code from, relative to the content.", string, default=None
    )
    lines: Optional[str] = spec("Line range of file, e.g. 10-24.", string, default=None)
    region: Optional[str] = spec(
        "Region of file between [start:NAME] and [end:NAME].", string, default=None
    )
    symbol: Optional[str] = spec(
        "A function, class or method of file (Judge.score), with "
        "its decorators and the comments above it.",
        string,
        default=None,
    )
    ref: Optional[str] = spec(
        "A git revision (tag, branch, commit) to read file at.", string, default=None
    )


_PARTS = ("lines", "region", "symbol")


def code_fields(
    node: Map, ctx: BuildContext, ignore: frozenset[str] = frozenset(), what: str = "code"
) -> CodeBlock | None:
    """Build a CodeBlock from source: or file: (+ lines:, region: or symbol:, + ref:) keys."""
    fields = build(
        _CodeFields, node, node.loc, ctx, ignore=ignore, what=what, report_unknown=not ignore
    )  # with ignore, the slide reported them
    if fields is None:
        return None
    source, file = fields.source, fields.file
    given = [key for key in (*_PARTS, "ref") if getattr(fields, key) is not None]
    if source is not None and file is None:
        if given:
            ctx.problems.error(node.loc_of(given[0]), f"'{given[0]}' only goes with 'file'")
            return None
        return CodeBlock(source.rstrip("\n") + "\n", fields.language, node.loc_of("source"))
    if source is not None or file is None:
        ctx.problems.error(node.loc, f"{what} needs exactly one of 'source' or 'file'")
        return None
    parts = [key for key in _PARTS if key in given]
    if len(parts) > 1:
        last = max(parts, key=lambda key: (node.loc_of(key).line, node.loc_of(key).col))
        ctx.problems.error(
            node.loc_of(last),
            f"give one of 'lines', 'region' or "
            f"'symbol', not {' and '.join(repr(p) for p in parts)}",
        )
        return None
    where = node.loc_of("file")
    where_part = node.loc_of(parts[0]) if parts else where
    data = revision = None
    if fields.ref is not None:
        read = read_revision(
            file, fields.ref, ctx.base_dir, ctx.root_dir, where, node.loc_of("ref"), ctx.problems
        )
        if read is None:
            return None
        data, commit, path = read
        revision = (fields.ref, commit)
    else:
        found = confined_path(file, ctx.base_dir, ctx.root_dir, where, ctx.problems)
        if found is None:
            return None
        path = found
        ctx.files.append(path)
    source = read_code(
        path,
        file,
        where_part,
        ctx.problems,
        fields.lines,
        fields.region,
        symbol=fields.symbol,
        language=fields.language,
        data=data,
        revision=fields.ref or "",
    )
    if source is None or not xml_safe(source, where, ctx):  # the file's text
        return None
    part = (parts[0], getattr(fields, parts[0])) if parts else None
    return CodeBlock(
        source,
        fields.language,
        where,
        origin=path,
        revision=revision,
        include=Include(file, part, fields.ref),
    )


def shown_excerpts(value: Any, depth: int = 0) -> list[Excerpt]:
    """Return the excerpt of every block in value that shows a file, in field order.

    value is a deck, a slide or anything holding such blocks (any dataclass with an
    `excerpt()` method) in its fields and lists.
    """
    if depth > 8:
        return []
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        excerpt = getattr(value, "excerpt", None)
        if callable(excerpt):
            found = excerpt()
            return [found] if isinstance(found, Excerpt) else []
        return [
            found
            for f in dataclasses.fields(value)
            for found in shown_excerpts(getattr(value, f.name, None), depth + 1)
        ]
    if isinstance(value, (list, tuple)):
        return [found for item in value for found in shown_excerpts(item, depth + 1)]
    return []


def revisions(value: Any, depth: int = 0) -> list[tuple[Path, str, str]]:
    """Return (file, ref, commit id) of every code include read at a git revision in value.

    value is a deck, a slide or anything holding CodeBlocks in its fields and lists.
    """
    if isinstance(value, CodeBlock):
        if value.revision is None or value.origin is None:
            return []
        return [(value.origin, *value.revision)]
    if depth > 8:
        return []
    if isinstance(value, (list, tuple)):
        return [found for item in value for found in revisions(item, depth + 1)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [
            found
            for f in dataclasses.fields(value)
            for found in revisions(getattr(value, f.name, None), depth + 1)
        ]
    return []


def code_block(value: Any, where: Location, ctx: BuildContext) -> CodeBlock | None:
    """Convert a {language, source | file [lines | region | symbol] [ref]} mapping."""
    if not isinstance(value, Map):
        ctx.problems.error(where, f"code must be a mapping, got {describe(value)}")
        return None
    return code_fields(value, ctx)


def image(
    src: Any,
    alt: Any,
    where: Location,
    alt_where: Location,
    ctx: BuildContext,
    decorative: Any = None,
    decorative_where: Optional[Location] = None,
) -> ImageRef | None:
    """Verify an image file inside the project and pair it with its alt text."""
    relative = string(src, where, ctx)
    if decorative is not None:
        if not isinstance(decorative, bool):
            ctx.problems.error(decorative_where or where, "decorative must be true or false")
            return None
        if decorative and alt is not None:
            ctx.problems.error(
                decorative_where or where,
                "a decorative image has no alt text",
                "keep either 'alt:' or 'decorative: true'",
            )
            return None
    if decorative:
        alt = ""
    alt_text = string(alt, alt_where, ctx) if alt is not None else None
    if alt is None or (alt_text is not None and not alt_text.strip() and not decorative):
        ctx.problems.error(
            alt_where,
            "Missing alternative text: image needs alt text ('alt:') for screen readers",
            "describe what the picture shows, or mark it 'decorative: true'",
        )
        return None
    if relative is None or alt_text is None:
        return None
    found = _project_picture(relative, where, ctx)
    if found is None:
        return None
    path, (width, height) = found
    return ImageRef(
        path,
        alt_text,
        width,
        height,
        where,
        src=relative,
        decorative=bool(decorative),
        alt_loc=decorative_where if decorative else alt_where,
    )


def background_picture(value: Any, where: Location, ctx: BuildContext) -> ImageRef | None:
    """Verify a slide's background picture inside the project (decorative: no alt text)."""
    relative = string(value, where, ctx)
    if relative is None:
        return None
    found = _project_picture(relative, where, ctx)
    if found is None:
        return None
    path, (width, height) = found
    return ImageRef(path, "", width, height, where)


def _project_picture(
    relative: str, where: Location, ctx: BuildContext
) -> tuple[Path, tuple[int, int]] | None:
    """Return a picture's path inside the project and its pixel size, recorded as an input."""
    path = confined_path(relative, ctx.base_dir, ctx.root_dir, where, ctx.problems)
    if path is None:
        return None
    size = verify_image(path, relative, where, ctx.problems)
    if size is None:
        return None
    ctx.files.append(path)
    return path, size


IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "TIFF")
# Decoding a progressive JPEG costs a pass over the whole picture per scan: 2,000 scans
# of end-of-band runs (a 280 KB file) under the pixel limit took 5 s, 6,000 took 15 s.
# Encoders write 10 (libjpeg), a few dozen at most (mozjpeg).
MAX_JPEG_SCANS = 100
MAX_JPEG_SEGMENTS = 1_000  # markers outside the scans' data; real files have under 100
_JPEG_DATA_END = re.compile(rb"\xff[^\x00\xd0-\xd7]")  # a marker, not a stuffed 0xFF or RSTn
_NAME = "\0"  # where _inspect_image's messages name the picture


def verify_image(
    path: Path, relative: str, where: Location, problems: Problems
) -> tuple[int, int] | None:
    """Return (width, height) of a picture that is safe to put in a deck, else report why.

    The file must be under MAX_IMAGE_BYTES, a format PowerPoint shows, under
    MAX_IMAGE_PIXELS by its header, a JPEG of at most MAX_JPEG_SCANS scans, and decode
    completely: a text file named .png, a truncated file and a small file whose header
    claims a huge picture are all refused. A picture is decoded once per process while
    it does not change: ten slides showing one photo decode it once.
    """
    try:
        info = path.stat()
        resolved = str(path.resolve())
    except (OSError, RuntimeError) as exc:
        problems.error(where, f"cannot read '{relative}': {getattr(exc, 'strerror', None) or exc}")
        return None
    outcome = _inspect_image(resolved, info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev)
    if isinstance(outcome[0], int):
        return outcome[0], int(outcome[1])
    message, hint = outcome
    problems.error(where, str(message).replace(_NAME, relative), str(hint))
    return None


@functools.lru_cache(maxsize=256)
def _inspect_image(
    path: str, size: int, mtime_ns: int, inode: int, device: int
) -> tuple[int, int] | tuple[str, str]:
    """Return (width, height), or (message, hint) with _NAME where the name goes.

    Keyed by the file's identity, size and time, so a changed file is looked at again.
    """
    import warnings

    from PIL import Image, UnidentifiedImageError

    if size > MAX_IMAGE_BYTES:
        return (
            f"image '{_NAME}' is {size:,} bytes; the limit is {MAX_IMAGE_BYTES:,}",
            "scale it down or compress it",
        )
    try:
        with open(path, "rb") as handle, warnings.catch_warnings():
            data = handle.read(MAX_IMAGE_BYTES + 1)
            if len(data) > MAX_IMAGE_BYTES:  # it grew since the stat
                return (
                    f"image '{_NAME}' is more than {MAX_IMAGE_BYTES:,} bytes; the limit "
                    f"is {MAX_IMAGE_BYTES:,}",
                    "scale it down or compress it",
                )
            if data.startswith(b"\xff\xd8"):
                refused = _jpeg_cost(data)
                if refused:
                    return refused
            # Pillow warns from 89 Mpx; we refuse from MAX_IMAGE_PIXELS below anyway.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as picture:
                width, height = picture.size
                fmt = picture.format
                if width * height > MAX_IMAGE_PIXELS:
                    return (
                        f"image '{_NAME}' is {width:,}x{height:,} pixels; the limit is "
                        f"{MAX_IMAGE_PIXELS:,} pixels",
                        "scale it down",
                    )
                if fmt not in IMAGE_FORMATS:
                    return (
                        f"image '{_NAME}' is {fmt}, which PowerPoint does not show",
                        "use PNG, JPEG or GIF",
                    )
                picture.verify()
            with Image.open(io.BytesIO(data)) as picture:
                if picture.format == "JPEG":
                    # Every scan is still read (a cut file is still found), but the
                    # picture is made at 1/8 of its size: an eighth of the time to
                    # transform, a sixty-fourth of the memory.
                    picture.draft(picture.mode, (max(1, width // 8), max(1, height // 8)))
                picture.load()  # verify() reads chunks, not pixels: a cut file passes it
    except Image.DecompressionBombError as exc:
        pixels = re.search(r"\((\d+) pixels\)", str(exc))
        count = f"{int(pixels.group(1)):,} pixels" if pixels else "too many pixels"
        return (
            f"image '{_NAME}' has {count}; the limit is {MAX_IMAGE_PIXELS:,} pixels",
            "scale it down",
        )
    except UnidentifiedImageError:
        hint = (
            "SVG is not supported: export it as PNG"
            if path.lower().endswith(".svg")
            else "use PNG, JPEG or GIF"
        )
        return f"'{_NAME}' is not an image file", hint
    except OSError as exc:
        if exc.errno is not None:  # the file system, not the picture
            return f"cannot read '{_NAME}': {exc.strerror or exc}", ""
        return (f"image '{_NAME}' is damaged: {exc}", "export it again as PNG, JPEG or GIF")
    except Exception as exc:  # noqa: BLE001 - Pillow's decoders raise what they like
        return (
            f"image '{_NAME}' is damaged: {type(exc).__name__}",
            "export it again as PNG, JPEG or GIF",
        )
    return width, height


def _jpeg_cost(data: bytes) -> tuple[str, str] | None:
    """Return why a JPEG would cost too much to decode (too many scans), or None.

    Walks the markers (segment lengths, and the scans' data to the next marker) without
    decoding anything: linear in the file, and only a few steps a segment.
    """
    pos, scans, segments = 2, 0, 0
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:  # not at a marker: the file is damaged, Pillow will say so
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:  # end of image
            return None
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            pos += 2
            continue
        segments += 1
        if segments > MAX_JPEG_SEGMENTS:
            return (
                f"image '{_NAME}' is a JPEG of more than {MAX_JPEG_SEGMENTS:,} segments",
                "export it again as PNG or as a baseline JPEG",
            )
        end = pos + 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
        if marker != 0xDA:
            pos = end
            continue
        scans += 1
        if scans > MAX_JPEG_SCANS:
            return (
                f"image '{_NAME}' is a progressive JPEG of more than {MAX_JPEG_SCANS} "
                "scans, too slow to decode",
                "export it again as PNG or as a baseline JPEG",
            )
        after = _JPEG_DATA_END.search(data, end)
        pos = after.start() if after else len(data)
    return None


@dataclass
class Column:
    """One side of a comparison: a heading and one block."""

    heading: Optional[Text]
    bullets: Optional[list[BulletItem]] = None
    code: Optional[CodeBlock] = None
    text: Optional[Text] = None
    image: Optional[ImageRef] = None
    chart: Optional[ChartData] = None


_BLOCKS = ("bullets", "code", "text", "image", "chart")
_COLUMN_KEYS = ("heading", *_BLOCKS, "alt", "decorative")


def column(value: Any, where: Location, ctx: BuildContext) -> Column | None:
    """Convert a column block: heading plus one of bullets, code, text, image."""
    if not isinstance(value, Map):
        ctx.problems.error(where, f"a column must be a mapping, got {describe(value)}")
        return None
    for key in value:
        if key not in _COLUMN_KEYS:
            ctx.problems.error(
                value.key_locs[key],
                f"unknown field '{key}' in column",
                did_you_mean(key, _COLUMN_KEYS)
                or "a column has heading and one of bullets, code, text, image, chart",
            )
    blocks = [k for k in _BLOCKS if k in value]
    if len(blocks) != 1:
        ctx.problems.error(
            value.loc,
            "a column needs exactly one of bullets, code, text, "
            f"image, chart (found {', '.join(blocks) or 'none'})",
        )
        return None
    heading = text(value["heading"], value.loc_of("heading"), ctx) if "heading" in value else None
    kind = blocks[0]
    loc = value.loc_of(kind)
    if kind == "bullets":
        result = Column(heading, bullets=bullet_list(value[kind], loc, ctx))
    elif kind == "code":
        result = Column(heading, code=code_block(value[kind], loc, ctx))
    elif kind == "text":
        result = Column(heading, text=text(value[kind], loc, ctx))
    elif kind == "chart":
        result = Column(heading, chart=chart_block(value[kind], loc, ctx))
    else:
        result = Column(
            heading,
            image=image(
                value[kind],
                value.get("alt"),
                loc,
                value.loc_of("alt") if "alt" in value else value.loc,
                ctx,
                value.get("decorative"),
                value.loc_of("decorative") if "decorative" in value else None,
            ),
        )
    if getattr(result, kind) is None:
        return None
    return result
