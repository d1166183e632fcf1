package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/countysim/countysim/results"
)

// runManifest runs `run` with args into a new folder and returns the folder, its file names
// and its manifest.
func runManifest(t *testing.T, args ...string) (string, []string, map[string]json.RawMessage) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	base := []string{"run", "pmc-three-step", "--months", "24", "--set", "preset=teaching", "-q", "--out", dir}
	if code, _, e := runCLI(t, append(base, args...)...); code != 0 {
		t.Fatalf("run %v: exit %d: %s", args, code, e)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range ents {
		files = append(files, e.Name())
	}
	b, err := os.ReadFile(filepath.Join(dir, results.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var man map[string]json.RawMessage
	if err := json.Unmarshal(b, &man); err != nil {
		t.Fatal(err)
	}
	return dir, files, man
}

// TestRunDefaultOutputs checks what `run` writes by default (SVG figures only, no
// per-prefecture groups) and that the manifest says so and how to ask for more; and that
// --formats svg,png --groups all bring everything back.
func TestRunDefaultOutputs(t *testing.T) {
	dir, files, man := runManifest(t)
	if slices.Contains(files, "overview.png") || !slices.Contains(files, "overview.svg") {
		t.Errorf("default run wrote %v: want overview.svg and no PNG", files)
	}
	series, err := os.ReadFile(filepath.Join(dir, results.SeriesFile))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(series), ",prefecture:") {
		t.Error("default series.csv has per-prefecture groups")
	}
	if !strings.Contains(string(series), ",step:0,") || !strings.Contains(string(series), ",tercile:1,") {
		t.Error("default series.csv lacks the step or tercile groups")
	}
	var nw []results.NotWritten
	if err := json.Unmarshal(man["not_written"], &nw); err != nil {
		t.Fatal(err)
	}
	if len(nw) != 2 || !strings.Contains(nw[0].Ask, "--groups all") || nw[1].Ask != "--formats svg,png" {
		t.Errorf("manifest not_written = %+v", nw)
	}
	var groups, formats []string
	json.Unmarshal(man["groups"], &groups)
	json.Unmarshal(man["figure_formats"], &formats)
	if !slices.Contains(groups, "pilot") || slices.ContainsFunc(groups, func(g string) bool { return strings.HasPrefix(g, "prefecture:") }) {
		t.Errorf("manifest groups = %v", groups)
	}
	if !slices.Equal(formats, []string{"svg"}) {
		t.Errorf("manifest figure_formats = %v", formats)
	}

	dir, files, man = runManifest(t, "--formats", "svg,png", "--groups", "all")
	if !slices.Contains(files, "overview.png") || !slices.Contains(files, "overview.svg") {
		t.Errorf("--formats svg,png wrote %v", files)
	}
	series, _ = os.ReadFile(filepath.Join(dir, results.SeriesFile))
	if !strings.Contains(string(series), ",prefecture:") {
		t.Error("--groups all: series.csv has no per-prefecture group")
	}
	if string(man["not_written"]) != "[]" {
		t.Errorf("--groups all --formats svg,png: manifest not_written = %s, want []", man["not_written"])
	}

	_, files, man = runManifest(t, "--no-plots", "--groups", "all")
	if slices.Contains(files, "overview.svg") {
		t.Errorf("--no-plots wrote %v", files)
	}
	nw = nil
	if err := json.Unmarshal(man["not_written"], &nw); err != nil {
		t.Fatal(err)
	}
	if len(nw) != 1 || !strings.Contains(nw[0].What, "figures") || nw[0].Ask != "run without --no-plots" {
		t.Errorf("--no-plots: manifest not_written = %+v, want the figures and how to get them", nw)
	}
}

// TestRunOutputFlagErrors checks the errors of --formats and --groups all.
func TestRunOutputFlagErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--formats", "gif"}, `--formats: bad value "gif" (allowed: svg, png)`},
		{[]string{"--groups", "all,step:*"}, `"all" cannot be combined`},
	} {
		args := append([]string{"run", "pmc-three-step", "--months", "12", "--set", "preset=teaching", "-q", "--out", filepath.Join(t.TempDir(), "o")}, c.args...)
		code, _, e := runCLI(t, args...)
		if code != 2 || !strings.Contains(e, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", c.args, code, e, c.want)
		}
	}
}
