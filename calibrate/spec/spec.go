// Package spec reads calibration files: what is uncertain (scenario fields with their
// priors), what it is held against (targets computed from a run's county outputs) and how the
// sampler runs. Package calibrate runs what a spec declares. The reader is apart from the
// sampler so that what reads untrusted files (and is fuzzed) does not carry the figures and
// tables the sampler writes.
package spec

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/countysim/countysim/scenarios"
	"github.com/countysim/countysim/sim"
)

// Calibration is a declared calibration: what is uncertain, what it is held against, and how
// the sampler runs. It is saved beside its results, so a calibration can be repeated from its
// record alone.
type Calibration struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	// Scenario is the base: a built-in name or a file path (relative to the calibration file).
	Scenario string `yaml:"scenario"`
	// Set overrides base fields, path: value, before the parameters are applied.
	Set        map[string]string `yaml:"set"`
	Parameters []Parameter       `yaml:"parameters"`
	Targets    []Target          `yaml:"targets"`
	ABC        Settings          `yaml:"abc"`
	Seed       uint64            `yaml:"seed"`
	// Lang is the language of the report, plots and printed summary, "en" or "zh" ("": the
	// locale's); --lang overrides.
	Lang string `yaml:"lang"`

	// Source is where the calibration came from; Data its exact bytes.
	Source string `yaml:"-"`
	Data   []byte `yaml:"-"`
}

// Parameter is one uncertain scenario field with its prior: uniform on [min, max], or normal
// (mean, sd) truncated to [min, max].
type Parameter struct {
	Path  string   `yaml:"path"`
	Prior string   `yaml:"prior"`
	Min   *float64 `yaml:"min"`
	Max   *float64 `yaml:"max"`
	Mean  *float64 `yaml:"mean"`
	SD    *float64 `yaml:"sd"`
}

// Target is one structural magnitude of a run. For each county the metric is averaged over
// the months window (both ends included, 0-based month indices), or, with Over, summed and
// divided by the sum of the Over metric; Stat then reduces the counties: mean, median or pNN
// (the NNth percentile). With From the target is the change of that statistic from the From
// window to the Months window (a drift), and with Relative that change as a share of the From
// value (e.g. -0.5 for a cut by half).
type Target struct {
	Name      string   `yaml:"name"`
	Metric    string   `yaml:"metric"`
	Over      string   `yaml:"over"`
	Stat      string   `yaml:"stat"`
	Months    []int    `yaml:"months"`
	From      []int    `yaml:"from"`
	Relative  bool     `yaml:"relative"`
	Value     *float64 `yaml:"value"`
	Tolerance *float64 `yaml:"tolerance"`
	Source    string   `yaml:"source"`
}

// Settings are the ABC-SMC sampler's (see Run): Population particles per generation,
// Proposals runs per round (generation 0 is one round from the priors, keeping the Population
// closest), the tolerance of each later generation the Quantile quantile of the previous
// generation's distances; at most Generations generations and MaxRuns runs, fewer when the
// tolerance reaches MinEpsilon or the acceptance rate falls below MinAcceptance.
type Settings struct {
	Population    int     `yaml:"population"`
	Proposals     int     `yaml:"proposals"`
	Generations   int     `yaml:"generations"`
	Quantile      float64 `yaml:"quantile"`
	MinEpsilon    float64 `yaml:"min_epsilon"`
	MinAcceptance float64 `yaml:"min_acceptance"`
	MaxRuns       int     `yaml:"max_runs"`
}

// Runs is the largest number of model runs the calibration can make.
func (c *Calibration) Runs() int { return c.ABC.MaxRuns }

// Hash identifies the calibration: sha256 of its file's bytes.
func (c *Calibration) Hash() string {
	h := sha256.Sum256(c.Data)
	return hex.EncodeToString(h[:])
}

// maxRuns bounds a calibration's size.
const maxRuns = 10_000_000

// Load reads a calibration file.
func Load(path string) (*Calibration, error) {
	data, err := scenarios.ReadFile("calibration", path) // at most 1 MiB, as scenario files
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse reads a calibration from YAML as strictly as scenario files are read: every problem
// is reported with file:line:col, the field, the bad value and what is allowed.
func Parse(name string, data []byte) (*Calibration, error) {
	c := Calibration{Seed: 1, ABC: Settings{Population: 200, Proposals: 400, Generations: 5, Quantile: 0.5, MinAcceptance: 0.02, MaxRuns: 4000}}
	d := &decoder{file: name, at: map[string]*yaml.Node{}}
	if p := scenarios.NotUTF8(name, data); p != nil {
		return nil, &scenarios.LoadError{Problems: []scenarios.Problem{*p}}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		d.add(nil, "", "cannot read YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		return nil, d.err()
	}
	if len(root.Content) > 0 {
		d.value("", root.Content[0], reflect.ValueOf(&c).Elem())
	}
	if err := d.err(); err != nil {
		return nil, err
	}
	c.Source, c.Data = name, data
	if c.Name == "" {
		c.Name = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	}
	c.check(d)
	if err := d.err(); err != nil {
		return nil, err
	}
	return &c, nil
}

// decoder decodes a YAML node tree into a struct by yaml tags, refusing unknown keys and
// values of the wrong type, and remembers the node of every field path for later messages.
type decoder struct {
	file     string
	problems []scenarios.Problem
	at       map[string]*yaml.Node
	visited  int
}

// maxNodes bounds the values one file may hold once aliases are expanded, so that a small file
// full of aliases cannot make loading take unbounded time.
const maxNodes = 100_000

func (d *decoder) add(n *yaml.Node, path, format string, a ...any) {
	p := scenarios.Problem{File: d.file, Path: path, Msg: fmt.Sprintf(format, a...), Line: 1, Col: 1}
	if n != nil && n.Line > 0 {
		p.Line, p.Col = n.Line, n.Column
	}
	d.problems = append(d.problems, p)
}

// place returns the node that set path or its nearest parent's.
func (d *decoder) place(path string) *yaml.Node {
	for p := path; ; {
		if n, ok := d.at[p]; ok {
			return n
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			return nil
		}
		p = p[:i]
	}
}

func (d *decoder) err() error {
	if len(d.problems) == 0 {
		return nil
	}
	sort.SliceStable(d.problems, func(i, j int) bool {
		a, b := d.problems[i], d.problems[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return &scenarios.LoadError{Problems: d.problems}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func (d *decoder) value(path string, n *yaml.Node, v reflect.Value) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if d.visited++; d.visited > maxNodes {
		if d.visited == maxNodes+1 {
			d.add(n, path, "more than %d values once aliases are expanded", maxNodes)
		}
		return
	}
	d.at[path] = n
	if n.Tag == "!!null" && v.Kind() != reflect.String {
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			d.add(n, path, "expected a mapping of keys, got %s", describe(n))
			return
		}
		t := v.Type()
		var keys []string
		idx := map[string]int{}
		for i := 0; i < t.NumField(); i++ {
			tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
			if tag == "" || tag == "-" {
				continue
			}
			keys = append(keys, tag)
			idx[tag] = i
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			p := join(path, k.Value)
			j, ok := idx[k.Value]
			if !ok {
				d.add(k, p, "unknown key %q%s (allowed: %s)", k.Value, suggest(k.Value, keys), strings.Join(keys, ", "))
				continue
			}
			if seen[k.Value] {
				d.add(k, p, "key %q given twice", k.Value)
				continue
			}
			seen[k.Value] = true
			d.value(p, val, v.Field(j))
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.add(n, path, "expected a list, got %s", describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			d.value(fmt.Sprintf("%s[%d]", path, i), item, s.Index(i))
		}
		v.Set(s)
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.add(n, path, "expected a mapping of path: value, got %s", describe(n))
			return
		}
		m := reflect.MakeMap(v.Type())
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if val.Kind != yaml.ScalarNode {
				d.add(val, join(path, k.Value), "expected a single value, got %s", describe(val))
				continue
			}
			d.at[join(path, k.Value)] = val
			m.SetMapIndex(reflect.ValueOf(k.Value), reflect.ValueOf(val.Value))
		}
		v.Set(m)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		d.value(path, n, p.Elem())
		v.Set(p)
	default:
		if n.Kind != yaml.ScalarNode {
			d.add(n, path, "expected %s, got %s", kindName(v.Kind()), describe(n))
			return
		}
		// A whole-number field takes a YAML integer only: the yaml package truncates 2.5 to 2
		// and turns 2^64 (a float to YAML) into another uint64.
		whole := v.Kind() == reflect.Int || v.Kind() == reflect.Uint64
		if err := n.Decode(v.Addr().Interface()); err != nil || whole && n.ShortTag() != "!!int" {
			d.add(n, path, "bad value %q%s (allowed: %s)", n.Value, beyondType(n, v.Kind()), allowedValue(path, v.Kind()))
		}
	}
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("%q", n.Value)
}

// wholeAllowed is what the calibration's whole-number fields may be, said when a value is not
// one (1e300, a fraction, a number beyond the type); check holds them to the same ranges.
var wholeAllowed = map[string]string{
	"seed":            "a whole number from 0 to 18446744073709551615",
	"abc.population":  "a whole number from 2 to 1000000",
	"abc.proposals":   "a whole number from abc.population to 10000000",
	"abc.generations": "a whole number from 1 to 100",
	"abc.max_runs":    fmt.Sprintf("a whole number from abc.proposals to %d", maxRuns),
}

// allowedValue is what the field at path may be: its range for a whole-number field the
// calibration bounds, else its kind.
func allowedValue(path string, k reflect.Kind) string {
	if a, ok := wholeAllowed[path]; ok {
		return a
	}
	return kindName(k)
}

// beyondType says ": too large" (or ": too small") of a whole number outside the range of a
// whole-number kind k (int, uint64), such as 99999999999999999999999 or 1e300; else "".
func beyondType(n *yaml.Node, k reflect.Kind) string {
	f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	if err != nil && !math.IsInf(f, 0) || math.IsNaN(f) || f != math.Trunc(f) {
		return ""
	}
	switch {
	case k == reflect.Int && f >= math.MaxInt64, k == reflect.Uint64 && f >= math.MaxUint64:
		return ": too large"
	case k == reflect.Int && f < math.MinInt64:
		return ": too small"
	}
	return ""
}

func kindName(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "text"
	case reflect.Int:
		return "a whole number"
	case reflect.Uint64:
		return "a whole number from 0"
	case reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	}
	return k.String()
}

// suggest names the nearest known key, if one is close.
func suggest(name string, known []string) string {
	best, bestD := "", -1
	for _, k := range known {
		if dd := editDistance(name, k); bestD < 0 || dd < bestD {
			best, bestD = k, dd
		}
	}
	if bestD < 0 || bestD > max(2, len(name)/3) || bestD >= len(name) {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// MetricNames lists the county metrics a target can use.
func MetricNames() []string {
	ns := make([]string, len(sim.Metrics))
	for i, m := range sim.Metrics {
		ns[i] = m.Name
	}
	return ns
}

// MetricIndex is the index of the county metric name in sim.Metrics, -1 if there is none.
func MetricIndex(name string) int {
	for i, m := range sim.Metrics {
		if m.Name == name {
			return i
		}
	}
	return -1
}

var percentile = regexp.MustCompile(`^p([0-9]{1,2})$`)

// StatQuantile returns the quantile a stat names (mean: -1).
func StatQuantile(stat string) (float64, bool) {
	switch stat {
	case "mean":
		return -1, true
	case "median":
		return 0.5, true
	}
	if m := percentile.FindStringSubmatch(stat); m != nil {
		p, _ := strconv.Atoi(m[1])
		if p >= 1 && p <= 99 {
			return float64(p) / 100, true
		}
	}
	return 0, false
}

// fixed are scenario paths a calibration may not vary.
var fixed = []string{"seed", "months", "preset", "name", "description", "start_year"}

// check validates fields and cross-field rules.
func (c *Calibration) check(d *decoder) {
	bad := func(path, format string, a ...any) { d.add(d.place(path), path, format, a...) }
	base, err := c.Base()
	if err != nil {
		for _, p := range scenarios.PlaceBaseError(err, c.Set) {
			bad(p.Path, "%s", p.Msg) // a calibration's problems are said in English
		}
		return
	}
	months := base.Config.Months
	if len(c.Parameters) == 0 {
		bad("parameters", "no parameters (allowed: a list of {path, min, max} or {path, prior: normal, mean, sd, min, max})")
	}
	seen := map[string]bool{}
	for i, p := range c.Parameters {
		at := fmt.Sprintf("parameters[%d]", i)
		if p.Path == "" {
			bad(at, "no path (allowed: a numeric scenario field, e.g. economy.tax_rate)")
			continue
		}
		if seen[p.Path] {
			bad(at+".path", "%q is calibrated twice", p.Path)
		}
		seen[p.Path] = true
		if slices.Contains(fixed, p.Path) {
			bad(at+".path", "%s cannot be calibrated (it is not a behavioural parameter)", p.Path)
			continue
		}
		if p.Min == nil || p.Max == nil || !(*p.Min < *p.Max) || isBad(*p.Min) || isBad(*p.Max) {
			got := "missing"
			if p.Min != nil && p.Max != nil {
				got = fmt.Sprintf("min %g, max %g", *p.Min, *p.Max)
			}
			bad(at, "a prior needs finite min and max with min < max (got %s)", got)
			continue
		}
		switch p.Prior {
		case "", "uniform":
			if p.Mean != nil || p.SD != nil {
				bad(at, "a uniform prior takes min and max only (for mean and sd write prior: normal)")
			}
		case "normal":
			if p.Mean == nil || p.SD == nil || !(*p.SD > 0) || isBad(*p.Mean) || isBad(*p.SD) {
				bad(at, "a normal prior needs mean and sd > 0 (and min, max: the support it is truncated to)")
			} else if m := normalMass(*p.Mean, *p.SD, *p.Min, *p.Max); m < minPriorMass {
				// Sampling it by rejection would fail, or take very long, in generation 0.
				bad(at, "a normal prior with mean %g and sd %g puts %.2g of its mass in [%g, %g] (allowed: at least %g; move the mean toward the range or widen sd)", *p.Mean, *p.SD, m, *p.Min, *p.Max, minPriorMass)
			}
		default:
			bad(at+".prior", "bad value %q (allowed: uniform, normal)", p.Prior)
			continue
		}
		// Both ends and an inner, non-whole value must be valid settings of the base scenario:
		// that refuses unknown paths, whole-number and non-numeric fields.
		probe := *p.Min + 0.3183098861837907*(*p.Max-*p.Min)
		for _, v := range []float64{*p.Min, *p.Max, probe} {
			s := scenarios.Clone(base)
			if err := scenarios.Set(s, p.Path+"="+formatFloat(v)); err != nil {
				if v == probe {
					bad(at+".path", "%s cannot take the value %s: %s (allowed: a real-valued scenario field)", p.Path, formatFloat(v), oneLine(err))
				} else {
					bad(at+".path", "cannot set %s: %s", p.Path, oneLine(err))
				}
				break
			}
			if err := scenarios.Validate(s); err != nil {
				bad(at, "value %s is not allowed: %s", formatFloat(v), oneLine(err))
				break
			}
		}
	}
	if len(c.Targets) == 0 {
		bad("targets", "no targets (allowed: a list of {name, metric, stat, months, value, tolerance})")
	}
	names := map[string]bool{}
	metrics := MetricNames()
	for i, t := range c.Targets {
		at := fmt.Sprintf("targets[%d]", i)
		if t.Name == "" || strings.ContainsAny(t.Name, ", \t\"") {
			bad(at+".name", "bad value %q (allowed: a name without spaces or commas)", t.Name)
		} else if names[t.Name] {
			bad(at+".name", "%q is used twice", t.Name)
		}
		names[t.Name] = true
		if MetricIndex(t.Metric) < 0 {
			bad(at+".metric", "unknown metric %q%s (allowed: a county metric, see countysim's metrics.csv)", t.Metric, suggest(t.Metric, metrics))
		}
		if t.Over != "" && MetricIndex(t.Over) < 0 {
			bad(at+".over", "unknown metric %q%s (allowed: a county metric)", t.Over, suggest(t.Over, metrics))
		}
		if t.Stat == "" {
			bad(at+".stat", "no stat (allowed: mean, median, p1 to p99)")
		} else if _, ok := StatQuantile(t.Stat); !ok {
			bad(at+".stat", "bad value %q (allowed: mean, median, p1 to p99)", t.Stat)
		}
		for _, w := range []struct {
			key string
			v   []int
		}{{"months", t.Months}, {"from", t.From}} {
			if w.v == nil && w.key == "from" {
				continue
			}
			if len(w.v) != 2 || w.v[0] < 0 || w.v[1] < w.v[0] || w.v[1] >= months {
				bad(at+"."+w.key, "bad value %v (allowed: [first, last] month indices with 0 <= first <= last <= %d, the scenario's last month)", w.v, months-1)
			}
		}
		if t.Relative && t.From == nil {
			bad(at+".relative", "relative needs from: [first, last], the window the change is measured against")
		}
		if t.Value == nil || isBad(*t.Value) {
			bad(at+".value", "no value (allowed: the target's observed magnitude, a number)")
		}
		if t.Tolerance == nil || !(*t.Tolerance > 0) || isBad(*t.Tolerance) {
			bad(at+".tolerance", "bad or missing tolerance (allowed: a number above 0, in the target's units)")
		}
	}
	if c.Lang != "" && c.Lang != "en" && c.Lang != "zh" {
		bad("lang", "unknown language %q (allowed: en, zh)", c.Lang)
	}
	a := c.ABC
	if a.Population < 2 || a.Population > 1_000_000 {
		bad("abc.population", "bad value %d (allowed: 2 to 1000000)", a.Population)
	}
	// The proposals' range starts at the population, when that is valid (an invalid one,
	// reported above, could leave the range empty).
	pop := a.Population
	if pop < 2 || pop > 1_000_000 {
		pop = 2
	}
	if a.Proposals < pop || a.Proposals > 10_000_000 {
		bad("abc.proposals", "bad value %d (allowed: population %d to 10000000)", a.Proposals, pop)
	}
	if a.Generations < 1 || a.Generations > 100 {
		bad("abc.generations", "bad value %d (allowed: 1 to 100)", a.Generations)
	}
	if !(a.Quantile > 0 && a.Quantile < 1) {
		bad("abc.quantile", "bad value %g (allowed: above 0 and below 1)", a.Quantile)
	}
	if !(a.MinAcceptance >= 0 && a.MinAcceptance < 1) {
		bad("abc.min_acceptance", "bad value %g (allowed: 0 to below 1)", a.MinAcceptance)
	}
	// max_runs' range starts at the proposals when they are valid; invalid ones (reported
	// above) would print a range that is empty, such as proposals 9223372036854775807 to
	// 10000000, and max_runs is then held to the population's bound alone.
	switch {
	case a.Proposals >= pop && a.Proposals <= 10_000_000 && (a.MaxRuns < a.Proposals || a.MaxRuns > maxRuns):
		bad("abc.max_runs", "bad value %d (allowed: proposals %d to %d)", a.MaxRuns, a.Proposals, maxRuns)
	case (a.Proposals < pop || a.Proposals > 10_000_000) && (a.MaxRuns < pop || a.MaxRuns > maxRuns):
		bad("abc.max_runs", "bad value %d (allowed: %d to %d, and at least abc.proposals)", a.MaxRuns, pop, maxRuns)
	}
	if a.MinEpsilon < 0 || isBad(a.MinEpsilon) {
		bad("abc.min_epsilon", "bad value %g (allowed: 0 or more)", a.MinEpsilon)
	}
}

func isBad(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", "; ") }

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// Base resolves the base scenario and applies the calibration's overrides (preset first, then
// in path order).
func (c *Calibration) Base() (*scenarios.Scenario, error) {
	arg := c.Scenario
	if arg == "" {
		arg = scenarios.Default
	}
	if (strings.HasSuffix(arg, ".yaml") || strings.HasSuffix(arg, ".yml")) && !filepath.IsAbs(arg) && c.Source != "" {
		arg = filepath.Join(filepath.Dir(c.Source), arg)
	}
	s, err := scenarios.Resolve(arg)
	if err != nil {
		return nil, err
	}
	if err := scenarios.ApplySets(s, c.Set); err != nil {
		return nil, err
	}
	if err := scenarios.Validate(s); err != nil {
		return nil, err
	}
	return s, nil
}

// Names returns the parameter paths in order.
func (c *Calibration) Names() []string {
	ns := make([]string, len(c.Parameters))
	for i, p := range c.Parameters {
		ns[i] = p.Path
	}
	return ns
}

// minPriorMass is the least share of a normal prior's mass its [min, max] must hold: the
// truncated normal is sampled by rejection (calibrate's Prior.sample).
const minPriorMass = 1e-3

// normalMass is the probability a normal with mean mu and sd sd gives to [lo, hi].
func normalMass(mu, sd, lo, hi float64) float64 {
	cdf := func(x float64) float64 { return 0.5 * math.Erfc(-(x-mu)/(sd*math.Sqrt2)) }
	return cdf(hi) - cdf(lo)
}
