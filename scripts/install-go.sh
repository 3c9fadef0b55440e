#!/usr/bin/env bash
# install-go.sh PREFIX: install Go GO_VERSION (from versions.env) into PREFIX/go, from
# the official tarball at go.dev. Used by docker/Dockerfile and binder/postBuild; on
# your own machine install Go as you like (scripts/install.sh only checks the version).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
load_versions

prefix=${1:?usage: install-go.sh PREFIX (Go goes to PREFIX/go)}
if [[ -x $prefix/go/bin/go ]] && [[ $("$prefix/go/bin/go" env GOVERSION) == "go$GO_VERSION" ]]; then
	log "Go $GO_VERSION already in $prefix/go"
	exit 0
fi
case $(uname -m) in
x86_64 | amd64) arch=amd64 ;;
aarch64 | arm64) arch=arm64 ;;
*) die "no Go tarball for $(uname -m) here" "install Go $GO_VERSION by hand from https://go.dev/dl/" ;;
esac
url="https://go.dev/dl/go${GO_VERSION}.linux-${arch}.tar.gz"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log "downloading $url"
fetch_url "$url" "$tmp/go.tgz"
mkdir -p "$prefix"
rm -rf "$prefix/go"
tar -xzf "$tmp/go.tgz" -C "$prefix"
[[ $("$prefix/go/bin/go" env GOVERSION) == "go$GO_VERSION" ]] || die "$prefix/go is not Go $GO_VERSION" "check the download"
log "installed $("$prefix/go/bin/go" version) in $prefix/go"
