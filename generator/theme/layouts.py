"""Choose a template layout for every slide kind: by name, by placeholder structure, else blank.

The choice carries the boxes a writer fills: the layout's own placeholders where they suit the
kind, else areas computed inside the template's body area, so a slide never leaves the
template's design.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.errors import did_you_mean
from generator.layout.plan import Box
from generator.theme.template import (
    FOOTERS,
    MEDIA,
    TEXTS,
    TITLES,
    LayoutInfo,
    PlaceholderInfo,
    TemplateInfo,
)

KINDS = tuple("title section bullets table comparison code statement image closing".split())
GAP = 91440  # 0.1 in between the title and a computed body area


@dataclass(frozen=True)
class LayoutChoice:
    """The layout for one slide kind and the boxes a writer fills.

    A None placeholder means "draw it" in the matching box. body_box is always set: the body
    placeholder's box, else an area inside the template's own body area. For a fallback the
    layout's title (if any) moves to title_box, the master's title position.
    """

    kind: str
    layout: LayoutInfo
    how: str  # "named", "structure" or "fallback"
    title_box: Box
    body_box: Box
    title: PlaceholderInfo | None = None
    subtitle: PlaceholderInfo | None = None
    body: PlaceholderInfo | None = None
    left: PlaceholderInfo | None = None
    right: PlaceholderInfo | None = None
    left_box: Box | None = None
    right_box: Box | None = None
    footer: PlaceholderInfo | None = None
    date: PlaceholderInfo | None = None
    slide_number: PlaceholderInfo | None = None

    @property
    def name(self) -> str:
        return self.layout.name


# Kind -> (sldLayout@type values, English name words) that confirm a structural match.
HINTS = {
    "title": (("title",), ("title slide",)),
    "section": (("secHead",), ("section",)),
    "bullets": (("obj", "tx"), ("title and content",)),
    "comparison": (("twoObj", "twoTxTwoObj"), ("two content", "comparison")),
    **{k: (("titleOnly",), ("title only",)) for k in ("table", "code", "image", "statement")},
    "closing": (("title", "secHead"), ("title slide", "closing", "section")),
}
OTHER_MASTER_PENALTY = 25  # keep a deck on one master unless another fits clearly better


def choose_layouts(
    info: TemplateInfo, wanted: dict[str, str] | None = None
) -> tuple[dict[str, LayoutChoice], list[tuple[str, str, str]]]:
    """Return a layout choice for every slide kind, and problems as (kind, message, hint).

    A name in `wanted` wins (exact, then case-insensitive); else the best placeholder structure
    across every master, preferring the master that suits most kinds; else a blank layout with
    drawn shapes. An unknown kind or layout name is a problem, never an exception.
    """
    problems: list[tuple[str, str, str]] = []
    named: dict[str, LayoutInfo] = {}
    for kind, name in (wanted or {}).items():
        if kind not in KINDS:
            hint = did_you_mean(kind, KINDS) or "kinds: " + ", ".join(KINDS)
            problems.append((kind, f"unknown slide kind '{kind}' in layouts", hint))
            continue
        found = [lay for lay in info.layouts if lay.name == name] or [
            lay for lay in info.layouts if lay.name.casefold() == str(name).strip().casefold()
        ]
        if found:
            named[kind] = found[0]
            continue
        names = sorted({lay.name for lay in info.layouts})
        listing = ", ".join(f"'{n}'" for n in names[:12]) + (", ..." if len(names) > 12 else "")
        hint = did_you_mean(str(name), names) or f"its layouts are {listing}"
        problems.append((kind, f"layout '{name}' for {kind} slides is not in the template", hint))

    def score(kind: str, lay: LayoutInfo) -> int:
        return _score(kind, lay, info.height)

    totals = [
        sum(max((score(k, lay) for lay in m.layouts), default=0) for k in KINDS)
        for m in info.masters
    ]
    home = totals.index(max(totals))
    choices = {}
    for kind in KINDS:
        ranked = [
            (score(kind, lay) - OTHER_MASTER_PENALTY * (lay.master_index != home), -n, lay)
            for n, lay in enumerate(info.layouts)
            if score(kind, lay) > 0
        ]
        if kind in named:
            choices[kind] = _choice(kind, named[kind], "named", info)
        elif ranked:
            choices[kind] = _choice(kind, max(ranked, key=lambda r: r[:2])[2], "structure", info)
        else:
            choices[kind] = _choice(kind, _fallback(info, home), "fallback", info)
    return choices, problems


def _area(box: Box) -> int:
    return box.w * box.h


def _pair(lay: LayoutInfo) -> tuple[PlaceholderInfo, PlaceholderInfo] | None:
    """Return the two largest side-by-side body/obj placeholders, left first, or None."""
    cols = sorted(lay.of_type("body", "obj"), key=lambda p: -_area(p.box))
    for i, a in enumerate(cols):
        for b in cols[i + 1 :]:
            apart = a.box.right <= b.box.x or b.box.right <= a.box.x
            if apart and a.box.y < b.box.bottom and b.box.y < a.box.bottom:
                return (a, b) if a.box.x < b.box.x else (b, a)
    return None


def _score(kind: str, lay: LayoutInfo, slide_h: int) -> int:
    """Return how well a layout's placeholders suit a kind: 0 unsuitable, higher is better."""
    t, texts, media = lay.title, lay.of_type(*TEXTS), lay.of_type(*MEDIA)
    if lay.type in ("vertTx", "vertTitleAndTx") or any(p.vertical for p in [*texts, t] if p):
        return 0
    big = [p for p in texts if p.box.h >= slide_h * 2 // 5]
    title_only = t is not None and not texts and not media
    section_like = t is not None and len(texts) == 1 and not big and not media
    centered = t is not None and t.type == "ctrTitle"
    subtitled = bool(lay.of_type("subTitle"))
    if kind == "title" and centered:
        s = 100 if subtitled else 80 if texts else 60
    elif kind == "title":
        s = 50 if t and subtitled else 30 if section_like else 20 if title_only else 0
    elif kind == "section":
        s = 70 if section_like else 40 if title_only else 30 if centered else 0
    elif kind == "bullets" and t and len(texts) == 1 and big and not media:
        s = 100
    elif kind == "bullets":
        s = 50 if title_only else 40 if t and big else 0
    elif kind == "comparison":
        pair = _pair(lay) if t else None
        if pair:
            small, large = sorted(_area(p.box) for p in pair)
            others = [p for p in texts if p not in pair]
            minor = all(_area(p.box) < small for p in others)  # column headings
            s = (100 if not others else 80 if minor else 60) if small >= 0.75 * large else 60
        else:
            s = 30 if title_only else 20 if t and big else 0
    elif kind in ("table", "code", "image"):
        s = 100 if title_only else 60 if t and len(texts) == 1 and big and not media else 0
    elif kind == "closing":  # the last word: large and centred, like the opening
        s = 100 if centered and subtitled else 80 if section_like or centered else 60 * title_only
    else:  # statement
        s = 100 if title_only else 80 if section_like else 0
    types, words = HINTS[kind]
    if s and (lay.type in types or any(w in lay.name.casefold() for w in words)):
        s += 15
    return s


def _fallback(info: TemplateInfo, home: int) -> LayoutInfo:
    """Return a blank layout (home master first, fewest decorations), else the emptiest one."""

    def emptiness(lay: LayoutInfo) -> tuple[int, bool, int]:
        return len(lay.of_type(*TITLES, *TEXTS, *MEDIA)), lay.master_index != home, lay.shapes

    return min(info.layouts, key=emptiness)


def _choice(kind: str, lay: LayoutInfo, how: str, info: TemplateInfo) -> LayoutChoice:
    """Return the placeholders and boxes a writer fills for `kind` on `lay`."""
    master = info.masters[lay.master_index].placeholders
    title = lay.title
    if title is not None and how != "fallback":
        title_box = title.box
    elif "title" in master:
        title_box = master["title"].box
    else:
        title_box = Box(0, 0, info.width, info.height // 6).inset(info.width // 20)
    area = _body_area(info, lay, title_box)
    texts = sorted(lay.of_type(*TEXTS), key=lambda p: (p.box.y, p.box.x))
    extra: dict[str, Any] = {}
    if how == "fallback":
        pass  # everything but the title is drawn
    elif kind in ("title", "section", "statement", "closing"):
        small = [p for p in texts if p.box.h < info.height * 2 // 5]
        sub = next(iter(lay.of_type("subTitle")), None) or next(iter(small), None)
        rest = [p for p in texts if p is not sub]
        extra["subtitle"] = sub
        if kind == "title" and rest:
            extra["body"] = rest[0]  # the author and date line
        if kind == "title" and rest:
            area = rest[0].box
        elif sub is not None and kind != "statement":  # a statement takes the body area
            area = sub.box
    elif kind == "bullets" and texts:
        extra["body"] = max(texts, key=lambda p: _area(p.box))
        area = extra["body"].box
    elif kind == "comparison" and (pair := _pair(lay)) is not None:
        left, right = pair
        top, bottom = min(left.box.y, right.box.y), max(left.box.bottom, right.box.bottom)
        area = Box(left.box.x, top, right.box.right - left.box.x, bottom - top)
        smaller, larger = sorted(_area(p.box) for p in (left, right))
        if smaller >= 0.75 * larger:  # else two equal columns are drawn over both boxes
            extra.update(left=left, right=right, left_box=left.box, right_box=right.box)
    elif texts:  # table, code, image, comparison: drawn where the content placeholder was
        area = max((p.box for p in texts), key=_area)
    if kind == "comparison" and "left_box" not in extra:
        half = (area.w - area.w // 25) // 2
        extra.update(
            left_box=Box(area.x, area.y, half, area.h),
            right_box=Box(area.right - half, area.y, half, area.h),
        )
    for role, ph_type in (("date", "dt"), ("footer", "ftr"), ("slide_number", "sldNum")):
        extra[role] = next(iter(lay.of_type(ph_type)), None)
    return LayoutChoice(kind, lay, how, title_box, area, title=title, **extra)


def _body_area(info: TemplateInfo, lay: LayoutInfo, title_box: Box) -> Box:
    """Return the master's body area, clipped below the title and above the footers."""
    base = info.body_area(lay.master_index)
    middle = base.y + base.h // 2
    top = max(base.y, title_box.bottom + GAP) if title_box.y < middle else base.y
    master = info.masters[lay.master_index].placeholders
    footers = lay.of_type(*FOOTERS) or [p for t, p in master.items() if t in FOOTERS]
    bottom = min([base.bottom] + [f.box.y - GAP for f in footers if f.box.y > middle])
    if bottom - top < base.h // 3:
        return base  # the template's own area beats a sliver
    return Box(base.x, top, base.w, bottom - top)
