#!/bin/sh
# notebook-setup.sh: every notebook's setup cell runs it, from the notebook's folder:
#
#   !../scripts/notebook-setup.sh
#
# It writes a go.work in GoNB's build folder ($GONB_TMP_DIR) that uses this checkout, so
# the cells build against its packages (parkit, lesson, ...) at the versions its go.mod
# pins. Silent when it works; otherwise it says why and how to fix it, and exits 1, which
# fails the cell. (internal/notebook.SetupCell is the cell; nbgen writes it into every
# notebook.)
set -u
fail() {
	echo "SETUP FAILED: $*" >&2
	exit 1
}
# The checkout is this script's parent folder (-P: where the files really are).
kit=$(cd -P "$(dirname "$0")/.." && pwd) || fail "cannot find the folder of $0"
[ -f "$kit/parkit/doc.go" ] || fail "$kit is not a parallelize-your-go checkout: open the notebooks from its notebooks/ folder"
[ -n "${GONB_TMP_DIR:-}" ] || fail "GONB_TMP_DIR is not set: run this in a notebook cell of the GoNB kernel, as !../scripts/notebook-setup.sh"
command -v go >/dev/null 2>&1 || fail "no go command on PATH: run scripts/install.sh, or start Jupyter with scripts/run.sh"
cd "$GONB_TMP_DIR" || fail "cannot enter GoNB's build folder $GONB_TMP_DIR"
rm -f go.work go.work.sum
out=$(go work init . "$kit" 2>&1) || fail "go work init . $kit: $out"
