package results

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/countysim/countysim/results/sensitivity"
	"github.com/countysim/countysim/scenarios/design"
)

// Files a sweep's analysis writes beside runs.csv and rows.csv.
const (
	PointsFile      = "points.csv"
	SensitivityFile = "sensitivity.csv"
)

// SweepRowHeader is the header of a sweep's rows table after run_id: one row per run, group and
// metric, with the final-year value and the value over the whole horizon (flows summed, stocks
// at the end, rates averaged).
var SweepRowHeader = []string{"group", "metric", "final", "horizon"}

// SweepPlan is what the analysis needs to know of an experiment.
type SweepPlan struct {
	Names    []string   // factor paths
	Values   [][]string // factor values per point
	Reps     int
	Groups   []string
	Metrics  []string
	Saltelli *design.SaltelliLayout
	Morris   *design.MorrisDesign
	Seed     uint64
	Lang     Lang // of the sensitivity charts' words ("" is English)
}

type moments struct{ n, s, ss, hs, hss float64 }

// AnalyseSweep reads the rows table of a finished sweep in dir and writes points.csv (each
// point's mean and standard deviation across replications) and, for Sobol and Morris designs,
// sensitivity.csv and one bar chart per metric (sensitivity-METRIC.png). Rows come in run
// order, so each point is summarised as soon as its runs are read: memory holds one point's
// moments plus, for the sensitivity analysis, one mean per point, group and metric. It returns
// notes on what could not be computed (a point with no successful run, say) rather than failing.
func AnalyseSweep(dir string, p SweepPlan) (notes []SweepNote, err error) {
	f, err := os.Open(filepath.Join(dir, "rows.csv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gi := index(p.Groups)
	mi := index(p.Metrics)
	nG, nM := len(p.Groups), len(p.Metrics)
	var means []float64 // point x group x metric final-year means, for the sensitivity analysis
	if p.Saltelli != nil || p.Morris != nil {
		means = make([]float64, len(p.Values)*nG*nM)
	}
	acc := make([]moments, nG*nM)
	r := csv.NewReader(f)
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		return nil, fmt.Errorf("rows.csv: %w", err)
	}
	header := append([]string{"point"}, p.Names...)
	header = append(header, "group", "metric", "n", "final_mean", "final_sd", "horizon_mean", "horizon_sd")
	err = writeCSVFile(filepath.Join(dir, PointsFile), header, func(w *csv.Writer) error {
		next := 0 // the next point to write
		flush := func(upto int) error {
			for ; next < upto; next++ {
				if err := writePoint(w, p, next, acc, means); err != nil {
					return err
				}
				clear(acc)
			}
			return nil
		}
		for line := 2; ; line++ {
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return fmt.Errorf("rows.csv:%d: %w", line, err)
			}
			id, err1 := strconv.Atoi(rec[0])
			g, okG := gi[rec[1]]
			m, okM := mi[rec[2]]
			fin, err2 := parseCell(rec[3])
			hor, err3 := parseCell(rec[4])
			pt := id / p.Reps
			if err1 != nil || !okG || !okM || err2 != nil || err3 != nil || pt >= len(p.Values) || pt < next {
				return fmt.Errorf("rows.csv:%d: unexpected row %v", line, rec)
			}
			if err := flush(pt); err != nil {
				return err
			}
			if math.IsNaN(fin) {
				continue
			}
			a := &acc[g*nM+m]
			a.n++
			a.s += fin
			a.ss += fin * fin
			a.hs += hor
			a.hss += hor * hor
		}
		return flush(len(p.Values))
	})
	if err != nil || means == nil {
		return nil, err
	}
	return analyseSensitivity(dir, p, means)
}

// writePoint writes point pt's rows of points.csv from its moments and records its final-year
// means in means (when not nil; NaN for no successful run).
func writePoint(w *csv.Writer, p SweepPlan, pt int, acc []moments, means []float64) error {
	nG, nM := len(p.Groups), len(p.Metrics)
	for g, gname := range p.Groups {
		for m, mname := range p.Metrics {
			a := acc[g*nM+m]
			fm, fsd := meanSD(a.n, a.s, a.ss)
			hm, hsd := meanSD(a.n, a.hs, a.hss)
			if means != nil {
				means[(pt*nG+g)*nM+m] = fm
			}
			rec := append([]string{strconv.Itoa(pt)}, p.Values[pt]...)
			rec = append(rec, gname, mname, fmtFloat(a.n), fmtFloat(fm), fmtFloat(fsd), fmtFloat(hm), fmtFloat(hsd))
			if err := w.Write(rec); err != nil {
				return err
			}
		}
	}
	return nil
}

func index(names []string) map[string]int {
	m := make(map[string]int, len(names))
	for i, n := range names {
		m[n] = i
	}
	return m
}

// meanSD returns the mean and the sample standard deviation of n values with sum s and sum of
// squares ss: NaN (an empty cell) where they are not defined, the mean of no value and the
// deviation of fewer than two (a point of one replication has no spread, not a spread of 0).
func meanSD(n, s, ss float64) (mean, sd float64) {
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	mean = s / n
	if n < 2 {
		return mean, math.NaN()
	}
	return mean, math.Sqrt(math.Max(0, (ss-n*mean*mean)/(n-1)))
}

// sensitivityBoot is the number of bootstrap resamples behind each Sobol interval.
const sensitivityBoot = 500

// SweepNote is a note on a sweep's analysis: Text in the sweep's language (for the
// terminal) and English (for the manifest, which stays English).
type SweepNote struct{ English, Text string }

// sweepNote makes a SweepNote from text, a function of the language.
func sweepNote(l Lang, text func(l Lang) string) SweepNote {
	return SweepNote{English: text(English), Text: text(l)}
}

// skippedNote says, in l, that the sensitivity of metric mname in group gname was not
// computed because of err.
func skippedNote(l Lang, mname, gname string, err error) string {
	if errors.Is(err, sensitivity.ErrZeroVariance) {
		return l.F("sensitivity of %s (%s) skipped: it takes the same value in every run of the design", l.MetricName(mname), GroupLabel(l, gname))
	}
	return l.F("sensitivity of %s (%s) skipped: %v", l.MetricName(mname), GroupLabel(l, gname), err)
}

func analyseSensitivity(dir string, p SweepPlan, means []float64) ([]SweepNote, error) {
	l := p.Lang
	nG, nM := len(p.Groups), len(p.Metrics)
	var notes []SweepNote
	type row struct {
		group, metric, method, factor, index string
		v, lo, hi                            float64
	}
	var rows []row
	charts := map[string][]row{}
	if p.Saltelli != nil {
		n := p.Saltelli.N
		notes = append(notes, sweepNote(l, func(l Lang) string {
			return l.F("Sobol intervals: 90%% percentile bootstrap over the %d base samples (%d resamples), which treats them as independent draws; below about 64 base samples the intervals are rough (too narrow or too wide).", n, sensitivityBoot)
		}))
	}
	for g, gname := range p.Groups {
		for m, mname := range p.Metrics {
			y := make([]float64, len(p.Values))
			missing := -1
			for pt := range y {
				y[pt] = means[(pt*nG+g)*nM+m]
				if math.IsNaN(y[pt]) {
					missing = pt
					break
				}
			}
			if missing >= 0 {
				notes = append(notes, sweepNote(l, func(l Lang) string {
					return l.F("sensitivity of %s (%s) skipped: point %d has no value (its runs failed, or the group had no counties in them)", l.MetricName(mname), GroupLabel(l, gname), missing)
				}))
				continue
			}
			var add []row
			if p.Saltelli != nil {
				idx, err := sensitivity.Sobol(*p.Saltelli, y, sensitivityBoot, p.Seed, 0.9)
				if err != nil {
					notes = append(notes, sweepNote(l, func(l Lang) string { return skippedNote(l, mname, gname, err) }))
					continue
				}
				for _, s := range idx {
					add = append(add,
						row{gname, mname, "sobol", s.Factor, "S1", s.S1, s.S1Low, s.S1High},
						row{gname, mname, "sobol", s.Factor, "ST", s.ST, s.STLow, s.STHigh})
				}
				if p.Saltelli.SecondOrder {
					// The design's B_A blocks are for these: each pair's index as FACTOR:FACTOR.
					pairs, err := sensitivity.SobolSecondOrder(*p.Saltelli, y, sensitivityBoot, p.Seed, 0.9)
					if err != nil { // S1 and ST stay
						notes = append(notes, sweepNote(l, func(l Lang) string { return skippedNote(l, mname, gname, err) }))
					}
					for _, s := range pairs {
						add = append(add, row{gname, mname, "sobol", s.FactorI + ":" + s.FactorJ, "S2", s.S2, s.S2Low, s.S2High})
					}
				}
			} else {
				idx, err := sensitivity.Morris(*p.Morris, y)
				if err != nil {
					notes = append(notes, sweepNote(l, func(l Lang) string { return skippedNote(l, mname, gname, err) }))
					continue
				}
				for _, s := range idx {
					add = append(add,
						row{gname, mname, "morris", s.Factor, "mu_star", s.MuStar, math.NaN(), math.NaN()},
						row{gname, mname, "morris", s.Factor, "mu", s.Mu, math.NaN(), math.NaN()},
						row{gname, mname, "morris", s.Factor, "sigma", s.Sigma, math.NaN(), math.NaN()})
				}
			}
			rows = append(rows, add...)
			if g == 0 {
				charts[mname] = add
			}
		}
	}
	err := writeCSVFile(filepath.Join(dir, SensitivityFile),
		[]string{"group", "metric", "method", "factor", "index", "value", "low_90", "high_90"},
		func(w *csv.Writer) error {
			for _, r := range rows {
				if err := w.Write([]string{r.group, r.metric, r.method, r.factor, r.index, fmtFloat(r.v), fmtFloat(r.lo), fmtFloat(r.hi)}); err != nil {
					return err
				}
			}
			return nil
		})
	if err != nil {
		return notes, err
	}
	for _, mname := range p.Metrics {
		rs, ok := charts[mname]
		if !ok {
			continue
		}
		first, second, method := "S1", "ST", "sobol"
		if p.Morris != nil {
			first, second, method = "mu_star", "sigma", "morris"
		}
		var bars []sensitivityBar
		for _, r := range rs {
			switch r.index {
			case first:
				bars = append(bars, sensitivityBar{Factor: r.factor, A: r.v, ALow: r.lo, AHigh: r.hi})
			case second:
				b := &bars[len(bars)-1]
				b.B, b.BLow, b.BHigh = r.v, r.lo, r.hi
			}
		}
		warn, err := sensitivityChart(p.Lang, filepath.Join(dir, "sensitivity-"+mname+".png"), mname, p.Groups[0], method, first, second, bars)
		if err != nil {
			return notes, err
		}
		if warn != "" && method == "sobol" {
			notes = append(notes, sweepNote(l, func(l Lang) string {
				return l.MetricName(mname) + l.T(": ") + sensitivityWarning(l, method, bars)
			}))
		}
	}
	return notes, nil
}

// writeCSVFile writes a CSV table under a temporary name and renames it into place.
func writeCSVFile(path string, header []string, body func(w *csv.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	w := csv.NewWriter(f)
	if err := w.Write(header); err == nil {
		err = body(w)
		if err != nil {
			f.Close()
			os.Remove(tmp)
			return err
		}
	}
	w.Flush()
	if err := errors.Join(w.Error(), f.Sync(), f.Close()); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

func fmtFloat(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// parseCell reads a value of rows.csv: a number, or an empty cell (a value that is not
// defined) as NaN. Sweeps before empty cells wrote NaN, which ParseFloat reads too.
func parseCell(s string) (float64, error) {
	if s == "" {
		return math.NaN(), nil
	}
	return strconv.ParseFloat(s, 64)
}
