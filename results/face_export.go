package results

import "gonum.org/v1/plot/font"

// PlotFont is the typeface of figures in l, for packages drawing their own: Liberation Sans in
// English, the embedded CJK subset (cjk.go) in Chinese, so Chinese words never draw as boxes.
func PlotFont(l Lang) font.Font { return face(l) }
