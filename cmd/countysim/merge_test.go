package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/countysim/countysim/batch"
)

// sweepShards runs experiment exp as n shards, each in parent/shard-I-of-n, and returns the
// shard folders in order.
func sweepShards(t *testing.T, exp, parent string, n int) []string {
	t.Helper()
	dirs := make([]string, n)
	for i := range n {
		dirs[i] = filepath.Join(parent, fmt.Sprintf("shard-%d-of-%d", i, n))
		if code, _, e := runCLI(t, "sweep", exp, "--shard", fmt.Sprintf("%d/%d", i, n), "--out", dirs[i], "-j", "2", "-q"); code != 0 {
			t.Fatalf("sweep --shard %d/%d: exit %d: %s", i, n, code, e)
		}
	}
	return dirs
}

// copyDir copies a flat folder (a shard) to dst.
func copyDir(t *testing.T, src, dst string) string {
	t.Helper()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if err := os.WriteFile(filepath.Join(dst, e.Name()), readFile(t, filepath.Join(src, e.Name())), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func writeExperiment(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const sobolExperiment = `name: s
scenario: baseline
set: {preset: teaching, months: 24}
factors:
  - {path: approval.item_cut, min: 0, max: 0.6}
  - {path: devolution.economic, min: 0, max: 1}
design: {type: sobol, samples: 8}
metrics: [approval_days, growth]
groups: [province]
`

func TestMergeGivesTheFilesOfOneMachine(t *testing.T) {
	tests := []struct {
		name, exp string
		shards    int
	}{
		{"grid", quick, 3},
		{"sobol with sensitivity charts", writeExperiment(t, "s.yaml", sobolExperiment), 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			local := t.TempDir()
			if code, _, e := runCLI(t, "sweep", tc.exp, "--out", local, "-j", "2", "-q"); code != 0 {
				t.Fatalf("local sweep: exit %d: %s", code, e)
			}
			dirs := sweepShards(t, tc.exp, t.TempDir(), tc.shards)
			slices.Reverse(dirs) // merge orders the shards itself
			merged := filepath.Join(t.TempDir(), "merged")
			for range 2 { // merging again into the same folder gives the same files
				code, out, e := runCLI(t, append(append([]string{"merge"}, dirs...), "--out", merged)...)
				if code != 0 {
					t.Fatalf("merge: exit %d: %s", code, e)
				}
				if !strings.Contains(out, fmt.Sprintf("%d shards", tc.shards)) {
					t.Errorf("merge says %q", out)
				}
				if got, want := listDir(t, merged), listDir(t, local); !slices.Equal(got, want) {
					t.Fatalf("merged folder holds %v, one machine's %v", got, want)
				}
				for _, f := range listDir(t, local) {
					if f == "manifest.json" {
						continue // holds times and the command line
					}
					if !bytes.Equal(readFile(t, filepath.Join(local, f)), readFile(t, filepath.Join(merged, f))) {
						t.Errorf("merged %s differs from one machine's", f)
					}
				}
			}
			var got, want map[string]any
			json.Unmarshal(readFile(t, filepath.Join(merged, "manifest.json")), &got)
			json.Unmarshal(readFile(t, filepath.Join(local, "manifest.json")), &want)
			for _, k := range []string{"experiment_sha256", "points", "runs", "failed_runs", "seed"} {
				if got[k] != want[k] {
					t.Errorf("manifest %s: merged %v, one machine %v", k, got[k], want[k])
				}
			}
		})
	}
}

func TestMergeRefusesWhatIsNotOneCompleteSplit(t *testing.T) {
	root := t.TempDir()
	shards := sweepShards(t, quick, filepath.Join(root, "quick"), 3)
	other := writeExperiment(t, "other.yaml", strings.Replace(string(readFile(t, quick)), "seed: 42", "seed: 43", 1))
	otherShards := sweepShards(t, other, filepath.Join(root, "other"), 3)
	fourShards := sweepShards(t, quick, filepath.Join(root, "four"), 4)
	local := filepath.Join(root, "local")
	if code, _, e := runCLI(t, "sweep", quick, "--out", local, "-q"); code != 0 {
		t.Fatalf("local sweep: exit %d: %s", code, e)
	}
	// changed returns a copy of shard i, in its own parent folder, changed by edit.
	changed := func(i int, edit func(dir string)) string {
		dir := copyDir(t, shards[i], filepath.Join(t.TempDir(), filepath.Base(shards[i])))
		edit(dir)
		return dir
	}
	remove := func(name string) func(string) {
		return func(dir string) { os.Remove(filepath.Join(dir, name)) }
	}
	write := func(name, text string) func(string) {
		return func(dir string) { os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644) }
	}
	localUnfinished := copyDir(t, local, filepath.Join(t.TempDir(), "local"))
	os.WriteFile(filepath.Join(localUnfinished, ".journal"), []byte("-1 10 10 0\n"), 0o644)
	noRecord := changed(1, remove("batch.json"))
	journal := changed(2, write(".journal", "-1 10 10 0\n"))
	unfinished := changed(2, func(dir string) {
		var info batch.Record
		json.Unmarshal(readFile(t, filepath.Join(dir, "batch.json")), &info)
		info.Complete = false
		b, _ := json.Marshal(info)
		os.WriteFile(filepath.Join(dir, "batch.json"), b, 0o644)
	})
	edited := changed(1, func(dir string) {
		rows := readFile(t, filepath.Join(dir, "rows.csv"))
		os.WriteFile(filepath.Join(dir, "rows.csv"), bytes.Replace(rows, []byte(",0."), []byte(",1."), 1), 0o644)
	})
	lineGone := changed(0, func(dir string) {
		lines := bytes.SplitAfter(readFile(t, filepath.Join(dir, "rows.csv")), []byte("\n"))
		os.WriteFile(filepath.Join(dir, "rows.csv"), bytes.Join(append(lines[:5:5], lines[6:]...), nil), 0o644)
	})
	otherBase := changed(2, func(dir string) {
		var info batch.Record
		json.Unmarshal(readFile(t, filepath.Join(dir, "batch.json")), &info)
		info.Identity["base_sha256"] = strings.Repeat("b", 64)
		b, _ := json.Marshal(info)
		os.WriteFile(filepath.Join(dir, "batch.json"), b, 0o644)
	})
	short := changed(1, func(dir string) {
		runs := string(readFile(t, filepath.Join(dir, "runs.csv")))
		runs = runs[:strings.LastIndex(strings.TrimSuffix(runs, "\n"), "\n")+1]
		os.WriteFile(filepath.Join(dir, "runs.csv"), []byte(runs), 0o644)
	})
	onSlurm := changed(1, remove("batch.json"))
	os.WriteFile(filepath.Join(filepath.Dir(onSlurm), "sweep.sbatch"), nil, 0o644)
	gone := filepath.Join(root, "quick", "shard-1-of-3-typo")
	aFile := filepath.Join(root, "afile")
	os.WriteFile(aFile, []byte("not a shard"), 0o644)
	impossible := changed(2, func(dir string) {
		var info batch.Record
		json.Unmarshal(readFile(t, filepath.Join(dir, "batch.json")), &info)
		info.Shard = 7
		b, _ := json.Marshal(info)
		os.WriteFile(filepath.Join(dir, "batch.json"), b, 0o644)
	})

	tests := []struct {
		name string
		dirs []string
		want []string
	}{
		{"different experiments", []string{shards[0], shards[1], otherShards[2]},
			[]string{"hold different experiments", otherShards[2], "merge the shards of one experiment only"}},
		{"different shard counts", []string{shards[0], shards[1], shards[2], fourShards[3]},
			[]string{"different splits", fourShards[3] + ": shards of 4", shards[0]}},
		{"a shard twice", []string{shards[0], shards[1], copyDir(t, shards[1], filepath.Join(root, "again", "shard-1-of-3")), shards[2]},
			[]string{"shard 1/3 is given 2 times", filepath.Join(root, "again", "shard-1-of-3")}},
		{"missing shards", []string{shards[1]},
			[]string{"missing shards 0, 2 of 3", "countysim sweep " + shards[1] + "/experiment.yaml --shard 2/3 --out " + filepath.Join(root, "quick", "shard-2-of-3")}},
		{"no batch.json", []string{shards[0], noRecord, shards[2]},
			[]string{noRecord + ": no batch.json", "resubmit shard 1: rm -r " + noRecord + " && countysim sweep", "--shard 1/3 --out " + noRecord}},
		{"a .journal left", []string{shards[0], shards[1], journal},
			[]string{journal + ": incomplete", "resubmit shard 2: countysim sweep " + journal + "/experiment.yaml --shard 2/3 --out " + journal + " --resume"}},
		{"complete: false", []string{shards[0], shards[1], unfinished},
			[]string{unfinished + ": incomplete", "--shard 2/3 --out " + unfinished + " --resume"}},
		{"runs.csv cut short", []string{shards[0], short, shards[2]},
			[]string{short + ": the batch folder was changed after it was written: runs.csv is",
				// started afresh from another shard's experiment: its own goes with the folder
				"rm -r " + short + " && countysim sweep " + filepath.Join(shards[0], "experiment.yaml") + " --shard 1/3 --out " + short}},
		{"a value edited in rows.csv", []string{shards[0], edited, shards[2]},
			[]string{edited + ": the batch folder was changed after it was written: rows.csv is", "rm -r " + edited}},
		{"a line removed from rows.csv", []string{lineGone, shards[1], shards[2]},
			[]string{lineGone + ": the batch folder was changed after it was written: rows.csv"}},
		{"another base scenario", []string{shards[0], shards[1], otherBase},
			[]string{"different bases or versions", otherBase + ` has base_sha256 "bbbbbbbbbbbb"`}},
		{"a Slurm shard", []string{shards[0], onSlurm, shards[2]},
			[]string{"(on Slurm: rm -r " + onSlurm + " && sbatch --array=1 " + filepath.Join(filepath.Dir(onSlurm), "sweep.sbatch") + ")"}},
		{"no such folder", []string{shards[0], gone, shards[2]},
			[]string{gone + ": no such folder", "missing shard 1 of 3"}},
		{"a file", []string{shards[0], aFile, shards[2]},
			[]string{aFile + ": a file, not a folder\n"}}, // no advice to rm -r the file
		{"a shard number that cannot be", []string{shards[0], shards[1], impossible},
			[]string{impossible + ": its batch.json names shard 7 of 3, which cannot be"}},
		{"a single-machine sweep", []string{local},
			[]string{local + ": a finished single-machine sweep, not a shard"}},
		{"an unfinished single-machine sweep", []string{localUnfinished},
			[]string{localUnfinished + ": an unfinished single-machine sweep, not a shard; it needs no merging: finish it with countysim sweep " +
				filepath.Join(localUnfinished, "experiment.yaml") + " --out " + localUnfinished + " --resume\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "merged")
			code, _, e := runCLI(t, append(append([]string{"merge"}, tc.dirs...), "--out", out)...)
			if code != 2 {
				t.Fatalf("merge: exit %d, want 2: %s", code, e)
			}
			for _, w := range tc.want {
				if !strings.Contains(e, w) {
					t.Errorf("message does not say %q:\n%s", w, e)
				}
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("a refused merge created %s", out)
			}
		})
	}
}

func TestMergeRefusesToOverwriteAnotherExperiment(t *testing.T) {
	shards := sweepShards(t, quick, t.TempDir(), 2)
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, "experiment.yaml"), []byte("name: other\n"), 0o644)
	code, _, e := runCLI(t, "merge", shards[0], shards[1], "--out", out)
	if code != 2 || !strings.Contains(e, "holds files this command did not write (experiment.yaml)") || !strings.Contains(e, "--force") {
		t.Fatalf("want status 2 and a refusal, got %d: %s", code, e)
	}
	code, _, e = runCLI(t, "merge", shards[0], shards[1], "--out", shards[0])
	if code != 2 || !strings.Contains(e, "is one of the shard folders") {
		t.Fatalf("want status 2 and a refusal, got %d: %s", code, e)
	}
}

func TestSweepResumeIfPresent(t *testing.T) {
	ref := sweepShards(t, quick, t.TempDir(), 3)[1]
	dir := filepath.Join(t.TempDir(), "shard-1-of-3")
	sweep := func() (int, string, string) {
		return runCLI(t, "sweep", quick, "--shard", "1/3", "--out", dir, "--resume-if-present", "-q")
	}
	// A task that died after creating its folder, before any run was committed.
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "experiment.yaml"), readFile(t, quick), 0o644)
	if code, _, e := sweep(); code != 0 {
		t.Fatalf("resuming a folder with only the experiment: exit %d: %s", code, e)
	}
	for _, f := range []string{"runs.csv", "rows.csv", "batch.json"} {
		if !bytes.Equal(readFile(t, filepath.Join(dir, f)), readFile(t, filepath.Join(ref, f))) {
			t.Errorf("%s differs from an uninterrupted shard's", f)
		}
	}
	code, out, e := sweep()
	if code != 0 || !strings.Contains(out, "already complete") {
		t.Fatalf("a finished shard run again should be left as it is with status 0, got %d: %s%s", code, out, e)
	}
	fresh := filepath.Join(t.TempDir(), "new")
	if code, _, e := runCLI(t, "sweep", quick, "--shard", "1/3", "--out", fresh, "--resume-if-present", "-q"); code != 0 {
		t.Fatalf("--resume-if-present on a new folder: exit %d: %s", code, e)
	}
	if !bytes.Equal(readFile(t, filepath.Join(fresh, "runs.csv")), readFile(t, filepath.Join(ref, "runs.csv"))) {
		t.Error("a shard started with --resume-if-present differs from a plain one")
	}
}

// TestMergeIntoTheShardsParent: sweep --shard writes out/EXPERIMENT/shard-I-of-N and merge
// writes out/EXPERIMENT; merging there (the README's example) puts the merged files beside the
// shard folders, which stay, and gives the files of a merge elsewhere; it can be done again.
func TestMergeIntoTheShardsParent(t *testing.T) {
	parent := filepath.Join(t.TempDir(), "quick")
	shards := sweepShards(t, quick, parent, 2)
	elsewhere := filepath.Join(t.TempDir(), "merged")
	if code, _, e := runCLI(t, "merge", shards[0], shards[1], "--out", elsewhere); code != 0 {
		t.Fatalf("merge elsewhere: exit %d: %s", code, e)
	}
	for range 2 {
		if code, _, e := runCLI(t, "merge", shards[0], shards[1], "--out", parent); code != 0 {
			t.Fatalf("merge into the shards' parent: exit %d: %s", code, e)
		}
		for _, f := range []string{"runs.csv", "rows.csv", "points.csv"} {
			if !bytes.Equal(readFile(t, filepath.Join(parent, f)), readFile(t, filepath.Join(elsewhere, f))) {
				t.Errorf("%s merged beside the shards differs from the one merged elsewhere", f)
			}
		}
		for _, s := range shards {
			if _, err := os.Stat(filepath.Join(s, "runs.csv")); err != nil {
				t.Errorf("shard folder %s: %v", s, err)
			}
		}
	}
	// Other files in the parent are still refused.
	os.WriteFile(filepath.Join(parent, "notes.txt"), []byte("mine\n"), 0o644)
	if code, _, e := runCLI(t, "merge", shards[0], shards[1], "--out", parent); code != 2 || !strings.Contains(e, "notes.txt") {
		t.Fatalf("merge into a parent holding another file: exit %d: %s", code, e)
	}
}

// TestMergeNamesAnotherBuild checks that shards run by another countysim build are refused
// with a message that names both builds, not one saying the folder was changed by hand.
func TestMergeNamesAnotherBuild(t *testing.T) {
	parent := t.TempDir()
	for i := range 2 {
		dir := filepath.Join(parent, fmt.Sprintf("shard-%d-of-2", i))
		if code, _, e := runCLI(t, "sweep", quick, "--out", dir, "--shard", fmt.Sprintf("%d/2", i), "-q"); code != 0 {
			t.Fatalf("shard %d/2: exit %d: %s", i, code, e)
		}
		rec := filepath.Join(dir, "batch.json")
		os.WriteFile(rec, bytes.ReplaceAll(readFile(t, rec), []byte(buildID()), []byte("binary sha256 0123456789abcdef")), 0o644)
	}
	code, _, e := runCLI(t, "merge", filepath.Join(parent, "shard-0-of-2"), filepath.Join(parent, "shard-1-of-2"), "--out", filepath.Join(parent, "merged"))
	if code != 2 || strings.Contains(e, "changed by hand") || !strings.Contains(e, "another countysim build (binary sha256 0123456789abcdef") ||
		!strings.Contains(e, buildID()) || !strings.Contains(e, "merge with the countysim that ran the shards") {
		t.Errorf("merge of another build's shards: exit %d: %s; want 2 naming both builds", code, e)
	}
}
