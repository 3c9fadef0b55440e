#!/usr/bin/env bash
# install-packages.sh: install the system packages that the notebooks and tests need, from
# binder/apt.txt, the one list (Binder reads it itself; docker/Dockerfile and
# scripts/install.sh call this script). Skips what is installed; needs root to install.
#
#   gcc, libc6-dev   the C toolchain of cgo, which the race detector (go test -race,
#                    notebook 07's %goflags -race cell) needs
#   npm              fetches the pinned ECharts bundle
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

list="$REPO/binder/apt.txt"
[[ -r $list ]] || die "missing $list" "restore it from git: git checkout -- binder/apt.txt"
mapfile -t pkgs < <(grep -Ev '^[[:space:]]*(#|$)' "$list")
# A package counts as there if dpkg has it, or if a command of its name is on PATH (npm
# from Node.js's own installer, gcc from elsewhere: installing Debian's over them breaks).
missing=()
for p in "${pkgs[@]}"; do
	have "$p" && continue
	if have dpkg-query; then
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' && continue
	elif [[ $p == *-dev ]]; then
		continue # not Debian: headers come with the C compiler
	fi
	missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
	log "system packages of binder/apt.txt already installed: ${pkgs[*]}"
	exit 0
fi
log "installing system packages: ${missing[*]}"
apt_install "${missing[@]}"
