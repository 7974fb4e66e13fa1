#!/usr/bin/env bash
# Prints the home of a JDK 25, which builds and runs javanet: JAVA_HOME if it is one, else the first under
# /usr/lib/jvm (this kind of machine comes with Temurin's; Debian's is openjdk-25-jdk-headless from trixie on).
set -euo pipefail
is_25() { [ -x "$1/bin/javac" ] && "$1/bin/java" -version 2>&1 | grep -q 'version "25'; }
if [ -n "${JAVA_HOME:-}" ] && is_25 "$JAVA_HOME"; then echo "$JAVA_HOME"; exit 0; fi
for home in /usr/lib/jvm/*; do
    if is_25 "$home"; then echo "$home"; exit 0; fi
done
echo "java-home: no JDK 25 here; install one under /usr/lib/jvm (Debian trixie: openjdk-25-jdk-headless) or set JAVA_HOME" >&2
exit 1
