"""A scripted OpenAI-compatible chat API on 127.0.0.1, for the LLM tests."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # a dict is sent as JSON, a str as is
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    trickle: float = 0.0  # > 0: the whole response, status line first, one byte at a time


def chat(*contents: str) -> Reply:
    return Reply(body={"choices": [{"index": i, "message": {"role": "assistant", "content": c}}
                                   for i, c in enumerate(contents)]})


class Server:
    """A scripted chat API: ``script`` is a list of replies (the last repeats) or a
    function of the request body; it records requests and the peak concurrency."""

    def __init__(self) -> None:
        self.script: list[Reply] | Callable[[dict[str, Any]], Reply] = [chat("[]")]
        self.requests: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.lock = threading.Lock()
        self.active = self.peak = 0
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,),
                                       daemon=True)
        self.thread.start()
        self.running = True

    def reply(self, headers: dict[str, str], body: dict[str, Any]) -> Reply:
        with self.lock:
            self.requests.append((headers, body))
            self.active += 1
            self.peak = max(self.peak, self.active)
            if callable(self.script):
                return self.script(body)
            return self.script.pop(0) if len(self.script) > 1 else self.script[0]

    def done(self) -> None:
        with self.lock:
            self.active -= 1

    def stop(self) -> None:
        if self.running:
            self.running = False
            self.httpd.shutdown()
            self.httpd.server_close()
            self.thread.join()


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            size = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(size))
            reply = server.reply(dict(self.headers), body)
            try:
                time.sleep(reply.delay)
                data = reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
                payload = data.encode()
                if reply.trickle:
                    self.trickle(reply, payload)
                    return
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:  # the client gave up (timeout tests)
                pass
            finally:
                server.done()

        def trickle(self, reply: Reply, payload: bytes) -> None:
            """Send the response a byte at a time, ``reply.trickle`` seconds apart."""
            head = [f"HTTP/1.1 {reply.status} OK", f"Content-Length: {len(payload)}",
                    *(f"{name}: {value}" for name, value in reply.headers.items())]
            raw = ("\r\n".join(head) + "\r\n\r\n").encode() + payload
            for i in range(len(raw)):
                self.wfile.write(raw[i:i + 1])
                self.wfile.flush()
                time.sleep(reply.trickle)
            self.close_connection = True

        def log_message(self, *args: Any) -> None:
            pass

    return Handler
