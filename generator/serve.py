"""`deckwright serve`: the deck as an HTML page on 127.0.0.1, rebuilt on every save.

The watch loop of generator.watch rebuilds the deck as HTML whenever its content or
any input changes; each outcome is published to every open page through server-sent
events (/events). A page fetches the new build and swaps its slides in place, on the
slide it showed; a failed build sends the same located lines the terminal prints,
shown over the last good deck. The server binds to the loopback interface only and
answers only requests addressed to it by that name (no DNS rebinding).
"""

from __future__ import annotations

import json
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from generator import watch
from generator.batch import Job, Outcome

HOST = "127.0.0.1"
#: How long a page request waits for the first build.
FIRST_BUILD_SECONDS = 120
#: A comment line on the event stream this often keeps proxies and browsers from giving up.
KEEPALIVE_SECONDS = 15


@dataclass
class LiveDeck:
    """The last good page and the last build's problems, with a condition to wait on."""

    page: Optional[str] = None
    version: int = 0  # of the page: the number of good builds so far
    problems: list[str] = field(default_factory=list)
    builds: int = 0  # every build, good or not: what event streams wait for
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, outcome: Outcome, output: Path) -> None:
        """Take a build's outcome: its page when it built, else its problem lines."""
        page = None
        lines = outcome.lines()
        if outcome.ok:
            try:
                page = output.read_text(encoding="utf-8")
            except OSError as exc:
                lines = [f"{output}: cannot read the built page: {exc.strerror or exc}"]
        with self.changed:
            if page is not None:
                self.page, self.version, self.problems = page, self.version + 1, []
            else:
                self.problems = lines
            self.builds += 1
            self.changed.notify_all()

    def state(self) -> dict:
        return {
            "version": str(self.version),
            "ok": self.page is not None,
            "problems": self.problems,
        }


def make_server(live: LiveDeck, port: int) -> ThreadingHTTPServer:
    """Return the HTTP server for live on 127.0.0.1:port (0: any free port), bound."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "deckwright"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # the terminal shows builds, not requests

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            if not self._local():
                self.send_error(403, "not a request for this server")
                return
            path = urlsplit(self.path).path
            if path in ("/", "/index.html"):
                self._page()
            elif path == "/events":
                self._events()
            else:
                self.send_error(404)

        def _local(self) -> bool:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]").lower()
            return host in ("127.0.0.1", "localhost")

        def _page(self) -> None:
            from generator.writers.html import live_page, problems_page

            with live.changed:
                live.changed.wait_for(lambda: live.builds > 0, timeout=FIRST_BUILD_SECONDS)
                page, version, problems = live.page, live.version, list(live.problems)
            body = (
                live_page(page, str(version)) if page is not None else problems_page(problems)
            ).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = 0  # the first event comes with the first build
            try:
                while True:
                    with live.changed:
                        last = seen
                        live.changed.wait_for(lambda: live.builds != last, KEEPALIVE_SECONDS)  # noqa: B023
                        fresh = live.builds != seen
                        seen, state = live.builds, live.state()
                    if fresh:
                        message = f"event: state\ndata: {json.dumps(state)}\n\n"
                    else:
                        message = ": still here\n\n"
                    self.wfile.write(message.encode("utf-8"))
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    server = ThreadingHTTPServer((HOST, port), Handler)
    server.daemon_threads = True
    return server


def serve(
    job: Job,
    port: int,
    report: Callable[[Outcome], None],
    notice: Callable[[str], None],
    interval: float = watch.POLL_SECONDS,
) -> None:
    """Serve job's deck as HTML on 127.0.0.1:port until Ctrl-C (KeyboardInterrupt).

    notice() gets the address first (with the port chosen when port is 0), then the
    watch's own lines; report() every build's outcome, as `watch` prints them.
    """
    live = LiveDeck()
    with tempfile.TemporaryDirectory(prefix="deckwright-serve-") as work:
        output = Path(work, job.content.stem + ".html")
        job = Job(
            job.content,
            job.theme,
            ("html",),
            job.variables,
            output=output,
            strict=job.strict,
            fitting=job.fitting,
        )
        server = make_server(live, port)
        thread = threading.Thread(target=server.serve_forever, name="serve", daemon=True)
        thread.start()
        notice(f"serving {job.label} at http://{HOST}:{server.server_address[1]}/ (Ctrl-C stops)")

        def on_outcome(outcome: Outcome) -> None:
            report(outcome)
            live.publish(outcome, output)

        try:
            watch.run(lambda: [job], on_outcome, notice=notice, interval=interval)
        finally:
            server.shutdown()
            server.server_close()
