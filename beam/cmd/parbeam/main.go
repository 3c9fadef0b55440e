// Command parbeam runs the pieces of a Beam cluster on one machine, and the
// article's busy experiment on any Beam job service.
//
//	parbeam jobserver  [-port N] [-addr_file FILE]   Prism as a job server process
//	parbeam workerpool [-port N] [-addr_file FILE]   an external SDK worker pool
//	parbeam run [Beam flags] [-tasks N] [-element D] [-reshuffle] [-json FILE]
//
// jobserver and workerpool serve until SIGINT or SIGTERM; -port 0 picks a
// free port, and -addr_file names a file they write "localhost:PORT" to
// once they serve (scripts/beam-cluster.sh and parbeam.StartCluster wait
// for it). The worker pool runs each worker the runner asks for as
// goroutines of its own process, so it is this binary that holds the
// experiment's DoFn.
//
// run takes the Go SDK's standard flags. On this machine's cluster:
//
//	parbeam run --endpoint=localhost:8099 --environment_type=EXTERNAL --environment_config=localhost:50000
//
// On a real Flink or Spark cluster (not run here): start Beam's Flink job
// server, run `parbeam workerpool -port 50000` beside each task manager,
// and give --runner=flink --endpoint=JOBSERVER:8099
// --environment_type=EXTERNAL --environment_config=localhost:50000
// -records DIR, where DIR is a directory every worker host and this one
// share (the elements write their spans there). Dataflow is not supported:
// its Go runner is another package, stages through Cloud Storage, and its
// workers could not write to a shared directory.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "jobserver":
		err = jobServer(ctx, args)
	case "workerpool":
		err = workerPool(ctx, args)
	case "run":
		err = run(ctx, args)
	case "-h", "-help", "--help", "help":
		usage()
	default:
		fmt.Fprintf(os.Stderr, "parbeam: unknown command %q\n", cmd)
		usage()
	}
	var bad badUsage
	switch {
	case errors.As(err, &bad):
		fmt.Fprintf(os.Stderr, "parbeam %s: %v\n", os.Args[1], err)
		os.Exit(2)
	case err != nil:
		fmt.Fprintf(os.Stderr, "parbeam %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprint(os.Stderr, `usage:
  parbeam jobserver  [-port N] [-addr_file FILE]   Prism as a Beam job server
  parbeam workerpool [-port N] [-addr_file FILE]   a Beam external SDK worker pool
  parbeam run [--runner R] [--endpoint H:P] [--environment_type LOOPBACK|EXTERNAL]
              [--environment_config H:P] [-tasks N] [-element D] [-reshuffle] [-json FILE]
Run "parbeam COMMAND -h" for a command's flags.
`)
	os.Exit(2)
}

// badUsage is an error in the command line: exit status 2.
type badUsage struct{ error }

// parse parses args into fs; an error (the flag package has printed it
// and the usage) is a badUsage. Why ContinueOnError: so the caller exits
// with status 2 after a message of its own, and -h exits 0.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		return badUsage{err}
	}
	if fs.NArg() > 0 {
		return badUsage{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

// serveFlags are the flags of jobserver and workerpool.
func serveFlags(name string, args []string) (port int, addrFile string, err error) {
	fs := flag.NewFlagSet("parbeam "+name, flag.ContinueOnError)
	fs.IntVar(&port, "port", 0, "port to serve on, on localhost (0: a free one)")
	fs.StringVar(&addrFile, "addr_file", "", "write the address served (localhost:PORT) to this file once serving")
	if err := parse(fs, args); err != nil {
		return 0, "", err
	}
	if port < 0 || port > 65535 {
		return 0, "", badUsage{fmt.Errorf("-port %d: want 0 to 65535", port)}
	}
	return port, addrFile, nil
}

// announce prints addr and writes it to addrFile, whole: written to a
// temporary name and renamed, so a reader never sees half of it.
func announce(what, addr, addrFile string) error {
	fmt.Printf("parbeam %s serving at %s (pid %d)\n", what, addr, os.Getpid())
	if addrFile == "" {
		return nil
	}
	tmp := addrFile + ".tmp"
	if err := os.WriteFile(tmp, []byte(addr+"\n"), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, addrFile)
}
