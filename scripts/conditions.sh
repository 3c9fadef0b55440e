#!/usr/bin/env bash
# conditions.sh: run a command the way many readers' machines run the kit, so that checks
# and notebooks can be tried under those conditions (scripts/test.sh does):
#
#   scripts/conditions.sh busy CMD [ARG...]         # beside one busy loop per CPU (a shared
#                                                   # Binder node, a laptop building something)
#   scripts/conditions.sh quota CORES CMD [ARG...]  # under a cgroup CPU quota of CORES CPUs
#                                                   # (docker --cpus, a Kubernetes or Binder
#                                                   # limit): nproc still shows every CPU
#
# quota needs root and a writable cgroup cpu controller (v1 or v2); without them it exits 3
# and says why, so callers can skip. Everything it starts or creates is removed on exit.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

usage() { die "usage: $0 busy CMD... | $0 quota CORES CMD..." "see: sed -n 2,12p $0"; }
[[ $# -ge 2 ]] || usage
mode=$1
shift

LOOPS=()
# shellcheck disable=SC2317 # called by the trap
stop_loops() { [[ ${#LOOPS[@]} -eq 0 ]] || kill "${LOOPS[@]}" 2>/dev/null || true; }

run_busy() {
	local i
	trap stop_loops EXIT
	for ((i = 0; i < $(nproc); i++)); do
		sh -c 'while :; do :; done' &
		LOOPS+=($!)
	done
	log "conditions: ${#LOOPS[@]} busy loop(s) beside: $*"
	"$@"
}

# cgroup_dir prints a new cgroup directory with the cpu controller, or fails.
cgroup_dir() {
	local name="parkit-quota.$$"
	if [[ -w /sys/fs/cgroup/cpu/cpu.cfs_quota_us || -w /sys/fs/cgroup/cpu ]] && [[ -f /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]]; then
		mkdir "/sys/fs/cgroup/cpu/$name" && echo "/sys/fs/cgroup/cpu/$name"
	elif [[ -f /sys/fs/cgroup/cgroup.controllers ]] && grep -qw cpu /sys/fs/cgroup/cgroup.controllers; then
		grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control || echo +cpu >/sys/fs/cgroup/cgroup.subtree_control
		mkdir "/sys/fs/cgroup/$name" && echo "/sys/fs/cgroup/$name"
	else
		return 1
	fi
}

run_quota() {
	local cores=$1 period=100000 quota dir
	shift
	[[ $# -ge 1 && $cores =~ ^[0-9]+(\.[0-9]+)?$ ]] || usage
	quota=$(awk -v c="$cores" -v p="$period" 'BEGIN { printf "%d", c * p }')
	[[ $quota -ge 1000 ]] || die "CORES $cores is too small" "give at least 0.01"
	if ! is_root || ! dir=$(cgroup_dir 2>/dev/null); then
		log "conditions: cannot make a cgroup with a CPU quota here (needs root and a writable cgroup cpu controller)"
		exit 3
	fi
	# shellcheck disable=SC2064 # expand now
	trap "rmdir '$dir' 2>/dev/null || true" EXIT
	if [[ -f $dir/cpu.cfs_quota_us ]]; then
		echo "$period" >"$dir/cpu.cfs_period_us"
		echo "$quota" >"$dir/cpu.cfs_quota_us"
	else
		echo "$quota $period" >"$dir/cpu.max"
	fi
	log "conditions: CPU quota of $cores CPU(s) ($dir) for: $*"
	# The command runs in a child that joins the cgroup first; this shell stays out of
	# it, so it can remove the cgroup once the command's processes have all ended.
	bash -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' _ "$dir" "$@"
}

case $mode in
busy) run_busy "$@" ;;
quota) run_quota "$@" ;;
*) usage ;;
esac
