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
//
//go:embed fonts/wqy-microhei-subset.ttf
var cjkTTF []byte

// cjkTypeface is the name the subset is registered under in gonum/plot's font cache.
const cjkTypeface = "WenQuanYi Micro Hei subset"

var cjkOnce sync.Once

// cjkFont returns the font of Chinese figures, registering the embedded subset with
// gonum/plot's default font cache on first use. Figures drawn with it look the same on every
// machine, whatever fonts it has installed.
func cjkFont() font.Font {
	cjkOnce.Do(func() {
		f, err := opentype.Parse(cjkTTF)
		if err != nil {
			panic(fmt.Sprintf("results: embedded CJK font: %v", err)) // unreachable: the file is tested
		}
		fnt := font.Font{Typeface: cjkTypeface}
		font.DefaultCache.Add(font.Collection{{Font: fnt, Face: f}})
	})
	return font.Font{Typeface: cjkTypeface}
}
