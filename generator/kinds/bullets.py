"""A titled bullet list; a mapping nests a sub-list under an item.

Optionally a picture beside the list (`image:`, `alt:`, `side:`), and `reveal: true`
to show the items one click at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from generator.layout.compose import (
    accent_rule,
    bullet_pages,
    continued_runs,
    fit_picture,
    plan,
    title_element,
)
from generator.layout.plan import PictureElement
from generator.model.blocks import BulletItem, ImageRef, Text, bullet_list, image, text
from generator.model.geometry import Box, inches
from generator.model.inline import plain_text
from generator.model.registry import Slide, register
from generator.model.schema import BuildContext, boolean, one_of, spec
from generator.source.yamlload import Map

if TYPE_CHECKING:
    from generator.layout.compose import PlanContext
    from generator.layout.plan import SlidePlan
    from generator.writers.markdown import Article

#: The share of the body the bullets keep when a picture sits beside them.
TEXT_SHARE = 0.55
PICTURE_GAP = inches(0.4)


@register("bullets")
@dataclass(kw_only=True)
class BulletsSlide(Slide):
    """Points the speaker talks through; long lists continue on a new slide."""

    role = "content"

    extra_keys = ("image", "alt")
    title: Text = spec("The slide's title.", text)
    bullets: list[BulletItem] = spec("Items; a mapping nests a sub-list.", bullet_list)
    side: str = spec(
        "Where the picture goes beside the bullets (with image:): right or left.",
        one_of("right", "left"),
        default="right",
    )
    reveal: bool = spec(
        "Show the items one click at a time (a PowerPoint animation).", boolean, default=False
    )
    picture: Optional[ImageRef] = field(default=None)

    def check(self, node: Map, ctx: BuildContext) -> None:
        if "image" in node:
            self.picture = image(
                node["image"],
                node.get("alt"),
                node.loc_of("image"),
                node.loc_of("alt") if "alt" in node else node.loc,
                ctx,
            )
        elif "alt" in node:
            ctx.problems.error(node.key_locs["alt"], "'alt' goes with 'image'")
        elif "side" in node:
            ctx.problems.error(node.key_locs["side"], "'side' goes with 'image'")

    def plan(self, ctx: PlanContext) -> list[SlidePlan]:
        frame = ctx.frame("bullets")
        body = frame.body
        picture_box = None
        region: Optional[str] = "body"
        if self.picture is not None:
            text_w = int((body.w - PICTURE_GAP) * TEXT_SHARE)
            picture_w = body.w - PICTURE_GAP - text_w
            if self.side == "right":
                text_box = Box(body.x, body.y, text_w, body.h)
                picture_box = Box(body.right - picture_w, body.y, picture_w, body.h)
            else:
                picture_box = Box(body.x, body.y, picture_w, body.h)
                text_box = Box(body.right - text_w, body.y, text_w, body.h)
            body, region = text_box, None  # a drawn box: the placeholder is the whole body
        bodies = bullet_pages(ctx, self.bullets, body, self.title.loc, region=region)
        plans = []
        for index, element in enumerate(bodies):
            element.reveal = self.reveal
            runs = continued_runs(self.title.runs, index, len(bodies))
            title = title_element(ctx, "bullets", runs, self.title.loc)
            elements: list = [title, accent_rule(ctx, frame.title), element]
            if self.picture is not None and picture_box is not None:
                fitted = fit_picture(picture_box, self.picture.width_px, self.picture.height_px)
                fitted = Box(fitted.x, picture_box.y, fitted.w, fitted.h)  # level with the text
                elements.append(PictureElement(fitted, str(self.picture.path), self.picture.alt))
            plans.append(plan("bullets", plain_text(runs), elements, self.notes))
        return plans

    def markdown(self, article: Article) -> None:
        article.heading(article.level, self.title.runs)
        if self.picture is not None:
            article.image(self.picture)
        article.bullets(self.bullets)
