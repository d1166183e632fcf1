package serve

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/countysim/countysim/geo"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/sim"
)

// charted are the metrics a month record carries for each group: what the page charts
// (approval days, admin cost share, self-sufficiency, debt ratio, growth) and what its CSV
// adds to them.
var charted = []int{
	sim.MApprovalDays, sim.MInvestmentDays, sim.MAdminShare, sim.MSelfSufficiency,
	sim.MDebtRatio, sim.MExplicitDebt, sim.MHiddenDebt, sim.MGrowth, sim.MGDPPerCap,
	sim.MStep, sim.MWarnRed,
}

// countyCharted are the metrics a month record carries for every county ("cv", county by
// county, in this order): what the page shows when a county is clicked, and what its map
// colours hidden debt by (hidden debt over annual revenue, the debt ratio's denominator).
var countyCharted = []int{sim.MApprovalDays, sim.MSelfSufficiency, sim.MDebtRatio, sim.MHiddenDebt, sim.MGrowth, sim.MAnnualRevenue}

// streamGroups are the groups a month record carries, in order.
var streamGroups = []string{"province", "pilot", "non-pilot"}

// stall bounds how long one write of a stream may wait on a slow client.
const stall = 15 * time.Second

type cohortInfo struct {
	Name  string `json:"name"`
	Step1 int    `json:"step1"`
	Step2 int    `json:"step2"`
	Step3 int    `json:"step3"`
}

type meta struct {
	T             string   `json:"t"`
	Run           string   `json:"run"`
	Name          string   `json:"name"`
	Preset        string   `json:"preset"`
	Months        int      `json:"months"`
	StartYear     int      `json:"start_year"`
	From          int      `json:"from"`
	Metrics       []string `json:"metrics"`
	CountyMetrics []string `json:"county_metrics"`
	Groups        []string `json:"groups"`
	Prefectures   []string `json:"prefectures"`
	CountyNames   []string `json:"county_names"`
	// CountyCodes and PrefectureCodes are the division codes of a real world (empty strings
	// for a drawn one).
	CountyCodes     []string     `json:"county_codes"`
	PrefectureCodes []string     `json:"prefecture_codes"`
	CountyPref      []int        `json:"county_pref"`
	Pilot           string       `json:"pilot"`
	YellowRatio     float64      `json:"yellow_ratio"`
	RedRatio        float64      `json:"red_ratio"`
	PMC             bool         `json:"pmc"`
	Mode            string       `json:"mode"`
	Cohorts         []cohortInfo `json:"cohorts"`
	// Map is the schematic map of a real world (prefecture outlines and county positions,
	// geo.LayoutOf); absent for a drawn world.
	Map *geo.Layout `json:"map,omitempty"`
}

// handleMonths builds the run's model and streams its months from ?from=K (1-based,
// default 1) to the horizon, as fast as the model steps.
func (s *Server) handleMonths(w http.ResponseWriter, r *http.Request) {
	ctx, stop := context.WithCancel(r.Context())
	defer stop()
	ru, err := s.claim(r.PathValue("id"), stop)
	if err != nil {
		writeProblems(w, err)
		return
	}
	complete := false
	defer func() { s.release(ru, complete) }()

	cfg := ru.sc.Config
	from := 1
	if v := r.URL.Query().Get("from"); v != "" {
		k, err := strconv.Atoi(v)
		if err != nil || k < 1 || k > cfg.Months {
			writeProblems(w, badRequest("from: bad value %q (allowed: a month from 1 to %d)", v, cfg.Months))
			return
		}
		from = k
	}
	m, err := sim.New(cfg)
	if err != nil {
		writeProblems(w, badRequest("%v", err))
		return
	}
	agg, err := observe.NewAggregator(sim.Metrics[:])
	if err != nil {
		writeProblems(w, err)
		return
	}
	all := observe.Groups(m)
	var groups []observe.Group
	for _, name := range streamGroups {
		for _, g := range all {
			if g.Name == name {
				groups = append(groups, g)
			}
		}
	}

	h := w.Header()
	h.Set("Content-Type", "application/x-ndjson; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	rc := http.NewResponseController(w)
	send := func(line []byte) bool {
		rc.SetWriteDeadline(time.Now().Add(stall))
		if _, err := w.Write(line); err != nil {
			return false
		}
		return rc.Flush() == nil
	}

	line, _ := json.Marshal(newMeta(ru.id, ru.sc.Name, ru.sc.Preset, m, from))
	if !send(append(line, '\n')) {
		return
	}
	out := make([]float64, sim.NumMetrics)
	var members []int
	var steps [][4]int
	buf := make([]byte, 0, 1024)
	for !m.Done() {
		if ctx.Err() != nil {
			return // the client went away, or a newer run of its panel replaced this one
		}
		if err := m.Step(); err != nil {
			line, _ := json.Marshal(map[string]string{"t": "error", "message": err.Error()})
			send(append(line, '\n'))
			complete = true // rerunning would fail the same way
			return
		}
		month := m.Month()
		if month < from {
			continue
		}
		buf = append(buf[:0], `{"t":"month","month":`...)
		buf = strconv.AppendInt(buf, int64(month), 10)
		buf = append(buf, `,"year":`...)
		buf = strconv.AppendInt(buf, int64(cfg.StartYear+(month-1)/12), 10)
		buf = append(buf, `,"v":[`...)
		values := m.Values()
		for gi, g := range groups {
			if gi > 0 {
				buf = append(buf, ',')
			}
			members = g.Members(members[:0], m.Counties)
			agg.Group(out, values, members)
			buf = append(buf, '[')
			for k, mi := range charted {
				if k > 0 {
					buf = append(buf, ',')
				}
				buf = appendNumber(buf, out[mi], len(members) == 0)
			}
			buf = append(buf, ']')
		}
		buf = append(buf, `],"cv":[`...)
		for i := range m.Counties {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, '[')
			row := values[i*sim.NumMetrics : (i+1)*sim.NumMetrics]
			for k, mi := range countyCharted {
				if k > 0 {
					buf = append(buf, ',')
				}
				buf = appendCountyNumber(buf, row[mi])
			}
			buf = append(buf, ']')
		}
		buf = append(buf, `],"step":"`...)
		for i := range m.Counties {
			buf = append(buf, byte('0'+m.Counties[i].Step))
		}
		buf = append(buf, `","warn":"`...)
		for i := range m.Counties {
			buf = append(buf, byte('0'+m.Counties[i].Warning))
		}
		buf = append(buf, '"')
		if cfg.PMC.Enabled {
			// The realised step months of every cohort so far (the model's, not the planned
			// ones: widening by criterion can hold a step back): [step1, step2, step3], -1 not yet.
			steps = observe.CohortSteps(steps, m)
			buf = append(buf, `,"cohort_steps":[`...)
			for k, at := range steps {
				if k > 0 {
					buf = append(buf, ',')
				}
				buf = append(buf, '[')
				for s := 1; s <= 3; s++ {
					if s > 1 {
						buf = append(buf, ',')
					}
					buf = strconv.AppendInt(buf, int64(at[s]), 10)
				}
				buf = append(buf, ']')
			}
			buf = append(buf, ']')
		}
		buf = append(buf, "}\n"...)
		if !send(buf) {
			return
		}
	}
	complete = send([]byte(`{"t":"end"}` + "\n"))
}

func newMeta(id, name, preset string, m *sim.Model, from int) meta {
	cfg := m.Config()
	md := meta{
		T: "meta", Run: id, Name: name, Preset: preset, Months: cfg.Months, StartYear: cfg.StartYear, From: from,
		Groups: streamGroups, YellowRatio: cfg.Debt.YellowRatio, RedRatio: cfg.Debt.RedRatio, PMC: cfg.PMC.Enabled, Mode: string(cfg.PMC.Mode),
		Cohorts: []cohortInfo{},
	}
	for _, k := range charted {
		md.Metrics = append(md.Metrics, sim.Metrics[k].Name)
	}
	for _, k := range countyCharted {
		md.CountyMetrics = append(md.CountyMetrics, sim.Metrics[k].Name)
	}
	for _, p := range m.Prefs {
		md.Prefectures = append(md.Prefectures, p.Name)
		md.PrefectureCodes = append(md.PrefectureCodes, p.Code)
	}
	pilot := make([]byte, len(m.Counties))
	for i, c := range m.Counties {
		md.CountyNames = append(md.CountyNames, c.Name)
		md.CountyCodes = append(md.CountyCodes, c.Code)
		md.CountyPref = append(md.CountyPref, c.Pref)
		pilot[i] = '0'
		if c.Pilot {
			pilot[i] = '1'
		}
	}
	md.Pilot = string(pilot)
	if l, err := geo.LayoutOf(m); err == nil {
		md.Map = l
	}
	if cfg.PMC.Enabled {
		for _, co := range cfg.PMC.Cohorts {
			md.Cohorts = append(md.Cohorts, cohortInfo{co.Name, co.Step1, co.Step2, co.Step3})
		}
	}
	return md
}

// appendCountyNumber writes a county's value with four significant digits (enough for a
// small chart, and a quarter less to send), or null.
func appendCountyNumber(buf []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(buf, "null"...)
	}
	return strconv.AppendFloat(buf, v, 'g', 4, 64)
}

// appendNumber writes v with six significant digits, or null for an empty group or a value
// JSON cannot hold.
func appendNumber(buf []byte, v float64, empty bool) []byte {
	if empty || math.IsNaN(v) || math.IsInf(v, 0) {
		return append(buf, "null"...)
	}
	return strconv.AppendFloat(buf, v, 'g', 6, 64)
}
