"""Drive one running LibreOffice over UNO: a script for a Python that has `uno` (python3-uno).

Not imported by deckwright: generator/writers/office.py runs it as
`python3 uno_worker.py PIPE-NAME CONNECT-SECONDS` next to a soffice started with
`--accept=pipe,name=PIPE-NAME;urp;`. It uses only the standard library and uno, because
it runs in LibreOffice's Python (Debian: /usr/bin/python3), not in deckwright's.

Protocol, one JSON object a line: it prints {"ready": true} once connected (or
{"error": ..., "unavailable": true} when it cannot import uno or connect), then reads
{"source": PATH, "target": PATH} lines and answers each with {"ok": true} or
{"error": MESSAGE, "lost": BOOL}; lost means LibreOffice went away and the worker exits.
"""

from __future__ import annotations

import json
import sys
import time


def say(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main() -> int:
    pipe, connect_seconds = sys.argv[1], float(sys.argv[2])
    try:
        import uno  # type: ignore[import-not-found]
        from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
        from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]
        from com.sun.star.lang import DisposedException  # type: ignore[import-not-found]
    except ImportError as exc:
        say({"error": f"no UNO bridge in this Python ({exc})", "unavailable": True})
        return 1

    def props(**values) -> tuple:
        return tuple(PropertyValue(Name=name, Value=value) for name, value in values.items())

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + connect_seconds
    while True:
        try:
            context = resolver.resolve(url)
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                say({"error": "LibreOffice did not start listening", "unavailable": True})
                return 1
            time.sleep(0.05)
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context
    )
    say({"ready": True})
    # Never run the document's macros, never update its links: the input is a deck we
    # wrote, but it holds the user's pictures and text.
    load = props(Hidden=True, ReadOnly=True, MacroExecutionMode=0, UpdateDocMode=0)
    store = props(FilterName="impress_pdf_Export", Overwrite=True)
    for line in sys.stdin:
        request = json.loads(line)
        document = None
        try:
            document = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(request["source"]), "_blank", 0, load
            )
            if document is None:
                say({"error": "LibreOffice could not open the deck", "lost": False})
                continue
            document.storeToURL(uno.systemPathToFileUrl(request["target"]), store)
            say({"ok": True})
        except DisposedException as exc:
            # The bridge is gone (LibreOffice crashed or was killed): nothing more to do here.
            say({"error": f"LibreOffice stopped ({type(exc).__name__})", "lost": True})
            return 1
        except Exception as exc:  # noqa: BLE001 - any UNO error is this deck's failure
            message = getattr(exc, "Message", "") or type(exc).__name__
            say({"error": str(message).strip().splitlines()[0], "lost": False})
        finally:
            if document is not None:
                try:
                    document.close(True)
                except Exception:  # noqa: BLE001 - already closed or the bridge went
                    pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
