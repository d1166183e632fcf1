package results

import (
	"encoding/json"
	"fmt"
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
	Seed            uint64       `json:"seed"`
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
		Seed:            r.meta.Seed,
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
