#!/usr/bin/env bash
# Builds javanet and runs it as a socket-file plugin named "javanet" (found by Docker in /run/docker/plugins),
# the other way to run it: installed as the managed plugin's rootfs lays it out, in /opt/javanet (the jar, its
# native libraries, an ahead-of-time cache trained with this host's JDK 25), and run with the managed plugin's
# JVM flags. Re-running it replaces a running javanet; state is kept.
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$(id -u)" -eq 0 ] || { echo "install: run as root (the plugin manages host networking)" >&2; exit 1; }
docker version >/dev/null 2>&1 || { echo "install: no Docker engine answers on this machine" >&2; exit 1; }
JAVA_HOME=$(scripts/java-home.sh)
export JAVA_HOME PATH=$JAVA_HOME/bin:$PATH

mvn -B -q package -DskipTests
scripts/install-jar.sh "$JAVA_HOME" /opt/javanet

pidfile=/run/javanet.pid
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "install: stopping the running javanet ($(cat "$pidfile"))"
    kill -TERM "$(cat "$pidfile")"
    while kill -0 "$(cat "$pidfile")" 2>/dev/null; do sleep 0.1; done
fi

socket=/run/docker/plugins/javanet.sock
mapfile -t flags < <(scripts/plugin-jvm-flags.sh /opt/javanet)
setsid nohup "$JAVA_HOME/bin/java" "${flags[@]}" -jar /opt/javanet/javanet.jar serve --socket "$socket" \
    --state-dir /var/lib/javanet >>/var/log/javanet.log 2>&1 </dev/null &
echo $! >"$pidfile"
for _ in $(seq 1 100); do
    curl -sf --unix-socket "$socket" -XPOST http://javanet/Plugin.Activate >/dev/null 2>&1 && break
    sleep 0.1
done
curl -sf --unix-socket "$socket" -XPOST http://javanet/Plugin.Activate >/dev/null \
    || { echo "install: javanet did not start; see /var/log/javanet.log" >&2; exit 1; }
echo "install: javanet is serving on $socket (log: /var/log/javanet.log, state: /var/lib/javanet)"
