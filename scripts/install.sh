#!/usr/bin/env bash
# install.sh: install everything the notebooks need, at the versions in versions.env.
#
#   scripts/install.sh                    # binder/apt.txt packages (gcc, npm), Jupyter, GoNB,
#                                         # goimports, gopls, ECharts JS, warm Go cache
#   scripts/install.sh --with-test-tools  # also Chromium and shellcheck (used by scripts/test.sh)
#
# Idempotent: a second run skips what is already installed at the pinned version.
# Installs Debian packages only when something is missing (needs root then).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

WITH_TEST_TOOLS=0
for arg in "$@"; do
	case $arg in
	--with-test-tools | --with-browser) WITH_TEST_TOOLS=1 ;;
	-h | --help)
		sed -n '2,8p' "$0"
		exit 0
		;;
	*) die "unknown argument: $arg" "see: $0 --help" ;;
	esac
done

load_versions
T_START=$(now)

check_go() {
	require_go
	path_with_go_bin
	log "go: $(go env GOVERSION) at $(command -v go); binaries go to $(go_bin_dir)"
}

install_jupyter() {
	local missing=0 py nbc
	jupyter notebook --version >/dev/null 2>&1 || jupyter lab --version >/dev/null 2>&1 || missing=1
	nbc=$(jupyter nbconvert --version 2>/dev/null) || missing=1
	py=$(jupyter_python) || missing=1
	if [[ $missing -eq 0 ]]; then
		log "Jupyter already installed (nbconvert $nbc, python $py); skipping"
		return 0
	fi
	log "Jupyter (notebook, nbconvert, nbclient) missing: installing Debian packages"
	apt_install jupyter-notebook jupyter-nbconvert python3-nbclient
	jupyter nbconvert --version >/dev/null 2>&1 || die "jupyter nbconvert still not working after apt-get" \
		"check 'jupyter nbconvert --version' by hand"
	jupyter_python >/dev/null || die "no Python with nbformat+nbclient found after apt-get" \
		"apt-get install python3-nbclient, and make sure /usr/bin/python3 is Debian's"
}

# installed_at BINARY MODULE VERSION: is BINARY built from MODULE@VERSION?
installed_at() {
	[[ -x $1 ]] && go version -m "$1" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+$2[[:space:]]+$3([[:space:]]|$)"
}

# go_tool NAME MODULE VERSION TOOLPKG: build one tool in its own throw-away module
# (.cache/tools/NAME, generated from versions.env) with `go get -tool` + `go install tool`.
# Why not `go install MODULE@VERSION`: for GoNB the module proxy refuses the version list
# that `go install` asks for, and a module of its own keeps each tool's dependencies as
# its authors pinned them (GoNB's and gopls' x/tools versions clash).
go_tool() {
	local name=$1 mod=$2 ver=$3 pkg=$4 dir bin
	bin="$(go_bin_dir)/$name"
	if installed_at "$bin" "$mod" "$ver"; then
		log "$name $ver already installed at $bin; skipping"
		return 0
	fi
	dir="$REPO/.cache/tools/$name"
	rm -rf "$dir"
	mkdir -p "$dir"
	log "building $name $ver (log: .cache/tools/$name.log)"
	if ! (
		cd "$dir"
		go mod init "parkit-tools/$name"
		go get -tool "$pkg@$ver"
		GOBIN=$(go_bin_dir) go install tool
	) >"$dir.log" 2>&1; then
		tail -n 20 "$dir.log" >&2
		return 1
	fi
	installed_at "$bin" "$mod" "$ver" || { log "$bin is not $mod $ver after install"; return 1; }
	log "installed $name $ver at $bin"
}

install_gonb() {
	go_tool gonb github.com/janpfeifer/gonb "$GONB_VERSION" github.com/janpfeifer/gonb ||
		die "could not build GoNB $GONB_VERSION" \
			"check that the Go module proxy is reachable (go env GOPROXY), then rerun"
	go_tool goimports golang.org/x/tools "$XTOOLS_VERSION" golang.org/x/tools/cmd/goimports ||
		die "could not build goimports (golang.org/x/tools $XTOOLS_VERSION)" \
			"check that the Go module proxy is reachable, then rerun"
	local force=()
	if ! go_tool gopls golang.org/x/tools/gopls "$GOPLS_VERSION" golang.org/x/tools/gopls; then
		warn "gopls $GOPLS_VERSION did not build: notebooks work, without completion/docs"
		force=(--force_deps)
	fi
	local gonb spec argv0
	gonb="$(go_bin_dir)/gonb"
	"$gonb" --install "${force[@]}" 2>&1 | sed 's/^/  gonb: /' >&2
	spec="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}/kernels/gonb/kernel.json"
	[[ -f $spec ]] || die "gonb --install did not write $spec" "run '$gonb --install' by hand to see why"
	# The spec names the binary by absolute path: ours, or a copy GoNB makes next to the
	# spec when ours lives under /tmp or ~/.cache.
	argv0=$(grep -o '"argv":\["[^"]*"' "$spec" | sed 's/.*\["//; s/"$//')
	installed_at "$argv0" github.com/janpfeifer/gonb "$GONB_VERSION" ||
		die "$spec runs '$argv0', which is not GoNB $GONB_VERSION" "run '$gonb --install' by hand"
	log "GoNB kernel spec: $spec -> $argv0"
}

# sri_sha512 FILE prints FILE's Subresource Integrity string (npm's dist.integrity format).
sri_sha512() {
	python3 -c 'import base64, hashlib, sys; print("sha512-" + base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$1"
}

install_echarts_js() {
	local dest="$REPO/third_party/echarts" stamp want tgz work size
	stamp="$dest/VERSION"
	want="echarts@$ECHARTS_JS_VERSION $ECHARTS_JS_INTEGRITY"
	if [[ -f $dest/echarts.min.js && -f $stamp && $(cat "$stamp") == "$want" ]]; then
		log "ECharts $ECHARTS_JS_VERSION already in $dest; skipping download"
	else
		work=$(mktemp -d)
		# shellcheck disable=SC2064 # expand now; each step runs in its own subshell
		trap "rm -rf '$work'" EXIT
		have npm || die "npm is not installed" "run scripts/install-packages.sh as root (it installs binder/apt.txt)"
		(cd "$work" && npm pack --silent "echarts@$ECHARTS_JS_VERSION" >/dev/null) ||
			die "npm pack echarts@$ECHARTS_JS_VERSION failed" "check that the npm registry is reachable (npm ping)"
		tgz="$work/echarts-$ECHARTS_JS_VERSION.tgz"
		[[ -f $tgz ]] || die "npm pack did not produce $tgz" "run 'npm pack echarts@$ECHARTS_JS_VERSION' by hand"
		[[ $(sri_sha512 "$tgz") == "$ECHARTS_JS_INTEGRITY" ]] ||
			die "echarts-$ECHARTS_JS_VERSION.tgz does not match ECHARTS_JS_INTEGRITY in versions.env" \
				"if you changed ECHARTS_JS_VERSION, set ECHARTS_JS_INTEGRITY to: npm view echarts@$ECHARTS_JS_VERSION dist.integrity"
		tar -xzf "$tgz" -C "$work" package/dist/echarts.min.js package/LICENSE package/package.json
		grep -q "\"version\": \"$ECHARTS_JS_VERSION\"" "$work/package/package.json" ||
			die "tarball's package.json is not version $ECHARTS_JS_VERSION" "report this"
		size=$(wc -c <"$work/package/dist/echarts.min.js")
		[[ $size -gt 500000 ]] || die "echarts.min.js is only $size bytes" "delete third_party/echarts and rerun"
		mkdir -p "$dest"
		cp "$work/package/dist/echarts.min.js" "$work/package/LICENSE" "$dest/"
		printf '%s\n' "$want" >"$stamp"
		log "ECharts $ECHARTS_JS_VERSION: $dest/echarts.min.js ($size bytes, tarball $ECHARTS_JS_INTEGRITY)"
	fi
	# Notebook pages load it by a relative URL (notebooks/echarts.min.js is git-ignored).
	mkdir -p "$REPO/notebooks"
	cmp -s "$dest/echarts.min.js" "$REPO/notebooks/echarts.min.js" ||
		cp "$dest/echarts.min.js" "$REPO/notebooks/echarts.min.js"
	log "copied to notebooks/echarts.min.js"
}

install_test_tools() {
	local pkgs=()
	have chromium || pkgs+=(chromium)
	have shellcheck || pkgs+=(shellcheck)
	if [[ ${#pkgs[@]} -eq 0 ]]; then
		log "chromium and shellcheck already installed; skipping"
		return 0
	fi
	apt_install "${pkgs[@]}"
}

# prewarm_go_cache compiles what notebooks compile, so the first cell takes seconds, not a
# minute: the main module (and its tests), then a module shaped like the one GoNB builds
# for a notebook (this checkout via `replace`, importing the parkit/... packages, plus
# gonbui and go-echarts when go.mod has them). Failures only warn: broken code is
# scripts/test.sh's to report.
prewarm_go_cache() {
	cd "$REPO"
	go build ./... || warn "go build ./... failed (the Go test step will report it)"
	go test -count=1 -run '^$' ./... >/dev/null || warn "compiling the tests failed (the Go test step will report it)"

	local warm="$REPO/.cache/warm" pkgs=() p modpath
	modpath=$(go list -m)
	while IFS= read -r p; do
		[[ -n $p && $p != */internal/* && $p != */internal ]] && pkgs+=("$p")
	done < <(go list -e -f '{{if and (ne .Name "main") .GoFiles (not .Error)}}{{.ImportPath}}{{end}}' ./parkit/... ./lesson/... 2>/dev/null)
	if grep -q 'github.com/janpfeifer/gonb ' go.mod; then pkgs+=(github.com/janpfeifer/gonb/gonbui); fi
	if grep -q 'github.com/go-echarts/go-echarts/v2 ' go.mod; then
		pkgs+=(github.com/go-echarts/go-echarts/v2/charts github.com/go-echarts/go-echarts/v2/opts)
	fi
	rm -rf "$warm"
	mkdir -p "$warm"
	{
		echo "// Generated by scripts/install.sh to pre-warm the Go build cache."
		echo "package main"
		echo
		echo "import ("
		echo "	\"fmt\""
		for p in "${pkgs[@]}"; do echo "	_ \"$p\""; done
		echo ")"
		echo
		echo "func main() { fmt.Println(\"warm\") }"
	} >"$warm/main.go"
	(
		cd "$warm"
		go mod init parkit-warm >/dev/null 2>&1
		go mod edit -require="$modpath@v0.0.0-00010101000000-000000000000" -replace="$modpath=$REPO"
		go mod tidy
		go build -o /dev/null .
	) >"$warm.log" 2>&1 || {
		tail -n 5 "$warm.log" >&2
		warn "the GoNB-shaped warm-up build failed (first notebook cell may be slow; log: .cache/warm.log)"
	}
	log "warmed: main module + ${#pkgs[@]} package(s) as a notebook imports them"
	# The Beam bridge is a module of its own (notebook 08 adds it to its go.work): its
	# packages and tests, so that notebook's first Beam cell does not compile Beam.
	(cd "$REPO/beam" && go build ./... && go test -count=1 -run '^$' ./... >/dev/null) ||
		warn "building the Beam bridge (beam/) failed (the Go test step will report it)"
	log "warmed: the Beam bridge module (beam/)"
}

step "install: Go toolchain check" check_go
path_with_go_bin
step "install: system packages (binder/apt.txt: C toolchain for -race, npm)" "$REPO/scripts/install-packages.sh"
step "install: Jupyter" install_jupyter
step "install: GoNB $GONB_VERSION, goimports $XTOOLS_VERSION, gopls $GOPLS_VERSION" install_gonb
step "install: ECharts JS $ECHARTS_JS_VERSION" install_echarts_js
if [[ $WITH_TEST_TOOLS -eq 1 ]]; then
	step "install: test tools (chromium, shellcheck)" install_test_tools
fi
step "install: pre-warm Go build cache" prewarm_go_cache
print_timings
log "install.sh: done in $(elapsed "$T_START")s. Keep $(go_bin_dir) and $(go env GOROOT)/bin on PATH when starting Jupyter."
