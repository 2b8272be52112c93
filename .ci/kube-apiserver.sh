#!/usr/bin/env bash
# Provides a real Kubernetes API server (1.20.2) for the integration tests, outside the
# repository, in the layout fabric8's kube-api-test expects in offline mode:
#
#   ${ALERTDESK_TEST_CACHE:-$HOME/.cache/alertdesk}/k8s/1.20.2-linux-amd64/{kube-apiserver,etcd,kubectl}
#
# Debian 12 ships no kube-apiserver package, so it is built from Debian's source package
# `kubernetes` (1.20.5+really1.20.2) with Debian's Go 1.19: about 3.5 min on 2 idle cores,
# 1.3 GB RAM. etcd comes from Debian's `etcd-server` (3.4). kubectl is built from the same
# source tree (Debian's `kubernetes-client` would clash with other kubectl packages on
# /usr/bin/kubectl).
#
# Idempotent: when the three binaries are there it does nothing. Needs root for apt-get.
# Prints the directory on its last line.
set -euo pipefail

version=1.20.2
cache="${ALERTDESK_TEST_CACHE:-$HOME/.cache/alertdesk}"
dest="$cache/k8s/${version}-linux-amd64"

if [ -x "$dest/kube-apiserver" ] && [ -x "$dest/etcd" ] && [ -x "$dest/kubectl" ]; then
  echo "$dest"
  exit 0
fi

log() { echo "kube-apiserver.sh: $*" >&2; }

apt_updated=no
apt_install() {
  if [ "$apt_updated" = no ]; then
    apt-get update -qq
    apt_updated=yes
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

missing=()
[ -x /usr/bin/etcd ] || missing+=(etcd-server)
command -v go >/dev/null 2>&1 || [ -x /usr/lib/go/bin/go ] || missing+=(golang-go)
command -v rsync >/dev/null 2>&1 || missing+=(rsync)
command -v jq >/dev/null 2>&1 || missing+=(jq)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v gcc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt_install "${missing[@]}"
fi
export PATH="/usr/lib/go/bin:$PATH"

mkdir -p "$cache/k8s"
work="$cache/k8s/build-$version"
mkdir -p "$work"

if [ ! -x "$work/_output/bin/kube-apiserver" ] || [ ! -x "$work/_output/bin/kubectl" ]; then
  src="$work/src"
  if [ ! -f "$src/Makefile" ]; then
    # A private apt configuration with only Debian's source index, so the machine's own apt
    # sources and lists stay untouched.
    apt_dir="$work/apt"
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial"
    cat > "$apt_dir/sources.list" <<'EOF'
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
EOF
    apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
      -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache::Archives=$apt_dir/archives"
      -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache=")
    log "downloading Debian's kubernetes source package"
    apt-get "${apt_opts[@]}" update -qq >&2
    (cd "$work" && apt-get "${apt_opts[@]}" source --download-only kubernetes >&2)
    orig=$(ls "$work"/kubernetes_*.orig.tar.gz | head -n1)
    rm -rf "$src.tmp" && mkdir -p "$src.tmp"
    tar -xzf "$orig" -C "$src.tmp" --strip-components=1
    mv "$src.tmp" "$src"
  fi
  log "building kube-apiserver and kubectl $version (several minutes)"
  # GOFLAGS=-mod=vendor: the tarball vendors every module, so nothing is fetched.
  (cd "$src" && GOFLAGS=-mod=vendor GOPROXY=off GOTOOLCHAIN=local \
      KUBE_GIT_VERSION="v$version" KUBE_GIT_TREE_STATE=clean \
      make WHAT="cmd/kube-apiserver cmd/kubectl" >&2)
  mkdir -p "$work/_output/bin"
  cp "$src/_output/bin/kube-apiserver" "$src/_output/bin/kubectl" "$work/_output/bin/"
fi

mkdir -p "$dest.tmp"
cp "$work/_output/bin/kube-apiserver" "$work/_output/bin/kubectl" "$dest.tmp/"
cp /usr/bin/etcd "$dest.tmp/etcd"
chmod 755 "$dest.tmp"/*
rm -rf "$dest"
mv "$dest.tmp" "$dest"
# The source tree (about 1 GB with Go's build output) is no longer needed.
rm -rf "$work/src"
log "ready in $dest"
echo "$dest"
