package results

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/countysim/countysim/assess"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/sim"
)

func TestQuantileType7(t *testing.T) {
	// Expected values are R's quantile(x, p) (type 7) and numpy.percentile's defaults.
	tests := []struct {
		sorted []float64
		p      float64
		want   float64
	}{
		{[]float64{1, 2, 3, 4, 5}, 0.05, 1.2},
		{[]float64{1, 2, 3, 4, 5}, 0.5, 3},
		{[]float64{1, 2, 3, 4, 5}, 0.95, 4.8},
		{[]float64{1, 1, 2, 3, 4, 5, 6, 9}, 0.05, 1},
		{[]float64{1, 1, 2, 3, 4, 5, 6, 9}, 0.5, 3.5},
		{[]float64{1, 1, 2, 3, 4, 5, 6, 9}, 0.95, 7.95},
		{[]float64{10, 20}, 0.05, 10.5},
		{[]float64{10, 20}, 0.95, 19.5},
		{[]float64{7}, 0.05, 7},
		{[]float64{7}, 0.95, 7},
		{[]float64{-3, 0, 8}, 0, -3},
		{[]float64{-3, 0, 8}, 1, 8},
	}
	for _, tc := range tests {
		if got := observe.Quantile(tc.sorted, tc.p); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("Quantile(%v, %v) = %v, want %v", tc.sorted, tc.p, got, tc.want)
		}
	}
	if !math.IsNaN(observe.Quantile(nil, 0.5)) {
		t.Error("the quantile of no values should be NaN")
	}
}

func TestSummariseIgnoresNaN(t *testing.T) {
	s := observe.Summarise([]float64{5, math.NaN(), 1, 3, 2, 4})
	if s.N != 5 || s.Mean != 3 || s.P50 != 3 || math.Abs(s.P5-1.2) > 1e-12 || math.Abs(s.P95-4.8) > 1e-12 {
		t.Fatalf("Summarise = %+v, want N 5, mean 3, p5 1.2, p50 3, p95 4.8", s)
	}
	if s := observe.Summarise([]float64{math.NaN()}); s.N != 0 || !math.IsNaN(s.Mean) || !math.IsNaN(s.P95) {
		t.Fatalf("all NaN: %+v, want N 0 and NaN statistics", s)
	}
}

// handTrack is a track of the ensemble groups over months months in which every value is
// fill(group, month, metric).
func handTrack(months int, fill func(g, mo, k int) float64) *observe.Track {
	defs := observe.Defs()
	t := &observe.Track{Groups: plotGroups, Defs: defs, Months: months, Values: make([][]float64, len(plotGroups))}
	for g := range t.Values {
		t.Values[g] = make([]float64, months*len(defs))
		for mo := range months {
			for k := range defs {
				t.Values[g][mo*len(defs)+k] = fill(g, mo, k)
			}
		}
	}
	return t
}

func handConfig(months int) sim.Config {
	cfg := sim.DefaultConfig()
	cfg.Months = months
	cfg.StartYear = 2010
	cfg.World.Provinces = []sim.ProvinceSpec{{Name: "Hand", Prefectures: 2, Counties: 10, Towns: 100}}
	return cfg
}

// handEnsemble has reps replications; replication r has value base + r in every month and
// metric of the province and non-pilot groups, and no pilot counties (NaN).
func handEnsemble(name string, months, reps int, base float64) *observe.Ensemble {
	e := &observe.Ensemble{Name: name, Description: "hand-made " + name, Config: handConfig(months)}
	for r := range reps {
		e.Tracks = append(e.Tracks, handTrack(months, func(g, mo, k int) float64 {
			if g == 1 {
				return math.NaN()
			}
			return base + float64(r)
		}))
	}
	return e
}

func TestWriteEnsembleCSV(t *testing.T) {
	e := handEnsemble("hand", 14, 5, 10) // values 10..14 in replications 0..4
	// One replication of the province has no value in month 2 for approval_days: the
	// statistics of that cell use the other four.
	e.Tracks[4].Values[0][1*len(observe.Defs())+sim.MApprovalDays] = math.NaN()
	var buf bytes.Buffer
	if err := WriteEnsembleCSV(&buf, []*observe.Ensemble{e}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := []string{"scenario", "group", "month", "year", "metric", "mean", "p5", "p50", "p95"}
	if len(rows) == 0 || !slices.Equal(rows[0], header) {
		t.Fatalf("header %v, want %v", rows[0], header)
	}
	// The pilot group is empty in every replication: no rows. Two groups, 14 months, every metric.
	if want := 1 + 2*14*len(observe.Defs()); len(rows) != want {
		t.Fatalf("%d rows, want %d", len(rows), want)
	}
	find := func(group string, month int, metric string) []string {
		for _, r := range rows[1:] {
			if r[1] == group && r[2] == strconv.Itoa(month) && r[4] == metric {
				return r
			}
		}
		t.Fatalf("no row for %s month %d %s", group, month, metric)
		return nil
	}
	for _, tc := range []struct {
		group  string
		month  int
		metric string
		want   []string // year, mean, p5, p50, p95
	}{
		{"province", 1, "growth", []string{"2010", "12", "10.2", "12", "13.8"}},
		{"non-pilot", 13, "gdp", []string{"2011", "12", "10.2", "12", "13.8"}},
		{"province", 2, "approval_days", []string{"2010", "11.5", "10.15", "11.5", "12.85"}},
	} {
		r := find(tc.group, tc.month, tc.metric)
		if got := []string{r[3], r[5], r[6], r[7], r[8]}; !slices.Equal(got, tc.want) {
			t.Errorf("%s month %d %s: year, mean, p5, p50, p95 = %v, want %v", tc.group, tc.month, tc.metric, got, tc.want)
		}
	}
}

func TestRankIsDirectionAware(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		values []float64
		better assess.Direction
		want   []int
	}{
		{[]float64{3, 1, 2}, assess.LowerIsBetter, []int{3, 1, 2}},
		{[]float64{3, 1, 2}, assess.HigherIsBetter, []int{1, 3, 2}},
		{[]float64{2, 1, 1}, assess.LowerIsBetter, []int{3, 1, 1}},
		{[]float64{2, 5, 5, 1}, assess.HigherIsBetter, []int{3, 1, 1, 4}},
		{[]float64{nan, 4, 2}, assess.LowerIsBetter, []int{3, 2, 1}},
		{[]float64{nan, 4, 2}, assess.HigherIsBetter, []int{3, 1, 2}},
	}
	for _, tc := range tests {
		if got := Rank(tc.values, tc.better); !slices.Equal(got, tc.want) {
			t.Errorf("Rank(%v, %v) = %v, want %v", tc.values, tc.better, got, tc.want)
		}
	}
}

func TestDifferencesArePairedAndRanked(t *testing.T) {
	const months, reps = 24, 11
	// In the reference, replication r has value 100 + 10r; in the option, 90 + 10r + r/10:
	// the paired differences are -10 + r/10, so the mean is -9.5 and the 5th and 95th
	// percentiles -9.95 and -9.05, much narrower than the spread of either scenario.
	ref := handEnsemble("ref", months, reps, 0)
	opt := handEnsemble("opt", months, reps, 0)
	for r := range reps {
		for g := range plotGroups {
			for i := range ref.Tracks[r].Values[g] {
				ref.Tracks[r].Values[g][i] = 100 + 10*float64(r)
				opt.Tracks[r].Values[g][i] = 90 + 10*float64(r) + float64(r)/10
			}
		}
	}
	ds, err := Differences([]*observe.Ensemble{ref, opt}, "province")
	if err != nil {
		t.Fatal(err)
	}
	if want := 2 * len(KeyOutcomes) * 2; len(ds) != want {
		t.Fatalf("%d rows, want %d", len(ds), want)
	}
	for _, d := range ds {
		lowerBetter := d.Outcome.Better == assess.LowerIsBetter
		switch d.Scenario {
		case "ref":
			if d.Diff.N != 0 {
				t.Errorf("%s %s: the reference has a difference from itself: %+v", d.Outcome.Metric, d.Measure, d.Diff)
			}
			if wantRank := map[bool]int{true: 2, false: 1}[lowerBetter]; d.Rank != wantRank {
				t.Errorf("ref %s (better %s): rank %d, want %d", d.Outcome.Metric, d.Outcome.Better, d.Rank, wantRank)
			}
		case "opt":
			// A flow's year is the sum of its 12 months, its horizon the sum of all 24.
			n := 1.0
			if observe.Defs()[observe.DefIndex(d.Outcome.Metric)].Kind == sim.Flow {
				n = map[Measure]float64{FinalYear: 12, Horizon: 24}[d.Measure]
			}
			if d.Diff.N != reps || !near(d.Diff.Mean, -9.5*n) || !near(d.Diff.P5, -9.95*n) || !near(d.Diff.P95, -9.05*n) {
				t.Errorf("opt %s %s: difference %+v, want mean %v from %v to %v", d.Outcome.Metric, d.Measure, d.Diff, -9.5*n, -9.95*n, -9.05*n)
			}
			if wantRank := map[bool]int{true: 1, false: 2}[lowerBetter]; d.Rank != wantRank {
				t.Errorf("opt %s (better %s): rank %d, want %d", d.Outcome.Metric, d.Outcome.Better, d.Rank, wantRank)
			}
		}
	}
	short := handEnsemble("short", months, reps-1, 0)
	if _, err := Differences([]*observe.Ensemble{ref, short}, "province"); err == nil {
		t.Error("ensembles with different numbers of replications cannot be paired")
	}
	if _, err := Differences([]*observe.Ensemble{ref, opt}, "step:1"); err == nil {
		t.Error("a group that is not recorded should be an error")
	}
}

// near compares v with a value that is exact in decimal, allowing for the summation of
// floating-point values.
func near(v, want float64) bool { return math.Abs(v-want) < 1e-9 }

func outcome(metric string) (Outcome, bool) {
	for _, o := range KeyOutcomes {
		if o.Metric == metric {
			return o, true
		}
	}
	return Outcome{}, false
}

func TestKeyOutcomesAreMetrics(t *testing.T) {
	for _, o := range KeyOutcomes {
		if observe.DefIndex(o.Metric) < 0 {
			t.Errorf("key outcome %q is not a metric", o.Metric)
		}
	}
}

func TestGroupSizeFromWarnings(t *testing.T) {
	cfg := handConfig(6)
	m := newModel(t, cfg)
	tr, err := observe.NewEnsembleTrack(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Run(tr.Observe); err != nil {
		t.Fatal(err)
	}
	for mo := range cfg.Months {
		if got := groupSize(tr, 0, mo); got != 10 {
			t.Fatalf("month %d: the warning counts of the province add up to %v, want its 10 counties", mo, got)
		}
	}
}

func TestWriteComparisonAndReport(t *testing.T) {
	t.Parallel() // renders figures, the slow part
	dir := filepath.Join(t.TempDir(), "cmp")
	es := []*observe.Ensemble{handEnsemble("status-quo", 24, 3, 10), handEnsemble("reform", 24, 3, 12)}
	meta := EnsembleMeta{Tool: "countysim", Version: "test", MasterSeed: 5, Seeds: []uint64{1, 2, 3},
		Args: []string{"/tmp/go-build/countysim", "compare", "status-quo", "reform"}}
	if err := WriteComparison(context.Background(), dir, es, meta); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, ReportMarkdownFile))
	if err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(filepath.Join(dir, ReportHTMLFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		for _, s := range []string{e.Name, e.Description} {
			if !bytes.Contains(md, []byte(s)) || !bytes.Contains(html, []byte(s)) {
				t.Errorf("the report does not mention %q", s)
			}
		}
	}
	for _, o := range KeyOutcomes {
		if !bytes.Contains(md, []byte(o.Label)) {
			t.Errorf("report.md does not mention outcome %q", o.Label)
		}
	}
	for _, s := range []string{"How to read this", "Caveats", "not a forecast", "run-to-run variation only", "](efficiency.png)",
		"countysim compare status-quo reform"} {
		if !bytes.Contains(md, []byte(s)) {
			t.Errorf("report.md lacks %q", s)
		}
	}
	if n := bytes.Count(html, []byte(`src="data:image/png;base64,`)); n != 4 {
		t.Errorf("report.html embeds %d figures, want 4", n)
	}
	var man EnsembleManifest
	readJSON(t, filepath.Join(dir, ManifestFile), &man)
	if man.Reps != 3 || man.MasterSeed == nil || *man.MasterSeed != 5 || len(man.Scenarios) != 2 || man.Scenarios[1].Name != "reform" {
		t.Errorf("manifest: %+v", man)
	}
	for _, f := range man.Files {
		checkSHA(t, filepath.Join(dir, f.Name), f.SHA256)
	}
	entries, _ := os.ReadDir(dir)
	if want := len(man.Files) + 1; len(entries) != want {
		t.Errorf("%d files in the folder, want the %d listed in the manifest and the manifest", len(entries), want-1)
	}
}

func TestWriteComparisonCancelledLeavesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cmp")
	es := []*observe.Ensemble{handEnsemble("a", 12, 2, 1), handEnsemble("b", 12, 2, 2)}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := WriteComparison(ctx, dir, es, EnsembleMeta{}); err != context.Canceled {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("a cancelled comparison left its folder behind (%v)", err)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func checkSHA(t *testing.T, path, want string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != want {
		t.Errorf("%s: sha256 differs from the manifest", path)
	}
}
