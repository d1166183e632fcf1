package assess

import (
	"context"
	"strings"
	"testing"

	"github.com/countysim/countysim/lang"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/scenarios"
)

// TestScorecardPairsReplications: the scorecard's change on each outcome is the summary of
// the paired differences, replication by replication (the same seeds), as the comparison's
// table gives it. It summarised both scenarios first, which sorted their replications, and
// then paired the sorted values: its ranges were too narrow and its verdicts overconfident.
func TestScorecardPairsReplications(t *testing.T) {
	ensemble := func(name string) *observe.Ensemble {
		s, err := scenarios.Resolve(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := scenarios.Set(s, "preset=teaching"); err != nil {
			t.Fatal(err)
		}
		s.Config.Months = 36
		e := &observe.Ensemble{Name: name, Config: s.Config, Tracks: make([]*observe.Track, 6)}
		for r := range e.Tracks {
			if e.Tracks[r], err = observe.Replicate(context.Background(), s.Config, uint64(r+1)); err != nil {
				t.Fatal(err)
			}
		}
		return e
	}
	e, cf := ensemble("pmc-three-step"), ensemble("baseline")
	rows := Scorecard(lang.English, e, cf)
	checked := 0
	for i, c := range Criteria {
		changes := strings.Split(rows[i].Change, "; ")
		for j, o := range c.Outcomes {
			k := observe.DefIndex(o.Metric)
			val := func(t *observe.Track) float64 { return t.FinalYear(0, k) }
			d := observe.Summarise(PairedDifferences(cf.Collect(nil, val), e.Collect(nil, val)))
			if want := DescribeDiff(lang.English, o, d); changes[j] != want {
				t.Errorf("%s, %s: the scorecard says %q, the paired differences %q", c.Name(lang.English), o.Metric, changes[j], want)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no outcome checked")
	}
}
