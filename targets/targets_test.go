package targets

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"testing"

	"github.com/countysim/countysim/internal/testkit"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/sim"
)

// sp is a hand-made figure: mean, 5th and 95th percentiles over 10 runs, and the 90% interval
// of the mean halfway between the mean and each percentile.
func sp(mean, p5, p95 float64) TargetFigure {
	return TargetFigure{Summary: observe.Summary{N: 10, Mean: mean, P5: p5, P95: p95}, Lo: (mean + p5) / 2, Hi: (mean + p95) / 2}
}

// ci is a hand-made figure with the interval of its mean.
func ci(mean, lo, hi float64) TargetFigure {
	return TargetFigure{Summary: observe.Summary{N: 10, Mean: mean, P5: lo - 1, P95: hi + 1}, Lo: lo, Hi: hi}
}

// with returns a copy of f with the given figures replaced.
func with(f figs, kv ...any) figs {
	g := maps.Clone(f)
	for i := 0; i < len(kv); i += 2 {
		g[kv[i].(string)] = kv[i+1].(TargetFigure)
	}
	return g
}

func TestGraders(t *testing.T) {
	for _, c := range []struct {
		name string
		got  Strength
		want Strength
	}{
		{"above, interval clear", above(ci(1, 0.5, 1.5), 0), MetClearly},
		{"above, interval touches", above(ci(1, -0.5, 2.5), 0), MetWeakly},
		{"above, mean below", above(ci(-1, -2, 0.5), 0), NotMet},
		{"above, NaN", above(ci(math.NaN(), math.NaN(), math.NaN()), 0), NotMet},
		{"below, clear", below(ci(-1, -2, -0.5), 0), MetClearly},
		{"below, weak", below(ci(-1, -2, 0.5), 0), MetWeakly},
		{"noRise, interval below", noRise(ci(-1, -2, -0.5), 0), MetClearly},
		{"noRise, interval ends at the bound", noRise(ci(-1, -2, 0), 0), MetClearly},
		{"noRise, interval just above the bound", noRise(ci(-1, -2, 1e-9), 0), MetWeakly},
		{"noRise, mean at the bound", noRise(ci(0, -1, 1), 0), MetWeakly},
		{"noRise, mean above, interval covers the bound", noRise(ci(0.5, -0.1, 1.1), 0), MetWeakly},
		{"noRise, mean above, interval starts at the bound", noRise(ci(0.5, 0, 1), 0), MetWeakly},
		{"noRise, interval just above", noRise(ci(0.5, 1e-9, 1), 0), NotMet},
		{"noRise, NaN", noRise(ci(math.NaN(), math.NaN(), math.NaN()), 0), NotMet},
		{"noRise, one replication at the bound: weak at best", noRise(TargetFigure{Summary: observe.Summary{N: 1, Mean: 0}, Lo: math.NaN(), Hi: math.NaN()}, 0), MetWeakly},
		{"noRise, one replication above", noRise(TargetFigure{Summary: observe.Summary{N: 1, Mean: 1e-9}, Lo: math.NaN(), Hi: math.NaN()}, 0), NotMet},
		{"within, clear", within(ci(0.1, -0.2, 0.3), -0.5, 0.5), MetClearly},
		{"within, weak", within(ci(0.4, 0.2, 0.6), -0.5, 0.5), MetWeakly},
		{"within, outside", within(ci(0.6, 0.55, 0.7), -0.5, 0.5), NotMet},
		{"one interval only: weak at best", above(TargetFigure{Summary: observe.Summary{N: 1, Mean: 1}, Lo: math.NaN(), Hi: math.NaN()}, 0), MetWeakly},
		{"all is the weakest", all(MetClearly, MetWeakly, MetClearly), MetWeakly},
		{"either is the strongest", either(NotMet, MetWeakly), MetWeakly},
	} {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
	f := tfig("k", "l", "", "u", []float64{1, 2, 3, math.NaN()})
	if f.N != 3 || f.Mean != 2 || !(f.Lo < 2 && f.Hi > 2) || math.Abs((f.Hi-f.Lo)/2-2.919986*1/math.Sqrt(3)) > 1e-5 {
		t.Errorf("tfig: %+v (want mean 2, half-width t(0.95;2) sd/sqrt 3)", f)
	}
}

// TestValidationRules holds every rule of the targets table to hand-made figures: one set that
// meets it and, for each clause, a change that breaks it.
func TestValidationRules(t *testing.T) {
	t1 := figs{"placebo:random:pretrend": sp(0.1, 0, 1), "placebo:random:coverage": sp(0.9, 0, 1)}
	for k, s := range T1Settings {
		t1["att:"+s] = sp(-0.3+0.1*float64(k), -1, 1) // means from -0.3 to +0.3
	}
	t1["att:"+ScnDefault] = ci(-0.3, -0.4, -0.2)
	t2 := figs{"att:step1": ci(0.1, -0.1, 0.2), "diff:full-step1": ci(0.7, 0.3, 1.1), "slope": ci(0.05, 0.01, 0.1),
		"pretrend:full": sp(0.1, 0, 1), "placebo:date": sp(0.1, 0, 1)}
	t3 := figs{"log:transfers": ci(3, 2, 4), "log:own": ci(1, 0.5, 1.5), "pretrend:log:transfers": sp(0.1, 0, 1),
		"pretrend:log:own": sp(0, 0, 0), "kept": sp(0, 0, 0), "placebo:log:transfers:significant": sp(0.1, 0, 1), "placebo:log:own:significant": sp(0.2, 0, 1)}
	t4 := figs{"att:misuse": ci(5, 2, 8), "diff:misuse": ci(20, 10, 30), "att:hidden": ci(-1, -2, 0), "diff:hidden": ci(-2, -3, -1)}
	t5 := figs{"diff:iq": ci(0.5, 0.2, 0.8), "diff:strength": ci(0.3, 0.1, 0.5), "dtheil:weak": ci(0.02, 0.01, 0.03),
		"dtheil:nodev:weak": ci(0.01, 0, 0.02), "dev:weak": ci(0.01, 0.005, 0.015),
		"dtheil:strong": ci(-0.01, -0.02, 0), "dtheil:nodev:strong": ci(-0.005, -0.01, 0), "dev:strong": ci(-0.005, -0.01, -0.001),
		"diff:dev": ci(0.015, 0.01, 0.02)}
	t6 := figs{"approval:cut": ci(55, 50, 60)}
	t7 := figs{"diff:1-2": ci(5, 3, 7), "diff:1-3": ci(7, 5, 9)}
	t8 := figs{"level": ci(3, 2, 4), "fade": ci(-0.2, -0.3, -0.1), "growth:late": ci(0.5, 0.4, 0.6)}
	t9 := figs{"level10": ci(5, 4, 6), "growth": ci(0.5, 0.4, 0.6), "days:first_share": ci(0.3, 0.2, 0.4)}

	cases := []struct {
		name string
		met  func(figs) Strength
		f    figs
		want Strength
	}{
		{"T1 met", metT1, t1, MetClearly},
		{"T1 default interval touches 0.5", metT1, with(t1, "att:"+ScnDefault, ci(0.4, 0.2, 0.6)), MetWeakly},
		{"T1 default too large", metT1, with(t1, "att:"+ScnDefault, ci(-0.7, -1, -0.6)), NotMet},
		{"T1 one sign only", metT1, with(t1, "att:"+ScnHighIQ, sp(-0.01, -1, 1), "att:"+ScnStrongPref, sp(-0.1, -1, 1), "att:"+ScnWeakPref, sp(-0.05, -1, 1), "att:"+ScnLowIQ, sp(-0.2, -1, 1)), NotMet},
		{"T1 a setting beyond 2 pp", metT1, with(t1, "att:"+ScnBroad, sp(1.5, 0.5, 2.5)), NotMet},
		{"T1 a setting not measured", metT1, with(t1, "att:"+ScnNarrow, tfig("", "", "", "", nil)), NotMet},
		{"T2 met", metT2, t2, MetClearly},
		{"T2 step 1 effect too large", metT2, with(t2, "att:step1", ci(-0.4, -0.6, -0.35)), NotMet},
		{"T2 full PMC not larger", metT2, with(t2, "diff:full-step1", ci(-0.05, -0.2, 0.1)), NotMet},
		{"T2 full PMC larger within noise", metT2, with(t2, "diff:full-step1", ci(0.05, -0.2, 0.3)), MetWeakly},
		{"T2 effects fade", metT2, with(t2, "slope", ci(-0.02, -0.05, 0.01)), NotMet},
		{"T2 pre-trend", metT2, with(t2, "pretrend:full", sp(0.5, 0, 1)), NotMet},
		{"T3 met", metT3, t3, MetClearly},
		{"T3 transfers fall", metT3, with(t3, "log:transfers", ci(-5, -10, -1)), NotMet},
		{"T3 own revenue falls", metT3, with(t3, "log:own", ci(-1, -3, 1)), NotMet},
		{"T3 pre-trend in log revenue", metT3, with(t3, "pretrend:log:own", sp(0.8, 0, 1)), NotMet},
		{"T3 kept by prefectures is reported, not judged (the model sets it to 0)", metT3, with(t3, "kept", sp(0.5, 0, 2)), MetClearly},
		{"T4 met by misuse", metT4, t4, MetClearly},
		{"T4 met by hidden debt alone", metT4, with(t4, "att:misuse", ci(-1, -2, 0), "att:hidden", ci(3, 1, 5), "diff:hidden", ci(5, 2, 8)), MetClearly},
		{"T4 misuse falls", metT4, with(t4, "att:misuse", ci(-1, -2, -0.5)), NotMet},
		{"T4 narrow span rises more", metT4, with(t4, "diff:misuse", ci(-5, -8, -2)), NotMet},
		{"T4 span gradient within noise", metT4, with(t4, "diff:misuse", ci(2, -3, 7)), MetWeakly},
		{"T5 met", metT5, t5, MetClearly},
		{"T5 institutions do not help", metT5, with(t5, "diff:iq", ci(-0.3, -0.6, 0)), NotMet},
		{"T5 strength does not help", metT5, with(t5, "diff:strength", ci(-0.1, -0.4, 0.2)), NotMet},
		// Devolution's effect on the Theil change (with minus without devolution) decides; the
		// changes with devolution alone (which carry equalisation's own pull) do not.
		{"T5 devolution does not widen inequality under weak equalisation", metT5, with(t5, "dev:weak", ci(-0.01, -0.015, -0.005)), NotMet},
		{"T5 weak: effect exactly 0", metT5, with(t5, "dev:weak", ci(0, -0.005, 0.005)), NotMet},
		{"T5 weak: rise within noise", metT5, with(t5, "dev:weak", ci(0.002, -0.001, 0.005)), MetWeakly},
		{"T5 weak: interval starts at 0", metT5, with(t5, "dev:weak", ci(0.002, 0, 0.005)), MetWeakly},
		{"T5 weak: no counterfactual, no verdict", metT5, with(t5, "dev:weak", tfig("", "", "", "", []float64{math.NaN(), math.NaN()})), NotMet},
		{"T5 devolution widens inequality under strong equalisation too", metT5, with(t5, "dev:strong", ci(0.005, 0.001, 0.01)), NotMet},
		{"T5 strong: interval starts just above 0", metT5, with(t5, "dev:strong", ci(0.005, 1e-9, 0.01)), NotMet},
		{"T5 strong: rise within noise", metT5, with(t5, "dev:strong", ci(0.002, -0.001, 0.005)), MetWeakly},
		{"T5 strong: interval up to 0", metT5, with(t5, "dev:strong", ci(-0.002, -0.004, 0)), MetClearly},
		{"T5 changes with devolution alone do not decide", metT5, with(t5, "dtheil:weak", ci(-0.03, -0.04, -0.02), "dtheil:strong", ci(0.03, 0.02, 0.04), "diff:dev", ci(-0.01, -0.02, 0)), MetClearly},
		{"T6 met", metT6, t6, MetClearly},
		{"T6 cut too small", metT6, with(t6, "approval:cut", ci(30, 25, 35)), NotMet},
		{"T6 cut too large", metT6, with(t6, "approval:cut", ci(70, 65, 75)), NotMet},
		{"T7 met", metT7, t7, MetClearly},
		{"T7 strongest in arrears first", metT7, with(t7, "diff:1-3", ci(-2, -4, 0)), NotMet},
		{"T7 middle in arrears first", metT7, with(t7, "diff:1-2", ci(-1, -3, 1)), NotMet},
		{"T8 met", metT8, t8, MetClearly},
		{"T8 level effect too large", metT8, with(t8, "level", ci(12, 10, 14)), NotMet},
		{"T8 level effect negative", metT8, with(t8, "level", ci(-1, -2, -0.5)), NotMet},
		{"T8 growth effect does not fade", metT8, with(t8, "fade", ci(0.3, 0.2, 0.4)), NotMet},
		{"T8 fading by the 0.3 pp clause", metT8, with(t8, "fade", ci(0.1, 0.05, 0.2), "growth:late", ci(0.1, 0, 0.2)), MetClearly},
		{"T9 met", metT9, t9, MetClearly},
		{"T9 level too high", metT9, with(t9, "level10", ci(15, 12, 18)), NotMet},
		{"T9 growth effect above 1 pp", metT9, with(t9, "growth", ci(1.5, 1.2, 1.8)), NotMet},
		{"T9 growth effect negative", metT9, with(t9, "growth", ci(-0.2, -0.3, -0.1)), NotMet},
		{"T9 cut in one go", metT9, with(t9, "days:first_share", ci(0.9, 0.85, 0.95)), NotMet},
	}
	for _, c := range cases {
		if got := c.met(c.f); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	for _, c := range []struct {
		name  string
		clean func(figs) bool
		f     figs
		want  bool
	}{
		{"T1 placebo clean", cleanT1, t1, true},
		{"T1 random pilots show a pre-trend", cleanT1, with(t1, "placebo:random:pretrend", sp(0.4, 0, 1)), false},
		{"T1 random pilots: CIs miss the truth", cleanT1, with(t1, "placebo:random:coverage", sp(0.5, 0, 1)), false},
		{"T2 placebo clean", cleanT2, t2, true},
		{"T2 placebo date finds an effect", cleanT2, with(t2, "placebo:date", sp(0.6, 0, 1)), false},
		{"T3 placebo clean", cleanT3, t3, true},
		{"T3 placebo finds revenue", cleanT3, with(t3, "placebo:log:own:significant", sp(1, 1, 1)), false},
		{"T3 placebo finds transfers", cleanT3, with(t3, "placebo:log:transfers:significant", sp(0.3, 0, 1)), false},
	} {
		if got := c.clean(c.f); got != c.want {
			t.Errorf("%s: clean = %v, want %v", c.name, got, c.want)
		}
	}
	// A target met only with an unclean placebo is not met.
	no := false
	r := TargetResult{Strength: MetClearly, PlaceboClean: &no}
	if r.Verdict() != "not met (placebo not clean)" || r.PlaceboVerdict() != "not clean" {
		t.Errorf("verdict %q, placebo %q", r.Verdict(), r.PlaceboVerdict())
	}
}

// synthPanel builds a panel by hand: counties 0..n-1 over years, the first treated counties
// reaching step 1 in year index cohort, and every column's value given by v(i, y, k).
func synthPanel(n, treated, years, cohort int, v func(i, y, k int) float64) *observe.Panel {
	cols := observe.PanelColumns()
	w := len(cols)
	steps := make([]int, n*years)
	values := make([]float64, n*years*w)
	var counties []observe.PanelCounty
	for i := range n {
		counties = append(counties, observe.PanelCounty{ID: i, Name: fmt.Sprint("c", i), Pilot: i < treated, Tercile: 1 + i%3, IQTercile: 1 + i%3})
		for y := range years {
			if i < treated && y >= cohort {
				steps[i*years+y] = 1
			}
			for k := range w {
				values[(i*years+y)*w+k] = v(i, y, k)
			}
		}
	}
	p, err := observe.PanelOf(1, 2000, years, cols, counties, steps, values)
	if err != nil {
		panic(err)
	}
	return p
}

// TestRulesFailOnPanelsBuiltToFailThem measures targets on hand-built panels: pilots whose
// log revenue drifts up years before the reform (T3's pre-trend clause fails, and the
// placebo-date design finds an "effect" where there is none: T2's placebo), and panels
// without any difference between treated and controls (the placebo date is clean).
func TestRulesFailOnPanelsBuiltToFailThem(t *testing.T) {
	noise := func(i, y int) float64 { return 0.01 * math.Sin(float64(7*i+13*y)) }
	drift := func(i, y, k int) float64 {
		base := 100 + noise(i, y)
		if i < 20 {
			base *= math.Exp(0.05 * float64(y)) // pilots drift apart from the start
		}
		return base
	}
	flat := func(i, y, k int) float64 { return 100 * math.Exp(noise(i, y)) }
	d := func(p *observe.Panel) *ValData {
		return &ValData{In: &Input{Panels: [][]*observe.Panel{{p, p}}, Truths: [][][]*observe.Truth{{nil, nil}}},
			idx: map[string]int{ScnStep1: 0, ScnHenanPath: 0}, CFs: map[string][]string{}, fits: map[string][]RepFit{}}
	}
	dr, fl := d(synthPanel(50, 20, 14, 8, drift)), d(synthPanel(50, 20, 14, 8, flat))
	f := figs{}
	for _, x := range []TargetFigure{
		tfig("log:transfers", "", "", "", pct(dr.Att(ScnStep1, "ln_transfers_received", Subsample{}, 1))),
		tfig("log:own", "", "", "", pct(dr.Att(ScnStep1, "ln_local_revenue", Subsample{}, 1))),
		tfig("pretrend:log:transfers", "", "", "", dr.PreTrend(ScnStep1, "ln_transfers_received")),
		tfig("pretrend:log:own", "", "", "", dr.PreTrend(ScnStep1, "ln_local_revenue")),
		tfig("kept", "", "", "", []float64{0, 0}),
	} {
		f[x.Key] = x
	}
	if f["pretrend:log:own"].Mean != 1 || metT3(f) != NotMet {
		t.Errorf("T3 on drifting pilots: pre-trend rejections %g, verdict %v; want 1 and not met", f["pretrend:log:own"].Mean, metT3(f))
	}
	if s := tfig("", "", "", "", significant(dr.PlaceboDate(ScnHenanPath, "ln_local_revenue", 4))); s.Mean != 1 ||
		cleanT2(figs{"placebo:date": s}) {
		t.Errorf("placebo date on drifting pilots: significant in %g of replications, want 1 (not clean)", s.Mean)
	}
	if s := tfig("", "", "", "", significant(fl.PlaceboDate(ScnHenanPath, "ln_local_revenue", 4))); s.N != 2 || s.Mean != 0 ||
		!cleanT2(figs{"placebo:date": s}) {
		t.Errorf("placebo date without any difference: significant in %g of %d replications, want 0 of 2 (clean)", s.Mean, s.N)
	}
}

// TestPanelRulesFailOnPanelsBuiltToFailThem measures T5's Theil clauses, T6 and T7 with their
// own measurement code on hand-built panels: the strongest tercile in arrears after the shock
// (T7 fails), approval days that do not fall (T6 fails) or fall by nine tenths (T6 fails from
// above), and county incomes that devolution makes converge under weak equalisation, spread as
// fast under strong, or spread only as much as they do without devolution (T5's Theil clauses
// fail); beside each, a panel built to meet the rule meets it.
func TestPanelRulesFailOnPanelsBuiltToFailThem(t *testing.T) {
	col := func(name string) int {
		return slices.IndexFunc(observe.PanelColumns(), func(c observe.PanelColumn) bool { return c.Name == name })
	}
	kArr, kGDP, kPop := col("arrears_months"), col("gdp_per_capita"), col("population")
	const n, years, reps = 30, 12, 3
	data := func(cfg sim.Config, names []string, mk func(r int, name string) *observe.Panel) *ValData {
		d := &ValData{In: &Input{}, idx: map[string]int{}, CFs: map[string][]string{}, fits: map[string][]RepFit{}}
		for k, name := range names {
			d.idx[name] = k
			d.In.Configs = append(d.In.Configs, cfg)
			var ps []*observe.Panel
			for r := range reps {
				ps = append(ps, mk(r, name))
			}
			d.In.Panels = append(d.In.Panels, ps)
		}
		return d
	}
	figsOf := func(xs []TargetFigure, err error) figs {
		if err != nil {
			t.Fatal(err)
		}
		f := figs{}
		for _, x := range xs {
			f[x.Key] = x
		}
		return f
	}
	cfg := sim.DefaultConfig()
	cfg.Finance.RevenueShockMonth = 60
	cfg.Approval.Start = 36
	// T7: arrears after the shock fall on tercile `in` (synthPanel: tercile 1 + i%3).
	arrears := func(in int) *ValData {
		return data(cfg, []string{ScnStress}, func(r int, _ string) *observe.Panel {
			return synthPanel(n, 0, years, 0, func(i, y, k int) float64 {
				if k == kArr && y >= 5 && 1+i%3 == in {
					return float64(3 + (i+r)%4)
				}
				return 0
			})
		})
	}
	if got := metT7(figsOf(measureT7(arrears(3)))); got != NotMet {
		t.Errorf("T7 with only the strongest tercile in arrears: %v, want not met", got)
	}
	if got := metT7(figsOf(measureT7(arrears(1)))); got != MetClearly {
		t.Errorf("T7 with only the weakest tercile in arrears: %v, want met clearly", got)
	}
	// T6: approval days from 100 to `after` from the reform year on (baseline flat).
	approval := func(after float64) *ValData {
		return data(cfg, []string{ScnApproval, ScnBaseline}, func(r int, name string) *observe.Panel {
			return synthPanel(n, 0, years, 0, func(i, y, k int) float64 {
				if name == ScnApproval && y >= 3 {
					return after + float64((i+r)%3)
				}
				return 100 + float64((i+r)%3)
			})
		})
	}
	for _, c := range []struct {
		after float64
		want  Strength
	}{{100, NotMet}, {10, NotMet}, {50, MetClearly}} {
		if got := metT6(figsOf(measureT6(approval(c.after)))); got != c.want {
			t.Errorf("T6 with approval days 100 to %g: %v, want %v", c.after, got, c.want)
		}
	}
	// T5's Theil clauses: after devolution, incomes spread apart or converge at rate g in the
	// run with devolution, and at rate g0 in the same world without it.
	cfg.Devolution.Start = 24
	theil := func(weak, strong, weak0, strong0 float64) figs {
		d := t5Data(cfg, reps, func(r int, name string, cf bool) *observe.Panel {
			g := map[bool]map[string]float64{false: {ScnWeakEq: weak, ScnStrongEq: strong}, true: {ScnWeakEq: weak0, ScnStrongEq: strong0}}[cf][name]
			return synthPanel(n, 0, years, 0, func(i, y, k int) float64 {
				if k == kPop {
					return 1e5
				}
				if k != kGDP {
					return 0
				}
				x := float64(i%10)/10 - 0.45 + 0.01*float64(r)
				return 20000 * math.Exp(x*(1+g*float64(max(y-1, 0))))
			})
		})
		f := figs{"diff:iq": ci(0.5, 0.2, 0.8), "diff:strength": ci(0.3, 0.1, 0.5)}
		for _, x := range measureT5Theil(d) {
			f[x.Key] = x
		}
		return f
	}
	for _, c := range []struct {
		name                         string
		weak, strong, weak0, strong0 float64
		want                         Strength
	}{
		{"devolution spreads incomes under weak equalisation, converges them under strong", 0.1, -0.05, 0, 0, MetClearly},
		{"devolution converges incomes under weak equalisation", -0.05, -0.05, 0, 0, NotMet},
		{"devolution spreads incomes as fast under strong equalisation", 0.1, 0.1, 0, 0, NotMet},
		// Incomes spread under weak equalisation with or without devolution: the change with
		// devolution rises (the old, unjudged figure), devolution's effect is nil.
		{"equalisation alone spreads incomes", 0.1, -0.05, 0.1, -0.05, NotMet},
		{"devolution spreads incomes, less than the world without it would", 0.1, -0.05, 0.15, -0.05, NotMet},
	} {
		f := theil(c.weak, c.strong, c.weak0, c.strong0)
		if got := metT5(f); got != c.want {
			t.Errorf("T5, %s: %v, want %v (devolution's effect weak %+v, strong %+v)", c.name, got, c.want, f["dev:weak"].Summary, f["dev:strong"].Summary)
		}
	}
}

// t5Data builds T5's equalisation settings by hand: reps replications of each, the panel with
// devolution from mk(r, scenario, false) and that of its no_devolution counterfactual from
// mk(r, scenario, true).
func t5Data(cfg sim.Config, reps int, mk func(r int, scenario string, cf bool) *observe.Panel) *ValData {
	d := &ValData{In: &Input{}, idx: map[string]int{}, CFs: map[string][]string{}, fits: map[string][]RepFit{}}
	for k, name := range []string{ScnWeakEq, ScnStrongEq} {
		d.idx[name] = k
		d.CFs[name] = []string{observe.CFNoDevolution}
		d.In.Configs = append(d.In.Configs, cfg)
		var ps []*observe.Panel
		var qs [][]*observe.Panel
		for r := range reps {
			ps = append(ps, mk(r, name, false))
			qs = append(qs, []*observe.Panel{mk(r, name, true)})
		}
		d.In.Panels = append(d.In.Panels, ps)
		d.In.CFPanels = append(d.In.CFPanels, qs)
	}
	return d
}

// TestT5DevolutionEffectIsADifferenceInChanges measures T5's Theil figures on two counties of
// equal population over four years, devolution from month 24 (the year before it is year index
// 1, the final year 3), with GDP per capita set by hand in those two years and something else in
// the others. The Theil index of incomes {a, b} is ((a/m) ln(a/m) + (b/m) ln(b/m)) / 2 with
// m = (a+b)/2: 0 for {2, 2}, T13 = 0.130812... for {1, 3}, T14 = 0.192744... for {1, 4},
// T12 = 0.056633... for {1, 2}, 0.031583... for {1.5, 2.5}.
func TestT5DevolutionEffectIsADifferenceInChanges(t *testing.T) {
	col := func(name string) int {
		return slices.IndexFunc(observe.PanelColumns(), func(c observe.PanelColumn) bool { return c.Name == name })
	}
	kGDP, kPop := col("gdp_per_capita"), col("population")
	const t13, t14, t12, t1525 = 0.13081203594113697, 0.19274475702175753, 0.056633012265132426, 0.03158394240196326
	// Incomes of the two counties in year 1 and year 3, by replication, scenario and run (false:
	// with devolution, true: without). Replication 1 without devolution starts elsewhere than
	// with it (the model's runs share that year; the measure must not rely on it).
	type run struct{ pre, final [2]float64 }
	incomes := map[int]map[string]map[bool]run{
		0: {ScnWeakEq: {false: {[2]float64{2, 2}, [2]float64{1, 3}}, true: {[2]float64{2, 2}, [2]float64{1.5, 2.5}}},
			ScnStrongEq: {false: {[2]float64{2, 2}, [2]float64{2, 2}}, true: {[2]float64{2, 2}, [2]float64{1, 3}}}},
		1: {ScnWeakEq: {false: {[2]float64{1, 3}, [2]float64{1, 4}}, true: {[2]float64{1, 2}, [2]float64{1, 2}}},
			ScnStrongEq: {false: {[2]float64{1, 3}, [2]float64{1, 3}}, true: {[2]float64{1, 3}, [2]float64{1, 4}}}},
	}
	cfg := sim.DefaultConfig()
	cfg.Devolution.Start = 24
	d := t5Data(cfg, 2, func(r int, name string, cf bool) *observe.Panel {
		in := incomes[r][name][cf]
		return synthPanel(2, 0, 4, 0, func(i, y, k int) float64 {
			switch {
			case k == kPop:
				return 1e5
			case k != kGDP:
				return 0
			case y == 1:
				return in.pre[i]
			case y == 3:
				return in.final[i]
			}
			return []float64{7, 1}[i] // years 0 and 2 do not count
		})
	})
	f := figs{}
	for _, x := range measureT5Theil(d) {
		f[x.Key] = x
	}
	// Devolution's effect by replication: weak (T13 - 0) - (T1525 - 0) and (T14 - T13) - (T12 - T12);
	// strong (0 - 0) - (T13 - 0) and (T13 - T13) - (T14 - T13).
	for key, want := range map[string]float64{
		"theil0:weak":         (0 + t13) / 2,
		"dtheil:weak":         (t13 + t14 - t13) / 2,
		"dtheil:nodev:weak":   (t1525 + 0) / 2,
		"dev:weak":            (t13 - t1525 + t14 - t13) / 2,
		"theil0:strong":       (0 + t13) / 2,
		"dtheil:strong":       0,
		"dtheil:nodev:strong": (t13 + t14 - t13) / 2,
		"dev:strong":          (-t13 - (t14 - t13)) / 2,
		"diff:dev":            (t13 - t1525 + t13 + 2*(t14-t13)) / 2,
	} {
		if x, ok := f[key]; !ok || x.N != 2 || math.Abs(x.Mean-want) > 1e-12 {
			t.Errorf("%s: mean %.15g of %d replications, want %.15g", key, x.Mean, x.N, want)
		}
	}
	// Replication by replication: the interval of dev:weak is that of the two effects.
	effs := []float64{t13 - t1525, t14 - t13}
	if x, want := f["dev:weak"], tfig("", "", "", "", effs); math.Abs(x.Lo-want.Lo) > 1e-12 || math.Abs(x.Hi-want.Hi) > 1e-12 {
		t.Errorf("dev:weak interval [%g, %g], want [%g, %g]", x.Lo, x.Hi, want.Lo, want.Hi)
	}
	// Without the counterfactual panels there is no effect to judge.
	d.In.CFPanels = nil
	f = figs{}
	for _, x := range measureT5Theil(d) {
		f[x.Key] = x
	}
	if x := f["dev:weak"]; x.N != 0 || above(x, 0) != NotMet {
		t.Errorf("dev:weak without counterfactual panels: %d replications, %v", x.N, above(x, 0))
	}
}

// TestPriorityRulePaysWagesFirst is T7's identity as a unit test: with the priority rule on, no
// county-month has wage arrears while receipts cover the wage bill and arrears carried in;
// without it, under the same stress, such months occur.
func TestPriorityRulePaysWagesFirst(t *testing.T) {
	cfg := testkit.Pilot(4)
	cfg.PMC.Enabled = false
	cfg.Finance.RevenueShock, cfg.Finance.RevenueShockMonth = 0.5, 36
	cfg.Debt.StopNewDebt = true
	cfg.Finance.PriorityRule = true
	on, _ := runTiny(t, cfg, 1)
	cfg.Finance.PriorityRule = false
	off, _ := runTiny(t, cfg, 1)
	if n := coveredArrears(on); n != 0 {
		t.Errorf("priority rule on: %g county-months with arrears while receipts covered wages", n)
	}
	if n := coveredArrears(off); n == 0 {
		t.Error("priority rule off: no county-month with arrears while covered; the check above cannot fail")
	}
}

func TestSlopeOverPost(t *testing.T) {
	rels := []int{-2, -1, 0, 1, 2, 3}
	if s := slopeOverPost(rels, []float64{9, 0, 1, 3, 5, 7}); math.Abs(s-2) > 1e-12 {
		t.Errorf("slope %g, want 2 (pre-period ignored)", s)
	}
	if s := slopeOverPost([]int{-1, 0}, []float64{0, 1}); !math.IsNaN(s) {
		t.Errorf("one post point: slope %g, want NaN", s)
	}
}

// runTiny runs cfg into a panel with treatment step step, recording the months alongside.
func runTiny(t *testing.T, cfg sim.Config, step int) (*observe.Panel, *testkit.Months) {
	return testkit.RunWith(t, cfg, func(m *sim.Model) (*observe.Panel, error) { return observe.NewPanel(m, step) })
}

// TestEveryTargetHasChinese checks that every target states its finding, evidence, rule,
// placebo (when it has one) and headline labels in Chinese, and that a target that cannot be
// measured explains why in both languages.
func TestEveryTargetHasChinese(t *testing.T) {
	han := func(s string) bool {
		for _, r := range s {
			if r >= 0x4e00 && r <= 0x9fff {
				return true
			}
		}
		return false
	}
	for _, tg := range targets {
		for name, s := range map[string]string{"finding": tg.findingZh, "published": tg.publishedZh, "rule": tg.ruleZh} {
			if !han(s) {
				t.Errorf("%s: the Chinese %s is %q", tg.id, name, s)
			}
		}
		if (tg.placebo == "") != (tg.placeboZh == "") || (tg.placebo != "" && !han(tg.placeboZh)) {
			t.Errorf("%s: placebo %q, in Chinese %q", tg.id, tg.placebo, tg.placeboZh)
		}
		for _, h := range tg.headline {
			if !han(h.labelZh) {
				t.Errorf("%s: headline %q has the Chinese label %q", tg.id, h.label, h.labelZh)
			}
		}
	}
	f := tfig("k", "l", "标签", PpYear, []float64{1, 2})
	if f.UnitZh != "百分点/年" || f.LabelZh != "标签" {
		t.Errorf("tfig: Chinese label %q, unit %q", f.LabelZh, f.UnitZh)
	}
	r := decide(target{id: "X", measure: func(*ValData) ([]TargetFigure, error) {
		return nil, problem{"the horizon ends early", "模拟期过早结束"}
	}, met: func(figs) Strength { return MetClearly }}, nil)
	if r.Problem != "the horizon ends early" || r.Zh.Problem != "模拟期过早结束" || r.Met {
		t.Errorf("a target that cannot be measured: problem %q, in Chinese %q, met %v", r.Problem, r.Zh.Problem, r.Met)
	}
}
