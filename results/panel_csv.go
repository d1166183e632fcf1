package results

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/countysim/countysim/observe"
)

// PanelFile and PanelParquetFile are the names of the panel tables.
const (
	PanelFile        = "panel.csv"
	PanelParquetFile = "panel.parquet"
)

// panelIDColumns are the leading columns of panel.csv after replication and seed.
var panelIDColumns = []string{
	"county_id", "county", "county_code", "prefecture_id", "prefecture", "prefecture_code", "province", "year", "pilot", "cohort",
	"tercile", "iq_tercile", "strength", "iq",
	"pmc_step", "treated", "first_treated_year", "years_since_treatment",
}

// PanelHeader returns the header of panel.csv; withReps adds the leading replication and seed
// columns.
func PanelHeader(withReps bool) []string {
	var h []string
	if withReps {
		h = []string{"replication", "seed"}
	}
	h = append(h, panelIDColumns...)
	for _, c := range observe.PanelColumns() {
		h = append(h, c.Name)
	}
	return h
}

// PanelParquetTypes returns the Parquet column types of panel.csv for CSVToParquet: whole
// numbers as int64, measurements as double, pilot and treated (0/1 in the CSV) as booleans;
// names and the seed (a full 64-bit unsigned number, which int64 cannot hold) as strings.
func PanelParquetTypes() map[string]ColumnType {
	t := map[string]ColumnType{"strength": DoubleColumn, "iq": DoubleColumn, "pilot": BoolColumn, "treated": BoolColumn}
	for _, c := range []string{"replication", "county_id", "prefecture_id", "year", "tercile",
		"iq_tercile", "pmc_step", "first_treated_year", "years_since_treatment"} {
		t[c] = Int64Column
	}
	for _, c := range observe.PanelColumns() {
		t[c.Name] = DoubleColumn
		if c.Int {
			t[c.Name] = Int64Column
		}
	}
	return t
}

// WritePanelCSV writes panels as one table to w: a plain header line, one row per county and
// year, no index column, empty fields for missing values (first_treated_year and
// years_since_treatment of counties never treated), numbers as the shortest decimal that
// reads back exactly (strconv 'g', -1). Stata (import delimited), R (read.csv) and pandas
// (read_csv) read it as it is. With seeds (one per panel) the rows start with the
// replication (0-based, the panel's index) and its seed; with nil seeds there is one panel
// and no such columns.
func WritePanelCSV(w io.Writer, panels []*observe.Panel, seeds []uint64) error {
	withReps := seeds != nil
	if withReps && len(seeds) != len(panels) {
		return fmt.Errorf("results: %d panels and %d seeds", len(panels), len(seeds))
	}
	if !withReps && len(panels) != 1 {
		return fmt.Errorf("results: %d panels need their seeds", len(panels))
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(PanelHeader(withReps)); err != nil {
		return err
	}
	itoa := strconv.Itoa
	var rec []string
	for r, p := range panels {
		if !p.Complete() {
			observed, months := p.Progress()
			return fmt.Errorf("results: panel %d observed %d of %d months", r, observed, months)
		}
		for i, c := range p.Counties {
			first := p.FirstTreatedYear(i)
			firstS := ""
			if first > 0 {
				firstS = itoa(first)
			}
			for y := range p.Years {
				rec = rec[:0]
				if withReps {
					rec = append(rec, itoa(r), strconv.FormatUint(seeds[r], 10))
				}
				year := p.Year(y)
				treated, since := "0", ""
				if first > 0 {
					since = itoa(year - first)
					if year >= first {
						treated = "1"
					}
				}
				rec = append(rec, itoa(c.ID), c.Name, c.Code, itoa(c.PrefID), c.Prefecture, c.PrefCode, c.Province, itoa(year),
					boolInt(c.Pilot), c.Cohort, itoa(c.Tercile), itoa(c.IQTercile),
					formatFloat(c.Strength), formatFloat(c.IQ),
					itoa(p.Step(i, y)), treated, firstS, since)
				for k := range p.Columns {
					rec = append(rec, formatFloat(p.Value(i, y, k)))
				}
				if err := cw.Write(rec); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func boolInt(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
