#!/usr/bin/env bash
# Builds javanet and runs the jar as a socket-file plugin named "javanet" (found by Docker in
# /run/docker/plugins), the other way to run it. Re-running it replaces a running javanet; state is kept.
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$(id -u)" -eq 0 ] || { echo "install: run as root (the plugin manages host networking)" >&2; exit 1; }
docker version >/dev/null 2>&1 || { echo "install: no Docker engine answers on this machine" >&2; exit 1; }

mvn -B -q package -DskipTests
install -D -m 0644 target/javanet.jar /usr/local/lib/javanet/javanet.jar

pidfile=/run/javanet.pid
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "install: stopping the running javanet ($(cat "$pidfile"))"
    kill -TERM "$(cat "$pidfile")"
    while kill -0 "$(cat "$pidfile")" 2>/dev/null; do sleep 0.1; done
fi

socket=/run/docker/plugins/javanet.sock
setsid nohup java -jar /usr/local/lib/javanet/javanet.jar serve --socket "$socket" --state-dir /var/lib/javanet \
    >>/var/log/javanet.log 2>&1 </dev/null &
echo $! >"$pidfile"
for _ in $(seq 1 100); do
    curl -sf --unix-socket "$socket" -XPOST http://javanet/Plugin.Activate >/dev/null 2>&1 && break
    sleep 0.1
done
curl -sf --unix-socket "$socket" -XPOST http://javanet/Plugin.Activate >/dev/null \
    || { echo "install: javanet did not start; see /var/log/javanet.log" >&2; exit 1; }
echo "install: javanet is serving on $socket (log: /var/log/javanet.log, state: /var/lib/javanet)"
