"""A picture with its alt text written as the picture's description."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from generator.layout.compose import accent_rule, fit_picture, plan, text_block, title_element
from generator.layout.plan import PictureElement
from generator.model.blocks import ImageRef, Text, image, text
from generator.model.geometry import Box, inches
from generator.model.inline import Run, plain_text
from generator.model.registry import Slide, register
from generator.model.schema import BuildContext, spec
from generator.source.yamlload import Map

if TYPE_CHECKING:
    from generator.layout.compose import PlanContext
    from generator.layout.plan import SlidePlan
    from generator.writers.markdown import Article

CAPTION_H = inches(0.6)


@register("image")
@dataclass(kw_only=True)
class ImageSlide(Slide):
    """A diagram or screenshot, scaled to fit; the title is hidden when not given."""

    role = "canvas"

    extra_keys = ("src", "alt", "decorative")
    title: Optional[Text] = spec("The slide's title; hidden when absent.", text, default=None)
    caption: Optional[Text] = spec("A line under the picture.", text, default=None)
    picture: Optional[ImageRef] = field(default=None)

    def check(self, node: Map, ctx: BuildContext) -> None:
        if "src" not in node:
            ctx.problems.error(node.loc, "image slide is missing required field 'src'")
            return
        self.picture = image(
            node["src"],
            node.get("alt"),
            node.loc_of("src"),
            node.loc_of("alt") if "alt" in node else node.loc,
            ctx,
            node.get("decorative"),
            node.loc_of("decorative") if "decorative" in node else None,
        )

    def plan(self, ctx: PlanContext) -> list[SlidePlan]:
        assert self.picture is not None
        frame = ctx.frame("image")
        hidden = self.title is None
        # Without a title the alt text (or the caption) is the off-slide title, for screen
        # readers and outlines.
        if self.title is not None:
            runs = self.title.runs
        elif self.picture.alt:
            runs = [Run(self.picture.alt)]
        else:
            runs = list(self.caption.runs) if self.caption else []
        elements: list = [title_element(ctx, "image", runs, self.picture.loc, hidden=hidden)]
        body = frame.body
        if not hidden:
            elements.append(accent_rule(ctx, frame.title))
        else:
            body = Box(body.x, frame.title.y, body.w, body.bottom - frame.title.y)
        if self.caption:
            caption_box = Box(body.x, body.bottom - CAPTION_H, body.w, CAPTION_H)
            body = Box(body.x, body.y, body.w, body.h - CAPTION_H)
        picture = self.picture
        elements.append(
            PictureElement(
                fit_picture(body, picture.width_px, picture.height_px),
                str(picture.path),
                picture.alt,
                decorative=picture.decorative,
                source=picture.alt_loc or picture.loc,
            )
        )
        if self.caption:
            elements.append(
                text_block(ctx, self.caption, caption_box, role="caption", align="center")
            )
        return [plan("image", plain_text(runs), elements, self.notes)]

    def markdown(self, article: Article) -> None:
        assert self.picture is not None
        if self.title is not None:
            article.heading(article.level, self.title.runs)
        article.image(self.picture)
        article.caption(self.caption)
