package batch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// toySpec is a batch whose runs do a little seeded work, sleep a run-dependent time (so runs
// finish out of order) and fail when id%fail == fail-1.
func toySpec(dir string, count, workers, fail int, delay time.Duration) Spec {
	return Spec{
		Dir: dir, Count: count, Workers: workers,
		RunHeader: []string{"seed"},
		RowHeader: []string{"k", "value"},
		Describe:  func(id int) []string { return []string{strconv.FormatUint(Seed(7, id), 10)} },
		Exec: func(ctx context.Context, id int) ([][]string, error) {
			r := rand.New(rand.NewPCG(Seed(7, id), 1))
			select {
			case <-time.After(time.Duration((id*7919)%5) * delay):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			if fail > 0 && id%fail == fail-1 {
				return nil, fmt.Errorf("run %d: model error, with a comma, and\na newline", id)
			}
			if fail > 0 && id%fail == fail-2 {
				panic("boom")
			}
			var rows [][]string
			for k := 0; k < 3; k++ {
				rows = append(rows, []string{strconv.Itoa(k), strconv.FormatFloat(r.Float64(), 'g', -1, 64)})
			}
			return rows, nil
		},
	}
}

func read(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSameBytesWhateverTheWorkerCount(t *testing.T) {
	var ref []byte
	for _, w := range []int{1, 2, 7} {
		dir := t.TempDir()
		res, err := Execute(context.Background(), toySpec(dir, 40, w, 0, time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		if res.Done != 40 {
			t.Fatalf("workers %d: %d runs done, want 40", w, res.Done)
		}
		got := append(read(t, dir, RunsFile), read(t, dir, RowsFile)...)
		if ref == nil {
			ref = got
		} else if !bytes.Equal(ref, got) {
			t.Fatalf("workers %d gave different bytes than workers 1", w)
		}
		if _, err := os.Stat(filepath.Join(dir, journalFile)); err != nil {
			t.Fatal("the journal must stay until Finish")
		}
		if err := Finish(dir); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(dir, journalFile)); !os.IsNotExist(err) {
			t.Fatal("a finished batch left its journal behind")
		}
	}
	if n := bytes.Count(ref, []byte("\n")); n != 1+40+1+120 {
		t.Fatalf("want 40 run rows and 120 result rows plus headers, got %d lines", n)
	}
}

func TestFailedRunIsRecordedAndBatchGoesOn(t *testing.T) {
	dir := t.TempDir()
	res, err := Execute(context.Background(), toySpec(dir, 20, 3, 5, 0))
	if err != nil {
		t.Fatal(err)
	}
	if res.Done != 20 || res.Failed != 8 {
		t.Fatalf("done %d failed %d, want 20 and 8 (4 errors, 4 panics)", res.Done, res.Failed)
	}
	runs := string(read(t, dir, RunsFile))
	if !strings.Contains(runs, "run 4: model error, with a comma") || !strings.Contains(runs, "panic: boom") {
		t.Fatalf("runs.csv does not record the errors:\n%s", runs)
	}
	rows := string(read(t, dir, RowsFile))
	if strings.Contains(rows, "\n4,") || strings.Contains(rows, "\n3,") {
		t.Fatal("a failed run left result rows")
	}
}

func TestRefusesToOverwriteOrResumeWrongly(t *testing.T) {
	dir := t.TempDir()
	if _, err := Execute(context.Background(), toySpec(dir, 5, 2, 0, 0)); err != nil {
		t.Fatal(err)
	}
	if err := Finish(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := Execute(context.Background(), toySpec(dir, 5, 2, 0, 0)); !errors.Is(err, ErrExists) {
		t.Fatalf("a second batch into a finished folder should fail with ErrExists, got %v", err)
	}
	s := toySpec(dir, 5, 2, 0, 0)
	s.Resume = true
	if res, err := Execute(context.Background(), s); !errors.Is(err, ErrComplete) || res.Skipped != 5 {
		t.Fatalf("resuming a finished batch should say it is complete, got %v, %+v", err, res)
	}
}

func TestCtrlCStopsCleanlyAndResumeCompletes(t *testing.T) {
	ref := t.TempDir()
	if _, err := Execute(context.Background(), toySpec(ref, 60, 2, 7, 2*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	s := toySpec(dir, 60, 2, 7, 2*time.Millisecond)
	s.Progress = func(done, total int) {
		if done == 20 {
			cancel()
		}
	}
	res, err := Execute(ctx, s)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled after cancel, got %v", err)
	}
	if res.Done >= 60 || res.Done < 20 {
		t.Fatalf("cancelled batch reports %d runs done", res.Done)
	}
	s = toySpec(dir, 60, 3, 7, 2*time.Millisecond)
	s.Resume = true
	executed := 0
	exec := s.Exec
	s.Exec = func(ctx context.Context, id int) ([][]string, error) {
		executed++
		return exec(ctx, id)
	}
	s.Workers = 1
	res2, err := Execute(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if res2.Skipped != res.Done || executed > 60-res.Done {
		t.Fatalf("resume skipped %d and executed %d runs; %d were done before", res2.Skipped, executed, res.Done)
	}
	for _, f := range []string{RunsFile, RowsFile} {
		if !bytes.Equal(read(t, ref, f), read(t, dir, f)) {
			t.Fatalf("%s after interrupt and resume differs from an uninterrupted batch", f)
		}
	}
}

// TestKillNineThenResume runs a batch in a child process, kills it with SIGKILL part-way, then
// resumes here and compares with an uninterrupted batch byte for byte.
func TestKillNineThenResume(t *testing.T) {
	if dir := os.Getenv("BATCH_CHILD_DIR"); dir != "" {
		_, _ = Execute(context.Background(), toySpec(dir, 200, 2, 9, 3*time.Millisecond))
		os.Exit(0)
	}
	ref := t.TempDir()
	if _, err := Execute(context.Background(), toySpec(ref, 200, 2, 9, 3*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	for trial := 0; trial < 3; trial++ {
		dir := t.TempDir()
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillNineThenResume$")
		cmd.Env = append(os.Environ(), "BATCH_CHILD_DIR="+dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until some runs are committed, then kill without warning.
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			b, _ := os.ReadFile(filepath.Join(dir, RunsFile))
			if bytes.Count(b, []byte("\n")) > 30+20*trial {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		if _, err := os.Stat(filepath.Join(dir, journalFile)); err != nil {
			t.Skip("child finished before it could be killed")
		}
		s := toySpec(dir, 200, 2, 9, 3*time.Millisecond)
		s.Resume = true
		if _, err := Execute(context.Background(), s); err != nil && !errors.Is(err, ErrComplete) {
			t.Fatal(err)
		}
		for _, f := range []string{RunsFile, RowsFile} {
			if !bytes.Equal(read(t, ref, f), read(t, dir, f)) {
				t.Fatalf("trial %d: %s after kill -9 and resume differs from an uninterrupted batch", trial, f)
			}
		}
	}
}

func TestShardRangeAndSeeds(t *testing.T) {
	dir := t.TempDir()
	s := toySpec(dir, 10, 2, 0, 0)
	s.First = 30
	if _, err := Execute(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	runs := strings.Split(strings.TrimSpace(string(read(t, dir, RunsFile))), "\n")
	if len(runs) != 11 || !strings.HasPrefix(runs[1], "30,") || !strings.HasPrefix(runs[10], "39,") {
		t.Fatalf("shard should hold runs 30..39, got %q ... %q", runs[1], runs[len(runs)-1])
	}
	if Seed(1, 0) == Seed(1, 1) || Seed(1, 0) == Seed(2, 0) {
		t.Fatal("Seed must differ by index and master")
	}
	// The documented rule (SplitMix64 of master + golden-ratio increment x (index+1)): its
	// first output for state 1 is SplitMix64's published first value, 0x910a2dec89025cc1.
	for _, c := range []struct {
		master uint64
		index  int
		want   uint64
	}{{1, 0, 0x910a2dec89025cc1}, {1, 1, 0xbeeb8da1658eec67}, {2026, 5, 0xb9f5a07176645a03}} {
		if got := Seed(c.master, c.index); got != c.want {
			t.Errorf("Seed(%d, %d) = %#x, want %#x: replications of every saved experiment would change", c.master, c.index, got, c.want)
		}
	}
}

// TestStartKilledBeforeItsFirstEntry checks that a batch killed after writing its record and
// table headers but before its first journal entry (an empty journal: nothing committed) is
// started again by a resume, and gives the files of an uninterrupted batch, while a batch that
// committed runs is not cleared.
func TestStartKilledBeforeItsFirstEntry(t *testing.T) {
	ref := t.TempDir()
	if _, err := Execute(context.Background(), toySpec(ref, 6, 2, 0, 0)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rec := bytes.Replace(read(t, ref, RecordFile), []byte(`"complete": true`), []byte(`"complete": false`), 1)
	os.WriteFile(filepath.Join(dir, RecordFile), rec, 0o644)
	os.WriteFile(filepath.Join(dir, journalFile), nil, 0o644)
	os.WriteFile(filepath.Join(dir, RunsFile), []byte("run_id,seed,status,error\n"), 0o644)
	os.Mkdir(filepath.Join(dir, spoolDir), 0o755)
	s := toySpec(dir, 6, 2, 0, 0)
	s.Resume = true
	if _, err := Execute(context.Background(), s); err != nil {
		t.Fatalf("resume of a start killed before its first entry: %v", err)
	}
	for _, f := range []string{RunsFile, RowsFile, RecordFile} {
		if !bytes.Equal(read(t, dir, f), read(t, ref, f)) {
			t.Errorf("%s differs from an uninterrupted batch's", f)
		}
	}
	// A journal with an entry is an interrupted batch, not a stale start.
	if cleared, err := ClearStaleStart(ref); err != nil || cleared {
		t.Errorf("a batch with a journal entry: cleared %v, %v", cleared, err)
	}
}

// TestDamagedSpoolFileIsRunAgain checks that a spool file that is not what a run writes (a
// disk or tool fault between an interruption and its resume) is discarded and its run done
// again, rather than committed to the tables for good.
func TestDamagedSpoolFileIsRunAgain(t *testing.T) {
	ref := t.TempDir()
	if _, err := Execute(context.Background(), toySpec(ref, 8, 2, 0, 0)); err != nil {
		t.Fatal(err)
	}
	dir := interruptedToy(t)
	// The next runs' spool files, damaged in three ways.
	e, _ := readJournal(mustOpen(t, filepath.Join(dir, journalFile)))
	for i, bad := range []string{"999,1,2,3\n", fmt.Sprintf("%d,1,ok,\n%d,0\n", e.last+2, e.last+2), fmt.Sprintf("%d,1,nonsense,\n", e.last+3)} {
		os.WriteFile(spoolPath(dir, e.last+1+i), []byte(bad), 0o644)
	}
	s := toySpec(dir, 8, 2, 0, 0)
	s.Resume = true
	if _, err := Execute(context.Background(), s); err != nil {
		t.Fatalf("resume: %v", err)
	}
	for _, f := range []string{RunsFile, RowsFile} {
		if !bytes.Equal(read(t, dir, f), read(t, ref, f)) {
			t.Errorf("%s differs from an uninterrupted batch's", f)
		}
	}
}

func mustOpen(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestResumeWithATableItCannotWrite checks that a resume whose table is read-only is told so
// (an os.ErrPermission, which the commands turn into exit 2), not that the table is missing
// and the batch should be started again.
func TestResumeWithATableItCannotWrite(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes into read-only files")
	}
	dir := interruptedToy(t)
	os.Chmod(filepath.Join(dir, RowsFile), 0o444)
	s := toySpec(dir, 8, 1, 0, 0)
	s.Resume = true
	_, err := Execute(context.Background(), s)
	if !errors.Is(err, os.ErrPermission) || !strings.Contains(err.Error(), "rows.csv cannot be written") || errors.Is(err, ErrDamaged) {
		t.Fatalf("resume with a read-only rows.csv: %v", err)
	}
}

// interruptedToy returns a folder holding an 8-run toy batch stopped after its third run.
func interruptedToy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := toySpec(dir, 8, 1, 0, 0)
	s.Progress = func(done, _ int) {
		if done == 3 {
			cancel()
		}
	}
	if _, err := Execute(ctx, s); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted batch: %v", err)
	}
	return dir
}
