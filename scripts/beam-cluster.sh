#!/usr/bin/env bash
# beam-cluster.sh: a Beam cluster on this machine, for notebook 08's last part and for
# trying the parbeam command by hand: Prism as a job server process and one external SDK
# worker pool process (beam/cmd/parbeam), each in a session and process group of its own.
#
#   scripts/beam-cluster.sh start         build beam/cmd/parbeam, start both, print addresses
#   scripts/beam-cluster.sh run [FLAGS]   parbeam run on them (e.g. -tasks 6 -element 300ms)
#   scripts/beam-cluster.sh kill-worker   SIGKILL the worker pool, as a lost host
#   scripts/beam-cluster.sh status        what runs, with pids and addresses
#   scripts/beam-cluster.sh stop          stop both, check that no process is left, clean up
#
# State (binary, logs, pid and address files) lives in a private directory,
# ${XDG_RUNTIME_DIR:-/tmp}/parbeam-cluster-UID. Ports: PARBEAM_JOB_PORT and
# PARBEAM_POOL_PORT (default 0: free ones). The Go API does the same: parbeam.StartCluster.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

RUN_DIR="${XDG_RUNTIME_DIR:-/tmp}/parbeam-cluster-$(id -u)"
PROCS=(jobserver workerpool)

usage() {
	sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

# pid NAME: the pid recorded for NAME, or nothing.
pid() { cat "$RUN_DIR/$1.pid" 2>/dev/null || true; }

# alive PID: whether a process of PID's group still exists.
alive() { [[ -n $1 ]] && kill -0 -- "-$1" 2>/dev/null; }

make_run_dir() {
	[[ ! -L $RUN_DIR ]] || die "$RUN_DIR is a symbolic link" "remove it: rm $RUN_DIR"
	mkdir -p "$(dirname "$RUN_DIR")"
	[[ -d $RUN_DIR ]] || mkdir -m 700 "$RUN_DIR"
	[[ -O $RUN_DIR ]] || die "$RUN_DIR belongs to another user" "set XDG_RUNTIME_DIR to a directory of yours"
}

start() {
	local name p n port
	for name in "${PROCS[@]}"; do
		! alive "$(pid "$name")" || die "the cluster is already running (${name} pid $(pid "$name"))" "$0 stop"
	done
	make_run_dir
	rm -f "$RUN_DIR"/*.addr "$RUN_DIR"/*.pid "$RUN_DIR"/*.log
	log "building beam/cmd/parbeam (a few seconds warm, minutes cold)"
	(cd "$REPO/beam" && go build -ldflags='-s -w' -o "$RUN_DIR/parbeam" ./cmd/parbeam)
	for name in "${PROCS[@]}"; do
		port=${PARBEAM_JOB_PORT:-0}
		[[ $name == jobserver ]] || port=${PARBEAM_POOL_PORT:-0}
		# setsid: a session and process group of its own, so stop can kill the group and the
		# cluster outlives this script; the pid file is the process's own word (its log).
		setsid "$RUN_DIR/parbeam" "$name" -port "$port" -addr_file "$RUN_DIR/$name.addr" \
			>"$RUN_DIR/$name.log" 2>&1 </dev/null &
		p=$!
		for ((n = 0; n < 600; n++)); do
			[[ -s $RUN_DIR/$name.addr ]] && break
			if ! kill -0 "$p" 2>/dev/null && ! grep -q 'serving at' "$RUN_DIR/$name.log"; then
				tail -n 20 "$RUN_DIR/$name.log" >&2
				(stop) >/dev/null 2>&1 || true
				die "$name exited before serving (log above)" "check the port is free: PARBEAM_JOB_PORT, PARBEAM_POOL_PORT"
			fi
			sleep 0.1
		done
		[[ -s $RUN_DIR/$name.addr ]] || { (stop) >/dev/null 2>&1 || true; die "$name did not serve within 60 s" "see $RUN_DIR/$name.log"; }
		sed -n 's/.*serving at .* (pid \([0-9]*\)).*/\1/p' "$RUN_DIR/$name.log" | head -n 1 >"$RUN_DIR/$name.pid"
		log "$name: $(cat "$RUN_DIR/$name.addr") (pid $(pid "$name"))"
	done
	log "run the experiment on it: $0 run -tasks 6 -element 300ms"
}

run() {
	[[ -s $RUN_DIR/jobserver.addr && -s $RUN_DIR/workerpool.addr ]] || die "the cluster is not running" "$0 start"
	exec "$RUN_DIR/parbeam" run --endpoint="$(cat "$RUN_DIR/jobserver.addr")" \
		--environment_type=EXTERNAL --environment_config="$(cat "$RUN_DIR/workerpool.addr")" "$@"
}

# stop_group NAME SIGNAL SECONDS: signal NAME's process group, wait until it is gone.
stop_group() {
	local p n
	p=$(pid "$1")
	alive "$p" || return 0
	kill -s "$2" -- "-$p" 2>/dev/null || true
	for ((n = 0; n < $3 * 10; n++)); do
		alive "$p" || return 0
		sleep 0.1
	done
	return 1
}

kill_worker() {
	alive "$(pid workerpool)" || die "the worker pool is not running" "$0 status"
	stop_group workerpool KILL 5 || die "the worker pool survived SIGKILL (pid $(pid workerpool))"
	log "worker pool killed (pid $(pid workerpool))"
}

stop() {
	local name left=()
	[[ -d $RUN_DIR ]] || { log "not running"; return 0; }
	for name in "${PROCS[@]}"; do
		stop_group "$name" TERM 3 || stop_group "$name" KILL 5 || true
		if alive "$(pid "$name")"; then left+=("$name (group $(pid "$name"))"); fi
	done
	[[ ${#left[@]} -eq 0 ]] || die "left running: ${left[*]}" "kill -KILL -- -PID for each group"
	rm -rf "$RUN_DIR"
	log "stopped; no process left"
}

status() {
	local name
	for name in "${PROCS[@]}"; do
		if alive "$(pid "$name")"; then
			printf '%-10s running  pid %s  %s\n' "$name" "$(pid "$name")" "$(cat "$RUN_DIR/$name.addr")"
		else
			printf '%-10s stopped\n' "$name"
		fi
	done
}

[[ $# -ge 1 ]] || usage
cmd=$1
shift
case $cmd in
start | kill-worker | stop | status) [[ $# -eq 0 ]] || usage ;;
esac
case $cmd in
start) start ;;
run) run "$@" ;;
kill-worker) kill_worker ;;
stop) stop ;;
status) status ;;
*) usage ;;
esac
