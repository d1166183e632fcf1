package serve

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func postScorecard(t *testing.T, s *Server, query, body string) (int, scorecardAnswer, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/api/scorecard"+query, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	s.ServeHTTP(rec, req)
	var a scorecardAnswer
	if rec.Code == 200 {
		if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
	}
	return rec.Code, a, rec.Body.String()
}

func TestScorecardEndpoint(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	code, a, body := postScorecard(t, s, "?lang=zh", `{"base":"pmc-three-step","preset":"teaching","sets":{"months":48}}`)
	if code != 200 || a.Reps != scorecardReps || len(a.Rows) != 5 {
		t.Fatalf("scorecard: %d %s", code, body)
	}
	for i, want := range []string{"决策科学", "分工合理", "执行顺畅", "运转高效", "监督有力"} {
		if a.Rows[i].Criterion != want || a.Rows[i].Word == "" || a.Rows[i].Verdict == "" {
			t.Errorf("row %d: %+v, want aim %s with a verdict", i, a.Rows[i], want)
		}
	}
	// The same scorecard again: the same bytes (seeded runs).
	if _, _, again := postScorecard(t, s, "?lang=zh", `{"base":"pmc-three-step","preset":"teaching","sets":{"months":48}}`); again != body {
		t.Errorf("two scorecards of the same settings differ:\n%s\n%s", body, again)
	}
	if code, a, body := postScorecard(t, s, "", `{"base":"baseline","preset":"teaching"}`); code != 200 || !a.NoReform {
		t.Errorf("baseline: %d %s, want no_reform", code, body)
	}
	if code, _, body := postScorecard(t, s, "?lang=fr", `{"base":"pmc-three-step","preset":"teaching"}`); code != 400 || !strings.Contains(body, `\"fr\"`) {
		t.Errorf("lang=fr: %d %s", code, body)
	}
	if code, _, body := postScorecard(t, s, "", `{"base":"pmc-three-step","sets":{"devolution.economic":2}}`); code != 400 || !strings.Contains(body, "devolution.economic") {
		t.Errorf("a bad value: %d %s", code, body)
	}
	// One scorecard at a time per address: while one is computed (marked here), the same
	// address waits, another is served.
	s.mu.Lock()
	s.scoring["ip:192.0.2.1"] = true // httptest.NewRequest's address
	s.mu.Unlock()
	if code, _, body := postScorecard(t, s, "", `{"base":"pmc-three-step","preset":"teaching","sets":{"months":24}}`); code != 429 || !strings.Contains(body, "already being scored") {
		t.Errorf("a second scorecard from one address: %d %s, want 429", code, body)
	}
	s.mu.Lock()
	delete(s.scoring, "ip:192.0.2.1")
	s.scoring["ip:198.51.100.7"] = true
	s.mu.Unlock()
	if code, _, body := postScorecard(t, s, "", `{"base":"pmc-three-step","preset":"teaching","sets":{"months":24}}`); code != 200 {
		t.Errorf("a scorecard while another address scores: %d %s, want 200", code, body)
	}
}

// TestScorecardTimeoutIsDelivered: a scorecard that runs out of time answers 503 with why,
// behind a server whose write timeout equals the scoring's limit (as NewHTTPServer's does); the
// connection was cut first and the page got an empty reply (an attacker's audit).
func TestScorecardTimeoutIsDelivered(t *testing.T) {
	defer func(d time.Duration) { scorecardTimeout = d }(scorecardTimeout)
	scorecardTimeout = 300 * time.Millisecond
	s := New(Options{})
	defer s.Close()
	ts := httptest.NewUnstartedServer(s)
	ts.Config.WriteTimeout = scorecardTimeout
	ts.Start()
	defer ts.Close()
	res, err := http.Post(ts.URL+"/api/scorecard", "application/json",
		strings.NewReader(`{"base":"pmc-three-step","sets":{"months":360,"world.provinces[0].counties":200,"world.provinces[0].towns":4000}}`))
	if err != nil {
		t.Fatalf("the scorecard's answer never came: %v", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "scoring took longer than") {
		t.Errorf("status %d: %s", res.StatusCode, body)
	}
}
