# syntax=docker/dockerfile:1
# Alertdesk container image. Build from the repository root:
#   docker build -t alertdesk:0.1.0 --build-arg REVISION="$(git rev-parse HEAD)" .
# ContainerImageTest checks this file; ContainerImageIT runs its ENTRYPOINT, CMD and ENV on a
# read-only root filesystem with only /data and /tmp writable.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -Dmaven.test.skip=true package

FROM eclipse-temurin:17-jre
ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="Alertdesk" \
      org.opencontainers.image.description="Turns Prometheus Alertmanager notifications into incident threads in Slack." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"
# curl for the HEALTHCHECK; fontconfig and a font for graph rendering (JFreeChart).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl fontconfig fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 alertdesk \
 && useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home --shell /usr/sbin/nologin alertdesk \
 && mkdir -p /data \
 && chown 10001:10001 /data
COPY --from=build /src/target/alertdesk.jar /opt/alertdesk/alertdesk.jar
COPY deploy/docker/alertdesk /opt/alertdesk/bin/alertdesk
# The heap is a share of the container's memory limit (60 %, the rest is metaspace, code cache,
# thread stacks and buffers); the JVM reads the limit from the cgroup. Override JAVA_OPTS to tune.
ENV LISTEN_HOST=0.0.0.0 \
    PORT=3031 \
    STORAGE_DIR=/data \
    LOG_JSON=true \
    JAVA_OPTS="-XX:InitialRAMPercentage=40 -XX:MaxRAMPercentage=60 -XX:+UseSerialGC -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m -Xss512k -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
VOLUME ["/data"]
WORKDIR /data
USER 10001:10001
EXPOSE 3031
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/health" || exit 1
ENTRYPOINT ["/opt/alertdesk/bin/alertdesk"]
CMD ["serve"]
