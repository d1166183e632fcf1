package observe

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/countysim/countysim/internal/testkit"
	"github.com/countysim/countysim/results/did"
	"github.com/countysim/countysim/sim"
)

func TestDIDPanelTakesTreatedAndControls(t *testing.T) {
	p, _ := runTiny(t, testkit.Pilot(4), 3)
	d := p.DIDPanel(p.Column("growth"), nil)
	if d.Len() != 24*7 {
		t.Fatalf("%d rows, want every county-year (24 x 7)", d.Len())
	}
	for r := range d.Y {
		i := d.Unit[r] // county ids are their indices
		if want := p.FirstTreatedYear(i); d.Cohort[r] != want {
			t.Fatalf("county %d: cohort %d, first treated year %d", i, d.Cohort[r], want)
		}
	}
	// Only the tercile-1 counties.
	sub := p.DIDPanel(p.Column("growth"), func(i int) bool { return p.Counties[i].Tercile == 1 })
	inTercile := 0
	for i := range p.Counties {
		if p.Counties[i].Tercile == 1 {
			inTercile++
		}
	}
	if inTercile == 0 || sub.Len() != inTercile*7 {
		t.Fatalf("the tercile-1 sample has %d rows, want its %d counties x 7 years", sub.Len(), inTercile)
	}
	for _, u := range sub.Unit {
		if p.Counties[u].Tercile != 1 {
			t.Fatalf("county %d of tercile %d in the tercile-1 sample", u, p.Counties[u].Tercile)
		}
	}

	// Pilots that stop at step 1 are neither treated nor controls when treatment is step 3.
	cfg := testkit.Pilot(4)
	for k := range cfg.PMC.Cohorts {
		cfg.PMC.Cohorts[k].Step2, cfg.PMC.Cohorts[k].Step3 = -1, -1
	}
	q, _ := runTiny(t, cfg, 3)
	if q.Treated() != 0 || q.DIDPanel(0, nil).Len() != 12*7 {
		t.Errorf("step-1-only pilots: %d treated, %d rows (want 0 and the 12 controls)", q.Treated(), q.DIDPanel(0, nil).Len())
	}
	if _, _, err := EstimatePanel(q, 0, Bootstrap{}); !errors.Is(err, ErrNoTreatedCounties) {
		t.Errorf("no treated county: err = %v", err)
	}
}

// estimateTiny estimates replication 7 of a tiny five-pilot world at treatment step step, with
// its no-reform truth; it returns the panel and truth too.
func estimateTiny(t *testing.T, step int) ([]EvalEstimate, []Skipped, *Panel, *Truth) {
	t.Helper()
	p, _ := runTiny(t, testkit.Pilot(5), step)
	q, _ := runTiny(t, PMCOff(testkit.Pilot(5)), step)
	truth, err := PairTruth(CFNoReform, p, q)
	if err != nil {
		t.Fatal(err)
	}
	est, skipped, err := EstimatePanel(p, 7, tinyBoot, truth)
	if err != nil {
		t.Fatal(err)
	}
	return est, skipped, p, truth
}

// tinyBoot is the bootstrap of the tiny estimates: few draws, a fixed seed.
var tinyBoot = Bootstrap{Draws: 99, Seed: 17}

func TestEstimatePanel(t *testing.T) {
	est, skipped, p, truth := estimateTiny(t, 3)
	again, _, _ := EstimatePanel(p, 7, tinyBoot, truth)
	if !reflect.DeepEqual(fmt.Sprint(est), fmt.Sprint(again)) {
		t.Error("estimates differ between two calls")
	}
	seen := map[string]map[string]int{}
	for _, e := range est {
		if e.Replication != 7 {
			t.Fatalf("replication %d", e.Replication)
		}
		if seen[e.Outcome] == nil {
			seen[e.Outcome] = map[string]int{}
		}
		seen[e.Outcome][e.Estimator]++
		switch e.Estimator {
		case EstTWFE, EstSAATT:
			if e.HasRel || !(e.CI90Low <= e.Coef && e.Coef <= e.CI90High) || e.N != 24*7 && e.Estimator == EstTWFE {
				t.Errorf("%s %s: %+v", e.Outcome, e.Estimator, e)
			}
		case EstTWFEWCR, EstSAATTWCR:
			// The twfe coefficient's and the ATT's bootstraps: the p-value, the interval by
			// test inversion (holding the estimate; 0 outside it exactly when the test
			// rejects), the draws.
			of := map[string]string{EstTWFEWCR: EstTWFE, EstSAATTWCR: EstSAATT}[e.Estimator]
			tw := est[slices.IndexFunc(est, func(x EvalEstimate) bool { return x.Outcome == e.Outcome && x.Estimator == of })]
			if e.HasRel || e.Coef != tw.Coef || !math.IsNaN(e.SE) || e.N != tinyBoot.Draws || !(e.P > 0 && e.P <= 1) ||
				!(e.CI90Low < e.Coef && e.Coef < e.CI90High) || e.Significant() != (e.CI90Low > 0 || e.CI90High < 0) || e.Significant() != (e.P <= 0.1) || !e.Tested() {
				t.Errorf("%s bootstrap row %+v (%s %+v)", e.Outcome, e, of, tw)
			}
		case EstPreTrendWCR:
			// The pre-trend test's bootstrap: the Wald statistic, the bootstrap p-value of the
			// joint null, the draws.
			w := est[slices.IndexFunc(est, func(x EvalEstimate) bool { return x.Outcome == e.Outcome && x.Estimator == EstPreTrend })]
			if e.HasRel || !(e.Coef == w.Coef || math.IsNaN(e.Coef) && math.IsNaN(w.Coef)) || e.N != tinyBoot.Draws || math.IsNaN(e.P) != math.IsNaN(w.P) ||
				!math.IsNaN(e.P) && !(e.P > 0 && e.P <= 1) || e.Significant() != (e.P <= PreTrendAlpha) || !e.Tested() {
				t.Errorf("%s pre-trend bootstrap row %+v (pretrend_wald %+v)", e.Outcome, e, w)
			}
		case EstSAEvent, EstTrueEvent + CFNoReform:
			if !e.HasRel || e.Rel < EventMinRel || e.Rel > EventMaxRel || e.Estimator == EstSAEvent && e.Rel == -1 && (e.Coef != 0 || e.SE != 0) {
				t.Errorf("%s event row %+v", e.Outcome, e)
			}
		case EstPreTrend:
			if !math.IsNaN(e.P) && !(e.P >= 0 && e.P <= 1) || e.Significant() != (e.P < PreTrendAlpha) {
				t.Errorf("%s pre-trend row %+v", e.Outcome, e)
			}
		case EstPreTreated, EstPreControl, EstTrueATT + CFNoReform, EstTrueATTAll + CFNoReform, EstSpillover + CFNoReform:
			if e.HasRel || e.Significant() {
				t.Errorf("%s %s: %+v", e.Outcome, e.Estimator, e)
			}
		case EstTWFEBias + CFNoReform, EstSAATTBias + CFNoReform:
		default:
			t.Errorf("estimator %q", e.Estimator)
		}
	}
	for _, c := range PanelColumns() {
		if !c.Estimate {
			if seen[c.Name] != nil {
				t.Errorf("%s is not an outcome but was estimated", c.Name)
			}
			continue
		}
		if s := seen[c.Name]; s == nil {
			// An outcome left out (one that does not vary on this small panel, such as
			// counties under a red warning) must be named in the notes.
			if !slices.ContainsFunc(skipped, func(k Skipped) bool { return k.Outcome == c.Name && k.Replication == 7 && k.Reason != "" }) {
				t.Errorf("%s not estimated and not among the skipped %v", c.Name, skipped)
			}
		} else if s[EstTWFE] != 1 || s[EstTWFEWCR] != 1 || s[EstSAATT] != 1 || s[EstSAATTWCR] != 1 || s[EstSAEvent] < 2 || s[EstPreTrend] != 1 || s[EstPreTrendWCR] != 1 || s[EstTrueATT+CFNoReform] != 1 ||
			s[EstSAATTBias+CFNoReform] != 0 || s[EstTWFEBias+CFNoReform] != 0 || s[EstTrueEvent+CFNoReform] < 2 || s[EstPreTreated] != 1 {
			// At step 3 the no-reform truth holds steps 1 and 2 too: no bias against it.
			t.Errorf("%s: estimator counts %v", c.Name, s)
		}
	}
	for _, k := range skipped {
		if strings.HasPrefix(k.Outcome, LogPrefix) && k.Reason != ReasonNonPositive && !strings.Contains(k.Reason, "one value") {
			t.Errorf("log outcome %s skipped for %q", k.Outcome, k.Reason)
		}
	}
	// No bootstrap asked: no *_wcr rows, the rest as they were; another seed, other draws,
	// for each of the three tests.
	plain, _, _ := EstimatePanel(p, 7, Bootstrap{}, truth)
	other, _, _ := EstimatePanel(p, 7, Bootstrap{Draws: tinyBoot.Draws, Seed: tinyBoot.Seed + 1}, truth)
	var withoutWCR []EvalEstimate
	changed := map[string]int{}
	for i, e := range est {
		switch {
		case e.Estimator != EstTWFEWCR && e.Estimator != EstSAATTWCR && e.Estimator != EstPreTrendWCR:
			withoutWCR = append(withoutWCR, e)
		case other[i].P != e.P || other[i].CI90Low != e.CI90Low && !math.IsNaN(e.CI90Low):
			changed[e.Estimator]++
		}
	}
	if fmt.Sprint(withoutWCR) != fmt.Sprint(plain) {
		t.Error("without the bootstrap, the other rows change")
	}
	if changed[EstTWFEWCR] == 0 || changed[EstSAATTWCR] == 0 || changed[EstPreTrendWCR] == 0 {
		t.Errorf("another seed gives every outcome the same bootstrap: changed %v", changed)
	}
	// At step 1 the no-reform truth is the estimators' estimand: its bias rows are there.
	est1, _, _, _ := estimateTiny(t, 1)
	if seen["growth"] == nil || seen["transfers_received"] == nil || seen["ln_transfers_received"] == nil {
		t.Fatalf("growth or transfers not estimated: %v", skipped)
	}
	// Bias is estimate minus truth (at step 1, where the truth is the estimand); pilots are
	// chosen for strength.
	var att, tru, bias, strT, strC, twfe, truAll, twfeBias float64
	for _, e := range est1 {
		switch {
		case e.Outcome == "growth" && e.Estimator == EstTWFE:
			twfe = e.Coef
		case e.Outcome == "growth" && e.Estimator == EstTrueATTAll+CFNoReform:
			truAll = e.Coef
		case e.Outcome == "growth" && e.Estimator == EstTWFEBias+CFNoReform:
			twfeBias = e.Coef
		case e.Outcome == "growth" && e.Estimator == EstSAATT:
			att = e.Coef
		case e.Outcome == "growth" && e.Estimator == EstTrueATT+CFNoReform:
			tru = e.Coef
		case e.Outcome == "growth" && e.Estimator == EstSAATTBias+CFNoReform:
			bias = e.Coef
		case e.Outcome == StrengthOutcome && e.Estimator == EstPreTreated:
			strT = e.Coef
		case e.Outcome == StrengthOutcome && e.Estimator == EstPreControl:
			strC = e.Coef
		}
	}
	if math.Abs(att-tru-bias) > 1e-12 || tru == 0 {
		t.Errorf("growth: estimate %g, truth %g, bias %g", att, tru, bias)
	}
	// TWFE's bias is against the truth over every treated county-year, its own sample.
	if math.Abs(twfe-truAll-twfeBias) > 1e-12 || truAll == 0 {
		t.Errorf("growth: twfe %g, truth over every treated county-year %g (sa_att's %g), twfe bias %g", twfe, truAll, tru, twfeBias)
	}
	if !(strT > strC) {
		t.Errorf("pilots chosen by index: treated strength %g, controls %g", strT, strC)
	}
}

func TestSummariseEstimates(t *testing.T) {
	row := func(rep int, est string, rel int, coef, lo, hi float64) EvalEstimate {
		return EvalEstimate{Replication: rep, Outcome: "growth", Estimator: est, Rel: rel, HasRel: est == EstSAEvent,
			Coef: coef, CI90Low: lo, CI90High: hi}
	}
	var est []EvalEstimate
	for r, c := range []float64{1, 2, 3, 4, 5} {
		est = append(est, row(r, EstTWFE, 0, c, c-1.5, c+1.5), row(r, EstSAEvent, 2, -c, -c-0.5, -c+0.5))
	}
	got := SummariseEstimates(est)
	if len(got) != 2 || got[0].Estimator != EstTWFE || got[1].Rel != 2 || !got[1].HasRel {
		t.Fatalf("groups %+v", got)
	}
	tw := got[0]
	// CIs [c-1.5, c+1.5] exclude 0 for c = 2..5; percentiles by Hyndman-Fan type 7.
	if tw.Reps != 5 || tw.Mean != 3 || math.Abs(tw.P5-1.2) > 1e-12 || math.Abs(tw.P95-4.8) > 1e-12 || tw.ShareSignificant != 0.8 {
		t.Errorf("twfe summary %+v", tw)
	}
	if got[1].Mean != -3 || got[1].ShareSignificant != 1 {
		t.Errorf("event summary %+v", got[1])
	}
}

func TestCheckEvaluable(t *testing.T) {
	off := testkit.Pilot(1)
	off.PMC.Enabled = false
	all := testkit.Pilot(1)
	all.PMC.Cohorts[1].Share = 0.75
	never := testkit.Pilot(1)
	for k := range never.PMC.Cohorts {
		never.PMC.Cohorts[k].Step3 = -1
	}
	late := testkit.Pilot(1)
	late.Months = 30 // step 3 comes at months 36 and 42
	for _, c := range []struct {
		name string
		cfg  sim.Config
		want error
	}{
		{"default", testkit.Pilot(1), nil},
		{"pmc off", off, ErrNoTreatedCounties},
		{"every county a pilot", all, ErrNoControlCounties},
		{"step 3 never", never, ErrNoTreatedCounties},
		{"step 3 after the horizon", late, ErrNoTreatedCounties},
	} {
		if err := CheckConfigEvaluable(c.cfg, 3); !errors.Is(err, c.want) || (err == nil) != (c.want == nil) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if err := CheckConfigEvaluable(never, 1); err != nil {
		t.Errorf("step 1 of step-1-only pilots: %v", err)
	}
	every := synthPanel(6, 6, 5, 2, func(i, y, k int) float64 { return 1 })
	if err := CheckEvaluable(every); !errors.Is(err, ErrNoControlCounties) {
		t.Errorf("panel of pilots only: %v", err)
	}
	none := synthPanel(6, 0, 5, 2, func(i, y, k int) float64 { return 1 })
	if err := CheckEvaluable(none); !errors.Is(err, ErrNoTreatedCounties) {
		t.Errorf("panel without treated counties: %v", err)
	}
}

// synthPanel builds a panel by hand: counties 0..n-1 over years, the first treated counties
// reaching step 1 in year index cohort, and every column's value given by v(i, y, k).
func synthPanel(n, treated, years, cohort int, v func(i, y, k int) float64) *Panel {
	cols := PanelColumns()
	w := len(cols)
	steps := make([]int, n*years)
	values := make([]float64, n*years*w)
	var counties []PanelCounty
	for i := range n {
		counties = append(counties, PanelCounty{ID: i, Name: fmt.Sprint("c", i), Pilot: i < treated, Tercile: 1 + i%3, IQTercile: 1 + i%3})
		for y := range years {
			if i < treated && y >= cohort {
				steps[i*years+y] = 1
			}
			for k := range w {
				values[(i*years+y)*w+k] = v(i, y, k)
			}
		}
	}
	p, err := PanelOf(1, 2000, years, cols, counties, steps, values)
	if err != nil {
		panic(err)
	}
	return p
}

// TestSummariseEstimatesCountsWhatWasComputed checks that a replication whose statistic is
// NaN (not computed) counts neither in reps nor in the share significant, and that an
// estimator without a test, or never computed, has no share (NaN, an empty cell) rather than 0.
// TestSummariseSkips: an outcome skipped in some replications is named with how many of how
// many and why (each reason with its count when there are several), and its note says that
// summary.csv's rows of it are over the others only; one skipped everywhere says so.
func TestSummariseSkips(t *testing.T) {
	skips := []Skipped{
		{0, "ln_misused_funds", ReasonNonPositive}, {0, "counties_red", "it takes one value (0) in every county-year"},
		{1, "ln_misused_funds", ReasonNonPositive}, {1, "counties_red", "it takes one value (0) in every county-year"},
		{2, "ln_misused_funds", "it takes one value (1) in every county-year"}, {2, "counties_red", "it takes one value (0) in every county-year"},
	}
	got := SummariseSkips(skips, 3)
	if len(got) != 2 || got[0].Outcome != "counties_red" || got[1].Outcome != "ln_misused_funds" {
		t.Fatalf("%+v, want counties_red then ln_misused_funds (EvalOutcomes' order)", got)
	}
	if n := got[0].Note(); n != "counties_red: not estimated in any of the 3 replications: it takes one value (0) in every county-year" {
		t.Errorf("note %q", n)
	}
	got = SummariseSkips(skips[:4], 5)
	want := "ln_misused_funds: not estimated in 2 of 5 replications (" + ReasonNonPositive + "); its rows in summary.csv, estimates and true effects alike, are over the other 3 replications only"
	if n := got[1].Note(); !strings.HasPrefix(n, want) {
		t.Errorf("note %q, want it to start %q", n, want)
	}
	if w := SummariseSkips(skips, 4)[1].Why(); w != ReasonNonPositive+" in 2; it takes one value (1) in every county-year in 1" {
		t.Errorf("two reasons: %q", w)
	}
	if len(SummariseSkips(nil, 3)) != 0 {
		t.Error("nothing skipped, yet a summary")
	}
}

func TestSummariseEstimatesCountsWhatWasComputed(t *testing.T) {
	nan := math.NaN()
	est := []EvalEstimate{
		{Replication: 0, Outcome: "y", Estimator: EstPreTrend, Coef: 9, P: 0.01},
		{Replication: 1, Outcome: "y", Estimator: EstPreTrend, Coef: nan, P: nan},
		{Replication: 0, Outcome: "z", Estimator: EstPreTrend, Coef: nan, P: nan},
		{Replication: 1, Outcome: "z", Estimator: EstPreTrend, Coef: nan, P: nan},
		{Replication: 0, Outcome: "y", Estimator: EstTrueATT + CFNoReform, Coef: 0.1},
	}
	got := SummariseEstimates(est)
	if len(got) != 3 {
		t.Fatalf("%d rows: %+v", len(got), got)
	}
	if got[0].Reps != 1 || got[0].ShareSignificant != 1 {
		t.Errorf("y pre-trend, one of two computed and rejecting: reps %d, share %v; want 1, 1", got[0].Reps, got[0].ShareSignificant)
	}
	if got[1].Reps != 0 || !math.IsNaN(got[1].ShareSignificant) || !math.IsNaN(got[1].Mean) {
		t.Errorf("z pre-trend, never computed: reps %d, share %v, mean %v; want 0, NaN, NaN", got[1].Reps, got[1].ShareSignificant, got[1].Mean)
	}
	if got[2].Reps != 1 || !math.IsNaN(got[2].ShareSignificant) {
		t.Errorf("true effect: reps %d, share %v; want 1, NaN (no test)", got[2].Reps, got[2].ShareSignificant)
	}
	for _, g := range got {
		if g.Of != 2 {
			t.Errorf("%s %s: of %d replications, want 2", g.Outcome, g.Estimator, g.Of)
		}
	}
}

// TestWildSeedsByOutcomeAndEstimator: each bootstrap row of an outcome is its did function run
// with the seed of the run's seed and the estimator's and the outcome's names (twfe_wcr's as
// before the Sun-Abraham bootstraps came: FNV-1a of "twfe_wcr OUTCOME"), each test its own.
func TestWildSeedsByOutcomeAndEstimator(t *testing.T) {
	est, _, p, _ := estimateTiny(t, 3)
	const outcome = "growth"
	d, _ := p.OutcomePanel(EvalOutcome{Column: p.Column(outcome)}, nil)
	h := fnv.New64a()
	h.Write([]byte("twfe_wcr growth"))
	if s := wcrSeed(tinyBoot.Seed, EstTWFEWCR, outcome); s != [2]uint64{tinyBoot.Seed, h.Sum64()} {
		t.Errorf("twfe_wcr's seed %v changed", s)
	}
	seeds := map[[2]uint64]string{}
	for _, e := range []string{EstTWFEWCR, EstSAATTWCR, EstPreTrendWCR} {
		for _, o := range []string{"growth", "gdp_per_capita"} {
			s := wcrSeed(tinyBoot.Seed, e, o)
			if k, dup := seeds[s]; dup {
				t.Errorf("%s %s has %s's seed", e, o, k)
			}
			seeds[s] = e + " " + o
		}
	}
	opt := func(e string, level float64) did.WildOptions {
		return did.WildOptions{Draws: tinyBoot.Draws, Seed: wcrSeed(tinyBoot.Seed, e, outcome), Level: level}
	}
	_, tw, err := did.TWFEWild(d, opt(EstTWFEWCR, 0.9))
	if err != nil {
		t.Fatal(err)
	}
	_, sa, err := did.SunAbrahamWild(d, EventMinRel, EventMaxRel, opt(EstSAATTWCR, 0.9), opt(EstPreTrendWCR, 0))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][3]float64{
		EstTWFEWCR:     {tw.P, tw.CILow, tw.CIHigh},
		EstSAATTWCR:    {sa.ATT.P, sa.ATT.CILow, sa.ATT.CIHigh},
		EstPreTrendWCR: {sa.PreTrend.P},
	}
	for _, e := range est {
		if w, ok := want[e.Estimator]; ok && e.Outcome == outcome {
			got := [3]float64{e.P, e.CI90Low, e.CI90High}
			if e.Estimator == EstPreTrendWCR {
				got[1], got[2] = 0, 0
			}
			if got != w {
				t.Errorf("%s of %s: %v, want %v", e.Estimator, outcome, got, w)
			}
			delete(want, e.Estimator)
		}
	}
	if len(want) > 0 {
		t.Errorf("no rows for %v", want)
	}
}
