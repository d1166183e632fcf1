package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/countysim/countysim/batch"
	"github.com/countysim/countysim/scenarios"
)

// journalName is the batch package's journal: present while a batch is unfinished.
const journalName = ".journal"

// shardDirName matches the folder names sweep and the emitted jobs give shards.
var shardDirName = regexp.MustCompile(`^shard-(\d+)-of-(\d+)$`)

// shardDir is a folder given to merge and what it holds.
type shardDir struct {
	dir     string
	info    shardInfo
	known   bool   // info.Shard and info.Shards are known, from shard.json or the folder name
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
	lf.register(fs)
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
	exp, err := scenarios.LoadExperiment(src, metricNames())
	if err != nil {
		return badInput(err)
	}
	lang, err := lf.resolve(exp.Lang)
	if err != nil {
		return err
	}
	exp.Lang = string(lang)
	plan, err := exp.Plan()
	if err != nil {
		return badInput(err)
	}
	if plan.Runs() != shards[0].info.Total {
		return usageErr("%s: shard.json says the experiment has %d runs, but %s plans %d", shards[0].dir, shards[0].info.Total, src, plan.Runs())
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("out", exp.Name)
	}
	if err := prepareMergeDir(dir, exp, shards); err != nil {
		return err
	}
	start := time.Now().UTC()
	res := batch.Result{Done: plan.Runs(), Total: plan.Runs()}
	for _, s := range shards {
		res.Failed += s.failed
	}
	for _, name := range []string{batch.RunsFile, batch.RowsFile} {
		if err := concatTables(dir, name, shards); err != nil {
			return err
		}
	}
	notes, err := finishSweep(dir, exp, plan, start, res)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "countysim merge: %q: %d shards, %d runs (%d failed) written to %s\n", exp.Name, len(shards), res.Total, res.Failed, dir)
	for _, n := range notes {
		fmt.Fprintf(stdout, "  note: %s\n", n)
	}
	return nil
}

// checkShards inspects the folders and returns them in shard order when together they are
// every shard of one experiment, each complete. Otherwise it lists every problem found, each
// with the folder and what to do.
func checkShards(dirs []string) ([]*shardDir, error) {
	shards := make([]*shardDir, len(dirs))
	for i, d := range dirs {
		shards[i] = inspectShard(d)
	}
	expFile := "EXPERIMENT.yaml"
	for _, s := range shards {
		if s.hash != "" {
			expFile = filepath.Join(s.dir, experimentCopy)
			break
		}
	}
	var problems []string
	for _, s := range shards {
		if s.problem != "" {
			p := s.dir + ": " + s.problem
			if r := s.redo(expFile); r != "" {
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
			s := &shardDir{dir: filepath.Join(parent, fmt.Sprintf("shard-%d-of-%d", i, n)), known: true, info: shardInfo{Shard: i, Shards: n}}
			p += "\n      " + s.redo(expFile)
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
		return s
	}
	data, err := os.ReadFile(filepath.Join(dir, experimentCopy))
	if err != nil {
		s.problem = "not a sweep folder (it has no " + experimentCopy + ")"
		return s
	}
	sum := sha256.Sum256(data)
	s.hash = hex.EncodeToString(sum[:])
	info, err := readShardInfo(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		s.problem = noRecordProblem(dir)
		return s
	case err != nil:
		s.problem = fmt.Sprintf("%s is unreadable (%v)", shardRecord, err)
		return s
	}
	s.info, s.known = info, true
	if info.Hash != s.hash {
		s.problem = fmt.Sprintf("%s names experiment sha256 %.12s but %s has sha256 %.12s; the folder was changed by hand", shardRecord, info.Hash, experimentCopy, s.hash)
		return s
	}
	if _, err := os.Stat(filepath.Join(dir, journalName)); err == nil || !info.Complete {
		s.problem = "incomplete: the shard was interrupted"
		return s
	}
	if first, count := shardRange(info.Total, info.Shard, info.Shards); first != info.First || count != info.Count {
		s.problem = fmt.Sprintf("%s says runs %d-%d, but shard %d/%d of %d runs is runs %d-%d; the folder was changed by hand", shardRecord, info.First, info.First+info.Count-1, info.Shard, info.Shards, info.Total, first, first+count-1)
		return s
	}
	if s.failed, err = checkRuns(filepath.Join(dir, batch.RunsFile), info.First, info.Count); err != nil {
		s.problem = err.Error() + "; the folder was changed after the shard finished"
	}
	return s
}

// noRecordProblem explains a sweep folder without shard.json.
func noRecordProblem(dir string) string {
	exists := func(name string) bool { _, err := os.Stat(filepath.Join(dir, name)); return err == nil }
	switch {
	case exists(journalName), !exists(batch.RunsFile):
		return "incomplete: no " + shardRecord + ", the shard was interrupted"
	case exists("manifest.json"):
		return "a finished single-machine sweep, not a shard; it needs no merging"
	default:
		return "no " + shardRecord + " though its runs finished; the shard was stopped while finishing"
	}
}

// redo says how to run the folder's shard again, from its own copy of the experiment if it has
// one (else from expFile): resume it when it was interrupted, start it afresh when what it
// holds cannot be trusted. Slurm users are shown the array task to resubmit
// when the folder lies beside the emitted sweep.sbatch.
func (s *shardDir) redo(expFile string) string {
	if strings.HasPrefix(s.problem, "a finished single-machine") || strings.HasPrefix(s.problem, "not a sweep") ||
		s.problem == "no such folder" && !s.known {
		return ""
	}
	idx, k := "I/N", "I"
	if s.known {
		idx, k = fmt.Sprintf("%d/%d", s.info.Shard, s.info.Shards), strconv.Itoa(s.info.Shard)
	}
	if s.hash != "" {
		expFile = filepath.Join(s.dir, experimentCopy)
	}
	cmd := fmt.Sprintf("countysim sweep %s --shard %s --out %s", expFile, idx, s.dir)
	rm := ""
	switch {
	case strings.HasPrefix(s.problem, "incomplete"):
		cmd += " --resume"
	case s.problem != "" && s.problem != "no such folder":
		rm = "rm -r " + s.dir + " && "
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

func readShardInfo(dir string) (shardInfo, error) {
	var info shardInfo
	data, err := os.ReadFile(filepath.Join(dir, shardRecord))
	if err != nil {
		return info, err
	}
	return info, json.Unmarshal(data, &info)
}

// shardDone reports whether dir holds shard i of n of exp, finished.
func shardDone(dir string, exp *scenarios.Experiment, i, n int) bool {
	info, err := readShardInfo(dir)
	return err == nil && info.Complete && !fileExists(filepath.Join(dir, journalName)) &&
		info.Hash == exp.Hash() && info.Shard == i && info.Shards == n
}

// checkRuns checks that runs.csv holds exactly runs first .. first+count-1 in order and
// returns how many of them failed.
func checkRuns(path string, first, count int) (failed int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		return 0, fmt.Errorf("%s: no header (%v)", batch.RunsFile, err)
	}
	n := 0
	for ; ; n++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("%s: %v", batch.RunsFile, err)
		}
		if len(rec) < 3 || rec[0] != strconv.Itoa(first+n) {
			return 0, fmt.Errorf("%s: row %d is run %q, want run %d", batch.RunsFile, n+1, rec[0], first+n)
		}
		if rec[len(rec)-2] == batch.StatusFailed {
			failed++
		}
	}
	if n != count {
		return 0, fmt.Errorf("%s holds %d runs, but %s says %d", batch.RunsFile, n, shardRecord, count)
	}
	return failed, nil
}

// prepareMergeDir creates the output folder with the experiment in it. Merging again into a
// folder that holds the same experiment rewrites it; anything else there is refused.
func prepareMergeDir(dir string, exp *scenarios.Experiment, shards []*shardDir) error {
	for _, s := range shards {
		if sameFolder(dir, s.dir) {
			return usageErr("--out %s is one of the shard folders; choose another --out", dir)
		}
	}
	if fileExists(filepath.Join(dir, journalName)) {
		return usageErr("--out %s holds an interrupted sweep; choose another --out", dir)
	}
	saved := filepath.Join(dir, experimentCopy)
	if data, err := os.ReadFile(saved); err == nil && string(data) != string(exp.Data) {
		return usageErr("--out %s holds a different experiment; choose another --out", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(saved, exp.Data, 0o644)
}

func sameFolder(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}

// concatTables writes the table name of every shard, in order, into dir: the first shard's
// header, then each shard's rows.
func concatTables(dir, name string, shards []*shardDir) error {
	tmp := filepath.Join(dir, name+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	err = func() error {
		var header string
		for i, s := range shards {
			in, err := os.Open(filepath.Join(s.dir, name))
			if err != nil {
				return err
			}
			r := bufio.NewReader(in)
			h, err := r.ReadString('\n')
			if err == nil {
				switch {
				case i == 0:
					header = h
					_, err = w.WriteString(h)
				case h != header:
					err = fmt.Errorf("%s: the header of %s differs from %s's", s.dir, name, shards[0].dir)
				}
			}
			if err == nil {
				_, err = io.Copy(w, r)
			}
			in.Close()
			if err != nil {
				return err
			}
		}
		return w.Flush()
	}()
	if err = errors.Join(err, f.Sync(), f.Close()); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, name))
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
