package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/countysim/countysim/batch"
	"github.com/countysim/countysim/results"
	"github.com/countysim/countysim/scenarios"
	"github.com/countysim/countysim/sim"
)

// tinyScenario is the named built-in in one small province (3 prefectures, 12 counties, 150
// towns) over 24 months.
func tinyScenario(t *testing.T, name string) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.Resolve(name)
	if err != nil {
		t.Fatal(err)
	}
	s.Config.World.Provinces = []sim.ProvinceSpec{{Name: "Small", Prefectures: 3, Counties: 12, Towns: 150}}
	s.Config.Months = 24
	return s
}

func TestCompareSameBytesWhateverTheWorkers(t *testing.T) {
	t.Parallel() // renders figures, the slow part
	ss := []*scenarios.Scenario{tinyScenario(t, "baseline"), tinyScenario(t, "pmc-three-step")}
	const master, reps = 3, 3
	dir := filepath.Join(t.TempDir(), "cmp")
	if err := compare(context.Background(), ss, claim(t, dir, "compare"), master, reps, 2, true, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	// The same runs on one worker give the same tables, byte for byte. (Only the tables are
	// written here: the figures and the report are drawn from them.)
	es, err := runEnsembles(context.Background(), ss, master, reps, 1, true, nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := results.Differences(es, results.ComparisonGroup)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file  string
		write func(io.Writer) error
	}{
		{results.EnsembleFile, func(w io.Writer) error { return results.WriteEnsembleCSV(w, es) }},
		{results.DifferencesFile, func(w io.Writer) error {
			return results.WriteDifferencesCSV(w, ds, ss[0].Name, results.ComparisonGroup)
		}},
	} {
		got, err := os.ReadFile(filepath.Join(dir, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		var one bytes.Buffer
		if err := tc.write(&one); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, one.Bytes()) {
			t.Errorf("%s differs between -j 2 and -j 1", tc.file)
		}
	}
	md, err := os.ReadFile(filepath.Join(dir, results.ReportMarkdownFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ss {
		if !bytes.Contains(md, []byte(s.Name)) || !bytes.Contains(md, []byte(s.Description)) {
			t.Errorf("report.md does not mention scenario %s and its description", s.Name)
		}
	}
	for _, o := range results.KeyOutcomes {
		if !bytes.Contains(md, []byte(o.Label)) {
			t.Errorf("report.md does not mention outcome %q", o.Label)
		}
	}
}

func TestCompareBadArguments(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"baseline", "no-such-scenario"}, `unknown scenario "no-such-scenario"`},
		{[]string{"baseline"}, "at least two scenarios"},
		{[]string{"baseline", "pmc-three-step", "--reps", "0"}, "--reps"},
		{[]string{"baseline", "baseline"}, "distinct names"},
		{[]string{"baseline", "pmc-three-step", "--no-such-flag"}, "no-such-flag"},
	}
	for _, tc := range tests {
		var stdout, stderr bytes.Buffer
		err := cmdCompare(append(tc.args, "--out", t.TempDir(), "-q"), &stdout, &stderr)
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != 2 {
			t.Errorf("compare %v: error %v, want exit status 2", tc.args, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("compare %v: message %q does not say %q", tc.args, err, tc.want)
		}
		if strings.HasPrefix(tc.want, "unknown scenario") {
			for _, b := range scenarios.Builtins() {
				if !strings.Contains(err.Error(), b) {
					t.Errorf("the message for an unknown scenario does not list the built-in %s: %q", b, err)
				}
			}
		}
	}
}

func TestCompareInterruptedLeavesNothing(t *testing.T) {
	ss := []*scenarios.Scenario{tinyScenario(t, "baseline"), tinyScenario(t, "pmc-three-step")}
	dir := filepath.Join(t.TempDir(), "cmp")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	od := claim(t, dir, "compare")
	err := compare(ctx, ss, od, 1, 4, 2, true, nil, io.Discard, io.Discard)
	od.discard()
	noLeftovers(t, filepath.Dir(dir))
	if err != errInterrupted {
		t.Fatalf("error %v, want errInterrupted", err)
	}
	if errInterrupted.code != 130 {
		t.Fatalf("an interrupt exits with %d, want 130", errInterrupted.code)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("an interrupted comparison left %s behind", dir)
	}
}

func TestCompareFailedRunNamesScenarioAndReplication(t *testing.T) {
	bad := tinyScenario(t, "pmc-three-step")
	bad.Name = "broken"
	bad.Config.Economy.TaxRate = -1 // rejected by sim.New
	ss := []*scenarios.Scenario{tinyScenario(t, "baseline"), bad}
	dir := filepath.Join(t.TempDir(), "cmp")
	od := claim(t, dir, "compare")
	err := compare(context.Background(), ss, od, 1, 2, 2, true, nil, io.Discard, io.Discard)
	od.discard()
	noLeftovers(t, filepath.Dir(dir))
	if err == nil || !strings.Contains(err.Error(), "scenario broken, replication ") {
		t.Fatalf("error %v, want one naming scenario broken and the replication", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("a failed comparison left %s behind", dir)
	}
}

func TestRunReps(t *testing.T) {
	t.Parallel() // renders figures, the slow part
	dir := t.TempDir()
	rep, err := runReps(context.Background(), tinyScenario(t, "pmc-three-step"), dir, 3, 2, true, nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, results.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var man results.EnsembleManifest
	if err := json.Unmarshal(b, &man); err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range man.Files {
		files = append(files, f.Name)
	}
	want := []string{results.EnsembleFile}
	for _, f := range []string{"efficiency", "cost", "fiscal", "growth", "overview"} {
		want = append(want, f+".png", f+".svg")
	}
	if !slices.Equal(files, want) {
		t.Errorf("run --reps wrote %v, want %v", files, want)
	}
	if man.Reps != 3 || len(man.Seeds) != 3 || man.MasterSeed == nil || uint64(man.Seeds[2]) != batch.Seed(uint64(*man.MasterSeed), 2) {
		t.Errorf("manifest: %d reps, seeds %v from master %d; want 3 seeds batch.Seed(master, r)", man.Reps, man.Seeds, man.MasterSeed)
	}
	if line := fmt.Sprintf(rep.summary, append(rep.summaryArgs, dir)...); !strings.Contains(line, "3 times") {
		t.Errorf("summary %q does not report the replications", line)
	}
}

// claim claims dir for kind, failing the test on error.
func claim(t *testing.T, dir, kind string) *outDir {
	t.Helper()
	od, err := claimOut(dir, kind, false)
	if err != nil {
		t.Fatal(err)
	}
	return od
}

// noLeftovers fails when parent holds staging folders or temporary files.
func noLeftovers(t *testing.T, parent string) {
	t.Helper()
	ents, _ := os.ReadDir(parent)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".partial-") || strings.Contains(e.Name(), ".old-") || strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("%s left behind in %s", e.Name(), parent)
		}
	}
}

// TestCompareRefusesTwoWorlds: paired runs of two worlds would compare two provinces, not two
// reforms (a reform office's own province against the synthetic Henan gave verdicts of their
// sizes); two start years name start_year, not --months.
func TestCompareRefusesTwoWorlds(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other.yaml")
	if err := os.WriteFile(other, []byte("name: other\npreset: teaching\npmc: {enabled: true}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, e := runCLI(t, "compare", "baseline", other, "--reps", "2", "--months", "12", "--out", filepath.Join(dir, "o"))
	if code != 2 || !strings.Contains(e, "scenario other simulates preset teaching and baseline simulates Henan (109 counties); compared scenarios need the same world") {
		t.Errorf("exit %d: %s", code, e)
	}
	late := filepath.Join(dir, "late.yaml")
	if err := os.WriteFile(late, []byte("name: late\nstart_year: 2012\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, e = runCLI(t, "compare", "baseline", late, "--reps", "2", "--months", "12", "--out", filepath.Join(dir, "l"))
	if code != 2 || !strings.Contains(e, "use --set start_year=YEAR") {
		t.Errorf("exit %d: %s", code, e)
	}
	if _, err := os.Stat(filepath.Join(dir, "o")); !os.IsNotExist(err) {
		t.Errorf("a refused comparison left its folder (%v)", err)
	}
	// run's closing advice names baseline only for baseline's world.
	code, out, e := runCLI(t, "run", other, "--months", "24", "--no-plots", "--out", filepath.Join(dir, "r"))
	if code != 0 || !strings.Contains(out, "compare the scenario with a scenario without reform on the same world") || strings.Contains(out, "compare SCENARIO baseline") {
		t.Errorf("run of another world: exit %d, advice:\n%s%s", code, out, e)
	}
}

// TestCompareReportShowsTheMap: on a real world the county map is in the report with the
// other figures (it was written beside them and never shown).
func TestCompareReportShowsTheMap(t *testing.T) {
	out := filepath.Join(t.TempDir(), "m")
	code, _, e := runCLI(t, "compare", "baseline", "pmc-three-step", "--set", "preset=henan", "--months", "12", "--reps", "2", "--no-posterior", "-q", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	if md := string(readFile(t, filepath.Join(out, "report.md"))); !strings.Contains(md, "(map.png)") {
		t.Errorf("report.md does not show map.png:\n%s", md)
	}
	if html := string(readFile(t, filepath.Join(out, "report.html"))); !strings.Contains(html, "Counties compared (first replication)") {
		t.Error("report.html does not show the map")
	}
}

// TestCountyDataIsRecorded: a counties file is named, with its sha256 and how many counties it
// gave, in the manifests of run and compare and in the comparison's report.
func TestCountyDataIsRecorded(t *testing.T) {
	dir := t.TempDir()
	csv := "code,name,population,revenue\n410225,兰考县,800000,1200\n411729,新蔡县,900000,800\n"
	if err := os.WriteFile(filepath.Join(dir, "own.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(csv))
	hexSum := hex.EncodeToString(sum[:])
	for name, body := range map[string]string{
		"own-base.yaml": "name: own-base\npreset: henan\nworld:\n  counties_file: own.csv\n",
		"own-pmc.yaml":  "name: own-pmc\npreset: henan\nworld:\n  counties_file: own.csv\npmc: {enabled: true}\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	record := `"counties_file": {
    "path": "own.csv",
    "sha256": "` + hexSum + `",
    "counties_given": 2,
    "counties": 109
  }`
	if code, _, e := runCLI(t, "run", filepath.Join(dir, "own-pmc.yaml"), "--months", "12", "--no-plots", "-q", "--out", filepath.Join(dir, "r")); code != 0 {
		t.Fatalf("run: exit %d: %s", code, e)
	}
	if man := string(readFile(t, filepath.Join(dir, "r", "manifest.json"))); !strings.Contains(man, record) {
		t.Errorf("run's manifest lacks %s:\n%s", record, man)
	}
	out := filepath.Join(dir, "c")
	if code, _, e := runCLI(t, "compare", filepath.Join(dir, "own-base.yaml"), filepath.Join(dir, "own-pmc.yaml"), "--months", "12", "--reps", "2", "--no-posterior", "-q", "--out", out); code != 0 {
		t.Fatalf("compare: exit %d: %s", code, e)
	}
	if man := string(readFile(t, filepath.Join(out, "manifest.json"))); !strings.Contains(man, `"counties_file": {`) || !strings.Contains(man, hexSum) {
		t.Errorf("compare's manifest does not record the counties file:\n%s", man)
	}
	if md := string(readFile(t, filepath.Join(out, "report.md"))); !strings.Contains(md, "County data: 2 of the 109 counties take their figures from own.csv (sha256 "+hexSum[:12]+")") {
		t.Errorf("the report does not say where its county data came from:\n%s", md)
	}
}

// TestSafeNameKeepsEveryScript: the default folders of compare and evaluate keep the letters
// of scenario names in any script (two comparisons of Chinese-named options shared the folder
// out/compare-_A-_-vs-_B-_, the later replacing the earlier), drop what a path cannot hold,
// and cut a long name at a whole character.
func TestSafeNameKeepsEveryScript(t *testing.T) {
	for in, want := range map[string]string{
		"方案A-省直管县-vs-方案B-扩权强县": "方案A-省直管县-vs-方案B-扩权强县",
		"a/b c":   "a_b_c",
		"../up":   "_up",
		".hidden": "hidden",
	} {
		if got := safeName(in); got != want {
			t.Errorf("safeName(%q) = %q, want %q", in, got, want)
		}
	}
	if a, b := safeName("方案A-省直管县-vs-方案B-扩权强县"), safeName("方案A-全面直管-vs-方案B-扩权到镇"); a == b {
		t.Errorf("two comparisons share the folder %q", a)
	}
	long := safeName(strings.Repeat("省", 100))
	if len(long) > 200 || !utf8.ValidString(long) {
		t.Errorf("a long name: %d bytes, valid UTF-8 %v", len(long), utf8.ValidString(long))
	}
}
