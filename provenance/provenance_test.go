package provenance

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestProvenanceJSON(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	p := New("v1", "abc", "go1.26", nil, start, start.Add(1500*time.Millisecond))
	p.Seed = SeedOf(0)
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"tool":"countysim","version":"v1","commit":"abc","go_version":"go1.26","seed":"0","args":[],"start":"2026-01-02T03:04:05Z","end":"2026-01-02T03:04:06.5Z","duration_seconds":1.5}`
	if string(b) != want {
		t.Errorf("JSON\n%s\nwant\n%s", b, want)
	}
	if err := p.Check(); err == nil || !strings.Contains(err.Error(), "command line") {
		t.Errorf("no args: %v", err)
	}
	p.Args = []string{"countysim", "run"}
	if err := p.Check(); err != nil {
		t.Error(err)
	}
	q, err := Decode([]byte(`{"tool":"countysim","version":"v","commit":"c","go_version":"g","command":["countysim","calibrate"],"seed":"5","start":"2026-01-02T03:04:05Z","end":"2026-01-02T03:04:05Z"}`))
	if err != nil || len(q.Args) != 2 || *q.Seed != 5 || q.Check() != nil {
		t.Errorf("calibration manifest: %+v, %v, %v", q, err, q.Check())
	}
	ev, err := Decode([]byte(`{"tool":"countysim","scenario":{"name":"x"},"reps":2}`))
	if err != nil || ev.Scenario != "" || ev.Reps != 2 {
		t.Errorf("evaluation manifest: %+v, %v", ev, err)
	}
	if _, err := Decode([]byte(`[1]`)); err == nil {
		t.Error("an array decoded as a manifest")
	}
	p.Seed = nil
	if err := p.Check(); err == nil || !strings.Contains(err.Error(), "seed") {
		t.Errorf("no seed: %v", err)
	}
	f, err := p.Fields()
	if err != nil || f["go_version"] != "go1.26" || f["seed"] != nil {
		t.Errorf("fields %v, %v", f, err)
	}
}
