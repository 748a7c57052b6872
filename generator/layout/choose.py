"""Choose a template layout for every slide kind: by name, by placeholder structure, else blank.

Layouts are chosen per role (generator.model.registry.ROLES), so a new kind that plays a
known role gets a layout without an edit here. The choice carries the boxes a writer fills:
the layout's own placeholders where they suit the role, else areas computed inside the
template's body area, so a slide never leaves the template's design.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from generator.model.geometry import Box, covered, inches, largest_free
from generator.model.registry import ROLES, kinds
from generator.theme.colors import MIN_CONTRAST, blend, contrast, legible_color, worst_contrast
from generator.theme.template import (
    FOOTERS,
    MEDIA,
    TEXTS,
    TITLES,
    Art,
    Backdrop,
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
    subtitle_box: Box | None = None  # where the subtitle goes: its placeholder, clear of art
    footer: PlaceholderInfo | None = None
    date: PlaceholderInfo | None = None
    slide_number: PlaceholderInfo | None = None
    why: str = ""  # how it was chosen, in words, for `theme init`

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


def choose_layouts(
    info: TemplateInfo, wanted: dict[str, Any] | None = None
) -> dict[str, LayoutChoice]:
    """Return a layout choice for every registered slide kind.

    A layout named in `wanted` (kind -> name, or {layout, master}; see
    TemplateInfo.find_layout) wins. Otherwise each role gets the layout whose placeholders
    suit it best once the template's artwork is taken into account: boxes are moved or
    shrunk clear of artwork, and a layout whose body area is too small for a reasonable
    body, or sits on colours no text reads on, scores low. The template's own sample slides
    are evidence (the first one shows the opening, the others ordinary content), and roles
    stay on the content's master unless another fits clearly better. Without any suitable
    layout a blank one is used, with shapes drawn clear of its artwork. Names the template
    lacks are reported when the theme loads; here they are passed over.
    """
    played = [cls.role for cls in kinds().values()]
    roles = sorted(set(played), key=list(ROLES).index)
    ranked = {role: _rank_role(info, role) for role in roles}
    home = _home_master(info, ranked)
    by_role = {}
    for role in roles:
        penalty = (
            HERO_MASTER_PENALTY
            if role in ("opening", "divider", "closing")
            else OTHER_MASTER_PENALTY
        )
        options = [
            (points - penalty * (choice.layout.master_index != home), -n, choice)
            for n, (points, choice) in enumerate(ranked[role])
            if points > 0
        ]
        if options:
            by_role[role] = max(options, key=lambda o: o[:2])[2]
        else:
            lay = _fallback(info, home)
            by_role[role] = _fit_to_art(_choice("", role, lay, "fallback", info), info)[0]
    choices = {}
    for kind, cls in kinds().items():
        named = _named(info, wanted.get(kind)) if wanted and kind in wanted else None
        if named is not None:
            choice, _ = _fit_to_art(_choice(kind, cls.role, named, "named", info), info)
            choices[kind] = replace(choice, why="named in the theme")
        else:
            choices[kind] = replace(by_role[cls.role], kind=kind)
    return choices


def _named(info: TemplateInfo, value: Any) -> LayoutInfo | None:
    """Return the layout a `layouts:` value names: "Name" or {layout: Name, master: N}."""
    if isinstance(value, dict):
        return info.find_layout(str(value.get("layout", "")), value.get("master"))
    return info.find_layout(str(value)) if value is not None else None


#: Points off for a layout on another master than the content's: a deck stays on one
#: master unless another fits clearly better (less for a title or section page, which
#: designers often put on a hero master).
OTHER_MASTER_PENALTY = 25
HERO_MASTER_PENALTY = 10
#: The body height each role needs at its preferred size: about eight lines of 24 pt
#: bullets, a six-row table, two columns of a few items; a line for a subtitle.
NEEDED_HEIGHT = {
    "content": inches(3.3),
    "canvas": inches(3.0),
    "columns": inches(3.0),
    "sentence": inches(1.5),
    "opening": inches(0.8),
    "divider": inches(0.8),
    "closing": inches(0.8),
}
#: Artwork at least this share of the slide is a background picture: text goes over it
#: (in a colour that reads on it), not around it.
BACKGROUND_SHARE = 0.5


def _rank_role(info: TemplateInfo, role: str) -> list[tuple[float, LayoutChoice]]:
    """Return (points, choice) for every layout: structure times fit, plus evidence."""
    ranked = []
    first = info.samples[0] if info.samples else None
    content_masters = [m for m, _ in info.samples[1:]]
    for lay in info.layouts:
        points = _score(role, lay, info.height)
        if points <= 0:
            ranked.append((0.0, _choice("", role, lay, "structure", info)))
            continue
        choice, factor = _fit_to_art(_choice("", role, lay, "structure", info), info)
        score = points * factor
        why = [choice.why] if choice.why else []
        if role == "opening" and first == (lay.master_index, lay.layout_index):
            score += 30
            why.append("the template's first sample slide")
        elif role in ("opening", "divider", "closing") and first and first[0] == lay.master_index:
            score += 10
            why.append("the master of the template's title slide")
        elif role not in ("opening",) and lay.master_index in content_masters:
            score += 10 + 5 * (content_masters.count(lay.master_index) > 1)
            why.append("the master of the template's content samples")
        ranked.append((score, replace(choice, why="; ".join(why) or "its placeholders")))
    return ranked


def _home_master(info: TemplateInfo, ranked: dict[str, list[tuple[float, LayoutChoice]]]) -> int:
    """Return the master ordinary content goes on: the best one for the content roles."""
    totals = [0.0] * len(info.masters)
    for role in ("content", "canvas", "columns"):
        for master in range(len(info.masters)):
            totals[master] += max(
                (
                    points
                    for points, choice in ranked.get(role, [])
                    if choice.layout.master_index == master
                ),
                default=0.0,
            )
    return totals.index(max(totals))


def _fit_to_art(choice: LayoutChoice, info: TemplateInfo) -> tuple[LayoutChoice, float]:
    """Return the choice with its boxes clear of the layout's artwork, and a factor
    (0..1) for how well it then suits its role: room for a body, legible colours."""
    slide = Box(0, 0, info.width, info.height)
    backdrop = choice.layout.backdrop
    art = _obstacle_art(choice.layout, slide)
    obstacles = [part for a in art for part in a.covers]
    factor, notes = 1.0, []
    master = info.masters[choice.layout.master_index].placeholders
    title_box, clean = _clear_title(choice.title_box, master.get("title"), art)
    if not clean:
        factor *= 0.6
        notes.append("title over artwork")
    body_candidates = [choice.body_box]
    if choice.how == "fallback" or choice.role in ("canvas", "columns", "content"):
        if "body" in master and master["body"].box != choice.body_box:
            body_candidates.append(master["body"].box)
    needed = NEEDED_HEIGHT[choice.role]
    best: Box | None = None
    for candidate in body_candidates:
        candidate = _inside_panel(candidate, backdrop.art)
        free = largest_free(candidate, obstacles, candidate.w // 3, inches(0.5))
        if free is not None and (best is None or free.area > best.area):
            best = free
    body_box = best or choice.body_box
    if best is None:
        factor *= 0.1
        notes.append("no room clear of artwork")
    else:
        room = min(1.0, best.h / needed) * min(1.0, best.w / (info.width * 0.55))
        # Past what the role needs, more room still helps a little: fewer continuations.
        factor *= room * room * (0.8 + 0.4 * min(1.0, best.area / (slide.area * 0.6)))
        if room < 0.8:
            notes.append("little room")
    master_title = master.get("title")
    if (
        choice.role in ("content", "canvas", "columns")
        and master_title is not None
        and title_box.y + title_box.h // 2 > body_box.y
        and master_title.box.bottom <= body_box.y + GAP
    ):
        # The layout's title sits mid-slide but the master's is above the body (LibreOffice
        # writes the same layout boxes under every master): the master knows its design.
        title_box = master_title.box
    if (
        choice.role in ("content", "canvas", "columns")
        and title_box.y + title_box.h // 2 > body_box.y
    ):
        # A title in the middle of the slide (a title or section master's) would sit
        # under the body: this layout is no place for content.
        factor *= 0.05
        notes.append("its title is not above the body")
    colors, busy = backdrop.under(body_box)
    if busy or worst_contrast(legible_color(colors, [])[0], colors) < MIN_CONTRAST:
        factor *= 0.3
        notes.append("busy artwork under the body")
    extra: dict[str, Any] = {"title_box": title_box, "body_box": body_box, "why": ", ".join(notes)}
    if body_box != choice.body_box:
        if choice.body is not None and choice.role == "content":
            pass  # the body placeholder is kept, moved clear of the artwork
        if choice.role == "columns":
            half = (body_box.w - body_box.w // 25) // 2
            extra.update(
                left=None,
                right=None,
                left_box=Box(body_box.x, body_box.y, half, body_box.h),
                right_box=Box(body_box.right - half, body_box.y, half, body_box.h),
            )
    if choice.subtitle_box is not None:
        free = largest_free(choice.subtitle_box, obstacles, choice.subtitle_box.w // 3, inches(0.4))
        extra["subtitle_box"] = free or choice.subtitle_box
    return replace(choice, **extra), factor


def _obstacle_art(layout: LayoutInfo, slide: Box) -> list[Art]:
    """Return the artwork text keeps clear of: not background pictures, not faint texture."""
    backdrop = layout.backdrop
    return [
        a
        for n, a in enumerate(backdrop.art)
        if a.box.area < slide.area * BACKGROUND_SHARE
        and max(a.box.w, a.box.h) >= SPECK
        and not _quiet(a, _painted_under(n, backdrop))
    ]


#: A body box this much inside an opaque panel belongs on it: it is cut to the panel
#: (keeping this margin from its edge) rather than crossing the panel's edge.
PANEL_SHARE = 0.75
PANEL_MARGIN = inches(0.1)


def _inside_panel(box: Box, art: tuple[Art, ...]) -> Box:
    """Return box cut to the opaque rectangular panel it mostly lies on (Yellow Idea's
    yellow card on white), so text never runs across the panel's edge; box itself when
    it lies on no panel or wholly inside one."""
    for panel in art:
        solid = panel.image is None and bool(panel.colors) and panel.alpha >= OPAQUE
        if not solid or len(panel.parts) > 1:  # a picture, a line, a triangle: no card
            continue
        inner = panel.box.inset(PANEL_MARGIN)
        overlap = inner.intersection(box)
        if overlap is None or overlap == box or overlap.area < PANEL_SHARE * box.area:
            continue
        return overlap
    return box


def _painted_under(index: int, backdrop: Backdrop) -> tuple[str, ...]:
    """Return the colours a piece of artwork is drawn on: the nearest opaque fill below it
    in z-order that holds it (Yellow Idea's white bulb on its yellow panel), else the
    background."""
    art = backdrop.art[index]
    for below in reversed(backdrop.art[:index]):
        if below.colors and below.image is None and below.alpha >= OPAQUE and _holds(below, art):
            return below.colors
    return backdrop.background


#: Artwork no longer than this either way (a sparkle, a tick) is a speck text may cross:
#: as obstacles they would cut the body into slivers; its colour is still measured.
SPECK = inches(0.3)
#: A fill at least this opaque hides what is under it.
OPAQUE = 0.9


def _holds(outer: Art, inner: Art) -> bool:
    box = inner.box
    return any(
        part.x <= box.x
        and part.y <= box.y
        and part.right >= box.right
        and part.bottom >= box.bottom
        for part in outer.covers
    )


def clear_of_art(box: Box, layout: LayoutInfo, info: TemplateInfo) -> Box:
    """Return box, or its largest part clear of the layout's artwork when it touches some
    (a footer over a corner triangle); box itself when no useful part is clear."""
    slide = Box(0, 0, info.width, info.height)
    obstacles = [part for a in _obstacle_art(layout, slide) for part in a.covers]
    if covered(box, obstacles) == 0:
        return box
    # Narrowed by at most a quarter: a date or footer squeezed into a sliver would shrink
    # its text; over artwork it is recoloured, or given a panel, instead.
    return largest_free(box, obstacles, box.w * 3 // 4, box.h * 2 // 3) or box


def _quiet(art: Art, background: tuple[str, ...]) -> bool:
    """Return whether artwork is a faint texture on the background (a watermark, a pale
    circle) that text may cross: not busy, and all its colours close to the background's.
    The text colour is still measured against it."""
    seen = [blend(color, back, 1 - art.alpha) for color in art.colors for back in background]
    return (
        not art.busy
        and bool(art.colors)
        and all(contrast(color, back) < QUIET_CONTRAST for color in seen for back in background)
    )


#: Artwork this close to the background (contrast ratio) is texture, not an obstacle.
QUIET_CONTRAST = 1.25


def _clear_title(
    box: Box, master_title: PlaceholderInfo | None, art: list[Art]
) -> tuple[Box, bool]:
    """Return a title box that is clear of artwork or designed on it, and whether one was
    found: the layout's, else the master's (LibreOffice writes one set of layout boxes
    for every master; the master's own title knows its artwork), else the free part."""
    candidates = [box] + ([master_title.box] if master_title is not None else [])
    obstacles = [part for a in art for part in a.covers]
    for candidate in candidates:
        if covered(candidate, obstacles) < 0.03:
            return candidate, True
        for piece in art:  # a band the title was designed to sit on
            overlap = piece.box.intersection(candidate)
            if (
                not piece.busy
                and not piece.parts
                and overlap is not None
                and overlap.area >= 0.9 * candidate.area
            ):
                return candidate, True
    free = largest_free(box, obstacles, box.w // 2, min(box.h, inches(0.6)))
    if free is not None:
        return free, True
    return box, False


def _area(box: Box) -> int:
    return box.w * box.h


PAIR_CANDIDATES = 24  # body placeholders, largest first, searched for a side-by-side pair


def _pair(lay: LayoutInfo) -> tuple[PlaceholderInfo, PlaceholderInfo] | None:
    """Return the two largest side-by-side body/obj placeholders, left first, or None."""
    # The largest few only: the search is quadratic in what it looks at.
    cols = sorted(lay.of_type("body", "obj"), key=lambda p: -_area(p.box))[:PAIR_CANDIDATES]
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
    # A subtitle is no body: LibreOffice marks its title layout type="tx" like a content one.
    bodies = [p for p in texts if p.type != "subTitle"]
    big_body = [p for p in bodies if p.box.h >= slide_h * 2 // 5]
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
    elif role == "content" and t and len(bodies) == 1 and big_body and not media:
        s = 100
    elif role == "content":
        s = 50 if title_only else 40 if t and big_body else 0
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
        s = 100 if title_only else 60 if t and len(bodies) == 1 and big_body and not media else 0
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


def _choice(kind: str, role: str, lay: LayoutInfo, how: str, info: TemplateInfo) -> LayoutChoice:
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
    elif role == "content" and (bodies := [p for p in texts if p.type != "subTitle"]):
        extra["body"] = max(bodies, key=lambda p: _area(p.box))
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
    for attribute, ph_type in (("date", "dt"), ("footer", "ftr"), ("slide_number", "sldNum")):
        extra[attribute] = next(iter(lay.of_type(ph_type)), None)
    if extra.get("subtitle") is not None:
        extra["subtitle_box"] = extra["subtitle"].box
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
