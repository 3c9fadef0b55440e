package lesson

import (
	"fmt"
	"os/exec"
)

// HavePython reports whether python3 is on PATH, for the cells that run the
// article's Python beside Go; if not, it prints that the comparison is
// skipped.
func HavePython() bool {
	if _, err := exec.LookPath("python3"); err != nil {
		fmt.Println("python3 is not installed on this machine: skipping the Python comparison.")
		return false
	}
	return true
}
