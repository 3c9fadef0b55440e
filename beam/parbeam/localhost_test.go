package parbeam

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
)

func TestCheckLocalhost(t *testing.T) {
	ctx := context.Background()
	noHost := func(context.Context, string) ([]string, error) {
		return nil, &net.DNSError{Err: "no such host", Name: "localhost", IsNotFound: true}
	}
	noAddr := func(context.Context, string) ([]string, error) { return nil, nil }
	for name, lookup := range map[string]func(context.Context, string) ([]string, error){
		"not found": noHost, "no address": noAddr,
	} {
		err := checkLocalhost(ctx, lookup)
		if err == nil {
			t.Fatalf("%s: no error", name)
		}
		for _, want := range []string{"localhost", "/etc/hosts", "127.0.0.1 localhost"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %q does not name %q", name, err, want)
			}
		}
	}
	var dnsErr *net.DNSError
	if !errors.As(checkLocalhost(ctx, noHost), &dnsErr) {
		t.Error("the resolver's error is not wrapped")
	}
}
