package parbeam

import (
	"context"
	"fmt"
)

// checkLocalhost reports, as an error that names the fix, when the name
// "localhost" does not resolve. Embedded Prism needs it: its job server,
// its worker endpoint and the Go SDK's loopback worker all listen on and
// dial "localhost:port", and Go resolves that name through /etc/hosts
// (a minimal Debian root file system, as debootstrap makes it, has no
// such line, and the lookup then goes to DNS and fails).
func checkLocalhost(ctx context.Context, lookup func(context.Context, string) ([]string, error)) error {
	addrs, err := lookup(ctx, "localhost")
	if err == nil && len(addrs) > 0 {
		return nil
	}
	if err == nil {
		err = fmt.Errorf("no address")
	}
	return fmt.Errorf("parbeam: Beam's Prism runner serves on the name localhost, "+
		"which does not resolve on this machine (%w): add the line '127.0.0.1 localhost' "+
		"to /etc/hosts (scripts/install-packages.sh does it when run as root)", err)
}
