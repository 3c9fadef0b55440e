#!/usr/bin/env bash
# run.sh: start the tutorial. Installs what is missing (scripts/install.sh), then starts
# Jupyter Notebook on 127.0.0.1 in notebooks/, opening 00-index.ipynb.
#
#   scripts/run.sh                           # port 8888, a fresh random token
#   JUPYTER_TOKEN=T scripts/run.sh --port 9999  # fixed port/token (scripts/test-launch.sh)
#   scripts/run.sh --no-browser              # only print the URL
#
# The token reaches Jupyter in its environment (JUPYTER_TOKEN), never on a command line,
# where every local user could read it in /proc. Stop it with Ctrl-C (twice) or SIGTERM.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

PORT=8888
TOKEN=${JUPYTER_TOKEN:-}
BROWSER=1
while [[ $# -gt 0 ]]; do
	case $1 in
	--port) PORT=${2:?--port needs a number}; shift 2 ;;
	--token) die "--token puts the token on a command line, readable by every local user" "set it in the environment instead: JUPYTER_TOKEN=... $0" ;;
	--no-browser) BROWSER=0; shift ;;
	-h | --help) sed -n '2,10p' "$0"; exit 0 ;;
	*) die "unknown argument: $1" "see: $0 --help" ;;
	esac
done
[[ $PORT =~ ^[0-9]+$ ]] || die "--port must be a number, got '$PORT'" "e.g. --port 8888"

"$REPO/scripts/install.sh"

load_versions
path_with_go_bin # the GoNB kernel inherits PATH: it runs go and goimports.
[[ -n $TOKEN ]] || TOKEN=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')

# Classic Notebook 6 takes NotebookApp options; Notebook 7 runs on jupyter_server.
major=$(jupyter notebook --version 2>/dev/null | cut -d. -f1)
[[ -n $major ]] || die "'jupyter notebook' is not installed" "run scripts/install.sh (as root) or: sudo apt-get install jupyter-notebook"
app=NotebookApp
[[ $major -ge 7 ]] && app=ServerApp
export JUPYTER_TOKEN="$TOKEN" # read by NotebookApp.token and ServerApp.token
args=(--ip=127.0.0.1 --port="$PORT" --"$app".port_retries=0 --notebook-dir="$REPO/notebooks")
is_root && args+=(--allow-root)
[[ $BROWSER -eq 0 ]] && args+=(--no-browser)
index=00-index.ipynb
if [[ -f $REPO/notebooks/$index ]]; then
	args+=("$index")
	url="http://127.0.0.1:$PORT/notebooks/$index?token=$TOKEN"
else
	warn "notebooks/$index does not exist yet: opening the notebooks folder"
	url="http://127.0.0.1:$PORT/tree?token=$TOKEN"
fi

cd "$REPO/notebooks"
log ""
log "Starting Jupyter Notebook on port $PORT (Ctrl-C to stop). Open:"
log ""
log "    $url"
log ""
exec jupyter notebook "${args[@]}"
