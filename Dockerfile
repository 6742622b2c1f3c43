# newswatch container image: the static binary on an empty base image, run
# as an unprivileged user (65532), the store in a volume.
#
#   docker build --build-arg VERSION=$(git describe --tags --always) -t newswatch .
#   podman build --build-arg VERSION=... -t newswatch .
#
# The first stage builds the binary and the image's files with
# deploy/rootfs.sh; the final stage copies them onto scratch. CI, which
# cannot pull base images, runs deploy/rootfs.sh on the host and passes its
# output as the "rootfs" build context (buildah build --build-context
# rootfs=DIR, with the files in DIR/out), which replaces the first stage:
# see .ci/container.
#
# No HEALTHCHECK: scratch has no curl, and the OCI image format has no
# health check anyway. Probe GET /healthz from outside instead: a
# Kubernetes httpGet livenessProbe, or a monitoring check through the
# published port.
ARG GO_IMAGE=docker.io/library/golang:1.26-bookworm

FROM ${GO_IMAGE} AS rootfs
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=devel
RUN deploy/rootfs.sh /out "$VERSION"

FROM scratch
COPY --from=rootfs /out/root/ /
# The store's directory belongs to the user, so a new named volume does too.
COPY --from=rootfs --chown=65532:65532 /out/state/ /var/lib/newswatch/
USER 65532:65532
# Without store: in the config, the store is $XDG_DATA_HOME/newswatch/newswatch.db:
# in the volume.
ENV XDG_DATA_HOME=/var/lib
WORKDIR /var/lib/newswatch
VOLUME /var/lib/newswatch
# web.listen must be 0.0.0.0:8080 (or :8080) inside the container for a
# published port to reach it; publish it on the host's loopback only.
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/newswatch"]
CMD ["run", "--config", "/etc/newswatch/newswatch.yaml"]
