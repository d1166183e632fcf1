package calibrate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/countysim/countysim/batch"
	"github.com/countysim/countysim/scenarios"
)

// A sharded calibration runs each round of ABC-SMC on many machines. The rounds stay
// sequential (a round's proposals depend on every earlier round's distances), so each round
// is one cycle: every machine runs `calibrate FILE --shard I/N --out DIR` (the sampler replays
// the complete rounds in DIR, which determines the next round's proposals exactly, and runs
// shard I's block of them into DIR/gen-GG-round-RR/shard-I-of-N), then one machine runs
// `calibrate FILE --merge --out DIR`, which merges the round's shards into DIR/gen-GG-round-RR
// (the tables one machine would have written) and either names the next round or, when the
// sampler stops, writes the outputs. Run i of the calibration uses seed batch.Seed(seed, i)
// whichever machine runs it, so the outputs are the bytes of an unsharded calibration.

// shardName matches the folders of a round's shards.
var shardName = regexp.MustCompile(`^shard-(\d+)-of-(\d+)$`)

// ShardDir is the folder of shard i of n of a round.
func ShardDir(round string, i, n int) string {
	return filepath.Join(round, fmt.Sprintf("shard-%d-of-%d", i, n))
}

func sha256Hex(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// runShard runs shard opt.Shard of opt.Shards of round b into its folder, resuming what an
// earlier attempt left; a finished shard is left as it is.
func runShard(ctx context.Context, c *Calibration, base *scenarios.Scenario, ev *evaluator, opt Options, b Batch, thetas [][]float64) (*Pending, error) {
	n := len(thetas)
	if opt.Shards > n {
		return nil, &InputError{fmt.Errorf("--shard %d/%d: %d shards for the %d runs of generation %d round %d (allowed: at most one shard per run, N <= %d)",
			opt.Shard, opt.Shards, opt.Shards, n, b.Gen, b.Round, n)}
	}
	first, count := batch.ShardRange(n, opt.Shard, opt.Shards)
	dir := ShardDir(roundDir(opt.Dir, b), opt.Shard, opt.Shards)
	p := &Pending{Batch: b, Dir: dir, Proposals: n, Shard: opt.Shard, Shards: opt.Shards, First: first, Count: count}
	st, rec, err := batch.StateOf(dir)
	if err != nil {
		return nil, &InputError{err}
	}
	spec := roundSpec(c, base, ev, opt, b, thetas)
	spec.Dir, spec.First, spec.Count = dir, first, count
	spec.Total, spec.Shard, spec.Shards = n, opt.Shard, opt.Shards
	if st != batch.NoBatch {
		want := batch.Record{Identity: spec.Identity, Total: n, RunHeader: spec.RunHeader, RowHeader: spec.RowHeader}
		if d := batch.Differences(rec, want); len(d) > 0 {
			return nil, &InputError{fmt.Errorf("%s holds a shard of another calibration or countysim version (%s); remove it (rm -r %s) and run the shard again",
				dir, strings.Join(d, "; "), dir)}
		}
	}
	if st == batch.Finished {
		p.AlreadyDone, p.FailedRuns = true, rec.Failed
		return p, nil
	}
	spec.Resume = st != batch.NoBatch
	res, err := batch.Execute(ctx, spec)
	if err != nil {
		if errors.Is(err, batch.ErrMismatch) || errors.Is(err, batch.ErrDamaged) {
			return nil, &InputError{err}
		}
		return nil, err
	}
	p.FailedRuns = res.Failed
	return p, batch.Finish(dir)
}

// mergeShards merges the finished shards of round b into the round's folder, after checking
// that they are every shard of one split of this round of this calibration, each complete and
// unchanged since it finished. Problems are listed together, each with its folder.
func mergeShards(c *Calibration, opt Options, b Batch, thetas [][]float64) (*Pending, error) {
	round := roundDir(opt.Dir, b)
	ents, err := os.ReadDir(round)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	type shard struct {
		dir  string
		i, n int
		rec  batch.Record
	}
	var shards []shard
	for _, e := range ents {
		m := shardName.FindStringSubmatch(e.Name())
		if m == nil || !e.IsDir() {
			continue
		}
		i, _ := strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[2])
		shards = append(shards, shard{dir: filepath.Join(round, e.Name()), i: i, n: n})
	}
	redo := func(idx string) string {
		return fmt.Sprintf("countysim calibrate %s --shard %s --out %s", c.Source, idx, opt.Dir)
	}
	if len(shards) == 0 {
		return nil, &InputError{fmt.Errorf("--merge: generation %d round %d (%s) has no shards to merge; run them first: %s for I = 0 .. N-1",
			b.Gen, b.Round, round, redo("I/N"))}
	}
	counts := map[int][]string{}
	for _, s := range shards {
		counts[s.n] = append(counts[s.n], s.dir)
	}
	if len(counts) > 1 {
		var parts []string
		for _, n := range slices.Sorted(maps.Keys(counts)) {
			parts = append(parts, fmt.Sprintf("%s: shards of %d", strings.Join(counts[n], ", "), n))
		}
		return nil, &InputError{fmt.Errorf("--merge: %s holds shards of different splits (%s); keep the folders of one --shard I/N split only", round, strings.Join(parts, "; "))}
	}
	n := shards[0].n
	want := roundIdentity(c, opt, b)
	var problems []string
	have := map[int]bool{}
	for k := range shards {
		s := &shards[k]
		have[s.i] = true
		idx := fmt.Sprintf("%d/%d", s.i, s.n)
		st, rec, err := batch.StateOf(s.dir)
		s.rec = rec
		switch {
		case s.i >= s.n:
			problems = append(problems, fmt.Sprintf("%s: shard %s does not exist (allowed: 0 <= I < N); remove the folder", s.dir, idx))
			continue
		case err != nil:
			problems = append(problems, fmt.Sprintf("%s: %v; run it again: rm -r %s && %s", s.dir, err, s.dir, redo(idx)))
			continue
		case st == batch.NoBatch:
			problems = append(problems, fmt.Sprintf("%s: incomplete (stopped before its first run); run it: %s", s.dir, redo(idx)))
			continue
		}
		if rec.Identity["calibration_sha256"] != want["calibration_sha256"] {
			problems = append(problems, fmt.Sprintf("%s: a shard of another calibration (sha256 %.12s, but %s has %.12s); remove it and run it again: rm -r %s && %s",
				s.dir, rec.Identity["calibration_sha256"], filepath.Join(opt.Dir, CopyFile), want["calibration_sha256"], s.dir, redo(idx)))
			continue
		}
		if d := batch.Differences(batch.Record{Identity: want, Total: len(thetas), RunHeader: rec.RunHeader, RowHeader: rec.RowHeader}, rec); len(d) > 0 {
			problems = append(problems, fmt.Sprintf("%s: it was run for %s; remove it and run it again: rm -r %s && %s", s.dir, strings.Join(d, "; "), s.dir, redo(idx)))
			continue
		}
		if first, count := batch.ShardRange(len(thetas), s.i, s.n); rec.Shard != s.i || rec.Shards != s.n || rec.First != first || rec.Count != count {
			problems = append(problems, fmt.Sprintf("%s: %s says shard %d/%d, runs %d-%d; the folder was renamed or changed by hand", s.dir, batch.RecordFile, rec.Shard, rec.Shards, rec.First, rec.First+rec.Count-1))
			continue
		}
		if st != batch.Finished {
			problems = append(problems, fmt.Sprintf("%s: incomplete (interrupted); finish it: %s", s.dir, redo(idx)))
			continue
		}
		if _, err := batch.Verify(s.dir); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v; run it again: rm -r %s && %s", s.dir, strings.TrimPrefix(err.Error(), s.dir+": "), s.dir, redo(idx)))
		}
	}
	for i := range n {
		if !have[i] {
			problems = append(problems, fmt.Sprintf("shard %d/%d is missing; run it: %s", i, n, redo(fmt.Sprintf("%d/%d", i, n))))
		}
	}
	if len(problems) > 0 {
		return nil, &InputError{fmt.Errorf("--merge: cannot merge generation %d round %d (%s):\n  %s", b.Gen, b.Round, round, strings.Join(problems, "\n  "))}
	}
	slices.SortFunc(shards, func(a, b shard) int { return a.i - b.i })
	dirs := make([]string, len(shards))
	failed := 0
	for k, s := range shards {
		dirs[k] = s.dir
		failed += s.rec.Failed
	}
	if _, err := batch.Merge(round, dirs); err != nil {
		return nil, &InputError{fmt.Errorf("--merge: generation %d round %d: %w", b.Gen, b.Round, err)}
	}
	return &Pending{Batch: b, Dir: round, Proposals: len(thetas), Shards: n, FailedRuns: failed}, nil
}
