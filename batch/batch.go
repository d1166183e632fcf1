// Package batch executes many independent simulation runs in parallel and streams their
// results to disk in run order, so that memory stays flat in the number of runs, the result
// files are the same bytes whatever the worker count, and an interrupted batch (Ctrl-C or
// kill -9) resumes without redoing finished runs and without duplicates or gaps.
//
// A batch writes two tables into its folder: runs.csv (one row per run: id, the caller's
// columns, status, error) and rows.csv (the caller's result rows, any number per run). A
// worker that finishes run i writes spool/i.run atomically; a single committer appends
// finished runs to the tables strictly in id order, fsyncs them and then records the byte
// offsets reached in the journal. On resume the tables are cut back to the last journalled
// offsets and every run with a spool file is taken as done.
package batch

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// File names inside a batch folder.
const (
	RunsFile    = "runs.csv"
	RowsFile    = "rows.csv"
	journalFile = ".journal"
	spoolDir    = "spool"
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
	// Workers is the number of runs executed at once; 0 means runtime.NumCPU().
	Workers int
	// RunHeader and RowHeader name the caller's columns of runs.csv (after "run_id") and of
	// rows.csv (after "run_id").
	RunHeader []string
	RowHeader []string
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

// ErrExists is returned when the folder already holds a batch and Resume is false.
var ErrExists = errors.New("folder already holds a batch")

// Execute runs the batch. When ctx is cancelled it stops dispatching, lets runs in flight
// end, commits what finished and returns ctx.Err() with the folder ready for Resume.
func Execute(ctx context.Context, s Spec) (Result, error) {
	res := Result{Total: s.Count}
	if s.Workers <= 0 {
		s.Workers = runtime.NumCPU()
	}
	if err := os.MkdirAll(filepath.Join(s.Dir, spoolDir), 0o755); err != nil {
		return res, err
	}
	c, err := openCommitter(s)
	if err != nil {
		return res, err
	}
	defer c.close()
	res.Skipped = c.next - s.First
	done := c.spooled()

	jobs := make(chan int)
	finished := make(chan int, s.Workers)
	var wg sync.WaitGroup
	for w := 0; w < s.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range jobs {
				if err := runOne(ctx, s, id); err != nil {
					continue // cancelled: not recorded, redone on resume
				}
				finished <- id
			}
		}()
	}
	go func() {
		defer close(jobs)
		for id := c.next; id < s.First+s.Count; id++ {
			if done[id] {
				continue
			}
			select {
			case jobs <- id:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(finished) }()

	ticker := time.NewTicker(500 * time.Millisecond)
	defer ticker.Stop()
	for _, id := range sortedKeys(done) {
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
		return res, fmt.Errorf("batch stopped after %d of %d runs", c.next-s.First, s.Count)
	}
	return res, c.finish()
}

// runOne executes run id and spools its result. It returns an error only when the run was
// cancelled and must not be recorded.
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
	final := spoolPath(dir, id)
	tmp := final + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write(run)
	for _, r := range rows {
		_ = w.Write(append([]string{strconv.Itoa(id)}, r...))
	}
	w.Flush()
	if err := errors.Join(w.Error(), f.Sync(), f.Close()); err != nil {
		return err
	}
	return os.Rename(tmp, final)
}

func sortedKeys(m map[int]bool) []int {
	ks := make([]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Ints(ks)
	return ks
}

// committer appends finished runs to the tables in id order.
type committer struct {
	s       Spec
	runs    *os.File
	rows    *os.File
	journal *os.File
	next    int
	failed  int
	ready   map[int]bool
	pending []int // committed but not yet journalled
}

func openCommitter(s Spec) (*committer, error) {
	c := &committer{s: s, next: s.First, ready: map[int]bool{}}
	runsPath := filepath.Join(s.Dir, RunsFile)
	rowsPath := filepath.Join(s.Dir, RowsFile)
	jpath := filepath.Join(s.Dir, journalFile)
	_, statErr := os.Stat(jpath)
	exists := statErr == nil
	if !exists {
		if _, err := os.Stat(runsPath); err == nil {
			if s.Resume {
				return nil, fmt.Errorf("%s: the batch is already complete; nothing to resume", s.Dir)
			}
			return nil, fmt.Errorf("%s: %w (a finished one); choose another --out", s.Dir, ErrExists)
		}
	}
	if exists && !s.Resume {
		return nil, fmt.Errorf("%s: %w that was interrupted; continue it with --resume or choose another --out", s.Dir, ErrExists)
	}
	var err error
	open := func(p string) (*os.File, error) { return os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644) }
	if c.runs, err = open(runsPath); err != nil {
		return nil, err
	}
	if c.rows, err = open(rowsPath); err != nil {
		return nil, err
	}
	if c.journal, err = open(jpath); err != nil {
		return nil, err
	}
	if !exists {
		if err := writeHeader(c.runs, append(append([]string{"run_id"}, s.RunHeader...), "status", "error")); err != nil {
			return nil, err
		}
		if err := writeHeader(c.rows, append([]string{"run_id"}, s.RowHeader...)); err != nil {
			return nil, err
		}
		if err := c.sync(); err != nil {
			return nil, err
		}
		return c, c.journalEntry(-1)
	}
	// Resume: cut the tables back to the last journalled state.
	last, runsOff, rowsOff, failed, err := readJournal(c.journal)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", jpath, err)
	}
	if last >= 0 && (last < s.First-1 || last >= s.First+s.Count) {
		return nil, fmt.Errorf("%s: journal ends at run %d, outside this batch's runs %d-%d", jpath, last, s.First, s.First+s.Count-1)
	}
	for _, f := range []struct {
		f   *os.File
		off int64
	}{{c.runs, runsOff}, {c.rows, rowsOff}} {
		if err := f.f.Truncate(f.off); err != nil {
			return nil, err
		}
		if _, err := f.f.Seek(f.off, 0); err != nil {
			return nil, err
		}
	}
	if _, err := c.journal.Seek(0, 2); err != nil {
		return nil, err
	}
	c.next, c.failed = last+1, failed
	if last < 0 {
		c.next = s.First
	}
	return c, nil
}

func writeHeader(f *os.File, h []string) error {
	w := csv.NewWriter(f)
	_ = w.Write(h)
	w.Flush()
	return w.Error()
}

// readJournal returns the last complete entry: run id, offsets of both tables, failures.
func readJournal(f *os.File) (last int, runsOff, rowsOff int64, failed int, err error) {
	if _, err = f.Seek(0, 0); err != nil {
		return
	}
	sc := bufio.NewScanner(f)
	found := false
	var goodEnd int64
	var pos int64
	for sc.Scan() {
		line := sc.Text()
		pos += int64(len(line)) + 1
		var l, fl int
		var ro, wo int64
		if n, e := fmt.Sscanf(line, "%d %d %d %d", &l, &ro, &wo, &fl); e != nil || n != 4 {
			break // a torn last line: ignore it and what follows
		}
		last, runsOff, rowsOff, failed, found = l, ro, wo, fl, true
		goodEnd = pos
	}
	if !found {
		return 0, 0, 0, 0, errors.New("journal is empty or unreadable; remove the folder and start again")
	}
	err = f.Truncate(goodEnd)
	return
}

// spooled lists runs that finished but were not committed before an interruption.
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
		done[id] = true
	}
	return done
}

// commitReady appends every ready run with no gap before it.
func (c *committer) commitReady(progress func(done, total int)) (int, error) {
	n := 0
	for c.ready[c.next] {
		data, err := os.ReadFile(spoolPath(c.s.Dir, c.next))
		if err != nil {
			return n, err
		}
		r := csv.NewReader(strings.NewReader(string(data)))
		r.FieldsPerRecord = -1
		rec, err := r.Read()
		if err != nil {
			return n, fmt.Errorf("spool file of run %d: %w", c.next, err)
		}
		if len(rec) >= 2 && rec[len(rec)-2] == StatusFailed {
			c.failed++
		}
		nl := int(r.InputOffset()) - 1
		if _, err := c.runs.Write(data[:nl+1]); err != nil {
			return n, err
		}
		if _, err := c.rows.Write(data[nl+1:]); err != nil {
			return n, err
		}
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
	ro, err := c.runs.Seek(0, 1)
	if err != nil {
		return err
	}
	wo, err := c.rows.Seek(0, 1)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(c.journal, "%d %d %d %d\n", last, ro, wo, c.failed); err != nil {
		return err
	}
	return c.journal.Sync()
}

// finish marks the batch complete: the journal and spool go.
func (c *committer) finish() error {
	if err := c.sync(); err != nil {
		return err
	}
	_ = os.Remove(filepath.Join(c.s.Dir, journalFile))
	return os.RemoveAll(filepath.Join(c.s.Dir, spoolDir))
}

func (c *committer) close() {
	for _, f := range []*os.File{c.runs, c.rows, c.journal} {
		if f != nil {
			_ = f.Close()
		}
	}
}

// Seed derives run index's seed from the master seed (SplitMix64 finaliser over the master
// seed plus the golden-ratio increment times index+1; Steele, Lea and Flood 2014). Different
// indices give statistically independent streams; the same pair always gives the same seed.
func Seed(master uint64, index int) uint64 {
	z := master + 0x9e3779b97f4a7c15*uint64(index+1)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
