"""Tell a template's placeholder prompts from text its author meant to show.

A master's placeholders carry prompts for the person editing the template: LibreOffice
writes `<footer>`, `<date/time>` and `<number>` (in the user's language), PowerPoint
"Click to edit Master title style", "‹#›" for the slide number field. None of them is
content: a footer read from a template is no footer when it is a prompt.
"""

from __future__ import annotations

import re

# A whole text in angle brackets: LibreOffice's <footer>, <date/time>, <number>, <Fußzeile>;
# PowerPoint's slide-number field text ‹#› (‹Nr.› in German).
_BRACKETED = re.compile(r"^(<[^<>]{1,40}>|‹[^‹›]{1,40}›)$")
# The first words of PowerPoint's and LibreOffice's prompts, in the languages seen most.
_PROMPT_STARTS = (
    "click to ",
    "click icon to ",
    "tap to ",
    "double-click to ",
    "double tap to ",
    "cliquez pour ",
    "cliquez sur l'icône",
    "klicken sie ",
    "mastertitelformat ",
    "mastertextformat ",
    "haga clic ",
    "clique para ",
    "clique no ",
    "fare clic ",
    "klik om ",
    "kliknij, ",
    "kliknij aby ",
    "klicka för ",
)
# Placeholder names LibreOffice writes into a layout's footer boxes.
_PROMPT_WORDS = {"footer", "date", "date/time", "number", "slide number", "page number"}


def is_prompt(text: str) -> bool:
    """Return True when a placeholder's text is a prompt (or empty), not content.

    Case and surrounding space are ignored. A company footer such as "Acme · Internal"
    or "this is the footer" is content; "<footer>", "Footer" and "Click to add text" are not.
    """
    words = " ".join(text.split())
    lowered = words.casefold()
    return (
        not words
        or bool(_BRACKETED.match(words))
        or lowered in _PROMPT_WORDS
        or lowered.startswith(_PROMPT_STARTS)
    )
