# The managed plugin's rootfs: a jlink-trimmed Java 25, the jar, its two native libraries, libnftables and the
# shared libraries these load, and nothing else (no shell, no package manager). No registry is needed: BASE is
# a local Debian trixie image, made with debootstrap by plugin-config/build.sh. The ahead-of-time cache is made
# from a training run of this image and added by build.sh (the run needs CAP_NET_ADMIN, which a build lacks).
ARG BASE=local/debian:trixie

FROM ${BASE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        openjdk-25-jdk-headless maven ca-certificates binutils libnftables1 \
 && rm -rf /var/lib/apt/lists/*
# The building host's own CAs (e.g. of a TLS-inspecting proxy) so that Maven can fetch; build stage only.
COPY build/extra-ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:resolve dependency:resolve-plugins
COPY src src
RUN mvn -B -q package -DskipTests
COPY plugin-config/rootfs.sh plugin-config/natives.sh plugin-config/
RUN plugin-config/rootfs.sh target/javanet.jar /rootfs

FROM scratch
COPY --from=build /rootfs /
ENTRYPOINT ["/opt/jre/bin/java", "-jar", "/opt/javanet/javanet.jar", "serve"]
