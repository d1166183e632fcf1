package serve

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/countysim/countysim/assess"
	"github.com/countysim/countysim/lang"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/scenarios"
	"github.com/countysim/countysim/sim"
)

// Scorecard limits: the paired runs behind one scorecard, how long it may take, and how many
// scorecards the server computes at once (others are told to try again).
const scorecardReps = 8

// scorecardTimeout bounds a scorecard's scoring (a variable for the tests, which shorten it).
var scorecardTimeout = 30 * time.Second

var scorecardSlots = make(chan struct{}, 2)

// scorecardAnswer is the page's five-aims scorecard of a scenario against its no-reform
// counterfactual.
type scorecardAnswer struct {
	Reps     int               `json:"reps"`
	NoReform bool              `json:"no_reform"` // the scenario has no reform to score
	Rows     []assess.ScoreRow `json:"rows"`
}

// handleScorecard scores the scenario of a page request (the same JSON or YAML as /api/run)
// on the five aims of the reform against its no-reform counterfactual: the same world with
// the built-in baseline's reform levers, scorecardReps paired runs each, replication r of both
// with seed + r. ?lang=zh answers in Chinese.
func (s *Server) handleScorecard(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.opt.MaxBody)
	sc, err := s.readScenario(r)
	if err != nil {
		writeProblems(w, err)
		return
	}
	l, err := lang.ParseLang(r.URL.Query().Get("lang"))
	if err != nil {
		writeProblems(w, badRequest("lang: bad value %q (allowed: %s)", r.URL.Query().Get("lang"), scenarios.Words(`"en" or "zh"`)))
		return
	}
	base, err := scenarios.Builtin("baseline")
	if err != nil {
		writeProblems(w, err)
		return
	}
	if observe.IsNoReform(sc.Config, base.Config) {
		writeJSON(w, http.StatusOK, scorecardAnswer{Reps: 0, NoReform: true, Rows: []assess.ScoreRow{}})
		return
	}
	// One scorecard at a time per address, so that no one machine holds both slots.
	addr := addrOf(r)
	s.mu.Lock()
	busy := s.scoring[addr]
	if !busy {
		s.scoring[addr] = true
	}
	s.mu.Unlock()
	if busy {
		w.Header().Set("Retry-After", "2")
		writeProblems(w, refuse(http.StatusTooManyRequests, say("a setting from this address is already being scored; wait for its scorecard")))
		return
	}
	defer func() {
		s.mu.Lock()
		delete(s.scoring, addr)
		s.mu.Unlock()
	}()
	select {
	case scorecardSlots <- struct{}{}:
		defer func() { <-scorecardSlots }()
	default:
		w.Header().Set("Retry-After", "2")
		writeProblems(w, refuse(http.StatusTooManyRequests, say("the server is already scoring other settings; try again in a moment")))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), scorecardTimeout)
	defer cancel()
	// The connection may be written to after the scoring's own limit, so that a scoring that
	// ran out of time still tells the page why (the server's write timeout equals that limit
	// and would cut the connection first).
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(scorecardTimeout + 10*time.Second))
	reform, err := runEnsemble(ctx, sc.Name, sc.Config, scorecardReps)
	if err == nil {
		var cf *observe.Ensemble
		cf, err = runEnsemble(ctx, "baseline", observe.NoReform(sc.Config, base.Config), scorecardReps)
		if err == nil {
			writeJSON(w, http.StatusOK, scorecardAnswer{Reps: scorecardReps, Rows: assess.Scorecard(l, reform, cf)})
			return
		}
	}
	if ctx.Err() != nil {
		writeProblems(w, refuse(http.StatusServiceUnavailable, say("scoring took longer than %s; try a smaller province or a shorter run", scorecardTimeout)))
		return
	}
	writeProblems(w, badRequest("%v", err))
}

// runEnsemble runs reps replications of cfg, replication r with seed cfg.Seed + r.
func runEnsemble(ctx context.Context, name string, cfg sim.Config, reps int) (*observe.Ensemble, error) {
	e := &observe.Ensemble{Name: name, Config: cfg, Tracks: make([]*observe.Track, reps)}
	for rep := range reps {
		c := cfg
		c.Seed = cfg.Seed + uint64(rep)
		m, err := sim.New(c)
		if err != nil {
			return nil, err
		}
		tr, err := observe.NewEnsembleTrack(m)
		if err != nil {
			return nil, err
		}
		err = m.Run(func(m *sim.Model) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return tr.Observe(m)
		})
		if err != nil {
			return nil, fmt.Errorf("%s, replication %d: %w", name, rep, err)
		}
		e.Tracks[rep] = tr
	}
	return e, nil
}
