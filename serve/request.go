package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/countysim/countysim/scenarios"
)

// runRequest is the page's form of a scenario: a built-in scenario, a province preset that
// replaces its world, and field overrides by path, each value read as YAML into its field.
type runRequest struct {
	Base   string         `json:"base"`
	Preset string         `json:"preset"`
	Sets   map[string]any `json:"sets"`
}

// problem is one thing wrong with a request, for the page: the field path (when there is
// one), the line in a YAML body, the message, and the whole line as the command line prints
// it, in English and, where the message has a translation, in Chinese as the page writes it
// (MessageZh, TextZh: a space between Chinese and Latin letters or numbers). Both languages
// are sent, as /api/levers sends both labels, so that the page can switch language with a
// problem on show.
type problem struct {
	Path      string `json:"path,omitempty"`
	Line      int    `json:"line,omitempty"`
	Message   string `json:"message"`
	Text      string `json:"text"`
	MessageZh string `json:"message_zh,omitempty"`
	TextZh    string `json:"text_zh,omitempty"`
}

// inputError is a request the server will not run: its HTTP status and every problem found.
type inputError struct {
	status   int
	problems []problem
}

func (e *inputError) Error() string {
	lines := make([]string, len(e.problems))
	for i, p := range e.problems {
		lines[i] = p.Text
	}
	return strings.Join(lines, "\n")
}

// say makes the message format with args (a key of lang's Chinese, lang/zh_serve.go) as a
// text the server can say in English and Chinese.
func say(format string, args ...any) scenarios.Text {
	return scenarios.Text{Format: format, Args: args}
}

// fieldProblem is a problem with the field at path ("" for the request as a whole) with the
// message t.
func fieldProblem(path string, t scenarios.Text) problem {
	p := problem{Path: path, Message: scenarios.Printable(t.String())}
	p.Text = p.Message
	if path != "" {
		p.Text = path + ": " + p.Message
	}
	if zh, ok := inChinese(t); ok {
		p.MessageZh = zh
		p.TextZh = zh
		if path != "" {
			p.TextZh = path + ": " + zh
		}
	}
	return p
}

// refuse is a request refused with status for the reason t.
func refuse(status int, t scenarios.Text) *inputError {
	return &inputError{status: status, problems: []problem{fieldProblem("", t)}}
}

func badRequest(format string, a ...any) *inputError {
	return refuse(http.StatusBadRequest, say(format, a...))
}

// problems converts a scenario error into problems; other errors become one problem.
func problems(err error) []problem { return pageProblems(err, 0) }

// pageProblems converts a scenario error into problems, a problem with the horizon quoting
// the page's range of months (up to maxMonths; 0: the scenario rules' range); other errors
// become one problem.
func pageProblems(err error, maxMonths int) []problem {
	var le *scenarios.LoadError
	if !errors.As(err, &le) {
		return []problem{fieldProblem("", textOf(err))}
	}
	out := make([]problem, len(le.Problems))
	for i, p := range le.Problems {
		if maxMonths > 0 && p.Path == "months" && p.Text.Format != "" {
			p.Text = pageMonths(p.Text, maxMonths)
			p.Msg = p.Text.String()
		}
		out[i] = problem{Path: p.Path, Line: p.Line, Message: p.Msg, Text: p.String()}
		if p.Text.Format == "" {
			continue // made outside package scenarios: English only
		}
		if zh, ok := inChinese(p.Text); ok {
			out[i].MessageZh = zh
			out[i].TextZh = pageSpacing(p.In(zhTranslator))
		}
	}
	return out
}

// textOf is an error's message as a text: its own for a scenarios.Error, else its English.
func textOf(err error) scenarios.Text {
	var e *scenarios.Error
	if errors.As(err, &e) && e.Error() == err.Error() {
		return e.Text
	}
	return say("%v", err.Error())
}

// readScenario reads the scenario a POST body gives, YAML text (a scenario file) or the page's
// JSON form, and checks it against the scenario rules and the page's caps. The body must
// already be limited in size. A body sent as YAML (application/yaml, text/yaml) is YAML;
// otherwise a JSON object is the page's form and anything else is YAML.
func (s *Server) readScenario(r *http.Request) (*scenarios.Scenario, error) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, refuse(http.StatusRequestEntityTooLarge, say("request body over %d bytes", tooBig.Limit))
		}
		return nil, badRequest("reading the request: %v", err)
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	isYAML := strings.HasSuffix(ct, "/yaml") || strings.HasSuffix(ct, "/x-yaml")
	isJSON := ct == "application/json" || !isYAML && bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) && json.Valid(data)
	if !isJSON {
		sc, err := scenarios.ParseNoFiles("scenario.yaml", data) // the server's files are not the page's to read
		if err != nil {
			return nil, &inputError{status: http.StatusBadRequest, problems: pageProblems(err, s.opt.MaxMonths)}
		}
		if ps := s.limits(sc); len(ps) > 0 {
			return nil, &inputError{status: http.StatusBadRequest, problems: ps}
		}
		return sc, nil
	}
	var req runRequest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	form := say(`(expected {"base": NAME, "preset": NAME, "sets": {"path": value}})`)
	if err := dec.Decode(&req); err != nil {
		return nil, badRequest("reading the JSON request: %v %s", err, form)
	}
	// One object and nothing after it: null would run the defaults unnoticed, and text after
	// the object would be ignored unseen.
	if t := bytes.TrimSpace(data); !bytes.HasPrefix(t, []byte("{")) {
		return nil, badRequest("reading the JSON request: %.20q is not an object %s", t, form)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, badRequest("reading the JSON request: more after the object (a request is one object) %s", form)
	}
	return s.build(req)
}

// queryRequest reads the page's form of a scenario from a URL query: base, preset and any
// number of set=path=value.
func queryRequest(q url.Values) runRequest {
	req := runRequest{Base: q.Get("base"), Preset: q.Get("preset"), Sets: map[string]any{}}
	for _, a := range q["set"] {
		path, value, _ := strings.Cut(a, "=")
		req.Sets[path] = value
	}
	return req
}

// maxSets bounds the settings one request may change: the page has some fifty; each is
// decoded on its own, so their number bounds a request's work.
const maxSets = 500

// build makes the scenario of a page request: the built-in base scenario (never a file),
// then the preset, then every override, then the scenario rules and the page's caps. A
// changed scenario gets a new name (base-preset, base-edited or base-preset-edited) and a
// description that lists the changes, so that a downloaded file says what it is.
func (s *Server) build(req runRequest) (*scenarios.Scenario, error) {
	base := req.Base
	if base == "" {
		base = scenarios.Default
	}
	sc, err := scenarios.Builtin(base)
	if err != nil {
		return nil, &inputError{status: http.StatusBadRequest, problems: []problem{fieldProblem("base", textOf(err))}}
	}
	var changes []string
	var ps []problem
	builtinPreset := sc.Preset
	if req.Preset != "" && req.Preset != sc.Preset {
		changes = append(changes, "preset="+req.Preset)
		if err := scenarios.Set(sc, "preset="+req.Preset); err != nil {
			ps = append(ps, problems(err)...)
		}
	}
	if len(req.Sets) > maxSets {
		return nil, &inputError{status: http.StatusBadRequest, problems: []problem{fieldProblem("sets", say("%d settings (allowed: at most %d)", len(req.Sets), maxSets))}}
	}
	paths := make([]string, 0, len(req.Sets))
	for p := range req.Sets {
		paths = append(paths, p)
	}
	// The preset replaces the world, so it goes first; the rest in a fixed order.
	slices.SortFunc(paths, func(a, b string) int {
		if (a == "preset") != (b == "preset") {
			if a == "preset" {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	failed := map[string]bool{}
	for _, p := range paths {
		text, err := yamlText(req.Sets[p])
		if err == nil && strings.ContainsRune(p, '=') {
			err = &scenarios.Error{Text: say("a field path has no '=' (write the value as the value, not in the path)")}
		}
		if err != nil {
			ps = append(ps, fieldProblem(p, textOf(err)))
			failed[p] = true
			continue
		}
		changes = append(changes, p+"="+text)
		if err := scenarios.Set(sc, p+"="+text); err != nil {
			ps = append(ps, pageProblems(err, s.opt.MaxMonths)...)
			failed[p] = true
		}
	}
	if err := scenarios.Validate(sc); err != nil {
		for _, p := range pageProblems(err, s.opt.MaxMonths) {
			if !failed[p.Path] {
				ps = append(ps, p)
				failed[p.Path] = true
			}
		}
	}
	for _, p := range s.limits(sc) {
		if !failed[p.Path] {
			ps = append(ps, p)
		}
	}
	if len(ps) > 0 {
		return nil, &inputError{status: http.StatusBadRequest, problems: ps}
	}
	if len(changes) > 0 {
		// The name says what differs from the built-in: another province, other settings.
		if _, named := req.Sets["name"]; !named {
			sc.Name = base
			if req.Preset != "" && req.Preset != builtinPreset {
				sc.Name += "-" + req.Preset
			}
			if len(req.Sets) > 0 {
				sc.Name += "-edited"
			}
		}
		if _, described := req.Sets["description"]; !described {
			sc.Description = strings.TrimSpace(sc.Description + " Changed on the teaching page: " + strings.Join(changes, ", ") + ".")
		}
	}
	sc.Source = "serve:" + base
	return sc, nil
}

// yamlText writes a JSON value as the YAML text of an override: numbers as written, strings
// as they are (so "0.5" typed into a box reads as a number), lists and mappings in flow form.
func yamlText(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case json.Number:
		return v.String(), nil
	case bool:
		return strconv.FormatBool(v), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", &scenarios.Error{Text: say("cannot read value: %v", err.Error())}
	}
	return string(b), nil
}

// limits applies the page's caps, which are tighter than the scenario rules so that a
// classroom server stays quick: the horizon and the number of counties.
func (s *Server) limits(sc *scenarios.Scenario) []problem {
	var ps []problem
	add := func(path, format string, a ...any) { ps = append(ps, fieldProblem(path, say(format, a...))) }
	if sc.Config.Months > s.opt.MaxMonths {
		add("months", "bad value %d (allowed: at most %d on the teaching page; use countysim run for longer runs)", sc.Config.Months, s.opt.MaxMonths)
	}
	if n := counties(sc); n > s.opt.MaxCounties {
		path := "world.provinces"
		if sc.Preset != "" {
			path = "preset"
		}
		add(path, "%d counties (allowed: at most %d on the teaching page; use countysim run for bigger worlds)", n, s.opt.MaxCounties)
	}
	return ps
}

// rulesMonths is the range of months the scenario rules allow, as they say it.
var rulesMonths = regexp.MustCompile(`^a whole number from (-?\d+) to \d+$`)

// pageMonths makes a message about the horizon quote the page's range of months (up to
// maxMonths), not the scenario rules' wider one: the page allows no more.
func pageMonths(t scenarios.Text, maxMonths int) scenarios.Text {
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		switch a := a.(type) {
		case scenarios.Words:
			if m := rulesMonths.FindStringSubmatch(string(a)); m != nil {
				args[i] = say("a whole number from %s to %d on the teaching page; use countysim run for longer runs", m[1], maxMonths)
				continue
			}
		case scenarios.Text:
			args[i] = pageMonths(a, maxMonths)
			continue
		}
		args[i] = a
	}
	return scenarios.Text{Format: t.Format, Args: args}
}

func counties(sc *scenarios.Scenario) int {
	n := 0
	for _, p := range sc.Config.World.Provinces {
		n += p.Counties
	}
	return n
}
