package notebook

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// Execute runs the notebook file in, in the folder dir, with the GoNB
// kernel, and saves the executed copy there as out: it runs
// jupyter nbconvert --to notebook --execute with the environment env (nil:
// this process's), which the kernel and the cells inherit. It blocks until
// every cell has run, or ctx is done, and costs a kernel start (a second or
// so) on top of the cells. One cell may run for three quarters of the time
// left before ctx's deadline (with no deadline, for ever). The error ends
// with the last lines nbconvert printed.
func Execute(ctx context.Context, dir, in, out string, env []string) error {
	timeout := -1 // nbconvert's "no limit per cell"
	if d, ok := ctx.Deadline(); ok {
		// Why three quarters: nbconvert's own timeout then comes first, names
		// the stuck cell and shuts the kernel down; the context kills
		// nbconvert only if that hangs too.
		timeout = max(1, int((time.Until(d) * 3 / 4).Round(time.Second).Seconds()))
	}
	cmd := exec.CommandContext(ctx, "jupyter", "nbconvert", "--to", "notebook", "--execute",
		"--ExecutePreprocessor.kernel_name=gonb", fmt.Sprintf("--ExecutePreprocessor.timeout=%d", timeout),
		"--output", out, in)
	cmd.Dir, cmd.Env = dir, env
	if b, err := cmd.CombinedOutput(); err != nil {
		lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		return fmt.Errorf("jupyter nbconvert --execute %s: %w\n%s", in, err, strings.Join(lines[max(0, len(lines)-40):], "\n"))
	}
	return nil
}
