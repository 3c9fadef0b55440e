#!/usr/bin/env bash
# test-run-token.sh: check that scripts/run.sh hands Jupyter its token in the environment,
# never on a command line (every local user can read command lines in /proc). Runs run.sh
# from a copy of scripts/ with a stub install.sh and a stub jupyter that records what it got.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/repo/scripts" "$tmp/repo/notebooks" "$tmp/bin"
cp "$here/run.sh" "$here/lib.sh" "$tmp/repo/scripts/"
cp "$here/../versions.env" "$tmp/repo/"
printf '#!/bin/sh\nexit 0\n' >"$tmp/repo/scripts/install.sh"
cat >"$tmp/bin/jupyter" <<'STUB'
#!/bin/sh
[ "$2" = --version ] && { echo 6.4.12; exit 0; }
printf '%s\n' "$@" >"$STUB_OUT/argv"
printf '%s' "${JUPYTER_TOKEN:-}" >"$STUB_OUT/env"
STUB
chmod +x "$tmp/bin/jupyter" "$tmp/repo/scripts/install.sh"
token=test-token-$RANDOM$RANDOM
STUB_OUT=$tmp PATH="$tmp/bin:$PATH" JUPYTER_TOKEN=$token \
	"$tmp/repo/scripts/run.sh" --port 9999 --no-browser >"$tmp/log" 2>&1 ||
	{ cat "$tmp/log" >&2; echo "FAIL: run.sh failed" >&2; exit 1; }
fail=0
if grep -qi -e "$token" -e "token=" "$tmp/argv"; then
	echo "FAIL: the token is on jupyter's command line:" >&2
	sed 's/^/  /' "$tmp/argv" >&2
	fail=1
fi
if [[ $(cat "$tmp/env") != "$token" ]]; then
	echo "FAIL: jupyter did not get the token in JUPYTER_TOKEN" >&2
	fail=1
fi
if STUB_OUT=$tmp PATH="$tmp/bin:$PATH" "$tmp/repo/scripts/run.sh" --token "$token" >"$tmp/log" 2>&1; then
	echo "FAIL: run.sh accepted --token on its own command line" >&2
	fail=1
fi
[[ $fail -eq 0 ]] && echo "ok: the token reaches Jupyter only through its environment"
exit $fail
