#!/usr/bin/env python3
"""The fastest a remote network driver can be: the benchmarks' floor, not a product.

It answers Docker's remote-driver calls with no work inside them: its veth pairs are made before any call
(POOL of them, host ends on one bridge), CreateEndpoint hands out the next pair, and nothing is deleted until
it exits. What a container attached through it costs more than one on Docker's own bridge is therefore the
daemon's side of the remote-driver protocol, which no driver can remove.

Usage (as root): floor-driver.py SOCKET BRIDGE GATEWAY/PREFIX POOL
"""
import json
import os
import signal
import socketserver
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler


def ip(*args):
    subprocess.run(["ip", *args], check=True)


class Pool:
    def __init__(self, bridge, size):
        self.bridge = bridge
        self.free = [f"nf{i}" for i in range(size)]
        self.lock = threading.Lock()
        batch = "".join(f"link add {n}h mtu 1500 master {bridge} up type veth peer name {n}c\n" for n in self.free)
        subprocess.run(["ip", "-batch", "-"], input=batch.encode(), check=True)

    def take(self):
        with self.lock:
            return self.free.pop(0)

    def remove_all(self, count):
        batch = "".join(f"link del nf{i}h\n" for i in range(count))
        subprocess.run(["ip", "-force", "-batch", "-"], input=batch.encode(), stderr=subprocess.DEVNULL)


def handler(pool, gateway):
    names = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"null") or {}
            call = self.path.lstrip("/")
            endpoint = body.get("EndpointID")
            if call == "Plugin.Activate":
                reply = {"Implements": ["NetworkDriver"]}
            elif call == "NetworkDriver.GetCapabilities":
                reply = {"Scope": "local", "ConnectivityScope": "local"}
            elif call == "NetworkDriver.CreateEndpoint":
                names[endpoint] = pool.take()
                reply = {"Interface": {}}
            elif call == "NetworkDriver.Join":
                reply = {"InterfaceName": {"SrcName": names[endpoint] + "c", "DstPrefix": "eth"}, "Gateway": gateway}
            elif call == "NetworkDriver.EndpointOperInfo":
                reply = {"Value": {}}
            else:
                reply = {}
            out = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/vnd.docker.plugins.v1.2+json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

    return Handler


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def main():
    sock, bridge, gateway_cidr, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    ip("link", "add", bridge, "type", "bridge")
    ip("address", "add", gateway_cidr, "dev", bridge)
    ip("link", "set", bridge, "up")
    pool = Pool(bridge, size)
    if os.path.exists(sock):
        os.unlink(sock)
    server = Server(sock, handler(pool, gateway_cidr.split("/")[0]))
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    try:
        server.serve_forever()
    finally:
        pool.remove_all(size)
        ip("link", "del", bridge)
        os.unlink(sock)


if __name__ == "__main__":
    main()
