#!/usr/bin/env bash
# JMH for the plugin's own cost per call (HTTP over the unix socket, JSON, driver, SQLite commit), the kernel
# replaced by a memory fake, with 0 and 1000 endpoints already on the network. No root needed.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(scripts/java-home.sh)
export JAVA_HOME PATH=$JAVA_HOME/bin:$PATH
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
# The managed plugin's JVM flags (not its files: the benchmark runs from Maven's class path), and quiet logs.
jvm_flags="$(scripts/plugin-jvm-flags.sh --no-cache | grep '^-XX:' | tr '\n' ' ')-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" org.openjdk.jmh.Main \
    'io.javanet.bench.PluginCallBenchmark' -f 1 -wi 3 -w 2s -i 5 -r 2s -jvmArgs "$jvm_flags" "$@"
