package observe

import (
	"context"
	"fmt"
	"slices"

	"github.com/countysim/countysim/sim"
)

// EnsembleGroups are the groups an ensemble track records, in the order of ensemble.csv and
// of every figure: all counties, the pilots and the others.
var EnsembleGroups = []string{"province", "pilot", "non-pilot"}

// Ensemble is the replications of one scenario: one Track per replication, each made by
// NewEnsembleTrack. Replication r of every ensemble in a comparison must have been run with the
// same seed, so that differences between scenarios are paired (common random numbers).
type Ensemble struct {
	Name        string
	Description string
	Preset      string
	Hash        string // of the resolved scenario
	YAML        []byte // the resolved scenario
	Config      sim.Config
	Tracks      []*Track // by replication
	// Map holds the county outcomes of the first replication, for the map of a comparison
	// (nil when not collected).
	Map *CountyOutcomes
	// CountyData is the counties file the world took values from (nil: none).
	CountyData *CountyData
}

// NewEnsembleTrack prepares the track of one replication of m: the groups province, pilot
// and non-pilot (in that order, the order of ensemble.csv), every metric.
func NewEnsembleTrack(m *sim.Model) (*Track, error) { return NewTrack(m, EnsembleGroups) }

// Check reports an ensemble that cannot be summarised: no replications, a missing track, or
// tracks whose horizon or groups differ from the config.
func (e *Ensemble) Check() error {
	if len(e.Tracks) == 0 {
		return fmt.Errorf("scenario %s: no replications", e.Name)
	}
	for r, t := range e.Tracks {
		if t == nil {
			return fmt.Errorf("scenario %s: replication %d has no results", e.Name, r)
		}
		if t.Months != e.Config.Months || !slices.Equal(t.Groups, EnsembleGroups) {
			return fmt.Errorf("scenario %s: replication %d recorded %d months of groups %v, want %d months of %v",
				e.Name, r, t.Months, t.Groups, e.Config.Months, EnsembleGroups)
		}
	}
	return nil
}

// Collect returns f of every replication's track, appended to dst[:0].
func (e *Ensemble) Collect(dst []float64, f func(t *Track) float64) []float64 {
	dst = dst[:0]
	for _, t := range e.Tracks {
		dst = append(dst, f(t))
	}
	return dst
}

// Replicate runs one replication of cfg with seed and returns its ensemble track.
func Replicate(ctx context.Context, cfg sim.Config, seed uint64) (*Track, error) {
	return Run(ctx, cfg, seed, NewEnsembleTrack)
}

// ScenarioRecord is one scenario of an EnsembleManifest.
type ScenarioRecord struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Hash        string `json:"hash"`
	Counties    int    `json:"counties"`
	Towns       int    `json:"towns"`
	YAML        string `json:"yaml"`
	// CountyData is the counties file the world took values from (omitted: none).
	CountyData *CountyData `json:"counties_file,omitempty"`
}

// CountyData records a counties file a scenario's world took county values from: its path as
// the scenario gives it, the SHA-256 of its bytes, how many counties it gave values of and how
// many the world has (the others keep their census-derived values).
type CountyData struct {
	Path     string `json:"path"`
	SHA256   string `json:"sha256"`
	Given    int    `json:"counties_given"`
	Counties int    `json:"counties"`
}
