"""Ask fontconfig in this process what `fc-match --format=FORMAT PATTERN` would print.

Starting ``fc-match`` costs 5-15 ms a call and a build resolves a dozen patterns;
libfontconfig answers the same question in well under a millisecond, through the
same steps fc-match takes (parse, config substitute, default substitute, match,
format). Without the library (macOS, Windows, a minimal container) or without
ctypes, match() returns None and the caller runs fc-match itself.
"""

from __future__ import annotations

import functools
from typing import Any, Optional

_LIBRARIES = (
    "libfontconfig.so.1",
    "libfontconfig.so",
    "libfontconfig.1.dylib",
    "libfontconfig-1.dll",
)
_MATCH_PATTERN = 0  # FcMatchPattern


@functools.cache
def _library() -> Optional[Any]:
    try:
        import ctypes
    except ImportError:  # a Python built without _ctypes: fc-match it is
        return None
    for name in _LIBRARIES:
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        pointer = ctypes.c_void_p
        try:
            lib.FcNameParse.restype = pointer
            lib.FcNameParse.argtypes = [ctypes.c_char_p]
            lib.FcConfigSubstitute.argtypes = [pointer, pointer, ctypes.c_int]
            lib.FcDefaultSubstitute.argtypes = [pointer]
            lib.FcFontMatch.restype = pointer
            lib.FcFontMatch.argtypes = [pointer, pointer, ctypes.POINTER(ctypes.c_int)]
            lib.FcPatternFormat.restype = pointer
            lib.FcPatternFormat.argtypes = [pointer, ctypes.c_char_p]
            lib.FcPatternDestroy.argtypes = [pointer]
            lib.FcStrFree.argtypes = [pointer]
        except AttributeError:  # not the library we know
            continue
        return lib
    return None


def available() -> bool:
    """Return whether libfontconfig can be used in this process."""
    return _library() is not None


def match(pattern: str, fmt: str) -> Optional[str]:
    """Return what `fc-match --format=fmt pattern` prints ("" for no match), or None
    when libfontconfig is not available here."""
    lib = _library()
    if lib is None:
        return None
    import ctypes

    try:
        parsed = lib.FcNameParse(pattern.encode("utf-8"))
    except UnicodeEncodeError:
        return None
    if not parsed:
        return ""
    try:
        lib.FcConfigSubstitute(None, parsed, _MATCH_PATTERN)
        lib.FcDefaultSubstitute(parsed)
        result = ctypes.c_int()
        font = lib.FcFontMatch(None, parsed, ctypes.byref(result))
    finally:
        lib.FcPatternDestroy(parsed)
    if not font:
        return ""
    try:
        text = lib.FcPatternFormat(font, fmt.encode("utf-8"))
        if not text:
            return ""
        try:
            return ctypes.string_at(text).decode("utf-8", "replace")
        finally:
            lib.FcStrFree(text)
    finally:
        lib.FcPatternDestroy(font)
