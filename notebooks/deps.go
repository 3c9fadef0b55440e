//go:build notebooks

// Package notebooks lists the modules that the notebooks' cells import
// beside the kit's own packages, so that go mod tidy keeps them in the
// kit's go.mod, which the cells build against (the setup cell points GoNB
// at this checkout and turns automatic fetching off). The build tag keeps
// it out of every build: only go mod tidy reads it.
package notebooks

import (
	_ "golang.org/x/sync/errgroup" // 06-three-toolboxes: errgroup.Group
)
