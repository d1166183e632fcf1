package calibrate

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/countysim/countysim/batch"
	"github.com/countysim/countysim/scenarios"
	"github.com/countysim/countysim/sim"
)

// Posterior is a weighted sample of parameter vectors, as calibrate writes it to posterior.csv.
type Posterior struct {
	Source string
	// ModelCommit is the commit of the model the posterior was calibrated on ("" if not
	// recorded); Missing lists parameter columns dropped because they are no longer scenario
	// fields (only a lenient load, as of the shipped default, drops them).
	ModelCommit string
	Missing     []string
	// SHA256 is the hex SHA-256 of the table's bytes as read.
	SHA256  string
	Names   []string    // scenario paths
	Values  [][]float64 // one row per particle
	Weights []float64   // normalised to sum 1
	// PerDraw is the number of consecutive replications that share one draw: replication r
	// uses draw r / PerDraw (0 or 1: every replication its own draw).
	PerDraw int
	// Given lists the paths a command's --set gives every scenario: a posterior parameter
	// among them is held (Held) whatever its value.
	Given []string
	cum   []float64
}

// LoadPosterior reads a posterior.csv: columns particle, run, weight, the parameter paths,
// then distance and any further columns. Every problem is reported with file:line.
func LoadPosterior(path string) (*Posterior, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("posterior %s: %w", path, err)
	}
	defer f.Close()
	return readPosterior(path, f, false)
}

// readPosterior reads a posterior table from in, naming it path in errors. A parameter column
// that is not a scenario field is an error, or with lenient dropped and listed in Missing.
func readPosterior(path string, in io.Reader, lenient bool) (*Posterior, error) {
	h := sha256.New()
	r := csv.NewReader(io.TeeReader(in, h))
	r.FieldsPerRecord = -1 // each row's count is checked against the header's, with both counts told
	head, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: the file is empty (allowed: the posterior.csv of countysim calibrate)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s:1: %w", path, err)
	}
	wi := slices.Index(head, "weight")
	di := slices.Index(head, "distance")
	if wi < 0 || di < wi+2 {
		return nil, fmt.Errorf("%s:1: not a posterior table (allowed: the posterior.csv of countysim calibrate: weight, the parameter paths, then distance)", path)
	}
	p := &Posterior{Source: path}
	probe, err := scenarios.Builtin(scenarios.Default)
	if err != nil {
		return nil, err
	}
	var cols []int // the columns kept, in order
	for c := wi + 1; c < di; c++ {
		n := head[c]
		s := scenarios.Clone(probe)
		if err := scenarios.Set(s, n+"=0.5"); err != nil {
			if lenient {
				p.Missing = append(p.Missing, n)
				continue
			}
			return nil, fmt.Errorf("%s:1: column %q is not a scenario field: %s", path, n, oneLine(err))
		}
		p.Names = append(p.Names, n)
		cols = append(cols, c)
	}
	// Each parameter's declared range, to check every particle at once rather than when drawn.
	ranges := make([][2]float64, len(p.Names))
	for k, n := range p.Names {
		ranges[k] = [2]float64{math.Inf(-1), math.Inf(1)}
		for _, prm := range sim.Params() {
			if prm.Path == n && prm.HasRange {
				ranges[k] = [2]float64{prm.Min, prm.Max}
			}
		}
	}
	var sum float64
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if len(rec) != len(head) {
			return nil, fmt.Errorf("%s:%d: %d fields, but the header has %d (allowed: one value per column: %s)",
				path, line, len(rec), len(head), strings.Join(head, ", "))
		}
		w, err := strconv.ParseFloat(rec[wi], 64)
		if err != nil || !(w >= 0) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("%s:%d: weight: bad value %q (allowed: a number from 0)", path, line, rec[wi])
		}
		row := make([]float64, len(p.Names))
		for k := range row {
			v, err := strconv.ParseFloat(rec[cols[k]], 64)
			if err != nil || isBad(v) {
				return nil, fmt.Errorf("%s:%d: %s: bad value %q (allowed: a number)", path, line, p.Names[k], rec[cols[k]])
			}
			if lo, hi := ranges[k][0], ranges[k][1]; v < lo || v > hi {
				return nil, fmt.Errorf("%s:%d: %s: bad value %g (allowed: a number from %g to %g)", path, line, p.Names[k], v, lo, hi)
			}
			row[k] = v
		}
		p.Values = append(p.Values, row)
		p.Weights = append(p.Weights, w)
		sum += w
	}
	if len(p.Values) == 0 || !(sum > 0) {
		return nil, fmt.Errorf("%s: no particles with weight", path)
	}
	var c float64
	for i := range p.Weights {
		p.Weights[i] /= sum
		c += p.Weights[i]
		p.cum = append(p.cum, c)
	}
	p.SHA256 = hex.EncodeToString(h.Sum(nil))
	return p, nil
}

// postStream separates posterior draws from every other use of the master seed.
const postStream uint64 = 0x504f53542d445257 // "POST-DRW"

// DrawOf returns the draw replication r uses: r / PerDraw.
func (p *Posterior) DrawOf(r int) int { return r / max(p.PerDraw, 1) }

// Index returns the particle replication r draws: chosen by weight with a uniform number that
// depends only on (master, DrawOf(r)), so every option of a comparison gets the same draws and
// differences stay paired.
func (p *Posterior) Index(master uint64, r int) int {
	u := float64(batch.Seed(master^postStream, p.DrawOf(r))>>11) / (1 << 53)
	i := sort.SearchFloat64s(p.cum, u)
	return min(i, len(p.cum)-1)
}

// Draw returns replication r's parameters as --set overrides, "path=value".
func (p *Posterior) Draw(master uint64, r int) []string {
	row := p.Values[p.Index(master, r)]
	out := make([]string, len(row))
	for k, v := range row {
		out[k] = p.Names[k] + "=" + formatFloat(v)
	}
	return out
}

// Config returns s's configuration with replication r's draw applied (s is left unchanged).
func (p *Posterior) Config(s *scenarios.Scenario, master uint64, r int) (sim.Config, error) {
	c := scenarios.Clone(s)
	if err := p.Apply(c, master, r); err != nil {
		return sim.Config{}, err
	}
	return c.Config, nil
}

// Held returns the posterior's parameters that scenario s sets itself, to a value other than
// the model's default (sim.DefaultConfig), or that --set gives (Given): s keeps its own value
// of them, and their draws do not apply to it. A placebo that sets prefecture.keep_share to 0,
// or a --set of economy.tax_rate, is what it says, not overridden by the draws. (A scenario
// file that sets a parameter to exactly the default value cannot be told from one that
// leaves it: that parameter is drawn.)
func (p *Posterior) Held(s *scenarios.Scenario) ([]string, error) {
	def := &scenarios.Scenario{Config: sim.DefaultConfig()}
	var held []string
	for _, name := range p.Names {
		v, err := scenarios.Field(s, name)
		if err != nil {
			return nil, fmt.Errorf("posterior %s: %w", p.Source, err)
		}
		d, err := scenarios.Field(def, name)
		if err != nil {
			return nil, fmt.Errorf("posterior %s: %w", p.Source, err)
		}
		if v != d || slices.Contains(p.Given, name) {
			held = append(held, name)
		}
	}
	return held, nil
}

// Apply sets replication r's draw on s, but for the parameters s holds (Held), and validates
// the result.
func (p *Posterior) Apply(s *scenarios.Scenario, master uint64, r int) error {
	held, err := p.Held(s)
	if err != nil {
		return err
	}
	for k, a := range p.Draw(master, r) {
		if slices.Contains(held, p.Names[k]) {
			continue
		}
		if err := scenarios.Set(s, a); err != nil {
			return fmt.Errorf("posterior %s: %w", p.Source, err)
		}
	}
	if err := scenarios.Validate(s); err != nil {
		return fmt.Errorf("posterior %s, replication %d: %w", p.Source, r, err)
	}
	return nil
}
