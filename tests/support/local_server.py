"""How the stand-ins for web services run: a threaded HTTP server on 127.0.0.1.

Each stand-in (``arxiv_stub``, ``crossref_stub``, ``feed_stub``) has its own
handler, which finds the stand-in's state as ``self.server.stub``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class StubServer(ThreadingHTTPServer):
    daemon_threads = True
    stub: Any


@contextmanager
def running(
    handler: type[BaseHTTPRequestHandler], stub: object, stop: Callable[[], object] = lambda: None
) -> Iterator[str]:
    """``http://127.0.0.1:PORT``, answered by ``handler``, while the ``with`` lasts;
    ``stop`` is called first on the way out (to let go of answers held back)."""
    server = StubServer(("127.0.0.1", 0), handler)
    server.stub = stub
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        stop()
        server.shutdown()
        server.server_close()
        thread.join(5)
