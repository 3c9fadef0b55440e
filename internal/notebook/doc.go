// Package notebook reads, writes and executes Jupyter notebooks (nbformat 4)
// for the kit's tests: the notebook checks in notebooks/, the browser test
// of parkit/chart and the GoNB cell test of parkit.
//
// Use Read to look at a notebook's cells and outputs, Output.Plain for what
// a text-only reader sees of an output, and Execute to run a notebook with
// the GoNB kernel through jupyter nbconvert. The types hold as much of
// nbformat as those tests check, no more: a notebook read and written again
// loses the fields they do not name.
//
// It is internal because it is test tooling, not part of what a learner
// imports: parkit and parkit/chart never use it outside their tests.
package notebook
