package results

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/sim"
)

// Meta describes a run for its manifest: what ran, on what scenario, with which seed and
// arguments, and when it started.
type Meta struct {
	Tool         string
	Version      string
	Commit       string
	GoVersion    string
	Scenario     string // scenario name
	ScenarioHash string
	ScenarioYAML []byte // the resolved scenario, stored in the manifest as a string
	Seed         uint64
	Args         []string
	Start        time.Time // zero: the time NewRecorder is called
	// CountyData is the counties file the world took values from (nil: none).
	CountyData *observe.CountyData
	// From is the saved state a continued run started from (nil: a run from the start).
	From *StateRef
}

// StateRef names the saved state a run continued from: its path as given, the SHA-256 of its
// bytes and the month it was saved at (the run's months up to it are the state's history).
type StateRef struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Month  int    `json:"month"`
}

// Options choose what a Recorder writes. The zero value writes a yearly county panel and no
// plots.
type Options struct {
	// Panel is "yearly" (default) or "monthly": the rows of counties.csv.
	Panel string
	// Plots turns on the figures.
	Plots bool
	// Formats are the figure formats, "png" and/or "svg"; empty means both.
	Formats []string
	// Groups, if not empty, limits the groups of series.csv and summary.csv to those named:
	// a name ("pilot", "step:3") or a prefix ending in "*" ("cohort:*", "prefecture:*"). The
	// plotted groups (province, pilot, non-pilot) are always kept.
	Groups []string
	// Lang is the language of the figures' words ("" is English).
	Lang Lang
	// NotWritten lists the outputs the caller chose not to write by default and how to ask
	// for them; the manifest repeats it, so that nothing disappears silently.
	NotWritten []NotWritten
}

// NotWritten is an output left out of a run by default, as listed in its manifest.
type NotWritten struct {
	What string `json:"what"` // what is missing, e.g. "PNG figures"
	Ask  string `json:"ask"`  // the flag that writes it, e.g. "--formats png,svg"
}

// DefaultGroups are the group patterns `countysim run` writes without --groups: every group
// but the per-prefecture ones, which dominate series.csv and its cost at national scale.
var DefaultGroups = []string{"province:*", "step:*", "cohort:*", "tercile:*"}

// keepGroup reports whether group name is selected by patterns (empty: all).
func keepGroup(name string, patterns []string) bool {
	if len(patterns) == 0 || slices.Contains(plotGroups, name) {
		return true
	}
	for _, p := range patterns {
		if p == name || (strings.HasSuffix(p, "*") && strings.HasPrefix(name, strings.TrimSuffix(p, "*"))) {
			return true
		}
	}
	return false
}

// Recorder writes a run's outputs into a directory as the run goes: series.csv and
// counties.csv are streamed month by month; summary.csv, metrics.csv, the figures and
// manifest.json are written by Close. Everything is written under temporary names and
// renamed into place by Close, manifest.json last, so an interrupted run leaves no
// half-written file under a final name. A Recorder is not safe for concurrent use.
//
// Typical use:
//
//	rec, err := results.NewRecorder(dir, m, meta, opts)
//	if err != nil { ... }
//	defer rec.Abort() // no-op after a successful Close
//	if err := m.Run(rec.Observe); err != nil { ... }
//	if err := rec.Close(); err != nil { ... }
type Recorder struct {
	dir    string
	meta   Meta
	opts   Options
	cfg    sim.Config
	counts Counts
	groups []observe.Group
	agg    *observe.Aggregator
	defs   []sim.MetricDef // county metrics, then GroupMetrics: the columns of a group's values
	info   []countyInfo
	panel  []int    // metric indices written as counties.csv columns
	steps  [][4]int // realised PMC step months by cohort (observe.CohortSteps), for the markers

	series, counties *csvTable
	// The formatted parts of the streamed rows that do not change: "group,metric," of each
	// series cell (by group, then metric), a county's identifier columns up to the year; and
	// the last value written in each cell (series by group then metric, counties by county
	// then panel column), reused while it repeats.
	seriesKey [][]byte
	seriesVal []floatSlot
	countyID  [][]byte
	countyVal []floatSlot
	rowPrefix []byte         // scratch: "month,year," of series.csv
	files     []*pendingFile // every output so far, in manifest order
	included  []FileInfo     // files the caller wrote into the folder itself (Include)
	month     int            // last month observed (1-based)
	state     recState

	// Per-county accumulation of the current year (yearly panel).
	acc       []float64
	accMonths int
	accYear   int
	accFirst  int // first month of the year accumulated (1-based)
	// partial lists the calendar years the run covers only in part (a horizon that is not a
	// whole number of years, a run continued from a saved state mid-year): the yearly panel
	// leaves them out, and the manifest says so.
	partial []PartialYear

	// Per group: yearly values of the key metrics (summary, highlights).
	key   []int // KeyMetrics as indices into defs
	years [][]groupYear
	// Monthly values of the plotted metrics for the plot groups (province, pilot, non-pilot).
	plotGroup []int // group index -> plot series index, or -1
	plot      [][]plotPoint

	// County outcomes for the map (nil unless plots are on and the counties have codes).
	outcomes *observe.CountyOutcomes

	// The groups' members, found once a month for all of them.
	ms *observe.Memberships
	// Scratch reused every month.
	gvs        [][]float64 // by group: its values, the columns of defs
	order      []int32     // county indices by income (r.lorenz)
	allY, allW []float64   // of every county
	lorenz     observe.LorenzOrder
	// sim.Metrics' indices by kind: stocks (the yearly panel keeps the last month, over the
	// sum every column gets) and rates (the sum divided by the months at the end of the year).
	stocks, rates []int
}

// Counts are the sizes of the simulated world.
type Counts struct {
	Provinces   int `json:"provinces"`
	Prefectures int `json:"prefectures"`
	Counties    int `json:"counties"`
	Towns       int `json:"towns"`
}

type recState int

const (
	open recState = iota
	closed
	aborted
)

// countyInfo holds a county's identifier columns in counties.csv.
type countyInfo struct {
	id, prefID, tercile int
	name, code          string
	province            string
	pref, prefCode      string
	cohort              string
	pilot               int
}

// groupYear is a group's accumulation over one calendar year: for each key metric, the sum
// of its monthly group values (Flow, Rate) or the last one (Stock).
type groupYear struct {
	year, months int
	n            int // members in the last month of the year in which the group had any
	v            []float64
}

// plotPoint is one month of a plot group.
type plotPoint struct {
	month, n int
	v        []float64 // by plotMetrics
}

// KeyMetrics are the metrics of summary.csv, in order.
var KeyMetrics = []string{
	"approval_days", "investment_days", "admin_cost_share", "staff_per_10k", "self_sufficiency",
	"transfers_received", "explicit_debt", "hidden_debt", "counties_red", "counties_with_arrears",
	"growth", "gdp_per_capita", "misused_funds", "fidelity", "detection", observe.TheilGDPPerCapita,
}

// Output file names.
const (
	SeriesFile   = "series.csv"
	CountiesFile = "counties.csv"
	SummaryFile  = "summary.csv"
	MetricsFile  = "metrics.csv"
	ManifestFile = "manifest.json"
)

// NewRecorder prepares to record model m into dir (created if missing) and opens the streamed
// tables. Call it after sim.New and before the first Step.
func NewRecorder(dir string, m *sim.Model, meta Meta, opts Options) (*Recorder, error) {
	opts, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	if meta.Start.IsZero() {
		meta.Start = time.Now()
	}
	defs := append(slices.Clone(sim.Metrics[:]), observe.GroupMetrics...)
	agg, err := observe.NewAggregator(sim.Metrics[:])
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	key := make([]int, len(KeyMetrics))
	for j, name := range KeyMetrics {
		if key[j] = metricIndex(defs, name); key[j] < 0 {
			return nil, fmt.Errorf("results: key metric %q is not a metric of the model", name)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	r := &Recorder{
		dir:    dir,
		meta:   meta,
		opts:   opts,
		cfg:    m.Config(),
		counts: Counts{len(m.Provinces), len(m.Prefs), len(m.Counties), len(m.Towns)},
		groups: slices.DeleteFunc(observe.Groups(m), func(g observe.Group) bool { return !keepGroup(g.Name, opts.Groups) }),
		agg:    agg,
		defs:   defs,
		key:    key,
		acc:    make([]float64, len(m.Counties)*sim.NumMetrics),
	}
	for k, d := range sim.Metrics {
		if d.Kind == sim.Stock {
			r.stocks = append(r.stocks, k)
		}
		if d.Kind == sim.Rate {
			r.rates = append(r.rates, k)
		}
	}
	if o := observe.NewCountyOutcomes(m); opts.Plots && o.HasCodes() {
		r.outcomes = o
	}
	r.years = make([][]groupYear, len(r.groups))
	r.ms = observe.NewMemberships(r.groups)
	r.gvs = make([][]float64, len(r.groups))
	for g := range r.gvs {
		r.gvs[g] = make([]float64, len(defs))
	}
	r.plotGroup = make([]int, len(r.groups))
	for g, grp := range r.groups {
		r.plotGroup[g] = slices.Index(plotGroups, grp.Name)
	}
	r.plot = make([][]plotPoint, len(plotGroups))
	cohorts := observe.CohortNames(r.cfg)
	for i := range m.Counties {
		c := &m.Counties[i]
		ci := countyInfo{
			id: c.ID, name: c.Name, code: c.Code, province: m.Provinces[c.Province].Name,
			prefID: c.Pref, pref: m.Prefs[c.Pref].Name, prefCode: m.Prefs[c.Pref].Code, tercile: c.Tercile + 1,
		}
		if c.Pilot {
			ci.pilot = 1
		}
		if c.Cohort >= 0 && c.Cohort < len(cohorts) {
			ci.cohort = cohorts[c.Cohort]
		}
		r.info = append(r.info, ci)
	}
	if err := r.openTables(); err != nil {
		r.Abort()
		return nil, err
	}
	return r, nil
}

func (o Options) resolve() (Options, error) {
	switch o.Panel {
	case "":
		o.Panel = "yearly"
	case "yearly", "monthly":
	default:
		return o, fmt.Errorf("results: panel %q: allowed \"yearly\" or \"monthly\"", o.Panel)
	}
	if len(o.Formats) == 0 {
		o.Formats = []string{"png", "svg"}
	}
	var fs []string
	for _, f := range o.Formats {
		if f != "png" && f != "svg" {
			return o, fmt.Errorf("results: plot format %q: allowed \"png\" or \"svg\"", f)
		}
		if !slices.Contains(fs, f) {
			fs = append(fs, f)
		}
	}
	o.Formats = fs
	return o, nil
}

// idColumns are the leading columns of counties.csv; metrics of the same name are not
// repeated after them.
func (r *Recorder) idColumns() []column {
	cols := []column{
		{"county_id", colInt}, {"county", colString}, {"county_code", colString}, {"province", colString},
		{"prefecture_id", colInt}, {"prefecture", colString}, {"prefecture_code", colString}, {"pilot", colInt},
		{"cohort", colString}, {"tercile", colInt}, {"year", colInt},
	}
	if r.opts.Panel == "monthly" {
		cols = append(cols, column{"month", colInt})
	}
	return append(cols, column{"pmc_step", colInt})
}

func (r *Recorder) openTables() error {
	f, err := r.newFile(SeriesFile)
	if err != nil {
		return err
	}
	if r.series, err = newCSVTable(f, SeriesFile, []column{
		{"month", colInt}, {"year", colInt}, {"group", colString}, {"metric", colString}, {"value", colFloat},
	}); err != nil {
		return err
	}
	if f, err = r.newFile(CountiesFile); err != nil {
		return err
	}
	cols := r.idColumns()
	for k, d := range sim.Metrics {
		if !slices.ContainsFunc(cols, func(c column) bool { return c.name == d.Name }) {
			r.panel = append(r.panel, k)
		}
	}
	for _, k := range r.panel {
		cols = append(cols, column{sim.Metrics[k].Name, colFloat})
	}
	if r.counties, err = newCSVTable(f, CountiesFile, cols); err != nil {
		return err
	}
	r.formatFixedParts()
	return nil
}

// formatFixedParts formats once the parts of the streamed rows that never change (quoted
// as encoding/csv would): each series cell's group and metric, each county's identifier
// columns; and gives every cell a float slot.
func (r *Recorder) formatFixedParts() {
	for _, grp := range r.groups {
		for _, d := range r.defs {
			b := appendCSVField(nil, grp.Name)
			b = append(b, ',')
			b = appendCSVField(b, d.Name)
			r.seriesKey = append(r.seriesKey, append(b, ','))
		}
	}
	r.seriesVal = newFloatSlots(len(r.groups) * len(r.defs))
	for _, ci := range r.info {
		b := strconv.AppendInt(nil, int64(ci.id), 10)
		for _, f := range []string{ci.name, ci.code, ci.province} {
			b = appendCSVField(append(b, ','), f)
		}
		b = strconv.AppendInt(append(b, ','), int64(ci.prefID), 10)
		for _, f := range []string{ci.pref, ci.prefCode} {
			b = appendCSVField(append(b, ','), f)
		}
		b = strconv.AppendInt(append(b, ','), int64(ci.pilot), 10)
		b = appendCSVField(append(b, ','), ci.cohort)
		b = strconv.AppendInt(append(b, ','), int64(ci.tercile), 10)
		r.countyID = append(r.countyID, append(b, ','))
	}
	r.countyVal = newFloatSlots(len(r.info) * len(r.panel))
}

func (r *Recorder) newFile(name string) (*pendingFile, error) {
	f, err := newPendingFile(r.dir, name)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	r.files = append(r.files, f)
	return f, nil
}

// year returns the calendar year of a 1-based month of the run.
func (r *Recorder) year(month int) int { return r.cfg.StartYear + (month-1)/12 }

// Observe records the month m has just simulated. Call it once after every Step (it has the
// signature of sim.Model.Run's callback).
func (r *Recorder) Observe(m *sim.Model) error {
	if r.state != open {
		return errors.New("results: Observe on a closed or aborted Recorder")
	}
	month := m.Month()
	if month != r.month+1 {
		return fmt.Errorf("results: observed month %d after month %d (Observe must follow every Step)", month, r.month)
	}
	values := m.Values()
	if len(m.Counties) != len(r.info) || len(values) != len(r.info)*sim.NumMetrics {
		return fmt.Errorf("results: month %d: model has %d counties, recorder was made for %d", month, len(m.Counties), len(r.info))
	}
	r.month = month
	r.steps = observe.CohortSteps(r.steps, m)
	year := r.year(month)
	r.allY, r.allW = r.allY[:0], r.allW[:0]
	for i := range r.info {
		row := values[i*sim.NumMetrics:]
		pop := row[sim.MPop]
		r.allY = append(r.allY, row[sim.MGDP]/pop)
		r.allW = append(r.allW, pop)
	}
	r.lorenz.Sort(r.allY)
	r.ms.Update(m.Counties)
	r.order = r.lorenz.Order(r.order)
	sorted := r.ms.InOrder(r.order)
	for g := range r.groups {
		members := r.ms.Lists[g]
		if len(members) == 0 {
			continue
		}
		gv := r.gvs[g]
		if h := r.ms.Same(g); h >= 0 { // the same counties: the same values
			copy(gv, r.gvs[h])
		} else {
			r.groupValues(gv, values, members, sorted[g])
		}
		if err := r.writeSeries(g, gv, month, year); err != nil {
			return err
		}
		r.trackYear(g, gv, len(members), year)
		if p := r.plotGroup[g]; p >= 0 && r.opts.Plots {
			pt := plotPoint{month: month, n: len(members), v: make([]float64, len(plotMetrics))}
			for j, k := range plotMetrics {
				pt.v[j] = gv[k]
			}
			r.plot[p] = append(r.plot[p], pt)
		}
	}
	if r.outcomes != nil {
		if err := r.outcomes.Observe(m); err != nil {
			return err
		}
	}
	if r.opts.Panel == "monthly" {
		return r.writeCounties(values, year, month)
	}
	return r.accumulate(values, year, month)
}

// writeSeries writes the rows of group g in month to series.csv from its values gv: the same
// bytes as csvTable.write of (month, year, group, metric, value), from the parts formatted once.
func (r *Recorder) writeSeries(g int, gv []float64, month, year int) error {
	r.rowPrefix = strconv.AppendInt(r.rowPrefix[:0], int64(month), 10)
	r.rowPrefix = strconv.AppendInt(append(r.rowPrefix, ','), int64(year), 10)
	r.rowPrefix = append(r.rowPrefix, ',')
	base := g * len(r.defs)
	for k, v := range gv {
		b := append(r.series.rowBuf(), r.rowPrefix...)
		b = append(b, r.seriesKey[base+k]...)
		b = appendFloatSlot(b, v, &r.seriesVal[base+k])
		if err := r.series.endRow(b); err != nil {
			return fmt.Errorf("results: %w", err)
		}
	}
	return nil
}

// groupValues fills gv with the group values of members: the county metrics by their
// aggregation, then the inequality indices of GDP per capita weighted by population (sorted
// are the members in the order of r.lorenz).
func (r *Recorder) groupValues(gv, values []float64, members []int, sorted []int32) {
	r.agg.Group(gv[:sim.NumMetrics], values, members)
	gv[sim.NumMetrics], gv[sim.NumMetrics+1] = observe.Inequality(r.allY, r.allW, members, sorted)
}

// trackYear adds the current group values gv of the key metrics to group g's year; n is the
// group's size.
func (r *Recorder) trackYear(g int, gv []float64, n, year int) {
	ys := r.years[g]
	if len(ys) == 0 || ys[len(ys)-1].year != year {
		ys = append(ys, groupYear{year: year, v: make([]float64, len(KeyMetrics))})
		r.years[g] = ys
	}
	gy := &ys[len(ys)-1]
	gy.months++
	gy.n = n
	for j, k := range r.key {
		if r.defs[k].Kind == sim.Stock {
			gy.v[j] = gv[k]
		} else {
			gy.v[j] += gv[k]
		}
	}
}

// accumulate adds a month to the yearly county panel and writes the year when it is complete.
func (r *Recorder) accumulate(values []float64, year, month int) error {
	if r.accMonths == 0 {
		clear(r.acc)
		r.accYear, r.accFirst = year, month
	}
	// Every column is added (by eights, in one sequential pass) and the stocks then set to
	// the month's value: the flows and rates get the same sums as adding them alone.
	acc, v := r.acc[:len(r.info)*sim.NumMetrics], values[:len(r.info)*sim.NumMetrics]
	k := 0
	for ; k+8 <= len(v); k += 8 {
		a, x := acc[k:k+8:k+8], v[k:k+8:k+8]
		a[0] += x[0]
		a[1] += x[1]
		a[2] += x[2]
		a[3] += x[3]
		a[4] += x[4]
		a[5] += x[5]
		a[6] += x[6]
		a[7] += x[7]
	}
	for ; k < len(v); k++ {
		acc[k] += v[k]
	}
	for i := range r.info {
		acc, v := r.acc[i*sim.NumMetrics:(i+1)*sim.NumMetrics], values[i*sim.NumMetrics:(i+1)*sim.NumMetrics]
		for _, k := range r.stocks {
			acc[k] = v[k]
		}
	}
	r.accMonths++
	if month%12 != 0 {
		return nil
	}
	return r.flushYear()
}

// flushYear writes the accumulated year: flows summed, stocks at the last month, rates
// averaged over the months observed. A year the run covers only in part is left out (its
// flows would be sums over fewer months under a yearly unit, and its growth not a year's):
// the manifest lists it with the monthly panel that holds it.
func (r *Recorder) flushYear() error {
	if r.accMonths < 12 {
		r.partial = append(r.partial, PartialYear{Year: r.accYear, Months: r.accMonths, First: r.accFirst, Last: r.accFirst + r.accMonths - 1})
		r.accMonths = 0
		return nil
	}
	n := float64(r.accMonths)
	for i := range r.info {
		acc := r.acc[i*sim.NumMetrics : (i+1)*sim.NumMetrics]
		for _, k := range r.rates {
			acc[k] /= n
		}
	}
	r.accMonths = 0
	return r.writeCounties(r.acc, r.accYear, 0)
}

// PartialYear is a calendar year the run covers only in part: Months of its 12, the run's
// months First to Last (1-based).
type PartialYear struct{ Year, Months, First, Last int }

// note is the manifest's entry for the year.
func (p PartialYear) note() NotWritten {
	return NotWritten{
		What: fmt.Sprintf("year %d of the yearly county panel (counties.csv): the run covers %d of its 12 months (months %d-%d)", p.Year, p.Months, p.First, p.Last),
		Ask:  "--panel monthly writes every month",
	}
}

// PartialYears lists the calendar years left out of the yearly county panel because the run
// covers them only in part (filled as the run goes; complete after Close).
func (r *Recorder) PartialYears() []PartialYear { return r.partial }

// writeCounties writes one row per county from a county-by-metric table; month is 0 in the
// yearly panel.
func (r *Recorder) writeCounties(values []float64, year, month int) error {
	monthly := r.opts.Panel == "monthly"
	for i := range r.info {
		v := values[i*sim.NumMetrics : (i+1)*sim.NumMetrics]
		b := append(r.counties.rowBuf(), r.countyID[i]...)
		b = strconv.AppendInt(b, int64(year), 10)
		if monthly {
			b = strconv.AppendInt(append(b, ','), int64(month), 10)
		}
		b = strconv.AppendInt(append(b, ','), int64(int(v[sim.MStep])), 10)
		slots := r.countyVal[i*len(r.panel) : (i+1)*len(r.panel)]
		for j, k := range r.panel {
			b = appendFloatSlot(append(b, ','), v[k], &slots[j])
		}
		if err := r.counties.endRow(b); err != nil {
			return fmt.Errorf("results: %w", err)
		}
	}
	return nil
}

// Close writes the remaining outputs and moves every file into place, manifest.json last. On
// error it removes everything the Recorder wrote.
func (r *Recorder) Close() error {
	if r.state != open {
		return errors.New("results: Close on a closed or aborted Recorder")
	}
	if err := r.finish(); err != nil {
		r.Abort()
		return err
	}
	r.state = closed
	return nil
}

func (r *Recorder) finish() error {
	if r.accMonths > 0 {
		if err := r.flushYear(); err != nil {
			return err
		}
	}
	for _, t := range []*csvTable{r.series, r.counties} {
		if err := t.flush(); err != nil {
			return fmt.Errorf("results: %w", err)
		}
	}
	for _, f := range r.files {
		if err := f.finish(); err != nil {
			return fmt.Errorf("results: %w", err)
		}
	}
	if err := r.add(writeWith(r.dir, SummaryFile, r.writeSummary)); err != nil {
		return err
	}
	if err := r.add(writeWith(r.dir, MetricsFile, r.writeMetrics)); err != nil {
		return err
	}
	if r.opts.Plots && r.month > 0 {
		if err := r.writePlots(); err != nil {
			return err
		}
	}
	man, err := r.manifest(time.Now())
	if err != nil {
		return err
	}
	mf, err := writeAll(r.dir, ManifestFile, man)
	if err := r.add(mf, err); err != nil {
		return err
	}
	for _, f := range r.files {
		if err := f.commit(); err != nil {
			return fmt.Errorf("results: %w", err)
		}
	}
	return nil
}

// Include lists in the manifest a file the caller wrote into the Recorder's folder itself (the
// state `run --save-at` saves), with its size and SHA-256, so that the folder is the run's own
// as a whole. Call it before Close.
func (r *Recorder) Include(name string) error {
	if r.state != open {
		return errors.New("results: Include on a closed or aborted Recorder")
	}
	f, err := os.Open(filepath.Join(r.dir, name))
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("results: %s: %w", name, err)
	}
	r.included = append(r.included, FileInfo{Name: name, Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil))})
	return nil
}

// add keeps a finished file for the commit.
func (r *Recorder) add(f *pendingFile, err error) error {
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	r.files = append(r.files, f)
	return nil
}

// Abort removes every file the Recorder has written, finished or not. It does nothing after
// a successful Close, so it can be deferred.
func (r *Recorder) Abort() {
	if r.state == closed {
		return
	}
	for _, f := range r.files {
		f.discard()
	}
	r.files = nil
	r.state = aborted
}

// Files returns the names of the files written, in the order they are listed in the manifest
// (manifest.json itself last). It is complete after Close.
func (r *Recorder) Files() []string {
	out := make([]string, len(r.files))
	for i, f := range r.files {
		out[i] = f.name
	}
	return out
}

func metricIndex(defs []sim.MetricDef, name string) int {
	return slices.IndexFunc(defs, func(d sim.MetricDef) bool { return d.Name == name })
}
