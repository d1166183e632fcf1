package serve

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/scenarios"
	"github.com/countysim/countysim/sim"
)

func newTestServer(t *testing.T, opt Options) (*Server, *httptest.Server) {
	t.Helper()
	s := New(opt)
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		ts.Close()
		s.Close()
	})
	return s, ts
}

func do(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func get(t *testing.T, u string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return do(t, req)
}

func post(t *testing.T, u, contentType, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return do(t, req)
}

type errorsBody struct {
	Errors []problem `json:"errors"`
}

type created struct {
	ID       string `json:"id"`
	Stream   string `json:"stream"`
	Name     string `json:"name"`
	Months   int    `json:"months"`
	Counties int    `json:"counties"`
}

// startRun posts a page request and returns the run it created.
func startRun(t *testing.T, ts *httptest.Server, body string) created {
	t.Helper()
	res, data := post(t, ts.URL+"/api/run", "application/json", body)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/run %s: status %d, body %s", body, res.StatusCode, data)
	}
	var c created
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

type monthRecord struct {
	T     string       `json:"t"`
	Month int          `json:"month"`
	Year  int          `json:"year"`
	V     [][]*float64 `json:"v"`
	Step  string       `json:"step"`
	Warn  string       `json:"warn"`
	// CohortSteps are the realised step months of every cohort so far.
	CohortSteps [][3]int `json:"cohort_steps"`
}

// readStream reads a run's stream into its meta record, its month records and its last
// record's type.
func readStream(t *testing.T, u string) (meta, []monthRecord, string) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(res.Body)
		t.Fatalf("GET %s: status %d, body %s", u, res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-ndjson") {
		t.Errorf("stream content type %q, want application/x-ndjson", ct)
	}
	var md meta
	var months []monthRecord
	last := ""
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var head struct{ T string }
		if err := json.Unmarshal(sc.Bytes(), &head); err != nil {
			t.Fatalf("bad record %q: %v", sc.Text(), err)
		}
		last = head.T
		switch head.T {
		case "meta":
			if err := json.Unmarshal(sc.Bytes(), &md); err != nil {
				t.Fatal(err)
			}
		case "month":
			var r monthRecord
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			months = append(months, r)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return md, months, last
}

func TestPageAndAssets(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	res, page := get(t, ts.URL+"/")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET /: status %d, content type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res.Header.Get("Content-Security-Policy") == "" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("GET /: missing security headers: %v", res.Header)
	}
	// Every asset the page names is served from the binary with its type, and nothing
	// refers to another site.
	want := map[string]string{
		"app.js":      "text/javascript; charset=utf-8",
		"style.css":   "text/css; charset=utf-8",
		"favicon.svg": "image/svg+xml",
		"model.html":  "text/html; charset=utf-8",
	}
	refs := regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(string(page), -1)
	if len(refs) != len(want) {
		t.Errorf("page refers to %v, want exactly %d assets", refs, len(want))
	}
	external := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)
	all := [][]byte{page}
	for _, ref := range refs {
		name := ref[1]
		res, body := get(t, ts.URL+"/"+name)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != want[name] {
			t.Errorf("GET /%s: status %d, content type %q, want 200 %q", name, res.StatusCode, res.Header.Get("Content-Type"), want[name])
		}
		embedded, err := webFS.ReadFile("web/" + name)
		if err != nil || !bytes.Equal(body, embedded) {
			t.Errorf("GET /%s: not the embedded file (%v)", name, err)
		}
		all = append(all, body)
	}
	for i, b := range all {
		for _, m := range external.FindAll(b, -1) {
			if string(m) != "http://www.w3.org" { // the SVG namespace, not a download
				t.Errorf("asset %d refers to another site: %s", i, m)
			}
		}
	}
	if res, _ := get(t, ts.URL+"/nothing.js"); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /nothing.js: status %d, want 404", res.StatusCode)
	}
}

func TestPageLanguage(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	for _, tc := range []struct{ accept, query, want string }{
		{"", "", "en"},
		{"zh-CN,zh;q=0.9,en;q=0.8", "", "zh"},
		{"en-US,en;q=0.9,zh-CN;q=0.5", "", "en"},
		{"fr-FR,zh-TW;q=0.7", "", "zh"},
		{"de-DE", "", "en"},
		{"zh-CN", "?lang=en", "en"},
		{"", "?lang=zh", "zh"},
	} {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/"+tc.query, nil)
		if tc.accept != "" {
			req.Header.Set("Accept-Language", tc.accept)
		}
		_, body := do(t, req)
		if !strings.Contains(string(body), `<html lang="`+tc.want+`">`) {
			t.Errorf("Accept-Language %q, query %q: page not in %s", tc.accept, tc.query, tc.want)
		}
	}
}

func TestListings(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	var presets []presetInfo
	_, body := get(t, ts.URL+"/api/presets")
	if err := json.Unmarshal(body, &presets); err != nil {
		t.Fatal(err)
	}
	names := map[string]int{}
	for _, p := range presets {
		names[p.Name] = p.Counties
	}
	for _, n := range []string{"teaching", "zhejiang", "jiangxi", "henan"} {
		if _, ok := names[n]; !ok {
			t.Errorf("preset %s missing from %v", n, names)
		}
	}
	if _, ok := names["national"]; ok {
		t.Errorf("national listed, but it has more than 200 counties")
	}
	if presets[0].Name != "teaching" {
		t.Errorf("first preset %q, want teaching (the classroom default)", presets[0].Name)
	}
	var sc struct {
		Default   string         `json:"default"`
		Scenarios []scenarioInfo `json:"scenarios"`
	}
	_, body = get(t, ts.URL+"/api/scenarios")
	if err := json.Unmarshal(body, &sc); err != nil {
		t.Fatal(err)
	}
	// Every built-in but the validation runs (eval-*), which are not lessons.
	var lessons []string
	for _, name := range scenarios.Builtins() {
		if !strings.HasPrefix(name, "eval-") {
			lessons = append(lessons, name)
		}
	}
	var listed []string
	for _, s := range sc.Scenarios {
		listed = append(listed, s.Name)
	}
	if strings.Join(listed, " ") != strings.Join(lessons, " ") || len(lessons) < 10 {
		t.Errorf("scenarios listed %v, want the built-ins but the validation runs %v", listed, lessons)
	}
	for _, s := range sc.Scenarios {
		if s.Name == "devolution" && s.Values["devolution.economic"] != 1.0 {
			t.Errorf("devolution lists devolution.economic=%v, want 1", s.Values["devolution.economic"])
		}
	}
	var ls []Lever
	_, body = get(t, ts.URL+"/api/levers")
	if err := json.Unmarshal(body, &ls); err != nil || len(ls) == 0 {
		t.Fatalf("levers: %v, %s", err, body)
	}
	// Every lever's path must be settable, and its range the scenario rules' range.
	for _, l := range ls {
		s, _ := scenarios.Builtin(scenarios.Default)
		v := "true"
		switch l.Kind {
		case "number", "integer":
			v = "1"
		case "choice":
			v = l.Choices[0]
		case "cohorts":
			v = "[{name: a, share: 0.1, step1: 1, step2: 2, step3: 3}]"
		}
		if err := scenarios.Set(s, l.Path+"="+v); err != nil {
			t.Errorf("lever %s: %v", l.Path, err)
		}
		// A share's slider spans exactly what the rules allow. (Month sliders stop at the
		// page's horizon, which is tighter; cohort shares also have a rule on their sum.)
		if l.Kind == "number" && l.Min == 0 && l.Max <= 1 && !strings.HasPrefix(l.Path, "pmc.cohorts") {
			for _, v := range []float64{l.Min - 0.01, l.Min, l.Max, l.Max + 0.01} {
				s, _ := scenarios.Builtin(scenarios.Default)
				scenarios.Set(s, l.Path+"="+jsonNumber(v))
				inside := v >= l.Min && v <= l.Max
				if ok := scenarios.Validate(s) == nil; ok != inside {
					t.Errorf("lever %s: %g passes the rules %v, inside the slider [%g, %g] %v", l.Path, v, ok, l.Min, l.Max, inside)
				}
			}
		}
	}
}

func jsonNumber(f float64) string {
	b, _ := json.Marshal(f)
	return string(b)
}

func TestRunRejectsBadInput(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	for _, tc := range []struct {
		name, contentType, body string
		path                    string
		line                    int
		msg                     []string
	}{
		{"share above 1", "application/json", `{"base":"pmc-three-step","preset":"teaching","sets":{"devolution.economic":1.5}}`,
			"devolution.economic", 0, []string{"1.5", "a number from 0 to 1"}},
		{"typed into a box", "application/json", `{"preset":"teaching","sets":{"approval.item_cut":"0.95"}}`,
			"approval.item_cut", 0, []string{"0.95", "from 0 to 0.9"}},
		{"not a number", "application/json", `{"preset":"teaching","sets":{"debt.accountability":"lots"}}`,
			"debt.accountability", 0, []string{"lots"}},
		{"step 2 before step 1", "application/json", `{"preset":"teaching","sets":{"pmc.cohorts[0].step1":50,"pmc.cohorts[0].step2":10}}`,
			"pmc.cohorts[0].step2", 0, []string{"no earlier than step1 (50)"}},
		{"unknown field", "application/json", `{"preset":"teaching","sets":{"devolution.economc":0.5}}`,
			"devolution.economc", 0, []string{"unknown key"}},
		{"a value hidden in the path", "application/json", `{"preset":"teaching","sets":{"months=300":""}}`,
			"months=300", 0, []string{"no '='"}},
		{"months over the page cap", "application/json", `{"preset":"teaching","sets":{"months":480}}`,
			"months", 0, []string{"480", "at most 360"}},
		{"no months", "application/json", `{"preset":"teaching","sets":{"months":0}}`,
			"months", 0, []string{"bad value 0", "from 1 to 360 on the teaching page"}},
		{"months over the rules", "application/json", `{"preset":"teaching","sets":{"months":700}}`,
			"months", 0, []string{"bad value 700", "from 1 to 360 on the teaching page"}},
		{"months left empty", "application/json", `{"preset":"teaching","sets":{"months":""}}`,
			"months", 0, []string{"no value", "from 1 to 360 on the teaching page"}},
		{"YAML file with no months", "application/yaml", "name: x\npreset: teaching\nmonths: 0\n",
			"months", 3, []string{"bad value 0", "from 1 to 360 on the teaching page"}},
		{"national is too big", "application/json", `{"preset":"national"}`,
			"preset", 0, []string{"1954 counties", "at most 200"}},
		{"unknown preset", "application/json", `{"preset":"atlantis"}`,
			"preset", 0, []string{"unknown preset"}},
		{"unknown base", "application/json", `{"base":"atlantis"}`,
			"base", 0, []string{"unknown built-in scenario"}},
		{"not the page form", "application/json", `{"bse":"baseline"}`,
			"", 0, []string{"unknown field"}},
		{"broken JSON", "application/json", `{"base":`,
			"", 0, []string{"reading the JSON request"}},
		{"YAML file with a bad value", "application/yaml", "name: x\npreset: teaching\ndevolution:\n  economic: 1.5\n",
			"devolution.economic", 4, []string{"1.5", "a number from 0 to 1"}},
		{"YAML file too long", "application/yaml", "name: x\npreset: teaching\nmonths: 400\n",
			"months", 0, []string{"at most 360"}},
		{"YAML file naming a file on the server", "application/yaml", "name: x\npreset: henan\nworld:\n  counties_file: /etc/passwd\n",
			"world.counties_file", 4, []string{"may not name a file"}},
		{"JSON null", "application/json", "null", "", 0, []string{`"null" is not an object`}},
		{"JSON with more after the object", "application/json", `{"base":"baseline"} garbage`, "", 0, []string{"more after the object"}},
		{"two JSON objects", "application/json", `{"base":"baseline"}{"preset":"national"}`, "", 0, []string{"more after the object"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := post(t, ts.URL+"/api/run", tc.contentType, tc.body)
			if res.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400; body %s", res.StatusCode, body)
			}
			found := problemAt(t, body, tc.path)
			if tc.line > 0 && found.Line != tc.line {
				t.Errorf("line %d, want %d (%s)", found.Line, tc.line, found.Text)
			}
			for _, m := range tc.msg {
				if !strings.Contains(found.Text, m) {
					t.Errorf("message %q does not say %q", found.Text, m)
				}
			}
			if found.Path == "months" && strings.Contains(found.Text, "600") {
				t.Errorf("message %q quotes the rules' 600 months, not the page's 360", found.Text)
			}
		})
	}
}

func TestRunStreamsMonths(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	c := startRun(t, ts, `{"base":"pmc-three-step","preset":"teaching","sets":{"months":24,"pmc.cohorts[0].step1":6}}`)
	if c.Months != 24 || c.Counties != 20 || c.Name != "pmc-three-step-teaching-edited" {
		t.Errorf("created %+v, want 24 months, 20 counties, an edited name", c)
	}
	md, months, last := readStream(t, ts.URL+c.Stream)
	if last != "end" {
		t.Errorf("last record %q, want end", last)
	}
	if md.Months != 24 || len(md.CountyNames) != 20 || len(md.Pilot) != 20 || len(md.Prefectures) != 4 {
		t.Errorf("meta: %d months, %d counties, pilot %q, %d prefectures", md.Months, len(md.CountyNames), md.Pilot, len(md.Prefectures))
	}
	if len(months) != 24 {
		t.Fatalf("%d months streamed, want 24", len(months))
	}
	digits := regexp.MustCompile(`^[0-3]{20}$`)
	for i, r := range months {
		if r.Month != i+1 || r.Year != 2005+i/12 {
			t.Errorf("record %d: month %d year %d", i, r.Month, r.Year)
		}
		if !digits.MatchString(r.Step) || !digits.MatchString(r.Warn) || len(r.V) != 3 || len(r.V[0]) != len(md.Metrics) {
			t.Fatalf("record %d malformed: %+v", i, r)
		}
	}
	// The first cohort enters step 1 in month 6: pilots are at step 1 from the record of
	// month 7 (the step month is the month index from 0).
	if !strings.Contains(months[23].Step, "1") || strings.Contains(months[0].Step, "1") {
		t.Errorf("steps month 1 %q, month 24 %q: want pilots to reach step 1", months[0].Step, months[23].Step)
	}
	if s.Runs() != 0 {
		t.Errorf("%d runs held after the stream ended, want 0", s.Runs())
	}

	// The streamed values are the model's group values (observe.Track over the same run).
	sc, _ := scenarios.Builtin("pmc-three-step")
	for _, a := range []string{"preset=teaching", "months=24", "pmc.cohorts[0].step1=6"} {
		if err := scenarios.Set(sc, a); err != nil {
			t.Fatal(err)
		}
	}
	m, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := observe.NewTrack(m, streamGroups)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Run(tr.Observe); err != nil {
		t.Fatal(err)
	}
	for g := range streamGroups {
		for k, mi := range charted {
			want := tr.At(g, 23, mi)
			got := months[23].V[g][k]
			if math.IsNaN(want) != (got == nil) || got != nil && math.Abs(*got-want) > 1e-5*math.Abs(want) {
				t.Errorf("group %s metric %s: streamed %v, model %v", streamGroups[g], md.Metrics[k], got, want)
			}
		}
	}

	// ?from=K starts the stream at month K.
	c = startRun(t, ts, `{"preset":"teaching","sets":{"months":24}}`)
	_, months, _ = readStream(t, ts.URL+c.Stream+"?from=10")
	if len(months) != 15 || months[0].Month != 10 {
		t.Errorf("from=10: %d records from month %d, want 15 from month 10", len(months), months[0].Month)
	}
}

func TestRunWithoutPilots(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	c := startRun(t, ts, `{"base":"baseline","preset":"teaching","sets":{"months":12}}`)
	md, months, _ := readStream(t, ts.URL+c.Stream)
	if md.PMC || strings.Contains(md.Pilot, "1") {
		t.Errorf("baseline has pilots: %+v", md)
	}
	if months[0].V[1][0] != nil || months[0].V[2][0] == nil {
		t.Errorf("pilot group %v should be null and non-pilot %v set", months[0].V[1][0], months[0].V[2][0])
	}
}

func TestLimits(t *testing.T) {
	s, ts := newTestServer(t, Options{MaxRuns: 2, MaxPerClient: 1})
	const small = `{"preset":"teaching","sets":{"months":12}}`
	var a created
	res, body := clientPost(t, ts, strings.Repeat("1", 32), small)
	json.Unmarshal(body, &a)
	clientPost(t, ts, strings.Repeat("2", 32), small)
	res, body = clientPost(t, ts, strings.Repeat("3", 32), small)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("third run: status %d (Retry-After %q), want 429; %s", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	readStream(t, ts.URL+a.Stream)
	if res, body := clientPost(t, ts, strings.Repeat("3", 32), small); res.StatusCode != http.StatusCreated { // a's slot is free again
		t.Errorf("after a's stream: status %d: %s", res.StatusCode, body)
	}

	big := `{"base":"` + strings.Repeat("x", 70<<10) + `"}`
	if res, body := post(t, ts.URL+"/api/run", "application/json", big); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: status %d, want 413; %s", res.StatusCode, body)
	}
	if res, _ := post(t, ts.URL+"/api/scenario.yaml", "application/yaml", "name: "+strings.Repeat("x", 70<<10)); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized YAML: status %d, want 413", res.StatusCode)
	}
	if res, _ := get(t, ts.URL+"/api/run/0123456789abcdef/months"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown run: status %d, want 404", res.StatusCode)
	}
	if res, _ := get(t, ts.URL+"/api/run"); res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /api/run: status %d, want 405", res.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/run", strings.NewReader(small))
	req.Header.Set("Origin", "http://evil.example")
	if res, _ := do(t, req); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin POST: status %d, want 403", res.StatusCode)
	}
	// Another site's page making the API work for it by GET (an <img> tag): refused; the
	// page's own requests and the user's typed ones are served.
	for site, want := range map[string]int{"cross-site": http.StatusForbidden, "same-site": http.StatusForbidden, "same-origin": http.StatusOK, "none": http.StatusOK} {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/scenario.yaml?base=baseline", nil)
		req.Header.Set("Sec-Fetch-Site", site)
		if res, body := do(t, req); res.StatusCode != want {
			t.Errorf("GET /api/scenario.yaml with Sec-Fetch-Site %s: status %d, want %d; %s", site, res.StatusCode, want, body)
		}
	}
	// A request's work is bounded: at most maxSets settings, and no value that expands by
	// aliases past a file's limit (a merge-key bomb of 11 KB took 1.3 GB).
	var many strings.Builder
	many.WriteString(`{"preset":"teaching","sets":{`)
	for i := range maxSets + 1 {
		if i > 0 {
			many.WriteString(",")
		}
		fmt.Fprintf(&many, `"x%d":1`, i)
	}
	many.WriteString("}}")
	if res, body := post(t, ts.URL+"/api/run", "application/json", many.String()); res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "at most 500") {
		t.Errorf("%d settings: status %d, %s", maxSets+1, res.StatusCode, body)
	}
	var bomb strings.Builder
	bomb.WriteString(`{zz: &m {`)
	for i := range 300 {
		fmt.Fprintf(&bomb, "k%d: 1, ", i)
	}
	bomb.WriteString(`k: 1}, <<: [` + strings.TrimSuffix(strings.Repeat("*m, ", 300), ", ") + `]}`)
	q, _ := json.Marshal(map[string]any{"preset": "teaching", "sets": map[string]string{"pmc": bomb.String()}})
	// The answer quotes the value four times (message and text, in English and Chinese), never
	// its expansion by aliases.
	if res, body := post(t, ts.URL+"/api/run", "application/json", string(q)); res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "too many values") || len(body) > 5*len(q) {
		t.Errorf("a merge-key bomb of %d bytes: status %d, %d bytes of answer: %.300s", len(q), res.StatusCode, len(body), body)
	}
	s.Close()
	if res, _ := post(t, ts.URL+"/api/run", "application/json", small); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("after Close: status %d, want 503", res.StatusCode)
	}
}

func TestFromOutOfRange(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	c := startRun(t, ts, `{"preset":"teaching","sets":{"months":12}}`)
	for _, from := range []string{"0", "13", "x"} {
		if res, body := get(t, ts.URL+c.Stream+"?from="+from); res.StatusCode != http.StatusBadRequest {
			t.Errorf("from=%s: status %d, want 400; %s", from, res.StatusCode, body)
		}
	}
	// A refused stream leaves the run waiting for a good one.
	if _, months, _ := readStream(t, ts.URL+c.Stream); len(months) != 12 {
		t.Errorf("%d months, want 12", len(months))
	}
}

func TestUnstreamedRunExpires(t *testing.T) {
	s, ts := newTestServer(t, Options{MaxRuns: 1, PendingTTL: 20 * time.Millisecond})
	startRun(t, ts, `{"preset":"teaching"}`)
	deadline := time.Now().Add(5 * time.Second)
	for s.Runs() > 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if s.Runs() != 0 {
		t.Fatalf("a run nobody streamed is still held")
	}
	startRun(t, ts, `{"preset":"teaching"}`)
}

func TestScenarioYAMLRoundTrip(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	q := url.Values{"base": {"pmc-three-step"}, "preset": {"teaching"},
		"set": {"devolution.economic=0.6", "pmc.cohorts[0].step1=12", "debt.stop_new_debt=true"}}
	res, body := get(t, ts.URL+"/api/scenario.yaml?"+q.Encode())
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/yaml; charset=utf-8" {
		t.Errorf("content type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="pmc-three-step-teaching-edited.yaml"` {
		t.Errorf("content disposition %q", cd)
	}
	sc, err := scenarios.Parse("download.yaml", body)
	if err != nil {
		t.Fatalf("the download does not load: %v\n%s", err, body)
	}
	c := sc.Config
	if sc.Preset != "teaching" || c.Devolution.Economic != 0.6 || c.PMC.Cohorts[0].Step1 != 12 || !c.Debt.StopNewDebt || c.World.Provinces[0].Counties != 20 {
		t.Errorf("the download lost a setting: %+v", sc)
	}
	again, err := scenarios.Marshal(sc)
	if err != nil || !bytes.Equal(again, body) {
		t.Errorf("Marshal(Parse(download)) differs from the download (%v)", err)
	}

	// The page's POST form gives the same file, and the file runs as it is.
	res, posted := post(t, ts.URL+"/api/scenario.yaml", "application/json",
		`{"base":"pmc-three-step","preset":"teaching","sets":{"devolution.economic":0.6,"pmc.cohorts[0].step1":12,"debt.stop_new_debt":true}}`)
	if res.StatusCode != http.StatusOK || !bytes.Equal(posted, body) {
		t.Errorf("POST form: status %d, same file %v", res.StatusCode, bytes.Equal(posted, body))
	}
	if res, data := post(t, ts.URL+"/api/run", "application/yaml", string(body)); res.StatusCode != http.StatusCreated {
		t.Errorf("running the downloaded file: status %d, %s", res.StatusCode, data)
	}
	if res, _ := get(t, ts.URL+"/api/scenario.yaml?preset=teaching&set=devolution.economic=2"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad value in a download: status %d, want 400", res.StatusCode)
	}
}

func TestScenarioNames(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	for _, tc := range []struct{ query, name string }{
		{"base=zhejiang&preset=zhejiang", "zhejiang"},
		{"base=baseline&preset=teaching", "baseline-teaching"},
		{"base=baseline&preset=teaching&set=months=24", "baseline-teaching-edited"},
		{"base=henan-2014&set=seed=7", "henan-2014-edited"},
		{"base=baseline&set=name=mine&set=months=24", "mine"},
	} {
		res, body := get(t, ts.URL+"/api/scenario.yaml?"+tc.query)
		sc, err := scenarios.Parse("x.yaml", body)
		if res.StatusCode != http.StatusOK || err != nil {
			t.Errorf("%s: status %d, %v", tc.query, res.StatusCode, err)
			continue
		}
		if sc.Name != tc.name {
			t.Errorf("%s: name %q, want %q", tc.query, sc.Name, tc.name)
		}
		if changed := tc.name != "zhejiang"; changed != strings.Contains(sc.Description, "Changed on the teaching page") {
			t.Errorf("%s: description %q", tc.query, sc.Description)
		}
	}
}

func TestLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true,
		"127.9.9.9:80":   true,
		"[::1]:8080":     true,
		"localhost:8080": true,
		":8080":          false,
		"0.0.0.0:8080":   false,
		"[::]:8080":      false,
		"10.1.2.3:8080":  false,
		"example.org:80": false,
	} {
		if got := Loopback(addr); got != want {
			t.Errorf("Loopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestHTTPServerTimeouts(t *testing.T) {
	srv := NewHTTPServer("127.0.0.1:0", http.NotFoundHandler())
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 || srv.MaxHeaderBytes <= 0 {
		t.Errorf("a timeout or limit is unset: %+v", srv)
	}
}

// TestStreamCarriesRealisedStepDates runs pilots that must run normally for 18 months before
// each step (widening by criterion): the month records carry the months the steps happened,
// which the page marks, and the second step comes after its planned month.
func TestStreamCarriesRealisedStepDates(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	c := startRun(t, ts, `{"base":"pmc-three-step","preset":"teaching","sets":{"months":48,"pmc.cohorts[0].step1":6,"pmc.cohorts[0].step2":12,"pmc.widening.by":"criterion","pmc.widening.normal_months":18}}`)
	md, months, _ := readStream(t, ts.URL+c.Stream)
	if len(months) != 48 || len(md.Cohorts) == 0 {
		t.Fatalf("%d months, %d cohorts", len(months), len(md.Cohorts))
	}
	first, last := months[0].CohortSteps, months[47].CohortSteps
	if len(last) != len(md.Cohorts) || first[0][0] >= 0 {
		t.Fatalf("cohort steps in month 1 %v, month 48 %v: want one entry per cohort, none entered in month 1", first, last)
	}
	planned := [3]int{md.Cohorts[0].Step1, md.Cohorts[0].Step2, md.Cohorts[0].Step3}
	got := last[0]
	if got[0] < planned[0] || got[1] <= planned[1] {
		t.Errorf("realised %v, planned %v: want step 1 no earlier and step 2 later than planned", got, planned)
	}
	// A step appears in the record of the month after it happened, and stays.
	for i, r := range months {
		if entered := r.CohortSteps[0][0] >= 0; entered != (i >= got[0]) {
			t.Fatalf("month %d: cohort steps %v, step 1 realised at %d", r.Month, r.CohortSteps[0], got[0])
		}
	}
}

// TestForgedCookiesDoNotHoldTheServer: one machine posting with a fresh cookie each time
// holds at most half the server in runs it never streams (runs are told apart by address
// when cookies do not tell them apart), so a request from another address still gets a run.
func TestForgedCookiesDoNotHoldTheServer(t *testing.T) {
	s := New(Options{MaxRuns: 4, MaxPerClient: 2})
	t.Cleanup(s.Close)
	postFrom := func(addr, cookie string) int {
		req := httptest.NewRequest(http.MethodPost, "/api/run", strings.NewReader(`{"preset":"teaching","sets":{"months":12}}`))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = addr
		req.AddCookie(&http.Cookie{Name: clientCookie, Value: cookie})
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec.Code
	}
	for i := range 4 {
		want := http.StatusCreated
		if i >= 2 {
			want = http.StatusTooManyRequests
		}
		if code := postFrom("10.0.0.66:4000", fmt.Sprintf("%032x", i+1)); code != want {
			t.Fatalf("forged cookie %d: status %d, want %d", i, code, want)
		}
	}
	if code := postFrom("10.0.0.7:5000", strings.Repeat("a", 32)); code != http.StatusCreated {
		t.Errorf("a student's run while one address holds every slot: status %d, want 201", code)
	}
	// Clients at one address (a classroom behind one router) do not evict one another.
	s2 := New(Options{MaxRuns: 2, MaxPerClient: 2})
	t.Cleanup(s2.Close)
	s = s2
	postFrom("10.0.0.8:1", strings.Repeat("b", 32))
	postFrom("10.0.0.8:2", strings.Repeat("c", 32))
	if code := postFrom("10.0.0.8:3", strings.Repeat("d", 32)); code != http.StatusTooManyRequests {
		t.Errorf("a third client at the same address of a full server: status %d, want 429", code)
	}
}

// problemAt returns the problem at path in a 400 answer's body, failing the test when the body
// is not a list of problems or has none at path.
func problemAt(t *testing.T, body []byte, path string) *problem {
	t.Helper()
	var eb errorsBody
	if err := json.Unmarshal(body, &eb); err != nil || len(eb.Errors) == 0 {
		t.Fatalf("body %s: %v", body, err)
	}
	for i, p := range eb.Errors {
		if p.Path == path {
			return &eb.Errors[i]
		}
	}
	t.Fatalf("no problem at path %q in %s", path, body)
	return nil
}
