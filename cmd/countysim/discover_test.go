package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestDiscoverOnASweep(t *testing.T) {
	dir := t.TempDir()
	if code, _, e := runCLI(t, "sweep", quick, "--out", dir, "-q"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, e)
	}
	code, _, e := runCLI(t, "discover", dir, "--where", "approval_days < 1e9", "--alpha", "0.1", "--min-mass", "0.2")
	if code != 2 || !strings.Contains(e, "holds in all of the 12 runs") {
		t.Errorf("a condition true everywhere: exit %d, %s", code, e)
	}
	// Half the runs lie below the median.
	code, o, e := runCLI(t, "discover", dir, "--where", "approval_days < "+medianOf(t, dir, "approval_days"), "--alpha", "0.1", "--min-mass", "0.2")
	if code != 0 {
		t.Fatalf("discover: exit %d: %s", code, e)
	}
	if !strings.Contains(o, "holds in 6 of 12 runs") || !strings.Contains(o, "; chosen box: step ") || !strings.Contains(o, ", after pasting coverage ") {
		t.Errorf("stdout: %s", o)
	}
	for _, f := range []string{"prim-trajectory.csv", "prim-box.csv", "prim-tradeoff.png", "report.md"} {
		if _, err := os.Stat(filepath.Join(dir, "discover", f)); err != nil {
			t.Error(err)
		}
	}
	// Its folder is its own, as every command's: a manifest lists the files, the same command
	// replaces it, and a folder holding another file is refused and left as it was.
	if m := string(readFile(t, filepath.Join(dir, "discover", "manifest.json"))); !strings.Contains(m, `"prim-box.csv"`) || !strings.Contains(m, `"where"`) {
		t.Errorf("discover's manifest.json:\n%s", m)
	}
	if code, _, e := runCLI(t, "discover", dir, "--where", "approval_days < "+medianOf(t, dir, "approval_days"), "--alpha", "0.1", "--min-mass", "0.2"); code != 0 {
		t.Errorf("discover again into its own folder: exit %d: %s", code, e)
	}
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "report.md"), []byte("mine\n"), 0o644)
	if code, _, e := runCLI(t, "discover", dir, "--where", "approval_days < "+medianOf(t, dir, "approval_days"), "--out", other); code != 2 || !strings.Contains(e, "report.md") {
		t.Errorf("discover into a folder holding another report.md: exit %d: %s", code, e)
	}
	if got := string(readFile(t, filepath.Join(other, "report.md"))); got != "mine\n" {
		t.Errorf("the other report.md was changed: %q", got)
	}
	box := string(readFile(t, filepath.Join(dir, "discover", "prim-box.csv")))
	if !strings.HasPrefix(box, "dimension,kind,restricted,lower,upper,categories,initial,quasi_p_lower,quasi_p_upper,quasi_p_categories\n") ||
		!strings.Contains(box, "pmc.enabled,categorical,") || !strings.Contains(box, "devolution.economic,numeric,") {
		t.Errorf("prim-box.csv:\n%s", box)
	}
	bad := []struct {
		args []string
		want string
	}{
		{[]string{"discover", dir, "--where", "growth ~ 0"}, "no comparison operator"},
		{[]string{"discover", dir, "--where", "growth < x"}, `value "x" is not a number`},
		{[]string{"discover", dir, "--where", "grwth < 0"}, `the sweep kept no metric "grwth"`},
		{[]string{"discover", dir, "--where", "growth < 0", "--group", "step:9"}, `the sweep has no group "step:9"`},
		{[]string{"discover", dir, "--where", "growth < 0", "--stat", "mean"}, `--stat: bad value "mean"`},
		{[]string{"discover", dir, "--where", "growth < 0", "--alpha", "0.7"}, "--alpha: bad value 0.7"},
		{[]string{"discover", t.TempDir(), "--where", "growth < 0"}, "is not a finished sweep folder"},
		{[]string{"discover", dir}, "--where is required"},
		{[]string{"discover", dir, "--where", "growth < 0", "--box", "-2"}, "--box: bad value -2"},
	}
	for _, b := range bad {
		code, _, e := runCLI(t, b.args...)
		if code != 2 || !strings.Contains(e, b.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", b.args, code, e, b.want)
		}
	}
	// Only a whole, finished, untouched sweep: not one changed since, not an unfinished one,
	// not one shard of several.
	variant := func(name string, change func(d string)) string {
		d := filepath.Join(t.TempDir(), name)
		if err := os.CopyFS(d, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		os.RemoveAll(filepath.Join(d, "discover"))
		change(d)
		return d
	}
	truncated := variant("truncated", func(d string) {
		rows := readFile(t, filepath.Join(d, "rows.csv"))
		os.WriteFile(filepath.Join(d, "rows.csv"), rows[:len(rows)/3], 0o644)
	})
	unfinished := variant("unfinished", func(d string) {
		rec := strings.Replace(string(readFile(t, filepath.Join(d, "batch.json"))), `"complete": true`, `"complete": false`, 1)
		os.WriteFile(filepath.Join(d, "batch.json"), []byte(rec), 0o644)
	})
	shard := filepath.Join(t.TempDir(), "shard-0-of-2")
	if code, _, e := runCLI(t, "sweep", quick, "--shard", "0/2", "--out", shard, "-q"); code != 0 {
		t.Fatalf("sweep --shard 0/2: exit %d: %s", code, e)
	}
	unfinishedShard := filepath.Join(t.TempDir(), "shard-0-of-2")
	if err := os.CopyFS(unfinishedShard, os.DirFS(shard)); err != nil {
		t.Fatal(err)
	}
	rec := strings.Replace(string(readFile(t, filepath.Join(unfinishedShard, "batch.json"))), `"complete": true`, `"complete": false`, 1)
	os.WriteFile(filepath.Join(unfinishedShard, "batch.json"), []byte(rec), 0o644)
	for _, b := range []struct{ dir, want string }{
		{truncated, "changed after it was written"},
		{unfinished, "holds an unfinished sweep: finish it with countysim sweep " + filepath.Join(unfinished, "experiment.yaml") + " --out " + unfinished + " --resume"},
		{shard, "holds shard 0 of 2 (runs 0-5 of 12): merge the shards first"},
		{unfinishedShard, "holds shard 0 of 2, unfinished: finish it with countysim sweep " + filepath.Join(unfinishedShard, "experiment.yaml") + " --shard 0/2 --out " + unfinishedShard + " --resume"},
	} {
		code, _, e := runCLI(t, "discover", b.dir, "--where", "growth < 0")
		if code != 2 || !strings.Contains(e, b.want) {
			t.Errorf("discover %s: exit %d, stderr %q; want 2 and %q", filepath.Base(b.dir), code, e, b.want)
		}
		if _, err := os.Stat(filepath.Join(b.dir, "discover")); err == nil {
			t.Errorf("discover %s wrote its folder", filepath.Base(b.dir))
		}
	}
}

// medianOf returns the midpoint between the two middle final-year values of a province metric.
func medianOf(t *testing.T, dir, metric string) string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "rows.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var vs []float64
	for _, r := range recs[1:] {
		if r[1] == "province" && r[2] == metric {
			v, _ := strconv.ParseFloat(r[3], 64)
			vs = append(vs, v)
		}
	}
	slices.Sort(vs)
	n := len(vs)
	if n < 2 || vs[n/2-1] == vs[n/2] {
		t.Fatalf("values %v have no clean median", vs)
	}
	return strconv.FormatFloat((vs[n/2-1]+vs[n/2])/2, 'g', -1, 64)
}
