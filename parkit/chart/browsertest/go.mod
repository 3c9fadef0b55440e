module github.com/parallelize-your-go/kit/parkit/chart/browsertest

go 1.26.0

require (
	github.com/chromedp/chromedp v0.23.0
	github.com/parallelize-your-go/kit v0.0.0-00010101000000-000000000000
)

require (
	github.com/chromedp/cdproto v0.159.0 // indirect
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
)

// The test checks this checkout's charts.
replace github.com/parallelize-your-go/kit => ../../../
