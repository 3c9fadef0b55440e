package doccheck

import (
	"bufio"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// skipDirs are not the kit's prose: tools' folders, build outputs,
// fetched files.
var skipDirs = map[string]bool{".git": true, "out": true, ".cache": true, "third_party": true, "node_modules": true}

var (
	// A file path as prose writes it: "scripts/run.sh", "lesson/doc.go",
	// "../scripts/notebook-setup.sh".
	pathRE = regexp.MustCompile(`(?:\.{1,2}/)?(?:[\w.-]+/)+[\w.-]+\.(?:go|sh|py|ipynb|md|env|mod|json|js|txt|yml|yaml|csv|html)\b`)
	// A bare file name: "doc.go", "check_versions.py".
	nameRE = regexp.MustCompile(`(?:^|[\s(\x60'"])([\w-]+\.(?:go|sh|py|ipynb|md))\b`)
	urlRE  = regexp.MustCompile(`\w+://\S+`)
)

// TestDocsNameExistingFiles reads the Go files' comments, the Markdown
// files, the notebooks' cells and the comments of the shell and Python
// scripts and of versions.env, and fails for every file path or file name
// they mention that does not exist: a path relative to the repository
// root, to the folder of the file that names it, or the end of some file's
// path; a bare name, the name of some file in the repository.
func TestDocsNameExistingFiles(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	var files []string // slash-separated, relative to root
	names := map[string]bool{}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skipDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		files = append(files, filepath.ToSlash(rel))
		names[d.Name()] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Paths that .gitignore anchors at the root are made by scripts
	// (third_party/, the ECharts copy in notebooks/): not checked.
	var ignored []string
	if b, err := os.ReadFile(filepath.Join(root, ".gitignore")); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if p, ok := strings.CutPrefix(strings.TrimSpace(line), "/"); ok {
				ignored = append(ignored, p)
			}
		}
	}
	// inRepo says whether p is meant as a file of this repository: its
	// first folder exists (from the root or from the file that names it),
	// so "tmp/timeline.html" in a usage line is not one.
	inRepo := func(from, p string) bool {
		for _, g := range ignored {
			if strings.HasPrefix(p, g) {
				return false
			}
		}
		first, _, _ := strings.Cut(strings.TrimPrefix(p, "./"), "/")
		if first == ".." {
			return true
		}
		for _, c := range []string{filepath.Join(root, first), filepath.Join(root, filepath.Dir(from), first)} {
			if _, err := os.Stat(c); err == nil {
				return true
			}
		}
		return false
	}
	exists := func(from, p string) bool {
		for _, c := range []string{filepath.Join(root, p), filepath.Join(root, filepath.Dir(from), p)} {
			if _, err := os.Stat(c); err == nil {
				return true
			}
		}
		p = strings.TrimPrefix(strings.TrimPrefix(p, "../"), "./")
		for _, f := range files {
			if f == p || strings.HasSuffix(f, "/"+p) {
				return true
			}
		}
		return false
	}
	checked := 0
	for _, f := range files {
		text, ok := prose(filepath.Join(root, f))
		if !ok {
			continue
		}
		checked++
		for n, line := range strings.Split(text, "\n") {
			line = urlRE.ReplaceAllString(line, "")
			for _, loc := range pathRE.FindAllStringIndex(line, -1) {
				p := line[loc[0]:loc[1]]
				// Not a repository path: part of an absolute path or a
				// URL path ("/tmp/x.json"), or built from a variable
				// ("$kit/parkit/doc.go").
				if loc[0] > 0 && strings.ContainsAny(line[loc[0]-1:loc[0]], "/$}~%") {
					continue
				}
				if inRepo(f, p) && !exists(f, p) {
					t.Errorf("%s:%d names %s, which does not exist: fix the name, or the prose", f, n+1, p)
				}
			}
			for _, m := range nameRE.FindAllStringSubmatch(pathRE.ReplaceAllString(line, ""), -1) {
				if !names[m[1]] {
					t.Errorf("%s:%d names %s, and no file has that name: fix the name, or the prose", f, n+1, m[1])
				}
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d files read: is %s the repository?", checked, root)
	}
}

// prose returns the text of a file that people read: the comments of Go
// files and scripts, Markdown, notebooks' cells. Line numbers are kept for
// Go files, scripts and Markdown; a notebook's lines are its cells', one
// after another.
func prose(path string) (string, bool) {
	name := filepath.Base(path)
	ext := filepath.Ext(name)
	var comment string
	switch {
	case ext == ".go":
		comment = "//"
	case ext == ".sh" || ext == ".py" || name == "versions.env" || strings.HasPrefix(name, "Dockerfile"):
		comment = "#"
	case ext == ".md":
		b, err := os.ReadFile(path)
		return string(b), err == nil
	case ext == ".ipynb":
		return notebookText(path)
	default:
		return "", false
	}
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	defer f.Close()
	var b strings.Builder
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		// Only comments: code builds paths from pieces and names files
		// that tests create.
		if _, c, ok := strings.Cut(sc.Text(), comment); ok {
			b.WriteString(c)
		}
		b.WriteString("\n")
	}
	return b.String(), sc.Err() == nil
}

func notebookText(path string) (string, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", false
	}
	var nb struct {
		Cells []struct {
			Source json.RawMessage `json:"source"`
		} `json:"cells"`
	}
	if json.Unmarshal(b, &nb) != nil {
		return "", false
	}
	var out strings.Builder
	for _, c := range nb.Cells {
		var s string
		var lines []string
		if json.Unmarshal(c.Source, &s) != nil && json.Unmarshal(c.Source, &lines) == nil {
			s = strings.Join(lines, "")
		}
		out.WriteString(s + "\n")
	}
	return out.String(), true
}
