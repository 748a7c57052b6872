"""Choose a template layout for every slide kind: by name, by placeholder structure, else blank.

Layouts are chosen per role (generator.model.registry.ROLES), so a new kind that plays a
known role gets a layout without an edit here. The choice carries the boxes a writer fills:
the layout's own placeholders where they suit the role, else areas computed inside the
template's body area, so a slide never leaves the template's design.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from generator.model.geometry import Box
from generator.model.registry import ROLES, kinds
from generator.theme.template import (
    FOOTERS,
    MEDIA,
    TEXTS,
    TITLES,
    LayoutInfo,
    PlaceholderInfo,
    TemplateInfo,
)

GAP = 91440  # 0.1 in between the title and a computed body area
# Roles with one large line or two (a title, a statement) rather than a body.
HEADLINE_ROLES = ("opening", "divider", "sentence", "closing")


@dataclass(frozen=True)
class LayoutChoice:
    """The layout for one slide kind and the boxes a writer fills.

    A None placeholder means "draw it" in the matching box. body_box is always set: the body
    placeholder's box, else an area inside the template's own body area. For a fallback the
    layout's title (if any) moves to title_box, the master's title position.
    """

    kind: str
    role: str
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


# Role -> (sldLayout@type values, English name words) that confirm a structural match.
HINTS = {
    "opening": (("title",), ("title slide",)),
    "divider": (("secHead",), ("section",)),
    "content": (("obj", "tx"), ("title and content",)),
    "columns": (("twoObj", "twoTxTwoObj"), ("two content", "comparison")),
    "canvas": (("titleOnly",), ("title only",)),
    "sentence": (("titleOnly",), ("title only",)),
    "closing": (("title", "secHead"), ("title slide", "closing", "section")),
}
OTHER_MASTER_PENALTY = 25  # keep a deck on one master unless another fits clearly better


def choose_layouts(info: TemplateInfo, wanted: dict[str, str] | None = None
                   ) -> dict[str, LayoutChoice]:
    """Return a layout choice for every registered slide kind.

    A layout named in `wanted` (kind -> name, see TemplateInfo.find_layout) wins; else the
    best placeholder structure for the kind's role across every master, preferring the
    master that suits most roles; else a blank layout with drawn shapes. Names the
    template lacks are reported when the theme loads; here they are passed over.
    """
    played = [cls.role for cls in kinds().values()]  # a role counts once per kind
    roles = sorted(set(played), key=list(ROLES).index)

    def score(role: str, lay: LayoutInfo) -> int:
        return _score(role, lay, info.height)

    totals = [
        sum(max((score(r, lay) for lay in m.layouts), default=0) for r in played)
        for m in info.masters
    ]
    home = totals.index(max(totals))
    by_role = {}
    for role in roles:
        ranked = [
            (score(role, lay) - OTHER_MASTER_PENALTY * (lay.master_index != home), -n, lay)
            for n, lay in enumerate(info.layouts)
            if score(role, lay) > 0
        ]
        if ranked:
            by_role[role] = _choice("", role, max(ranked, key=lambda r: r[:2])[2], "structure",
                                    info)
        else:
            by_role[role] = _choice("", role, _fallback(info, home), "fallback", info)
    choices = {}
    for kind, cls in kinds().items():
        named = info.find_layout(wanted[kind]) if wanted and kind in wanted else None
        if named is not None:
            choices[kind] = _choice(kind, cls.role, named, "named", info)
        else:
            choices[kind] = replace(by_role[cls.role], kind=kind)
    return choices


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


def _score(role: str, lay: LayoutInfo, slide_h: int) -> int:
    """Return how well a layout's placeholders suit a role: 0 unsuitable, higher is better."""
    t, texts, media = lay.title, lay.of_type(*TEXTS), lay.of_type(*MEDIA)
    if lay.type in ("vertTx", "vertTitleAndTx") or any(p.vertical for p in [*texts, t] if p):
        return 0
    big = [p for p in texts if p.box.h >= slide_h * 2 // 5]
    title_only = t is not None and not texts and not media
    section_like = t is not None and len(texts) == 1 and not big and not media
    centered = t is not None and t.type == "ctrTitle"
    subtitled = bool(lay.of_type("subTitle"))
    if role == "opening" and centered:
        s = 100 if subtitled else 80 if texts else 60
    elif role == "opening":
        s = 50 if t and subtitled else 30 if section_like else 20 if title_only else 0
    elif role == "divider":
        s = 70 if section_like else 40 if title_only else 30 if centered else 0
    elif role == "content" and t and len(texts) == 1 and big and not media:
        s = 100
    elif role == "content":
        s = 50 if title_only else 40 if t and big else 0
    elif role == "columns":
        pair = _pair(lay) if t else None
        if pair:
            small, large = sorted(_area(p.box) for p in pair)
            others = [p for p in texts if p not in pair]
            minor = all(_area(p.box) < small for p in others)  # column headings
            s = (100 if not others else 80 if minor else 60) if small >= 0.75 * large else 60
        else:
            s = 30 if title_only else 20 if t and big else 0
    elif role == "canvas":
        s = 100 if title_only else 60 if t and len(texts) == 1 and big and not media else 0
    elif role == "closing":  # the last word: large and centred, like the opening
        s = 100 if centered and subtitled else 80 if section_like or centered else 60 * title_only
    else:  # sentence
        s = 100 if title_only else 80 if section_like else 0
    types, words = HINTS[role]
    if s and (lay.type in types or any(w in lay.name.casefold() for w in words)):
        s += 15
    return s


def _fallback(info: TemplateInfo, home: int) -> LayoutInfo:
    """Return a blank layout (home master first, fewest decorations), else the emptiest one."""

    def emptiness(lay: LayoutInfo) -> tuple[int, bool, int]:
        return len(lay.of_type(*TITLES, *TEXTS, *MEDIA)), lay.master_index != home, lay.shapes

    return min(info.layouts, key=emptiness)


def _choice(kind: str, role: str, lay: LayoutInfo, how: str, info: TemplateInfo
            ) -> LayoutChoice:
    """Return the placeholders and boxes a writer fills for a kind of `role` on `lay`."""
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
    elif role in HEADLINE_ROLES:
        small = [p for p in texts if p.box.h < info.height * 2 // 5]
        sub = next(iter(lay.of_type("subTitle")), None) or next(iter(small), None)
        rest = [p for p in texts if p is not sub]
        extra["subtitle"] = sub
        if role == "opening" and rest:
            extra["body"] = rest[0]  # the author and date line
        if role == "opening" and rest:
            area = rest[0].box
        elif sub is not None and role != "sentence":  # a sentence takes the body area
            area = sub.box
    elif role == "content" and texts:
        extra["body"] = max(texts, key=lambda p: _area(p.box))
        area = extra["body"].box
    elif role == "columns" and (pair := _pair(lay)) is not None:
        left, right = pair
        top, bottom = min(left.box.y, right.box.y), max(left.box.bottom, right.box.bottom)
        area = Box(left.box.x, top, right.box.right - left.box.x, bottom - top)
        smaller, larger = sorted(_area(p.box) for p in (left, right))
        if smaller >= 0.75 * larger:  # else two equal columns are drawn over both boxes
            extra.update(left=left, right=right, left_box=left.box, right_box=right.box)
    elif texts:  # canvas and columns: drawn where the content placeholder was
        area = max((p.box for p in texts), key=_area)
    if role == "columns" and "left_box" not in extra:
        half = (area.w - area.w // 25) // 2
        extra.update(
            left_box=Box(area.x, area.y, half, area.h),
            right_box=Box(area.right - half, area.y, half, area.h),
        )
    for role, ph_type in (("date", "dt"), ("footer", "ftr"), ("slide_number", "sldNum")):
        extra[role] = next(iter(lay.of_type(ph_type)), None)
    return LayoutChoice(kind, role, lay, how, title_box, area, title=title, **extra)


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
