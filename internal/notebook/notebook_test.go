package notebook_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/parallelize-your-go/kit/internal/notebook"
)

func TestText(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"string", `"a\nb\n"`, "a\nb\n"},
		{"list of lines", `["a\n", "b\n"]`, "a\nb\n"},
		{"empty list", `[]`, ""},
		{"object", `{"k": 1}`, `{"k": 1}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got notebook.Text
			if err := json.Unmarshal([]byte(tc.in), &got); err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("unmarshal %s: %q, want %q", tc.in, got, tc.want)
			}
			// It marshals as one string, which unmarshals to the same text.
			b, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			var s string
			if err := json.Unmarshal(b, &s); err != nil || s != tc.want {
				t.Errorf("marshal: %s, want the string %q", b, tc.want)
			}
			var again notebook.Text
			if err := json.Unmarshal(b, &again); err != nil || again != got {
				t.Errorf("round trip: %q, want %q (%v)", again, got, err)
			}
		})
	}
}

// An executed notebook as nbconvert writes it: sources and texts as lists.
const fixture = `{
 "cells": [
  {"cell_type": "markdown", "metadata": {}, "source": ["# Title\n", "**Goal:** a test."]},
  {"cell_type": "code", "execution_count": 3, "metadata": {"tags": ["raises-exception"]},
   "source": ["%%\n", "fmt.Println(\"hi\")"],
   "outputs": [
    {"output_type": "stream", "name": "stdout", "text": ["hi\n", "there\n"]},
    {"output_type": "stream", "name": "stderr", "text": "oops\n"},
    {"output_type": "display_data", "metadata": {},
     "data": {"text/html": ["<b>", "x</b>"], "text/plain": "x", "application/json": {"a": [1, 2]}}},
    {"output_type": "execute_result", "execution_count": 3, "metadata": {}, "data": {"text/markdown": "*m*"}},
    {"output_type": "error", "ename": "ERROR", "evalue": "boom", "traceback": ["t"]}
   ]}
 ],
 "metadata": {"kernelspec": {"name": "gonb"}},
 "nbformat": 4,
 "nbformat_minor": 5
}`

func TestRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fixture.ipynb")
	if err := os.WriteFile(path, []byte(fixture), 0o644); err != nil {
		t.Fatal(err)
	}
	nb, err := notebook.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(nb.Cells) != 2 || nb.NBFormat != 4 || nb.NBFormatMinor != 5 {
		t.Fatalf("%d cells, nbformat %d.%d; want 2 cells, 4.5", len(nb.Cells), nb.NBFormat, nb.NBFormatMinor)
	}
	md, code := nb.Cells[0], nb.Cells[1]
	if md.Type != "markdown" || md.Source != "# Title\n**Goal:** a test." || md.Count != nil {
		t.Errorf("markdown cell: %+v", md)
	}
	if code.Type != "code" || code.Source != "%%\nfmt.Println(\"hi\")" || code.Count == nil || *code.Count != 3 {
		t.Errorf("code cell: %+v", code)
	}
	if !slices.Equal(code.Metadata.Tags, []string{"raises-exception"}) {
		t.Errorf("tags %v", code.Metadata.Tags)
	}
	outs := code.Outputs
	if len(outs) != 5 {
		t.Fatalf("%d outputs, want 5", len(outs))
	}
	for i, want := range []struct{ typ, name, text, plain string }{
		{"stream", "stdout", "hi\nthere\n", "hi\nthere\n"},
		{"stream", "stderr", "oops\n", "oops\n"},
		{"display_data", "", "", "x"},
		{"execute_result", "", "", "*m*"},
		{"error", "", "", ""},
	} {
		o := outs[i]
		if o.Type != want.typ || o.Name != want.name || string(o.Text) != want.text || o.Plain() != want.plain {
			t.Errorf("output %d: %s %q text %q plain %q; want %s %q text %q plain %q",
				i, o.Type, o.Name, o.Text, o.Plain(), want.typ, want.name, want.text, want.plain)
		}
	}
	if h := outs[2].Data["text/html"]; h != "<b>x</b>" {
		t.Errorf("text/html %q", h)
	}
	if j := outs[2].Data["application/json"]; j != `{"a": [1, 2]}` {
		t.Errorf("application/json %q", j)
	}
	if outs[4].EName != "ERROR" || outs[4].EValue != "boom" {
		t.Errorf("error output %+v", outs[4])
	}
	if _, err := notebook.Read(filepath.Join(t.TempDir(), "missing.ipynb")); err == nil {
		t.Error("Read of a missing file: no error")
	}
}

// TestWrite checks that a notebook of Code cells is valid nbformat for
// nbconvert (outputs a list, execution_count null) and reads back.
func TestWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cells.ipynb")
	nb := notebook.Notebook{
		Cells:    []notebook.Cell{notebook.Code("a := 1"), notebook.Code("%%\nfmt.Println(a)")},
		Metadata: map[string]any{"kernelspec": map[string]any{"name": "gonb"}},
		NBFormat: 4, NBFormatMinor: 5,
	}
	if err := nb.Write(path); err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Cells []map[string]json.RawMessage `json:"cells"`
	}
	b, _ := os.ReadFile(path)
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	for i, c := range raw.Cells {
		if string(c["outputs"]) != "[]" || string(c["execution_count"]) != "null" || string(c["metadata"]) != "{}" {
			t.Errorf("cell %d: outputs %s, execution_count %s, metadata %s; want [], null, {}", i, c["outputs"], c["execution_count"], c["metadata"])
		}
	}
	got, err := notebook.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Cells) != 2 || got.Cells[1].Source != "%%\nfmt.Println(a)" || got.Metadata["kernelspec"].(map[string]any)["name"] != "gonb" {
		t.Errorf("read back %+v", got)
	}
}
