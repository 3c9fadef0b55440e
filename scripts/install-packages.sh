#!/usr/bin/env bash
# install-packages.sh: install the system packages that the notebooks and tests need, from
# binder/apt.txt, the one list (Binder reads it itself; docker/Dockerfile and
# scripts/install.sh call this script). Skips what is installed; needs root to install.
#
#   gcc, libc6-dev   the C toolchain of cgo, which the race detector (go test -race,
#                    notebook 07's %goflags -race cell) needs
#   npm              fetches the pinned ECharts bundle
# It also makes sure the name localhost resolves: Beam's Prism runner (notebook 08) serves
# on localhost:PORT, and a minimal Debian root (debootstrap) has no /etc/hosts line for it.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

if ! getent hosts localhost >/dev/null; then
	if is_root; then
		printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >>/etc/hosts
		log "added localhost to /etc/hosts (it did not resolve; Beam's Prism runner needs it)"
	else
		warn "the name localhost does not resolve here, and notebook 08 (Beam) needs it: run" \
			"echo '127.0.0.1 localhost' | sudo tee -a /etc/hosts"
	fi
fi

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
