// Package cpuinfo reads what the kit's packages need to know about the
// processor: parkit keys its calibration cache with the CPU model, and
// lesson prints it among the machine's facts.
package cpuinfo

import (
	"os"
	"strings"
)

// Model is the processor's model name, from /proc/cpuinfo on Linux; ""
// where unknown.
func Model() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	for line := range strings.Lines(string(data)) {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return ""
}
