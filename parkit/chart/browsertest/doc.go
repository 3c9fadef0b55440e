// Package browsertest holds the browser test of parkit/chart (browser_test.go):
// it executes testdata/chart-check.ipynb with the GoNB kernel and checks in
// headless Chromium that every chart draws wherever a learner opens a
// notebook. It has no code of its own.
//
// Why a module of its own: the test drives Chromium with chromedp, which
// nothing else uses; here, the root go.mod of the kit does not require it.
// Run it with
//
//	cd parkit/chart/browsertest && go test .
package browsertest
