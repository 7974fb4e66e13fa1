#!/usr/bin/env python3
"""The training run behind the plugin's ahead-of-time cache: replays, to a plugin serving on SOCKET, the calls
real engines made (the captured fixtures of Docker 20.10 and 29.7: networks created, containers run with
published ports, connected, restarted, removed), ROUNDS times, then reads its metrics. The plugin does the real
work: its store, netlink and nftables, in whatever network namespace it was started in (a throwaway one).
Answers are not checked: the contract tests do that.

Usage: plugin-config/train.py SOCKET METRICS_SOCKET [ROUNDS]
"""
import http.client
import json
import pathlib
import socket
import sys
import time

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "src/test/resources/fixtures"


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=60)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


def call(path, method, url, body=None):
    connection = UnixConnection(path)
    try:
        connection.request(method, url, body=body, headers={"Accept": "application/vnd.docker.plugins.v1.2+json"})
        return connection.getresponse().read()
    finally:
        connection.close()


def wait_for(path, seconds=120, poll=0.05):
    deadline = time.monotonic() + seconds
    while True:
        try:
            return call(path, "POST", "/Plugin.Activate")
        except OSError:
            if time.monotonic() > deadline:
                sys.exit(f"train: nothing answered on {path} in {seconds} s")
            time.sleep(poll)


def engine_calls():
    for engine in ("docker-20.10", "docker-29.7"):
        for capture in sorted((FIXTURES / engine).glob("*.jsonl")):
            for line in capture.read_text().splitlines():
                if line.strip():
                    record = json.loads(line)
                    body = record.get("body")
                    yield record["path"], None if body is None else json.dumps(body)


def main():
    plugin, metrics = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    wait_for(plugin)
    calls = list(engine_calls())
    for _ in range(rounds):
        for url, body in calls:
            call(plugin, "POST", url, body)
        call(metrics, "GET", "/metrics")
    print(f"train: {rounds} rounds of {len(calls)} calls replayed")


if __name__ == "__main__":
    main()
