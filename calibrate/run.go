package calibrate

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/countysim/countysim/batch"
	"github.com/countysim/countysim/calibrate/spec"
	"github.com/countysim/countysim/scenarios"
	"github.com/countysim/countysim/sim"
)

// Files a calibration writes into its folder.
const (
	CopyFile        = "calibration.yaml"
	PosteriorFile   = "posterior.csv"
	GenerationsFile = "generations.csv"
	ReportFile      = "report.md"
)

// Mode says what one invocation does with a calibration folder.
type Mode int

// The modes of Execute.
const (
	// Whole runs every round here, one after the other.
	Whole Mode = iota
	// ShardRound runs shard Shard of Shards of the first round not yet complete (its share of
	// the round's proposals, in gen-GG-round-RR/shard-I-of-N) and stops.
	ShardRound
	// MergeRound merges the finished shards of the first round not yet complete into the
	// round's folder, then continues the sampler over the complete rounds and stops at the
	// next round to run, or finishes the calibration.
	MergeRound
)

// Options say where and how a calibration runs.
type Options struct {
	Dir    string
	Jobs   int
	Resume bool
	// Mode is Whole, ShardRound or MergeRound; Shard and Shards place a ShardRound invocation.
	Mode          Mode
	Shard, Shards int
	// Identity is recorded in every round's batch record besides the calibration's sha256,
	// the round and its first run (for example the countysim version): a round's shards that
	// disagree on it are not merged, and an interrupted round is not resumed by another.
	Identity map[string]string
	// Progress, if set, is called after every committed run with the runs done in the current
	// round and the round's size.
	Progress func(b Batch, done, total int)
}

// Result is a finished calibration: the sampler's trace, and per run the target statistics
// (NaN for a failed run), kept for the report.
type Result struct {
	Trace *Trace
	// Thetas and Stats hold every run's parameters and target statistics, by run index.
	Thetas [][]float64
	Stats  [][]float64
	// RoundFirst maps generation and round to the run index of the round's first proposal.
	RoundFirst map[[2]int]int
	Notes      []string
	// Pending, when set, is the round a sharded calibration runs next (ShardRound and
	// MergeRound stop there); Trace is then the sampler's trace up to it.
	Pending *Pending
	// Ran is what ShardRound ran: the round and the shard's runs; Merged is the round
	// MergeRound merged, and from how many shards.
	Ran    *Pending
	Merged *Pending
}

// Pending is one round of a sharded calibration: its batch, folder and size, and (for a
// shard) the shard's place and run range.
type Pending struct {
	Batch
	Dir           string
	Proposals     int
	Shard, Shards int
	First, Count  int // the shard's runs, counted within the round
	AlreadyDone   bool
	FailedRuns    int
}

// errStop ends the sampler's replay at a round a sharded invocation does not run.
var errStop = errors.New("stop at the pending round")

// roundDir is the batch folder of one round.
func roundDir(dir string, b Batch) string {
	return filepath.Join(dir, fmt.Sprintf("gen-%02d-round-%02d", b.Gen, b.Round))
}

// Execute runs the calibration in opt.Dir: each round of proposals is one batch (parallel,
// streamed to disk, resumable), and the sampler continues from the rounds already complete
// when opt.Resume is set. Results are the same bytes whatever opt.Jobs. With opt.Mode
// ShardRound or MergeRound it replays the complete rounds and runs one shard of the next
// round, or merges its shards (see shard.go); Result.Pending then names the round still to run,
// and is nil when the sampler stopped and the outputs can be written.
func Execute(ctx context.Context, c *Calibration, opt Options) (*Result, error) {
	if err := prepareDir(opt.Dir, c, opt); err != nil {
		return nil, err
	}
	base, err := c.Base()
	if err != nil {
		return nil, err
	}
	// Every round's record names the resolved base scenario too: a base file edited between
	// an interruption and its resume must not mix runs of two models (checkRound, batch).
	id := maps.Clone(opt.Identity)
	if id == nil {
		id = map[string]string{}
	}
	id["base_sha256"] = scenarios.Hash(base)
	opt.Identity = id
	ev, err := newEvaluator(c)
	if err != nil {
		return nil, err
	}
	res := &Result{RoundFirst: map[[2]int]int{}}
	eval := func(b Batch, thetas [][]float64) ([]float64, error) {
		var stats [][]float64
		var err error
		dir := roundDir(opt.Dir, b)
		complete := roundComplete(dir)
		if complete {
			err = checkRound(c, opt, b, dir)
		}
		switch {
		case err != nil:
		case opt.Mode == Whole || complete:
			stats, err = runRound(ctx, c, base, ev, opt, b, thetas)
		case opt.Mode == ShardRound:
			res.Pending = &Pending{Batch: b, Dir: dir, Proposals: len(thetas)}
			res.Ran, err = runShard(ctx, c, base, ev, opt, b, thetas)
			if err == nil {
				err = errStop
			}
		case res.Merged != nil: // MergeRound: one round merged, this is the next to run
			res.Pending = &Pending{Batch: b, Dir: dir, Proposals: len(thetas)}
			err = errStop
		default:
			if res.Merged, err = mergeShards(c, opt, b, thetas); err == nil {
				stats, err = runRound(ctx, c, base, ev, opt, b, thetas)
			}
		}
		if err != nil {
			return nil, err
		}
		res.RoundFirst[[2]int{b.Gen, b.Round}] = b.First
		res.Thetas = append(res.Thetas, thetas...)
		res.Stats = append(res.Stats, stats...)
		dist := make([]float64, len(stats))
		for i, s := range stats {
			dist[i] = ev.distance(s)
		}
		return dist, nil
	}
	tr, err := Run(priorsOf(c), c.ABC, c.Seed, eval)
	res.Trace = tr
	if errors.Is(err, errStop) {
		return res, nil
	}
	if err != nil {
		return res, err
	}
	if len(tr.Pops) == 0 {
		return res, fmt.Errorf("no generation finished: %s", tr.Stop)
	}
	return res, nil
}

// prepareDir records the calibration in dir, or, when resuming, sharding or merging, checks
// that dir holds the same calibration (a shard records it when it is the first).
func prepareDir(dir string, c *Calibration, opt Options) error {
	resume := opt.Resume
	saved := filepath.Join(dir, CopyFile)
	data, err := os.ReadFile(saved)
	if unfinishedStart(dir, data, err) {
		// A start killed before it wrote its copy in full (an older countysim wrote it in
		// place): nothing was run, so the folder is taken as holding no calibration, which
		// this command starts (also with --resume, as a sweep killed before its first run).
		data, err, resume = nil, fs.ErrNotExist, false
	}
	switch {
	case opt.Mode == MergeRound && err != nil:
		return &InputError{fmt.Errorf("--merge: %s holds no calibration (%v); run its shards first: countysim calibrate %s --shard I/N --out %s", dir, err, c.Source, dir)}
	case opt.Mode != Whole && string(data) != string(c.Data) && err == nil:
		return &InputError{fmt.Errorf("%s holds a different calibration than %s (calibration.yaml has sha256 %.12s, the file %.12s); use the same file or choose another --out", dir, c.Source, sha256Hex(data), c.Hash())}
	case opt.Mode != Whole && err == nil:
		return nil
	case opt.Mode == ShardRound:
		// The first shard to start records the calibration; shards starting at once write the
		// same bytes.
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		return batch.WriteFileAtomic(saved, c.Data)
	case resume && err != nil:
		return &InputError{fmt.Errorf("--resume: %s holds no calibration to resume (%v)", dir, err)}
	case resume && string(data) != string(c.Data):
		return &InputError{fmt.Errorf("--resume: %s holds a different calibration than %s (the files differ); resume with the same file or choose another --out", dir, c.Source)}
	case resume:
		return nil
	case err == nil:
		return &InputError{fmt.Errorf("%s already holds a calibration; use --resume to finish it or choose another --out", dir)}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return batch.WriteFileAtomic(saved, c.Data)
}

// unfinishedStart reports whether dir's calibration copy, read as data with error err, is
// what a start killed in its first moments leaves: an empty or unreadable copy, and no round
// folder (a round starts only after the copy is written). Such a folder holds no calibration:
// a plain start, --force, --resume or a shard writes the copy again.
func unfinishedStart(dir string, data []byte, err error) bool {
	if errors.Is(err, fs.ErrNotExist) || err == nil && len(data) > 0 {
		return false
	}
	rounds, _ := filepath.Glob(filepath.Join(dir, "gen-*-round-*"))
	return len(rounds) == 0
}

// InputError marks a problem with the user's input (exit status 2).
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// runRound runs one round's proposals as a batch (or reads it, when complete) and returns
// every run's target statistics.
func runRound(ctx context.Context, c *Calibration, base *scenarios.Scenario, ev *evaluator, opt Options, b Batch, thetas [][]float64) ([][]float64, error) {
	dir := roundDir(opt.Dir, b)
	if !roundComplete(dir) {
		st, _, err := batch.StateOf(dir)
		if err != nil {
			return nil, err
		}
		spec := roundSpec(c, base, ev, opt, b, thetas)
		spec.Dir, spec.Count, spec.Resume = dir, len(thetas), st != batch.NoBatch
		if _, err := batch.Execute(ctx, spec); err != nil {
			if errors.Is(err, batch.ErrMismatch) || errors.Is(err, batch.ErrDamaged) {
				return nil, &InputError{fmt.Errorf("--resume: %w; an interrupted round is finished only by the same calibration and countysim version: run the calibration again in a new --out", err)}
			}
			return nil, err
		}
		if err := batch.Finish(dir); err != nil {
			return nil, err
		}
	}
	return readStats(filepath.Join(dir, batch.RowsFile), c, len(thetas))
}

// roundComplete reports whether dir holds a finished round (run here, or merged from its
// shards).
func roundComplete(dir string) bool {
	st, _, err := batch.StateOf(dir)
	return err == nil && st == batch.Finished
}

// checkRound refuses a complete round whose record names another calibration, base scenario,
// round or countysim build than this invocation's: its runs would be mixed with runs of
// another model.
func checkRound(c *Calibration, opt Options, b Batch, dir string) error {
	rec, err := batch.ReadRecord(dir)
	if err != nil {
		return err
	}
	want := batch.Record{Identity: roundIdentity(c, opt, b), Total: rec.Total, RunHeader: rec.RunHeader, RowHeader: rec.RowHeader}
	if d := batch.Differences(want, rec); len(d) > 0 {
		return &InputError{fmt.Errorf("%s was run for %s; its runs cannot be continued by this calibration, base scenario and countysim build: run the calibration again in a new --out",
			dir, strings.Join(d, "; "))}
	}
	return nil
}

// roundIdentity is what a round's batch record names besides opt.Identity: the calibration
// file's sha256, the round and the calibration-wide index of its first run.
func roundIdentity(c *Calibration, opt Options, b Batch) map[string]string {
	id := map[string]string{}
	for k, v := range opt.Identity {
		id[k] = v
	}
	id["calibration_sha256"] = c.Hash()
	id["round"] = fmt.Sprintf("generation %d round %d", b.Gen, b.Round)
	id["first_run"] = strconv.Itoa(b.First)
	return id
}

// roundSpec is the batch of one round's proposals (Dir, First and Count to be set): run id
// within the round, and calibration-wide run index b.First+id with seed batch.Seed(seed,
// b.First+id), so a shard's runs are the same as the unsharded round's.
func roundSpec(c *Calibration, base *scenarios.Scenario, ev *evaluator, opt Options, b Batch, thetas [][]float64) batch.Spec {
	names := c.Names()
	spec := batch.Spec{
		Workers:   opt.Jobs,
		Identity:  roundIdentity(c, opt, b),
		RunHeader: append([]string{"run", "seed"}, names...),
		RowHeader: []string{"target", "value", "distance"},
		Describe: func(id int) []string {
			d := []string{strconv.Itoa(b.First + id), strconv.FormatUint(batch.Seed(c.Seed, b.First+id), 10)}
			for _, x := range thetas[id] {
				d = append(d, formatFloat(x))
			}
			return d
		},
		Exec: func(ctx context.Context, id int) ([][]string, error) {
			s := scenarios.Clone(base)
			for k, path := range names {
				if err := scenarios.Set(s, path+"="+formatFloat(thetas[id][k])); err != nil {
					return nil, err
				}
			}
			if err := scenarios.Validate(s); err != nil {
				return nil, err
			}
			s.Config.Seed = batch.Seed(c.Seed, b.First+id)
			stats, err := ev.run(ctx, s.Config)
			if err != nil {
				return nil, err
			}
			rows := make([][]string, len(stats))
			for k, v := range stats {
				rows[k] = []string{c.Targets[k].Name, formatFloat(v), formatFloat(ev.targetDistance(k, v))}
			}
			return rows, nil
		},
	}
	if opt.Progress != nil {
		spec.Progress = func(done, total int) { opt.Progress(b, done, total) }
	}
	return spec
}

// readStats reads a round's rows table: run_id, target, value, distance.
func readStats(path string, c *Calibration, n int) ([][]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ti := map[string]int{}
	for k, t := range c.Targets {
		ti[t.Name] = k
	}
	stats := make([][]float64, n)
	for i := range stats {
		stats[i] = make([]float64, len(c.Targets))
		for k := range stats[i] {
			stats[i][k] = math.NaN()
		}
	}
	r := csv.NewReader(f)
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		id, err1 := strconv.Atoi(rec[0])
		k, ok := ti[rec[1]]
		v, err2 := strconv.ParseFloat(rec[2], 64)
		if err1 != nil || !ok || err2 != nil || id < 0 || id >= n {
			return nil, fmt.Errorf("%s:%d: unexpected row %v", path, line, rec)
		}
		stats[id][k] = v
	}
	return stats, nil
}

// evaluator computes the targets' statistics of a run and their distances.
type evaluator struct {
	c      *Calibration
	metric []int
	over   []int
	q      []float64
	reads  []int // every metric and denominator the targets read (sim.Options.Metrics)
}

func newEvaluator(c *Calibration) (*evaluator, error) {
	ev := &evaluator{c: c}
	for _, t := range c.Targets {
		k := spec.MetricIndex(t.Metric)
		o := -1
		if t.Over != "" {
			o = spec.MetricIndex(t.Over)
		}
		q, ok := spec.StatQuantile(t.Stat)
		if k < 0 || (t.Over != "" && o < 0) || !ok {
			return nil, fmt.Errorf("target %s: bad metric or stat", t.Name)
		}
		ev.metric, ev.over, ev.q = append(ev.metric, k), append(ev.over, o), append(ev.q, q)
		ev.reads = append(ev.reads, k)
		if o >= 0 {
			ev.reads = append(ev.reads, o)
		}
	}
	return ev, nil
}

// targetDistance is |value - target| / tolerance.
func (ev *evaluator) targetDistance(k int, v float64) float64 {
	t := ev.c.Targets[k]
	return math.Abs(v-*t.Value) / *t.Tolerance
}

// distance is the normalised sum over targets (NaN if any statistic is NaN).
func (ev *evaluator) distance(stats []float64) float64 {
	var d float64
	for k, v := range stats {
		d += ev.targetDistance(k, v)
	}
	return d
}

// window accumulates, per county, a metric (and its denominator) over a window of months.
type window struct {
	lo, hi        int
	num, den, cnt []float64
}

func (w *window) observe(mo int, values []float64, k, over int) {
	if mo < w.lo || mo > w.hi {
		return
	}
	for c := range w.num {
		v := values[c*sim.NumMetrics+k]
		if math.IsNaN(v) {
			continue
		}
		if over >= 0 {
			dv := values[c*sim.NumMetrics+over]
			if math.IsNaN(dv) {
				continue
			}
			w.den[c] += dv
		}
		w.num[c] += v
		w.cnt[c]++
	}
}

// stat reduces the counties' window values by the target's statistic.
func (w *window) stat(q float64, ratio bool, buf []float64) float64 {
	buf = buf[:0]
	for c := range w.num {
		if w.cnt[c] == 0 {
			continue
		}
		v := w.num[c] / w.cnt[c]
		if ratio {
			v = w.num[c] / w.den[c]
		}
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			buf = append(buf, v)
		}
	}
	return reduce(buf, q)
}

// reduce is the mean (q < 0) or the q-quantile (linear interpolation between order
// statistics) of xs; NaN when xs is empty. It sorts xs.
func reduce(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	if q < 0 {
		var s float64
		for _, x := range xs {
			s += x
		}
		return s / float64(len(xs))
	}
	sort.Float64s(xs)
	h := q * float64(len(xs)-1)
	i := int(math.Floor(h))
	if i >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	return xs[i] + (h-float64(i))*(xs[i+1]-xs[i])
}

// run simulates one configuration and returns the targets' statistics. Memory is a few
// numbers per county and target; nothing grows with the horizon.
func (ev *evaluator) run(ctx context.Context, cfg sim.Config) ([]float64, error) {
	// The model computes only the outputs the targets read (the same values as a full run).
	m, err := sim.NewWith(cfg, sim.Options{Metrics: ev.reads})
	if err != nil {
		return nil, err
	}
	n := len(m.Counties)
	newWindow := func(r []int) *window {
		return &window{lo: r[0], hi: r[1], num: make([]float64, n), den: make([]float64, n), cnt: make([]float64, n)}
	}
	ts := ev.c.Targets
	now := make([]*window, len(ts))
	from := make([]*window, len(ts))
	for k, t := range ts {
		now[k] = newWindow(t.Months)
		if t.From != nil {
			from[k] = newWindow(t.From)
		}
	}
	mo := 0
	err = m.Run(func(m *sim.Model) error {
		if mo%12 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		values := m.Values()
		for k := range ts {
			now[k].observe(mo, values, ev.metric[k], ev.over[k])
			if from[k] != nil {
				from[k].observe(mo, values, ev.metric[k], ev.over[k])
			}
		}
		mo++
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(ts))
	buf := make([]float64, 0, n)
	for k := range ts {
		out[k] = now[k].stat(ev.q[k], ev.over[k] >= 0, buf)
		if from[k] != nil {
			f := from[k].stat(ev.q[k], ev.over[k] >= 0, buf)
			out[k] -= f
			if ts[k].Relative {
				out[k] /= math.Abs(f)
			}
		}
	}
	return out, nil
}
