"""The HTML deck in a real browser (Debian's chromium through Playwright).

One browser for the module. Each test drives the page a person would: keys, clicks,
the URL fragment, a second window for the presenter view. The deck is the bundled
one, built with the CLI; the comparison with the .pptx renders it with LibreOffice.
"""

from __future__ import annotations

import html
import re
import subprocess
import time
from pathlib import Path

import playwright.sync_api as playwright_api  # a dev extra: pip install -e '.[dev]'
import pytest
from browser import WORDS_JS, launch
from conftest import BUNDLED, needs_soffice, needs_tools, write
from test_html import HOSTILE, HOSTILE_DECK
from test_serve import bundled_project, save, served

pytestmark = needs_tools("chromium")

SLIDES = 22  # the bundled deck's slides


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Build the bundled deck as HTML with every bundled theme; return theme -> page."""
    from click.testing import CliRunner

    from generator.cli import main

    out = tmp_path_factory.mktemp("html")
    runner = CliRunner()
    themes = runner.invoke(main, ["themes"]).stdout.split()
    assert {"default", "dark", "acme"} <= set(themes)
    result = runner.invoke(
        main, ["build", str(BUNDLED), "-f", "html", "-o", str(out), *[f"-t{t}" for t in themes]]
    )
    assert result.exit_code == 0, result.output
    return {theme: out / f"{BUNDLED.stem}-{theme}.html" for theme in themes}


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, errors


def current(page) -> int:
    """Return the number of the slide on show (1-based), checking only one is shown."""
    shown = page.evaluate(
        "[...document.querySelectorAll('section.slide')]"
        ".filter(s => getComputedStyle(s).display !== 'none').map(s => s.id)"
    )
    assert len(shown) == 1, shown
    return int(shown[0].removeprefix("slide-"))


def fragment(page) -> str:
    return page.evaluate("location.hash")


def test_keys_and_clicks_move_and_the_fragment_follows(page, built):
    page.goto(built["default"].as_uri())
    assert (current(page), fragment(page)) == (1, "#1")
    steps = [
        ("ArrowRight", 2),
        ("Space", 3),
        ("PageDown", 4),
        ("ArrowDown", 5),
        ("ArrowLeft", 4),
        ("PageUp", 3),
        ("ArrowUp", 2),
        ("End", SLIDES),
        ("ArrowRight", SLIDES),  # stays on the last
        ("Home", 1),
        ("ArrowLeft", 1),
    ]
    for key, expected in steps:
        page.keyboard.press(key)
        assert (current(page), fragment(page)) == (expected, f"#{expected}"), key
    page.mouse.click(640, 360)
    assert (current(page), fragment(page)) == (2, "#2")
    page.evaluate("location.hash = '#7'")
    page.wait_for_function("document.documentElement.dataset.slide === '7'")
    assert current(page) == 7
    page.goto(built["default"].as_uri() + "#12")  # a link to a slide opens on it
    assert (current(page), fragment(page)) == (12, "#12")
    page.goto(built["default"].as_uri() + "#99")
    assert current(page) == SLIDES


def test_the_presenter_view_follows_the_audience_window_and_back(page, built):
    url = built["default"].as_uri()
    page.goto(url + "#1")
    with page.expect_popup() as opened:
        page.keyboard.press("p")
    presenter = opened.value
    presenter.wait_for_selector("#presenter .count")
    assert "?presenter" in presenter.url

    def shows(n: int) -> None:
        presenter.wait_for_function(
            f"document.querySelector('#presenter .count').textContent === 'Slide {n} of {SLIDES}'"
        )

    shows(1)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    shows(3)
    texts = presenter.evaluate(
        "({current: document.querySelector('.stage-current').innerText,"
        " next: document.querySelector('.stage-next').innerText,"
        " notes: document.querySelector('.notes-pane').innerText,"
        " timer: document.querySelector('#presenter .timer').textContent})"
    )
    assert "TL;DR" in texts["current"]
    assert "Roles and stacks" in texts["next"]
    assert texts["notes"].startswith("If you only remember one slide")
    assert re.fullmatch(r"\d\d:\d\d", texts["timer"])
    presenter.keyboard.press("ArrowRight")  # the speaker moves on from the presenter view
    page.wait_for_function("location.hash === '#4'")
    assert current(page) == 4
    # A presenter window opened on its own (?presenter) joins through BroadcastChannel.
    second = page.context.new_page()
    second.goto(url + "?presenter")
    second.wait_for_function(
        f"document.querySelector('#presenter .count').textContent === 'Slide 4 of {SLIDES}'"
    )
    page.keyboard.press("End")
    second.wait_for_function(
        f"document.querySelector('#presenter .count').textContent === 'Slide {SLIDES} of {SLIDES}'"
    )
    assert "End of the deck" in second.evaluate(
        "document.querySelector('.stage-next .label').textContent"
    )


OVERFLOW_JS = """
() => {
  const over = [];
  const slides = document.querySelectorAll('section.slide');
  slides.forEach((slide, i) => {
    window.deckwright.show(i);
    for (const box of slide.querySelectorAll('.text, .cell')) {
      if (box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1) {
        over.push(`slide ${i + 1}: ${box.scrollWidth}x${box.scrollHeight} in ` +
                  `${box.clientWidth}x${box.clientHeight}: ${box.innerText.slice(0, 40)}`);
      }
    }
    for (const table of slide.querySelectorAll('table')) {
      const planned = parseFloat(table.dataset.height);
      if (table.offsetHeight > planned + 1) {
        over.push(`slide ${i + 1}: table ${table.offsetHeight} px tall, planned ${planned}`);
      }
    }
  });
  return {over, boxes: document.querySelectorAll('.text, .cell').length};
}
"""


@pytest.mark.parametrize("theme", ["default", "dark", "acme"])
def test_no_text_overflows_its_box_under_any_bundled_theme(page, built, theme):
    page.goto(built[theme].as_uri())
    result = page.evaluate(OVERFLOW_JS)
    assert result["boxes"] > 100  # every slide's text was looked at
    assert result["over"] == []


def test_no_request_leaves_the_page(page, built):
    requests: list[str] = []
    # Every request the page asks for, sent or not (one its Content-Security-Policy
    # blocks is still reported here), and every one routed through the network layer.
    page.context.on("request", lambda request: requests.append(request.url))
    page.context.route(
        "**/*", lambda route: (requests.append(route.request.url), route.continue_())
    )
    url = built["acme"].as_uri()  # the theme with a logo picture
    page.goto(url + "#1")
    for _ in range(SLIDES):
        page.keyboard.press("ArrowRight")
    with page.expect_popup() as opened:
        page.keyboard.press("p")
    opened.value.wait_for_selector("#presenter .count")
    page.emulate_media(media="print")
    assert page.evaluate("document.querySelectorAll('img.picture').length") >= SLIDES - 1
    assert all(
        src.startswith("data:image/")
        for src in page.evaluate("[...document.images].map(i => i.src)")
    )
    pages = {url, url + "#1"}
    assert {r.split("?")[0] for r in requests} <= {u.split("#")[0] for u in pages}, requests


def test_print_puts_one_slide_on_each_page(page, built):
    page.goto(built["default"].as_uri())
    pdf = page.pdf(prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == SLIDES


def _pdf_lines(pdf: Path) -> list[list[tuple[str, float, float, list[tuple[str, float, float]]]]]:
    """Return, per page, every line of the PDF: its text, top, and words (text, x0, y0)."""
    layout = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(.*?)<')
    pages = []
    for chunk in layout.split("<page ")[1:]:
        lines = []
        for line in chunk.split("<line ")[1:]:
            words = [(html.unescape(t), float(x), float(y)) for x, y, t in word.findall(line)]
            if words:
                lines.append((" ".join(w[0] for w in words), words[0][2], words[0][1], words))
        pages.append(lines)
    return pages


@needs_soffice
def test_every_word_sits_where_libreoffice_draws_it_from_the_pptx(page, tmp_path, run_cli):
    """Word boxes from the DOM (Range.getBoundingClientRect) against the LibreOffice PDF of
    the .pptx (pdftotext -bbox-layout), both in points from the slide's corner."""
    code, _, err = run_cli(
        "build", BUNDLED, "-f", "pptx", "-f", "pdf", "-f", "html", "-o", tmp_path
    )
    assert code == 0, err
    pdf_pages = _pdf_lines(tmp_path / f"{BUNDLED.stem}.pdf")
    assert len(pdf_pages) == SLIDES
    page.goto((tmp_path / f"{BUNDLED.stem}.html").as_uri())
    far, rewrapped, compared, total_lines = [], [], 0, 0
    for number, pdf_lines in enumerate(pdf_pages, start=1):
        page.evaluate(f"window.deckwright.show({number - 1})")
        dom = page.evaluate(WORDS_JS)
        dom_lines: dict[int, list[dict]] = {}
        for item in dom:
            dom_lines.setdefault(item["line"], []).append(item)
        shifted = False
        for text, top, _left, words in sorted(pdf_lines, key=lambda line: line[1]):
            if not re.search(r"\w", text):
                continue  # a bullet or a dash alone
            total_lines += 1
            words = [w for w in words if w[0] not in "•–◦"]
            wanted = [w[0] for w in words]
            # pdftotext may cut one line in two at a wide gap (aligned code): a PDF line
            # matches any run of the same words in a line of the page.
            candidates = [
                (i, line[i : i + len(wanted)])
                for line in dom_lines.values()
                for i in range(len(line) - len(wanted) + 1)
                if [w["text"] for w in line[i : i + len(wanted)]] == wanted
            ]
            if not candidates:
                rewrapped.append(f"slide {number}: {text!r}")
                shifted = True  # the lines under it in its box move by a line
                continue
            start, line = min(
                candidates,
                key=lambda c: abs(c[1][0]["y0"] - top) + abs(c[1][0]["x0"] - words[0][1]),
            )
            size = line[0]["size"]
            tolerance = max(2.5, 0.12 * size)  # 2.5 pt is 0.26 % of the slide width
            pitch = 1.2 * size * 1.1
            offsets = [
                (word, got["x0"] - x0, got["y0"] - y0)
                for (word, x0, y0), got in zip(words, line, strict=True)
            ]
            if start and any(abs(dx) > tolerance for _, dx, _ in offsets):
                # The end of a line LibreOffice wrapped elsewhere, now a line of its own.
                rewrapped.append(f"slide {number}: {text!r}")
                continue
            for word, dx, dy in offsets:
                compared += 1
                after_rewrap = shifted and abs(abs(dy) - pitch) <= tolerance
                if abs(dx) > tolerance or (abs(dy) > tolerance and not after_rewrap):
                    far.append(f"slide {number}: {word!r} off by ({dx:.1f}, {dy:.1f}) pt")
    assert compared > 600
    assert far == [], "\n".join(far)
    # The fit measures without kerning; LibreOffice kerns, so once in a while a line that
    # the fit wrapped fits whole there. Those few lines (and the lines below them in the
    # same box, one line lower) are the only difference allowed.
    assert len(rewrapped) <= 0.02 * total_lines, rewrapped


def test_hostile_content_shows_as_text_and_runs_nothing(page, run_cli, project):
    content = write(project / "talk.yaml", HOSTILE_DECK)
    assert run_cli("build", content, "-f", "html", "-o", project / "out")[0] == 0
    page.goto((project / "out" / "talk.html").as_uri())
    assert page.evaluate("document.querySelector('#slide-1 h2').textContent") == HOSTILE
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('script').length") == 1
    assert page.evaluate("document.querySelectorAll('section.slide').length") == 4


def until(page, expression: str, seconds: float = 30) -> None:
    """Wait until expression is true in the page. (wait_for_function evaluates a string,
    which the page's Content-Security-Policy rightly forbids.)"""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"never true: {expression}"
        page.wait_for_timeout(20)


def test_serve_updates_the_open_slide_on_every_save_and_shows_errors(page, tmp_path):
    content = bundled_project(tmp_path)
    with served(content) as server:
        page.goto(server.url + "#4")
        assert current(page) == 4
        save(content, "title: Roles and stacks", "title: Roles, stacks and a save")
        until(page, "document.querySelector('#slide-4').textContent.includes('a save')")
        assert (current(page), fragment(page)) == (4, "#4")  # still on the same slide
        page.keyboard.press("ArrowRight")
        save(content, "title: Typical responsibilities", "title: [Typical")
        page.wait_for_selector("#problems")
        printed = server.terminal("YAML syntax error")
        assert page.inner_text("#problems") == printed
        assert current(page) == 5  # the last good deck stays under the problems
        save(content, "title: [Typical", "title: Typical duties")
        page.wait_for_selector("#problems", state="detached")
        until(page, "document.querySelector('#slide-5').textContent.includes('duties')")
        assert (current(page), fragment(page)) == (5, "#5")
