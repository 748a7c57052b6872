"""The speed-ups that skip work must give the answers the work gives.

In-process fontconfig answers like fc-match; faces and highlighting read back from
the disk cache measure and colour exactly as freshly computed ones; a broken or
foreign cache entry is a miss, never an answer.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from conftest import needs_tools

from generator import diskcache
from generator.layout import fontconfig, fonts, highlight

FORMAT = "%{file}\n%{index}\n%{family}\n"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("DECKWRIGHT_CACHE_DIR", str(folder))
    fonts.clear_caches()
    highlight._highlighted.cache_clear()
    yield folder
    fonts.clear_caches()
    highlight._highlighted.cache_clear()


@needs_tools("fc-match")
@pytest.mark.parametrize(
    "pattern",
    [
        "Liberation Sans",
        "Arial:bold",
        "Consolas:italic",
        "monospace",
        "sans:lang=ja",
        ":charset=2192",
        "No Such Family At All",
    ],
)
def test_in_process_fontconfig_answers_like_fc_match(pattern):
    # fc-match and libfontconfig come in one package
    assert fontconfig.available(), "libfontconfig cannot be loaded: sudo apt-get install fontconfig"
    expected = subprocess.run(
        ["fc-match", f"--format={FORMAT}", pattern], capture_output=True, text=True
    ).stdout
    assert fontconfig.match(pattern, FORMAT) == expected


def _some_font() -> str:
    face = fonts.resolve_font("DejaVu Sans Mono")
    if not face.path:
        pytest.skip("no font file installed")
    return face.path


def test_a_cached_face_measures_like_the_font_file(cache):
    path = _some_font()
    fresh = fonts._Face(path, 0)
    assert any((cache / "fonts").iterdir())
    cached = fonts._Face(path, 0)
    assert cached.units_per_em == fresh.units_per_em
    assert cached.line_ratio == fresh.line_ratio
    for ch in "Hello, world! → ∑ λ 日本":
        assert cached.width_em(ch) == fresh.width_em(ch)
        assert (ord(ch) in cached.cmap) == (ord(ch) in fresh.cmap)


def test_a_broken_cache_entry_is_read_again_from_the_font(cache):
    path = _some_font()
    fresh = fonts._Face(path, 0)
    for entry in (cache / "fonts").iterdir():
        entry.write_text("{not json", encoding="utf-8")
    again = fonts._Face(path, 0)
    assert again.width_em("W") == fresh.width_em("W")


def test_an_entry_under_another_key_is_a_miss(cache):
    diskcache.store("demo", "key one", [1, 2])
    [entry] = (cache / "demo").iterdir()
    stored = json.loads(entry.read_text(encoding="utf-8"))
    stored["key"] = "key two"
    entry.write_text(json.dumps(stored), encoding="utf-8")
    assert diskcache.load("demo", "key one") is None


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("DECKWRIGHT_CACHE_DIR", "off")
    assert diskcache.cache_dir() is None
    diskcache.store("demo", "k", 1)
    assert diskcache.load("demo", "k") is None


def test_an_unwritable_cache_is_ignored(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("DECKWRIGHT_CACHE_DIR", str(blocker / "cache"))
    diskcache.store("demo", "k", 1)  # no exception
    assert diskcache.load("demo", "k") is None


def test_highlighting_from_the_cache_is_the_same_and_not_shared(cache):
    source = "def f(x):\n    return x + 1  # one\n"
    first = highlight.highlight_lines(source, "python", "friendly", "#F6F8FA")
    highlight._highlighted.cache_clear()  # next call reads the disk cache
    second = highlight.highlight_lines(source, "python", "friendly", "#F6F8FA")
    assert second == first == highlight._highlight(source, "python", "friendly", "#F6F8FA")
    second[0].clear()  # callers get their own lists
    assert highlight.highlight_lines(source, "python", "friendly", "#F6F8FA") == first
    # Another panel is another answer, not the cached one.
    assert highlight.highlight_lines(source, "python", "friendly", "#1E1E1E") != first
