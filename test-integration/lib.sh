#!/usr/bin/env bash
# Helpers for the integration suite: run the plugin from the built jar as a socket-file plugin, count checks,
# and clean up after every test whatever happens. A test is a function named test_*; nothing else may be.

# shellcheck source=eventually.sh
. "$(dirname "${BASH_SOURCE[0]}")/eventually.sh"

# The JDK 25 that builds and runs javanet.
JAVA_HOME=$("$(dirname "${BASH_SOURCE[0]}")/../scripts/java-home.sh") || exit 1
export JAVA_HOME PATH=$JAVA_HOME/bin:$PATH

# require_setup SUITE: the machine prepared (packages, dockerd, test image), or the suite fails at once.
require_setup() {
    "$(dirname "${BASH_SOURCE[0]}")/setup.sh" || { rm -rf "$WORK"; echo "$1: 0 passed, 1 failed"; exit 1; }
}

PLUGIN=${PLUGIN:-javanet-it}
SOCKET=/run/docker/plugins/$PLUGIN.sock
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=${JAR:-$ROOT/target/javanet.jar}
# Under WORK_IN (default /tmp): a suite in test-integration/guest.sh keeps its state on the guest's tmpfs /run.
WORK=$(mktemp -d "${WORK_IN:-/tmp}/javanet-it.XXXXXX")
STATE=$WORK/state
PLUGIN_LOG=$WORK/plugin.log
PLUGIN_PID=
PASSED=0
FAILED=0
FAILURES=()
CLEANUP=()

log() { printf '%s\n' "$*" >&2; }

# The engine the suite runs against, named in its summary line: 20.10.24+dfsg1 gives 20.10.24.
engine_version() { docker version --format '{{.Server.Version}}' 2>/dev/null | sed 's/[+~-].*//' || echo none; }

# start_plugin: the jar with the managed plugin's JVM flags, its native libraries unpacked once into WORK (an
# ahead-of-time cache is left to the suites that install the plugin as shipped).
start_plugin() {
    mkdir -p /run/docker/plugins
    if [ ! -d "$WORK/javanet/lib" ]; then
        "$ROOT/plugin-config/natives.sh" "$JAR" "$WORK/javanet/lib" || return 1
    fi
    local flags; mapfile -t flags < <("$ROOT/scripts/plugin-jvm-flags.sh" --no-cache "$WORK/javanet")
    JAVANET_LOG_LEVEL=${JAVANET_LOG_LEVEL:-info} java "${flags[@]}" -jar "$JAR" serve --socket "$SOCKET" \
        --state-dir "$STATE" --metrics-socket "$WORK/metrics.sock" >>"$PLUGIN_LOG" 2>&1 &
    PLUGIN_PID=$!
    # Up to PLUGIN_START_SECONDS (10): an interpreted JVM in the guest starts far slower.
    eventually "${PLUGIN_START_SECONDS:-10}" answered_or_exited >/dev/null
    plugin_answers && return 0
    log "plugin did not start; its log:"; tail -20 "$PLUGIN_LOG" >&2
    return 1
}

plugin_answers() { curl -sf --unix-socket "$SOCKET" -XPOST http://p/Plugin.Activate >/dev/null; }
# answered_or_exited: the plugin answers, or it has exited and never will.
answered_or_exited() { plugin_answers || ! kill -0 "$PLUGIN_PID" 2>/dev/null; }

# stop_plugin [SIGNAL]: TERM for a clean stop, KILL for a crash.
stop_plugin() {
    [ -n "$PLUGIN_PID" ] || return 0
    kill "-${1:-TERM}" "$PLUGIN_PID" 2>/dev/null || true
    wait "$PLUGIN_PID" 2>/dev/null || true
    PLUGIN_PID=
}

IMAGE=${TEST_IMAGE:-javanet-test/busybox:2}

# net NAME ARGS...: creates a network of ours and defers its removal.
net() {
    local name=$1; shift
    docker network create -d "$PLUGIN" "$@" "$name" >/dev/null || return 1
    defer docker network rm "$name"
}

# ctr NAME ARGS...: runs a container (sleeping) and defers its removal.
ctr() {
    local name=$1; shift
    docker run -d --name "$name" "$@" "$IMAGE" sleep 600 >/dev/null || return 1
    defer docker rm -f "$name"
}

ip_of() { docker inspect -f "{{(index .NetworkSettings.Networks \"$2\").IPAddress}}" "$1"; }
ip6_of() { docker inspect -f "{{(index .NetworkSettings.Networks \"$2\").GlobalIPv6Address}}" "$1"; }
endpoint_of() { docker inspect -f "{{(index .NetworkSettings.Networks \"$2\").EndpointID}}" "$1"; }
reaches() { docker exec "$1" ping -c1 -W2 "$2" >/dev/null; }

# Negative checks. Each first proves that what it looks at exists and answers, so that it fails, not passes,
# when the container, the tool or the table is missing; only then does it look for the property's absence.

# is ACTUAL EXPECTED: equal, or says what it got.
is() { [ "$1" = "$2" ] || { echo "got \"$1\", expected \"$2\""; return 1; }; }

# lacks PATTERN CMD...: CMD succeeds and prints something, and no line it prints matches PATTERN (grep -E).
lacks() {
    local pattern=$1 out; shift
    out=$("$@" 2>&1) || { echo "cannot look: '$*' failed: $out"; return 1; }
    [ -n "$out" ] || { echo "cannot look: '$*' printed nothing"; return 1; }
    if grep -E -- "$pattern" <<<"$out"; then
        echo "^ '$*' shows $pattern"; return 1
    fi
}

# unreachable CTR ADDRESS [PING_OPTION...]: CTR runs and answers an exec, ADDRESS is an address, and a ping from
# CTR to it goes unanswered (busybox ping's exit status 1). DOCKER (default docker) is the CLI to use.
unreachable() {
    local ctr=$1 address=$2; shift 2
    local -a cli; read -r -a cli <<<"${DOCKER:-docker}"
    [[ $address =~ ^[0-9a-fA-F.:]+$ ]] || { echo "not an address to ping: '$address'"; return 1; }
    "${cli[@]}" exec "$ctr" true || { echo "cannot look: $ctr answers no exec"; return 1; }
    "${cli[@]}" exec "$ctr" ping -c1 -W1 "$@" "$address"
    local status=$?
    [ "$status" -eq 1 ] || { echo "ping from $ctr to $address: exit $status, expected 1 (no answer)"; return 1; }
}

# unanswered HOST PORT: HOST is an address, the HTTP client works, and HOST:PORT serves no test page.
unanswered() {
    [ -n "$1" ] || { echo "no address to ask"; return 1; }
    busybox nc --help >/dev/null 2>&1 || busybox --list | grep -qx nc || { echo "cannot look: no busybox nc"; return 1; }
    if http_get "$1" "$2"; then echo "$1:$2 serves the test page"; return 1; fi
}

# no_network NAME: the engine lists its networks, and NAME is not among them.
no_network() { lacks "^$1\$" docker network ls --format '{{.Name}}'; }

# in_netns_of CTR CMD...: CMD in CTR's network namespace with the host's tools and privileges (a container has
# no CAP_NET_ADMIN: a route a test adds by hand must come from outside).
in_netns_of() { local pid; pid=$(docker inspect -f '{{.State.Pid}}' "$1") && shift && nsenter -n -t "$pid" "$@"; }

# no_link NAME: the host lists its links, and NAME is not among them.
no_link() { lacks "^$1(@| )" ip -br link show; }

# kernel_ships MODULE: the running kernel has MODULE loaded, built in, or among the modules it can load. What a
# test expects of a kernel-dependent feature is decided by this, never by whether our own attempt worked.
# iperf_mbits ARGS...: the Mbit/s a 3-second iperf3 client, run in a new container of the image $IPERF against
# the server $SERVER (ARGS: its docker run options, then --, then iperf3's own), received, counted as iperf3
# counts it (payload, not frames). DOCKER (default docker) is the CLI to use.
iperf_mbits() {
    local opts=() out cli
    read -r -a cli <<<"${DOCKER:-docker}"
    while [ "$1" != -- ]; do opts+=("$1"); shift; done
    shift
    out=$("${cli[@]}" run --rm "${opts[@]}" "$IPERF" -c "$SERVER" -t 3 -O 1 -J "$@") || return 1
    received_mbits <<<"$out"
}
# received_mbits: the Mbit/s (whole) an iperf3 JSON report on standard input says its receiver got.
received_mbits() {
    python3 -c 'import json, sys; print(int(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))'
}
# near MBITS TARGET: within 10 % of TARGET, iperf3's payload being about 1448 of each 1514-byte frame a limit
# counts (1398 of 1464 under an overlay's MTU of 1450: the same ratio to 0.2 %).
near() { awk -v m="$1" -v t="$2" 'BEGIN { f = m * 1514 / 1448; exit !(f >= 0.9 * t && f <= 1.1 * t) }'; }
# limited_to TARGET ARGS...: iperf_mbits ARGS within 10 % of TARGET; prints what it measured.
limited_to() { local m; m=$(iperf_mbits "${@:2}") && echo "measured $m Mbit/s of payload" && near "$m" "$1"; }
# faster_than MBITS ARGS...: iperf_mbits ARGS above MBITS.
faster_than() { local m; m=$(iperf_mbits "${@:2}") && echo "measured $m Mbit/s" && [ "$m" -gt "$1" ]; }
kernel_ships() { [ -d "/sys/module/$1" ] || modinfo "$1" >/dev/null 2>&1; }

# lan NAME PREFIX [VLAN]: a LAN, namespace $LAN_PREFIX-NAME, whose router holds PREFIX.1/24 and 198.51.100.1/24
# (a host beyond the LAN), at the far end of a veth whose near end, $LAN_PREFIX-NAME0, is the parent of a
# network; with VLAN, the router's addresses are on that 802.1q VLAN of its end instead.
LAN_PREFIX=${LAN_PREFIX:-jnit}
lan() {
    local name=$1 prefix=$2 vlan=${3:-} ns=$LAN_PREFIX-$1 dev=$LAN_PREFIX-${1}1 parent=$LAN_PREFIX-${1}0
    ip netns add "$ns" || return 1
    defer ip netns del "$ns"
    ip link add "$parent" type veth peer name "$dev" netns "$ns" || return 1
    defer ip link del "$parent"
    ip link set "$parent" up
    ip -n "$ns" link set "$dev" up
    if [ -n "$vlan" ]; then
        ip -n "$ns" link add link "$dev" name "$dev.$vlan" type vlan id "$vlan" || return 1
        dev=$dev.$vlan
        ip -n "$ns" link set "$dev" up
    fi
    ip -n "$ns" addr add "$prefix.1/24" dev "$dev"
    ip -n "$ns" addr add 198.51.100.1/24 dev "$dev"
}

# links_of NETWORK: the host links our driver made for the network and its endpoints right now.
links_of() {
    local id; id=$(docker network inspect -f '{{.Id}}' "$1")
    echo "jn-${id:0:12}"
    for ep in $(docker network inspect -f '{{range .Containers}}{{.EndpointID}} {{end}}' "$1"); do
        echo "jnv${ep:0:12}"
    done
}

# gone LINK...: none of these links exists and no DOCKER-USER rule names them.
gone() {
    local link
    for link in "$@"; do
        if ip link show "$link" >/dev/null 2>&1; then echo "link $link is still there"; return 1; fi
        if iptables -S DOCKER-USER 2>/dev/null | grep -qw -- "$link"; then echo "a DOCKER-USER rule names $link"; return 1; fi
    done
}

# The host's own address: the source of its default route (a local lookup, nothing is sent).
host_ip() { ip -4 route get 192.0.2.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p'; }

web() { # web NAME NET ARGS...: busybox httpd on port 80 (and 81), published as the ARGS say
    local name=$1 network=$2; shift 2
    docker run -d --name "$name" --net "$network" "$@" "$IMAGE" \
        sh -c 'httpd -p 81 -h /var/www; exec httpd -f -p 80 -h /var/www' >/dev/null || return 1
    defer docker rm -f "$name"
}

http_get() { printf 'GET / HTTP/1.0\r\n\r\n' | busybox nc -w 3 "$1" "$2" 2>/dev/null | grep -q 'javanet test page'; }

# outside_host: a namespace of our own behind a veth, with no route back to any container subnet, so its
# replies reach a container only if the container's traffic was masqueraded: 198.51.100.2, the host 198.51.100.1.
outside_host() {
    ip netns add jnit-ext || return 1
    defer ip netns del jnit-ext
    ip link add jnit-ext0 type veth peer name jnit-ext1 && ip link set jnit-ext1 netns jnit-ext || return 1
    defer ip link del jnit-ext0
    ip addr add 198.51.100.1/24 dev jnit-ext0 && ip link set jnit-ext0 up
    ip -n jnit-ext addr add 198.51.100.2/24 dev jnit-ext1 && ip -n jnit-ext link set jnit-ext1 up
}
http_get_from() { docker exec "$1" sh -c "printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 3 $2 $3" 2>/dev/null | grep -q 'javanet test page'; }

# restart_dockerd [ARG...]: stops dockerd and starts it again with the arguments (less --live-restore) and the
# environment it had (the engine's PATH, its firewall backend), plus ARGs; waits for its API.
restart_dockerd() {
    local pid args=() envs=()
    pid=$(pgrep -xo dockerd) || return 1
    while IFS= read -r -d '' a; do
        [ "$a" = --live-restore ] || args+=("$a")
    done </proc/"$pid"/cmdline
    while IFS= read -r -d '' a; do envs+=("$a"); done </proc/"$pid"/environ
    kill -TERM "$pid"
    eventually 60 exited "$pid" || return 1
    env -i "${envs[@]}" setsid nohup "${args[@]}" "$@" >>/var/log/javanet-it-dockerd.log 2>&1 </dev/null 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
    eventually 60 docker version >/dev/null
}

# host_forwarding POLICY [DEFER]: the host conditions that decide whether bridged and routed traffic passes, set
# here rather than left to the machine's history: IPv4 forwarding on, br_netfilter loaded with bridged frames
# passing iptables (net.bridge.bridge-nf-call-iptables=1), and the iptables FORWARD policy POLICY (Docker sets DROP
# where it turned forwarding on itself). Each is put back as it was by DEFER (defer: at the test's end; defer_suite:
# at the suite's).
host_forwarding() {
    local policy=$1 later=${2:-defer} forward nf was
    forward=$(sysctl -n net.ipv4.ip_forward) || return 1
    was=$(iptables -S FORWARD | awk '$1 == "-P" {print $3}')
    [ -n "$was" ] || { echo "cannot read the FORWARD policy"; return 1; }
    if [ ! -e /proc/sys/net/bridge/bridge-nf-call-iptables ]; then
        modprobe br_netfilter || { echo "cannot load br_netfilter"; return 1; }
        "$later" modprobe -r br_netfilter
    fi
    nf=$(sysctl -n net.bridge.bridge-nf-call-iptables) || return 1
    "$later" sysctl -qw net.ipv4.ip_forward="$forward"
    "$later" sysctl -qw net.bridge.bridge-nf-call-iptables="$nf"
    "$later" iptables -P FORWARD "$was"
    echo "host before: ip_forward=$forward bridge-nf-call-iptables=$nf FORWARD $was; now 1, 1, $policy"
    sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 && iptables -P FORWARD "$policy"
}

# defer CMD...: run CMD when the current test ends, newest first, even if the test failed.
defer() { CLEANUP+=("$*"); }
# defer_suite CMD...: run CMD when the suite ends (a registry, a lab), newest first, before the host is checked.
SUITE_CLEANUP=()
defer_suite() { SUITE_CLEANUP+=("$*"); }

# run_cleanup [LIST]: runs what was deferred to LIST (CLEANUP, the current test's), newest first, and empties it.
run_cleanup() {
    local -n deferred=${1:-CLEANUP}
    local i
    for ((i = ${#deferred[@]} - 1; i >= 0; i--)); do
        eval "${deferred[$i]}" >/dev/null 2>&1 || true
    done
    deferred=()
}

# check DESCRIPTION CMD...: one assertion; the test goes on either way.
check() {
    local what=$1; shift
    CHECKS=$((CHECKS + 1))
    if "$@" >"$WORK/out" 2>&1; then
        return 0
    fi
    log "    FAIL: $what"; sed 's/^/      /' "$WORK/out" | tail -8 >&2
    CURRENT_OK=false
}

# expect_fail_with TEXT CMD...: CMD must fail and say TEXT.
# Its own output file: check() sends what this prints to $WORK/out.
expect_fail_with() {
    local text=$1; shift
    if "$@" >"$WORK/failed" 2>&1; then
        echo "succeeded, expected a failure saying: $text"; return 1
    fi
    grep -qF -- "$text" "$WORK/failed" || { echo "failed without saying: $text"; cat "$WORK/failed"; return 1; }
}

# run_test NAME: runs the function NAME as one test, then its deferred clean-up.
run_test() {
    local name=$1
    CURRENT_OK=true
    CHECKS=0
    log "--- $name"
    "$name" || CURRENT_OK=false
    run_cleanup
    # A function that checks nothing is a helper mistaken for a test, not a pass.
    [ "$CHECKS" -gt 0 ] || { log "    FAIL: $name made no check"; CURRENT_OK=false; }
    if $CURRENT_OK; then
        PASSED=$((PASSED + 1)); log "    ok"
    else
        FAILED=$((FAILED + 1)); FAILURES+=("$name")
    fi
}

# tests [PATTERN]: the test_* functions defined so far whose names match PATTERN, in the order of their files
# (as sourced) and of their lines in each.
tests() {
    local name
    shopt -s extdebug
    for name in $(declare -F | awk '$3 ~ /^test_/ {print $3}' | grep -E -- "${1:-.}"); do
        declare -F "$name"
    done | sort -k3,3 -k2,2n | awk '{print $1}'
    shopt -u extdebug
}

# install_cli_plugin: docker javanet installed where Docker's CLI looks for plugins, as scripts/install.sh installs
# it, until the test's end.
install_cli_plugin() {
    local plugins=/usr/local/lib/docker/cli-plugins made=
    [ -d "$plugins" ] || made=yes
    install -D -m 0755 "$(dirname "${BASH_SOURCE[0]}")/../plugin-config/docker-javanet" "$plugins/docker-javanet" || return 1
    defer rm -f "$plugins/docker-javanet"
    [ -z "$made" ] || defer rmdir -p --ignore-fail-on-non-empty "$plugins"
}

our_networks() { docker network ls --filter "driver=$PLUGIN" -q; }

# What of ours the host holds: links named jn*, their addresses and routes, DOCKER-USER rules (IPv4 and IPv6)
# naming them or commented with an instance's name, and instances' tables (inet and bridge). INSTANCE: an ERE of
# the instances' names (a managed plugin's is javanet-ID, an earlier release's javanet).
INSTANCE=${INSTANCE:-$PLUGIN}
host_snapshot() {
    ip -br link show | awk '$1 ~ /^jn/ {print "link " $1}'
    ip -br addr show | awk '$1 ~ /^jn/ {print "addr " $0}'
    { ip -4 route show; ip -6 route show; } | grep -E ' dev jn' | sed 's/^/route /'
    iptables -S DOCKER-USER 2>/dev/null | grep -E -- "-i jn|-o jn|--comment ($INSTANCE) " | sed 's/^/rule /'
    ip6tables -S DOCKER-USER 2>/dev/null | grep -E -- "--comment ($INSTANCE) " | sed 's/^/rule6 /'
    nft list tables 2>/dev/null | grep -Ex "table (inet|bridge) ($INSTANCE)" | sed 's/^/nft /'
}

remember_host() { host_snapshot | sort >"$WORK/host.before"; }

# plugin_files OUT DIR...: every path under the DIRs, where the plugin under test can write (its state, its install
# directory, its socket's, its rootfs), and what the JVM and the libraries it loads would leave in the temporary
# directories and caches (JNA's and SQLite's unpacked libraries; performance data of the processes in PLUGIN_PIDS),
# sorted (in WORK: sort's own files would be new ones). Nowhere else: other processes of the host write there as
# they please while a suite runs.
plugin_files() {
    local out=$1 pid; shift
    {
        find "$@" -xdev 2>/dev/null
        find /tmp /var/tmp /dev/shm "$HOME/.cache" -maxdepth 2 \( -name 'jna*' -o -name 'JNA' -o -name 'sqlite-*' \
            -o -name '*sqlitejdbc*' \) 2>/dev/null
        for pid in ${PLUGIN_PIDS:-}; do ls -d /tmp/hsperfdata_*/"$pid" 2>/dev/null; done
    } | sort -u -T "$WORK" >"$out"
}

# only_new PROBE BEFORE AFTER: the paths in AFTER and not in BEFORE are PROBE alone (a file the test made after
# BEFORE, which proves that the listing would show a new file there).
only_new() {
    local new; new=$(comm -13 "$2" "$3")
    grep -qxF -- "$1" <<<"$new" || { echo "the probe $1 is not among the new paths: the listing cannot see it"; return 1; }
    new=$(grep -vxF -- "$1" <<<"$new")
    [ -z "$new" ] || { echo "new files:"; head -20 <<<"$new"; return 1; }
}

# Counted as one more check: whatever of ours the suite added to the host must be gone at the end.
check_host_is_clean() {
    host_snapshot | sort >"$WORK/host.after"
    local left; left=$(comm -13 "$WORK/host.before" "$WORK/host.after")
    if [ -n "$left" ]; then
        log "--- leftovers on the host after the suite:"; log "$left"
        FAILED=$((FAILED + 1)); FAILURES+=(leftovers)
    else
        PASSED=$((PASSED + 1)); log "--- nothing of ours left on the host: ok"
    fi
}

finish() {
    run_cleanup
    our_networks | xargs -r docker network rm >/dev/null 2>&1 || true
    run_cleanup SUITE_CLEANUP
    [ -f "$WORK/host.before" ] && check_host_is_clean
    stop_plugin TERM
    if [ "$FAILED" -gt 0 ]; then
        log "failed: ${FAILURES[*]}"; log "plugin log: $PLUGIN_LOG; its last lines (a CI run keeps no files):"
        tail -n 60 "$PLUGIN_LOG" | cut -c1-300 >&2
    else
        rm -rf "$WORK"
    fi
    echo "${SUITE:-integration}@docker-$(engine_version): $PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ] && exit 0
    exit 1
}
