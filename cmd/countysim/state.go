package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/pflag"

	"github.com/countysim/countysim/batch"
	"github.com/countysim/countysim/lang"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/results"
	"github.com/countysim/countysim/scenarios"
	"github.com/countysim/countysim/sim"
)

// A state file holds a run stopped at the end of a month, to continue it or branch from it
// (run --save-at, run --from, compare --from). Layout:
//
//	magic        16 bytes "countysim-state\n"
//	format       uint32 little-endian, stateFormat
//	4 sections   each a uint64 little-endian length and its bytes:
//	  header     JSON (stateHeader: tool, version, commit, model schema, scenario, seed, month)
//	  scenario   the scenario the state was run under, in full (as `countysim scenarios show`)
//	  model      sim.Model.MarshalState
//	  history    months 1..month: each month the counties' values (float64 little-endian,
//	             sim.NumMetrics per county) and their PMC steps (one byte each), so that the
//	             outputs of a continued run cover the whole period (not compressed: gzip
//	             saved a third of a national state and tripled the time to write and read it)
//	checksum     SHA-256 of everything before it
const (
	stateMagic  = "countysim-state\n"
	stateFormat = 1
)

// stateHeader is the readable header of a state file.
type stateHeader struct {
	Tool     string           `json:"tool"`
	Version  string           `json:"version"`
	Commit   string           `json:"commit"`
	Schema   string           `json:"model_schema"`
	Scenario string           `json:"scenario"`
	Seed     results.JSONSeed `json:"seed"`
	Month    int              `json:"month"`
	Counties int              `json:"counties"`
	// Build is the saving countysim's build (buildID): a state is continued by that build
	// only, as a sweep folder is resumed by it ("" in states of an older countysim).
	Build string `json:"build,omitempty"`
}

// savedState is a state file read back.
type savedState struct {
	path     string
	sha256   string // of the file's bytes
	header   stateHeader
	scenario *scenarios.Scenario
	model    []byte
	history  []byte
	saved    *sim.Config // the model's config, once read
}

// stateFlags are the flags of run and compare that save or branch from a state.
type stateFlags struct {
	from   string
	saveAt int
}

func (f *stateFlags) register(fs *pflag.FlagSet, save bool) {
	fs.StringVar(&f.from, "from", "", "continue from a state file written by run --save-at (the state's scenario, changed by --set and --months)")
	if save {
		fs.IntVar(&f.saveAt, "save-at", 0, "write the whole model state at the end of this month into the output folder (state-mMONTH.cstate)")
	}
}

// writeState writes the state of m (at the end of its month) into path, atomically.
func writeState(path string, s *scenarios.Scenario, m *sim.Model, history []byte) error {
	model, err := m.MarshalState()
	if err != nil {
		return err
	}
	yamlText, err := scenarios.Marshal(s)
	if err != nil {
		return err
	}
	head, err := json.Marshal(stateHeader{Tool: "countysim", Version: version(), Commit: commit(), Schema: sim.StateSchema(),
		Scenario: s.Name, Seed: results.JSONSeed(s.Config.Seed), Month: m.Month(), Counties: len(m.Counties), Build: buildID()})
	if err != nil {
		return err
	}
	buf := make([]byte, 0, len(model)+len(history)+len(yamlText)+len(head)+100)
	buf = append(buf, stateMagic...)
	buf = binary.LittleEndian.AppendUint32(buf, stateFormat)
	for _, sec := range [][]byte{head, yamlText, model, history} {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(len(sec)))
		buf = append(buf, sec...)
	}
	sum := sha256.Sum256(buf)
	buf = append(buf, sum[:]...)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf, 0o644); err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	return nil
}

// within says path lies inside folder dir (or is it).
func within(path, dir string) bool {
	p, err1 := filepath.Abs(path)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// maxStateBytes caps a state file's size (a national state of 600 months is some 720 MB).
const maxStateBytes = 4 << 30

// readState reads and checks a state file. Every problem is bad input (exit status 2). A path
// that is not a regular file (a pipe, a device), one that does not start as a state, or one
// above maxStateBytes is refused before it is read whole.
func readState(path string) (*savedState, error) {
	data, err := readStateFile(path)
	if err != nil {
		return nil, badInput(fmt.Errorf("state %s: %w", path, err))
	}
	st, err := parseState(path, data)
	if err != nil {
		return nil, badInput(fmt.Errorf("state %s: %w", path, err))
	}
	sum := sha256.Sum256(data)
	st.sha256 = hex.EncodeToString(sum[:])
	return st, nil
}

func readStateFile(path string) ([]byte, error) {
	// Stat before Open: opening a named pipe waits for a writer.
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	switch {
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("not a regular file (%s; allowed: a state file written by run --save-at)", fi.Mode().Type())
	case fi.Size() > maxStateBytes:
		return nil, fmt.Errorf("%d bytes (allowed: a state file written by run --save-at, at most %d bytes)", fi.Size(), int64(maxStateBytes))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, len(stateMagic))
	n, _ := io.ReadFull(f, head)
	if string(head[:n]) != stateMagic {
		return head[:n], nil // not a state, or an empty or truncated one: parseState says which
	}
	data := make([]byte, fi.Size())
	copy(data, head)
	if _, err := io.ReadFull(f, data[n:]); err != nil {
		return nil, fmt.Errorf("reading: %w", err)
	}
	return data, nil
}

func parseState(path string, data []byte) (*savedState, error) {
	if len(data) < len(stateMagic) && bytes.HasPrefix([]byte(stateMagic), data) {
		return nil, errors.New("truncated: the file ends inside its header")
	}
	if len(data) < len(stateMagic) || string(data[:len(stateMagic)]) != stateMagic {
		return nil, errors.New("not a countysim state file (no countysim-state header)")
	}
	if len(data) < len(stateMagic)+4 {
		return nil, errors.New("truncated: the file ends inside its header")
	}
	if v := binary.LittleEndian.Uint32(data[len(stateMagic):]); v != stateFormat {
		return nil, fmt.Errorf("state format version %d; this countysim %s reads format version %d only (continue it with the countysim that saved it)", v, version(), stateFormat)
	}
	if len(data) < len(stateMagic)+4+sha256.Size {
		return nil, errors.New("truncated: the file is shorter than its header and checksum")
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil, errors.New("checksum mismatch: the file is truncated or corrupted")
	}
	rest := body[len(stateMagic)+4:]
	var secs [4][]byte
	for i := range secs {
		if len(rest) < 8 {
			return nil, errors.New("corrupted: section missing")
		}
		n := binary.LittleEndian.Uint64(rest)
		rest = rest[8:]
		if n > uint64(len(rest)) {
			return nil, errors.New("corrupted: a section is longer than the file")
		}
		secs[i], rest = rest[:n], rest[n:]
	}
	if len(rest) != 0 {
		return nil, errors.New("corrupted: bytes after the last section")
	}
	st := &savedState{path: path, model: secs[2]}
	if err := json.Unmarshal(secs[0], &st.header); err != nil {
		return nil, fmt.Errorf("corrupted header: %w", err)
	}
	h := st.header
	if h.Version != version() {
		return nil, fmt.Errorf("saved by countysim %s (commit %s); this is countysim %s: continue it with the version that saved it", h.Version, h.Commit, version())
	}
	if h.Build != "" && h.Build != buildID() {
		return nil, fmt.Errorf("saved by another build of countysim (%s); this is %s: continue it with the countysim that saved it (two builds may compute other numbers, and the run would mix them)", h.Build, buildID())
	}
	if h.Month < 0 || h.Counties < 0 || h.Month > 100000 || h.Counties > 1_000_000 {
		return nil, fmt.Errorf("corrupted header: month %d, %d counties", h.Month, h.Counties)
	}
	if h.Schema != sim.StateSchema() {
		return nil, fmt.Errorf("saved by a model with another state layout (schema %.12s, this build %.12s; commit %s): continue it with the build that saved it", h.Schema, sim.StateSchema(), h.Commit)
	}
	// The saved scenario is the full form: it names no file (a hand-made one naming a
	// counties file is refused, not read).
	s, err := scenarios.ParseNoFiles(path+" (saved scenario)", secs[1])
	if err != nil {
		return nil, fmt.Errorf("saved scenario: %w", err)
	}
	st.scenario = s
	st.history = secs[3]
	if want := h.Month * h.Counties * (8*sim.NumMetrics + 1); len(st.history) != want {
		return nil, fmt.Errorf("corrupted history: %d bytes for %d months of %d counties, want %d", len(st.history), h.Month, h.Counties, want)
	}
	return st, nil
}

// historyRecorder keeps every month's county values and steps up to the month to save.
type historyRecorder struct {
	buf []byte
}

func (h *historyRecorder) add(m *sim.Model) {
	for _, v := range m.Values() {
		h.buf = binary.LittleEndian.AppendUint64(h.buf, math.Float64bits(v))
	}
	for i := range m.Counties {
		h.buf = append(h.buf, byte(m.Counties[i].Step))
	}
}

// replay shows observe every month of the saved history, as if the run had been watched
// from month 1.
func (st *savedState) replay(m *sim.Model, observe func(*sim.Model) error) error {
	n := len(m.Counties)
	if n != st.header.Counties || m.Month() != st.header.Month {
		return fmt.Errorf("state %s: the header says month %d and %d counties, the model has month %d and %d (corrupted)", st.path, st.header.Month, st.header.Counties, m.Month(), n)
	}
	rowBytes := n * (8*sim.NumMetrics + 1)
	values := make([]float64, n*sim.NumMetrics)
	steps := make([]int, n)
	for mo := 1; mo <= st.header.Month; mo++ {
		row := st.history[(mo-1)*rowBytes : mo*rowBytes]
		for i := range values {
			values[i] = math.Float64frombits(binary.LittleEndian.Uint64(row[8*i:]))
		}
		for i := range steps {
			steps[i] = int(row[8*len(values)+i])
		}
		if err := m.Replay(mo, values, steps, observe); err != nil {
			return err
		}
	}
	return nil
}

// branchScenario is the scenario of a branch: the state's own ("@state", or "" for run), the
// state's own with changes ("@state+approval.item_cut=0.5+approval.start=24", named so), or a
// scenario named by arg; with --months and --set applied, validated, and checked against
// the saved state.
func (st *savedState) branchScenario(fs *pflag.FlagSet, sf *scenarioFlags, arg string) (*scenarios.Scenario, error) {
	var s *scenarios.Scenario
	if rest, ok := strings.CutPrefix(arg, "@state"); arg == "" || ok {
		c := *st.scenario
		s = &c
		if rest != "" {
			if !strings.HasPrefix(rest, "+") {
				return nil, usageErr("option %q: write @state or @state+FIELD=VALUE[+FIELD=VALUE...]", arg)
			}
			for _, a := range strings.Split(rest[1:], "+") {
				if err := scenarios.Set(s, a); err != nil {
					return nil, badInput(fmt.Errorf("option %q: %w", arg, err))
				}
			}
			// The option's name says its changes in the characters names allow
			// (FIELD=VALUE becomes FIELD VALUE), and its description says them in full, as
			// the report quotes it.
			s.Name += strings.ReplaceAll(rest, "=", " ")
			s.Description = strings.TrimSpace(fmt.Sprintf("%s Changed from the saved state at month %d: %s.",
				s.Description, st.header.Month, strings.Join(strings.Split(rest[1:], "+"), ", ")))
		}
	} else {
		var err error
		if s, err = scenarios.Resolve(arg); err != nil {
			return nil, badInput(err)
		}
	}
	if fs.Changed("months") {
		s.Config.Months = sf.months
	}
	for _, a := range sf.sets {
		if err := scenarios.Set(s, a); err != nil {
			return nil, badInput(err)
		}
	}
	if err := scenarios.Validate(s); err != nil {
		return nil, badInput(err)
	}
	if st.saved == nil {
		saved, _, err := sim.SavedConfig(st.model)
		if err != nil {
			return nil, badInput(fmt.Errorf("state %s: %w", st.path, err))
		}
		st.saved = &saved
	}
	if err := sim.CheckBranch(*st.saved, s.Config, st.header.Month); err != nil {
		return nil, badInput(fmt.Errorf("scenario %s from state %s: %w", s.Name, st.path, err))
	}
	return s, nil
}

// restore builds the model of a branch under s.
func (st *savedState) restore(s *scenarios.Scenario) (*sim.Model, error) {
	m, err := sim.Restore(st.model, s.Config)
	if err != nil {
		return nil, badInput(fmt.Errorf("state %s: %w", st.path, err))
	}
	return m, nil
}

// runState is what `run` does with states: continue from one, save one, or neither (nil).
type runState struct {
	from   *savedState
	saveAt int
	hist   historyRecorder
	saved  string // path written
}

// loadRun resolves run's scenario: from the state with --from, else as usual.
func (f *stateFlags) loadRun(fs *pflag.FlagSet, sf *scenarioFlags, reps int) (*scenarios.Scenario, *runState, error) {
	if f.from == "" && f.saveAt == 0 {
		s, err := sf.loadArg(fs)
		return s, nil, err
	}
	if f.saveAt < 0 {
		return nil, nil, usageErr("--save-at: bad value %d (allowed: a month from 1 to the horizon)", f.saveAt)
	}
	if reps > 1 {
		flag := "--save-at"
		if f.from != "" {
			flag = "--from"
		}
		return nil, nil, usageErr("%s runs one replication, not --reps %d; use compare --from for replications of a branch", flag, reps)
	}
	rs := &runState{saveAt: f.saveAt}
	var s *scenarios.Scenario
	var err error
	if f.from == "" {
		if s, err = sf.loadArg(fs); err != nil {
			return nil, nil, err
		}
	} else {
		if fs.NArg() > 0 {
			return nil, nil, usageErr("--from continues the state's own scenario; change it with --set and --months, not a scenario argument (%v)", fs.Args())
		}
		if fs.Changed("seed") {
			return nil, nil, usageErr("--seed: a branch keeps the seed of its saved state")
		}
		if rs.from, err = readState(f.from); err != nil {
			return nil, nil, err
		}
		if s, err = rs.from.branchScenario(fs, sf, ""); err != nil {
			return nil, nil, err
		}
		if f.saveAt > 0 && f.saveAt <= rs.from.header.Month {
			return nil, nil, usageErr("--save-at: bad value %d (the state is already at month %d; allowed: a later month)", f.saveAt, rs.from.header.Month)
		}
	}
	if f.saveAt > s.Config.Months {
		return nil, nil, usageErr("--save-at: bad value %d (allowed: a month from 1 to the horizon %d)", f.saveAt, s.Config.Months)
	}
	return s, rs, nil
}

// defaultDir is the output folder of a branch run.
func (rs *runState) defaultDir(s *scenarios.Scenario) string {
	if rs == nil || rs.from == nil {
		return filepath.Join("out", s.Name)
	}
	return filepath.Join("out", fmt.Sprintf("%s-from-m%d", s.Name, rs.from.header.Month))
}

// model builds the run's model: restored from the state, or new.
func (rs *runState) model(s *scenarios.Scenario) (*sim.Model, error) {
	if rs == nil || rs.from == nil {
		m, err := sim.New(s.Config)
		if err != nil {
			return nil, badInput(err)
		}
		return m, nil
	}
	return rs.from.restore(s)
}

// start replays the saved history into the run's observer (nothing for a new run).
func (rs *runState) start(m *sim.Model, observe func(*sim.Model) error) error {
	if rs == nil || rs.from == nil {
		return nil
	}
	rs.hist.buf = append(rs.hist.buf, rs.from.history...)
	return rs.from.replay(m, observe)
}

// observe keeps the history and writes the state at the month to save.
func (rs *runState) observe(s *scenarios.Scenario, m *sim.Model, dir string) error {
	if rs == nil || rs.saveAt == 0 || m.Month() > rs.saveAt {
		return nil
	}
	rs.hist.add(m)
	if m.Month() < rs.saveAt {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	path := filepath.Join(dir, fmt.Sprintf("state-m%d.cstate", m.Month()))
	if err := writeState(path, s, m, rs.hist.buf); err != nil {
		return err
	}
	rs.saved, rs.hist.buf = path, nil
	return nil
}

// report prints where the state went, once the output folder is in place at dir.
func (rs *runState) report(l lang.Lang, stdout io.Writer, dir string) {
	if rs != nil && rs.saved != "" {
		fmt.Fprintln(stdout, "  "+l.F("state at the end of month %d: %s", rs.saveAt, filepath.Join(dir, filepath.Base(rs.saved))))
	}
}

// compareFrom is `compare --from STATE A B...`: every option continues the saved history;
// replication r of every option reseeds the model's stream with batch.Seed(master, r) at the
// branch, so the options share the history and their replications are paired.
func compareFrom(fs *pflag.FlagSet, sf *scenarioFlags, lf *langFlag, from, dir string, reps, workers int, quiet bool, stdout, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := readState(from)
	if err != nil {
		return err
	}
	var ss []*scenarios.Scenario
	seen := map[string]string{}
	for _, arg := range fs.Args() {
		s, err := st.branchScenario(fs, sf, arg)
		if err != nil {
			return err
		}
		if prev, ok := seen[s.Name]; ok {
			return usageErr("scenarios %q and %q are both named %q; compared scenarios need distinct names", prev, arg, s.Name)
		}
		seen[s.Name] = arg
		ss = append(ss, s)
	}
	for _, s := range ss[1:] {
		if s.Config.Months != ss[0].Config.Months {
			return usageErr("scenario %s runs %d months and %s %d; compared scenarios need the same horizon (use --months)", s.Name, s.Config.Months, ss[0].Name, ss[0].Config.Months)
		}
	}
	// --lang, else the first scenario file's lang:, else the locale (as compare without --from).
	if ctx, err = lf.with(ctx, ss[0].Lang); err != nil {
		return err
	}
	master := uint64(st.header.Seed)
	if fs.Changed("seed") {
		master = sf.seed
	}
	if dir == "" {
		var names []string
		for _, s := range ss {
			names = append(names, s.Name)
		}
		dir = filepath.Join("out", fmt.Sprintf("compare-from-m%d-%s", st.header.Month, safeName(strings.Join(names, "-vs-"))))
	}
	meta := ensembleMeta(master, reps)
	meta.Lang = langOf(ctx)
	meta.SeedRule = fmt.Sprintf("every replication continues the state %s (seed %d, month %d); replication r (r = 0 .. reps-1) of every scenario reseeds the model's stream at the branch with batch.Seed(master_seed, r)",
		filepath.Base(st.path), st.header.Seed, st.header.Month)
	es := make([]*observe.Ensemble, len(ss))
	for i, s := range ss {
		yamlText, err := scenarios.Marshal(s)
		if err != nil {
			return err
		}
		es[i] = &observe.Ensemble{Name: s.Name, Description: s.Description, Preset: s.Preset,
			Hash: scenarios.Hash(s), YAML: yamlText, Config: s.Config, Tracks: make([]*observe.Track, reps)}
	}
	prog := newProgress(stderr, quiet, len(ss)*reps, unitRuns, langOf(ctx))
	err = forEach(ctx, len(ss)*reps, workers, prog, func(ctx context.Context, j int) error {
		s, r := ss[j/reps], j%reps
		tr, err := branchReplication(ctx, st, s, batch.Seed(master, r))
		if err != nil {
			return fmt.Errorf("scenario %s, replication %d (stream seed %d): %w", s.Name, r, batch.Seed(master, r), err)
		}
		es[j/reps].Tracks[r] = tr
		return nil
	})
	if err != nil {
		return err
	}
	if err := results.WriteComparison(ctx, dir, es, meta); err != nil {
		return interrupted(ctx, err)
	}
	l := langOf(ctx)
	fmt.Fprintln(stdout, l.F("countysim: compared %d scenarios from month %d of %s, %d runs each (master seed %d), and wrote %s",
		len(ss), st.header.Month, st.path, reps, master, dir))
	fmt.Fprintln(stdout, "  "+l.F("read %s (or %s) first", filepath.Join(dir, results.ReportMarkdownFile), results.ReportHTMLFile))
	return nil
}

// branchReplication continues the state under s with the stream reseeded, and returns its
// track over the whole period (the saved history replayed, then the branch).
func branchReplication(ctx context.Context, st *savedState, s *scenarios.Scenario, seed uint64) (tr *observe.Track, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	m, err := st.restore(s)
	if err != nil {
		return nil, err
	}
	m.Reseed(seed)
	if tr, err = observe.NewEnsembleTrack(m); err != nil {
		return nil, err
	}
	if err := st.replay(m, tr.Observe); err != nil {
		return nil, err
	}
	err = m.Run(func(m *sim.Model) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return tr.Observe(m)
	})
	return tr, err
}
