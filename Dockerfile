# The managed plugin's rootfs. No registry is needed: BASE can be any local Debian bookworm image, e.g. one made
# with debootstrap (plugin-config/install.sh does that when none exists).
ARG BASE=local/debian:bookworm

FROM ${BASE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven ca-certificates binutils \
 && rm -rf /var/lib/apt/lists/*
# The building host's own CAs (e.g. of a TLS-inspecting proxy) so that Maven can fetch; build stage only.
COPY build/extra-ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:resolve dependency:resolve-plugins
COPY src src
RUN mvn -B -q package -DskipTests
# A runtime of just the modules javanet uses (checked by running the jar on it): about 50 MB instead of 200,
# with its class-data sharing archive so the JVM starts faster and shares those pages.
RUN jlink --add-modules java.base,java.sql,java.naming,java.management,java.logging,java.desktop,jdk.unsupported,java.xml \
        --strip-debug --no-man-pages --no-header-files --compress=2 --output /jre
# The classes a start and Docker's first calls load, listed by a training run with the kernel faked (it needs no
# privilege); the runtime stage archives them for class-data sharing, which halves the time to the first answer.
RUN /jre/bin/java -XX:DumpLoadedClassList=/src/target/classes.lst -cp target/javanet.jar:target/test-classes \
        io.javanet.bench.StartupTraining >/dev/null

FROM ${BASE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libnftables1 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /usr/share/doc /usr/share/man /usr/share/locale
COPY --from=build /jre /opt/jre
COPY --from=build /src/target/javanet.jar /opt/javanet/javanet.jar
COPY --from=build /src/target/classes.lst /tmp/classes.lst
RUN /opt/jre/bin/java -Xshare:dump -XX:SharedClassListFile=/tmp/classes.lst \
        -XX:SharedArchiveFile=/opt/javanet/javanet.jsa -cp /opt/javanet/javanet.jar >/dev/null \
 && rm /tmp/classes.lst
ENTRYPOINT ["/opt/jre/bin/java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:MaxRAM=256m", \
            "-XX:Tier3InvocationThreshold=20", "-XX:Tier3MinInvocationThreshold=10", "-XX:Tier3CompileThreshold=200", \
            "-XX:SharedArchiveFile=/opt/javanet/javanet.jsa", "-jar", "/opt/javanet/javanet.jar", "serve"]
