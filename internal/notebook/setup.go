package notebook

// SetupCell is the first code cell of every notebook: it runs
// scripts/notebook-setup.sh from the notebook's folder (notebooks/), which
// points GoNB's build at this checkout with a go.work and prints nothing
// unless it fails, then turns off GoNB's automatic go get (the go.work
// already pins every version). nbgen writes it into every notebook; the
// notebook tests check that each starts with it and that it stays at most
// three lines, short enough for a learner to read past at a glance.
const SetupCell = `// Setup: build the cells against this checkout (prints nothing unless it fails).
!../scripts/notebook-setup.sh
%noautoget`
