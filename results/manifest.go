package results

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Manifest is the content of manifest.json: what ran, when, on what, and what it wrote.
type Manifest struct {
	Tool            string       `json:"tool"`
	Version         string       `json:"version"`
	Commit          string       `json:"commit"`
	GoVersion       string       `json:"go_version"`
	Scenario        string       `json:"scenario"`
	ScenarioHash    string       `json:"scenario_hash"`
	Seed            JSONSeed     `json:"seed"` // a string: see JSONSeed
	Args            []string     `json:"args"`
	Start           time.Time    `json:"start"`
	End             time.Time    `json:"end"`
	DurationSeconds float64      `json:"duration_seconds"`
	Counts          Counts       `json:"counts"`
	Months          int          `json:"months"`
	StartYear       int          `json:"start_year"`
	Panel           string       `json:"panel"`
	Groups          []string     `json:"groups"`
	FigureFormats   []string     `json:"figure_formats"`
	NotWritten      []NotWritten `json:"not_written"`
	Files           []FileInfo   `json:"files"`
	ScenarioYAML    string       `json:"scenario_yaml"`
}

// FileInfo is one output file listed in the manifest.
type FileInfo struct {
	Name   string `json:"name"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// manifest renders manifest.json for the files finished so far.
func (r *Recorder) manifest(end time.Time) ([]byte, error) {
	m := Manifest{
		Tool:            r.meta.Tool,
		Version:         r.meta.Version,
		Commit:          r.meta.Commit,
		GoVersion:       r.meta.GoVersion,
		Scenario:        r.meta.Scenario,
		ScenarioHash:    r.meta.ScenarioHash,
		Seed:            JSONSeed(r.meta.Seed),
		Args:            r.meta.Args,
		Start:           r.meta.Start.UTC(),
		End:             end.UTC(),
		DurationSeconds: end.Sub(r.meta.Start).Seconds(),
		Counts:          r.counts,
		Months:          r.month,
		StartYear:       r.cfg.StartYear,
		Panel:           r.opts.Panel,
		ScenarioYAML:    string(r.meta.ScenarioYAML),
		Files:           []FileInfo{},
	}
	for _, g := range r.groups {
		m.Groups = append(m.Groups, g.Name)
	}
	if r.opts.Plots {
		m.FigureFormats = r.opts.Formats
	}
	m.NotWritten = append([]NotWritten{}, r.opts.NotWritten...)
	if m.FigureFormats == nil {
		m.FigureFormats = []string{}
	}
	if m.Groups == nil {
		m.Groups = []string{}
	}
	if m.Args == nil {
		m.Args = []string{}
	}
	for _, f := range r.files {
		m.Files = append(m.Files, FileInfo{Name: f.name, Bytes: f.size, SHA256: f.sum})
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("results: manifest: %w", err)
	}
	return append(b, '\n'), nil
}

// JSONSeed is a seed as manifests write it: a JSON string of its decimal digits. Seeds use all
// 64 bits, and readers that hold JSON numbers as doubles (R's jsonlite, Stata, JavaScript,
// pandas) would round any seed above 2^53; a string keeps every digit. It reads back a string
// or a bare number, so manifests written before seeds became strings still read.
type JSONSeed uint64

// MarshalJSON writes the seed as a quoted decimal.
func (s JSONSeed) MarshalJSON() ([]byte, error) {
	return strconv.AppendQuote(nil, strconv.FormatUint(uint64(s), 10)), nil
}

// UnmarshalJSON reads a quoted or bare decimal seed.
func (s *JSONSeed) UnmarshalJSON(b []byte) error {
	t := string(b)
	if u, err := strconv.Unquote(t); err == nil {
		t = u
	}
	v, err := strconv.ParseUint(t, 10, 64)
	if err != nil {
		return fmt.Errorf("seed %s: not a whole number from 0 to 18446744073709551615", b)
	}
	*s = JSONSeed(v)
	return nil
}

// JSONSeeds converts seeds for a manifest.
func JSONSeeds(seeds []uint64) []JSONSeed {
	out := make([]JSONSeed, len(seeds))
	for i, s := range seeds {
		out[i] = JSONSeed(s)
	}
	return out
}
