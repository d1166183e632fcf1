package batch

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// State is what a folder holds, as far as batches go.
type State int

// The states of a folder.
const (
	// NoBatch: no batch record (an empty folder, another command's output, nothing at all).
	NoBatch State = iota
	// Interrupted: runs remain; Execute with Resume continues it.
	Interrupted
	// Finishing: every run committed, the caller's finishing step not done; Execute with
	// Resume hands it back for finishing.
	Finishing
	// Finished: complete and finished.
	Finished
)

// StateOf says what dir holds and returns its record when it holds a batch.
func StateOf(dir string) (State, Record, error) {
	rec, err := ReadRecord(dir)
	if errors.Is(err, os.ErrNotExist) {
		return NoBatch, rec, nil
	}
	if err != nil {
		return NoBatch, rec, err
	}
	switch {
	case !fileExists(filepath.Join(dir, journalFile)) && rec.Complete:
		return Finished, rec, nil
	case rec.Complete:
		return Finishing, rec, nil
	}
	return Interrupted, rec, nil
}

// verifyTables checks a complete batch's tables against the sizes and sums in its record.
func verifyTables(dir string, rec Record) error {
	for _, t := range []struct {
		name string
		want Sum
	}{{RunsFile, rec.Runs}, {RowsFile, rec.Rows}} {
		got, err := sumFile(filepath.Join(dir, t.name))
		if err != nil {
			return fmt.Errorf("%s: %w: %v", dir, ErrDamaged, err)
		}
		if got != t.want {
			return fmt.Errorf("%s: %w: %s is %d bytes with sha256 %.12s, but %s records %d bytes with sha256 %.12s",
				dir, ErrDamaged, t.name, got.Bytes, got.SHA256, RecordFile, t.want.Bytes, t.want.SHA256)
		}
	}
	return nil
}

func sumFile(path string) (Sum, error) {
	f, err := os.Open(path)
	if err != nil {
		return Sum{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return Sum{}, err
	}
	return Sum{Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// Verify checks a finished batch folder in full: its tables match the sums in its record,
// runs.csv holds exactly its runs in order, and rows.csv holds, in run order, RowsPerRun rows
// for every successful run and none for a failed one. It returns the number of failed runs.
func Verify(dir string) (failed int, err error) {
	st, rec, err := StateOf(dir)
	if err != nil {
		return 0, err
	}
	switch st {
	case NoBatch:
		return 0, fmt.Errorf("%s: not a batch folder (no %s)", dir, RecordFile)
	case Interrupted, Finishing:
		return 0, fmt.Errorf("%s: the batch is not finished", dir)
	}
	if err := verifyTables(dir, rec); err != nil {
		return 0, err
	}
	ok, failed, err := checkRuns(filepath.Join(dir, RunsFile), rec.First, rec.Count)
	if err != nil {
		return 0, fmt.Errorf("%s: %w: %v", dir, ErrDamaged, err)
	}
	if err := checkRows(filepath.Join(dir, RowsFile), rec.First, ok, rec.RowsPerRun); err != nil {
		return 0, fmt.Errorf("%s: %w: %v", dir, ErrDamaged, err)
	}
	if failed != rec.Failed {
		return 0, fmt.Errorf("%s: %w: %s holds %d failed runs, %s records %d", dir, ErrDamaged, RunsFile, failed, RecordFile, rec.Failed)
	}
	return failed, nil
}

// checkRuns checks that runs.csv holds exactly runs first .. first+count-1 in order and
// returns which succeeded and how many failed.
func checkRuns(path string, first, count int) (ok []bool, failed int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		return nil, 0, fmt.Errorf("%s: no header (%v)", RunsFile, err)
	}
	ok = make([]bool, 0, count)
	for n := 0; ; n++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %v", RunsFile, err)
		}
		if n >= count || len(rec) < 3 || rec[0] != strconv.Itoa(first+n) {
			return nil, 0, fmt.Errorf("%s: row %d is run %q, want run %d of %d-%d", RunsFile, n+1, rec[0], first+n, first, first+count-1)
		}
		failedRun := rec[len(rec)-2] == StatusFailed
		if failedRun {
			failed++
		}
		ok = append(ok, !failedRun)
	}
	if len(ok) != count {
		return nil, 0, fmt.Errorf("%s holds %d runs, want %d", RunsFile, len(ok), count)
	}
	return ok, failed, nil
}

// checkRows checks that rows.csv holds, in run order, per rows for each successful run (any
// number when per is 0) and none for a failed one.
func checkRows(path string, first int, ok []bool, per int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	r.FieldsPerRecord = 0
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		return fmt.Errorf("%s: no header (%v)", RowsFile, err)
	}
	if len(ok) == 0 {
		if _, err := r.Read(); err != io.EOF {
			return fmt.Errorf("%s: rows without runs", RowsFile)
		}
		return nil
	}
	counts := make([]int, len(ok))
	prev := -1
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %v", RowsFile, err)
		}
		id, err := strconv.Atoi(rec[0])
		if err != nil {
			return fmt.Errorf("%s: line %d: run id %q is not a number", RowsFile, line, rec[0])
		}
		k := id - first
		if k < 0 || k >= len(ok) || k < prev {
			return fmt.Errorf("%s: line %d: run %d out of order or outside the batch", RowsFile, line, id)
		}
		prev = k
		counts[k]++
	}
	for k, c := range counts {
		want := per
		if !ok[k] {
			want = 0
		}
		if per == 0 && ok[k] {
			continue
		}
		if c != want {
			return fmt.Errorf("%s: run %d has %d rows, want %d", RowsFile, first+k, c, want)
		}
	}
	return nil
}

// Merge writes into dst (a fresh folder) the tables of the given finished batches, which must
// be the shards of one split in shard order: the runs of each follow the previous one's, all
// have the same record but for the run range, and each is verified in full first (Verify).
// dst then holds a finished batch of all the runs. On error dst may hold partial files; the
// caller writes into a staging folder and discards it.
func Merge(dst string, dirs []string) (Result, error) {
	if len(dirs) == 0 {
		return Result{}, errors.New("no batches to merge")
	}
	var recs []Record
	res := Result{}
	for i, d := range dirs {
		failed, err := Verify(d)
		if err != nil {
			return res, err
		}
		rec, _ := ReadRecord(d)
		if i > 0 {
			if diff := Differences(recs[0], rec); len(diff) > 0 {
				return res, fmt.Errorf("%s: %w from %s: it has %s", d, ErrMismatch, dirs[0], joinSemi(diff))
			}
			if prev := recs[i-1]; rec.First != prev.First+prev.Count {
				return res, fmt.Errorf("%s: runs %d-%d do not follow %s's runs %d-%d", d, rec.First, rec.First+rec.Count-1, dirs[i-1], prev.First, prev.First+prev.Count-1)
			}
		}
		recs = append(recs, rec)
		res.Failed += failed
		res.Done += rec.Count
	}
	if recs[0].First != 0 || res.Done != recs[0].Total {
		return res, fmt.Errorf("the batches hold %d of %d runs, from run %d; give every shard", res.Done, recs[0].Total, recs[0].First)
	}
	res.Total = res.Done
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return res, err
	}
	out := recs[0]
	out.First, out.Count, out.Shard, out.Shards, out.Failed, out.Complete = 0, res.Total, 0, 0, res.Failed, true
	for _, t := range []struct {
		name string
		sum  *Sum
	}{{RunsFile, &out.Runs}, {RowsFile, &out.Rows}} {
		s, err := concat(filepath.Join(dst, t.name), t.name, dirs)
		if err != nil {
			return res, err
		}
		*t.sum = s
	}
	if err := writeRecord(dst, out); err != nil {
		return res, err
	}
	return res, nil
}

func joinSemi(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += "; "
		}
		out += x
	}
	return out
}

// concat writes table name of every folder, in order, to path: the first header, then every
// folder's rows, under a temporary name renamed into place.
func concat(path, name string, dirs []string) (Sum, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return Sum{}, err
	}
	tmp := f.Name()
	h := sha256.New()
	w := bufio.NewWriter(io.MultiWriter(f, h))
	var n int64
	err = func() error {
		for i, d := range dirs {
			in, err := os.Open(filepath.Join(d, name))
			if err != nil {
				return err
			}
			r := bufio.NewReader(in)
			header, err := r.ReadString('\n')
			if err == nil && i == 0 {
				var k int
				k, err = w.WriteString(header)
				n += int64(k)
			}
			if err == nil {
				var k int64
				k, err = io.Copy(w, r)
				n += k
			}
			in.Close()
			if err != nil {
				return fmt.Errorf("%s: %w", filepath.Join(d, name), err)
			}
		}
		return w.Flush()
	}()
	err = errors.Join(err, f.Chmod(0o644), f.Sync(), f.Close())
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return Sum{}, err
	}
	return Sum{Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// Remove removes a batch's own files from dir (record, tables, journal, spool) and the
// caller's files named in extra; other files stay. A batch another process is writing now is
// left alone, with an error.
func Remove(dir string, extra ...string) error {
	if f, err := os.OpenFile(filepath.Join(dir, journalFile), os.O_RDWR, 0); err == nil {
		err = lock(f, dir)
		f.Close()
		if err != nil {
			return err
		}
	}
	for _, n := range append([]string{journalFile, RecordFile, RunsFile, RowsFile, spoolDir}, extra...) {
		if err := os.RemoveAll(filepath.Join(dir, n)); err != nil {
			return err
		}
	}
	return nil
}
