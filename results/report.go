package results

import (
	"encoding/base64"
	htmltemplate "html/template"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"
)

// Report file names.
const (
	ReportMarkdownFile = "report.md"
	ReportHTMLFile     = "report.html"
)

// report is the content of report.md and report.html: one page a reform office can read
// without the code. Both files are rendered from it, so they say the same thing.
type report struct {
	Title     string
	Byline    string
	Options   []reportOption
	Setting   []string
	Reference string
	Others    []string
	FinalYear int
	Rows      []reportRow
	Figures   []reportFigure
	Scenarios []string // every scenario, in order, for the ranking columns
	Ranking   []rankRow
	HowToRead []string
	Caveats   []string
	Files     []string
	Command   string
}

type reportOption struct {
	Name, Description, Role string
}

// reportRow is one outcome of the results table: the reference's level and each other
// option's difference from it, in words, with a verdict.
type reportRow struct {
	Label, Better, Level string
	Cells                []reportCell
}

type reportCell struct {
	Text, Verdict string
}

type reportFigure struct {
	Title, File string
	PNG         []byte
}

// DataURI returns the figure as a data: URL for the self-contained HTML page.
func (f reportFigure) DataURI() htmltemplate.URL {
	return htmltemplate.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(f.PNG))
}

type rankRow struct {
	Label, Better string
	Ranks         []int
}

func newReport(es []*Ensemble, ds []Difference, figs []reportFigure, meta EnsembleMeta) *report {
	ref := es[0]
	cfg := ref.Config
	reps := len(ref.Tracks)
	finalYear := cfg.StartYear + max(cfg.Months/12-1, 0)
	r := &report{
		Reference: ref.Name,
		FinalYear: finalYear,
		Figures:   figs,
		Files:     []string{EnsembleFile, DifferencesFile, ManifestFile},
	}
	var names []string
	for i, e := range es {
		names = append(names, e.Name)
		role := "option"
		if i == 0 {
			role = "reference"
		} else {
			r.Others = append(r.Others, e.Name)
		}
		desc := e.Description
		if desc == "" {
			desc = "(no description given)"
		}
		r.Options = append(r.Options, reportOption{Name: e.Name, Description: desc, Role: role})
	}
	r.Scenarios = names
	r.Title = "Reform options compared: " + strings.Join(names, ", ")
	r.Byline = "Prepared with countysim " + meta.Version
	if !meta.Start.IsZero() {
		r.Byline += " on " + meta.Start.UTC().Format("2 January 2006")
	}
	r.Byline += " from " + strconv.Itoa(reps) + " simulated runs of each option."
	r.Setting = reportSetting(es, meta, finalYear)

	// Differences come scenario by scenario, then outcome, then measure.
	per := 2 * len(KeyOutcomes)
	for j, o := range KeyOutcomes {
		at := func(s int) Difference { return ds[s*per+2*j] } // the final-year row
		row := reportRow{Label: o.Label, Better: o.Better.String(), Level: level(o, at(0).Value.Mean)}
		rank := rankRow{Label: o.Label, Better: o.Better.String()}
		for s := range es {
			rank.Ranks = append(rank.Ranks, at(s).Rank)
			if s > 0 {
				row.Cells = append(row.Cells, reportCell{Text: describeDiff(o, at(s).Diff), Verdict: verdict(o, at(s).Diff)})
			}
		}
		r.Rows = append(r.Rows, row)
		r.Ranking = append(r.Ranking, rank)
	}
	r.HowToRead = []string{
		"Each option was simulated " + strconv.Itoa(reps) + " times. The model draws chance events (which projects are filed, economic shocks, whether audits find misuse), so runs differ; the lines in the figures are the average over runs and the shaded bands show where the middle 90% of runs lay (5th to 95th percentile).",
		"Run 1 of every option used the same random seed, run 2 the same, and so on: every option meets the same luck, so the difference between two options in one run is due to the options alone. The table reports the average of these paired differences and, in brackets, the range that held in 90% of the pairs (5th to 95th percentile).",
		"All numbers are for all counties of the province together in the final year, " + strconv.Itoa(finalYear) + ": averages over the year for times, shares and rates; totals over the year for money that flows; the position at the end of the year for debt and county counts.",
		"\"Better\" and \"worse\" follow the direction stated for each outcome (for example, shorter approval times and higher growth are better). \"No clear difference\" means the 90% range includes zero: the options cannot be told apart on that outcome in these runs.",
		"The ranking orders the options by their average final-year value on each outcome (1 = best). It does not say whether the gaps are large or clear; read it with the table.",
	}
	r.Caveats = []string{
		"This is a simulation, not a forecast. The model is a stylised province whose rules are written down in the model description (docs/MODEL.md); the results show how those rules play out under the stated assumptions, not what will happen in a real province.",
		"The ranges show run-to-run variation only: the chance events inside the model. They do not include uncertainty about the model's assumptions, its parameter values or the data behind them, which is usually larger. Test assumptions by changing them (--set) or with the sensitivity analysis.",
		"With " + strconv.Itoa(reps) + " runs the 5th and 95th percentiles rest on the few most extreme runs; more runs (--reps) give steadier ranges.",
		"Differences over the whole period, not only the final year, are in " + DifferencesFile + " (measure \"horizon\"); every monthly value with its range is in " + EnsembleFile + ".",
	}
	if len(meta.Args) > 0 {
		args := append([]string{filepath.Base(meta.Args[0])}, meta.Args[1:]...)
		r.Command = strings.Join(args, " ")
	}
	return r
}

// reportSetting describes the world, the period and the runs in plain words.
func reportSetting(es []*Ensemble, meta EnsembleMeta, finalYear int) []string {
	cfg := es[0].Config
	var out []string
	world := func(e *Ensemble) string {
		var ps []string
		for _, p := range e.Config.World.Provinces {
			ps = append(ps, p.Name+": "+thousands(float64(p.Prefectures), 0)+" prefecture cities, "+
				thousands(float64(p.Counties), 0)+" counties, "+thousands(float64(p.Towns), 0)+" towns and townships")
		}
		s := strings.Join(ps, "; ")
		if e.Preset != "" {
			s += " (preset " + e.Preset + ")"
		}
		return s
	}
	same := true
	for _, e := range es[1:] {
		same = same && world(e) == world(es[0])
	}
	if same {
		out = append(out, "Province: "+world(es[0])+".")
	} else {
		for _, e := range es {
			out = append(out, "Province in "+e.Name+": "+world(e)+".")
		}
	}
	years := cfg.Months / 12
	period := strconv.Itoa(cfg.Months) + " months"
	if years > 0 {
		period += " (" + strconv.Itoa(years) + " years)"
	}
	out = append(out, "Period: "+period+" from January "+strconv.Itoa(cfg.StartYear)+"; the final year is "+strconv.Itoa(finalYear)+".")
	reps := len(es[0].Tracks)
	out = append(out, "Runs: "+strconv.Itoa(reps)+" of each option, "+strconv.Itoa(reps*len(es))+" in all.")
	out = append(out, "Random seeds: master seed "+strconv.FormatUint(meta.MasterSeed, 10)+
		". Run 1 of every option uses the same seed derived from it, run 2 the next, and so on; every seed is listed in "+ManifestFile+".")
	return out
}

// level formats an outcome's value, times its scale, with its unit, to three significant
// figures.
func level(o Outcome, v float64) string {
	if math.IsNaN(v) {
		return "not defined"
	}
	v *= o.Scale
	unit, div := displayUnit(o.Unit, math.Abs(v))
	v /= div
	s := thousands(v, decimals(math.Abs(v), 3))
	switch unit {
	case "":
		return s
	case "%":
		return s + "%"
	}
	return s + " " + unit
}

// displayUnit returns the unit to show numbers up to big in, and the divisor to that unit:
// amounts of a billion yuan or more in billions.
func displayUnit(unit string, big float64) (string, float64) {
	if unit == "million yuan" && big >= 1000 {
		return "billion yuan", 1000
	}
	return unit, 1
}

// describeDiff puts a paired difference in words: "about 12 days shorter (9 to 15)"; a range
// that straddles zero names both directions, "about 1 day shorter (3 shorter to 2 longer)".
// Numbers are rounded to roundingStep, less any decimal that is zero in all of them.
func describeDiff(o Outcome, d Summary) string {
	if d.N == 0 {
		return "not defined"
	}
	m, lo, hi := d.Mean*o.Scale, d.P5*o.Scale, d.P95*o.Scale
	big := math.Max(math.Abs(m), math.Max(math.Abs(lo), math.Abs(hi)))
	if big == 0 {
		return "the same in every run"
	}
	unit, div := displayUnit(o.DiffUnit, big)
	m, lo, hi, big = m/div, lo/div, hi/div, big/div
	if unit != "" {
		unit = " " + unit
	}
	u := roundingStep(big, hi-lo)
	dec := max(0, -int(math.Round(math.Log10(u))))
	num := func(v float64) string { return thousands(math.Round(math.Abs(v)/u)*u, dec) }
	// Drop a decimal that is zero in all three numbers: "0.4 to 0.5", not "0.40 to 0.50".
	for dec > 0 && strings.HasSuffix(num(m), "0") && strings.HasSuffix(num(lo), "0") && strings.HasSuffix(num(hi), "0") {
		dec--
		u *= 10
	}
	word := func(v float64) string {
		if v > 0 {
			return o.Up
		}
		return o.Down
	}
	zero := num(0)
	head := "about the same"
	if num(m) != zero {
		head = "about " + num(m) + unit + " " + word(m)
	}
	var rng string
	switch {
	case lo >= 0 || hi <= 0:
		a, b := num(math.Min(math.Abs(lo), math.Abs(hi))), num(math.Max(math.Abs(lo), math.Abs(hi)))
		if a == b {
			rng = "nearly the same in every run"
		} else {
			rng = a + " to " + b
			if head == "about the same" {
				rng += unit + " " + word(lo+hi)
			}
		}
	default:
		rng = num(lo) + " " + o.Down + " to " + num(hi) + " " + o.Up
	}
	return head + " (" + rng + ")"
}

// roundingStep returns the step numbers are rounded to when they reach up to big and their
// range spans width: two significant figures of big, or finer if that is needed to tell the
// ends of the range apart (one significant figure of the width), but never beyond four
// significant figures of big.
func roundingStep(big, width float64) float64 {
	e := math.Floor(math.Log10(big))
	u := math.Pow(10, e-1)
	if width > 0 {
		u = math.Min(u, math.Pow(10, math.Floor(math.Log10(width))))
	}
	return math.Max(u, math.Pow(10, e-3))
}

// verdict says whether a difference is better, worse or unclear: better or worse only when
// the 90% range of paired differences lies on one side of zero.
func verdict(o Outcome, d Summary) string {
	switch {
	case d.N == 0:
		return ""
	case d.P5 == 0 && d.P95 == 0:
		return "no difference"
	case d.P5 > 0:
		if o.Better == HigherIsBetter {
			return "better"
		}
		return "worse"
	case d.P95 < 0:
		if o.Better == LowerIsBetter {
			return "better"
		}
		return "worse"
	}
	return "no clear difference"
}

// decimals returns the number of decimals that show v (> 0) to sig significant figures, and
// none for numbers with at least sig digits before the point.
func decimals(v float64, sig int) int {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return max(0, sig-1-int(math.Floor(math.Log10(v))))
}

// thousands formats v with dec decimals and commas between groups of thousands.
func thousands(v float64, dec int) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', dec, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// mdCell escapes text for a Markdown table cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

func (r *report) markdown(w io.Writer) error { return markdownReport.Execute(w, r) }

func (r *report) html(w io.Writer) error { return htmlReport.Execute(w, r) }

var funcs = template.FuncMap{"md": mdCell}

var markdownReport = template.Must(template.New("report.md").Funcs(funcs).Parse(`# {{.Title}}

{{.Byline}} A simulation, not a forecast: see the caveats at the end.

## What was compared
{{range .Options}}
- **{{.Name}}**{{if eq .Role "reference"}} (the reference the others are measured against){{end}}: {{.Description}}
{{- end}}

## The setting
{{range .Setting}}
- {{.}}
{{- end}}

## Results
{{$ref := .Reference}}
Each option against **{{.Reference}}**, all counties of the province, final year {{.FinalYear}}. The brackets give the range that held in 90% of the paired runs.

| Outcome | Better is | {{md .Reference}}: level |{{range .Others}} {{md .}} vs {{md $ref}} |{{end}}
|---|---|---|{{range .Others}}---|{{end}}
{{range .Rows}}| {{md .Label}} | {{.Better}} | {{md .Level}} |{{range .Cells}} {{md .Text}}{{with .Verdict}}: **{{.}}**{{end}} |{{end}}
{{end}}
## Figures

All counties of the province over time. Each line is an option's average over its runs; the shaded band around it holds the middle 90% of runs. Dashed vertical lines mark the dates of the pilot steps.
{{range .Figures}}
![{{.Title}}]({{.File}})
{{end}}
## Ranking

1 = best on that outcome, by the average final-year value.

| Outcome | Better is |{{range .Scenarios}} {{md .}} |{{end}}
|---|---|{{range .Scenarios}}---|{{end}}
{{range .Ranking}}| {{md .Label}} | {{.Better}} |{{range .Ranks}} {{.}} |{{end}}
{{end}}
## How to read this
{{range .HowToRead}}
- {{.}}
{{- end}}

## Caveats
{{range .Caveats}}
- {{.}}
{{- end}}

## Files

{{range $i, $f := .Files}}{{if $i}}, {{end}}[{{$f}}]({{$f}}){{end}}; the figures also as .svg.{{with .Command}}
To repeat this comparison: ` + "`{{.}}`" + `.{{end}}
`))

var htmlReport = htmltemplate.Must(htmltemplate.New("report.html").Funcs(htmltemplate.FuncMap(funcs)).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body { font-family: "Liberation Sans", Arial, sans-serif; max-width: 64em; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.95em; }
th, td { border: 1px solid #ccc; padding: 0.35em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: center; }
.better { color: #1a7f37; font-weight: bold; } .worse { color: #b42318; font-weight: bold; }
img { max-width: 100%; border: 1px solid #eee; margin: 0.5em 0; }
.note { color: #555; }
code { background: #f3f3f3; padding: 0.1em 0.3em; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="note">{{.Byline}} A simulation, not a forecast: see the caveats at the end.</p>

<h2>What was compared</h2>
<ul>
{{range .Options}}<li><strong>{{.Name}}</strong>{{if eq .Role "reference"}} (the reference the others are measured against){{end}}: {{.Description}}</li>
{{end}}</ul>

<h2>The setting</h2>
<ul>
{{range .Setting}}<li>{{.}}</li>
{{end}}</ul>

<h2>Results</h2>
<p>Each option against <strong>{{.Reference}}</strong>, all counties of the province, final year {{.FinalYear}}. The brackets give the range that held in 90% of the paired runs.</p>
<table>
<tr><th>Outcome</th><th>Better is</th><th>{{.Reference}}: level</th>{{$ref := .Reference}}{{range .Others}}<th>{{.}} vs {{$ref}}</th>{{end}}</tr>
{{range .Rows}}<tr><td>{{.Label}}</td><td>{{.Better}}</td><td>{{.Level}}</td>{{range .Cells}}<td>{{.Text}}{{with .Verdict}}: <span class="{{if eq . "better"}}better{{else if eq . "worse"}}worse{{end}}">{{.}}</span>{{end}}</td>{{end}}</tr>
{{end}}</table>

<h2>Figures</h2>
<p>All counties of the province over time. Each line is an option's average over its runs; the shaded band around it holds the middle 90% of runs. Dashed vertical lines mark the dates of the pilot steps.</p>
{{range .Figures}}<figure><img src="{{.DataURI}}" alt="{{.Title}}"></figure>
{{end}}
<h2>Ranking</h2>
<p>1 = best on that outcome, by the average final-year value.</p>
<table>
<tr><th>Outcome</th><th>Better is</th>{{range .Scenarios}}<th>{{.}}</th>{{end}}</tr>
{{range .Ranking}}<tr><td>{{.Label}}</td><td>{{.Better}}</td>{{range .Ranks}}<td class="num">{{.}}</td>{{end}}</tr>
{{end}}</table>

<h2>How to read this</h2>
<ul>
{{range .HowToRead}}<li>{{.}}</li>
{{end}}</ul>

<h2>Caveats</h2>
<ul>
{{range .Caveats}}<li>{{.}}</li>
{{end}}</ul>

<h2>Files</h2>
<p>{{range $i, $f := .Files}}{{if $i}}, {{end}}{{$f}}{{end}}, and the figures as .png and .svg, in the same folder.{{with .Command}}<br>To repeat this comparison: <code>{{.}}</code>{{end}}</p>
</body>
</html>
`))
