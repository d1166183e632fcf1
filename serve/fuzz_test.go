package serve

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzReadScenario checks the server's request decoding: any body, sent as YAML, JSON or
// without a type, is turned into a scenario within the page's caps or into a 4xx answer with
// problems, never a panic. Seeds: the page's form, a YAML scenario, an alias bomb.
func FuzzReadScenario(f *testing.F) {
	f.Add("application/json", []byte(`{"base":"baseline","preset":"teaching","sets":{"months":12,"pmc.enabled":false}}`))
	f.Add("application/json", []byte(`{"sets":{"name":"../x","pmc.cohorts":[{"name":"a","share":0.5,"step1":1,"step2":2,"step3":3}]}}`))
	f.Add("application/yaml", []byte("name: mine\npreset: teaching\nmonths: 24\n"))
	f.Add("", []byte("a: &a [1, 1]\nb: &b [*a, *a]\nc: [*b, *b]\n"))
	f.Add("text/plain", []byte(`{"base": 1}`))
	s := New(Options{})
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		if len(body) > 16<<10 {
			return // the server caps bodies before decoding (MaxBody)
		}
		r := httptest.NewRequest(http.MethodPost, "/api/run", bytes.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		sc, err := s.readScenario(r)
		if err != nil {
			var ie *inputError
			if !errors.As(err, &ie) || ie.status < 400 || ie.status >= 500 || len(ie.problems) == 0 {
				t.Fatalf("got %T %v, want an input error with problems", err, err)
			}
			return
		}
		if sc.Config.Months > s.opt.MaxMonths || counties(sc) > s.opt.MaxCounties {
			t.Fatalf("accepted a scenario beyond the page's caps: %d months, %d counties", sc.Config.Months, counties(sc))
		}
	})
}
