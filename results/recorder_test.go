package results

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/countysim/countysim/internal/testkit"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/sim"
)

// tinyConfig is testkit.Tiny: one province of 20 counties with two pilot cohorts.
func tinyConfig(months int) sim.Config { return testkit.Tiny(months) }

// newModel builds the model of cfg or fails the test.
func newModel(t *testing.T, cfg sim.Config) *sim.Model { return testkit.NewModel(t, cfg) }

var testMeta = Meta{
	Tool: "countysim", Version: "test", Commit: "abc", GoVersion: "go-test",
	Scenario: "tiny", ScenarioHash: "h", ScenarioYAML: []byte("months: 36\n"), Seed: 7,
	Args: []string{"run", "tiny"}, Start: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
}

// record runs cfg through a Recorder into a new directory and returns it with the recorder.
func record(t *testing.T, cfg sim.Config, opts Options) (string, *Recorder) {
	t.Helper()
	dir := t.TempDir()
	m := newModel(t, cfg)
	rec, err := NewRecorder(dir, m, testMeta, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Abort()
	if err := m.Run(rec.Observe); err != nil {
		t.Fatal(err)
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, rec
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return v
}

func TestRecorderFullRun(t *testing.T) {
	cfg := tinyConfig(36)
	dir, rec := record(t, cfg, Options{Plots: true})

	figs := []string{"efficiency", "cost", "fiscal", "growth", "overview"}
	want := []string{SeriesFile, CountiesFile, SummaryFile, MetricsFile}
	for _, f := range figs {
		want = append(want, f+".png", f+".svg")
	}
	want = append(want, ManifestFile)
	if got := rec.Files(); !slices.Equal(got, want) {
		t.Errorf("Files() = %v, want %v", got, want)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var onDisk []string
	for _, e := range entries {
		onDisk = append(onDisk, e.Name())
	}
	if sorted := slices.Sorted(slices.Values(want)); !slices.Equal(onDisk, sorted) {
		t.Errorf("directory holds %v, want exactly %v (no temporary files)", onDisk, sorted)
	}

	t.Run("series", func(t *testing.T) {
		rows := readCSV(t, filepath.Join(dir, SeriesFile))
		if h := strings.Join(rows[0], ","); h != "month,year,group,metric,value" {
			t.Fatalf("header %q", h)
		}
		groups := map[string]bool{}
		metrics := map[string]bool{}
		months := map[string]bool{}
		for _, r := range rows[1:] {
			groups[r[2]] = true
			metrics[r[3]] = true
			months[r[0]] = true
			if wantYear := 2005 + (int(num(t, r[0]))-1)/12; r[1] != strconv.Itoa(wantYear) {
				t.Fatalf("row %v: year should be %d", r, wantYear)
			}
		}
		for _, g := range []string{"province", "pilot", "non-pilot", "step:0", "step:1", "step:2", "step:3",
			"cohort:first", "cohort:second", "prefecture:Tiny-P01", "prefecture:Tiny-P04",
			"tercile:1", "tercile:2", "tercile:3"} {
			if !groups[g] {
				t.Errorf("no rows for group %s", g)
			}
		}
		if groups["province:Tiny"] {
			t.Error("a single-province run has a province:NAME group")
		}
		if len(metrics) != sim.NumMetrics+len(observe.GroupMetrics) || !metrics[observe.TheilGDPPerCapita] || !metrics[observe.GiniGDPPerCapita] {
			t.Errorf("%d metrics, want %d with the inequality indices", len(metrics), sim.NumMetrics+len(observe.GroupMetrics))
		}
		if len(months) != 36 {
			t.Errorf("%d months, want 36", len(months))
		}
		// step:3 exists only from the first cohort's step 3 (month index 18, i.e. month 19).
		for _, r := range rows[1:] {
			if r[2] == "step:3" && num(t, r[0]) < 19 {
				t.Fatalf("step:3 has a row in month %s, before any county reached step 3", r[0])
			}
		}
	})

	t.Run("counties", func(t *testing.T) {
		rows := readCSV(t, filepath.Join(dir, CountiesFile))
		head := []string{"county_id", "county", "county_code", "province", "prefecture_id", "prefecture", "prefecture_code", "pilot", "cohort", "tercile", "year", "pmc_step"}
		if !slices.Equal(rows[0][:len(head)], head) {
			t.Fatalf("header starts %v, want %v", rows[0][:len(head)], head)
		}
		if got, want := len(rows[0]), len(head)+sim.NumMetrics-2; got != want {
			t.Errorf("%d columns, want %d (pilot and pmc_step not repeated)", got, want)
		}
		if n := len(rows) - 1; n != 20*3 {
			t.Errorf("%d rows, want 20 counties x 3 years", n)
		}
		seen := map[string]bool{}
		for _, c := range rows[0] {
			if seen[c] {
				t.Errorf("column %s twice", c)
			}
			seen[c] = true
		}
	})

	t.Run("manifest", func(t *testing.T) {
		b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
		if err != nil {
			t.Fatal(err)
		}
		var man Manifest
		if err := json.Unmarshal(b, &man); err != nil {
			t.Fatal(err)
		}
		if man.Seed == nil || *man.Seed != 7 || man.Scenario != "tiny" || man.ScenarioYAML != "months: 36\n" || man.Months != 36 ||
			man.Counts != (Counts{1, 4, 20, 300}) || !man.Start.Equal(testMeta.Start) || man.End.Before(man.Start) {
			t.Errorf("manifest fields: %+v", man)
		}
		var listed []string
		for _, f := range man.Files {
			listed = append(listed, f.Name)
			data, err := os.ReadFile(filepath.Join(dir, f.Name))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			if hex.EncodeToString(sum[:]) != f.SHA256 || int64(len(data)) != f.Bytes {
				t.Errorf("%s: manifest sha256 %s, %d bytes; file has %x, %d bytes", f.Name, f.SHA256, f.Bytes, sum, len(data))
			}
		}
		if !slices.Equal(listed, want[:len(want)-1]) {
			t.Errorf("manifest lists %v, want %v", listed, want[:len(want)-1])
		}
	})

	t.Run("plots", func(t *testing.T) {
		for _, f := range figs {
			fh, err := os.Open(filepath.Join(dir, f+".png"))
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(fh)
			fh.Close()
			if err != nil {
				t.Fatalf("%s.png: %v", f, err)
			}
			if b := img.Bounds(); b.Dx() < 800 || b.Dy() < 400 || b.Dx() > 4000 || b.Dy() > 4000 {
				t.Errorf("%s.png is %dx%d", f, b.Dx(), b.Dy())
			}
			svg, err := os.ReadFile(filepath.Join(dir, f+".svg"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(svg, []byte("<svg")) {
				t.Errorf("%s.svg is not SVG", f)
			}
		}
	})

	t.Run("summary and highlights", func(t *testing.T) {
		rows := readCSV(t, filepath.Join(dir, SummaryFile))
		n := 0
		for _, r := range rows[1:] {
			if r[0] == "province" {
				n++
				if r[3] != "2005" || r[5] != "2007" {
					t.Fatalf("province row %v: years should be 2005 and 2007", r)
				}
			}
		}
		if n != len(KeyMetrics) {
			t.Errorf("%d province rows in summary, want %d", n, len(KeyMetrics))
		}
		hs := rec.Highlights()
		if len(hs) < 4 || len(hs) > 9 {
			t.Errorf("%d highlights, want 4 to 9: %q", len(hs), hs)
		}
		for _, h := range hs {
			if !strings.Contains(h, "2007") || !strings.Contains(h, "2005") || strings.Contains(h, "NaN") {
				t.Errorf("highlight %q", h)
			}
		}
		if !strings.Contains(hs[0], "pilot counties") || !strings.Contains(hs[0], "non-pilots") {
			t.Errorf("first highlight does not compare pilots: %q", hs[0])
		}
	})

	t.Run("metrics dictionary", func(t *testing.T) {
		rows := readCSV(t, filepath.Join(dir, MetricsFile))
		if got := len(rows) - 1; got != sim.NumMetrics+len(observe.GroupMetrics) {
			t.Errorf("%d metrics, want %d", got, sim.NumMetrics+len(observe.GroupMetrics))
		}
		for _, r := range rows[1:] {
			if r[0] == "staff_per_10k" && r[5] != "sum(staff) / sum(population) * 10000" {
				t.Errorf("staff_per_10k aggregation %q", r[5])
			}
			if r[0] == "admin_cost" && r[2] != "million yuan per year" {
				t.Errorf("admin_cost yearly unit %q", r[2])
			}
		}
	})
}

// TestPanelsAndSeriesAgree checks the yearly aggregation against the monthly panel and the
// group sums against the counties: flows are summed over the year, stocks taken at its end,
// rates averaged, and the province's Sum metrics add up its counties.
func TestPanelsAndSeriesAgree(t *testing.T) {
	cfg := tinyConfig(30) // the last year is partial
	ydir, _ := record(t, cfg, Options{})
	mdir, _ := record(t, cfg, Options{Panel: "monthly"})
	yearly := readCSV(t, filepath.Join(ydir, CountiesFile))
	monthly := readCSV(t, filepath.Join(mdir, CountiesFile))
	// The yearly panel holds the two whole years; the six months of the third are in the
	// monthly panel, and the manifest says so.
	if len(yearly)-1 != 20*2 || len(monthly)-1 != 20*30 {
		t.Fatalf("%d yearly and %d monthly rows, want %d and %d", len(yearly)-1, len(monthly)-1, 40, 600)
	}
	var man Manifest
	if b, err := os.ReadFile(filepath.Join(ydir, ManifestFile)); err != nil {
		t.Fatal(err)
	} else if err := json.Unmarshal(b, &man); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(man.NotWritten, func(n NotWritten) bool {
		return strings.Contains(n.What, "year 2007") && strings.Contains(n.What, "6 of its 12 months (months 25-30)") && n.Ask == "--panel monthly writes every month"
	}) {
		t.Errorf("manifest not_written %+v does not name the partial year 2007", man.NotWritten)
	}
	col := func(header []string, name string) int {
		i := slices.Index(header, name)
		if i < 0 {
			t.Fatalf("no column %s", name)
		}
		return i
	}
	checks := []struct {
		metric string
		kind   sim.Kind
	}{{"admin_cost", sim.Flow}, {"explicit_debt", sim.Stock}, {"approval_days", sim.Rate}, {"gdp", sim.Stock}}
	for _, c := range checks {
		yc, mc := col(yearly[0], c.metric), col(monthly[0], c.metric)
		yyear, myear := col(yearly[0], "year"), col(monthly[0], "year")
		for _, yr := range yearly[1:] {
			var vals []float64
			for _, mr := range monthly[1:] {
				if mr[0] == yr[0] && mr[myear] == yr[yyear] {
					vals = append(vals, num(t, mr[mc]))
				}
			}
			var want float64
			switch c.kind {
			case sim.Flow:
				for _, v := range vals {
					want += v
				}
			case sim.Stock:
				want = vals[len(vals)-1]
			case sim.Rate:
				for _, v := range vals {
					want += v / float64(len(vals))
				}
			}
			if got := num(t, yr[yc]); math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Fatalf("county %s year %s %s: yearly %v, from monthly %v", yr[0], yr[yyear], c.metric, got, want)
			}
		}
	}
	// Province gdp in the last month = sum of county gdp in the last month.
	var sum float64
	gc, mcol := col(monthly[0], "gdp"), col(monthly[0], "month")
	for _, mr := range monthly[1:] {
		if mr[mcol] == "30" {
			sum += num(t, mr[gc])
		}
	}
	for _, r := range readCSV(t, filepath.Join(mdir, SeriesFile))[1:] {
		if r[0] == "30" && r[2] == "province" && r[3] == "gdp" {
			if got := num(t, r[4]); math.Abs(got-sum) > 1e-9*sum {
				t.Errorf("province gdp %v, counties sum %v", got, sum)
			}
			return
		}
	}
	t.Error("no province gdp row for month 30")
}

func TestSameSeedSameBytes(t *testing.T) {
	cfg := tinyConfig(36)
	a, _ := record(t, cfg, Options{})
	b, _ := record(t, cfg, Options{})
	for _, f := range []string{SeriesFile, CountiesFile, SummaryFile, MetricsFile} {
		x, err := os.ReadFile(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", f)
		}
	}
	cfg.Seed++
	c, _ := record(t, cfg, Options{})
	x, _ := os.ReadFile(filepath.Join(a, SeriesFile))
	y, _ := os.ReadFile(filepath.Join(c, SeriesFile))
	if bytes.Equal(x, y) {
		t.Error("series.csv identical for different seeds")
	}
}

func TestAbortLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	m := newModel(t, tinyConfig(36))
	rec, err := NewRecorder(dir, m, testMeta, Options{Plots: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 14; i++ {
		if err := m.Step(); err != nil {
			t.Fatal(err)
		}
		if err := rec.Observe(m); err != nil {
			t.Fatal(err)
		}
	}
	rec.Abort()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left %s after Abort", e.Name())
	}
	if err := rec.Close(); err == nil {
		t.Error("Close after Abort succeeded")
	}
}

func TestObserveMustFollowEveryStep(t *testing.T) {
	m := newModel(t, tinyConfig(36))
	rec, err := NewRecorder(t.TempDir(), m, testMeta, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Abort()
	for i := 0; i < 2; i++ {
		if err := m.Step(); err != nil {
			t.Fatal(err)
		}
	}
	if err := rec.Observe(m); err == nil {
		t.Error("Observe accepted month 2 without month 1")
	}
}

func TestOptionsValidated(t *testing.T) {
	m := newModel(t, tinyConfig(12))
	for _, o := range []Options{{Panel: "weekly"}, {Plots: true, Formats: []string{"pdf"}}} {
		if _, err := NewRecorder(t.TempDir(), m, testMeta, o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}

func TestStepGroupsFollowCurrentStep(t *testing.T) {
	m := newModel(t, tinyConfig(36))
	gs := observe.Groups(m)
	byName := map[string]observe.Group{}
	for _, g := range gs {
		byName[g.Name] = g
	}
	if n := len(byName["step:0"].Members(nil, m.Counties)); n != 20 {
		t.Fatalf("step:0 has %d counties before the reform, want 20", n)
	}
	if err := m.Run(nil); err != nil {
		t.Fatal(err)
	}
	total := 0
	for s := 0; s <= 3; s++ {
		for _, i := range byName["step:"+strconv.Itoa(s)].Members(nil, m.Counties) {
			if m.Counties[i].Step != s {
				t.Errorf("county %d at step %d is in step:%d", i, m.Counties[i].Step, s)
			}
			total++
		}
	}
	if total != 20 {
		t.Errorf("step groups hold %d counties, want 20", total)
	}
	if n := len(byName["step:3"].Members(nil, m.Counties)); n != 10 {
		t.Errorf("step:3 has %d counties after both cohorts' step 3, want 10", n)
	}
	if n := len(byName["cohort:first"].Members(nil, m.Counties)); n != 5 {
		t.Errorf("cohort:first has %d counties, want 5", n)
	}
}

func TestStepMarkers(t *testing.T) {
	cfg := tinyConfig(24)
	cfg.PMC.Cohorts[1].Step1 = 18 // with the first cohort's step 3
	// Pilots moving on by date enter every step on its planned month.
	planned := [][4]int{cfg.PMC.Planned(cfg.PMC.Cohorts[0]), cfg.PMC.Planned(cfg.PMC.Cohorts[1])}
	marks := stepMarkers(cfg, planned, English)
	var labels []string
	for _, mk := range marks {
		labels = append(labels, mk.label)
	}
	// second's step 2 (20) is within 24 months, its step 3 (27) is not; the first cohort's
	// pipeline is settled a year after its step 1 (15), the second's (30) after the horizon.
	want := []string{"first step 1", "first step 2", "first pipeline settled", "first step 3, second step 1", "second step 2"}
	if !slices.Equal(labels, want) {
		t.Errorf("markers %q, want %q", labels, want)
	}
	if marks[0].x != 2005+3.0/12 {
		t.Errorf("first marker at %v, want %v", marks[0].x, 2005+3.0/12)
	}
	zhMarks := stepMarkers(cfg, planned, Chinese)
	if got, want := zhMarks[3].label, "first 第3步、second 第1步"; got != want {
		t.Errorf("Chinese marker %q, want %q", got, want)
	}
	// One-shot: a cohort whose three steps fall in one month is one marker.
	one := cfg
	one.PMC.Mode = sim.OneShot
	shot := [][4]int{one.PMC.Planned(one.PMC.Cohorts[0]), {0, -1, -1, -1}}
	if ms := stepMarkers(one, shot, English); len(ms) != 2 || ms[0].label != "first steps 1-3" || ms[1].label != "first pipeline settled" {
		t.Errorf("one-shot markers %+v", ms)
	}
	cfg.PMC.Enabled = false
	if n := len(stepMarkers(cfg, planned, English)); n != 0 {
		t.Errorf("%d markers with PMC disabled", n)
	}
}

// TestMarkersAtRealisedDates runs pilots that must run normally for a year before each step
// (widening by criterion), so their steps come later than planned, and checks that the
// figures mark the months the steps happened, not the planned ones.
func TestMarkersAtRealisedDates(t *testing.T) {
	cfg := tinyConfig(36)
	cfg.PMC.Cohorts = cfg.PMC.Cohorts[:1] // first: steps planned at months 3, 9 and 18
	cfg.PMC.Widening.By = sim.ByCriterion
	cfg.PMC.Widening.NormalMonths = 12
	_, rec := record(t, cfg, Options{Plots: true, Formats: []string{"svg"}})
	planned := cfg.PMC.Planned(cfg.PMC.Cohorts[0])
	if len(rec.steps) != 1 {
		t.Fatalf("realised steps %v, want one cohort", rec.steps)
	}
	got := rec.steps[0]
	later := false
	for s := 1; s <= 3; s++ {
		if got[s] >= 0 && got[s] < planned[s] {
			t.Errorf("step %d realised at month %d, before its planned month %d", s, got[s], planned[s])
		}
		later = later || got[s] != planned[s]
	}
	if !later {
		t.Fatalf("realised steps %v equal the planned %v: the test needs a run where they differ", got, planned)
	}
	var xs []float64
	for _, mk := range stepMarkers(cfg, rec.steps, English) {
		if strings.Contains(mk.label, "step") {
			xs = append(xs, mk.x)
		}
	}
	var want []float64
	for s := 1; s <= 3; s++ {
		if got[s] >= 0 && got[s] < cfg.Months {
			want = append(want, float64(cfg.StartYear)+float64(got[s])/12)
		}
	}
	if !slices.Equal(xs, want) {
		t.Errorf("step markers at %v, want the realised dates %v (planned %v)", xs, want, planned)
	}
}

func TestWithoutPilots(t *testing.T) {
	cfg := tinyConfig(24)
	cfg.PMC.Enabled = false
	dir, rec := record(t, cfg, Options{Plots: true, Formats: []string{"png"}})
	for _, h := range rec.Highlights() {
		if strings.Contains(h, "pilot") {
			t.Errorf("highlight mentions pilots in a run without any: %q", h)
		}
	}
	if n := len(rec.Highlights()); n < 4 {
		t.Errorf("%d highlights without pilots, want at least 4", n)
	}
	for _, r := range readCSV(t, filepath.Join(dir, SeriesFile))[1:] {
		if r[2] == "pilot" || r[2] == "step:1" || strings.HasPrefix(r[2], "cohort:") {
			t.Fatalf("row for empty group %s", r[2])
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "overview.svg")); !os.IsNotExist(err) {
		t.Errorf("overview.svg written though only png was asked for (%v)", err)
	}
}
