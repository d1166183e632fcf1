package batch

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// interrupted leaves an unfinished batch of 30 runs in a new folder: 12 committed.
func interrupted(t *testing.T) (string, Spec) {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	s := toySpec(dir, 30, 1, 0, 0)
	s.Identity = map[string]string{"experiment_sha256": "aaa", "version": "1"}
	s.Progress = func(done, _ int) {
		if done == 12 {
			cancel()
		}
	}
	if _, err := Execute(ctx, s); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	s.Progress, s.Resume = nil, true
	return dir, s
}

func TestResumeRefusesAnotherIdentity(t *testing.T) {
	dir, s := interrupted(t)
	s.Identity = map[string]string{"experiment_sha256": "aaa", "version": "1", "base_sha256": "bbb"}
	_, err := Execute(context.Background(), s)
	if !errors.Is(err, ErrMismatch) || !strings.Contains(err.Error(), `base_sha256 "bbb", not ""`) {
		t.Fatalf("got %v", err)
	}
	s.Identity = map[string]string{"experiment_sha256": "aaa", "version": "2"}
	if _, err := Execute(context.Background(), s); !errors.Is(err, ErrMismatch) || !strings.Contains(err.Error(), "version") {
		t.Fatalf("got %v", err)
	}
	_ = dir
}

func TestResumeRefusesDamagedTables(t *testing.T) {
	damage := map[string]func(dir string) error{
		"rows.csv deleted": func(dir string) error { return os.Remove(filepath.Join(dir, RowsFile)) },
		"runs.csv truncated": func(dir string) error {
			return os.Truncate(filepath.Join(dir, RunsFile), 40)
		},
		"rows.csv zeroed": func(dir string) error { // what a crash on some file systems leaves
			p := filepath.Join(dir, RowsFile)
			b, _ := os.ReadFile(p)
			return os.WriteFile(p, make([]byte, len(b)), 0o644)
		},
		"rows.csv recreated empty": func(dir string) error {
			return os.WriteFile(filepath.Join(dir, RowsFile), nil, 0o644)
		},
		"a value edited": func(dir string) error {
			p := filepath.Join(dir, RowsFile)
			b, _ := os.ReadFile(p)
			return os.WriteFile(p, bytes.Replace(b, []byte("0."), []byte("1."), 1), 0o644)
		},
		"journal past the end": func(dir string) error {
			f, err := os.OpenFile(filepath.Join(dir, journalFile), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			_, err = f.WriteString("20 99999 99999 0 " + strings.Repeat("a", 64) + " " + strings.Repeat("b", 64) + "\n")
			return errors.Join(err, f.Close())
		},
	}
	for name, f := range damage {
		t.Run(name, func(t *testing.T) {
			dir, s := interrupted(t)
			if err := f(dir); err != nil {
				t.Fatal(err)
			}
			_, err := Execute(context.Background(), s)
			if !errors.Is(err, ErrDamaged) {
				t.Fatalf("resumed a damaged batch: %v", err)
			}
		})
	}
}

func TestKillInTheFinishingStepIsRestartable(t *testing.T) {
	dir := t.TempDir()
	s := toySpec(dir, 10, 2, 4, 0)
	if _, err := Execute(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	// The caller's finishing step was killed before Finish: resume hands the batch back.
	s.Resume = true
	var runs atomic.Int32
	exec := s.Exec
	s.Exec = func(ctx context.Context, id int) ([][]string, error) { runs.Add(1); return exec(ctx, id) }
	res, err := Execute(context.Background(), s)
	if err != nil || res.Skipped != 10 || res.Done != 10 || res.Failed != 4 || runs.Load() != 0 {
		t.Fatalf("got %+v, %v, %d runs executed", res, err, runs.Load())
	}
	if st, _, _ := StateOf(dir); st != Finishing {
		t.Fatalf("state %v, want Finishing", st)
	}
	if err := Finish(dir); err != nil {
		t.Fatal(err)
	}
	if st, _, _ := StateOf(dir); st != Finished {
		t.Fatalf("state %v, want Finished", st)
	}
	if _, err := Execute(context.Background(), s); !errors.Is(err, ErrComplete) {
		t.Fatalf("got %v", err)
	}
}

// shards runs a 24-run batch as one folder and as three shards.
func shards(t *testing.T) (whole string, parts []string) {
	t.Helper()
	spec := func(dir string, first, count int) Spec {
		s := toySpec(dir, count, 2, 5, 0)
		s.First, s.Total, s.RowsPerRun = first, 24, 3
		s.Identity = map[string]string{"experiment_sha256": "e"}
		return s
	}
	whole = t.TempDir()
	if _, err := Execute(context.Background(), spec(whole, 0, 24)); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		d := filepath.Join(t.TempDir(), "shard")
		first, count := ShardRange(24, i, 3)
		s := spec(d, first, count)
		s.Shard, s.Shards = i, 3
		if _, err := Execute(context.Background(), s); err != nil {
			t.Fatal(err)
		}
		if err := Finish(d); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, d)
	}
	return whole, parts
}

func TestMergeGivesTheSameTablesAndChecksEveryShard(t *testing.T) {
	whole, parts := shards(t)
	out := filepath.Join(t.TempDir(), "merged")
	res, err := Merge(out, parts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 24 || res.Failed != 9 {
		t.Fatalf("%+v", res)
	}
	for _, f := range []string{RunsFile, RowsFile} {
		if !bytes.Equal(read(t, whole, f), read(t, out, f)) {
			t.Fatalf("merged %s differs from one machine's", f)
		}
	}
	if _, err := Verify(out); err != nil {
		t.Fatalf("the merged folder does not verify: %v", err)
	}
	// A line removed or a value edited in a shard's rows.csv is found.
	for name, edit := range map[string]func([]byte) []byte{
		"line removed": func(b []byte) []byte {
			lines := bytes.SplitAfter(b, []byte("\n"))
			return bytes.Join(append(lines[:3:3], lines[4:]...), nil)
		},
		"value edited": func(b []byte) []byte { return bytes.Replace(b, []byte(",0."), []byte(",9."), 1) },
	} {
		_, parts := shards(t)
		p := filepath.Join(parts[1], RowsFile)
		b, _ := os.ReadFile(p)
		if err := os.WriteFile(p, edit(b), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Merge(filepath.Join(t.TempDir(), "m"), parts); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), parts[1]) {
			t.Errorf("%s: merged a tampered shard: %v", name, err)
		}
	}
	// Shards out of order, missing, or of another identity are refused.
	if _, err := Merge(filepath.Join(t.TempDir(), "m"), []string{parts[0], parts[2]}); err == nil {
		t.Error("merged with a shard missing")
	}
	if _, err := Merge(filepath.Join(t.TempDir(), "m"), []string{parts[1], parts[0], parts[2]}); err == nil {
		t.Error("merged shards out of order")
	}
}

func TestRowsPerRunIsEnforced(t *testing.T) {
	dir := t.TempDir()
	s := toySpec(dir, 4, 1, 0, 0)
	s.RowsPerRun = 2 // the toy returns 3
	res, err := Execute(context.Background(), s)
	if err != nil || res.Failed != 4 {
		t.Fatalf("got %+v, %v", res, err)
	}
	if !strings.Contains(string(read(t, dir, RunsFile)), "the run returned 3 result rows, want 2") {
		t.Fatal("the row count mismatch is not recorded")
	}
}

func TestForEachStopsAtTheFirstError(t *testing.T) {
	var ran atomic.Int32
	boom := errors.New("boom")
	err := ForEach(context.Background(), 1000, 2, func(ctx context.Context, i int) error {
		ran.Add(1)
		if i == 3 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || ran.Load() >= 1000 {
		t.Fatalf("got %v after %d tasks", err, ran.Load())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ForEach(ctx, 10, 2, func(context.Context, int) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	err = ForEach(context.Background(), 5, 2, func(_ context.Context, i int) error {
		if i == 2 {
			var m map[string]int
			m["x"] = 1 // a nil map write panics
		}
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "task 2: panic: assignment to entry in nil map") {
		t.Fatalf("a panicking task: %v", err)
	}
}

func TestTwoProcessesCannotWriteOneBatch(t *testing.T) {
	dir, s := interrupted(t)
	// Another process holds the journal's lock: a resume is refused.
	f, err := os.OpenFile(filepath.Join(dir, journalFile), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := lock(f, dir); err != nil {
		t.Fatal(err)
	}
	if _, err := Execute(context.Background(), s); err == nil || !strings.Contains(err.Error(), "another countysim is writing this batch") {
		t.Fatalf("got %v", err)
	}
	f.Close()
	if _, err := Execute(context.Background(), s); err != nil {
		t.Fatalf("after the lock is released: %v", err)
	}
	// A start killed before its record was written leaves an empty journal: a new start
	// clears it and goes on.
	dir2 := t.TempDir()
	os.WriteFile(filepath.Join(dir2, journalFile), nil, 0o644)
	if _, err := Execute(context.Background(), toySpec(dir2, 3, 1, 0, 0)); err != nil {
		t.Fatalf("start after an aborted start: %v", err)
	}
}
