package parbeam

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	fnpb "github.com/apache/beam/sdks/v2/go/pkg/beam/model/fnexecution_v1"
	jobpb "github.com/apache/beam/sdks/v2/go/pkg/beam/model/jobmanagement_v1"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/options/jobopts"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/universal"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// checkTimeout bounds each check that a job service or worker pool
// answers before a run: the Go SDK's own dial waits 2 minutes
// (runnerlib.Execute), too long for a typo.
const checkTimeout = 3 * time.Second

// embeddedEndpoint is the address of the Prism job server that
// prism.Execute started in this process, once it has: that server keeps
// serving, and the next embedded runs reuse it.
var embeddedEndpoint string

// submit runs p on the job service cfg names (Prism in this process if
// none) and waits for the job's end. Why it sets and restores Beam's job
// options: the Go SDK reads them from package-level flags, so each run
// sets all it depends on (under runMu, which the caller holds) and puts
// back the values it found, for the next run and for a program's own
// command-line flags.
func submit(ctx context.Context, p *beam.Pipeline, cfg Config, dir string) error {
	opts := []*string{jobopts.Endpoint, jobopts.EnvironmentType, jobopts.EnvironmentConfig,
		jobopts.Experiments, jobopts.WorkerBinary}
	saved := make([]string, len(opts))
	for i, o := range opts {
		saved[i] = *o
	}
	defer func() {
		for i, o := range opts {
			*o = saved[i]
		}
	}()

	*jobopts.Experiments = ""
	if cfg.NoSplit {
		*jobopts.Experiments = "prism_disable_sdf_split"
	}
	*jobopts.EnvironmentType, *jobopts.EnvironmentConfig = "loopback", ""
	if cfg.WorkerPool != "" {
		*jobopts.EnvironmentType, *jobopts.EnvironmentConfig = "external", cfg.WorkerPool
		// Why a placeholder: the Go SDK stages a worker binary with every
		// job, and without one it compiles this program's main package
		// (runnerlib.Execute). A worker pool runs its own binary, so an
		// empty file does.
		if *jobopts.WorkerBinary == "" {
			name := filepath.Join(dir, "worker-binary-unused")
			if err := os.WriteFile(name, nil, 0o644); err != nil {
				return err
			}
			*jobopts.WorkerBinary = name
		}
	}
	if cfg.WorkerPool == "" {
		defer removeLoopbackFiles(time.Now())
	}
	if cfg.Endpoint == "" {
		*jobopts.Endpoint = embeddedEndpoint
		_, err := prism.Execute(ctx, p)
		embeddedEndpoint = *jobopts.Endpoint
		return err
	}
	*jobopts.Endpoint = cfg.Endpoint
	_, err := universal.Execute(ctx, p)
	return err
}

// checkServices reports, as an error that names the address and the fix,
// a job service or worker pool in cfg that does not answer within
// checkTimeout. Why the worker pool is asked too: Prism panics when a
// pool refuses to start a worker (externalEnvironment in
// prism/internal/environments.go), which would end this process if Prism
// runs embedded, and the job server process otherwise.
func checkServices(ctx context.Context, cfg Config) error {
	if cfg.Endpoint != "" {
		err := ask(ctx, cfg.Endpoint, func(ctx context.Context, cc *grpc.ClientConn) error {
			_, err := jobpb.NewJobServiceClient(cc).GetJobs(ctx, &jobpb.GetJobsRequest{})
			return err
		})
		if err != nil {
			return fmt.Errorf("parbeam: no Beam job service answers at %s (%w): start one "+
				"(parbeam.StartCluster, or scripts/beam-cluster.sh start), or leave Config.Endpoint "+
				"empty to run on Prism in this process", cfg.Endpoint, err)
		}
	}
	if cfg.WorkerPool != "" {
		err := ask(ctx, cfg.WorkerPool, func(ctx context.Context, cc *grpc.ClientConn) error {
			// A pool answers a request to stop a worker it does not know
			// with an error in the response, not a failed call.
			_, err := fnpb.NewBeamFnExternalWorkerPoolClient(cc).StopWorker(ctx,
				&fnpb.StopWorkerRequest{WorkerId: "parbeam-check"})
			return err
		})
		if err != nil {
			return fmt.Errorf("parbeam: no Beam SDK worker pool answers at %s (%w): start one "+
				"(parbeam.StartCluster, scripts/beam-cluster.sh start, or parbeam workerpool), or "+
				"leave Config.WorkerPool empty for workers in this process", cfg.WorkerPool, err)
		}
	}
	return nil
}

// ask connects to addr and makes one call, within checkTimeout.
func ask(ctx context.Context, addr string, call func(context.Context, *grpc.ClientConn) error) error {
	cc, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer cc.Close()
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	return call(ctx, cc)
}

// removeLoopbackFiles removes the empty files named beamloopbackworker-*
// made in the temporary directory since start. The Go SDK makes one for
// each LOOPBACK job and leaves it behind (os.CreateTemp in
// runnerlib.Execute); a notebook's overhead cell makes dozens. Why by time
// and not by the files this process holds open: the SDK drops its
// *os.File at once, and the garbage collector may close it during the
// job. Removing one another Beam program made is harmless: the SDK reads
// it only right after creating it, to hash it.
func removeLoopbackFiles(start time.Time) {
	names, _ := filepath.Glob(filepath.Join(os.TempDir(), "beamloopbackworker-*"))
	for _, name := range names {
		if fi, err := os.Stat(name); err == nil && fi.Mode().IsRegular() && fi.Size() == 0 &&
			!fi.ModTime().Before(start.Add(-time.Second)) {
			os.Remove(name)
		}
	}
}
