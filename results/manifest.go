package results

import (
	"encoding/json"
	"fmt"
	"github.com/countysim/countysim/observe"
	"time"

	"github.com/countysim/countysim/provenance"
)

// Manifest is the content of manifest.json: what ran, when, on what (its provenance), and
// what it wrote.
type Manifest struct {
	provenance.Provenance
	Counts        Counts       `json:"counts"`
	Months        int          `json:"months"`
	StartYear     int          `json:"start_year"`
	Panel         string       `json:"panel"`
	Groups        []string     `json:"groups"`
	FigureFormats []string     `json:"figure_formats"`
	NotWritten    []NotWritten `json:"not_written"`
	Files         []FileInfo   `json:"files"`
	ScenarioYAML  string       `json:"scenario_yaml"`
	// CountyData is the counties file the world took values from (omitted: none).
	CountyData *observe.CountyData `json:"counties_file,omitempty"`
	// From is the saved state a continued run started from (omitted: a run from the start).
	From *StateRef `json:"continued_from,omitempty"`
}

// FileInfo is one output file listed in the manifest.
type FileInfo = provenance.File

// manifest renders manifest.json for the files finished so far.
func (r *Recorder) manifest(end time.Time) ([]byte, error) {
	prov := provenance.New(r.meta.Version, r.meta.Commit, r.meta.GoVersion, r.meta.Args, r.meta.Start, end)
	prov.Tool, prov.Scenario, prov.ScenarioHash, prov.Seed = r.meta.Tool, r.meta.Scenario, r.meta.ScenarioHash, provenance.SeedOf(r.meta.Seed)
	m := Manifest{
		Provenance:   prov,
		Counts:       r.counts,
		Months:       r.month,
		StartYear:    r.cfg.StartYear,
		Panel:        r.opts.Panel,
		ScenarioYAML: string(r.meta.ScenarioYAML),
		Files:        []FileInfo{},
		CountyData:   r.meta.CountyData,
		From:         r.meta.From,
	}
	for _, g := range r.groups {
		m.Groups = append(m.Groups, g.Name)
	}
	if r.opts.Plots {
		m.FigureFormats = r.opts.Formats
	}
	m.NotWritten = append([]NotWritten{}, r.opts.NotWritten...)
	for _, p := range r.partial {
		m.NotWritten = append(m.NotWritten, p.note())
	}
	if r.month < 12 {
		m.NotWritten = append(m.NotWritten, NotWritten{
			What: fmt.Sprintf("the yearly sums (flows) of %d in summary.csv: the run covers %d of its 12 months", r.cfg.StartYear, r.month),
			Ask:  "--months 12 or more",
		})
	}
	if m.FigureFormats == nil {
		m.FigureFormats = []string{}
	}
	if m.Groups == nil {
		m.Groups = []string{}
	}
	for _, f := range r.files {
		m.Files = append(m.Files, FileInfo{Name: f.name, Bytes: f.size, SHA256: f.sum})
	}
	m.Files = append(m.Files, r.included...)
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("results: manifest: %w", err)
	}
	return append(b, '\n'), nil
}

// JSONSeed is a seed as manifests write it, a JSON string of its decimal digits
// (provenance.Seed).
type JSONSeed = provenance.Seed

// JSONSeeds converts seeds for a manifest.
func JSONSeeds(seeds []uint64) []JSONSeed { return provenance.Seeds(seeds) }
