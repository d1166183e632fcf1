package serve

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/countysim/countysim/scenarios"
)

// Options are a Server's limits; a zero field takes its default.
type Options struct {
	// MaxRuns is the number of runs held at once, created or streaming (default 4). A run
	// beyond it is refused with 429 Too Many Requests.
	MaxRuns int
	// MaxMonths caps a run's horizon (default 360).
	MaxMonths int
	// MaxCounties caps a run's counties (default 200).
	MaxCounties int
	// MaxBody caps a request body in bytes (default 64 KiB); a longer one gets 413.
	MaxBody int64
	// PendingTTL is how long a run waits for its stream to start, or to resume after the
	// client went away, before it is dropped (default 10 s).
	PendingTTL time.Duration
	// MaxPerClient is the number of runs one client may hold at once (default half of
	// MaxRuns, at least 1), so that one client cannot hold every slot. A client is its
	// browser (the countysim_client cookie the page sets) or, without the cookie, its IP
	// address. A run the page asks for names its panel (?panel=); a newer run of the same
	// panel replaces the older one, but a run handed out is never dropped to make room for
	// another panel or client: a client at its limit is refused (429) and the page tries again.
	MaxPerClient int
	// Hosts, when set, are the host names the server answers to (the Host header, without
	// the port); a request naming another host is refused. A server on loopback sets them to
	// localhost, 127.0.0.1 and ::1, so that a web page cannot reach it through a DNS name
	// of its own that resolves to 127.0.0.1 (DNS rebinding).
	Hosts []string
}

// LoopbackHosts are the host names a loopback server answers to.
var LoopbackHosts = []string{"localhost", "127.0.0.1", "::1"}

func (o Options) withDefaults() Options {
	if o.MaxRuns <= 0 {
		o.MaxRuns = 4
	}
	if o.MaxMonths <= 0 {
		o.MaxMonths = 360
	}
	if o.MaxCounties <= 0 {
		o.MaxCounties = 200
	}
	if o.MaxBody <= 0 {
		o.MaxBody = 64 << 10
	}
	if o.PendingTTL <= 0 {
		o.PendingTTL = 10 * time.Second
	}
	if o.MaxPerClient <= 0 {
		o.MaxPerClient = max(1, o.MaxRuns/2)
	}
	return o
}

//go:embed web
var webFS embed.FS

// assets are the page's files with their content types; nothing else is served from web/.
var assets = map[string]string{
	"app.js":      "text/javascript; charset=utf-8",
	"style.css":   "text/css; charset=utf-8",
	"favicon.svg": "image/svg+xml",
	"model.html":  "text/html; charset=utf-8",
	"model.js":    "text/javascript; charset=utf-8",
	"model.md":    "text/markdown; charset=utf-8",
}

// Server is the teaching page's HTTP handler. Create it with New and stop it with Close once
// the http.Server serving it has shut down.
type Server struct {
	opt       Options
	mux       *http.ServeMux
	index     map[string][]byte // the page by language
	levers    []Lever
	presets   []presetInfo
	scenarios []scenarioInfo

	mu      sync.Mutex
	runs    map[string]*run
	scoring map[string]bool // the addresses with a scorecard being computed (one each)
	closed  bool
}

// run is a checked scenario waiting for, or being sent down, its stream. The model itself
// exists only inside the stream handler.
type run struct {
	id        string
	client    string
	addr      string // the client's IP address (clientOf's fallback)
	panel     string // the page's tab and panel that asked for it ("" for none)
	sc        *scenarios.Scenario
	streaming bool
	claimed   bool // its stream has started at least once
	// superseded marks a run replaced by a newer request of its panel; stop ends its stream.
	superseded bool
	stop       func()
	expire     *time.Timer
	created    time.Time
}

type presetInfo struct {
	Name        string `json:"name"`
	Prefectures int    `json:"prefectures"`
	Counties    int    `json:"counties"`
	Towns       int    `json:"towns"`
}

type scenarioInfo struct {
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Preset      string         `json:"preset,omitempty"`
	StartYear   int            `json:"start_year"`
	Values      map[string]any `json:"values"`
}

// New returns a Server with the given limits.
func New(opt Options) *Server {
	s := &Server{opt: opt.withDefaults(), runs: map[string]*run{}, scoring: map[string]bool{}}
	s.levers = levers(s.opt.MaxMonths)
	page, err := webFS.ReadFile("web/index.html")
	if err != nil {
		panic(err) // embedded at build time
	}
	s.index = map[string][]byte{
		"en": page,
		"zh": bytes.Replace(page, []byte(`<html lang="en">`), []byte(`<html lang="zh">`), 1),
	}
	// Teaching first: it is the classroom's default.
	names := append([]string{"teaching"}, slices.DeleteFunc(scenarios.Presets(), func(n string) bool { return n == "teaching" })...)
	for _, name := range names {
		w, err := scenarios.Preset(name)
		if err != nil {
			continue
		}
		var p presetInfo
		p.Name = name
		for _, pr := range w.Provinces {
			p.Prefectures += pr.Prefectures
			p.Counties += pr.Counties
			p.Towns += pr.Towns
		}
		if p.Counties <= s.opt.MaxCounties {
			s.presets = append(s.presets, p)
		}
	}
	for _, name := range scenarios.Builtins() {
		if isValidation(name) {
			continue // a check of the model, not a lesson: not offered on the page
		}
		sc, err := scenarios.Builtin(name)
		if err != nil {
			continue // a built-in that does not load is reported by the scenarios tests
		}
		s.scenarios = append(s.scenarios, scenarioInfo{
			Name: sc.Name, Description: sc.Description, Preset: sc.Preset, StartYear: sc.Config.StartYear,
			Values: leverValues(s.levers, &sc.Config),
		})
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handleIndex)
	for name := range assets {
		mux.HandleFunc("GET /"+name, s.handleAsset)
	}
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/favicon.svg", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /api/presets", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, s.presets) })
	mux.HandleFunc("GET /api/scenarios", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"default": scenarios.Default, "scenarios": s.scenarios})
	})
	mux.HandleFunc("GET /api/levers", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, s.levers) })
	mux.HandleFunc("POST /api/run", s.handleRun)
	mux.HandleFunc("POST /api/scorecard", s.handleScorecard)
	mux.HandleFunc("GET /api/run/{id}/months", s.handleMonths)
	mux.HandleFunc("GET /api/scenario.yaml", s.handleYAML)
	mux.HandleFunc("POST /api/scenario.yaml", s.handleYAML)
	s.mux = mux
	return s
}

// isValidation reports whether a built-in scenario is one of the model's validation runs
// (eval-*), which the page does not offer (a request may still name one as its base).
func isValidation(name string) bool { return strings.HasPrefix(name, "eval-") }

// ServeHTTP serves the page and its API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'")
	if !s.allowedHost(r.Host) {
		writeProblems(w, refuse(http.StatusMisdirectedRequest, say("Host %q is not this server's name (allowed: %s); open the page at http://localhost:PORT/", r.Host, strings.Join(s.opt.Hosts, ", "))))
		return
	}
	if r.Method == http.MethodPost && !sameOrigin(r) || strings.HasPrefix(r.URL.Path, "/api/") && !fetchedHere(r) {
		writeProblems(w, refuse(http.StatusForbidden, say("cross-origin request refused")))
		return
	}
	s.mux.ServeHTTP(w, r)
}

// fetchedHere reports whether a browser says the request comes from the page itself (its
// Sec-Fetch-Site header same-origin) or from the user (none: typed, bookmarked), or names no
// origin (curl, scripts). Another site's page cannot then make the API work for it, by GET
// (an <img> tag) as by POST.
func fetchedHere(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
		return true
	}
	return false
}

// allowedHost reports whether a Host header names this server: any host when Options.Hosts
// is empty, else one of them (or a name under .localhost), with any port.
func (s *Server) allowedHost(host string) bool {
	if len(s.opt.Hosts) == 0 {
		return true
	}
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		h = host
	}
	h = strings.ToLower(strings.TrimSuffix(strings.Trim(h, "[]"), "."))
	if strings.HasSuffix(h, ".localhost") {
		return true
	}
	for _, a := range s.opt.Hosts {
		if strings.EqualFold(strings.Trim(a, "[]"), h) {
			return true
		}
	}
	return false
}

// clientCookie names the cookie that tells the page's browsers apart for the per-client
// run limit.
const clientCookie = "countysim_client"

// clientOf names the client of a request: its cookie, else its IP address.
func clientOf(r *http.Request) string {
	if c, err := r.Cookie(clientCookie); err == nil && len(c.Value) == 32 {
		if _, err := hex.DecodeString(c.Value); err == nil {
			return "cookie:" + c.Value
		}
	}
	return addrOf(r)
}

// addrOf names the IP address a request comes from.
func addrOf(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "ip:" + host
}

// panelOf names the page's panel a run request comes from (?panel=: the page's tab and panel,
// up to 64 letters, digits, '-' and '_'); "" when it names none or a bad one.
func panelOf(r *http.Request) string {
	p := r.URL.Query().Get("panel")
	if len(p) > 64 {
		return ""
	}
	for _, c := range p {
		if !(c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return ""
		}
	}
	return p
}

// sameOrigin reports whether a request carries no Origin or one naming the host it was sent
// to, so that other web sites cannot start runs from a visitor's browser.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

// Close drops every run not yet streamed and refuses new ones. Call it after the
// http.Server has shut down (its streams have then ended).
func (s *Server) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for id, ru := range s.runs {
		ru.expire.Stop()
		delete(s.runs, id)
	}
}

// NewHTTPServer returns an http.Server for h with timeouts suited to the page: short for
// headers and bodies, long enough to write a run's stream (the stream handler extends its
// write deadline as it goes), and a bound on idle keep-alive connections.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
}

// Loopback reports whether a listen address (host:port) binds only to this machine: a
// loopback IP or "localhost". An empty host binds every interface.
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Vary", "Accept-Language")
	if _, err := r.Cookie(clientCookie); err != nil {
		var b [16]byte
		rand.Read(b[:])
		http.SetCookie(w, &http.Cookie{Name: clientCookie, Value: hex.EncodeToString(b[:]), Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
	}
	w.Write(s.index[language(r)])
}

func (s *Server) handleAsset(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	data, err := webFS.ReadFile("web/" + name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", assets[name])
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(data)
}

// language picks the page's first language: ?lang=zh|en, else the preferred of Chinese and
// English in Accept-Language, else English.
func language(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "zh" || l == "en" {
		return l
	}
	best, bestQ := "en", 0.0
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.ToLower(strings.TrimSpace(tag))
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		lang := ""
		switch {
		case tag == "zh" || strings.HasPrefix(tag, "zh-"):
			lang = "zh"
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			lang = "en"
		}
		if lang != "" && q > bestQ {
			best, bestQ = lang, q
		}
	}
	return best
}

func (s *Server) handleRun(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.opt.MaxBody)
	sc, err := s.readScenario(r)
	if err != nil {
		writeProblems(w, err)
		return
	}
	ru, err := s.add(sc, clientOf(r), addrOf(r), panelOf(r))
	if err != nil {
		w.Header().Set("Retry-After", "1")
		writeProblems(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{
		"id":       ru.id,
		"stream":   "/api/run/" + ru.id + "/months",
		"name":     sc.Name,
		"months":   sc.Config.Months,
		"counties": counties(sc),
	})
}

// handleYAML returns the scenario of a page request (a query or a POST body) in the full
// form of scenarios.Marshal.
func (s *Server) handleYAML(w http.ResponseWriter, r *http.Request) {
	var sc *scenarios.Scenario
	var err error
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, s.opt.MaxBody)
		sc, err = s.readScenario(r)
	} else {
		sc, err = s.build(queryRequest(r.URL.Query()))
	}
	if err != nil {
		writeProblems(w, err)
		return
	}
	data, err := scenarios.Marshal(sc)
	if err != nil {
		writeProblems(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", fileName(sc.Name)+".yaml"))
	w.Write(data)
}

// fileName keeps the letters, digits, '-', '_' and '.' of a scenario name.
func fileName(name string) string {
	f := strings.Map(func(r rune) rune {
		if r < 128 && (r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return r
		}
		return '_'
	}, name)
	if f == "" {
		return "scenario"
	}
	return f
}

// add registers a checked scenario as the run of client (at IP address addr) waiting for its
// stream. panel names the page's panel that asks (its tab and panel, A or B; "" for a request
// that names none): a run handed out to a panel is dropped only when a newer request from the
// same panel replaces it (the page has then given it up), never to make room for another
// panel or another client; a client at its limit, or a full server, is told to try again
// (429), which the page does by itself. A request naming no panel may replace the oldest of
// its client's runs naming none that waits for its stream, as a script posting again would.
// An address may hold at most waitingPerAddr runs not yet streamed, so that one machine
// scripting fresh cookies cannot hold every slot with runs it never streams.
func (s *Server) add(sc *scenarios.Scenario, client, addr, panel string) (*run, error) {
	var b [8]byte
	rand.Read(b[:])
	ru := &run{id: hex.EncodeToString(b[:]), sc: sc, client: client, addr: addr, panel: panel, created: time.Now()}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, refuse(http.StatusServiceUnavailable, say("the server is shutting down"))
	}
	if panel != "" {
		for _, o := range s.runs {
			if o.client == client && o.panel == panel {
				s.supersede(o)
			}
		}
	}
	var mine []*run
	held, waiting, ofAddr := 0, 0, 0
	for _, o := range s.runs {
		if o.superseded {
			continue // its stream is ending
		}
		held++
		if o.client == client {
			mine = append(mine, o)
		}
		if o.addr == addr {
			ofAddr++
			if !o.claimed {
				waiting++
			}
		}
	}
	if len(mine) >= s.opt.MaxPerClient && panel == "" {
		var oldest *run
		for _, o := range mine {
			if o.panel == "" && !o.streaming && (oldest == nil || o.created.Before(oldest.created)) {
				oldest = o
			}
		}
		if oldest != nil {
			if !oldest.claimed {
				waiting--
			}
			s.supersede(oldest)
			mine = slices.DeleteFunc(mine, func(o *run) bool { return o == oldest })
			held--
		}
	}
	if len(mine) >= s.opt.MaxPerClient {
		return nil, refuse(http.StatusTooManyRequests, say("you already have %d runs, the limit per browser; try again when one ends", s.opt.MaxPerClient))
	}
	if held >= s.opt.MaxRuns {
		return nil, refuse(http.StatusTooManyRequests, say("the server is already holding %d runs, its limit; try again in a moment", s.opt.MaxRuns))
	}
	if waiting >= s.waitingPerAddr() {
		return nil, refuse(http.StatusTooManyRequests, say("your address already has %d runs waiting for their streams; try again in a moment", waiting))
	}
	if ofAddr >= s.heldPerAddr() {
		return nil, refuse(http.StatusTooManyRequests, say("your address already holds %d runs; try again when one ends", ofAddr))
	}
	s.runs[ru.id] = ru
	ru.expire = time.AfterFunc(s.opt.PendingTTL, func() { s.drop(ru) })
	return ru, nil
}

// heldPerAddr is the number of runs one address may hold, streaming or waiting: all but one
// of the server's (at least a client's limit), so that one machine making up a cookie for
// each run cannot hold every slot with streams it reads slowly and leave others none.
func (s *Server) heldPerAddr() int {
	return max(s.opt.MaxPerClient, s.opt.MaxRuns-1, 1)
}

// waitingPerAddr is the number of runs not yet streamed one address may hold: a client's
// limit, and at least half the server.
func (s *Server) waitingPerAddr() int {
	return max(s.opt.MaxPerClient, s.opt.MaxRuns/2, 1)
}

// supersede gives up a run its panel has replaced: a run waiting for its stream is dropped at
// once; a streaming one is stopped and dropped when its stream ends. s.mu is held.
func (s *Server) supersede(o *run) {
	o.superseded = true
	if o.streaming {
		if o.stop != nil {
			o.stop()
		}
		return
	}
	o.expire.Stop()
	delete(s.runs, o.id)
}

// claim marks a run as streaming; a run has one stream at a time. stop ends the stream early
// (when a newer request of the run's panel replaces it).
func (s *Server) claim(id string, stop func()) (*run, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ru, ok := s.runs[id]
	if !ok || ru.superseded {
		return nil, &inputError{status: http.StatusNotFound, problems: []problem{{Message: "no such run (it finished or expired): start it again", Text: "no such run"}}}
	}
	if ru.streaming {
		return nil, refuse(http.StatusConflict, say("this run is already streaming"))
	}
	ru.expire.Stop()
	ru.streaming, ru.claimed, ru.stop = true, true, stop
	return ru, nil
}

// release ends a stream: a complete run is dropped; an interrupted one waits PendingTTL for
// the client to resume it with ?from=K.
func (s *Server) release(ru *run, complete bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ru.streaming, ru.stop = false, nil
	if complete || s.closed || ru.superseded {
		delete(s.runs, ru.id)
		return
	}
	ru.expire.Reset(s.opt.PendingTTL)
}

// drop removes a run that waited too long for its stream.
func (s *Server) drop(ru *run) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !ru.streaming && s.runs[ru.id] == ru {
		delete(s.runs, ru.id)
	}
}

// Runs returns the number of runs held now (waiting or streaming).
func (s *Server) Runs() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.runs)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeProblems answers with an error's status and problems as {"errors": [...]}.
func writeProblems(w http.ResponseWriter, err error) {
	var ie *inputError
	if !errors.As(err, &ie) {
		ie = &inputError{status: http.StatusInternalServerError, problems: problems(err)}
	}
	writeJSON(w, ie.status, map[string]any{"errors": ie.problems})
}
