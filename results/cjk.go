package results

import (
	_ "embed" // the CJK font subset
	"fmt"
	"sync"

	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot/font"
)

// cjkTTF is WenQuanYi Micro Hei (Apache-2.0, see fonts/LICENSE-wqy-microhei.txt), cut down
// by scripts/fontsubset to the glyphs of printable ASCII, common punctuation and every rune
// of the package's Chinese words (the zh and metricZh tables). A test fails when a
// translation uses a glyph the subset lacks; after adding words, run scripts/fontsubset.
// Chinese SVG figures embed it (about 150 KB; a character it lacks, such as one of a
// user's scenario name, is drawn by the viewer's own fonts).
//
//go:embed fonts/wqy-microhei-subset.ttf
var cjkTTF []byte

// cjkWideTTF is the same font with every character of GB 2312 and of the county and
// prefecture names in data/ besides (scripts/fontsubset; about 1.3 MB): PNG figures are drawn
// with it, and every Chinese figure's text measured with it, so that the names users give
// scenarios, cohorts and counties are drawn, not left blank.
//
//go:embed fonts/wqy-microhei-gb2312.ttf
var cjkWideTTF []byte

// cjkTypeface is the name the subset is registered under in gonum/plot's font cache.
const cjkTypeface = "WenQuanYi Micro Hei subset"

var cjkOnce sync.Once

// cjkFont returns the font of Chinese figures, registering the embedded subset with
// gonum/plot's default font cache on first use. Figures drawn with it look the same on every
// machine, whatever fonts it has installed.
func cjkFont() font.Font {
	cjkOnce.Do(func() {
		f, err := opentype.Parse(cjkWideTTF)
		if err != nil {
			panic(fmt.Sprintf("results: embedded CJK font: %v", err)) // unreachable: the file is tested
		}
		fnt := font.Font{Typeface: cjkTypeface}
		font.DefaultCache.Add(font.Collection{{Font: fnt, Face: f}})
	})
	return font.Font{Typeface: cjkTypeface}
}
