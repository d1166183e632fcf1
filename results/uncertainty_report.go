package results

import (
	"github.com/countysim/countysim/assess"
	"github.com/countysim/countysim/observe"
	"math"
	"strconv"
)

// uncertainty is what a comparison run with a posterior adds: the variance split of every
// paired difference (where the design allows it) and how often each option is best.
type uncertainty struct {
	posterior string
	splits    []*VarianceSplit // one per row of the differences; nil entries where no split
	hasSplit  bool
	best      []BestShare
	aims      []AimShare
}

// newUncertainty computes the additions of a comparison run with meta.Posterior set.
func newUncertainty(es []*observe.Ensemble, ds []Difference, meta EnsembleMeta) (*uncertainty, error) {
	u := &uncertainty{posterior: meta.Posterior}
	var err error
	if u.splits, err = DifferenceSplits(es, ds, ComparisonGroup, meta.DrawOf); err != nil {
		return nil, err
	}
	for _, s := range u.splits {
		u.hasSplit = u.hasSplit || s != nil
	}
	if u.best, err = BestShares(es, ComparisonGroup); err != nil {
		return nil, err
	}
	if u.aims, err = AimBestShares(es); err != nil {
		return nil, err
	}
	return u, nil
}

// splitsOrNil returns the splits for differences.csv, nil when there is no posterior.
func (u *uncertainty) splitsOrNil() []*VarianceSplit {
	if u == nil {
		return nil
	}
	return u.splits
}

// splitColumns are the columns differences.csv gains with a posterior: the number of draws and
// the mean number of runs per draw of the one-way analysis of variance, the variance of the
// paired differences between draws (parameters) and within draws (run-to-run), and the
// parameters' share of their sum. Empty on the reference's rows and when every run drew its
// own parameters.
var splitColumns = []column{
	{"draws", colFloat}, {"runs_per_draw", colFloat}, {"diff_var_parameters", colFloat},
	{"diff_var_noise", colFloat}, {"parameter_share", colFloat},
}

func splitCells(v *VarianceSplit) []cell {
	if v == nil {
		nan := float(math.NaN())
		return []cell{nan, nan, nan, nan, nan}
	}
	return []cell{float(float64(v.Draws)), float(v.PerDraw), float(v.Between), float(v.Within), float(v.Share())}
}

// uncertaintyReport is the report's section on parameter uncertainty.
type uncertaintyReport struct {
	Intro      string
	BestIntro  string
	Best       []bestRow
	Sentences  []string
	AimIntro   string
	Aims       []bestRow // how often each option is best on each aim of the scorecard
	SplitIntro string
	Splits     []bestRow // the parameters' share of variance per other option
}

type bestRow struct {
	Label, Better string
	Cells         []string
}

// wholePercent formats a share as a whole percentage: 0.625 is "62%" (half to even).
func wholePercent(share float64) string { return strconv.FormatFloat(100*share, 'f', 0, 64) + "%" }

// DefaultPosteriorSource is calibrate.DefaultSource, the shipped default posterior's name
// (results cannot import calibrate, which imports it).
const DefaultPosteriorSource = "calibrate/default/posterior.csv"

// addUncertainty adds the section on parameter uncertainty to r and says in the caveats what
// the ranges hold; it does nothing when u is nil (no posterior: the report is as before).
func (r *report) addUncertainty(u *uncertainty) {
	if u == nil {
		return
	}
	l := r.Lang
	ns := len(r.Scenarios)
	sec := &uncertaintyReport{
		Intro:     l.F("Parameter uncertainty is included. Replication r of every option took its parameter values from draw r of %s (the same draw for every option) and its chance events from seed r, so the bands in the figures and the ranges in the table combine uncertainty about the calibrated parameters with run-to-run variation. Parameters not in the posterior keep the scenario's values.", u.posterior),
		BestIntro: l.T("How often each option is best: the share of the paired runs (same seed and parameter draw) in which it has the best final-year value; ties count equally for each tied option. A share says how often an option is ahead, not by how much: 100% can come from a gap too small to matter, so read it with the differences and verdicts above."),
	}
	for _, o := range KeyOutcomes {
		row := bestRow{Label: l.T(o.Label), Better: betterIs(l, o.Better)}
		lead, leadShare, allTied := "", -1.0, true
		for _, b := range u.best {
			if b.Outcome.Metric != o.Metric || b.Measure != FinalYear {
				continue
			}
			row.Cells = append(row.Cells, wholePercent(b.Share))
			if b.Share > leadShare {
				lead, leadShare = b.Scenario, b.Share
			}
			allTied = allTied && math.Abs(b.Share-1/float64(ns)) < 1e-12
		}
		sec.Best = append(sec.Best, row)
		if !allTied && leadShare >= 0 {
			sec.Sentences = append(sec.Sentences, l.F("%[1]s is best on %[2]s in %[3]s of the paired runs.", lead, l.T(o.Label), wholePercent(leadShare)))
		}
	}
	sec.AimIntro = l.T("How often each option is best on each of the five aims: in each paired run the options are ranked on each outcome that measures the aim (final year, all counties; 1 = best, ties share their average rank), and the option with the lowest sum of ranks is best on the aim, each outcome weighing the same; ties count equally for each tied option. A share says how often an option is ahead, not by how much: 100% can come from a gap too small to matter, so read it with the differences and verdicts above.")
	for _, c := range assess.Criteria {
		row := bestRow{Label: c.Name(l)}
		for _, a := range u.aims {
			if a.Aim.Zh == c.Zh {
				row.Cells = append(row.Cells, wholePercent(a.Share))
			}
		}
		sec.Aims = append(sec.Aims, row)
	}
	if u.hasSplit {
		sec.SplitIntro = l.T("Several runs were made of each parameter draw, so the variance of each paired difference splits into a part due to the parameters (between draws) and run-to-run variation (within draws), by a one-way analysis of variance. The table gives the parameters' share of the variance of the final-year difference from the reference (both parts are in differences.csv).")
		per := 2 * len(KeyOutcomes)
		for j, o := range KeyOutcomes {
			row := bestRow{Label: l.T(o.Label), Better: betterIs(l, o.Better)}
			for s := 1; s < ns; s++ {
				v := u.splits[s*per+2*j]
				cell := l.T("the same in every run") // no variance to split
				if v != nil && !math.IsNaN(v.Share()) {
					cell = wholePercent(v.Share())
				}
				row.Cells = append(row.Cells, cell)
			}
			sec.Splits = append(sec.Splits, row)
		}
	} else {
		sec.SplitIntro = l.T("Every run drew its own parameter values, so the variance cannot be split into a part due to the parameters and run-to-run variation; run with --draws D (each draw run reps/D times) to split it.")
	}
	r.Uncertainty = sec
	r.Files = append(r.Files, RankingFile, AimRankingFile)
	if u.posterior == DefaultPosteriorSource {
		r.Caveats = append(r.Caveats, l.T("The default posterior was calibrated on the synthetic Henan-size province (109 counties; scenarios/calibrations/henan-structure.yaml, with Henan-type targets such as fiscal self-sufficiency 0.38). For another province, another preset, your own counties or another period its parameter values are an assumption: calibrate on targets of your own (countysim calibrate) and compare with --posterior FILE, or hold the parameters fixed with --no-posterior."))
	}
	for i, c := range r.Caveats {
		if c == l.T("The ranges show run-to-run variation only: the chance events inside the model. They do not include uncertainty about the model's assumptions, its parameter values or the data behind them, which is usually larger. Test assumptions by changing them (--set) or with the sensitivity analysis.") {
			r.Caveats[i] = l.F("The ranges combine run-to-run variation with uncertainty about the calibrated parameters, drawn from %s. They do not include uncertainty about the model's other assumptions and parameter values, nor about the calibration targets, which may be larger.", u.posterior)
		}
	}
}
