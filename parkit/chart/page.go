package chart

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"os"
)

// WriteHTML writes the chart as a standalone HTML page with ECharts
// inlined (about 1.1 MB), so the file works offline, opened from disk. If
// ECharts cannot be found the page says so and loads it from next to the
// file or the web; it also shows the static picture either way.
func (c *Chart) WriteHTML(w io.Writer) error {
	lib, _ := libraryHTML()
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n</head>\n<body style=\"font-family:sans-serif\">\n",
		html.EscapeString(c.title))
	bw.WriteString(lib)
	png, _ := c.PNG()
	bw.WriteString(c.fragment(newID(), png))
	bw.WriteString("</body>\n</html>\n")
	return bw.Flush()
}

// SaveHTML writes the chart to the file path with WriteHTML: what the
// examples' -html flag does.
func (c *Chart) SaveHTML(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := c.WriteHTML(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
