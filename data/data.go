// Package data embeds the input data files of this folder (see README.md for their source,
// licence and attribution). Package census parses them.
package data

import "embed"

// FS holds census-2010-counties.csv, prefectures-2020-outlines.csv and admin-units.csv.
//
//go:embed census-2010-counties.csv prefectures-2020-outlines.csv admin-units.csv
var FS embed.FS
