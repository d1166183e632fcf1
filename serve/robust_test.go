package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

func TestForeignHostIsRefused(t *testing.T) {
	_, ts := newTestServer(t, Options{Hosts: LoopbackHosts})
	for host, want := range map[string]int{
		"":                           http.StatusOK, // the test server's 127.0.0.1:PORT
		"localhost:8080":             http.StatusOK,
		"[::1]:8080":                 http.StatusOK,
		"app.localhost":              http.StatusOK,
		"attacker.example:8080":      http.StatusMisdirectedRequest,
		"127.0.0.1.attacker.example": http.StatusMisdirectedRequest,
	} {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/presets", nil)
		if host != "" {
			req.Host = host
		}
		res, body := do(t, req)
		if res.StatusCode != want {
			t.Errorf("Host %q: status %d, want %d: %s", host, res.StatusCode, want, body)
		}
	}
	// Without Hosts (a server on another interface) any name is served.
	_, open := newTestServer(t, Options{})
	req, _ := http.NewRequest(http.MethodGet, open.URL+"/api/presets", nil)
	req.Host = "countysim.example"
	if res, _ := do(t, req); res.StatusCode != http.StatusOK {
		t.Errorf("no host list: status %d", res.StatusCode)
	}
}

// clientPost posts a run as the browser with the given cookie.
func clientPost(t *testing.T, ts *httptest.Server, cookie, body string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/run", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: clientCookie, Value: cookie})
	}
	return do(t, req)
}

func TestGreedyClientCannotHoldEverySlot(t *testing.T) {
	s := New(Options{MaxRuns: 4})
	t.Cleanup(s.Close)
	greedy, normal := strings.Repeat("a", 32), strings.Repeat("b", 32)
	// The greedy client posts again and again without streaming: it keeps at most half the
	// slots, its older runs making way for its newer ones.
	var ids []string
	for i := 0; i < 30; i++ {
		code, id := postRun(s, "10.0.0.1:1", greedy, "")
		if code != http.StatusCreated {
			t.Fatalf("greedy post %d: status %d", i, code)
		}
		ids = append(ids, id)
	}
	// A normal client on another machine gets its runs, every time.
	for i := 0; i < 2; i++ {
		if code, _ := postRun(s, "10.0.0.2:1", normal, ""); code != http.StatusCreated {
			t.Fatalf("normal client refused beside a greedy one: status %d", code)
		}
	}
	// The greedy client's early runs were dropped; its last one remains.
	if _, err := s.claim(ids[0], nil); err == nil {
		t.Errorf("the greedy client's first run is still held")
	}
	if _, err := s.claim(ids[len(ids)-1], nil); err != nil {
		t.Errorf("the greedy client's last run: %v", err)
	}
}

// postRun posts a small run to s as the browser with the given cookie at addr, for the page's
// panel (none when ""), and returns the status and the run's id.
func postRun(s *Server, addr, cookie, panel string) (int, string) {
	u := "/api/run"
	if panel != "" {
		u += "?panel=" + panel
	}
	req := httptest.NewRequest(http.MethodPost, u, strings.NewReader(`{"preset":"teaching","sets":{"months":12}}`))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = addr
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: clientCookie, Value: cookie})
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	var c created
	json.Unmarshal(rec.Body.Bytes(), &c)
	return rec.Code, c.ID
}

// TestHandedOutRunsAreKept: a run handed to a panel is not dropped to make room for another
// run. A quick second Run in A/B compare (the double click), with B's first stream already
// started, replaces each panel's own run and keeps the other panel's new one; a full server
// refuses a newcomer (429, to try again) rather than drop a run a page is about to stream.
func TestHandedOutRunsAreKept(t *testing.T) {
	s := New(Options{MaxRuns: 4, MaxPerClient: 2})
	t.Cleanup(s.Close)
	x := strings.Repeat("1", 32)
	post := func(panel string) string {
		t.Helper()
		code, id := postRun(s, "10.0.0.1:1", x, panel)
		if code != http.StatusCreated {
			t.Fatalf("panel %s: status %d", panel, code)
		}
		return id
	}
	post("tab1-A")
	b1 := post("tab1-B")
	stopped := false
	if _, err := s.claim(b1, func() { stopped = true }); err != nil { // B's stream has started, A's not yet
		t.Fatal(err)
	}
	a2 := post("tab1-A")
	b2 := post("tab1-B")
	if !stopped {
		t.Errorf("B's first stream was not stopped when B's new run replaced it")
	}
	for _, id := range []string{a2, b2} {
		if _, err := s.claim(id, nil); err != nil {
			t.Errorf("a run just handed to the page: %v", err)
		}
	}
	if n := s.Runs(); n != 3 {
		t.Errorf("%d runs held, want A and B, and B's first until its stream ends", n)
	}
	s.release(s.runs[b1], false)
	if n := s.Runs(); n != 2 {
		t.Errorf("%d runs held after B's first stream ended, want 2 (a replaced run is not kept to resume)", n)
	}

	// A full server: two browsers hold two runs each, waiting for their streams; a third is
	// refused and the four are kept.
	full := New(Options{MaxRuns: 4, MaxPerClient: 2})
	t.Cleanup(full.Close)
	var ids []string
	for i, c := range []string{"2", "3"} {
		for _, panel := range []string{"A", "B"} {
			code, id := postRun(full, "10.0.1."+strconv.Itoa(i)+":1", strings.Repeat(c, 32), "t-"+panel)
			if code != http.StatusCreated {
				t.Fatalf("browser %s panel %s: status %d", c, panel, code)
			}
			ids = append(ids, id)
		}
	}
	if code, _ := postRun(full, "10.0.2.1:1", strings.Repeat("4", 32), "t-A"); code != http.StatusTooManyRequests {
		t.Errorf("a run on a full server: status %d, want 429", code)
	}
	for _, id := range ids {
		if _, err := full.claim(id, nil); err != nil {
			t.Errorf("a run handed out before the server filled: %v", err)
		}
	}
}

func TestIndexSetsTheClientCookie(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	res, _ := get(t, ts.URL+"/")
	var c *http.Cookie
	for _, k := range res.Cookies() {
		if k.Name == clientCookie {
			c = k
		}
	}
	if c == nil || len(c.Value) != 32 || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
		t.Fatalf("cookie %+v", c)
	}
}

func TestAliasBombAndBadNamesAreRefused(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 9; i++ {
		p := "*a" + strconv.Itoa(i-1)
		b.WriteString("a" + strconv.Itoa(i) + ": &a" + strconv.Itoa(i) + " [" + strings.Repeat(p+", ", 8) + p + "]\n")
	}
	res, body := post(t, ts.URL+"/api/run", "application/yaml", b.String())
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "too many values") {
		t.Errorf("alias bomb: status %d: %.300s", res.StatusCode, body)
	}
	// A name that would leave its folder is refused, in YAML and in the page's form alike.
	res, body = post(t, ts.URL+"/api/scenario.yaml", "application/yaml", "name: ../../victim\npreset: teaching\n")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "name: bad value") {
		t.Errorf("YAML name: status %d: %s", res.StatusCode, body)
	}
	res, body = get(t, ts.URL+"/api/scenario.yaml?base=baseline&set=name=../../victim")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "name: bad value") {
		t.Errorf("form name: status %d: %s", res.StatusCode, body)
	}
}

// TestOneAddressCannotHoldEverySlot: a machine making up a cookie for each run, and streaming
// each so that none waits, holds at most all but one of the server's runs; a visitor from
// another address still gets one (an attacker's audit: four made-up cookies from one address
// held all four slots, and other visitors got 429 for half a minute at a time).
func TestOneAddressCannotHoldEverySlot(t *testing.T) {
	s := New(Options{MaxRuns: 4, MaxPerClient: 2})
	t.Cleanup(s.Close)
	held := 0
	for i := range 4 {
		code, id := postRun(s, "10.9.9.9:1", fmt.Sprintf("%032x", i+1), "")
		if code != http.StatusCreated {
			if code != http.StatusTooManyRequests {
				t.Fatalf("run %d: status %d", i, code)
			}
			continue
		}
		if _, err := s.claim(id, nil); err != nil { // streaming: no longer waiting
			t.Fatal(err)
		}
		held++
	}
	if held != 3 {
		t.Errorf("one address held %d of 4 runs, want 3", held)
	}
	if code, _ := postRun(s, "10.1.1.1:1", strings.Repeat("f", 32), ""); code != http.StatusCreated {
		t.Errorf("a visitor from another address: status %d, want 201", code)
	}
}
