//go:build !unix

package lesson

import "io/fs"

// ownedByMe is true: outside Unix, the user's temporary folder is private.
func ownedByMe(fs.FileInfo) bool { return true }
