package serve

import (
	"encoding/json"
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
	_, ts := newTestServer(t, Options{MaxRuns: 4})
	const small = `{"preset":"teaching","sets":{"months":12}}`
	greedy, normal := strings.Repeat("a", 32), strings.Repeat("b", 32)
	// The greedy client posts again and again without streaming: it keeps at most half the
	// slots, its older runs making way for its newer ones.
	var ids []string
	for i := 0; i < 30; i++ {
		res, body := clientPost(t, ts, greedy, small)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("greedy post %d: status %d: %s", i, res.StatusCode, body)
		}
		var c created
		json.Unmarshal(body, &c)
		ids = append(ids, c.ID)
	}
	// A normal client beside it gets its runs, every time.
	for i := 0; i < 2; i++ {
		if res, body := clientPost(t, ts, normal, small); res.StatusCode != http.StatusCreated {
			t.Fatalf("normal client refused beside a greedy one: status %d: %s", res.StatusCode, body)
		}
	}
	// The server is full (2 greedy, 2 normal). A third client, without the cookie (its IP
	// address), still gets a run: the client holding the most gives up its oldest one.
	if res, body := clientPost(t, ts, "", small); res.StatusCode != http.StatusCreated {
		t.Fatalf("anonymous post: status %d: %s", res.StatusCode, body)
	}
	// The greedy client's early runs were dropped; its last one remains.
	if res, _ := get(t, ts.URL+"/api/run/"+ids[0]+"/months"); res.StatusCode != http.StatusNotFound {
		t.Errorf("the greedy client's first run: status %d, want 404", res.StatusCode)
	}
	readStream(t, ts.URL+"/api/run/"+ids[len(ids)-1]+"/months")
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
