package results

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"gonum.org/v1/plot/vg/draw"

	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/provenance"
	"github.com/countysim/countysim/sim"
)

// EnsembleFile is the name of the ensemble table.
const EnsembleFile = "ensemble.csv"

// WriteEnsembleCSV streams the ensemble table of es to w: for every scenario, group, month
// and metric of Defs(), in that order, the mean and the 5th, 50th and 95th percentiles of the
// metric across replications. month is 1-based and year is start_year + (month-1)/12, as in
// series.csv. Replications in which the group was empty that month are left out of its
// statistics; a month in which it was empty in every replication has no rows.
func WriteEnsembleCSV(w io.Writer, es []*observe.Ensemble) error {
	t, err := newCSVTable(w, EnsembleFile, []column{
		{"scenario", colString}, {"group", colString}, {"month", colInt}, {"year", colInt},
		{"metric", colString}, {"mean", colFloat}, {"p5", colFloat}, {"p50", colFloat}, {"p95", colFloat},
	})
	if err != nil {
		return err
	}
	defs := observe.Defs()
	var xs []float64
	var row []cell
	for _, e := range es {
		if err := e.Check(); err != nil {
			return err
		}
		for g, group := range plotGroups {
			for mo := range e.Config.Months {
				month, year := mo+1, e.Config.StartYear+mo/12
				for k, d := range defs {
					xs = e.Collect(xs, func(t *observe.Track) float64 { return t.At(g, mo, k) })
					s := observe.SummariseInPlace(xs) // xs is collected again for the next metric
					if s.N == 0 {
						continue
					}
					row = append(row[:0], str(e.Name), str(group), integer(month), integer(year), str(d.Name),
						float(s.Mean), float(s.P5), float(s.P50), float(s.P95))
					if err := t.write(row); err != nil {
						return err
					}
				}
			}
		}
	}
	return t.flush()
}

// EnsembleMeta describes a set of replications for the manifest: the tool, the command line,
// the seeds and when the runs started.
type EnsembleMeta struct {
	Tool      string
	Version   string
	Commit    string
	GoVersion string
	Args      []string
	// MasterSeed and SeedRule say how Seeds were derived; Seeds[r] is replication r's seed,
	// the same for every scenario.
	MasterSeed uint64
	SeedRule   string
	Seeds      []uint64
	Start      time.Time // zero: the time writing starts
	// Lang is the language of the figures and the report ("" is English).
	Lang Lang `json:"-"`
	// Counterfactual, when set, is the no-reform counterfactual run on the same seeds for the
	// report's scorecard when no compared option is the baseline.
	Counterfactual *observe.Ensemble `json:"-"`
	// Posterior, when set, names the posterior replications drew their parameters from; the
	// bands then combine parameter and run-to-run uncertainty. DrawOf[r] is the draw replication
	// r used (replications of one draw share its parameters), for the variance split.
	Posterior string `json:"-"`
	DrawOf    []int  `json:"-"`
	// Draws, when set, are the parameters each replication drew from the posterior: written
	// as draws.csv, so that a replication can be run again on its own (run --seed S --set
	// PATH=VALUE ...) and the record does not hang on the posterior file staying as it was.
	Draws *PosteriorDraws `json:"-"`
	// Bands says in the manifest what the bands hold.
	Bands string `json:"-"`
	// NotWritten lists what the batch leaves out and how to get it (the manifest's
	// not_written).
	NotWritten []NotWritten `json:"-"`
}

// PosteriorDraws are the parameters replications drew from a posterior: replication r drew
// particle Particle[r] (draw Draw[r]; replications of one draw share it), whose values of the
// scenario paths Names are Values[r].
type PosteriorDraws struct {
	Names    []string
	Draw     []int
	Particle []int
	Values   [][]float64
	// KeptBy is, per parameter, the scenarios (space-separated) that keep their own value
	// of it, to which the draws do not apply ("" for none).
	KeptBy []string
}

// DrawsFile is the table of the parameters each replication drew from a posterior.
const DrawsFile = "draws.csv"

// writeDraws writes draws.csv when the replications drew their parameters from a posterior: a
// long table replication, seed, draw, particle, parameter (a scenario path), value, kept_by
// (the scenarios that keep their own value of the parameter: the draw does not apply to them).
func (o *outputs) writeDraws(meta EnsembleMeta) error {
	d := meta.Draws
	if d == nil {
		return nil
	}
	return o.write(DrawsFile, func(w io.Writer) error {
		t, err := newCSVTable(w, DrawsFile, []column{{"replication", colInt}, {"seed", colString}, {"draw", colInt}, {"particle", colInt}, {"parameter", colString}, {"value", colFloat}, {"kept_by", colString}})
		if err != nil {
			return err
		}
		for r, vs := range d.Values {
			seed := ""
			if r < len(meta.Seeds) {
				seed = strconv.FormatUint(meta.Seeds[r], 10)
			}
			for k, v := range vs {
				kept := ""
				if k < len(d.KeptBy) {
					kept = d.KeptBy[k]
				}
				if err := t.write([]cell{integer(r), str(seed), integer(d.Draw[r]), integer(d.Particle[r]), str(d.Names[k]), float(v), str(kept)}); err != nil {
					return err
				}
			}
		}
		return t.flush()
	})
}

// EnsembleManifest is the content of the manifest.json of `run --reps` and `compare`.
type EnsembleManifest struct {
	BatchHeader
	Months     int                      `json:"months"`
	StartYear  int                      `json:"start_year"`
	Scenarios  []observe.ScenarioRecord `json:"scenarios"`
	NotWritten []NotWritten             `json:"not_written,omitempty"`
	Files      []FileInfo               `json:"files"`
}

// worldSize returns the counties and towns of a config's world.
func worldSize(cfg sim.Config) (counties, towns int) {
	for _, p := range cfg.World.Provinces {
		counties += p.Counties
		towns += p.Towns
	}
	return counties, towns
}

// outputs is a set of files written under temporary names into one directory and moved into
// place together by commit; discard removes them, and the directory if writing created it and
// left it empty. Between files it checks ctx, so an interrupt leaves nothing behind.
type outputs struct {
	ctx     context.Context
	dir     string
	made    bool // dir did not exist before
	files   []*pendingFile
	started time.Time
}

func newOutputs(ctx context.Context, dir string, start time.Time) (*outputs, error) {
	o := &outputs{ctx: ctx, dir: dir, started: start}
	if o.started.IsZero() {
		o.started = time.Now()
	}
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		o.made = true
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	return o, nil
}

// write writes one file with fill, unless ctx is done.
func (o *outputs) write(name string, fill func(io.Writer) error) error {
	if err := o.ctx.Err(); err != nil {
		return err
	}
	f, err := writeWith(o.dir, name, fill)
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	o.files = append(o.files, f)
	return nil
}

// commit writes manifest.json, listing the files written so far with their checksums, then
// moves every file into place, the manifest last.
func (o *outputs) commit(meta EnsembleMeta, es []*observe.Ensemble) error {
	if err := o.writeDraws(meta); err != nil {
		return err
	}
	end := time.Now()
	m := EnsembleManifest{
		BatchHeader: o.header(meta, end, len(es[0].Tracks)),
		Months:      es[0].Config.Months, StartYear: es[0].Config.StartYear, NotWritten: meta.NotWritten, Files: []FileInfo{},
	}
	for _, e := range es {
		c, t := worldSize(e.Config)
		m.Scenarios = append(m.Scenarios, observe.ScenarioRecord{Name: e.Name, Description: e.Description,
			Hash: e.Hash, Counties: c, Towns: t, YAML: string(e.YAML), CountyData: e.CountyData})
	}
	m.Files = o.fileInfos()
	return o.finish(m)
}

// BatchHeader opens the manifest of every replicated batch (run --reps, compare, evaluate,
// validation): the tool, the command, the times and the seeds.
type BatchHeader struct {
	provenance.Provenance
	Bands string `json:"bands,omitempty"`
}

// header fills a BatchHeader from meta for work that ends at end.
func (o *outputs) header(meta EnsembleMeta, end time.Time, reps int) BatchHeader {
	p := provenance.New(meta.Version, meta.Commit, meta.GoVersion, meta.Args, o.started, end)
	p.Tool, p.Reps, p.MasterSeed, p.SeedRule, p.Seeds = meta.Tool, reps, provenance.SeedOf(meta.MasterSeed), meta.SeedRule, provenance.Seeds(meta.Seeds)
	return BatchHeader{Provenance: p, Bands: meta.Bands}
}

// fileInfos lists the files written so far, for a manifest.
func (o *outputs) fileInfos() []FileInfo {
	var fs []FileInfo
	for _, f := range o.files {
		fs = append(fs, FileInfo{Name: f.name, Bytes: f.size, SHA256: f.sum})
	}
	return fs
}

// finish writes the manifest last, then, unless the work was cancelled, renames every file
// into place.
func (o *outputs) finish(manifest any) error {
	if err := o.write(ManifestFile, func(w io.Writer) error { return writeJSON(w, manifest) }); err != nil {
		return err
	}
	if err := o.ctx.Err(); err != nil {
		return err
	}
	for _, f := range o.files {
		if err := f.commit(); err != nil {
			return fmt.Errorf("results: %w", err)
		}
	}
	return nil
}

func (o *outputs) discard() {
	for _, f := range o.files {
		f.discard()
	}
	o.files = nil
	if o.made {
		os.Remove(o.dir) // only if empty
	}
}

// WriteEnsemble writes the outputs of one scenario's replications into dir: ensemble.csv, the
// fan charts (efficiency, cost, fiscal, growth, overview; .png and .svg) and manifest.json.
// Files are moved into place only when all are written; on error or when ctx is cancelled
// nothing is left behind and the error (ctx.Err() for a cancel) is returned.
func WriteEnsemble(ctx context.Context, dir string, e *observe.Ensemble, meta EnsembleMeta) error {
	if err := e.Check(); err != nil {
		return err
	}
	o, err := newOutputs(ctx, dir, meta.Start)
	if err != nil {
		return err
	}
	if err := writeEnsemble(o, e, meta); err != nil {
		o.discard()
		return err
	}
	return nil
}

func writeEnsemble(o *outputs, e *observe.Ensemble, meta EnsembleMeta) error {
	es := []*observe.Ensemble{e}
	if err := o.write(EnsembleFile, func(w io.Writer) error { return WriteEnsembleCSV(w, es) }); err != nil {
		return err
	}
	for _, f := range figures {
		for _, format := range []string{"png", "svg"} {
			err := o.write(f.name+"."+format, func(w io.Writer) error {
				f := fanFigure(meta.Lang, f, e)
				return renderIn(meta.Lang, w, f, format, func(c draw.Canvas) { drawFan(meta.Lang, c, f, e) })
			})
			if err != nil {
				return err
			}
		}
	}
	return o.commit(meta, es)
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
