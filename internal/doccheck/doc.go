// Package doccheck checks that the kit's prose names only files that
// exist: a doc comment, a README, a script's comment or a notebook that
// points to a file that was renamed or never written sends the reader
// nowhere, and nothing else would notice. It is one test
// (TestDocsNameExistingFiles), run by go test ./... with the others.
package doccheck
