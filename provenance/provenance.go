// Package provenance is what every manifest says of where its outputs came from: the tool,
// its version and commit, the Go version, the command line, the scenario and its hash, the
// seeds, the times, and the files written with their hashes. run, compare, evaluate (and its
// validation), sweep (and merge, which finishes a sweep) and calibrate embed one Provenance in
// their manifest.json; a test decodes each of them back into it. It imports nothing of the
// project.
package provenance

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Provenance is the common head of every manifest. Fields a manifest has no use for are left
// out of its JSON (omitempty): a single run names its scenario and seed, a set of replications
// its replications, master seed and seed rule. The JSON field order is that of the manifests
// written before the type existed, so their bytes did not change.
type Provenance struct {
	// Tool is "countysim".
	Tool string `json:"tool"`
	// Version and Commit are the build's version and VCS commit; GoVersion the toolchain's.
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	GoVersion string `json:"go_version"`
	// Scenario is the scenario run and ScenarioHash the SHA-256 of its resolved YAML (a
	// single run; an ensemble lists its scenarios in the manifest's own fields).
	Scenario     string `json:"scenario,omitempty"`
	ScenarioHash string `json:"scenario_hash,omitempty"`
	// Seed is the run's seed, or the master seed of a sweep or calibration.
	Seed *Seed `json:"seed,omitempty"`
	// Args is the command line, program name first.
	Args []string `json:"args"`
	// Start and End bound the work (UTC); DurationSeconds is End - Start.
	Start           time.Time `json:"start"`
	End             time.Time `json:"end"`
	DurationSeconds float64   `json:"duration_seconds"`
	// Reps is the number of replications of each scenario, MasterSeed the seed they derive
	// from by SeedRule, and Seeds[r] replication r's seed.
	Reps       int    `json:"reps,omitempty"`
	MasterSeed *Seed  `json:"master_seed,omitempty"`
	SeedRule   string `json:"seed_rule,omitempty"`
	Seeds      []Seed `json:"seeds,omitempty"`
	// Machine, when set, says where the work ran. No manifest sets it yet: it would change
	// every manifest's bytes (and belongs among the golden test's volatile fields).
	Machine *Machine `json:"machine,omitempty"`
}

// Machine is where a piece of work ran.
type Machine struct {
	OS   string `json:"os"`
	Arch string `json:"arch"`
	CPUs int    `json:"cpus"`
}

// New returns the provenance of work from start to end with the given build and command line.
// Times are kept in UTC.
func New(version, commit, goVersion string, args []string, start, end time.Time) Provenance {
	if args == nil {
		args = []string{}
	}
	return Provenance{Tool: "countysim", Version: version, Commit: commit, GoVersion: goVersion, Args: args,
		Start: start.UTC(), End: end.UTC(), DurationSeconds: end.Sub(start).Seconds()}
}

// Check reports the first required field that is missing: the tool, version, commit, Go
// version, command line, start and end (End not before Start) and some seed.
func (p Provenance) Check() error {
	switch {
	case p.Tool != "countysim":
		return fmt.Errorf("provenance: tool %q, want countysim", p.Tool)
	case p.Version == "" || p.Commit == "" || p.GoVersion == "":
		return fmt.Errorf("provenance: version %q, commit %q, go_version %q: all are required", p.Version, p.Commit, p.GoVersion)
	case len(p.Args) == 0:
		return fmt.Errorf("provenance: no command line (args)")
	case p.Start.IsZero() || p.End.IsZero() || p.End.Before(p.Start):
		return fmt.Errorf("provenance: start %v, end %v: both required, end not before start", p.Start, p.End)
	case p.Seed == nil && p.MasterSeed == nil:
		return fmt.Errorf("provenance: no seed (seed or master_seed)")
	}
	return nil
}

// Decode reads the provenance of a manifest. The calibration manifest names its command line
// "command" (as it always has), and the evaluation's "scenario" is a record of its own rather
// than a name; Decode reads the one and skips the other.
func Decode(manifest []byte) (Provenance, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(manifest, &fields); err != nil {
		return Provenance{}, fmt.Errorf("provenance: %w", err)
	}
	if sc, ok := fields["scenario"]; ok && (len(sc) == 0 || sc[0] != '"') {
		delete(fields, "scenario")
	}
	b, _ := json.Marshal(fields) // re-marshalling raw messages cannot fail
	var p struct {
		Provenance
		Command []string `json:"command"`
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return Provenance{}, fmt.Errorf("provenance: %w", err)
	}
	if len(p.Args) == 0 {
		p.Args = p.Command
	}
	return p.Provenance, nil
}

// Fields returns p as the keys and values of its JSON, for manifests written as a JSON object
// of sorted keys (sweep, calibrate): the caller adds its own keys and marshals the map.
func (p Provenance) Fields() (map[string]any, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("provenance: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("provenance: %w", err)
	}
	return m, nil
}

// File is one output file a manifest lists.
type File struct {
	Name   string `json:"name"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// Seed is a seed as manifests write it: a JSON string of its decimal digits. Seeds use all
// 64 bits, and readers that hold JSON numbers as doubles (R's jsonlite, Stata, JavaScript,
// pandas) would round any seed above 2^53; a string keeps every digit. It reads back a string
// or a bare number, so manifests written before seeds became strings still read.
type Seed uint64

// SeedOf returns a pointer to s as a Seed, for Provenance.Seed and MasterSeed.
func SeedOf(s uint64) *Seed { v := Seed(s); return &v }

// MarshalJSON writes the seed as a quoted decimal.
func (s Seed) MarshalJSON() ([]byte, error) {
	return strconv.AppendQuote(nil, strconv.FormatUint(uint64(s), 10)), nil
}

// UnmarshalJSON reads a quoted or bare decimal seed.
func (s *Seed) UnmarshalJSON(b []byte) error {
	t := string(b)
	if u, err := strconv.Unquote(t); err == nil {
		t = u
	}
	v, err := strconv.ParseUint(t, 10, 64)
	if err != nil {
		return fmt.Errorf("seed %s: not a whole number from 0 to 18446744073709551615", b)
	}
	*s = Seed(v)
	return nil
}

// Seeds converts seeds for a manifest.
func Seeds(seeds []uint64) []Seed {
	out := make([]Seed, len(seeds))
	for i, s := range seeds {
		out[i] = Seed(s)
	}
	return out
}
