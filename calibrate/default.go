package calibrate

import (
	"bytes"
	_ "embed" // the shipped default posterior
	"encoding/json"
	"fmt"
)

// DefaultSource names the shipped default posterior in messages and manifests.
const DefaultSource = "calibrate/default/posterior.csv"

//go:embed default/posterior.csv
var defaultPosteriorCSV []byte

//go:embed default/record.json
var defaultRecordJSON []byte

// DefaultRecord is the record of the calibration run that produced the shipped default
// posterior: what was run, on which model commit, at what cost, and how well each target was
// met (calibrate/default/record.json; documented in docs/MODEL.md, Calibration).
type DefaultRecord struct {
	Calibration     string          `json:"calibration"`
	CalibrationFile string          `json:"calibration_file"`
	ModelCommit     string          `json:"model_commit"`
	ModelVersion    string          `json:"model_version"`
	Command         string          `json:"command"`
	Date            string          `json:"date"`
	Runs            int             `json:"runs"`
	Generations     int             `json:"generations"`
	Particles       int             `json:"particles"` // in the posterior (the last generation may be cut short by the run budget)
	FinalTolerance  float64         `json:"final_tolerance"`
	Stopped         string          `json:"stopped"`
	WallSeconds     float64         `json:"wall_seconds"`
	CPUSeconds      float64         `json:"cpu_seconds"`
	PeakRSSMB       float64         `json:"peak_rss_mb"`
	Targets         []DefaultTarget `json:"targets"`
}

// DefaultTarget is one target of the default calibration and how well the posterior met it.
type DefaultTarget struct {
	Name          string  `json:"name"`
	Value         float64 `json:"value"`
	Tolerance     float64 `json:"tolerance"`
	PosteriorMean float64 `json:"posterior_mean"`
	Met           bool    `json:"met"`
}

// Default returns the record of the shipped default posterior.
func Default() (DefaultRecord, error) {
	var rec DefaultRecord
	d := json.NewDecoder(bytes.NewReader(defaultRecordJSON))
	d.DisallowUnknownFields()
	if err := d.Decode(&rec); err != nil {
		return rec, fmt.Errorf("calibrate/default/record.json: %w", err)
	}
	return rec, nil
}

// DefaultPosterior returns the shipped default posterior. Its parameter columns that are no
// longer scenario fields (after a model change) are dropped and listed in Missing, so the
// caller can warn; ModelCommit is the commit the calibration ran on.
func DefaultPosterior() (*Posterior, error) {
	rec, err := Default()
	if err != nil {
		return nil, err
	}
	p, err := readPosterior(DefaultSource, bytes.NewReader(defaultPosteriorCSV), true)
	if err != nil {
		return nil, err
	}
	p.ModelCommit = rec.ModelCommit
	return p, nil
}
