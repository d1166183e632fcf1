package results

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestFiguresRenderedConcurrentlySameBytes checks that the figures, rendered concurrently,
// are the bytes of each figure rendered alone, and that the files are listed in the fixed
// order (figures by format as asked, then the rest).
func TestFiguresRenderedConcurrentlySameBytes(t *testing.T) {
	dir, rec := record(t, tinyConfig(24), Options{Plots: true, Formats: []string{"svg", "png"}})
	var want []string
	for _, f := range figures {
		want = append(want, f.name+".svg", f.name+".png")
		for _, format := range []string{"svg", "png"} {
			var alone bytes.Buffer
			if err := rec.renderFigure(&alone, f, format); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(filepath.Join(dir, f.name+"."+format))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, alone.Bytes()) {
				t.Errorf("%s.%s differs from the figure rendered alone", f.name, format)
			}
		}
	}
	files := rec.Files()
	i := slices.Index(files, want[0])
	if i < 0 || i+len(want) > len(files) || !slices.Equal(files[i:i+len(want)], want) {
		t.Errorf("files listed %v, want the figures in the order %v", files, want)
	}
}
