#!/bin/sh
# rootfs.sh OUT [VERSION] builds the static newswatch binary and lays out
# the files of the container image: OUT/root holds the binary, the CA
# certificates (from this machine's /etc/ssl/certs), a passwd and group
# file naming the unprivileged user 65532, and /tmp; OUT/state is the
# empty store directory, which the Dockerfile copies with the user as
# owner (a copy into a directory that exists already keeps its owner).
# The Dockerfile runs this in its Go build stage; CI runs it on the host
# and hands OUT to the Dockerfile's final stage, so both images are the
# same. Run it from the repository root.
set -eu
out=${1:?usage: deploy/rootfs.sh OUT [VERSION]}
version=${2:-devel}
dest=$out/root

mkdir -p "$dest/usr/local/bin" "$dest/etc/ssl/certs" "$dest/etc/newswatch" "$dest/tmp" "$dest/var/lib" "$out/state"
chmod 1777 "$dest/tmp"
# As the README's build, plus -trimpath (no build paths in the binary) and
# the time zone database (alert digests take an IANA zone; scratch has no
# /usr/share/zoneinfo).
CGO_ENABLED=0 go build -trimpath -tags timetzdata \
  -ldflags "-s -w -X main.version=$version" \
  -o "$dest/usr/local/bin/newswatch" ./cmd/newswatch
cp /etc/ssl/certs/ca-certificates.crt "$dest/etc/ssl/certs/ca-certificates.crt"
cat > "$dest/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
newswatch:x:65532:65532:newswatch:/var/lib/newswatch:/sbin/nologin
PASSWD
cat > "$dest/etc/group" <<'GROUP'
root:x:0:
newswatch:x:65532:
GROUP
