package calibrate

import (
	"encoding/csv"
	"errors"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/countysim/countysim/results"
)

// Plot files a calibration writes.
const (
	MarginalsPlot = "posterior-marginals.png"
	PairsPlot     = "posterior-pairs.png"
)

// WriteOutputs writes the posterior (CSV and Parquet, with weights, distances and target
// statistics), the tolerance schedule, the marginal and pairwise plots and report.md.
func WriteOutputs(dir string, c *Calibration, res *Result) error {
	tr := res.Trace
	last := tr.Pops[len(tr.Pops)-1]
	gen := len(tr.Pops) - 1
	if err := writeGenerations(filepath.Join(dir, GenerationsFile), tr); err != nil {
		return err
	}
	if err := writePosterior(filepath.Join(dir, PosteriorFile), c, res, gen, last); err != nil {
		return err
	}
	types := map[string]results.ColumnType{"particle": results.Int64Column, "run": results.Int64Column, "weight": results.DoubleColumn, "distance": results.DoubleColumn}
	for _, n := range c.Names() {
		types[n] = results.DoubleColumn
	}
	for _, t := range c.Targets {
		types["stat:"+t.Name] = results.DoubleColumn
		types["distance:"+t.Name] = results.DoubleColumn
	}
	if err := results.CSVToParquet(filepath.Join(dir, PosteriorFile), filepath.Join(dir, "posterior.parquet"), types); err != nil {
		return err
	}
	if err := plotPosterior(dir, c, last); err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	return writeReport(filepath.Join(dir, ReportFile), c, res)
}

func writeCSV(path string, header []string, rows [][]string) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write(header)
	_ = w.WriteAll(rows)
	if err := errors.Join(w.Error(), f.Close()); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func writeGenerations(path string, tr *Trace) error {
	var rows [][]string
	for g, p := range tr.Pops {
		rate := float64(len(p.Thetas)) / float64(tr.Proposals[g])
		rows = append(rows, []string{strconv.Itoa(g), formatFloat(p.Epsilon), strconv.Itoa(tr.Proposals[g]),
			strconv.Itoa(len(p.Thetas)), formatFloat(rate), formatFloat(p.ESS())})
	}
	return writeCSV(path, []string{"generation", "epsilon", "runs", "accepted", "acceptance_rate", "ess"}, rows)
}

// runIndex is the calibration-wide run index of particle a of a population of generation gen.
func (r *Result) runIndex(gen int, p *Population, a int) int {
	return r.RoundFirst[[2]int{gen, p.Round[a]}] + p.Index[a]
}

func writePosterior(path string, c *Calibration, res *Result, gen int, p *Population) error {
	header := []string{"particle", "run", "weight"}
	header = append(header, c.Names()...)
	header = append(header, "distance")
	for _, t := range c.Targets {
		header = append(header, "stat:"+t.Name)
	}
	for _, t := range c.Targets {
		header = append(header, "distance:"+t.Name)
	}
	ev, err := newEvaluator(c)
	if err != nil {
		return err
	}
	rows := make([][]string, len(p.Thetas))
	for a, th := range p.Thetas {
		run := res.runIndex(gen, p, a)
		row := []string{strconv.Itoa(a), strconv.Itoa(run), formatFloat(p.Weights[a])}
		for _, x := range th {
			row = append(row, formatFloat(x))
		}
		row = append(row, formatFloat(p.Distances[a]))
		for _, v := range res.Stats[run] {
			row = append(row, formatFloat(v))
		}
		for k, v := range res.Stats[run] {
			row = append(row, formatFloat(ev.targetDistance(k, v)))
		}
		rows[a] = row
	}
	return writeCSV(path, header, rows)
}

// spearman is the rank correlation of x and y (average ranks for ties); NaN pairs dropped.
func spearman(x, y []float64) float64 {
	var xs, ys []float64
	for i := range x {
		if !math.IsNaN(x[i]) && !math.IsNaN(y[i]) && !math.IsInf(y[i], 0) {
			xs, ys = append(xs, x[i]), append(ys, y[i])
		}
	}
	if len(xs) < 3 {
		return math.NaN()
	}
	return pearson(ranks(xs), ranks(ys))
}

func ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		for k := i; k <= j; k++ {
			r[idx[k]] = float64(i+j)/2 + 1
		}
		i = j + 1
	}
	return r
}

func pearson(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx, my = mx/n, my/n
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return sxy / math.Sqrt(sxx*syy)
}

func writeReport(path string, c *Calibration, res *Result) error {
	l := langOf(c)
	tr := res.Trace
	last := tr.Pops[len(tr.Pops)-1]
	priors := priorsOf(c)
	ev, err := newEvaluator(c)
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", l.F("Calibration %s", c.Name))
	if c.Description != "" {
		fmt.Fprintf(&b, "%s\n\n", c.Description)
	}
	b.WriteString(l.F("ABC-SMC (Toni et al. 2009; Beaumont et al. 2009): %d runs in %d generations of %d particles; "+
		"tolerance of each generation after the first: the %g quantile of the previous generation's distances. Stopped: %s. "+
		"Distance: sum over targets of |statistic - value| / tolerance. Master seed %d.", tr.Runs, len(tr.Pops), c.ABC.Population, c.ABC.Quantile, tr.StopIn(l), c.Seed) + "\n\n")
	fmt.Fprintf(&b, "## %s\n\n| %s |\n| --- | --- | --- | --- | --- | --- |\n", l.T("Tolerance schedule"),
		strings.Join([]string{l.T("generation"), l.T("tolerance"), l.T("runs"), l.T("accepted"), l.T("acceptance rate"), l.T("ESS")}, " | "))
	for g, p := range tr.Pops {
		fmt.Fprintf(&b, "| %d | %.4g | %d | %d | %.3f | %.0f |\n", g, p.Epsilon, tr.Proposals[g], len(p.Thetas), float64(len(p.Thetas))/float64(tr.Proposals[g]), p.ESS())
	}
	fmt.Fprintf(&b, "\n## %s\n\n%s\n\n| %s |\n| --- | --- | --- | --- | --- | --- | --- |\n", l.T("Parameters"),
		l.T("Posterior mean, sd and 5-95% interval (weighted); spread ratio = posterior sd / prior sd (near 1: the targets do not constrain the parameter; near 0: tightly constrained)."),
		strings.Join([]string{l.T("parameter"), l.T("prior"), l.T("posterior mean"), l.T("posterior sd"), "5%", "95%", l.T("spread ratio")}, " | "))
	for k, name := range c.Names() {
		m, sd := last.WeightedMoments(k)
		p := priors[k]
		prior := l.F("uniform [%g, %g]", p.Min, p.Max)
		if p.Normal {
			prior = l.F("normal(%g, %g) on [%g, %g]", p.Mean, p.SD, p.Min, p.Max)
		}
		fmt.Fprintf(&b, "| `%s` | %s | %.4g | %.3g | %.4g | %.4g | %.2f |\n", name, prior, m, sd,
			last.WeightedQuantile(k, 0.05), last.WeightedQuantile(k, 0.95), sd/p.sd())
	}
	fmt.Fprintf(&b, "\n## %s\n\n%s\n\n| %s |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n", l.T("Targets"),
		l.T("The posterior's weighted mean statistic against each target (met: within its tolerance)."),
		strings.Join([]string{l.T("target"), l.T("statistic"), l.T("value"), l.T("tolerance"), l.T("posterior mean"), l.T("prior-sample mean"), l.T("met"), l.T("source")}, " | "))
	gen := len(tr.Pops) - 1
	for k, t := range c.Targets {
		var pm, w float64
		for a := range last.Thetas {
			v := res.Stats[res.runIndex(gen, last, a)][k]
			pm += last.Weights[a] * v
			w += last.Weights[a]
		}
		pm /= w
		var prm float64
		var n int
		for i := 0; i < tr.Proposals[0]; i++ {
			if v := res.Stats[i][k]; !math.IsNaN(v) {
				prm += v
				n++
			}
		}
		prm /= float64(n)
		met := l.T("yes")
		if math.Abs(pm-*t.Value) > *t.Tolerance {
			met = "**" + l.T("no") + "**"
		}
		fmt.Fprintf(&b, "| %s | %s | %g | %g | %.4g | %.4g | %s | %s |\n", t.Name, describeTarget(l, t), *t.Value, *t.Tolerance, pm, prm, met, t.Source)
	}
	fmt.Fprintf(&b, "\n## %s\n\n%s\n\n| %s |", l.T("Which targets constrain which parameters"),
		l.T("Spearman correlation, over the prior sample (generation 0), of each parameter with each target's distance "+
			"|statistic - value| / tolerance. A large magnitude means the target's fit depends on that parameter (the sign "+
			"says which way the fit improves: negative, a higher value fits better)."), l.T("parameter"))
	for _, t := range c.Targets {
		fmt.Fprintf(&b, " %s |", t.Name)
	}
	b.WriteString("\n| --- |" + strings.Repeat(" --- |", len(c.Targets)) + "\n")
	n0 := tr.Proposals[0]
	for j, name := range c.Names() {
		fmt.Fprintf(&b, "| `%s` |", name)
		x := make([]float64, n0)
		for i := range x {
			x[i] = res.Thetas[i][j]
		}
		for k := range c.Targets {
			y := make([]float64, n0)
			for i := range y {
				y[i] = ev.targetDistance(k, res.Stats[i][k])
			}
			r := spearman(x, y)
			mark := ""
			if math.Abs(r) >= 0.3 {
				mark = "**"
			}
			fmt.Fprintf(&b, " %s%+.2f%s |", mark, r, mark)
		}
		b.WriteString("\n")
	}
	if d := len(c.Parameters); d > 1 {
		fmt.Fprintf(&b, "\n## %s\n\n%s\n\n| | %s |\n| --- |%s\n", l.T("Posterior correlations between parameters"),
			l.T("Weighted Pearson correlation in the final population: a strong one means the targets pin down a combination of the two, not each."),
			strings.Join(c.Names(), " | "), strings.Repeat(" --- |", d))
		for a := range d {
			fmt.Fprintf(&b, "| `%s` |", c.Names()[a])
			for bb := range d {
				fmt.Fprintf(&b, " %+.2f |", weightedCorr(last, a, bb))
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("\n" + l.F("Files: `%s` (final population with weights, distances and statistics; also Parquet), `%s`, `%s`, `%s`; each round's runs in `gen-GG-round-RR/`.",
		PosteriorFile, GenerationsFile, MarginalsPlot, PairsPlot) + "\n")
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// describeTarget says in l how a target's statistic is computed from a run.
func describeTarget(l results.Lang, t Target) string {
	metric := l.MetricName(t.Metric)
	if t.Over != "" {
		metric += "/" + l.MetricName(t.Over)
	}
	stat := l.F("%s over counties of %s, months %d-%d", l.T(t.Stat), metric, t.Months[0], t.Months[1])
	if t.From != nil {
		stat = l.F("%s minus months %d-%d", stat, t.From[0], t.From[1])
		if t.Relative {
			stat = l.F("(%s) / months %d-%d", stat, t.From[0], t.From[1])
		}
	}
	return stat
}

func weightedCorr(p *Population, a, b int) float64 {
	ma, sa := p.WeightedMoments(a)
	mb, sb := p.WeightedMoments(b)
	var c float64
	for i, th := range p.Thetas {
		c += p.Weights[i] * (th[a] - ma) * (th[b] - mb)
	}
	if sa == 0 || sb == 0 {
		return math.NaN()
	}
	return c / (sa * sb)
}

var (
	histColor    = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	scatterColor = color.NRGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0x60}
)

// newPlot is an empty plot whose words are drawn in l's typeface.
func newPlot(l results.Lang, title string) *plot.Plot {
	pl := plot.New()
	f := results.PlotFont(l)
	pl.Title.Text = title
	pl.Title.TextStyle.Font = font.From(f, 10)
	for _, ax := range []*plot.Axis{&pl.X, &pl.Y} {
		ax.Label.TextStyle.Font = font.From(f, 9)
		ax.Tick.Label.Font = font.From(f, 8)
	}
	return pl
}

func histPlot(l results.Lang, p *Population, k int, prior Prior, name string) (*plot.Plot, error) {
	pl := newPlot(l, l.T("posterior (weighted)"))
	xys := make(plotter.XYs, len(p.Thetas))
	for i, th := range p.Thetas {
		xys[i] = plotter.XY{X: th[k], Y: p.Weights[i]}
	}
	h, err := plotter.NewHistogram(xys, 20)
	if err != nil {
		return nil, err
	}
	h.Normalize(1)
	h.FillColor = histColor
	h.LineStyle.Width = 0
	pl.Add(h)
	pl.X.Label.Text = name
	pl.Y.Label.Text = l.T("density")
	pl.X.Min, pl.X.Max = prior.Min, prior.Max
	return pl, nil
}

func plotPosterior(dir string, c *Calibration, p *Population) error {
	l := langOf(c)
	priors := priorsOf(c)
	names := c.Names()
	d := len(names)
	const cell = 3 * vg.Inch
	// Marginals: one row.
	row := make([][]*plot.Plot, 1)
	for k := range d {
		h, err := histPlot(l, p, k, priors[k], names[k])
		if err != nil {
			return err
		}
		row[0] = append(row[0], h)
	}
	if err := saveGrid(filepath.Join(dir, MarginalsPlot), row, cell); err != nil {
		return err
	}
	// Pairs: histograms on the diagonal, scatter below it.
	grid := make([][]*plot.Plot, d)
	for a := range d {
		grid[a] = make([]*plot.Plot, d)
		for b := range d {
			switch {
			case a == b:
				grid[a][b] = row[0][a]
			case b < a:
				pl := newPlot(l, l.T("posterior particles"))
				xys := make(plotter.XYs, len(p.Thetas))
				for i, th := range p.Thetas {
					xys[i] = plotter.XY{X: th[b], Y: th[a]}
				}
				s, err := plotter.NewScatter(xys)
				if err != nil {
					return err
				}
				s.GlyphStyle.Color = scatterColor
				s.GlyphStyle.Radius = vg.Points(1.5)
				pl.Add(s)
				pl.X.Min, pl.X.Max = priors[b].Min, priors[b].Max
				pl.Y.Min, pl.Y.Max = priors[a].Min, priors[a].Max
				pl.X.Label.Text, pl.Y.Label.Text = names[b], names[a]
				grid[a][b] = pl
			}
		}
	}
	return saveGrid(filepath.Join(dir, PairsPlot), grid, cell)
}

// saveGrid draws a grid of plots (nil cells left empty) into one PNG.
func saveGrid(path string, grid [][]*plot.Plot, cell vg.Length) error {
	rows, cols := len(grid), len(grid[0])
	img := vgimg.New(cell*vg.Length(cols), cell*vg.Length(rows))
	dc := draw.New(img)
	t := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter * 2, PadY: vg.Millimeter * 2,
		PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	canvases := plot.Align(grid, t, dc)
	for i := range grid {
		for j, pl := range grid[i] {
			if pl != nil {
				pl.Draw(canvases[i][j])
			}
		}
	}
	f, err := os.Create(path + ".tmp")
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(path+".tmp", path)
}
