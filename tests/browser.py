"""Debian's chromium, driven by Playwright, for the HTML deck's tests.

Playwright's own browser builds are downloaded at install time, which offline machines
cannot do; the system's chromium (apt package `chromium`) is used instead, with every
background service that would try the network turned off.
"""

from __future__ import annotations

import shutil

from system_packages import require_tools

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: The JavaScript that returns every word of the current slide with its box in slide px
#: (one px a point), from Range.getBoundingClientRect.
WORDS_JS = """
() => {
  const slide = document.querySelector('section.slide.current');
  const box = slide.getBoundingClientRect();
  const scale = box.width / Number(document.getElementById('deck').dataset.width);
  const words = [];
  slide.querySelectorAll('.line').forEach((line, number) => {
    const chars = [];  // [node, offset] of every character of the line, bullets left out
    let text = '';
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.bullet')) continue;
      for (let i = 0; i < node.data.length; i++) chars.push([node, i]);
      text += node.data;
    }
    const re = /\\S+/g;
    let m;
    while ((m = re.exec(text))) {
      const range = document.createRange();
      const [first, start] = chars[m.index];
      const [last, end] = chars[m.index + m[0].length - 1];
      range.setStart(first, start);
      range.setEnd(last, end + 1);
      const r = range.getBoundingClientRect();
      const size = parseFloat(getComputedStyle(first.parentElement).fontSize);
      words.push({text: m[0], line: number, x0: (r.left - box.left) / scale,
                  y0: (r.top - box.top) / scale, x1: (r.right - box.left) / scale,
                  y1: (r.bottom - box.top) / scale, size});
    }
  });
  return words;
}
"""


def chromium_path() -> str:
    """Return Debian's chromium, failing the test (naming the package) when missing."""
    require_tools("chromium")
    path = shutil.which("chromium")
    assert path is not None
    return path


def launch(playwright):
    """Return a headless chromium browser that stays off the network."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=ARGS)
