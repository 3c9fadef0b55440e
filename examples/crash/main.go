// Crash shows the last row of the article's table: a crash in a thread
// takes the whole program down, a crash in a worker process does not.
//
// Eight tasks square their input; the task given 3 crashes instead, as
// chosen with -how (panic, or exit: the process ends at once).
//
//	go run ./examples/crash                      # worker processes: 7 of 8 succeed
//	go run ./examples/crash -executor goroutines # parkit turns the panic into an error
//	go run ./examples/crash -executor goroutines -how exit   # the whole program ends
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/parallelize-your-go/kit/parkit"
)

// A task that worker processes can run must be registered at package level.
var squareOrCrash = parkit.NewTask("examples/crash.square", func(_ context.Context, in input) (int, error) {
	if in.N == 3 {
		if in.How == "exit" {
			os.Exit(3) // no panic, no error: the process just ends
		}
		panic("task 3 crashes on purpose")
	}
	return in.N * in.N, nil
})

type input struct {
	N   int
	How string
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("crash", flag.ContinueOnError)
	flags.SetOutput(stderr)
	executor := flags.String("executor", "processes", "goroutines, threads or processes")
	how := flags.String("how", "panic", "how task 3 crashes: panic or exit")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "crash: unexpected arguments %q: every setting is a flag\n", flags.Args())
		return 2
	}
	if kind := parkit.Kind(*executor); kind != parkit.Goroutines && kind != parkit.Threads && kind != parkit.Processes {
		fmt.Fprintf(stderr, "crash: -executor %q: use goroutines, threads or processes\n", *executor)
		return 2
	}
	if *how != "panic" && *how != "exit" {
		fmt.Fprintf(stderr, "crash: -how %q: use panic or exit\n", *how)
		return 2
	}

	// Start the pool.
	ex, err := parkit.New(parkit.Kind(*executor), 3)
	if err != nil {
		fmt.Fprintln(stderr, "crash:", err)
		return 1
	}
	defer ex.Close()

	// Submit eight tasks, then collect them in order.
	var futures []*parkit.Future[int]
	for n := range 8 {
		futures = append(futures, parkit.Submit(ex, squareOrCrash, input{N: n, How: *how}))
	}
	ok := 0
	for n, f := range futures {
		v, err := f.Result()
		switch {
		case errors.Is(err, parkit.ErrWorkerCrashed):
			fmt.Fprintf(stdout, "task %d: its worker process crashed; the pool replaced it\n", n)
		case errors.Is(err, parkit.ErrPanicked):
			fmt.Fprintf(stdout, "task %d: panicked; parkit recovered it into an error\n", n)
		case err != nil:
			fmt.Fprintf(stdout, "task %d: %v\n", n, err)
		default:
			fmt.Fprintf(stdout, "task %d: %d\n", n, v)
			ok++
		}
	}
	fmt.Fprintf(stdout, "%d of %d tasks succeeded on %s\n", ok, len(futures), *executor)
	return 0
}
