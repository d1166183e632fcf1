package calibrate

import (
	"math"
	"strconv"
	"strings"

	"github.com/countysim/countysim/calibrate/spec"
	"github.com/countysim/countysim/results"
)

// Calibration is a declared calibration (package spec reads the file).
type Calibration = spec.Calibration

// Settings are the sampler's settings of a calibration file.
type Settings = spec.Settings

// Target is one target of a calibration file.
type Target = spec.Target

// Load reads a calibration file (spec.Load).
func Load(path string) (*Calibration, error) { return spec.Load(path) }

// Parse reads a calibration from YAML (spec.Parse).
func Parse(name string, data []byte) (*Calibration, error) { return spec.Parse(name, data) }

// MetricNames lists the county metrics a target can use.
func MetricNames() []string { return spec.MetricNames() }

// priorsOf returns the parameters' priors in order.
func priorsOf(c *Calibration) []Prior {
	ps := make([]Prior, len(c.Parameters))
	for i, p := range c.Parameters {
		ps[i] = Prior{Min: *p.Min, Max: *p.Max}
		if p.Prior == "normal" {
			ps[i].Normal, ps[i].Mean, ps[i].SD = true, *p.Mean, *p.SD
		}
	}
	return ps
}

// langOf is the language of the outputs: c.Lang, English when empty.
func langOf(c *Calibration) results.Lang {
	if c.Lang == string(results.Chinese) {
		return results.Chinese
	}
	return results.English
}

func isBad(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", "; ") }

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
