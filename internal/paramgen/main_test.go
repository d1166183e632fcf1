package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/countysim/countysim/sim"
)

// TestGeneratedFilesUpToDate regenerates sim/zz_params.go and the README's field table from
// sim/config.go and fails on any difference: edit the declaration, then run go generate ./sim.
func TestGeneratedFilesUpToDate(t *testing.T) {
	src, err := os.ReadFile("../../sim/config.go")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := fieldDocs(src)
	if err != nil {
		t.Fatal(err)
	}
	goSrc, err := renderDocs(docs)
	if err != nil {
		t.Fatal(err)
	}
	if old, err := os.ReadFile("../../sim/zz_params.go"); err != nil || !bytes.Equal(old, goSrc) {
		t.Errorf("sim/zz_params.go is stale (%v): run go generate ./sim", err)
	}
	for _, f := range []struct {
		path  string
		table string
	}{
		{"../../README.md", renderTable(sim.Params(), docs)},
		{"../../docs/MODEL.md", renderAppendix(sim.Params(), docs)},
	} {
		doc, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		want, err := splice(doc, f.table)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(doc, want) {
			t.Errorf("%s: the field table differs from sim/config.go's declaration: run go generate ./sim\n%s", f.path, firstDiff(string(doc), string(want)))
		}
	}
}

func TestDefaultText(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want string
	}{
		{nil, "–"}, {0.096, "0.096"}, {1.0, "1"}, {240, "240"}, {true, "true"}, {"three-step", `"three-step"`},
		{[]string{}, "none"}, {[]int{1}, "1 item"}, {[]int{1, 2}, "2 items"},
		{[]any{}, "–"}, {[]any{0.2, 0.3}, "0.2, 0.3"}, {[]any{[]string(nil), []string(nil)}, "none"},
	} {
		if got := defaultText(tc.v); got != tc.want {
			t.Errorf("defaultText(%#v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) && i < len(w); i++ {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n  have: %s\n  want: %s", i+1, g[i], w[i])
		}
	}
	return "the lengths differ"
}

func TestFieldDocs(t *testing.T) {
	docs, err := fieldDocs([]byte("package p\ntype T struct {\n\t// A is\n\t// two lines.\n\tA int\n\tB int // B trails.\n\tC int\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if docs["T.A"] != "A is two lines." || docs["T.B"] != "B trails." || docs["T.C"] != "" || len(docs) != 2 {
		t.Errorf("fieldDocs = %q", docs)
	}
}

func TestSpliceNeedsMarkers(t *testing.T) {
	if _, err := splice([]byte("# README\nno table\n"), "| x |\n"); err == nil {
		t.Error("splice accepted a README without markers")
	}
	got, err := splice([]byte("a\n"+beginMarker+"\nold\n"+endMarker+"\nb\n"), "new\n")
	if err != nil || string(got) != "a\n"+beginMarker+"\nnew\n"+endMarker+"\nb\n" {
		t.Errorf("splice = %q, %v", got, err)
	}
}
