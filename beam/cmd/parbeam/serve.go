package main

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	beamlog "github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/universal/extworker"
)

// jobServer serves Prism's job service, as Prism's own command does
// (cmd/prism in the Beam SDK) without its web UI, until ctx ends. Prism
// serves on localhost only and tells the workers to dial localhost
// (prism/internal/jobservices/server.go, worker/worker.go), so its
// workers must run on this machine.
func jobServer(ctx context.Context, args []string) error {
	port, addrFile, err := serveFlags("jobserver", args)
	if err != nil {
		return err
	}
	if port == 0 {
		// Why pick the port here: prism.CreateJobServer returns a client,
		// not the address its server took.
		if port, err = freePort(); err != nil {
			return err
		}
	}
	beamlog.SetupLogging("info", "text")
	if _, err := prism.CreateJobServer(ctx, prism.Options{Port: port}); err != nil {
		return fmt.Errorf("starting Prism's job server on port %d: %w", port, err)
	}
	if err := announce("jobserver", fmt.Sprintf("localhost:%d", port), addrFile); err != nil {
		return err
	}
	<-ctx.Done()
	return nil
}

// workerPool serves the Go SDK's external worker pool until ctx ends. For
// each StartWorker request it runs an SDK worker (harness) as goroutines
// of this process, so the DoFns are the ones this binary registered.
func workerPool(ctx context.Context, args []string) error {
	port, addrFile, err := serveFlags("workerpool", args)
	if err != nil {
		return err
	}
	beamlog.SetupLogging("info", "text")
	beam.Init()
	pool, err := extworker.StartLoopback(ctx, port)
	if err != nil {
		return fmt.Errorf("starting the worker pool on port %d: %w", port, err)
	}
	if err := announce("workerpool", pool.EnvironmentConfig(ctx), addrFile); err != nil {
		return err
	}
	<-ctx.Done()
	// Why bounded: Stop waits for the pool's calls to end.
	stopped := make(chan struct{})
	go func() { pool.Stop(context.Background()); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(2 * time.Second):
	}
	return nil
}

// freePort is a port free on localhost now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "localhost:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
