# shellcheck shell=bash
# lib.sh: helpers shared by the scripts in this folder. Source it; don't run it.
#
# Provides REPO (the checkout's root), the versions from versions.env, logging,
# step timing, apt installs and the Go bin directory.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO

# load_versions exports every KEY=VALUE of versions.env, after checking the file's shape.
load_versions() {
	local f="$REPO/versions.env" line n=0
	[[ -r $f ]] || die "missing $f" "restore it from git: git checkout -- versions.env"
	while IFS= read -r line || [[ -n $line ]]; do
		n=$((n + 1))
		[[ -z $line || $line == \#* ]] && continue
		[[ $line =~ ^[A-Z][A-Z0-9_]*=[^[:space:]\"\']*$ ]] ||
			die "versions.env:$n: not a KEY=VALUE line: $line" "write KEY=VALUE with no spaces or quotes"
	done <"$f"
	set -a
	# shellcheck source=../versions.env
	. "$f"
	set +a
}

log() { printf '%s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }

# die MESSAGE [FIX]: print an error and how to fix it, then exit 1.
die() {
	printf '\nERROR: %s\n' "$1" >&2
	if [[ $# -gt 1 ]]; then printf 'FIX:   %s\n' "$2" >&2; fi
	exit 1
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# STEP_TIMES collects "seconds<TAB>name" lines; print_timings shows them.
STEP_TIMES=()

# step NAME COMMAND [ARGS...]: run a command as a named, timed step, in a subshell with
# errexit on (a function called as `f || ...` would run with errexit silently off), so
# variables it sets do not survive it. A failing step prints the timings and exits.
step() {
	local name=$1 t0 rc
	shift
	log ""
	log "==> $name"
	t0=$(now)
	set +e
	(
		set -e
		"$@"
	)
	rc=$?
	set -e
	local secs
	secs=$(elapsed "$t0")
	STEP_TIMES+=("$(printf '%7ss  %s' "$secs" "$name")")
	if [[ $rc -ne 0 ]]; then
		log "<== $name: FAILED (exit $rc) after ${secs}s"
		print_timings
		exit "$rc"
	fi
	log "<== $name: ok in ${secs}s"
}

print_timings() {
	[[ ${#STEP_TIMES[@]} -gt 0 ]] || return 0
	log ""
	log "Step timings:"
	local l
	for l in "${STEP_TIMES[@]}"; do log "  $l"; done
}

# fetch_url URL FILE: download with whatever exists (curl, wget or python3: base images lack some).
fetch_url() {
	if have curl; then
		curl -fsSL --retry 3 -o "$2" "$1"
	elif have wget; then
		wget -q -O "$2" "$1"
	else
		python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' "$1" "$2"
	fi
}

is_root() { [[ $(id -u) -eq 0 ]]; }
have() { command -v "$1" >/dev/null 2>&1; }

APT_UPDATED=0
# apt_install PKG...: install Debian packages; needs root and apt-get, else explains.
apt_install() {
	if ! have apt-get; then
		die "need Debian/Ubuntu packages: $* (no apt-get here)" \
			"install the equivalent of '$*' with your system's package manager, then rerun"
	fi
	if ! is_root; then
		die "need Debian packages: $* (apt-get needs root)" \
			"run: sudo apt-get update && sudo apt-get install -y $* ; then rerun this script"
	fi
	export DEBIAN_FRONTEND=noninteractive
	if [[ $APT_UPDATED -eq 0 ]]; then
		apt-get -o DPkg::Lock::Timeout=600 update -qq || die "apt-get update failed" "check the network/apt sources, then rerun"
		APT_UPDATED=1
	fi
	apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" ||
		die "apt-get install $* failed" "see the apt output above"
}

# go_bin_dir prints where `go install` puts binaries (GOBIN, else GOPATH/bin).
go_bin_dir() {
	local d
	d=$(go env GOBIN)
	[[ -n $d ]] || d="$(go env GOPATH | cut -d: -f1)/bin"
	printf '%s\n' "$d"
}

# require_go checks that `go` exists, and warns when it is not the pinned version.
require_go() {
	have go || die "Go is not installed (or not on PATH)" \
		"install Go ${GO_VERSION} from https://go.dev/dl/ and put its bin/ on PATH (e.g. /usr/local/go/bin)"
	local v
	v=$(go env GOVERSION)
	if [[ $v != "go${GO_VERSION}" ]]; then
		case $v in
		"go${GO_VERSION%.*}".*) warn "using $v; versions.env pins go${GO_VERSION} (same minor release, fine)" ;;
		*) die "found $v; this kit needs Go ${GO_VERSION%.*}.x (versions.env pins go${GO_VERSION})" \
			"install Go ${GO_VERSION} from https://go.dev/dl/, or run with GOTOOLCHAIN=go${GO_VERSION} to let go fetch it" ;;
		esac
	fi
}

# path_with_go_bin puts Go's bin and the `go install` bin on PATH (GoNB runs go and goimports).
path_with_go_bin() {
	local gobin goroot_bin
	gobin=$(go_bin_dir)
	goroot_bin="$(go env GOROOT)/bin"
	case ":$PATH:" in *":$gobin:"*) ;; *) PATH="$gobin:$PATH" ;; esac
	case ":$PATH:" in *":$goroot_bin:"*) ;; *) PATH="$goroot_bin:$PATH" ;; esac
	export PATH
}

# jupyter_python prints a Python interpreter that can import nbformat and nbclient: the
# one Jupyter itself runs on (a python3 earlier on PATH, e.g. pyenv's, may lack them).
jupyter_python() {
	local cands=() j shebang p
	if j=$(command -v jupyter 2>/dev/null); then
		shebang=$(head -n1 "$j")
		if [[ $shebang == '#!'* ]]; then
			read -r -a words <<<"${shebang#\#!}"
			if [[ ${words[0]} == */env ]]; then cands+=("${words[1]:-}"); else cands+=("${words[0]}"); fi
		fi
	fi
	cands+=(python3 /usr/bin/python3 /opt/conda/bin/python3)
	for p in "${cands[@]}"; do
		[[ -n $p ]] || continue
		if "$p" -c 'import nbformat, nbclient' >/dev/null 2>&1; then
			command -v "$p"
			return 0
		fi
	done
	return 1
}
