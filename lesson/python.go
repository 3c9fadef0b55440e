package lesson

import (
	"encoding/json"
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

// Python runs python3 with a script of notebooks/python (e.g.
// "python/overhead.py", relative to the notebooks folder, the working
// directory of a GoNB cell) and decodes the JSON it prints into out.
// Check HavePython first: without python3 it returns exec's error.
func Python(out any, script string, args ...string) error {
	cmd := exec.Command("python3", append([]string{script}, args...)...)
	data, err := cmd.Output()
	if err != nil {
		if exit, ok := err.(*exec.ExitError); ok {
			return fmt.Errorf("python3 %s: %w\n%s", script, err, exit.Stderr)
		}
		return fmt.Errorf("python3 %s: %w", script, err)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("python3 %s printed no JSON (%w): %.200q", script, err, data)
	}
	return nil
}
