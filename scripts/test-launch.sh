#!/usr/bin/env bash
# test-launch.sh: test scripts/run.sh the way a reader uses it. Starts it on a free port
# with a fixed token, waits for Jupyter, checks through the REST and websocket APIs that
# 00-index.ipynb loads and that a GoNB cell runs (scripts/launch_check.py), then stops the
# server and checks that no server or kernel process is left behind.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

PY=$(jupyter_python) || die "no Python with nbformat/nbclient for Jupyter" "run scripts/install.sh"
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
TOKEN=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
BASE="http://127.0.0.1:$PORT"
WORK=$(mktemp -d)
LOGF="$WORK/run.log"
# A private runtime dir: kernel connection files land here, so leftovers are easy to find.
export JUPYTER_RUNTIME_DIR="$WORK/runtime"

PID=""
stop_server() {
	[[ -n $PID ]] || return 0
	if kill -0 "$PID" 2>/dev/null; then
		kill -TERM "$PID" 2>/dev/null || true
		for _ in $(seq 1 40); do kill -0 "$PID" 2>/dev/null || break; sleep 0.5; done
		if kill -0 "$PID" 2>/dev/null; then
			log "server $PID ignored SIGTERM for 20 s: killing it"
			kill -KILL "$PID" 2>/dev/null || true
			return 1
		fi
	fi
	wait "$PID" 2>/dev/null || true
	PID=""
}
# leftovers lists our processes still alive: kernels (their command line names our private
# runtime dir) and their helpers such as gopls (they name the kernel's /tmp/gonb_* dir).
leftovers() {
	local d
	pgrep -f -- "$JUPYTER_RUNTIME_DIR" || true
	grep -o 'tmp Go code in "/tmp/gonb_[A-Za-z0-9]*' "$LOGF" 2>/dev/null | sed 's/.*"//' | sort -u |
		while IFS= read -r d; do pgrep -f -- "$d/" || true; done
}
cleanup() {
	stop_server || true
	local left
	left=$(leftovers)
	if [[ -n $left ]]; then
		# Only our own processes: their command line names our private runtime dir.
		# shellcheck disable=SC2086 # one pid per word
		kill -KILL $left 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT

log "starting scripts/run.sh --port $PORT (log: $LOGF)"
JUPYTER_TOKEN="$TOKEN" "$REPO/scripts/run.sh" --port "$PORT" --no-browser </dev/null >"$LOGF" 2>&1 &
PID=$!

up=0
for _ in $(seq 1 240); do
	if ! kill -0 "$PID" 2>/dev/null; then break; fi
	if "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
		"$BASE/api/status?token=$TOKEN" 2>/dev/null; then
		up=1
		break
	fi
	sleep 0.5
done
if [[ $up -ne 1 ]]; then
	sed 's/^/  run.sh: /' "$LOGF" >&2
	die "Jupyter did not answer on $BASE within 120 s" "see the run.sh log above"
fi
grep -q "http://127.0.0.1:$PORT/" "$LOGF" || { sed 's/^/  run.sh: /' "$LOGF" >&2; die "run.sh did not print the URL to open"; }
log "Jupyter is up on $BASE"

if ! "$PY" "$REPO/scripts/launch_check.py" "$BASE" "$TOKEN" "$REPO/notebooks"; then
	sed 's/^/  run.sh: /' "$LOGF" >&2
	die "the launched tutorial does not work" "see the output above"
fi

stop_server || die "Jupyter did not stop on SIGTERM" "see $LOGF"
sleep 1
left=$(leftovers)
[[ -z $left ]] || die "processes left after stopping Jupyter: $(ps -o pid=,args= -p "$(paste -sd, <<<"$left")")" \
	"GoNB or Jupyter did not clean up; see the run.sh log"
log "ok: server stopped, no server or kernel processes left"
