// Nbgen keeps the notebooks tidy: it writes the setup cell (the kit's one
// internal/notebook.SetupCell) as every notebook's first code cell,
// rewrites the contents list of 00-index.ipynb and the navigation links at
// the end of every notebook from each notebook's H1 and "**Goal:**" line,
// and clears outputs and execution counts, so notebooks are committed
// clean.
//
//	go run ./notebooks/tools/nbgen          # rewrite notebooks/*.ipynb in place
//	go run ./notebooks/tools/nbgen -check   # change nothing; fail if anything would change
//	go run ./notebooks/tools/nbgen -toc     # print the contents as Markdown (for the README)
//
// The contents go in the markdown cell holding the marker <!-- contents -->,
// the links in the one holding <!-- nav -->. A first code cell that runs
// scripts/notebook-setup.sh is rewritten to the setup cell; any other gets
// the setup cell inserted before it. The rest of a notebook is left as it
// is.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	kitnb "github.com/parallelize-your-go/kit/internal/notebook"
)

const (
	contentsMarker = "<!-- contents -->"
	navMarker      = "<!-- nav -->"
	indexName      = "00-index.ipynb"
)

func main() {
	dir := flag.String("dir", "", "the notebooks folder (default: notebooks/ of the current module)")
	check := flag.Bool("check", false, "change nothing; exit 1 if a notebook is not up to date")
	toc := flag.Bool("toc", false, "print the contents as a Markdown list and exit")
	flag.Parse()
	if *dir == "" {
		*dir = findDir()
	}
	nbs, err := load(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nbgen:", err)
		os.Exit(1)
	}
	if *toc {
		fmt.Println(contents(nbs[1:], "notebooks/"))
		return
	}
	stale := 0
	for i, nb := range nbs {
		if err := nb.update(nbs, i); err != nil {
			fmt.Fprintf(os.Stderr, "nbgen: %s: %v\n", nb.name, err)
			os.Exit(1)
		}
		out, err := nb.encode()
		if err != nil {
			fmt.Fprintf(os.Stderr, "nbgen: %s: %v\n", nb.name, err)
			os.Exit(1)
		}
		if bytes.Equal(out, nb.raw) {
			continue
		}
		stale++
		if *check {
			fmt.Fprintf(os.Stderr, "nbgen: %s is not up to date (outputs, contents or links)\n", nb.name)
			continue
		}
		if err := os.WriteFile(filepath.Join(*dir, nb.name), out, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "nbgen:", err)
			os.Exit(1)
		}
		fmt.Printf("nbgen: updated %s\n", nb.name)
	}
	if *check && stale > 0 {
		fmt.Fprintln(os.Stderr, "fix with: go run ./notebooks/tools/nbgen")
		os.Exit(1)
	}
}

// findDir returns notebooks/ under the working directory or its parents.
func findDir() string {
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "notebooks", indexName)); err == nil {
			return filepath.Join(dir, "notebooks")
		}
		if _, err := os.Stat(filepath.Join(dir, indexName)); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "notebooks"
		}
		dir = parent
	}
}

// A notebook is one .ipynb file, kept as generic JSON so that fields nbgen
// does not know survive.
type notebook struct {
	name  string // "04-the-experiment.ipynb"
	raw   []byte
	doc   map[string]any
	title string // the H1, e.g. "04 · The experiment: ..."
	goal  string // the text after "**Goal:**"
}

var (
	nameRE = regexp.MustCompile(`^\d\d-[a-z0-9-]+\.ipynb$`)
	h1RE   = regexp.MustCompile(`(?m)^# (.+)$`)
	goalRE = regexp.MustCompile(`(?m)^\*\*Goal:\*\* (.+)$`)
)

func load(dir string) ([]*notebook, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.ipynb"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var nbs []*notebook
	for _, p := range paths {
		name := filepath.Base(p)
		if !nameRE.MatchString(name) {
			continue // scratch copies, checkpoints
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		nb := &notebook{name: name, raw: raw}
		if err := json.Unmarshal(raw, &nb.doc); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		cells := nb.cells()
		if len(cells) == 0 || cells[0]["cell_type"] != "markdown" {
			return nil, fmt.Errorf("%s: the first cell must be markdown with an H1 and a **Goal:** line", name)
		}
		first := source(cells[0])
		m, g := h1RE.FindStringSubmatch(first), goalRE.FindStringSubmatch(first)
		if m == nil || g == nil {
			return nil, fmt.Errorf("%s: the first cell needs a '# Title' line and a '**Goal:** ...' line", name)
		}
		nb.title, nb.goal = strings.TrimSpace(m[1]), strings.TrimSpace(g[1])
		nbs = append(nbs, nb)
	}
	if len(nbs) == 0 || nbs[0].name != indexName {
		return nil, fmt.Errorf("no %s in %s", indexName, dir)
	}
	return nbs, nil
}

func (nb *notebook) cells() []map[string]any {
	list, _ := nb.doc["cells"].([]any)
	cells := make([]map[string]any, 0, len(list))
	for _, c := range list {
		if m, ok := c.(map[string]any); ok {
			cells = append(cells, m)
		}
	}
	return cells
}

// source returns a cell's source as one string (nbformat stores a list of lines).
func source(cell map[string]any) string {
	switch s := cell["source"].(type) {
	case string:
		return s
	case []any:
		var b strings.Builder
		for _, line := range s {
			str, _ := line.(string)
			b.WriteString(str)
		}
		return b.String()
	}
	return ""
}

func setSource(cell map[string]any, text string) {
	lines := []any{}
	for line := range strings.Lines(text) {
		lines = append(lines, line)
	}
	cell["source"] = lines
}

// update writes the setup cell, clears outputs and rewrites the contents
// and navigation cells.
func (nb *notebook) update(all []*notebook, i int) error {
	nb.setup()
	foundNav := false
	for _, cell := range nb.cells() {
		if cell["cell_type"] == "code" {
			cell["outputs"] = []any{}
			cell["execution_count"] = nil
			continue
		}
		src := source(cell)
		switch {
		case strings.Contains(src, contentsMarker):
			setSource(cell, "## Contents\n\n"+contentsMarker+"\n"+contents(all[1:], ""))
		case strings.Contains(src, navMarker):
			setSource(cell, navMarker+"\n"+nav(all, i))
			foundNav = true
		}
	}
	if !foundNav {
		return fmt.Errorf("no markdown cell with %s: add one as the last cell", navMarker)
	}
	return nil
}

// setup makes the first code cell the setup cell.
func (nb *notebook) setup() {
	list, _ := nb.doc["cells"].([]any)
	for i, c := range list {
		cell, ok := c.(map[string]any)
		if !ok || cell["cell_type"] != "code" {
			continue
		}
		if !strings.Contains(source(cell), "scripts/notebook-setup.sh") {
			// nbformat 4.5 wants a unique id on every cell.
			cell = map[string]any{"cell_type": "code", "metadata": map[string]any{}, "id": "nb" + nb.name[:2] + "-setup"}
			nb.doc["cells"] = append(list[:i], append([]any{cell}, list[i:]...)...)
		}
		setSource(cell, kitnb.SetupCell)
		return
	}
}

// contents lists the notebooks with their goals, linked relative to prefix.
func contents(nbs []*notebook, prefix string) string {
	var b strings.Builder
	for _, nb := range nbs {
		fmt.Fprintf(&b, "- [%s](%s%s) — %s\n", nb.title, prefix, nb.name, lowerFirst(nb.goal))
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// nav links the next notebook, the previous one and the index.
func nav(all []*notebook, i int) string {
	var parts []string
	if i+1 < len(all) {
		next := all[i+1]
		parts = append(parts, fmt.Sprintf("**Next:** [%s](%s) — %s", next.title, next.name, lowerFirst(next.goal)))
	} else {
		parts = append(parts, "**This is the last notebook.** Back to the start: ["+all[0].title+"]("+indexName+")")
	}
	var links []string
	if i > 0 {
		links = append(links, fmt.Sprintf("Previous: [%s](%s)", all[i-1].title, all[i-1].name))
	}
	if i > 1 {
		links = append(links, "[Contents]("+indexName+")")
	}
	if len(links) > 0 {
		parts = append(parts, strings.Join(links, " · "))
	}
	return strings.Join(parts, "\n\n")
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// encode writes the notebook the way nbformat does: keys sorted, one-space
// indent, no escaping of <, > and &, and a final newline.
func (nb *notebook) encode() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(nb.doc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
