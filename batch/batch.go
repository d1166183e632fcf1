// Package batch executes many independent simulation runs in parallel and streams their
// results to disk in run order, so that memory stays flat in the number of runs, the result
// files are the same bytes whatever the worker count, and an interrupted batch (Ctrl-C or
// kill -9) resumes without redoing finished runs and without duplicates or gaps.
//
// A batch folder is batch's own format; callers use only this package's functions on it.
// It holds:
//
//   - batch.json, the record: what the batch computes (the caller's identity: experiment,
//     base scenario and tool version hashes), its run range and table headers, and once every
//     run is committed, the table sizes and SHA-256 sums;
//   - runs.csv (one row per run: id, the caller's columns, status, error) and rows.csv (the
//     caller's result rows, any number per run);
//   - while unfinished, a journal and a spool folder.
//
// A worker that finishes run i writes spool/i.run atomically; a single committer appends
// finished runs to the tables strictly in id order, fsyncs them and then records in the
// journal the byte offsets reached and the SHA-256 of each table up to them. On resume the
// tables are checked against the journal (a table deleted, truncated, padded or edited since
// is refused), cut back to the last journalled offsets, and every run with a spool file is
// taken as done. When every run is committed the record is completed, but the journal stays
// until the caller's own finishing step is done and it calls Finish: a kill in that step
// leaves a folder that Execute with Resume hands back for finishing again. While a process
// writes a batch it holds an exclusive lock on the journal, so a second process on the same
// folder is refused instead of interleaving its runs.
package batch

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// File names inside a batch folder that callers may read.
const (
	RunsFile   = "runs.csv"
	RowsFile   = "rows.csv"
	RecordFile = "batch.json"
)

const (
	journalFile = ".journal"
	spoolDir    = "spool"
	format      = 2
)

// Status values of a run.
const (
	StatusOK     = "ok"
	StatusFailed = "failed"
)

// Spec declares a batch. Runs are numbered First .. First+Count-1 (a shard of a larger
// experiment holds a contiguous range).
type Spec struct {
	Dir   string
	First int
	Count int
	// Total is the number of runs of the whole experiment a shard belongs to (0: Count), and
	// Shard of Shards its place in the split (both 0 for an unsplit batch).
	Total, Shard, Shards int
	// Workers is the number of runs executed at once; 0 means runtime.NumCPU().
	Workers int
	// Identity says what the batch computes (experiment hash, base scenario hash, tool
	// version ...). It is recorded; a resume or a merge with a different identity is refused.
	Identity map[string]string
	// RunHeader and RowHeader name the caller's columns of runs.csv (after "run_id") and of
	// rows.csv (after "run_id").
	RunHeader []string
	RowHeader []string
	// RowsPerRun is the number of rows a successful run returns (a failed run returns none);
	// 0 means any. Exec returning another number fails the run, and Inspect checks it.
	RowsPerRun int
	// Describe returns run id's own columns of runs.csv (factors, replication, seed ...).
	Describe func(id int) []string
	// Exec runs one simulation and returns its result rows (without the run id). It should
	// return promptly with ctx.Err() when ctx is cancelled. A returned error or a panic marks
	// the run failed; the batch goes on.
	Exec func(ctx context.Context, id int) ([][]string, error)
	// Resume continues a batch whose folder already holds part of it.
	Resume bool
	// Progress, if set, is called from one goroutine after every committed run.
	Progress func(done, total int)
}

// Result says how a batch ended.
type Result struct {
	Done, Failed, Skipped, Total int
}

// Sum is a table's size and SHA-256.
type Sum struct {
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// Record is the content of batch.json.
type Record struct {
	Format     int               `json:"format"`
	Identity   map[string]string `json:"identity"`
	First      int               `json:"first_run"`
	Count      int               `json:"runs"`
	Total      int               `json:"total_runs"`
	Shard      int               `json:"shard"`
	Shards     int               `json:"shards"`
	RunHeader  []string          `json:"run_header"`
	RowHeader  []string          `json:"row_header"`
	RowsPerRun int               `json:"rows_per_run"`
	// Complete is set once every run is committed; then Failed, Runs and Rows are final.
	Complete bool `json:"complete"`
	Failed   int  `json:"failed_runs"`
	Runs     Sum  `json:"runs_csv"`
	Rows     Sum  `json:"rows_csv"`
}

var (
	// ErrExists is returned when the folder already holds a batch and Resume is false.
	ErrExists = errors.New("folder already holds a batch")
	// ErrComplete is returned when Resume is asked of a batch that is finished (its caller's
	// finishing step done too): there is nothing to do.
	ErrComplete = errors.New("the batch is already complete")
	// ErrMismatch is returned when a resume or a merge would combine runs of different
	// batches: another identity, run range or table layout.
	ErrMismatch = errors.New("the folder holds a different batch")
	// ErrDamaged is returned when a table no longer matches what was recorded for it.
	ErrDamaged = errors.New("the batch folder was changed after it was written")
	// ErrBusy is returned when another process holds the batch's journal: it is writing the
	// batch now.
	ErrBusy = errors.New("another countysim is writing this batch now")
)

// Execute runs the batch. When ctx is cancelled it stops dispatching, lets runs in flight
// end, commits what finished and returns ctx.Err() with the folder ready for Resume. When
// every run is committed it completes the record and returns nil; the caller then does its
// own finishing and calls Finish. Resuming a batch whose runs are all committed but whose
// Finish was not reached returns at once with every run skipped, for the caller to finish
// again.
func Execute(ctx context.Context, s Spec) (Result, error) {
	res := Result{Total: s.Count}
	if s.Workers <= 0 {
		s.Workers = runtime.NumCPU()
	}
	if s.Total == 0 {
		s.Total = s.Count
	}
	c, rec, err := openCommitter(s)
	if err != nil {
		if errors.Is(err, ErrComplete) {
			res.Done, res.Skipped, res.Failed = s.Count, s.Count, rec.Failed
		}
		return res, err
	}
	if c == nil { // all committed, the caller's finishing step is to be redone
		res.Done, res.Skipped, res.Failed = s.Count, s.Count, rec.Failed
		return res, nil
	}
	defer c.close()
	res.Skipped = c.next - s.First
	done := c.spooled()
	var todo []int
	for id := c.next; id < s.First+s.Count; id++ {
		if !done[id] {
			todo = append(todo, id)
		}
	}
	finished := make(chan int, s.Workers)
	poolErr := make(chan error, 1)
	go func() {
		poolErr <- ForEach(ctx, len(todo), s.Workers, func(ctx context.Context, k int) error {
			if err := runOne(ctx, s, todo[k]); err != nil {
				return err
			}
			finished <- todo[k]
			return nil
		})
		close(finished)
	}()

	ticker := time.NewTicker(500 * time.Millisecond)
	defer ticker.Stop()
	for id := range done {
		c.ready[id] = true
	}
	flushed := true
	for open := true; open; {
		select {
		case id, ok := <-finished:
			if !ok {
				open = false
				break
			}
			c.ready[id] = true
			flushed = false
		case <-ticker.C:
		}
		n, err := c.commitReady(s.Progress)
		if err != nil {
			return res, err
		}
		if n > 0 || !flushed {
			if err := c.sync(); err != nil {
				return res, err
			}
			flushed = true
		}
	}
	perr := <-poolErr
	if _, err := c.commitReady(s.Progress); err != nil {
		return res, err
	}
	if err := c.sync(); err != nil {
		return res, err
	}
	res.Done, res.Failed = c.next-s.First, c.failed
	if c.next < s.First+s.Count {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if perr != nil {
			return res, perr
		}
		return res, fmt.Errorf("batch stopped after %d of %d runs", c.next-s.First, s.Count)
	}
	return res, c.complete()
}

// ForEach runs task(ctx, i) for i = 0 .. n-1 on at most workers goroutines. The first task
// error cancels the context the others see and is returned once every task started has
// ended; when ctx is cancelled it stops dispatching and returns ctx.Err(). A panicking task
// is a failed task (its error names the panic), not a crash of the program. This is the one
// worker pool of countysim: batches, comparisons and ensembles all run on it.
func ForEach(ctx context.Context, n, workers int, task func(ctx context.Context, i int) error) error {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers = max(1, min(workers, n))
	jobs := make(chan int)
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed error
	)
	run := func(i int) (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("task %d: panic: %v", i, p)
			}
		}()
		return task(runCtx, i)
	}
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				if err := run(i); err != nil {
					mu.Lock()
					if failed == nil && runCtx.Err() == nil {
						failed = err
						cancel()
					}
					mu.Unlock()
				}
			}
		})
	}
	for i := range n {
		select {
		case jobs <- i:
			continue
		case <-runCtx.Done():
		}
		break
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	return failed
}

// runOne executes run id and spools its result. It returns an error only when the run was
// cancelled (it must not be recorded) or its spool file could not be written.
func runOne(ctx context.Context, s Spec, id int) (err error) {
	var rows [][]string
	var runErr error
	func() {
		defer func() {
			if p := recover(); p != nil {
				// The value only: a stack trace would differ between runs and break
				// byte-identical results.
				runErr = fmt.Errorf("panic: %v", p)
			}
		}()
		rows, runErr = s.Exec(ctx, id)
	}()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if runErr == nil && s.RowsPerRun > 0 && len(rows) != s.RowsPerRun {
		runErr = fmt.Errorf("the run returned %d result rows, want %d", len(rows), s.RowsPerRun)
	}
	status, msg := StatusOK, ""
	if runErr != nil {
		status, msg, rows = StatusFailed, runErr.Error(), nil
	}
	run := append([]string{strconv.Itoa(id)}, s.Describe(id)...)
	run = append(run, status, msg)
	return writeSpool(s.Dir, id, run, rows)
}

func spoolPath(dir string, id int) string {
	return filepath.Join(dir, spoolDir, fmt.Sprintf("%09d.run", id))
}

// writeSpool writes a finished run's records atomically: the runs record first, then its rows.
func writeSpool(dir string, id int, run []string, rows [][]string) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(run)
	for _, r := range rows {
		_ = w.Write(append([]string{strconv.Itoa(id)}, r...))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return WriteFileAtomic(spoolPath(dir, id), buf.Bytes())
}

// WriteFileAtomic writes data to a temporary file beside path, syncs it and renames it to
// path, so that a reader (or a crash) sees the old file or the new one, never a part. The
// temporary file is removed on error.
func WriteFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	err = errors.Join(err, f.Chmod(0o644), f.Sync(), f.Close())
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// committer appends finished runs to the tables in id order.
type committer struct {
	s            Spec
	rec          Record
	runs, rows   *os.File
	journal      *os.File
	runsH, rowsH hash.Hash
	next         int
	failed       int
	ready        map[int]bool
	pending      []int // committed but not yet journalled
}

// newRecord is the record a spec starts.
func newRecord(s Spec) Record {
	id := s.Identity
	if id == nil {
		id = map[string]string{}
	}
	return Record{Format: format, Identity: id, First: s.First, Count: s.Count, Total: s.Total,
		Shard: s.Shard, Shards: s.Shards, RunHeader: slices.Clone(s.RunHeader), RowHeader: slices.Clone(s.RowHeader), RowsPerRun: s.RowsPerRun}
}

// ReadRecord reads a batch folder's record.
func ReadRecord(dir string) (Record, error) {
	var r Record
	data, err := os.ReadFile(filepath.Join(dir, RecordFile))
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return r, fmt.Errorf("%s: %w", filepath.Join(dir, RecordFile), err)
	}
	if r.Format != format {
		return r, fmt.Errorf("%s: format %d, this countysim reads format %d; run the batch again with this version", filepath.Join(dir, RecordFile), r.Format, format)
	}
	return r, nil
}

func writeRecord(dir string, r Record) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dir, RecordFile), append(b, '\n'))
}

// Differences lists how two records disagree on what their batches compute: identity
// entries, run layout and table headers. Run ranges of shards are not compared.
func Differences(a, b Record) []string {
	var out []string
	keys := slices.Sorted(maps.Keys(a.Identity))
	for k := range b.Identity {
		if _, ok := a.Identity[k]; !ok {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		if a.Identity[k] != b.Identity[k] {
			out = append(out, fmt.Sprintf("%s %q, not %q", k, short(b.Identity[k]), short(a.Identity[k])))
		}
	}
	if a.Total != b.Total {
		out = append(out, fmt.Sprintf("%d runs in all, not %d", b.Total, a.Total))
	}
	if !slices.Equal(a.RunHeader, b.RunHeader) || !slices.Equal(a.RowHeader, b.RowHeader) || a.RowsPerRun != b.RowsPerRun {
		out = append(out, "other table columns")
	}
	return out
}

func short(s string) string {
	if len(s) == 64 {
		return s[:12]
	}
	return s
}

func openCommitter(s Spec) (*committer, Record, error) {
	want := newRecord(s)
	rec, recErr := ReadRecord(s.Dir)
	_, jErr := os.Stat(filepath.Join(s.Dir, journalFile))
	hasJournal := jErr == nil
	// A start killed before it committed anything is started again (with Resume too: nothing
	// of it can be resumed, and nothing is lost).
	if cleared, err := ClearStaleStart(s.Dir); err != nil {
		return nil, want, err
	} else if cleared {
		c, err := create(s, want)
		return c, want, err
	}
	switch {
	case errors.Is(recErr, os.ErrNotExist):
		if entries, _ := os.ReadDir(s.Dir); s.Resume && !hasJournal && !holds(entries, RunsFile) {
			return nil, want, fmt.Errorf("%s: no batch to resume (it has no %s)", s.Dir, RecordFile)
		}
		if hasJournal || fileExists(filepath.Join(s.Dir, RunsFile)) {
			return nil, want, fmt.Errorf("%s: %w, written by an older countysim (no %s); choose another folder", s.Dir, ErrExists, RecordFile)
		}
		c, err := create(s, want)
		return c, want, err
	case recErr != nil:
		return nil, want, recErr
	}
	if !s.Resume {
		if !hasJournal {
			return nil, rec, fmt.Errorf("%s: %w (a finished one)", s.Dir, ErrExists)
		}
		return nil, rec, fmt.Errorf("%s: %w that was interrupted", s.Dir, ErrExists)
	}
	if d := Differences(rec, want); len(d) > 0 || rec.First != s.First || rec.Count != s.Count {
		if rec.First != s.First || rec.Count != s.Count {
			d = append(d, fmt.Sprintf("runs %d-%d, not %d-%d", rec.First, rec.First+rec.Count-1, s.First, s.First+s.Count-1))
		}
		return nil, rec, fmt.Errorf("%s: %w: it has %s", s.Dir, ErrMismatch, strings.Join(d, "; "))
	}
	if !hasJournal {
		if !rec.Complete {
			return nil, rec, fmt.Errorf("%s: %w: its journal is gone but its runs were never all committed; start again in a new folder", s.Dir, ErrDamaged)
		}
		return nil, rec, fmt.Errorf("%s: %w", s.Dir, ErrComplete)
	}
	if rec.Complete {
		// Interrupted in the caller's finishing step: check the tables and hand it back.
		if err := verifyTables(s.Dir, rec); err != nil {
			return nil, rec, err
		}
		_ = os.RemoveAll(filepath.Join(s.Dir, spoolDir))
		return nil, rec, nil
	}
	c, err := resume(s, rec)
	return c, rec, err
}

func holds(entries []os.DirEntry, name string) bool {
	for _, e := range entries {
		if e.Name() == name {
			return true
		}
	}
	return false
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// ClearStaleStart removes what a start killed before it committed anything left in dir: a
// journal still empty (created, locked, then the record and the table headers written before
// the first entry), with the record, tables and spool that start made, but not a complete
// batch's. It reports whether there was such a start; a journal another process holds is an
// error (it is starting now).
func ClearStaleStart(dir string) (bool, error) {
	f, err := os.OpenFile(filepath.Join(dir, journalFile), os.O_RDWR, 0)
	if err != nil {
		return false, nil // no journal
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || st.Size() != 0 {
		return false, err
	}
	if err := lock(f, dir); err != nil {
		return false, err
	}
	if rec, err := ReadRecord(dir); err == nil && rec.Complete {
		return false, nil
	}
	for _, n := range []string{RecordFile, RunsFile, RowsFile, spoolDir, journalFile} {
		if err := os.RemoveAll(filepath.Join(dir, n)); err != nil {
			return false, err
		}
	}
	removeRecordTemps(dir)
	return true, nil
}

// removeRecordTemps removes the temporary files of record writes (WriteFileAtomic) an
// interruption left in dir; call it holding the journal's lock.
func removeRecordTemps(dir string) {
	tmps, _ := filepath.Glob(filepath.Join(dir, "."+RecordFile+".*.tmp"))
	for _, t := range tmps {
		_ = os.Remove(t)
	}
}

// create starts a batch in a folder that holds none.
func create(s Spec, rec Record) (*committer, error) {
	if err := os.MkdirAll(filepath.Join(s.Dir, spoolDir), 0o755); err != nil {
		return nil, err
	}
	c := &committer{s: s, rec: rec, next: s.First, ready: map[int]bool{}, runsH: sha256.New(), rowsH: sha256.New()}
	// The journal comes first, created exclusively and locked, so that of two processes
	// starting the same folder at once one goes on and the other is refused.
	var err error
	if c.journal, err = os.OpenFile(filepath.Join(s.Dir, journalFile), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644); err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("%s: %w: another countysim is starting it", s.Dir, ErrExists)
		}
		return nil, err
	}
	if err := lock(c.journal, s.Dir); err != nil {
		c.close()
		return nil, err
	}
	if err := writeRecord(s.Dir, rec); err != nil {
		c.close()
		return nil, err
	}
	open := func(p string) (*os.File, error) {
		return os.OpenFile(filepath.Join(s.Dir, p), os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	}
	if c.runs, err = open(RunsFile); err != nil {
		c.close()
		return nil, err
	}
	if c.rows, err = open(RowsFile); err != nil {
		c.close()
		return nil, err
	}
	if err := errors.Join(
		c.writeHeader(c.runs, c.runsH, append(append([]string{"run_id"}, s.RunHeader...), "status", "error")),
		c.writeHeader(c.rows, c.rowsH, append([]string{"run_id"}, s.RowHeader...)),
		c.runs.Sync(), c.rows.Sync()); err != nil {
		c.close()
		return nil, err
	}
	if err := c.journalEntry(s.First - 1); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

func (c *committer) writeHeader(f *os.File, h hash.Hash, cols []string) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(cols)
	w.Flush()
	h.Write(buf.Bytes())
	_, err := f.Write(buf.Bytes())
	return err
}

// lock takes an exclusive advisory lock on the journal, held until it is closed, so that two
// processes never write one batch.
func lock(f *os.File, dir string) error {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return fmt.Errorf("%s: %w; wait for it to end", dir, ErrBusy)
		}
		return fmt.Errorf("%s: locking the journal: %w", dir, err)
	}
	return nil
}

// entry is one journal line: the last committed run, the table offsets and sums after it,
// and the failures so far.
type entry struct {
	last             int
	runsOff, rowsOff int64
	failed           int
	runsSum, rowsSum string
}

// resume opens an interrupted batch: the tables are checked against the journal and cut back
// to its last entry.
func resume(s Spec, rec Record) (*committer, error) {
	jpath := filepath.Join(s.Dir, journalFile)
	c := &committer{s: s, rec: rec, ready: map[int]bool{}, runsH: sha256.New(), rowsH: sha256.New()}
	var err error
	if c.journal, err = os.OpenFile(jpath, os.O_RDWR, 0o644); err != nil {
		return nil, err
	}
	if err := lock(c.journal, s.Dir); err != nil {
		c.close()
		return nil, err
	}
	removeRecordTemps(s.Dir) // of a record write the interruption cut short
	e, err := readJournal(c.journal)
	if err != nil {
		c.close()
		return nil, fmt.Errorf("%s: %w", jpath, err)
	}
	if e.last < s.First-1 || e.last >= s.First+s.Count {
		c.close()
		return nil, fmt.Errorf("%s: %w: the journal ends at run %d, outside this batch's runs %d-%d", jpath, ErrDamaged, e.last, s.First, s.First+s.Count-1)
	}
	for _, t := range []struct {
		name string
		f    **os.File
		h    hash.Hash
		off  int64
		sum  string
	}{{RunsFile, &c.runs, c.runsH, e.runsOff, e.runsSum}, {RowsFile, &c.rows, c.rowsH, e.rowsOff, e.rowsSum}} {
		path := filepath.Join(s.Dir, t.name)
		f, err := os.OpenFile(path, os.O_RDWR, 0o644)
		if errors.Is(err, os.ErrPermission) {
			c.close()
			return nil, fmt.Errorf("%s: %s cannot be written (%w); give this user write access to the folder's files and resume", s.Dir, t.name, err)
		}
		if err != nil {
			c.close()
			return nil, fmt.Errorf("%s: %w: %s is missing (%v); start again in a new folder", s.Dir, ErrDamaged, t.name, err)
		}
		*t.f = f
		n, err := io.Copy(t.h, io.LimitReader(f, t.off))
		if err != nil {
			c.close()
			return nil, err
		}
		if n < t.off {
			c.close()
			return nil, fmt.Errorf("%s: %w: %s is %d bytes, but the journal recorded %d; the table was truncated or replaced; start again in a new folder", s.Dir, ErrDamaged, t.name, n, t.off)
		}
		if got := hex.EncodeToString(t.h.Sum(nil)); got != t.sum {
			c.close()
			return nil, fmt.Errorf("%s: %w: the first %d bytes of %s have sha256 %.12s, but the journal recorded %.12s (edited, or overwritten with zeros); start again in a new folder", s.Dir, ErrDamaged, t.off, t.name, got, t.sum)
		}
		if err := f.Truncate(t.off); err != nil {
			c.close()
			return nil, err
		}
		if _, err := f.Seek(t.off, io.SeekStart); err != nil {
			c.close()
			return nil, err
		}
	}
	if _, err := c.journal.Seek(0, io.SeekEnd); err != nil {
		c.close()
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(s.Dir, spoolDir), 0o755); err != nil {
		c.close()
		return nil, err
	}
	c.next, c.failed = e.last+1, e.failed
	return c, nil
}

// readJournal returns the last complete entry and cuts off a torn line after it.
func readJournal(f *os.File) (entry, error) {
	var last entry
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return last, err
	}
	sc := bufio.NewScanner(f)
	found := false
	var goodEnd, pos int64
	for sc.Scan() {
		line := sc.Text()
		pos += int64(len(line)) + 1
		var e entry
		if n, err := fmt.Sscanf(line, "%d %d %d %d %s %s", &e.last, &e.runsOff, &e.rowsOff, &e.failed, &e.runsSum, &e.rowsSum); err != nil || n != 6 ||
			e.runsOff < 0 || e.rowsOff < 0 || len(e.runsSum) != 64 || len(e.rowsSum) != 64 {
			break // a torn last line: ignore it and what follows
		}
		last, found, goodEnd = e, true, pos
	}
	if !found {
		return last, fmt.Errorf("%w: the journal is empty or unreadable; start again in a new folder", ErrDamaged)
	}
	return last, f.Truncate(goodEnd)
}

// spooled lists runs that finished but were not committed before an interruption; stray
// temporary files are removed.
func (c *committer) spooled() map[int]bool {
	done := map[int]bool{}
	ents, _ := os.ReadDir(filepath.Join(c.s.Dir, spoolDir))
	for _, e := range ents {
		name := e.Name()
		if strings.HasSuffix(name, ".tmp") {
			_ = os.Remove(filepath.Join(c.s.Dir, spoolDir, name))
			continue
		}
		id, err := strconv.Atoi(strings.TrimSuffix(name, ".run"))
		if err != nil || id < c.next || id >= c.s.First+c.s.Count {
			continue
		}
		if !c.spoolValid(id) {
			// Damaged (a disk or tool fault): its run is done again rather than a bad row
			// committed to the tables for good.
			_ = os.Remove(spoolPath(c.s.Dir, id))
			continue
		}
		done[id] = true
	}
	return done
}

// spoolValid reports whether run id's spool file is what runOne writes: a runs record of the
// run's id with every column and a status, then, for a successful run, RowsPerRun rows (any
// number when it is 0) of the id with every row column, and none for a failed run.
func (c *committer) spoolValid(id int) bool {
	data, err := os.ReadFile(spoolPath(c.s.Dir, id))
	if err != nil {
		return false
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1 // the runs record and the rows differ in length
	recs, err := r.ReadAll()
	if err != nil || len(recs) == 0 {
		return false
	}
	run, rows := recs[0], recs[1:]
	want := strconv.Itoa(id)
	if len(run) != len(c.s.RunHeader)+3 || run[0] != want {
		return false
	}
	switch st := run[len(run)-2]; {
	case st == StatusFailed:
		if len(rows) != 0 {
			return false
		}
	case st != StatusOK || c.s.RowsPerRun > 0 && len(rows) != c.s.RowsPerRun:
		return false
	}
	for _, r := range rows {
		if len(r) != len(c.s.RowHeader)+1 || r[0] != want {
			return false
		}
	}
	return true
}

// commitReady appends every ready run with no gap before it.
func (c *committer) commitReady(progress func(done, total int)) (int, error) {
	n := 0
	for c.ready[c.next] {
		data, err := os.ReadFile(spoolPath(c.s.Dir, c.next))
		if err != nil {
			return n, err
		}
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord = -1
		rec, err := r.Read()
		if err != nil {
			return n, fmt.Errorf("spool file of run %d: %w", c.next, err)
		}
		if len(rec) >= 2 && rec[len(rec)-2] == StatusFailed {
			c.failed++
		}
		nl := int(r.InputOffset())
		if _, err := c.runs.Write(data[:nl]); err != nil {
			return n, err
		}
		c.runsH.Write(data[:nl])
		if _, err := c.rows.Write(data[nl:]); err != nil {
			return n, err
		}
		c.rowsH.Write(data[nl:])
		delete(c.ready, c.next)
		c.pending = append(c.pending, c.next)
		c.next++
		n++
		if progress != nil {
			progress(c.next-c.s.First, c.s.Count)
		}
	}
	return n, nil
}

// sync makes committed runs durable: tables first, then the journal, then spool removal.
func (c *committer) sync() error {
	if len(c.pending) == 0 {
		return nil
	}
	if err := errors.Join(c.runs.Sync(), c.rows.Sync()); err != nil {
		return err
	}
	if err := c.journalEntry(c.next - 1); err != nil {
		return err
	}
	for _, id := range c.pending {
		_ = os.Remove(spoolPath(c.s.Dir, id))
	}
	c.pending = c.pending[:0]
	return nil
}

func (c *committer) journalEntry(last int) error {
	ro, err := c.runs.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	wo, err := c.rows.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(c.journal, "%d %d %d %d %x %x\n", last, ro, wo, c.failed, c.runsH.Sum(nil), c.rowsH.Sum(nil)); err != nil {
		return err
	}
	return c.journal.Sync()
}

// complete records that every run is committed (table sizes and sums) and removes the
// spool. The journal stays until Finish.
func (c *committer) complete() error {
	if err := c.sync(); err != nil {
		return err
	}
	for _, t := range []struct {
		f   *os.File
		h   hash.Hash
		sum *Sum
	}{{c.runs, c.runsH, &c.rec.Runs}, {c.rows, c.rowsH, &c.rec.Rows}} {
		off, err := t.f.Seek(0, io.SeekCurrent)
		if err != nil {
			return err
		}
		*t.sum = Sum{Bytes: off, SHA256: hex.EncodeToString(t.h.Sum(nil))}
	}
	c.rec.Complete, c.rec.Failed = true, c.failed
	if err := writeRecord(c.s.Dir, c.rec); err != nil {
		return err
	}
	return os.RemoveAll(filepath.Join(c.s.Dir, spoolDir))
}

func (c *committer) close() {
	for _, f := range []*os.File{c.runs, c.rows, c.journal} {
		if f != nil {
			_ = f.Close()
		}
	}
}

// Finish marks a complete batch finished once its caller's finishing step is done: the
// journal goes, last. Until then Execute with Resume hands the batch back for finishing.
func Finish(dir string) error {
	rec, err := ReadRecord(dir)
	if err != nil {
		return err
	}
	if !rec.Complete {
		return fmt.Errorf("%s: the batch has unfinished runs", dir)
	}
	if err := os.Remove(filepath.Join(dir, journalFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// ShardRange is shard i of n's contiguous block of total runs.
func ShardRange(total, i, n int) (first, count int) {
	first = total * i / n
	return first, total*(i+1)/n - first
}

// Seed derives run index's seed from the master seed (SplitMix64 finaliser over the master
// seed plus the golden-ratio increment times index+1; Steele, Lea and Flood 2014). Different
// indices give statistically independent streams; the same pair always gives the same seed.
// Seeds use all 64 bits, so tables write them as text (a string column in Parquet); software
// that reads numbers as doubles (R's read.csv, Stata, spreadsheets) must read the seed column
// as text to keep them exact.
func Seed(master uint64, index int) uint64 {
	z := master + 0x9e3779b97f4a7c15*uint64(index+1)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
