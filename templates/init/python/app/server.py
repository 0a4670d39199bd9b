"""The starter app in Python, standard library only; the same contract as the Node app.

  GET /anything   -> JSON: which pod answered, on which node, the path, and the config it was given
  GET /healthz    -> ok (liveness)      GET /readyz -> ok (readiness; 503 once it is stopping)
  GET /burn?ms=N  -> keeps one CPU busy for N ms (to make the autoscaler act)
Config: env vars starting with $CONFIG_ENV_PREFIX (default APP_) and the files in $CONFIG_DIR.
At start it checks every IPv4 CIDR in its config and exits 1 on one that is not a network
address (such as 20.0.0.0/4), so a broken ConfigMap shows up as CrashLoopBackOff.
On SIGTERM it stops accepting connections and exits 0 (at the latest after 1 s).
"""

import ipaddress
import json
import os
import re
import signal
import socket
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PORT = int(os.environ.get("PORT", "8080"))
CONFIG_DIR = os.environ.get("CONFIG_DIR", "/etc/app/config")
ENV_PREFIX = os.environ.get("CONFIG_ENV_PREFIX", "APP_")
POD = os.environ.get("POD_NAME") or socket.gethostname()
stopping = threading.Event()


def read_config():
    config = {k: v for k, v in os.environ.items() if k.startswith(ENV_PREFIX)}
    try:
        # A mounted ConfigMap's keys are symlinks into a ..data folder: follow them, skip dot-entries.
        for name in sorted(os.listdir(CONFIG_DIR)):
            path = os.path.join(CONFIG_DIR, name)
            if not name.startswith(".") and os.path.isfile(path):
                with open(path, encoding="utf-8") as f:
                    config[name] = f.read()
    except OSError:
        pass  # no mounted config: fine
    return config


def bad_cidr(cidr):
    try:
        ipaddress.IPv4Network(cidr, strict=True)
    except ipaddress.NetmaskValueError:
        return "not a CIDR"
    except ValueError:
        try:
            net = ipaddress.IPv4Network(cidr, strict=False)
        except ValueError:
            return "not a CIDR"
        return f"host bits set (the /{net.prefixlen} network is {net})"
    return None


CONFIG = read_config()
for key, text in CONFIG.items():
    for cidr in re.findall(r"\b\d{1,3}(?:\.\d{1,3}){3}/\d{1,2}\b", str(text)):
        problem = bad_cidr(cidr)
        if problem:
            print(f"config error: {cidr} in {key}: {problem}", file=sys.stderr, flush=True)
            sys.exit(1)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def reply(self, status, body, content_type="text/plain; charset=utf-8"):
        data = body.encode()
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        url = urlsplit(self.path)
        if url.path == "/healthz":
            return self.reply(200, "ok\n")
        if url.path == "/readyz":
            return self.reply(503, "stopping\n") if stopping.is_set() else self.reply(200, "ok\n")
        if url.path == "/burn":
            ms = parse_qs(url.query).get("ms", ["100"])[0]
            until = time.monotonic() + min(float(ms) if ms.isdigit() else 100.0, 5000.0) / 1000
            while time.monotonic() < until:
                pass
        body = {
            "pod": POD,
            "namespace": os.environ.get("POD_NAMESPACE"),
            "node": os.environ.get("NODE_NAME"),
            "path": url.path,
            "config": CONFIG,
        }
        self.reply(200, json.dumps(body) + "\n", "application/json")

    def log_message(self, fmt, *args):
        # One line per request on stdout, as the Node app logs (kubectl logs shows stdout).
        stamp = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        print(f"{stamp} {self.command} {urlsplit(self.path).path}", flush=True)


server = ThreadingHTTPServer(("", PORT), Handler)
server.daemon_threads = True


def on_sigterm(_signum, _frame):
    stopping.set()
    print("SIGTERM: finishing open requests, then exiting", flush=True)
    # shutdown() waits for serve_forever to return, so it runs off the main thread.
    threading.Thread(target=server.shutdown, daemon=True).start()
    # A client holding a connection open must not keep the pod past its grace period.
    deadline = threading.Timer(1.0, lambda: os._exit(0))
    deadline.daemon = True
    deadline.start()


signal.signal(signal.SIGTERM, on_sigterm)
print(f"listening on :{PORT} as {POD}", flush=True)
server.serve_forever()
server.server_close()
sys.exit(0)
