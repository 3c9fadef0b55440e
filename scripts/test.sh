#!/usr/bin/env bash
# test.sh: THE test command (CI runs it through .ci/run). Fails on the first failing stage.
#
#   1. install      scripts/install.sh --with-test-tools (also Chromium, shellcheck)
#   2. static       gofmt, shellcheck, versions.env is the only source of versions,
#                   notebooks committed with outputs cleared, run.sh keeps its token off
#                   every command line (test-run-token.sh)
#   3. launch       scripts/test-launch.sh: scripts/run.sh serves 00-index, a GoNB cell runs
#   4. notebooks    execute notebooks/*.ipynb headless (PARKIT_QUICK=1) into out/executed/,
#                   fail on errors, panics, races or compile errors; export out/html/
#   5. go           go vet ./... and go test -race ./... in each Go module (the root, bench/,
#                   parkit/chart/browsertest/; beam/ without -race), with PARKIT_EXECUTED_DIR and
#                   PARKIT_HTML_DIR set, so tests can check the executed notebooks and
#                   their HTML (tests skip when those variables are unset)
#   6. conditions   the notebooks again, beside busy loops and under a 1-CPU cgroup quota
#                   (scripts/conditions.sh; the quota run is skipped where no cgroup can
#                   be made), into out/executed-busy/ and out/executed-quota1/, checked by
#                   the notebook tests
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

T_START=$(now)
load_versions
cd "$REPO"

EXECUTED_DIR="$REPO/out/executed"
BUSY_DIR="$REPO/out/executed-busy"
QUOTA_DIR="$REPO/out/executed-quota1"
HTML_DIR="$REPO/out/html"


check_gofmt() {
	local files=() f bad
	while IFS= read -r -d '' f; do files+=("$f"); done < <(git ls-files -z -co --exclude-standard -- '*.go')
	[[ ${#files[@]} -gt 0 ]] || { log "no Go files"; return 0; }
	bad=$(gofmt -l "${files[@]}")
	[[ -z $bad ]] || { log "not gofmt'ed (run: gofmt -w $(tr '\n' ' ' <<<"$bad")):"; log "$bad"; return 1; }
	log "gofmt: ${#files[@]} files ok"
}

check_shell() {
	local dockerfile_sh
	dockerfile_sh=$(mktemp --suffix=.sh)
	"$PY" scripts/check_versions.py --run-lines >"$dockerfile_sh"
	shellcheck -x -P SCRIPTDIR scripts/*.sh .ci/run binder/postBuild binder/start
	shellcheck -s bash "$dockerfile_sh" || { log "(in docker/Dockerfile RUN lines)"; rm -f "$dockerfile_sh"; return 1; }
	rm -f "$dockerfile_sh"
	"$PY" -c 'import ast, sys; [ast.parse(open(f).read(), f) for f in sys.argv[1:]]' scripts/*.py
	log "shellcheck + python syntax: ok"
}

notebooks() { compgen -G "$REPO/notebooks/*.ipynb" | sort || true; }

check_notebooks_cleared() {
	local nbs
	mapfile -t nbs < <(notebooks)
	if [[ ${#nbs[@]} -eq 0 ]]; then log "no notebooks yet"; return 0; fi
	"$PY" scripts/nbcheck.py cleared "${nbs[@]}"
	log "${#nbs[@]} notebook(s) committed with outputs cleared"
}

stage_static() {
	check_gofmt
	check_shell
	"$PY" scripts/check_versions.py
	check_notebooks_cleared
	scripts/test-run-token.sh
}

# execute_notebooks DIR [PREFIX...]: execute every notebook headless in quick mode into DIR
# (through PREFIX, e.g. scripts/conditions.sh busy), and check each one's outputs.
execute_notebooks() {
	local dir=$1 nbs nb name t0 failed=()
	shift
	mapfile -t nbs < <(notebooks)
	rm -rf "$dir"
	mkdir -p "$dir"
	for nb in "${nbs[@]}"; do
		name=$(basename "$nb")
		t0=$(now)
		# --allow-errors: always write the executed notebook, then nbcheck.py reports
		# every failing cell (a failing cell tagged "raises-exception" is fine).
		if ! PARKIT_QUICK=1 "$@" jupyter nbconvert --to notebook --execute --allow-errors \
			--ExecutePreprocessor.kernel_name=gonb --ExecutePreprocessor.timeout=600 \
			--output-dir "$dir" "$nb" >"$dir/$name.log" 2>&1; then
			tail -n 30 "$dir/$name.log" >&2
			failed+=("$name (nbconvert failed; log: ${dir#"$REPO"/}/$name.log)")
		elif ! "$PY" scripts/nbcheck.py executed "$dir/$name"; then
			failed+=("$name (failing cells above)")
		fi
		log "  executed $name in $(elapsed "$t0")s"
	done
	if [[ ${#failed[@]} -gt 0 ]]; then
		log "notebooks that failed:"
		printf '  %s\n' "${failed[@]}" >&2
		return 1
	fi
	log "${#nbs[@]} notebook(s) executed into ${dir#"$REPO"/}/"
}

stage_notebooks() {
	rm -rf "$HTML_DIR"
	mkdir -p "$HTML_DIR"
	execute_notebooks "$EXECUTED_DIR"
	jupyter nbconvert --to html --output-dir "$HTML_DIR" "$EXECUTED_DIR"/*.ipynb >"$HTML_DIR/nbconvert.log" 2>&1 ||
		{ cat "$HTML_DIR/nbconvert.log" >&2; return 1; }
	# The pages load ECharts by a relative URL, as the notebooks do.
	cp "$REPO/third_party/echarts/echarts.min.js" "$HTML_DIR/"
	log "HTML in out/html/"
}

# stage_conditions executes the notebooks again beside busy loops and under a 1-CPU quota
# (where this machine allows one), and checks their outputs with the Go notebook tests:
# no verdict, sentence or figure may contradict itself there either.
stage_conditions() {
	execute_notebooks "$BUSY_DIR" scripts/conditions.sh busy
	PARKIT_EXECUTED_DIR="$BUSY_DIR" go test -count=1 -run 'TestExecuted' ./notebooks/
	local rc=0
	scripts/conditions.sh quota 1 true 2>/dev/null || rc=$?
	if [[ $rc -eq 3 ]]; then
		log "no CPU quota possible here (needs root and a writable cgroup cpu controller): quota run skipped"
		return 0
	fi
	execute_notebooks "$QUOTA_DIR" scripts/conditions.sh quota 1
	PARKIT_EXECUTED_DIR="$QUOTA_DIR" go test -count=1 -run 'TestExecuted' ./notebooks/
}

# The kit's Go modules: the root (the library, lesson, notebooks' tests, examples) and the
# modules that keep test-only dependencies out of its go.mod (benchmark anchors, chromedp).
GO_MODULES=(. bench parkit/chart/browsertest)

stage_go() {
	local m
	for m in "${GO_MODULES[@]}"; do
		log "module $m"
		(cd "$REPO/$m" && go vet ./... &&
			PARKIT_EXECUTED_DIR="$EXECUTED_DIR" PARKIT_HTML_DIR="$HTML_DIR" \
				go test -race -timeout 20m ./...)
	done
	# The Beam bridge, without -race: Beam's race build takes minutes cold (6.5 here), the
	# plain one is warm from install.sh; run `cd beam && go test -race ./...` after
	# changing parbeam.
	log "module beam"
	(cd "$REPO/beam" && go vet ./... && go test -timeout 10m ./...)
}

step "1. install" "$REPO/scripts/install.sh" --with-test-tools
path_with_go_bin
PY=$(jupyter_python) || die "no Python with nbformat and nbclient" "run scripts/install.sh as root"
step "2. static checks" stage_static
step "3. launch: scripts/run.sh" "$REPO/scripts/test-launch.sh"
step "4. notebooks: execute and check" stage_notebooks
step "5. go vet, go test -race" stage_go
step "6. notebooks on a busy machine and under a 1-CPU quota" stage_conditions
print_timings
log ""
log "test.sh: PASS in $(elapsed "$T_START")s"
