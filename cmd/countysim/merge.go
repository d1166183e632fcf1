package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/countysim/countysim/batch"
	"github.com/countysim/countysim/scenarios"
)

// shardDirName matches the folder names sweep and the emitted jobs give shards.
var shardDirName = regexp.MustCompile(`^shard-(\d+)-of-(\d+)$`)

// shardDir is a folder given to merge and what it holds.
type shardDir struct {
	dir     string
	info    batch.Record
	known   bool   // info.Shard and info.Shards are known, from the batch record or the folder name
	hash    string // sha256 of the folder's experiment.yaml; "" if it has none
	failed  int    // failed runs in runs.csv
	problem string // why the folder cannot be merged; "" if it can
}

// cmdMerge combines the folders of a sharded sweep into the files one machine's sweep of the
// same experiment writes: runs.csv and rows.csv concatenated in shard order, then the same
// finishing step (Parquet copies, per-point summaries, sensitivity, manifest).
func cmdMerge(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("merge", "SHARD_DIR... [flags]", stderr)
	out := fs.String("out", "", "output folder (default: out/EXPERIMENT, where one machine's sweep writes)")
	var lf langFlag
	lf.registerOutputs(fs, "the experiment file's lang")
	force := fs.Bool("force", false, "write into --out even if it holds other files")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageErr("expected the shard folders to merge, e.g. out/quick/shard-*-of-4")
	}
	shards, err := checkShards(fs.Args())
	if err != nil {
		return err
	}
	src := filepath.Join(shards[0].dir, experimentCopy)
	base, err := scenarios.Load(filepath.Join(shards[0].dir, baseCopy))
	if err != nil {
		return badInput(fmt.Errorf("%s: the shard's base scenario: %w", shards[0].dir, err))
	}
	exp, err := scenarios.LoadExperimentWithBase(src, metricNames(), base)
	if err != nil {
		return badInput(err)
	}
	lang, err := lf.resolve(exp.Lang)
	if err != nil {
		return err
	}
	exp.Lang = string(lang)
	if h, rec := sweepIdentity(exp, base), shards[0].info.Identity; !maps.Equal(h, rec) {
		if h["countysim_build"] != rec["countysim_build"] || h["countysim_version"] != rec["countysim_version"] {
			// Another build hashes and writes with other code: that, not a hand edit, is
			// what differs (the shards agree among themselves, checkShards saw to it).
			return usageErr("%s: the shards were run by another countysim build (%s, version %s) than this merge (%s, version %s); merging them would mix two models or output formats: merge with the countysim that ran the shards (the same binary, or the same image tag)",
				commonParent(shards), rec["countysim_build"], rec["countysim_version"], h["countysim_build"], h["countysim_version"])
		}
		return usageErr("%s: %s and %s do not match the shard's record (it has %s); the folder was changed by hand",
			shards[0].dir, experimentCopy, baseCopy, strings.Join(batch.Differences(batch.Record{Identity: h, Total: shards[0].info.Total, RunHeader: shards[0].info.RunHeader, RowHeader: shards[0].info.RowHeader, RowsPerRun: shards[0].info.RowsPerRun}, shards[0].info), "; "))
	}
	plan, err := exp.Plan()
	if err != nil {
		return badInput(err)
	}
	if plan.Runs() != shards[0].info.Total {
		return usageErr("%s: %s says the experiment has %d runs, but %s plans %d", shards[0].dir, batch.RecordFile, shards[0].info.Total, src, plan.Runs())
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("out", exp.Name)
	}
	for _, s := range shards {
		if sameFolder(dir, s.dir) {
			return usageErr("--out %s is one of the shard folders; choose another --out", dir)
		}
	}
	if st, _, _ := batch.StateOf(dir); st == batch.Interrupted || st == batch.Finishing {
		return usageErr("--out %s holds an unfinished sweep; finish it (sweep --resume) or choose another --out", dir)
	}
	// Shard folders inside --out (sweep --shard writes out/EXPERIMENT/shard-I-of-N, and merge
	// writes out/EXPERIMENT by default) are the inputs: they stay, beside the merged files.
	var keep []string
	for _, s := range shards {
		if sameFolder(filepath.Dir(filepath.Clean(s.dir)), dir) {
			keep = append(keep, filepath.Base(filepath.Clean(s.dir)))
		}
	}
	od, err := claimOutKeeping(dir, "merge", *force, keep)
	if err != nil {
		return err
	}
	defer od.discard()
	// Ctrl-C or SIGTERM (a cluster's time limit) stops at the next file; the staging folder
	// is removed (od.discard) and --out is left as it was.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now().UTC()
	dirs := make([]string, len(shards))
	for i, s := range shards {
		dirs[i] = s.dir
	}
	res, err := batch.Merge(od.stage, dirs)
	if err != nil {
		return badInput(fmt.Errorf("cannot merge: %w", err))
	}
	for _, name := range []string{experimentCopy, baseCopy} {
		data, err := os.ReadFile(filepath.Join(shards[0].dir, name))
		if err != nil {
			return err
		}
		if err := batch.WriteFileAtomic(filepath.Join(od.stage, name), data); err != nil {
			return err
		}
	}
	notes, err := finishSweep(ctx, od.stage, exp, plan, start, res)
	if err == nil {
		err = ctx.Err()
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, lang.F("countysim merge: stopped; nothing was written to %s", dir))
		return errInterrupted
	}
	if err != nil {
		return err
	}
	if err := od.commit(); err != nil {
		return fmt.Errorf("moving the output into %s: %w", dir, err)
	}
	fmt.Fprintln(stdout, lang.F("countysim merge: %q: %d shards, %d runs (%d failed) written to %s", exp.Name, len(shards), res.Total, res.Failed, dir))
	for _, n := range notes {
		fmt.Fprintln(stdout, "  "+lang.F("note: %s", n.Text))
	}
	return failedRuns(res, dir)
}

// checkShards inspects the folders and returns them in shard order when together they are
// every shard of one experiment, each complete. Otherwise it lists every problem found, each
// with the folder and what to do.
func checkShards(dirs []string) ([]*shardDir, error) {
	shards := make([]*shardDir, len(dirs))
	for i, d := range dirs {
		shards[i] = inspectShard(d)
	}
	// The experiment to run a shard again from: another shard's copy (a shard started afresh
	// is removed first, its copy with it), else the user's file.
	expFor := func(s *shardDir) string {
		for _, o := range shards {
			if o != s && o.hash != "" {
				return filepath.Join(o.dir, experimentCopy)
			}
		}
		return "EXPERIMENT.yaml"
	}
	var problems []string
	for _, s := range shards {
		if s.problem != "" {
			p := s.dir + ": " + s.problem
			if r := s.redo(expFor(s)); r != "" {
				p += "; " + r
			}
			problems = append(problems, p)
		}
	}
	if p := differentExperiments(shards); p != "" {
		return nil, refuse(dirs, append(problems, p))
	}
	if p := differentCounts(shards); p != "" {
		return nil, refuse(dirs, append(problems, p))
	}
	if p := differentBases(shards); p != "" {
		return nil, refuse(dirs, append(problems, p))
	}
	byIndex := map[int][]string{}
	n := 0
	for _, s := range shards {
		if s.known {
			byIndex[s.info.Shard] = append(byIndex[s.info.Shard], s.dir)
			n = s.info.Shards
		}
	}
	for i := range n {
		if ds := byIndex[i]; len(ds) > 1 {
			problems = append(problems, fmt.Sprintf("shard %d/%d is given %d times (%s); give each shard once", i, n, len(ds), strings.Join(ds, ", ")))
		}
	}
	var missing []int
	for i := range n {
		if len(byIndex[i]) == 0 {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		p := fmt.Sprintf("missing shard%s %s of %d:", plural(len(missing)), joinInts(missing), n)
		parent := commonParent(shards)
		for _, i := range missing {
			s := &shardDir{dir: filepath.Join(parent, fmt.Sprintf("shard-%d-of-%d", i, n)), known: true, info: batch.Record{Shard: i, Shards: n}}
			p += "\n      " + s.redo(expFor(s))
		}
		problems = append(problems, p)
	}
	if len(problems) > 0 {
		return nil, refuse(dirs, problems)
	}
	slices.SortFunc(shards, func(a, b *shardDir) int { return a.info.Shard - b.info.Shard })
	return shards, nil
}

func refuse(dirs []string, problems []string) error {
	return usageErr("cannot merge %d folder%s:\n  %s", len(dirs), plural(len(dirs)), strings.Join(problems, "\n  "))
}

// inspectShard reads what a folder holds and says what keeps it from being merged.
func inspectShard(dir string) *shardDir {
	s := &shardDir{dir: dir}
	if m := shardDirName.FindStringSubmatch(filepath.Base(filepath.Clean(dir))); m != nil {
		s.info.Shard, _ = strconv.Atoi(m[1])
		s.info.Shards, _ = strconv.Atoi(m[2])
		s.known = s.info.Shard < s.info.Shards
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		s.problem = "no such folder"
		if err == nil {
			s.problem = "a file, not a folder"
		}
		return s
	}
	data, err := os.ReadFile(filepath.Join(dir, experimentCopy))
	if err != nil {
		s.problem = "not a sweep folder (it has no " + experimentCopy + ")"
		if rec, err := batch.ReadRecord(dir); err == nil && rec.Identity["calibration_sha256"] != "" {
			cal := filepath.Dir(filepath.Dir(filepath.Clean(dir)))
			s.problem = fmt.Sprintf("a shard of a calibration round, not of a sweep; merge a round's shards with: countysim calibrate FILE --merge --out %s", cal)
		}
		return s
	}
	sum := sha256.Sum256(data)
	s.hash = hex.EncodeToString(sum[:])
	state, rec, err := batch.StateOf(dir)
	switch {
	case err != nil:
		s.problem = fmt.Sprintf("%s is unreadable (%v)", batch.RecordFile, err)
		return s
	case state == batch.NoBatch:
		s.problem = "incomplete: no " + batch.RecordFile + ", the shard was stopped before its first run"
		if fileExists(filepath.Join(dir, batch.RunsFile)) {
			s.problem = "no " + batch.RecordFile + " though it has runs; it was changed by hand or written by an older countysim"
		}
		return s
	}
	if rec.Shards == 0 {
		if state == batch.Finished && fileExists(filepath.Join(dir, manifestFile)) {
			s.problem = "a finished single-machine sweep, not a shard; it needs no merging"
		} else if state == batch.Interrupted || state == batch.Finishing {
			s.problem = fmt.Sprintf("an unfinished single-machine sweep, not a shard; it needs no merging: finish it with countysim sweep %s --out %s --resume",
				filepath.Join(dir, experimentCopy), dir)
		} else {
			s.problem = "not a shard (its " + batch.RecordFile + " has no --shard I/N)"
		}
		return s
	}
	if rec.Shard < 0 || rec.Shard >= rec.Shards {
		s.problem = fmt.Sprintf("its %s names shard %d of %d, which cannot be; it was changed by hand", batch.RecordFile, rec.Shard, rec.Shards)
		return s
	}
	s.info, s.known = rec, true
	if rec.Identity["experiment_sha256"] != s.hash {
		s.problem = fmt.Sprintf("%s names experiment sha256 %.12s but %s has sha256 %.12s; the folder was changed by hand", batch.RecordFile, rec.Identity["experiment_sha256"], experimentCopy, s.hash)
		return s
	}
	if state != batch.Finished {
		s.problem = "incomplete: the shard was interrupted"
		return s
	}
	if first, count := batch.ShardRange(rec.Total, rec.Shard, rec.Shards); first != rec.First || count != rec.Count {
		s.problem = fmt.Sprintf("%s says runs %d-%d, but shard %d/%d of %d runs is runs %d-%d; the folder was changed by hand", batch.RecordFile, rec.First, rec.First+rec.Count-1, rec.Shard, rec.Shards, rec.Total, first, first+count-1)
		return s
	}
	if s.failed, err = batch.Verify(dir); err != nil {
		s.problem = strings.TrimPrefix(err.Error(), dir+": ") + "; the folder was changed after the shard finished"
	}
	return s
}

// redo says how to run the folder's shard again: resume it, from its own copy of the
// experiment, when it was interrupted; start it afresh when what it holds cannot be trusted,
// from expFile (another shard's copy, as the folder and its copy are removed first). Slurm users
// are shown the array task to resubmit when the folder lies beside the emitted sweep.sbatch.
func (s *shardDir) redo(expFile string) string {
	if strings.HasPrefix(s.problem, "a finished single-machine") || strings.HasPrefix(s.problem, "an unfinished single-machine") || strings.HasPrefix(s.problem, "not a sweep") || strings.HasPrefix(s.problem, "a shard of a calibration") ||
		s.problem == "a file, not a folder" || s.problem == "no such folder" && !s.known {
		return ""
	}
	idx, k := "I/N", "I"
	if s.known {
		idx, k = fmt.Sprintf("%d/%d", s.info.Shard, s.info.Shards), strconv.Itoa(s.info.Shard)
	}
	rm := ""
	switch {
	case strings.HasPrefix(s.problem, "incomplete"):
		// The folder stays: its own copy of the experiment resumes it.
		if s.hash != "" {
			expFile = filepath.Join(s.dir, experimentCopy)
		}
	case s.problem != "" && s.problem != "no such folder":
		rm = "rm -r " + s.dir + " && "
	}
	cmd := fmt.Sprintf("countysim sweep %s --shard %s --out %s", expFile, idx, s.dir)
	if strings.HasPrefix(s.problem, "incomplete") {
		cmd += " --resume"
	}
	out := fmt.Sprintf("resubmit shard %s: %s%s", k, rm, cmd)
	if sb := filepath.Join(filepath.Dir(filepath.Clean(s.dir)), "sweep.sbatch"); fileExists(sb) {
		out += fmt.Sprintf(" (on Slurm: %ssbatch --array=%s %s)", rm, k, sb)
	}
	return out
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// differentExperiments names the experiments when the folders hold more than one.
func differentExperiments(shards []*shardDir) string {
	groups := map[string][]string{}
	var order []string
	for _, s := range shards {
		if s.hash == "" {
			continue
		}
		if _, ok := groups[s.hash]; !ok {
			order = append(order, s.hash)
		}
		groups[s.hash] = append(groups[s.hash], s.dir)
	}
	if len(order) < 2 {
		return ""
	}
	var parts []string
	for _, h := range order {
		parts = append(parts, fmt.Sprintf("%s: experiment sha256 %.12s", strings.Join(groups[h], ", "), h))
	}
	return "the folders hold different experiments: " + strings.Join(parts, "; ") + "; merge the shards of one experiment only"
}

// differentBases names the folders whose records differ from the first one's in what they
// compute: the base scenario (a changed base file), the countysim version.
func differentBases(shards []*shardDir) string {
	var ref *shardDir
	var parts []string
	for _, s := range shards {
		if s.info.Identity == nil {
			continue
		}
		if ref == nil {
			ref = s
			continue
		}
		if d := batch.Differences(ref.info, s.info); len(d) > 0 {
			parts = append(parts, fmt.Sprintf("%s has %s (%s has the first)", s.dir, strings.Join(d, "; "), ref.dir))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "the shards were run against different bases or versions: " + strings.Join(parts, "; ") + "; run every shard of one split with the same experiment, base scenario and countysim build"
}

// differentCounts names the shard counts when the folders split the runs differently.
func differentCounts(shards []*shardDir) string {
	groups := map[int][]string{}
	var order []int
	for _, s := range shards {
		if !s.known {
			continue
		}
		if _, ok := groups[s.info.Shards]; !ok {
			order = append(order, s.info.Shards)
		}
		groups[s.info.Shards] = append(groups[s.info.Shards], s.dir)
	}
	if len(order) < 2 {
		return ""
	}
	var parts []string
	for _, n := range order {
		parts = append(parts, fmt.Sprintf("%s: shards of %d", strings.Join(groups[n], ", "), n))
	}
	return "the folders are shards of different splits (" + strings.Join(parts, "; ") + "); merge the shards of one --shard I/N split only"
}

// commonParent is the folder holding the given shards, when they share one.
func commonParent(shards []*shardDir) string {
	parent := ""
	for _, s := range shards {
		p := filepath.Dir(filepath.Clean(s.dir))
		if parent != "" && p != parent {
			return "DIR"
		}
		parent = p
	}
	return parent
}

func sameFolder(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}
