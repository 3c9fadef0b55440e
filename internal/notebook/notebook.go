package notebook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// A Notebook is an .ipynb file.
type Notebook struct {
	Cells         []Cell         `json:"cells"`
	Metadata      map[string]any `json:"metadata"` // e.g. "kernelspec"
	NBFormat      int            `json:"nbformat"`
	NBFormatMinor int            `json:"nbformat_minor"`
}

// A Cell is one cell of a notebook. It marshals as a code cell does, with
// outputs and execution_count always present: Write is for notebooks of
// code cells made with Code.
type Cell struct {
	Type     string   `json:"cell_type"` // "code", "markdown" or "raw"
	Source   Text     `json:"source"`
	Metadata Metadata `json:"metadata"`
	Outputs  []Output `json:"outputs"`         // code cells
	Count    *int     `json:"execution_count"` // code cells; nil until run
}

// Metadata is a cell's metadata.
type Metadata struct {
	Tags []string `json:"tags,omitempty"` // e.g. nbclient's "raises-exception"
}

// An Output is one output of a code cell.
type Output struct {
	Type   string          `json:"output_type"`      // "stream", "display_data", "execute_result" or "error"
	Name   string          `json:"name,omitempty"`   // stream: "stdout" or "stderr"
	Text   Text            `json:"text,omitempty"`   // stream
	Data   map[string]Text `json:"data,omitempty"`   // display_data, execute_result: by MIME type
	EName  string          `json:"ename,omitempty"`  // error: the exception's name
	EValue string          `json:"evalue,omitempty"` // error: its message
}

// Plain returns what a text-only reader sees of the output: a stream's
// text, else the text/plain part of a display, else its text/markdown.
func (o Output) Plain() string {
	if o.Type == "stream" {
		return string(o.Text)
	}
	if p := o.Data["text/plain"]; p != "" {
		return string(p)
	}
	return string(o.Data["text/markdown"])
}

// Text is nbformat's multi-line text: it unmarshals from a JSON string or a
// list of strings (joined as they are: each line keeps its "\n") and
// marshals as one string. Any other JSON value, such as the object of
// application/json data, is kept as its JSON text.
type Text string

// UnmarshalJSON implements json.Unmarshaler.
func (t *Text) UnmarshalJSON(b []byte) error {
	var s string
	var lines []string
	switch {
	case string(b) == "null":
		return nil // encoding/json's convention: null leaves the value as it is
	case json.Unmarshal(b, &s) == nil:
		*t = Text(s)
	case json.Unmarshal(b, &lines) == nil:
		*t = Text(strings.Join(lines, ""))
	default:
		*t = Text(bytes.TrimSpace(b))
	}
	return nil
}

// Code returns a code cell that has not run.
func Code(source string) Cell {
	return Cell{Type: "code", Source: Text(source), Outputs: []Output{}}
}

// Read reads the notebook at path.
func Read(path string) (*Notebook, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nb Notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &nb, nil
}

// Write writes the notebook to path.
func (nb *Notebook) Write(path string) error {
	b, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
