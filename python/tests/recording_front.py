"""A loopback HTTP server in front of the mock server, for the lagent tests.

It records every request (target, headers, JSON body), answers some requests itself (a key the
test rejects, a body carrying a failure marker, a request held until the client hangs up) and
forwards the rest to the mock server, passing streamed bodies on as they arrive. It also takes
absolute-form targets (``POST http://host:port/path``), so it serves as an HTTP proxy too.
"""

from __future__ import annotations

import http.client
import json
import select
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import urlsplit

# A request whose body contains this string is answered 400 (one failing conversation).
FAIL_MARKER = "please-fail-this-conversation"
# A request whose body contains this string gets no answer until the client hangs up.
HOLD_MARKER = "please-hold-this-conversation"


class RecordingFront:
    def __init__(
        self, upstream_port: int, reject_keys: Optional[Dict[str, Tuple[int, str]]] = None
    ):
        """``reject_keys`` maps a key to the (status, OpenAI error code) it is answered with."""
        self.upstream_port = upstream_port
        self.reject_keys = dict(reject_keys or {})
        self.requests: List[Dict[str, Any]] = []
        self.hangups = 0
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        front = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                front._serve(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def keys_used(self) -> List[str]:
        with self._lock:
            return [r["key"] for r in self.requests]

    def wait_for(self, predicate, timeout: float = 10.0) -> bool:
        """Waits until predicate(self) holds (checked on every change); False after timeout."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
            return True

    def _record(self, entry: Dict[str, Any]) -> None:
        with self._changed:
            self.requests.append(entry)
            self._changed.notify_all()

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        body = h.rfile.read(int(h.headers.get("Content-Length", "0")))
        target = urlsplit(h.path)
        path = target.path + (f"?{target.query}" if target.query else "")
        auth = h.headers.get("Authorization", "")
        key = auth[len("Bearer ") :] if auth.startswith("Bearer ") else auth
        self._record(
            {
                "path": path,
                "via_proxy": bool(target.scheme),
                "headers": {k.lower(): v for k, v in h.headers.items()},
                "key": key,
                "body": json.loads(body) if body else None,
            }
        )
        text = body.decode("utf-8", "replace")
        if key in self.reject_keys:
            status, code = self.reject_keys[key]
            error = {"message": f"rejected key ({code})", "type": code, "code": code}
            return _send_json(h, status, {"error": error})
        if FAIL_MARKER in text:
            error = {"message": "this conversation fails", "type": "invalid_request_error"}
            return _send_json(h, 400, {"error": error})
        if HOLD_MARKER in text:
            return self._hold(h)
        self._forward(h, path, body, auth)

    def _hold(self, h: BaseHTTPRequestHandler) -> None:
        # Answer nothing; count the client's hang-up (its end of the connection reads EOF).
        conn: socket.socket = h.connection
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            readable, _, _ = select.select([conn], [], [], 0.05)
            if readable and not conn.recv(1, socket.MSG_PEEK):
                with self._changed:
                    self.hangups += 1
                    self._changed.notify_all()
                break
        h.close_connection = True

    def _forward(self, h: BaseHTTPRequestHandler, path: str, body: bytes, auth: str) -> None:
        upstream = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=60)
        headers = {"Content-Type": "application/json"}
        if auth:
            headers["Authorization"] = auth
        upstream.request("POST", path, body=body, headers=headers)
        reply = upstream.getresponse()
        h.send_response(reply.status)
        h.send_header("Content-Type", reply.getheader("Content-Type", "application/json"))
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        try:
            while True:
                data = reply.read1(65536)
                if not data:
                    break
                h.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                h.wfile.flush()
            h.wfile.write(b"0\r\n\r\n")
            h.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            with self._changed:
                self.hangups += 1
                self._changed.notify_all()
            h.close_connection = True
        finally:
            upstream.close()


def _send_json(h: BaseHTTPRequestHandler, status: int, obj: Any) -> None:
    data = json.dumps(obj).encode()
    h.send_response(status)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", str(len(data)))
    h.end_headers()
    h.wfile.write(data)
