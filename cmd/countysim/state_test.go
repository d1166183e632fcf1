package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/countysim/countysim/results"
	"github.com/countysim/countysim/scenarios"
	"github.com/countysim/countysim/sim"
)

// teachingRun is a short run of the teaching preset.
var teachingRun = []string{"run", "pmc-three-step", "--set", "preset=teaching", "--months", "30", "-q", "--no-plots"}

// saveState runs teachingRun saving the state at month and returns the state's path.
func saveState(t *testing.T, month string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "saved")
	if code, _, stderr := runCLI(t, append(teachingRun, "--out", dir, "--save-at", month)...); code != 0 {
		t.Fatalf("run --save-at %s: exit %d: %s", month, code, stderr)
	}
	return filepath.Join(dir, "state-m"+month+".cstate")
}

func TestContinuedRunGivesTheBytesOfAnUninterruptedRun(t *testing.T) {
	for _, panel := range []string{"yearly", "monthly"} {
		straight := filepath.Join(t.TempDir(), "straight")
		if code, _, stderr := runCLI(t, append(teachingRun, "--out", straight, "--panel", panel)...); code != 0 {
			t.Fatalf("run: exit %d: %s", code, stderr)
		}
		state := saveState(t, "11")
		cont := filepath.Join(t.TempDir(), "continued")
		if code, _, stderr := runCLI(t, "run", "--from", state, "-q", "--no-plots", "--out", cont, "--panel", panel); code != 0 {
			t.Fatalf("run --from: exit %d: %s", code, stderr)
		}
		for _, f := range []string{results.SeriesFile, results.CountiesFile, results.SummaryFile, results.MetricsFile} {
			if !bytes.Equal(readFile(t, filepath.Join(straight, f)), readFile(t, filepath.Join(cont, f))) {
				t.Errorf("%s panel: %s of the continued run differs from the uninterrupted run", panel, f)
			}
		}
		// The run that saved the state wrote the same outputs too.
		if !bytes.Equal(readFile(t, filepath.Join(straight, results.SeriesFile)), readFile(t, filepath.Join(filepath.Dir(state), results.SeriesFile))) {
			t.Errorf("%s panel: saving the state changed the run's series", panel)
		}
	}
}

func TestStateSavedFromAContinuedRunContinuesToo(t *testing.T) {
	straight := filepath.Join(t.TempDir(), "straight")
	if code, _, stderr := runCLI(t, append(teachingRun, "--out", straight)...); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	first := saveState(t, "7")
	mid := filepath.Join(t.TempDir(), "mid")
	if code, _, stderr := runCLI(t, "run", "--from", first, "--save-at", "19", "-q", "--no-plots", "--out", mid); code != 0 {
		t.Fatalf("run --from --save-at: exit %d: %s", code, stderr)
	}
	last := filepath.Join(t.TempDir(), "last")
	if code, _, stderr := runCLI(t, "run", "--from", filepath.Join(mid, "state-m19.cstate"), "-q", "--no-plots", "--out", last); code != 0 {
		t.Fatalf("run --from the second state: exit %d: %s", code, stderr)
	}
	for _, f := range []string{results.SeriesFile, results.CountiesFile} {
		if !bytes.Equal(readFile(t, filepath.Join(straight, f)), readFile(t, filepath.Join(last, f))) {
			t.Errorf("%s after two saves differs from the uninterrupted run", f)
		}
	}
}

func TestBranchChangesOnlyTheFuture(t *testing.T) {
	state := saveState(t, "11")
	straight := filepath.Join(filepath.Dir(state))
	branch := filepath.Join(t.TempDir(), "branch")
	code, _, stderr := runCLI(t, "run", "--from", state, "-q", "--no-plots", "--out", branch,
		"--set", "approval.item_cut=0.6", "--set", "approval.start=12")
	if code != 0 {
		t.Fatalf("run --from with a later lever: exit %d: %s", code, stderr)
	}
	a := strings.Split(string(readFile(t, filepath.Join(straight, results.SeriesFile))), "\n")
	b := strings.Split(string(readFile(t, filepath.Join(branch, results.SeriesFile))), "\n")
	if len(a) != len(b) {
		t.Fatalf("series of %d and %d lines", len(a), len(b))
	}
	firstDiff := -1
	for i := range a {
		if a[i] != b[i] {
			firstDiff = i
			break
		}
	}
	if firstDiff < 0 {
		t.Fatal("the branch with an approval reform from month 12 ran like the saved run")
	}
	// Lever months count from 0: start 12 acts from the 13th month of the outputs.
	if month := strings.Split(b[firstDiff], ",")[0]; month != "13" {
		t.Errorf("the branch first differs at month %s (line %q), want month 13", month, b[firstDiff])
	}
}

func TestFromRefusesBadStatesAndChanges(t *testing.T) {
	state := saveState(t, "8")
	data := readFile(t, state)
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	flipped := bytes.Clone(data)
	flipped[len(flipped)/2] ^= 1
	other := bytes.Clone(data)
	binary.LittleEndian.PutUint32(other[len(stateMagic):], stateFormat+1)
	// A header edited, with the checksum made again.
	edit := func(change func(h map[string]any)) []byte {
		at := len(stateMagic) + 4
		n := binary.LittleEndian.Uint64(data[at:])
		var h map[string]any
		if err := json.Unmarshal(data[at+8:at+8+int(n)], &h); err != nil {
			t.Fatal(err)
		}
		change(h)
		head, _ := json.Marshal(h)
		out := append(bytes.Clone(data[:at]), binary.LittleEndian.AppendUint64(nil, uint64(len(head)))...)
		out = append(append(out, head...), data[at+8+int(n):len(data)-sha256.Size]...)
		sum := sha256.Sum256(out)
		return append(out, sum[:]...)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	own := filepath.Join(dir, "own")
	if err := os.MkdirAll(own, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--from", write("trunc.cstate", data[:len(data)/3])}, "truncated or corrupted"},
		{[]string{"--from", write("flip.cstate", flipped)}, "checksum mismatch"},
		{[]string{"--from", write("v2.cstate", other)}, "format version 2"},
		{[]string{"--from", write("junk.cstate", []byte("hello"))}, "not a countysim state"},
		{[]string{"--from", write("short.cstate", []byte(stateMagic[:5]))}, "truncated"},
		{[]string{"--from", write("build.cstate", edit(func(h map[string]any) { h["build"] = "commit 0123456" }))}, "saved by another build of countysim (commit 0123456)"},
		{[]string{"--from", write("month.cstate", edit(func(h map[string]any) { h["month"], h["counties"] = -20, -20 }))}, "corrupted header: month -20, -20 counties"},
		{[]string{"--from", fifo}, "not a regular file"},
		{[]string{"--from", dir}, "not a regular file"},
		{[]string{"--from", state, "--set", "seed=7"}, "seed: 1 in the saved state, 7 asked"},
		{[]string{"--from", state, "--set", "world.provinces[0].towns=400"}, "world.provinces[0].towns"},
		{[]string{"--from", state, "--set", "approval.item_cut=0.5"}, "approval.item_cut"},
		{[]string{"--from", state, "--months", "5"}, "months:"},
		{[]string{"--from", state, "baseline"}, "not a scenario argument"},
		{[]string{"--from", state, "--save-at", "3"}, "already at month 8"},
		{[]string{"pmc-three-step", "--save-at", "999"}, "--save-at: bad value 999"},
		{[]string{"pmc-three-step", "--save-at", "5", "--reps", "2"}, "compare --from"},
	}
	for _, tc := range tests {
		code, _, stderr := runCLI(t, append(append([]string{"run"}, tc.args...), "-q", "--no-plots", "--out", filepath.Join(dir, "out"))...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("run %v: exit %d, %q; want exit 2 and a message with %q", tc.args, code, stderr, tc.want)
		}
	}
	// A state inside the folder the run replaces is refused (it was deleted with the folder).
	inside := filepath.Join(own, "state.cstate")
	if err := os.WriteFile(inside, data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "run", "--from", inside, "-q", "--no-plots", "--out", own, "--force")
	if code != 2 || !strings.Contains(stderr, "is inside the output folder") {
		t.Errorf("run --from a state inside --out: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(inside); err != nil {
		t.Errorf("the state inside --out is gone: %v", err)
	}
}

func TestCompareFromSharesTheHistory(t *testing.T) {
	state := saveState(t, "10")
	out := filepath.Join(t.TempDir(), "cmp")
	code, stdout, stderr := runCLI(t, "compare", "--from", state, "@state", "@state+approval.item_cut=0.6+approval.start=12",
		"--reps", "3", "-j", "2", "-q", "--out", out)
	if code != 0 {
		t.Fatalf("compare --from: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "from month 10") {
		t.Errorf("stdout %q does not say where the branch starts", stdout)
	}
	lines := strings.Split(string(readFile(t, filepath.Join(out, results.DifferencesFile))), "\n")
	found := false
	for _, l := range lines {
		if strings.HasPrefix(l, "pmc-three-step+approval.item_cut 0.6+approval.start 12,pmc-three-step,province,approval_days,days,final_year,") {
			found = true
			if f := strings.Split(l, ","); !strings.HasPrefix(f[8], "-") {
				t.Errorf("cutting items from month 12 did not shorten approvals: %s", l)
			}
		}
	}
	if !found {
		t.Fatalf("no approval_days difference for the branch option in %s", results.DifferencesFile)
	}
	// The same bytes whatever the number of workers.
	code, _, stderr = runCLI(t, "compare", "--from", state, "@state", "@state+approval.item_cut=0.6+approval.start=12",
		"--reps", "3", "-j", "1", "-q", "--out", out+"1")
	if code != 0 {
		t.Fatalf("compare --from -j 1: exit %d: %s", code, stderr)
	}
	for _, f := range []string{results.DifferencesFile, results.EnsembleFile} {
		if !bytes.Equal(readFile(t, filepath.Join(out, f)), readFile(t, filepath.Join(out+"1", f))) {
			t.Errorf("%s differs between 2 workers and 1", f)
		}
	}
	// --lang zh: the closing lines and the report in Chinese, as compare without --from.
	code, stdout, stderr = runCLI(t, "compare", "--from", state, "@state", "@state+approval.item_cut=0.6+approval.start=12",
		"--reps", "2", "--lang", "zh", "-q", "--out", out+"zh")
	if code != 0 || !strings.Contains(stdout, "比较2个情景") {
		t.Errorf("compare --from --lang zh: exit %d, printed %q: %s", code, stdout, stderr)
	}
	if rep := string(readFile(t, filepath.Join(out+"zh", results.ReportMarkdownFile))); !strings.HasPrefix(rep, "# 改革方案比较") ||
		!strings.Contains(rep, "试点县分批按三步推进省直管县。自保存状态的第10月起改变：approval.item_cut=0.6, approval.start=12。") {
		t.Errorf("compare --from --lang zh wrote a report that begins %q, or does not say what the option changed", rep[:min(len(rep), 60)])
	}
	if rep := string(readFile(t, filepath.Join(out, results.ReportMarkdownFile))); !strings.Contains(rep, "Changed from the saved state at month 10: approval.item_cut=0.6, approval.start=12.") {
		t.Error("compare --from's report does not say what the option changed")
	}
	code, _, stderr = runCLI(t, "compare", "--from", state, "@state", "baseline", "-q", "--out", out+"2")
	if code != 2 || !strings.Contains(stderr, "scenario baseline from state") {
		t.Errorf("compare --from with a scenario of another world: exit %d, %q; want exit 2 naming the scenario", code, stderr)
	}
}

// BenchmarkStateNational writes the state of the national preset at month 24 (history
// included) and reads it back into a model, and reports the file's size.
func BenchmarkStateNational(b *testing.B) {
	s, err := scenarios.Builtin("pmc-three-step")
	if err != nil {
		b.Fatal(err)
	}
	if err := scenarios.Set(s, "preset=national"); err != nil {
		b.Fatal(err)
	}
	m, err := sim.New(s.Config)
	if err != nil {
		b.Fatal(err)
	}
	var h historyRecorder
	for m.Month() < 24 {
		if err := m.Step(); err != nil {
			b.Fatal(err)
		}
		h.add(m)
	}
	path := filepath.Join(b.TempDir(), "national.cstate")
	b.Run("write", func(b *testing.B) {
		for b.Loop() {
			if err := writeState(path, s, m, h.buf); err != nil {
				b.Fatal(err)
			}
		}
		fi, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(fi.Size()), "bytes")
	})
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			st, err := readState(path)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := st.restore(st.scenario); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestSavedStateIsInTheManifest: the state run --save-at writes is listed in the folder's
// manifest with its size and SHA-256, so the same command run again takes the folder as its
// own instead of refusing it for a file it wrote itself.
func TestSavedStateIsInTheManifest(t *testing.T) {
	state := saveState(t, "11")
	dir := filepath.Dir(state)
	var man results.Manifest
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, results.ManifestFile)), &man); err != nil {
		t.Fatal(err)
	}
	data := readFile(t, state)
	sum := sha256.Sum256(data)
	i := slices.IndexFunc(man.Files, func(f results.FileInfo) bool { return f.Name == filepath.Base(state) })
	if i < 0 || man.Files[i].Bytes != int64(len(data)) || man.Files[i].SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("manifest files %+v: want %s with %d bytes and its SHA-256", man.Files, filepath.Base(state), len(data))
	}
	if code, _, stderr := runCLI(t, append(teachingRun, "--out", dir, "--save-at", "11")...); code != 0 {
		t.Fatalf("the same run --save-at into its own folder: exit %d: %s", code, stderr)
	}
	if !bytes.Equal(readFile(t, state), data) {
		t.Error("the state saved again differs")
	}
}

// TestContinuedRunNamesItsState: a continued run's manifest names the state it came from (its
// path, sha256 and month), where only the command line's arguments held the path.
func TestContinuedRunNamesItsState(t *testing.T) {
	state := saveState(t, "6")
	sum := sha256.Sum256(readFile(t, state))
	out := filepath.Join(t.TempDir(), "c")
	code, stdout, stderr := runCLI(t, "run", "--from", state, "-q", "--no-plots", "--out", out)
	if code != 0 {
		t.Fatalf("run --from: exit %d: %s", code, stderr)
	}
	// Its counterfactual runs from month 1: the terminal says it does not share the history.
	if !strings.Contains(stdout, "This run continues a saved state: its counterfactual runs from month 1") {
		t.Errorf("the terminal does not say what the counterfactual of a continued run is:\n%s", stdout)
	}
	var man struct {
		From *results.StateRef `json:"continued_from"`
	}
	if err := json.Unmarshal(readFile(t, filepath.Join(out, "manifest.json")), &man); err != nil {
		t.Fatal(err)
	}
	if man.From == nil || man.From.Path != state || man.From.SHA256 != hex.EncodeToString(sum[:]) || man.From.Month != 6 {
		t.Errorf("continued_from %+v", man.From)
	}
}
