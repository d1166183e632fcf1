package scenarios

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/countysim/countysim/scenarios/design"
)

// Experiment is a declared batch of runs (NetLogo BehaviorSpace, EMA Workbench): a base
// scenario with overrides, the factors to vary (any scenario field by its path), a design, the
// replications, the master seed and the outputs to keep. It is saved beside its results, so a
// batch can be repeated from its record alone.
type Experiment struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	// Scenario is the base: a built-in name or a file path (relative to the experiment file).
	Scenario string `yaml:"scenario"`
	// Set overrides base fields, path: value, before the factors are applied.
	Set          map[string]string `yaml:"set"`
	Factors      []Factor          `yaml:"factors"`
	Design       Design            `yaml:"design"`
	Replications int               `yaml:"replications"`
	Seed         uint64            `yaml:"seed"`
	// Metrics and Groups are what each run keeps: every metric for every group, as its
	// final-year value and its value over the whole horizon.
	Metrics []string `yaml:"metrics"`
	Groups  []string `yaml:"groups"`
	// Lang is the language of the reports, "en" or "zh" ("": the locale's); --lang overrides.
	Lang string `yaml:"lang"`

	// Source is where the experiment came from; Data its exact bytes.
	Source string `yaml:"-"`
	Data   []byte `yaml:"-"`

	base  *Scenario               // the resolved base scenario, set by the checks
	kinds map[string]reflect.Kind // each factor's field kind in the base
}

// Factor is one varied scenario field: a range (min, max; a grid takes steps points in it)
// or a list of levels (any values the field takes, e.g. true/false or "three-step").
type Factor struct {
	Path string `yaml:"path"`
	// Name, when given, names the factor's column in runs.csv, points.csv and sensitivity.csv
	// (a Stata, R and SQL identifier: a letter or _, then letters, digits or _, at most 32);
	// without it the column is named by Path.
	Name   string   `yaml:"name"`
	Min    *float64 `yaml:"min"`
	Max    *float64 `yaml:"max"`
	Steps  int      `yaml:"steps"`
	Levels []string `yaml:"levels"`
}

// Design names the sampling plan: "grid" (full factorial), "lhs" (Latin hypercube of Samples
// points), "sobol" (Saltelli's scheme with base sample Samples, for Sobol indices) or "morris"
// (Samples trajectories on a Levels-level grid, for elementary effects).
type Design struct {
	Type        string `yaml:"type"`
	Samples     int    `yaml:"samples"`
	Levels      int    `yaml:"levels"`
	SecondOrder bool   `yaml:"second_order"`
}

// Designs lists the design types.
var Designs = []string{"grid", "lhs", "sobol", "morris"}

// MaxRuns bounds an experiment's size: points times replications. It is checked from the
// design's declared size before any point is built.
const MaxRuns = 1_000_000

//go:embed experiments/*.yaml
var experimentFS embed.FS

// LoadExperiment reads an experiment file. metrics lists the metric names a run can keep.
func LoadExperiment(path string, metrics []string) (*Experiment, error) {
	return LoadExperimentWithBase(path, metrics, nil)
}

// LoadExperimentWithBase reads an experiment file whose base scenario is given already
// resolved (as a sweep folder records it), instead of being resolved from the file's scenario
// key; base nil resolves it as LoadExperiment does.
func LoadExperimentWithBase(path string, metrics []string, base *Scenario) (*Experiment, error) {
	data, err := ReadFile("experiment", path)
	if err != nil {
		return nil, err
	}
	return parseExperiment(path, data, metrics, base)
}

// ParseExperiment reads an experiment from YAML with the same strictness as scenario files:
// every problem is reported with file:line:col, the field, the bad value and what is allowed.
func ParseExperiment(name string, data []byte, metrics []string) (*Experiment, error) {
	return parseExperiment(name, data, metrics, nil)
}

func parseExperiment(name string, data []byte, metrics []string, base *Scenario) (*Experiment, error) {
	// The problems are said in the language the file's lang: asks for (its line, read from the
	// bytes, when the file cannot be decoded), as a scenario file's are.
	inLang := func(err error, l string) error {
		if le, ok := err.(*LoadError); ok && (l == "en" || l == "zh") {
			le.Lang = l
		}
		return err
	}
	root, problems := readYAML(name, data)
	if len(problems) > 0 {
		return nil, inLang(errorOrNil(problems), rawLang(data))
	}
	if root == nil {
		return nil, errorOrNil([]Problem{{File: name, Line: 1, Col: 1,
			Msg: "the file is empty (or only ~): an experiment needs at least factors, a design and metrics"}})
	}
	e := Experiment{Replications: 1, Seed: 1, Groups: []string{"province", "pilot", "non-pilot"}}
	d := newDecoder(name)
	d.allowed = experimentAllowed
	d.value("", root, root, reflect.ValueOf(&e).Elem())
	if len(d.problems) > 0 {
		return nil, inLang(errorOrNil(d.problems), rawLang(data))
	}
	e.Source, e.Data = name, data
	if e.Name == "" {
		e.Name = FileName(name)
	} else if err := CheckName(e.Name); err != nil {
		d.add(d.at["name"], "name", "%v", err)
	}
	if base != nil {
		b := *base
		e.base = &b
	}
	e.check(d, metrics)
	if err := errorOrNil(d.problems); err != nil {
		return nil, inLang(err, e.Lang)
	}
	return &e, nil
}

// experimentAllowed is what the experiment's own whole-number fields may be, for the
// decoder's messages of a wrong type or a number beyond its type's range (check says the same
// of a number within it).
var experimentAllowed = map[string]string{
	"seed":            "a whole number from 0 to 18446744073709551615",
	"replications":    "a whole number from 1 to 10000",
	"factors[].steps": "a whole number from 2 to 101",
}

// check validates the experiment's fields and cross-field rules.
func (e *Experiment) check(d *decoder, metrics []string) {
	bad := func(path, format string, a ...any) { d.add(d.place(path), path, format, a...) }
	if e.Lang != "" && e.Lang != "en" && e.Lang != "zh" {
		bad("lang", "unknown language %q (allowed: en, zh)", e.Lang)
	}
	if _, ok := e.Set["seed"]; ok {
		// Each run's seed is batch.Seed(the experiment's seed, replication): a seed set on
		// the base would be overridden, yet recorded in base.yaml as if the runs used it.
		bad("set.seed", "seed is not set here (each run's seed comes from the experiment's seed and its replication; allowed: the experiment's seed: key, and replications for more seeds)")
	}
	base, err := e.Base()
	if err != nil {
		for _, p := range PlaceBaseError(err, e.Set) {
			d.addText(d.place(p.Path), p.Path, p.Text)
		}
		return
	}
	e.base = base
	e.kinds = map[string]reflect.Kind{}
	if len(e.Factors) == 0 {
		bad("factors", "no factors (allowed: a list of {path, min, max} or {path, levels})")
	}
	seen := map[string]bool{}
	columns := map[string]int{} // column name -> factor
	for i, f := range e.Factors {
		p := fmt.Sprintf("factors[%d]", i)
		if seen[f.Path] {
			bad(p+".path", "%q is varied twice", f.Path)
		}
		seen[f.Path] = true
		if f.Name != "" {
			switch {
			case !columnName.MatchString(f.Name):
				bad(p+".name", "bad value %q (allowed: a letter or _, then letters, digits or _, at most 32 characters)", f.Name)
			case slices.Contains(reservedColumns, f.Name):
				bad(p+".name", "bad value %q: a column of the sweep's tables already has that name (%s)", f.Name, strings.Join(reservedColumns, ", "))
			}
		}
		if j, ok := columns[f.Column()]; ok {
			bad(p+".name", "column %q is also factors[%d]'s (allowed: a name no other factor's column has)", f.Column(), j)
		}
		columns[f.Column()] = i
		if f.Path == "seed" {
			// Each run's seed is batch.Seed(the experiment's seed, replication): a seed
			// factor would be overridden and name a second seed column in runs.csv.
			bad(p+".path", "seed is not a factor (each run's seed comes from the experiment's seed and its replication; allowed: replications for more seeds)")
			continue
		}
		kind, err := fieldKind(base, f.Path)
		if err != nil {
			bad(p+".path", "%v", oneLine(err))
			continue
		}
		e.kinds[f.Path] = kind
		ranged := f.Min != nil || f.Max != nil
		switch {
		case ranged && len(f.Levels) > 0:
			bad(p, "give either min and max or levels, not both")
			continue
		case !ranged && len(f.Levels) == 0:
			bad(p, "give min and max (a range) or levels (a list of values)")
			continue
		case ranged && (f.Min == nil || f.Max == nil):
			bad(p, "a range needs both min and max")
			continue
		case ranged && (math.IsInf(*f.Min, 0) || math.IsNaN(*f.Min) || math.IsInf(*f.Max, 0) || math.IsNaN(*f.Max)):
			bad(p, "min and max must be finite numbers")
			continue
		case ranged && !(*f.Min < *f.Max):
			bad(p+".max", "bad value %g (allowed: a number above min %g)", *f.Max, *f.Min)
			continue
		case ranged && kind != reflect.Float64 && kind != reflect.Int && kind != reflect.Uint64:
			bad(p+".path", "%s is not a number, so it takes levels, not min and max", f.Path)
			continue
		case ranged && wholeKind(kind) && (*f.Min != math.Trunc(*f.Min) || *f.Max != math.Trunc(*f.Max)):
			// The runs get rounded values: min 0.4 would run 0, outside the range declared.
			bad(p, "min %g and max %g: %s takes whole numbers (allowed: whole-number min and max)", *f.Min, *f.Max, f.Path)
			continue
		}
		if f.Steps != 0 && (f.Steps < 2 || f.Steps > 101 || !ranged) {
			bad(p+".steps", "bad value %d (allowed: 2 to 101, for a range)", f.Steps)
		}
		for j, v := range f.Levels {
			if k := slices.IndexFunc(f.Levels[:j], func(w string) bool { return sameLevel(v, w) }); k >= 0 {
				bad(fmt.Sprintf("%s.levels[%d]", p, j), "%q is levels[%d] again (allowed: each value once)", v, k)
			}
		}
		// Every value the factor can take must be a valid setting of the base scenario.
		for _, v := range f.probe(kind) {
			s := *base
			if err := Set(&s, f.Path+"="+v); err == nil {
				err = Validate(&s)
				if err != nil {
					bad(p, "value %s is not allowed: %v", v, oneLine(err))
				}
			} else {
				bad(p, "value %s is not allowed: %v", v, oneLine(err))
			}
		}
	}
	if !slices.Contains(Designs, e.Design.Type) {
		bad("design.type", "bad value %q (allowed: %s)", e.Design.Type, strings.Join(Designs, ", "))
		return
	}
	switch e.Design.Type {
	case "lhs":
		if e.Design.Samples < 1 || e.Design.Samples > 1_000_000 {
			bad("design.samples", "bad value %d (allowed: 1 to 1000000)", e.Design.Samples)
		}
	case "morris":
		if e.Design.Samples < 2 || e.Design.Samples > 1_000_000 {
			bad("design.samples", "bad value %d (allowed: 2 to 1000000 trajectories: sigma, the spread of the elementary effects, needs two)", e.Design.Samples)
		}
	case "sobol":
		if e.Design.Samples < minSobolSamples || e.Design.Samples > 1_000_000 {
			bad("design.samples", "bad value %d (allowed: %d to 1000000 base samples: the indices' bootstrap intervals resample them, and fewer give intervals of no width or no meaning; 64 or more for intervals to rely on)", e.Design.Samples, minSobolSamples)
		}
	}
	if e.Design.SecondOrder && e.Design.Type != "sobol" {
		bad("design.second_order", "true for a %s design (allowed: only with type sobol)", e.Design.Type)
	} else if e.Design.SecondOrder && len(e.Factors) < 2 {
		bad("design.second_order", "true with %d factor (allowed: two or more factors: S2 is an index of pairs)", len(e.Factors))
	}
	if e.Design.Type == "morris" && (e.Design.Levels < 2 || e.Design.Levels%2 != 0 || e.Design.Levels > 100) {
		bad("design.levels", "bad value %d (allowed: an even number from 2 to 100)", e.Design.Levels)
	} else if e.Design.Type == "morris" {
		// Every step of every trajectory must change the level a run gets, and every level
		// must be run: the design bins its grid into a factor's levels.
		for i, f := range e.Factors {
			if msg := f.morrisProblem(e.Design.Levels); msg != "" {
				bad(fmt.Sprintf("factors[%d]", i), "%s", msg)
			}
		}
	}
	if e.Design.Type == "sobol" && len(e.Factors) > design.MaxSobolDim/2 {
		bad("factors", "%d factors (allowed: at most %d for a sobol design)", len(e.Factors), design.MaxSobolDim/2)
	}
	if e.Replications < 1 || e.Replications > 10_000 {
		bad("replications", "bad value %d (allowed: 1 to 10000)", e.Replications)
	}
	for i, m := range e.Metrics {
		if !slices.Contains(metrics, m) {
			bad(fmt.Sprintf("metrics[%d]", i), "unknown metric %q%s", m, suggest(m, metrics))
		} else if slices.Index(e.Metrics, m) < i {
			bad(fmt.Sprintf("metrics[%d]", i), "%q is listed twice (allowed: each metric once)", m)
		}
	}
	if len(e.Metrics) == 0 {
		bad("metrics", "no metrics (allowed: names such as growth, approval_days; see countysim's metrics.csv)")
	}
	if len(e.Groups) == 0 {
		// No group would give a sweep of header-only rows.csv and points.csv.
		bad("groups", "no groups (allowed: names such as province, pilot, non-pilot, step:0..3, tercile:1..3, cohort:NAME, prefecture:NAME, province:NAME; leave groups out for province, pilot, non-pilot)")
	}
	for i, g := range e.Groups {
		if !validGroup(g) {
			bad(fmt.Sprintf("groups[%d]", i), "bad value %q (allowed: province, pilot, non-pilot, step:0..3, tercile:1..3, cohort:NAME, prefecture:NAME, province:NAME)", g)
		} else if slices.Index(e.Groups, g) < i {
			bad(fmt.Sprintf("groups[%d]", i), "%q is listed twice (allowed: each group once)", g)
		}
	}
	if d.problems == nil {
		if n := e.size(); n > MaxRuns {
			bad("design", "%s runs (%s points x %d replications; allowed: at most %d runs per experiment)", bigCount(n), bigCount(e.points()), e.Replications, MaxRuns)
		}
	}
}

// points is the number of points the design declares, computed from its parameters without
// building it, saturating at MaxRuns+1.
func (e *Experiment) points() int {
	k := len(e.Factors)
	n := e.Design.Samples
	switch e.Design.Type {
	case "grid":
		n = 1
		for _, f := range e.Factors {
			levels := len(f.Levels)
			if levels == 0 {
				levels = f.Steps
				if levels == 0 {
					levels = 3
				}
			}
			n = satMul(n, levels)
		}
	case "sobol":
		if e.Design.SecondOrder {
			n = satMul(n, 2*k+2)
		} else {
			n = satMul(n, k+2)
		}
	case "morris":
		n = satMul(n, k+1)
	}
	return n
}

// size is points times replications, saturating at MaxRuns+1.
func (e *Experiment) size() int { return satMul(e.points(), max(e.Replications, 1)) }

func satMul(a, b int) int {
	if a <= 0 || b <= 0 {
		return 0
	}
	if a > (MaxRuns+1)/b {
		return MaxRuns + 1
	}
	return min(a*b, MaxRuns+1)
}

func bigCount(n int) string {
	if n > MaxRuns {
		return fmt.Sprintf("more than %d", MaxRuns)
	}
	return strconv.Itoa(n)
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", "; ") }

func suggest(name string, known []string) string {
	if n := nearest(name, known); n != "" {
		return fmt.Sprintf(" (did you mean %q?)", n)
	}
	return ""
}

func validGroup(g string) bool {
	switch g {
	case "province", "pilot", "non-pilot", "step:0", "step:1", "step:2", "step:3", "tercile:1", "tercile:2", "tercile:3":
		return true
	}
	for _, p := range []string{"cohort:", "prefecture:", "province:"} {
		if strings.HasPrefix(g, p) && len(g) > len(p) {
			return true
		}
	}
	return false
}

// probe lists values that test a factor's validity: its levels, or its range ends.
func (f Factor) probe(kind reflect.Kind) []string {
	if len(f.Levels) > 0 {
		return f.Levels
	}
	return []string{formatValue(*f.Min, kind), formatValue(*f.Max, kind)}
}

// fieldKind returns the reflect kind of the scenario field at path in the base scenario, so
// that a list item the base has (pmc.cohorts[0].step1) can be varied.
func fieldKind(base *Scenario, path string) (reflect.Kind, error) {
	doc := document{Name: base.Name, Description: base.Description, Preset: base.Preset, Config: base.Config}
	d := newDecoder("")
	d.noPos = true
	v, ok := d.locate(reflect.ValueOf(&doc).Elem(), path)
	if !ok {
		return reflect.Invalid, errorOrNil(d.problems)
	}
	return v.Kind(), nil
}

// Field returns the value of the scenario field at path (a --set path), as an interface
// value of the field's type.
func Field(s *Scenario, path string) (any, error) {
	doc := document{Name: s.Name, Description: s.Description, Preset: s.Preset, Config: s.Config}
	d := newDecoder("")
	d.noPos = true
	v, ok := d.locate(reflect.ValueOf(&doc).Elem(), path)
	if !ok {
		return nil, errorOrNil(d.problems)
	}
	return v.Interface(), nil
}

// formatValue writes a design value for a field of the given kind: whole fields are rounded.
func formatValue(x float64, kind reflect.Kind) string {
	switch kind {
	case reflect.Int, reflect.Int64, reflect.Uint64:
		return strconv.FormatInt(int64(math.Round(x)), 10)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// Base resolves the base scenario and applies the experiment's overrides (in path order).
func (e *Experiment) Base() (*Scenario, error) {
	if e.base != nil {
		return Clone(e.base), nil
	}
	arg := e.Scenario
	if arg == "" {
		arg = Default
	}
	if strings.HasSuffix(arg, ".yaml") || strings.HasSuffix(arg, ".yml") {
		if !filepath.IsAbs(arg) && e.Source != "" {
			arg = filepath.Join(filepath.Dir(e.Source), arg)
		}
	}
	s, err := Resolve(arg)
	if err != nil {
		return nil, err
	}
	if err := ApplySets(s, e.Set); err != nil {
		return nil, err
	}
	if err := Validate(s); err != nil {
		return nil, err
	}
	return s, nil
}

// ApplySets applies overrides path: value to s, preset first (it replaces the world that other
// overrides may refine), then in path order; an error names the override. Experiments and
// calibrations apply their set blocks with it.
func ApplySets(s *Scenario, set map[string]string) error {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	slices.SortStableFunc(keys, func(a, b string) int {
		switch {
		case a == "preset" && b != "preset":
			return -1
		case b == "preset" && a != "preset":
			return 1
		}
		return 0
	})
	for _, k := range keys {
		if err := Set(s, k+"="+set[k]); err != nil {
			return fmt.Errorf("set %s: %w", k, err)
		}
	}
	return nil
}

// BaseProblem is a problem of an experiment's or calibration's base scenario, placed in the
// file that names it: Path is "set.PATH" for an override's, else "scenario"; Msg is the
// message in English, Text the same to say in another language.
type BaseProblem struct {
	Path string
	Msg  string
	Text Text
}

// PlaceBaseError splits the error of resolving a base scenario and applying set overrides to it
// (Experiment.Base, calibrate's Calibration.Base) into the places a file reports them: a
// problem with an override at "set.PATH", so at that entry's line; any other at "scenario",
// with the place it has in the scenario's own file.
func PlaceBaseError(err error, set map[string]string) []BaseProblem {
	var le *LoadError
	key, rest, isSet := strings.Cut(strings.TrimPrefix(err.Error(), "set "), ": ")
	switch {
	case strings.HasPrefix(err.Error(), "set ") && isSet && set[key] != "":
		msg := oneLine(errors.New(rest))
		t := text("%s", msg)
		if errors.As(err, &le) && len(le.Problems) == 1 && le.Problems[0].String() == rest {
			t = text("%s%v", le.Problems[0].place(), le.Problems[0].text())
		}
		return []BaseProblem{{"set." + key, msg, t}}
	case errors.As(err, &le):
		var out []BaseProblem
		for _, p := range le.Problems {
			if _, ok := set[p.Path]; ok && p.File == "" {
				out = append(out, BaseProblem{"set." + p.Path, p.Msg, p.text()})
			} else {
				out = append(out, BaseProblem{"scenario", p.String(), text("%s%v", p.place(), p.text())})
			}
		}
		return out
	}
	return []BaseProblem{{"scenario", oneLine(err), text("%s", oneLine(err))}}
}

// Clone copies s with its own lists, so that Set on the copy leaves s as it was.
func Clone(s *Scenario) *Scenario {
	c := *s
	c.Config.World.Provinces = slices.Clone(s.Config.World.Provinces)
	c.Config.PMC.Cohorts = slices.Clone(s.Config.PMC.Cohorts)
	return &c
}

// BaseHash identifies the resolved base scenario (after the experiment's set overrides): the
// scenario Hash. A sweep folder records it, so that a resume or a merge can refuse to mix
// runs of two different bases even when the experiment file itself did not change.
func (e *Experiment) BaseHash() (string, error) {
	b, err := e.Base()
	if err != nil {
		return "", err
	}
	return Hash(b), nil
}

// Hash identifies the experiment: sha256 of its file's bytes.
func (e *Experiment) Hash() string {
	h := sha256.Sum256(e.Data)
	return hex.EncodeToString(h[:])
}

// Plan is an experiment compiled into design points.
type Plan struct {
	// Names are the factor paths, Columns their columns in the sweep's tables (Factor.Column),
	// Points the design matrix (one row per point, in the design's numeric scale: categorical
	// levels as indices), Values the settings applied per point.
	Names   []string
	Columns []string
	Points  [][]float64
	Values  [][]string
	// Saltelli or Morris hold the design layout the sensitivity analysis needs.
	Saltelli *design.SaltelliLayout
	Morris   *design.MorrisDesign
	Reps     int

	kinds   []reflect.Kind // each factor's field kind
	numeric []bool         // whether a factor is a range (its values are numbers)
}

// Runs is the number of runs in the plan: points times replications.
func (p *Plan) Runs() int { return len(p.Points) * p.Reps }

// Runs returns the number of runs the experiment declares.
func (e *Experiment) Runs() (int, error) {
	p, err := e.Plan()
	if err != nil {
		return 0, err
	}
	return p.Runs(), nil
}

// Column is the name of the factor's column in the sweep's tables: Name, or Path.
func (f Factor) Column() string {
	if f.Name != "" {
		return f.Name
	}
	return f.Path
}

// columnName is what a factor's Name may be: an identifier Stata (32 characters at most), R and
// SQL take as it is.
var columnName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,31}$`)

// reservedColumns are the other columns of runs.csv, points.csv and sensitivity.csv.
var reservedColumns = []string{"run_id", "point", "replication", "seed", "status", "error", "group", "metric", "n",
	"final_mean", "final_sd", "horizon_mean", "horizon_sd", "method", "factor", "index", "value", "low_90", "high_90"}

// morrisApplied is each step's change on the unit scale of the value the runs get: the
// design's for a real-valued range; for a whole-number field, between the rounded values over
// the range; for a factor with levels, between the levels' positions, level c of n at
// c/(n-1).
func (e *Experiment) morrisApplied(fs []design.Factor, md design.MorrisDesign) [][]float64 {
	unit := func(i int, x float64) float64 {
		f := e.Factors[i]
		switch {
		case len(f.Levels) > 0:
			return float64(fs[i].Category(x)) / float64(len(f.Levels)-1)
		case wholeKind(e.kinds[f.Path]):
			return (math.Round(x) - *f.Min) / (*f.Max - *f.Min)
		}
		return (x - *f.Min) / (*f.Max - *f.Min)
	}
	out := make([][]float64, md.R)
	for t := range out {
		out[t] = make([]float64, md.K)
		for s, i := range md.Factor[t] {
			f := e.Factors[i]
			if len(f.Levels) == 0 && !wholeKind(e.kinds[f.Path]) {
				out[t][s] = math.Copysign(md.DeltaUnit, md.Delta[t][s]) // the design's, exactly
				continue
			}
			out[t][s] = unit(i, md.Points[md.Row(t, s+1)][i]) - unit(i, md.Points[md.Row(t, s)][i])
		}
	}
	return out
}

// sameLevel says two levels are one value: the same text, or the same number ("2", "2.0").
func sameLevel(a, b string) bool {
	if strings.TrimSpace(a) == strings.TrimSpace(b) {
		return true
	}
	x, errA := strconv.ParseFloat(strings.TrimSpace(a), 64)
	y, errB := strconv.ParseFloat(strings.TrimSpace(b), 64)
	return errA == nil && errB == nil && x == y
}

// minSobolSamples is the fewest base samples a sobol design takes.
const minSobolSamples = 8

// wholeKind says a field of this kind takes whole numbers: a design's values are rounded.
func wholeKind(kind reflect.Kind) bool {
	return kind == reflect.Int || kind == reflect.Int64 || kind == reflect.Uint64
}

// morrisProblem says why a factor with levels cannot take part in a morris design of p grid
// levels, or "": a step that stays on one level (the design bins its grid into the levels),
// or a level no grid value reaches. (A range always works: a whole-number range has
// whole-number ends, so every step, at least half the range, changes the rounded value.)
func (f Factor) morrisProblem(p int) string {
	if len(f.Levels) == 0 {
		return ""
	}
	df := f.designFactor()
	works := func(p int) (ok bool, visited []string) {
		at := func(g int) int { return df.Category(df.Scale(float64(g) / float64(p-1))) }
		seen := make([]bool, len(f.Levels))
		for g := 0; g < p; g++ {
			seen[at(g)] = true
		}
		for c, ok := range seen {
			if ok {
				visited = append(visited, f.Levels[c])
			}
		}
		if len(visited) < len(f.Levels) {
			return false, visited
		}
		for g := 0; g < p/2; g++ {
			if at(g) == at(g+p/2) {
				return false, visited
			}
		}
		return true, visited
	}
	ok, visited := works(p)
	if ok {
		return ""
	}
	if len(f.Levels) == 1 {
		return fmt.Sprintf("one level (%s) never changes (allowed: two or more levels in a morris design)", f.Levels[0])
	}
	var fits []string
	for q := 2; q <= 100 && len(fits) < 3; q += 2 {
		if ok, _ := works(q); ok {
			fits = append(fits, strconv.Itoa(q))
		}
	}
	allowed := "other levels"
	if len(fits) > 0 {
		allowed = "design.levels " + strings.Join(fits, ", ") + ", or " + allowed
	}
	if len(visited) < len(f.Levels) {
		return fmt.Sprintf("%s: design.levels %d runs only %s of its levels %s (allowed: %s)", f.Path, p, strings.Join(visited, ", "), strings.Join(f.Levels, ", "), allowed)
	}
	return fmt.Sprintf("%s: some steps of design.levels %d stay on one of its levels %s (allowed: %s)", f.Path, p, strings.Join(f.Levels, ", "), allowed)
}

func (f Factor) designFactor() design.Factor {
	if len(f.Levels) > 0 {
		return design.Categorical(f.Column(), len(f.Levels))
	}
	df := design.Continuous(f.Column(), *f.Min, *f.Max)
	steps := f.Steps
	if steps == 0 {
		steps = 3
	}
	df.Levels = make([]float64, steps)
	for i := range df.Levels {
		df.Levels[i] = *f.Min + (*f.Max-*f.Min)*float64(i)/float64(steps-1)
	}
	return df
}

// Plan compiles the design. The design's own seed is the experiment seed, so the same file
// always gives the same points.
func (e *Experiment) Plan() (*Plan, error) {
	if n := e.size(); n > MaxRuns {
		return nil, fmt.Errorf("%s runs (allowed: at most %d per experiment)", bigCount(n), MaxRuns)
	}
	if e.kinds == nil {
		return nil, fmt.Errorf("experiment %s was not checked (load it with LoadExperiment or ParseExperiment)", e.Name)
	}
	fs := make([]design.Factor, len(e.Factors))
	p := &Plan{Reps: e.Replications}
	for i, f := range e.Factors {
		fs[i] = f.designFactor()
		p.Names = append(p.Names, f.Path)
		p.Columns = append(p.Columns, f.Column())
		p.kinds = append(p.kinds, e.kinds[f.Path])
		p.numeric = append(p.numeric, len(f.Levels) == 0)
	}
	switch e.Design.Type {
	case "grid":
		n := 1
		for _, f := range fs {
			n *= len(f.Levels)
			if n > MaxRuns {
				return nil, fmt.Errorf("grid of more than %d points", MaxRuns)
			}
		}
		p.Points = design.Grid(fs)
	case "lhs":
		p.Points = design.LatinHypercube(fs, e.Design.Samples, e.Seed)
	case "sobol":
		if e.Design.Samples*(len(fs)+2) > MaxRuns {
			return nil, fmt.Errorf("sobol design of more than %d points", MaxRuns)
		}
		pts, lay := design.Saltelli(fs, e.Design.Samples, e.Seed, e.Design.SecondOrder)
		p.Points, p.Saltelli = pts, &lay
	case "morris":
		md := design.Morris(fs, e.Design.Samples, e.Design.Levels, e.Seed)
		md.Applied = e.morrisApplied(fs, md)
		p.Points, p.Morris = md.Points, &md
	default:
		return nil, fmt.Errorf("unknown design %q", e.Design.Type)
	}
	p.Values = make([][]string, len(p.Points))
	for i, row := range p.Points {
		p.Values[i] = make([]string, len(row))
		for j, x := range row {
			f := e.Factors[j]
			if len(f.Levels) > 0 {
				p.Values[i][j] = f.Levels[fs[j].Category(x)]
				continue
			}
			p.Values[i][j] = formatValue(x, e.kinds[f.Path])
		}
	}
	return p, nil
}

// Scenario returns the base scenario with point i's factor values applied.
func (p *Plan) Scenario(base *Scenario, i int) (*Scenario, error) {
	s := Clone(base)
	doc := document{Name: s.Name, Description: s.Description, Preset: s.Preset, Config: s.Config}
	root := reflect.ValueOf(&doc).Elem()
	for j, path := range p.Names {
		if j < len(p.numeric) && p.numeric[j] {
			// A number needs no YAML: it is set directly, as Set would.
			if err := setNumber(root, path, p.kinds[j], p.Values[i][j]); err != nil {
				return nil, err
			}
			continue
		}
		s.Name, s.Description, s.Preset, s.Config = doc.Name, doc.Description, doc.Preset, doc.Config
		if err := Set(s, path+"="+p.Values[i][j]); err != nil {
			return nil, err
		}
		doc = document{Name: s.Name, Description: s.Description, Preset: s.Preset, Config: s.Config}
		root = reflect.ValueOf(&doc).Elem()
	}
	s.Name, s.Description, s.Preset, s.Config = doc.Name, doc.Description, doc.Preset, doc.Config
	if err := Validate(s); err != nil {
		return nil, err
	}
	return s, nil
}

// setNumber sets the numeric field at path under root to the design value text.
func setNumber(root reflect.Value, path string, kind reflect.Kind, text string) error {
	d := newDecoder("")
	d.noPos = true
	v, ok := d.locate(root, path)
	if !ok {
		return errorOrNil(d.problems)
	}
	var err error
	switch kind {
	case reflect.Float64, reflect.Float32:
		var x float64
		if x, err = strconv.ParseFloat(text, 64); err == nil {
			v.SetFloat(x)
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		var x int64
		if x, err = strconv.ParseInt(text, 10, 64); err == nil && !v.OverflowInt(x) {
			v.SetInt(x)
		}
	case reflect.Uint64, reflect.Uint, reflect.Uint32:
		var x uint64
		if x, err = strconv.ParseUint(text, 10, 64); err == nil && !v.OverflowUint(x) {
			v.SetUint(x)
		}
	default:
		err = fmt.Errorf("not a number field")
	}
	if err != nil {
		return &LoadError{Problems: []Problem{{Path: path, Msg: fmt.Sprintf("bad value %s: %v", text, err)}}}
	}
	return nil
}

// Check builds every design point's scenario from base and checks it against the scenario
// rules, cross-field ones included (a factor's range may be valid alone, yet some combination
// of factor values break a rule). It returns nil, or an error that names the first points that
// fail (at most five), their settings and the rule, so that a sweep can refuse before any run.
func (p *Plan) Check(base *Scenario) error {
	// The points are checked on every core, each worker a contiguous block; failures are
	// then listed in point order, so the message is the same whatever the core count.
	workers := min(runtime.GOMAXPROCS(0), max(1, len(p.Points)/1000))
	failed := make([]error, len(p.Points))
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := len(p.Points)*w/workers, len(p.Points)*(w+1)/workers
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				_, failed[i] = p.Scenario(base, i)
			}
		})
	}
	wg.Wait()
	var bad []string
	n := 0
	for i, err := range failed {
		if err == nil {
			continue
		}
		n++
		if len(bad) < 5 {
			var set []string
			for j, name := range p.Names {
				set = append(set, name+"="+p.Values[i][j])
			}
			bad = append(bad, fmt.Sprintf("point %d (%s): %s", i, strings.Join(set, ", "), oneLine(err)))
		}
	}
	if n == 0 {
		return nil
	}
	return fmt.Errorf("%d of %d design points break the scenario rules, so their runs would fail; narrow the factor ranges:\n  %s", n, len(p.Points), strings.Join(bad, "\n  "))
}

// BuiltinExperiments lists the example experiments shipped under scenarios/experiments.
func BuiltinExperiments() []string {
	ents, _ := experimentFS.ReadDir("experiments")
	var out []string
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	return out
}
