# The managed plugin's rootfs: a jlink-trimmed Java 25, the jar, its two native libraries, libnftables and the
# shared libraries these load, and nothing else (no shell, no package manager). No registry is needed: BASE is
# a local Debian trixie image, made with debootstrap by plugin-config/build.sh. The ahead-of-time cache is made
# from a training run of this image and added by build.sh (the run needs CAP_NET_ADMIN, which a build lacks).
ARG BASE=local/debian:trixie

FROM ${BASE} AS build
# libnftables and its libraries from bookworm (1.0.6), unpacked into /nftables: the host's nft lists the tables
# the plugin makes, and an older nft than the library that made them crashes on some (trixie's 1.1.3 made
# tables that bookworm's nft 1.0.6 dies listing); a newer one reads older rules.
RUN sed -n 's/^deb \([^ ]*\) trixie main$/deb \1 bookworm main/p' /etc/apt/sources.list >/etc/apt/sources.list.d/bookworm.list \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        openjdk-25-jdk-headless maven ca-certificates binutils \
 && cd /tmp && apt-get download libnftables1/bookworm libnftnl11/bookworm libmnl0/bookworm libxtables12/bookworm \
        libjansson4/bookworm libgmp10/bookworm \
 && for deb in *.deb; do dpkg-deb -x "$deb" /nftables; done && rm -f *.deb \
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
RUN plugin-config/rootfs.sh target/javanet.jar /nftables /rootfs

FROM scratch
COPY --from=build /rootfs /
ENTRYPOINT ["/opt/jre/bin/java", "-jar", "/opt/javanet/javanet.jar", "serve"]
