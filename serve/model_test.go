package serve

import (
	"bytes"
	"io"
	"net/http/httptest"
	"os"
	"testing"
)

// TestModelDescriptionServed checks that the page serves the model description it links to,
// and that the embedded copy is docs/MODEL.md as it stands. When this fails after the model
// description changed, refresh the copy: cp docs/MODEL.md serve/web/model.md
func TestModelDescriptionServed(t *testing.T) {
	want, err := os.ReadFile("../docs/MODEL.md")
	if err != nil {
		t.Fatal(err)
	}
	got, err := webFS.ReadFile("web/model.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("serve/web/model.md differs from docs/MODEL.md; run cp docs/MODEL.md serve/web/model.md")
	}
	s := New(Options{})
	defer s.Close()
	for _, name := range []string{"model.html", "model.js", "model.md"} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", "/"+name, nil))
		body, _ := io.ReadAll(rec.Body)
		if rec.Code != 200 || len(body) == 0 {
			t.Errorf("GET /%s: %d, %d bytes", name, rec.Code, len(body))
		}
	}
}
