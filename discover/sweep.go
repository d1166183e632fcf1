package discover

import (
	"encoding/csv"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Condition is the outcome of interest: METRIC OP VALUE, where METRIC is a sweep metric or a
// ratio of two (a/b, e.g. hidden_debt/annual_revenue).
type Condition struct {
	Metric, Over string
	Op           string
	Value        float64
	Text         string
}

var ops = []string{"<=", ">=", "==", "!=", "<", ">"}

// ParseCondition reads "METRIC OP VALUE".
func ParseCondition(s string) (Condition, error) {
	c := Condition{Text: strings.TrimSpace(s)}
	bad := func(why string) error {
		return fmt.Errorf("--where %q: %s (allowed: METRIC OP VALUE with OP one of %s, e.g. \"growth < 0\" or \"hidden_debt/annual_revenue > 0.3\")", s, why, strings.Join(ops, " "))
	}
	for _, op := range ops {
		if i := strings.Index(s, op); i >= 0 {
			lhs, rhs := strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+len(op):])
			v, err := strconv.ParseFloat(rhs, 64)
			if err != nil || math.IsNaN(v) {
				return c, bad(fmt.Sprintf("value %q is not a number", rhs))
			}
			c.Op, c.Value = op, v
			c.Metric, c.Over, _ = strings.Cut(lhs, "/")
			c.Metric, c.Over = strings.TrimSpace(c.Metric), strings.TrimSpace(c.Over)
			if c.Metric == "" || strings.ContainsAny(c.Metric+c.Over, " <>=!/") {
				return c, bad(fmt.Sprintf("metric %q is not a metric name or a ratio a/b", lhs))
			}
			return c, nil
		}
	}
	return c, bad("no comparison operator")
}

// Holds reports whether v satisfies the condition.
func (c Condition) Holds(v float64) bool {
	switch c.Op {
	case "<":
		return v < c.Value
	case "<=":
		return v <= c.Value
	case ">":
		return v > c.Value
	case ">=":
		return v >= c.Value
	case "==":
		return v == c.Value
	}
	return v != c.Value
}

// Sweep is a finished sweep's factor values and one outcome per successful run.
type Sweep struct {
	Cond    Condition
	Group   string
	Stat    string
	Data    *Data
	Outcome []float64
	Runs    int // runs in the sweep
	Skipped int // runs left out: Failed + NoValue + Undefined
	// Failed runs (status not ok); runs with NoValue of the metric (or, for a ratio, of either
	// metric): no row, an empty cell or NaN; runs whose ratio is Undefined (0/0, or
	// infinity/infinity: NaN). Runs with a zero denominator and a nonzero numerator are kept,
	// their ratio +Inf or -Inf, counted in ZeroDenominator.
	Failed, NoValue, Undefined, ZeroDenominator int
}

// LoadSweep reads a sweep folder's runs.csv (the factor columns between seed and status) and
// rows.csv (the group's metric, final-year or horizon value per stat) and classifies each
// successful run by the condition.
func LoadSweep(dir string, c Condition, group, stat string) (*Sweep, error) {
	if stat != "final" && stat != "horizon" {
		return nil, fmt.Errorf("--stat: bad value %q (allowed: final, horizon)", stat)
	}
	runsPath := filepath.Join(dir, "runs.csv")
	f, err := os.Open(runsPath)
	if err != nil {
		return nil, fmt.Errorf("%s is not a finished sweep folder: %w", dir, err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s:1: %w", runsPath, err)
	}
	si, st := slices.Index(head, "seed"), slices.Index(head, "status")
	if len(head) == 0 || head[0] != "run_id" || si < 0 || st <= si+1 {
		return nil, fmt.Errorf("%s:1: not a sweep's runs table (expected run_id, point, replication, seed, the factors, status, error)", runsPath)
	}
	names := head[si+1 : st]
	var ids []int
	raw := make([][]string, len(names))
	line := 1
	runs, failed := 0, 0
	for {
		rec, err := r.Read()
		line++
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", runsPath, line, err)
		}
		runs++
		if rec[st] != "ok" {
			failed++
			continue
		}
		id, err := strconv.Atoi(rec[0])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: run_id: bad value %q", runsPath, line, rec[0])
		}
		ids = append(ids, id)
		for k := range names {
			raw[k] = append(raw[k], rec[si+1+k])
		}
	}
	want := map[string]bool{c.Metric: true, c.Over: c.Over != ""}
	num, den, err := readOutcomes(filepath.Join(dir, "rows.csv"), group, stat, c, want)
	if err != nil {
		return nil, err
	}
	sw := &Sweep{Cond: c, Group: group, Stat: stat, Runs: runs, Failed: failed, Data: &Data{}}
	keep := make([]bool, len(ids))
	for j, id := range ids {
		// A missing value is missing (NaN), never 0; a ratio is IEEE division: h/0 is +Inf or
		// -Inf and compares as such, 0/0 is NaN, no value.
		v, ok := num[id]
		if c.Over != "" {
			e, okE := den[id]
			ok = ok && okE && !math.IsNaN(v) && !math.IsNaN(e)
			if ok {
				if e == 0 && v != 0 {
					sw.ZeroDenominator++
				}
				if v /= e; math.IsNaN(v) {
					sw.Undefined++
					continue
				}
			}
		}
		if !ok || math.IsNaN(v) {
			sw.NoValue++
			continue
		}
		keep[j] = true
		sw.Outcome = append(sw.Outcome, v)
		sw.Data.Y = append(sw.Data.Y, c.Holds(v))
	}
	sw.Skipped = runs - len(sw.Outcome)
	for k, name := range names {
		var col []string
		for j, ok := range keep {
			if ok {
				col = append(col, raw[k][j])
			}
		}
		sw.Data.Dims = append(sw.Data.Dims, makeDim(name, col))
	}
	if len(sw.Outcome) < 2 {
		return nil, fmt.Errorf("%s: only %d runs have %s for group %s", dir, len(sw.Outcome), c.Metric, group)
	}
	return sw, nil
}

// makeDim makes a numeric dimension if every value is a number, a categorical one otherwise
// (categories sorted).
func makeDim(name string, col []string) Dim {
	d := Dim{Name: name}
	for _, s := range col {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) {
			d.Values = nil
			cats := slices.Clone(col)
			slices.Sort(cats)
			d.Cats = slices.Compact(cats)
			for _, s := range col {
				i, _ := slices.BinarySearch(d.Cats, s)
				d.Codes = append(d.Codes, i)
			}
			return d
		}
		d.Values = append(d.Values, v)
	}
	return d
}

// readOutcomes streams rows.csv and returns, per run, the condition's metric and, for a
// ratio, its denominator (NaN for an empty cell; a run without a row is absent).
func readOutcomes(path, group, stat string, c Condition, want map[string]bool) (num, den map[int]float64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("%s:1: %w", path, err)
	}
	if strings.Join(head, ",") != "run_id,group,metric,final,horizon" {
		return nil, nil, fmt.Errorf("%s:1: not a sweep's rows table (expected run_id,group,metric,final,horizon)", path)
	}
	col := 3
	if stat == "horizon" {
		col = 4
	}
	num, den = map[int]float64{}, map[int]float64{}
	groups, metrics := map[string]bool{}, map[string]bool{}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		groups[rec[1]] = true
		metrics[rec[2]] = true
		if rec[1] != group || !want[rec[2]] {
			continue
		}
		id, err1 := strconv.Atoi(rec[0])
		v, err2 := strconv.ParseFloat(rec[col], 64)
		if err1 != nil || (err2 != nil && rec[col] != "") {
			return nil, nil, fmt.Errorf("%s:%d: unexpected row %v", path, line, rec)
		}
		if rec[col] == "" {
			v = math.NaN()
		}
		if rec[2] == c.Metric {
			num[id] = v
		}
		if rec[2] == c.Over {
			den[id] = v
		}
	}
	if !groups[group] {
		return nil, nil, fmt.Errorf("--group: the sweep has no group %q (it has: %s)", group, strings.Join(sortedKeys(groups), ", "))
	}
	for m := range want {
		if m != "" && !metrics[m] {
			return nil, nil, fmt.Errorf("--where: the sweep kept no metric %q (it kept: %s)", m, strings.Join(sortedKeys(metrics), ", "))
		}
	}
	return num, den, nil
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Files discover writes.
const (
	TrajectoryFile = "prim-trajectory.csv"
	BoxFile        = "prim-box.csv"
	TradeoffPlot   = "prim-tradeoff.png"
	ReportFile     = "report.md"
)

// Result is a finished discovery: the trajectory, the chosen step and its pasted box.
type Result struct {
	Sweep      *Sweep
	Opts       Options
	MinDensity float64
	Traj       []Step
	Chosen     int
	Reached    bool // the chosen box's density is at least MinDensity
	ByStep     bool // the step was given (--box), not chosen by Choose
	Pasted     Step
}

// Discover runs PRIM on a loaded sweep: peeling, the box choice (the step given by box when it
// is 0 or more, else Choose with minDensity) and pasting.
func Discover(sw *Sweep, o Options, minDensity float64, box int) (*Result, error) {
	res := &Result{Sweep: sw, Opts: o, MinDensity: minDensity}
	n := 0
	for _, y := range sw.Data.Y {
		if y {
			n++
		}
	}
	if n == 0 || n == len(sw.Data.Y) {
		lo, hi := slices.Min(sw.Outcome), slices.Max(sw.Outcome)
		which := "none"
		if n > 0 {
			which = "all"
		}
		return nil, fmt.Errorf("%q holds in %s of the %d runs (%s%s of %s ranges from %.4g to %.4g): nothing to discover",
			sw.Cond.Text, which, len(sw.Data.Y), sw.Cond.Metric, ifOver(sw.Cond.Over), sw.Group, lo, hi)
	}
	res.Traj = sw.Data.Peel(o)
	if box >= 0 {
		if box >= len(res.Traj) {
			return nil, fmt.Errorf("--box: bad value %d (allowed: 0 to %d, a step of the trajectory)", box, len(res.Traj)-1)
		}
		res.Chosen, res.Reached, res.ByStep = box, res.Traj[box].Stats.Density >= minDensity, true
	} else {
		res.Chosen, res.Reached = Choose(res.Traj, minDensity)
	}
	res.Pasted = sw.Data.Paste(res.Traj[res.Chosen].Box, o)
	return res, nil
}

func fmtF(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// fmtQP writes a quasi-p, empty for a limit the box does not restrict (NaN).
func fmtQP(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return fmtF(v)
}

// Words are the language of the outputs: Translate translates an English phrase (nil:
// English) and Font is the figure's typeface (zero: gonum/plot's default). This package stays free of the
// project's translations; the command passes them in.
type Words struct {
	Translate func(string) string
	// Metric names a metric in the language (nil: its English name).
	Metric func(string) string
	// Group names a group of counties in the language (nil: its name, as the tables write it).
	Group func(string) string
	Font  font.Font
}

// group names a group of counties in w's language.
func (w Words) group(name string) string {
	if w.Group == nil {
		return name
	}
	return w.Group(name)
}

// metric names a metric in w's language.
func (w Words) metric(name string) string {
	if w.Metric == nil {
		return name
	}
	return w.Metric(name)
}

// T translates an English phrase.
func (w Words) T(s string) string {
	if w.Translate == nil {
		return s
	}
	return w.Translate(s)
}

// F formats args with the translation of the English format (which may reorder them with
// explicit indexes, %[2]s).
func (w Words) F(format string, args ...any) string { return fmt.Sprintf(w.T(format), args...) }

// Write writes the trajectory, the box, the trade-off plot and report.md into dir, their
// words in w's language (file names and CSV columns stay English).
func (res *Result) Write(dir string, w Words) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	d := res.Sweep.Data
	head := []string{"step", "coverage", "density", "mass", "cases", "cases_of_interest", "restricted"}
	for _, dim := range d.Dims {
		if dim.Categorical() {
			head = append(head, dim.Name)
		} else {
			head = append(head, dim.Name+":lower", dim.Name+":upper")
		}
	}
	var rows [][]string
	add := func(label string, s Step) {
		row := []string{label, fmtF(s.Stats.Coverage), fmtF(s.Stats.Density), fmtF(s.Stats.Mass),
			strconv.Itoa(s.Stats.In), strconv.Itoa(s.Stats.InY), strconv.Itoa(len(s.Restricted))}
		for k, dim := range d.Dims {
			if dim.Categorical() {
				row = append(row, strings.Trim(strings.ReplaceAll(dim.Describe(s.Box[k]), ", ", "|"), "{}"))
			} else {
				row = append(row, fmtF(s.Box[k].Lo), fmtF(s.Box[k].Hi))
			}
		}
		rows = append(rows, row)
	}
	for i, s := range res.Traj {
		add(strconv.Itoa(i), s)
	}
	add("pasted", res.Pasted)
	if err := writeCSV(filepath.Join(dir, TrajectoryFile), head, rows); err != nil {
		return err
	}
	init := d.Initial()
	rows = nil
	for k, dim := range d.Dims {
		l := res.Pasted.Box[k]
		isR := slices.Contains(res.Pasted.Restricted, k)
		qp := d.QuasiP(res.Pasted.Box, k)
		kind, lo, hi, cats := "numeric", fmtF(l.Lo), fmtF(l.Hi), ""
		if dim.Categorical() {
			kind, lo, hi, cats = "categorical", "", "", strings.Trim(strings.ReplaceAll(dim.Describe(l), ", ", "|"), "{}")
		}
		rows = append(rows, []string{dim.Name, kind, strconv.FormatBool(isR), lo, hi, cats, dim.Describe(init[k]),
			fmtQP(qp.Lower), fmtQP(qp.Upper), fmtQP(qp.Categories)})
	}
	if err := writeCSV(filepath.Join(dir, BoxFile), []string{"dimension", "kind", "restricted", "lower", "upper", "categories", "initial",
		"quasi_p_lower", "quasi_p_upper", "quasi_p_categories"}, rows); err != nil {
		return err
	}
	if err := res.plot(filepath.Join(dir, TradeoffPlot), w); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, ReportFile), []byte(res.report(w)), 0o644)
}

func writeCSV(path string, header []string, rows [][]string) error {
	f, err := os.Create(path + ".tmp")
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write(header)
	_ = w.WriteAll(rows)
	if err := errors.Join(w.Error(), f.Close()); err != nil {
		return err
	}
	return os.Rename(path+".tmp", path)
}

func (res *Result) plot(path string, w Words) error {
	p := plot.New()
	if w.Font.Typeface != "" {
		p.Title.TextStyle.Font = font.From(w.Font, p.Title.TextStyle.Font.Size)
		p.Legend.TextStyle.Font = font.From(w.Font, p.Legend.TextStyle.Font.Size)
		for _, ax := range []*plot.Axis{&p.X, &p.Y} {
			ax.Label.TextStyle.Font = font.From(w.Font, ax.Label.TextStyle.Font.Size)
			ax.Tick.Label.Font = font.From(w.Font, ax.Tick.Label.Font.Size)
		}
	}
	p.Title.Text = w.F("PRIM peeling trajectory: %s", res.Sweep.Cond.Text)
	p.X.Label.Text = w.T("coverage (share of all cases of interest in the box)")
	p.Y.Label.Text = w.T("density (share of the box's cases of interest)")
	xys := make(plotter.XYs, len(res.Traj))
	for i, s := range res.Traj {
		xys[i] = plotter.XY{X: s.Stats.Coverage, Y: s.Stats.Density}
	}
	line, pts, err := plotter.NewLinePoints(xys)
	if err != nil {
		return err
	}
	line.Color = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	pts.Color = line.Color
	pts.Radius = vg.Points(2)
	p.Add(line, pts)
	ch := plotter.XYs{{X: res.Pasted.Stats.Coverage, Y: res.Pasted.Stats.Density}}
	mark, err := plotter.NewScatter(ch)
	if err != nil {
		return err
	}
	mark.Shape = draw.RingGlyph{}
	mark.Radius = vg.Points(6)
	mark.Color = color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
	p.Add(mark)
	p.Legend.Add(w.T("trajectory"), line, pts)
	p.Legend.Add(w.T("chosen box (pasted)"), mark)
	p.Legend.Left = true
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1.02, 0, 1.02
	return p.Save(7*vg.Inch, 5*vg.Inch, path)
}

func (res *Result) report(w Words) string {
	d := res.Sweep.Data
	var b strings.Builder
	total := 0
	for _, y := range d.Y {
		if y {
			total++
		}
	}
	fmt.Fprintf(&b, "# %s\n\n", w.F("Scenario discovery: %s", res.Sweep.Cond.Text))
	sw, metric, over := res.Sweep, w.metric(res.Sweep.Cond.Metric), w.metric(res.Sweep.Cond.Over)
	b.WriteString(w.F("PRIM (Friedman and Fisher 1999) over %d of the sweep's %d runs; outcome: %s of group %s (%s value). The condition holds in %d runs (%.1f%%). Peeling share alpha %g, minimum mass %g.",
		d.N(), sw.Runs, metric+ifOver(over), w.group(sw.Group), w.T(sw.Stat), total, 100*float64(total)/float64(d.N()), res.Opts.Alpha, res.Opts.MinMass))
	if sw.Cond.Over == "" {
		b.WriteString("\n\n" + w.F("Runs left out: %d failed, %d without a value of %s.", sw.Failed, sw.NoValue, metric))
	} else {
		b.WriteString("\n\n" + w.F("Runs left out: %d failed, %d without a value of %s or of %s, %d whose ratio is undefined (0/0).", sw.Failed, sw.NoValue, metric, over, sw.Undefined))
		if sw.ZeroDenominator > 0 {
			b.WriteString("\n\n" + w.F("%d runs have %s = 0 and a nonzero %s: their ratio is infinite (+Inf or -Inf) and compared as such.", sw.ZeroDenominator, over, metric))
		}
	}
	b.WriteString("\n\n")
	s := res.Pasted.Stats
	how := w.F("the box of highest coverage with density at least %g, the densest of those tied on coverage", res.MinDensity)
	switch {
	case res.ByStep:
		how = w.F("chosen by --box %d", res.Chosen)
	case !res.Reached:
		how = w.F("no box reached density %g, so the densest box", res.MinDensity)
	}
	fmt.Fprintf(&b, "## %s\n\n%s\n\n", w.T("Chosen box"),
		w.F("Step %d of the trajectory (%s), after pasting: coverage %.3f, density %.3f, mass %.3f (%d runs, %d of them with the condition).",
			res.Chosen, how, s.Coverage, s.Density, s.Mass, s.In, s.InY))
	base := res.Traj[0].Stats.Density
	switch {
	case len(res.Pasted.Restricted) > 0:
	case base >= res.MinDensity:
		b.WriteString(w.F("The box restricts no factor: the base rate, %.3f, already meets the density threshold %g. Ask for a higher --density (above %.3f) to find where the condition concentrates, or see the trajectory.", base, res.MinDensity, base) + "\n")
	case res.ByStep && res.Chosen == 0:
		b.WriteString(w.T("The box restricts no factor: step 0 is the whole sweep.") + "\n")
	default:
		b.WriteString(w.T("The box restricts no factor: no region of the factors concentrates the condition.") + "\n")
	}
	if len(res.Pasted.Restricted) > 0 {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n| --- | --- | --- | --- |\n", w.T("factor"), w.T("box"), w.T("whole range"), w.T("quasi-p"))
		init := d.Initial()
		for _, k := range res.Pasted.Restricted {
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", d.Dims[k].Name, d.Dims[k].Describe(res.Pasted.Box[k]), d.Dims[k].Describe(init[k]), qpCell(d.QuasiP(res.Pasted.Box, k), w))
		}
		b.WriteString("\n" + w.T("quasi-p: for each limit of the box (each side of a numeric factor on its own, as in the EMA Workbench), the one-sided binomial probability of at least the box's cases of interest if its runs had the density of the box with that limit removed (Bryant and Lempert 2010); small values mean the limit matters.") + "\n")
	}
	b.WriteString("\n" + w.T("Coverage, density and quasi-p are in-sample figures: computed on the same runs that shaped the box (no runs were held out), they flatter it. The quasi-p is a heuristic, not a test: replications that share factor values are not independent.") + "\n")
	fmt.Fprintf(&b, "\n## %s\n\n%s\n", w.T("Trajectory"),
		w.F("%d boxes from the whole sweep (coverage 1, density %.3f) to the last peel (coverage %.3f, density %.3f); every box in `%s`, the chosen one's limits and significance in `%s`, coverage against density in `%s`. Pick another with `--box STEP`.",
			len(res.Traj), res.Traj[0].Stats.Density, res.Traj[len(res.Traj)-1].Stats.Coverage, res.Traj[len(res.Traj)-1].Stats.Density, TrajectoryFile, BoxFile, TradeoffPlot))
	return b.String()
}

// qpCell writes a factor's quasi-p values for the report's table: one per restricted limit,
// each marked when above 0.05.
func qpCell(qp QP, w Words) string {
	f := func(v float64) string {
		if v > 0.05 {
			return fmt.Sprintf("%.3g", v) + w.T(" (not significant)")
		}
		return fmt.Sprintf("%.3g", v)
	}
	lo, hi := !math.IsNaN(qp.Lower), !math.IsNaN(qp.Upper)
	switch {
	case !math.IsNaN(qp.Categories):
		return f(qp.Categories)
	case lo && hi:
		return w.F("lower %s, upper %s", f(qp.Lower), f(qp.Upper))
	case lo:
		return w.F("lower %s", f(qp.Lower))
	case hi:
		return w.F("upper %s", f(qp.Upper))
	}
	return ""
}

func ifOver(o string) string {
	if o == "" {
		return ""
	}
	return "/" + o
}
