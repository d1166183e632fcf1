package calibrate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runSharded runs a calibration as a cluster would: every round's n shards (in reverse
// order, as machines finish in any order), then a merge, until the merge writes the outputs.
func runSharded(t *testing.T, c *Calibration, dir string, n int) *Result {
	t.Helper()
	id := map[string]string{"countysim_version": "test"}
	for cycle := 0; cycle < 50; cycle++ {
		for i := n - 1; i >= 0; i-- {
			res, err := Execute(context.Background(), c, Options{Dir: dir, Jobs: 2, Mode: ShardRound, Shard: i, Shards: n, Identity: id})
			if err != nil {
				t.Fatalf("cycle %d shard %d/%d: %v", cycle, i, n, err)
			}
			if res.Ran == nil || res.Ran.Shard != i {
				t.Fatalf("cycle %d shard %d/%d ran %+v", cycle, i, n, res.Ran)
			}
		}
		res, err := Execute(context.Background(), c, Options{Dir: dir, Jobs: 2, Mode: MergeRound, Identity: id})
		if err != nil {
			t.Fatalf("cycle %d merge: %v", cycle, err)
		}
		if res.Merged == nil || res.Merged.Shards != n {
			t.Fatalf("cycle %d: the merge merged %+v", cycle, res.Merged)
		}
		if res.Pending == nil {
			if err := WriteOutputs(dir, c, res); err != nil {
				t.Fatal(err)
			}
			return res
		}
	}
	t.Fatal("the sharded calibration did not finish in 50 rounds")
	return nil
}

func TestShardedCalibrationGivesTheBytesOfAnUnshardedOne(t *testing.T) {
	c := tiny(t)
	whole := t.TempDir()
	res, err := Execute(context.Background(), c, Options{Dir: whole, Jobs: 2, Identity: map[string]string{"countysim_version": "test"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteOutputs(whole, c, res); err != nil {
		t.Fatal(err)
	}
	if len(res.RoundFirst) < 2 {
		t.Fatalf("the test calibration has %d rounds; it must have several to test the cycle", len(res.RoundFirst))
	}
	// One shard run, then the rest on one machine with Resume: the same posterior.
	mixed := t.TempDir()
	id := map[string]string{"countysim_version": "test"}
	if _, err := Execute(context.Background(), c, Options{Dir: mixed, Jobs: 1, Mode: ShardRound, Shard: 0, Shards: 2, Identity: id}); err != nil {
		t.Fatal(err)
	}
	mr, err := Execute(context.Background(), c, Options{Dir: mixed, Jobs: 2, Resume: true, Identity: id})
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteOutputs(mixed, c, mr); err != nil {
		t.Fatal(err)
	}
	if a, b := readFile(t, filepath.Join(whole, PosteriorFile)), readFile(t, filepath.Join(mixed, PosteriorFile)); a != b {
		t.Error("a shard finished by --resume on one machine gave another posterior.csv")
	}
	for _, n := range []int{2, 3} {
		dir := t.TempDir()
		sr := runSharded(t, c, dir, n)
		if sr.Trace.Runs != res.Trace.Runs {
			t.Errorf("%d shards: %d runs, unsharded %d", n, sr.Trace.Runs, res.Trace.Runs)
		}
		for _, f := range []string{PosteriorFile, GenerationsFile, ReportFile, "posterior.parquet"} {
			a, err1 := os.ReadFile(filepath.Join(whole, f))
			b, err2 := os.ReadFile(filepath.Join(dir, f))
			if err1 != nil || err2 != nil || string(a) != string(b) {
				t.Errorf("%d shards: %s differs from the unsharded calibration's (%v, %v)", n, f, err1, err2)
			}
		}
		// Every round's merged tables are the unsharded round's, byte for byte.
		rounds, _ := filepath.Glob(filepath.Join(whole, "gen-*"))
		for _, r := range rounds {
			for _, f := range []string{"runs.csv", "rows.csv", "batch.json"} {
				a, _ := os.ReadFile(filepath.Join(r, f))
				b, err := os.ReadFile(filepath.Join(dir, filepath.Base(r), f))
				if err != nil || string(a) != string(b) {
					t.Errorf("%d shards: %s/%s differs (%v)", n, filepath.Base(r), f, err)
				}
			}
		}
	}
}

func TestMergeRefusesShardsOfAnotherCalibration(t *testing.T) {
	c := tiny(t)
	other, err := Parse(c.Source, []byte(strings.Replace(string(c.Data), "seed: 2026", "seed: 7", 1)))
	if err != nil || other.Hash() == c.Hash() {
		t.Fatalf("another calibration: %v", err)
	}
	a, b := t.TempDir(), t.TempDir()
	if _, err := Execute(context.Background(), c, Options{Dir: a, Jobs: 1, Mode: ShardRound, Shard: 1, Shards: 2}); err != nil {
		t.Fatal(err)
	}
	// Merging with a shard missing names it and the command that runs it.
	_, err = Execute(context.Background(), c, Options{Dir: a, Jobs: 1, Mode: MergeRound})
	if err == nil || !strings.Contains(err.Error(), "shard 0/2 is missing; run it: countysim calibrate "+c.Source+" --shard 0/2 --out "+a) {
		t.Errorf("merge with a missing shard: %v", err)
	}
	if _, err := Execute(context.Background(), other, Options{Dir: b, Jobs: 1, Mode: ShardRound, Shard: 0, Shards: 2}); err != nil {
		t.Fatal(err)
	}
	from := filepath.Join(b, "gen-00-round-00", "shard-0-of-2")
	if err := os.Rename(from, filepath.Join(a, "gen-00-round-00", "shard-0-of-2")); err != nil {
		t.Fatal(err)
	}
	_, err = Execute(context.Background(), c, Options{Dir: a, Jobs: 1, Mode: MergeRound})
	if err == nil || !strings.Contains(err.Error(), "shard-0-of-2: a shard of another calibration (sha256 "+other.Hash()[:12]) {
		t.Errorf("merge with a shard of another calibration: %v", err)
	}
	if roundComplete(filepath.Join(a, "gen-00-round-00")) {
		t.Error("a refused merge left a complete round")
	}
	// A shard of another calibration into the same folder is refused before it runs.
	_, err = Execute(context.Background(), other, Options{Dir: a, Jobs: 1, Mode: ShardRound, Shard: 0, Shards: 2})
	if err == nil || !strings.Contains(err.Error(), "holds a different calibration") {
		t.Errorf("a shard of another calibration into the folder: %v", err)
	}
	// More shards than the round has runs.
	_, err = Execute(context.Background(), c, Options{Dir: t.TempDir(), Jobs: 1, Mode: ShardRound, Shard: 0, Shards: 13})
	if err == nil || !strings.Contains(err.Error(), "13 shards for the 12 runs of generation 0 round 0") {
		t.Errorf("13 shards of 12 runs: %v", err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
