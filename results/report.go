package results

import (
	"encoding/base64"
	htmltemplate "html/template"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"text/template"

	"github.com/countysim/countysim/assess"
	"github.com/countysim/countysim/census"
	"github.com/countysim/countysim/lang"
	"github.com/countysim/countysim/observe"
)

// Report file names.
const (
	ReportMarkdownFile = "report.md"
	ReportHTMLFile     = "report.html"
)

// report is the content of report.md and report.html: one page a reform office can read
// without the code. Both files are rendered from it, so they say the same thing.
type report struct {
	Lang         Lang
	HTMLLang     string
	Title        string
	Intro        string // the byline's second sentence
	ResultsIntro string
	ScoreIntro   string
	Scorecards   []scorecard
	Byline       string
	Options      []reportOption
	Setting      []string
	Reference    string
	Others       []string
	FinalYear    int
	Rows         []reportRow
	Figures      []reportFigure
	Scenarios    []string // every scenario, in order, for the ranking columns
	Ranking      []rankRow
	Uncertainty  *uncertaintyReport // with a posterior only
	HowToRead    []string
	Caveats      []string
	Files        []string
	Command      string
}

type reportOption struct {
	Name, Description, Role string
	RoleNote                string
}

// reportRow is one outcome of the results table: the reference's level and each other
// option's difference from it, in words, with a verdict.
type reportRow struct {
	Label, Better, Level string
	Cells                []reportCell
}

// reportCell is one difference in words with its verdict: Verdict is the stable English
// key (better, worse, about the same, no difference) that picks the HTML class, Word the
// verdict in the report's language.
type reportCell struct {
	Text, Verdict, Word string
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

func newReport(es []*observe.Ensemble, ds []Difference, figs []reportFigure, meta EnsembleMeta) *report {
	l := meta.Lang
	ref := es[0]
	cfg := ref.Config
	reps := len(ref.Tracks)
	finalYear := cfg.StartYear + max(cfg.Months/12-1, 0)
	r := &report{
		Lang:      l,
		HTMLLang:  map[bool]string{true: "zh-CN", false: "en"}[l == Chinese],
		Reference: ref.Name,
		FinalYear: finalYear,
		Figures:   figs,
		Files:     []string{EnsembleFile, DifferencesFile, ManifestFile},
	}
	var names []string
	for i, e := range es {
		names = append(names, e.Name)
		role, note := "option", ""
		if i == 0 {
			role, note = "reference", l.T(" (the reference the others are measured against)")
		} else {
			r.Others = append(r.Others, e.Name)
		}
		desc := describeIn(l, e.Description) // a built-in scenario's description has its Chinese
		if desc == "" {
			desc = l.T("(no description given)")
		}
		r.Options = append(r.Options, reportOption{Name: e.Name, Description: desc, Role: role, RoleNote: note})
	}
	r.Scenarios = names
	r.Title = l.T("Reform options compared: ") + strings.Join(names, l.Sep())
	date := ""
	if !meta.Start.IsZero() {
		if l == Chinese {
			date = "于" + meta.Start.UTC().Format("2006年1月2日")
		} else {
			date = " on " + meta.Start.UTC().Format("2 January 2006")
		}
	}
	r.Byline = l.F("Prepared with countysim %s%s from %d simulated runs of each option.", meta.Version, date, reps)
	r.Intro = l.T("A simulation, not a forecast: see the caveats at the end.")
	r.ResultsIntro = l.F("Each option against %s, all counties of the province, final year %d. The brackets give the range that held in 90%% of the paired runs. An option is called better or worse only when that range excludes zero and the average difference is large enough to matter (see How to read this); otherwise it is about the same.", ref.Name, finalYear)
	r.Setting = reportSetting(l, es, meta, finalYear)
	r.Scorecards, r.ScoreIntro = scorecards(l, es, meta)

	// Differences come scenario by scenario, then outcome, then measure.
	per := 2 * len(KeyOutcomes)
	for j, o := range KeyOutcomes {
		at := func(s int) Difference { return ds[s*per+2*j] } // the final-year row
		row := reportRow{Label: l.T(o.Label), Better: betterIs(l, o.Better), Level: assess.Level(l, o, at(0).Value.Mean)}
		rank := rankRow{Label: l.T(o.Label), Better: betterIs(l, o.Better)}
		for s := range es {
			rank.Ranks = append(rank.Ranks, at(s).Rank)
			if s > 0 {
				v := assess.Verdict(o, at(0).Value.Mean, at(s).Diff)
				row.Cells = append(row.Cells, reportCell{Text: assess.DescribeDiff(l, o, at(s).Diff), Verdict: v, Word: l.T(v)})
			}
		}
		r.Rows = append(r.Rows, row)
		r.Ranking = append(r.Ranking, rank)
	}
	r.HowToRead = []string{
		l.F("Each option was simulated %d times. The model draws chance events (which projects are filed, economic shocks, whether audits find misuse), so runs differ; the lines in the figures are the average over runs and the shaded bands show where the middle 90%% of runs lay (5th to 95th percentile).", reps),
		l.T("Run 1 of every option used the same random seed, run 2 the same, and so on: every option meets the same luck, so the difference between two options in one run is due to the options alone. The table reports the average of these paired differences and, in brackets, the range that held in 90% of the pairs (5th to 95th percentile)."),
		l.F("All numbers are for all counties of the province together in the final year, %d: averages over the year for times, shares and rates; totals over the year for money that flows; the position at the end of the year for debt and county counts.", finalYear),
		l.F("\"Better\" and \"worse\" follow the direction stated for each outcome (for example, shorter approval times and higher growth are better), and are said only when two things hold: the 90%% range of paired differences excludes zero, and the average difference is at least the outcome's threshold, %s of the reference's level or a stated minimum, whichever is larger (one day of approval time, half a percentage point of cost share, one staff per 10,000 residents, one percentage point of self-sufficiency or fidelity, one county, a tenth of a percentage point of growth, 0.005 of the Theil index). Otherwise the options are \"about the same\" on that outcome: either they cannot be told apart in these runs, or the gap is too small to matter.", percent(l, 100*assess.RelativeThreshold)),
		l.T("The ranking orders the options by their average final-year value on each outcome (1 = best). It does not say whether the gaps are large or clear; read it with the table."),
	}
	r.Caveats = []string{
		l.T("This is a simulation, not a forecast. The model is a stylised province whose rules are written down in the model description (docs/MODEL.md); the results show how those rules play out under the stated assumptions, not what will happen in a real province."),
		l.T("The ranges show run-to-run variation only: the chance events inside the model. They do not include uncertainty about the model's assumptions, its parameter values or the data behind them, which is usually larger. Test assumptions by changing them (--set) or with the sensitivity analysis."),
		l.F("With %d runs the 5th and 95th percentiles rest on the few most extreme runs; more runs (--reps) give steadier ranges.", reps),
	}
	if reps < assess.MinVerdictRuns {
		r.Caveats = append(r.Caveats, l.F("With %d runs no option is called better or worse: a verdict needs at least %d paired runs (with fewer, all pairs can fall on one side of zero by chance too often); run with --reps %d or more.", reps, assess.MinVerdictRuns, assess.MinVerdictRuns))
	}
	r.Caveats = append(r.Caveats,
		l.F("Differences over the whole period, not only the final year, are in %s (measure \"horizon\"); every monthly value with its range is in %s.", DifferencesFile, EnsembleFile),
	)
	// Where county data came from: compared scenarios share one world, so one file.
	if d := es[0].CountyData; d != nil {
		r.Caveats = append(r.Caveats, l.F("County data: %d of the %d counties take their figures from %s (sha256 %s); the others keep the values derived from the 2010 census. The file's figures are the opening accounts of the two-year burn-in before %d, so by the first month they have moved with it.", d.Given, d.Counties, d.Path, d.SHA256[:12], cfg.StartYear))
	}
	if len(meta.Args) > 0 {
		args := append([]string{filepath.Base(meta.Args[0])}, meta.Args[1:]...)
		r.Command = strings.Join(args, " ")
	}
	return r
}

// betterIs says in l which way an outcome is better: "lower" or "higher"; 越低越好 or 越高越好.
func betterIs(l Lang, d assess.Direction) string {
	if l == Chinese {
		if d == assess.HigherIsBetter {
			return "越高越好"
		}
		return "越低越好"
	}
	return d.String()
}

// reportSetting describes the world, the period and the runs in plain words.
func reportSetting(l Lang, es []*observe.Ensemble, meta EnsembleMeta, finalYear int) []string {
	cfg := es[0].Config
	var out []string
	world := func(e *observe.Ensemble) string {
		var ps []string
		for _, p := range e.Config.World.Provinces {
			ps = append(ps, l.F("%s: %s prefecture cities, %s counties, %s towns and townships", provinceLabel(l, p.Name),
				lang.Thousands(float64(p.Prefectures), 0), lang.Thousands(float64(p.Counties), 0), lang.Thousands(float64(p.Towns), 0)))
		}
		s := strings.Join(ps, l.T("; "))
		if e.Preset != "" {
			s += l.F(" (preset %s)", e.Preset)
		}
		return s
	}
	same := true
	for _, e := range es[1:] {
		same = same && world(e) == world(es[0])
	}
	if same {
		out = append(out, l.F("Province: %s.", world(es[0])))
	} else {
		for _, e := range es {
			out = append(out, l.F("Province in %s: %s.", e.Name, world(e)))
		}
	}
	years := cfg.Months / 12
	period := l.F("%d months", cfg.Months)
	if years > 0 {
		period += l.F(" (%d years)", years)
	}
	out = append(out, l.F("Period: %s from January %d; the final year is %d.", period, cfg.StartYear, finalYear))
	reps := len(es[0].Tracks)
	out = append(out, l.F("Runs: %d of each option, %d in all.", reps, reps*len(es)))
	out = append(out, l.F("Random seeds: master seed %d. Run 1 of every option uses the same seed derived from it, run 2 the next, and so on; every seed is listed in %s.", meta.MasterSeed, ManifestFile))
	return out
}

// GroupLabel is a group of counties (observe.Group's Name: province, province:NAME, pilot,
// non-pilot, step:K, cohort:NAME, prefecture:NAME, tercile:K) in words for a reader of l: under
// Chinese 全部县, 河南省, 试点县, 处于省直管县改革第2步的县 and so on; in English its name as the
// tables write it.
func GroupLabel(l Lang, name string) string {
	if l != lang.Chinese {
		return name
	}
	kind, val, _ := strings.Cut(name, ":")
	switch kind {
	case "province":
		if val == "" {
			return l.T("all counties")
		}
		return provinceLabel(l, val)
	case "pilot":
		return l.T("pilot counties")
	case "non-pilot":
		return l.T("non-pilot counties")
	case "prefecture":
		return val
	case "cohort":
		return l.F("cohort %s", val)
	case "step", "tercile":
		k, err := strconv.Atoi(val)
		if err != nil {
			break
		}
		if kind == "step" {
			return l.F("counties at PMC step %d", k)
		}
		return l.F("strength tercile %d", k)
	}
	return name
}

// changedRE splits a description that ends by listing the changes made to a scenario (by
// compare --from's @state+FIELD=VALUE options, or on the teaching page) into the scenario's
// own description and that list.
var changedRE = regexp.MustCompile(`^(.*?) ?Changed (from the saved state at month (\d+)|on the teaching page): (.*)\.$`)

// describeIn is a scenario's description for a reader of l: a built-in's in l, and a list of
// changes after it in l's words around the changes as written.
func describeIn(l Lang, desc string) string {
	m := changedRE.FindStringSubmatch(desc)
	if m == nil {
		return l.T(desc)
	}
	base := l.T(m[1])
	if base != "" {
		base += l.Space()
	}
	if m[3] != "" {
		month, _ := strconv.Atoi(m[3])
		return base + l.F("Changed from the saved state at month %d: %s.", month, m[4])
	}
	return base + l.F("Changed on the teaching page: %s.", m[4])
}

// ProvinceLabel is provinceLabel for other packages (the Chinese of the provinces that
// input-file errors name).
func ProvinceLabel(l Lang, name string) string { return provinceLabel(l, name) }

// provinceLabel is a province's name for a reader of l: under Chinese, the census's Chinese
// name of a real province (Henan: 河南省), madeUpProvincesZh's of a made-up one (Teaching), and
// 省份08 for the stand-in Province-08; otherwise its name as given.
func provinceLabel(l Lang, name string) string {
	if l != lang.Chinese {
		return name
	}
	if zh, ok := provincesZh()[name]; ok {
		return zh
	}
	if n, ok := strings.CutPrefix(name, "Province-"); ok {
		return "省份" + n
	}
	if zh, ok := madeUpProvincesZh[name]; ok {
		return zh
	}
	return name
}

// madeUpProvincesZh are the Chinese names of the presets' made-up provinces (a province a
// user names is shown as named).
var madeUpProvincesZh = map[string]string{"Teaching": "教学省"}

// provincesZh maps the census's English province names to their Chinese names (empty if the
// census cannot be read: the names then stay as they are).
var provincesZh = sync.OnceValue(func() map[string]string {
	out := map[string]string{}
	if d, err := census.Load(); err == nil {
		for _, p := range d.Provinces {
			out[p.English] = p.Name
		}
	}
	return out
})

// mdCell escapes text for a Markdown table cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

func (r *report) markdown(w io.Writer) error {
	t := template.Must(markdownReport.Clone())
	return t.Funcs(template.FuncMap{"t": r.Lang.T, "sep": r.Lang.Sep, "sp": r.Lang.Space}).Execute(w, r)
}

func (r *report) html(w io.Writer) error {
	t := htmltemplate.Must(htmlReport.Clone())
	return t.Funcs(htmltemplate.FuncMap{"t": r.Lang.T, "sep": r.Lang.Sep, "sp": r.Lang.Space}).Execute(w, r)
}

// funcs are the report templates' functions; t (translate), sep (the list separator) and sp
// (the space between sentences) are bound to the report's language when a report is written.
var funcs = template.FuncMap{"md": mdCell, "t": English.T, "sep": English.Sep, "sp": English.Space}

var markdownReport = template.Must(template.New("report.md").Funcs(funcs).Parse(`# {{.Title}}

{{.Byline}}{{sp}}{{.Intro}}

## {{t "What was compared"}}
{{range .Options}}
- **{{.Name}}**{{.RoleNote}}{{t ": "}}{{.Description}}
{{- end}}

## {{t "The setting"}}
{{range .Setting}}
- {{.}}
{{- end}}

## {{t "Results"}}
{{$ref := .Reference}}
{{.ResultsIntro}}

| {{t "Outcome"}} | {{t "Better is"}} | {{md .Reference}}: {{t "level"}} |{{range .Others}} {{md .}} {{t "vs"}} {{md $ref}} |{{end}}
|---|---|---|{{range .Others}}---|{{end}}
{{range .Rows}}| {{md .Label}} | {{.Better}} | {{md .Level}} |{{range .Cells}} {{md .Text}}{{with .Word}}{{t ": "}}**{{.}}**{{end}} |{{end}}
{{end}}
{{- if .Scorecards}}
## {{t "Scorecard: the five aims of the reform"}}

{{.ScoreIntro}}
{{range .Scorecards}}
### {{.Option}}

| {{t "Aim"}} | {{t "Measured by"}} | {{t "Level"}} | {{t "Change against the counterfactual"}} | {{t "Verdict"}} |
|---|---|---|---|---|
{{range .Rows}}| **{{.Criterion}}** | {{md .Metrics}} | {{md .Level}} | {{md .Change}} | **{{.Word}}** |
{{end}}{{end}}{{end}}
## {{t "Figures"}}

{{t "All counties of the province over time. Each line is an option's average over its runs; the shaded band around it holds the middle 90% of runs. Dashed marks above the lines show the dates of the pilot steps, in the colour of their option and named by cohort. Outcomes that stay constant in every option are not drawn and are named under the figure."}}
{{range .Figures}}
![{{.Title}}]({{.File}})
{{end}}
## {{t "Ranking"}}

{{t "1 = best on that outcome, by the average final-year value."}}

| {{t "Outcome"}} | {{t "Better is"}} |{{range .Scenarios}} {{md .}} |{{end}}
|---|---|{{range .Scenarios}}---|{{end}}
{{range .Ranking}}| {{md .Label}} | {{.Better}} |{{range .Ranks}} {{.}} |{{end}}
{{end}}{{- with .Uncertainty}}
## {{t "Parameter uncertainty"}}

{{.Intro}}

{{.BestIntro}}

| {{t "Outcome"}} | {{t "Better is"}} |{{range $.Scenarios}} {{md .}} |{{end}}
|---|---|{{range $.Scenarios}}---|{{end}}
{{range .Best}}| {{md .Label}} | {{.Better}} |{{range .Cells}} {{.}} |{{end}}
{{end}}{{with .Sentences}}
{{range .}}- {{.}}
{{end}}{{end}}
{{.AimIntro}}

| {{t "Aim"}} |{{range $.Scenarios}} {{md .}} |{{end}}
|---|{{range $.Scenarios}}---|{{end}}
{{range .Aims}}| {{md .Label}} |{{range .Cells}} {{.}} |{{end}}
{{end}}
{{.SplitIntro}}
{{if .Splits}}
| {{t "Outcome"}} |{{range $.Others}} {{md .}} {{t "vs"}} {{md $.Reference}} |{{end}}
|---|{{range $.Others}}---|{{end}}
{{range .Splits}}| {{md .Label}} |{{range .Cells}} {{.}} |{{end}}
{{end}}{{end}}{{end}}
## {{t "How to read this"}}
{{range .HowToRead}}
- {{.}}
{{- end}}

## {{t "Caveats"}}
{{range .Caveats}}
- {{.}}
{{- end}}

## {{t "Files"}}

{{range $i, $f := .Files}}{{if $i}}{{sep}}{{end}}[{{$f}}]({{$f}}){{end}}{{t "; the figures also as .svg."}}{{sp}}{{t "The CSV tables are UTF-8 text: in Excel on a Chinese-locale Windows open them with Data > From Text/CSV and choose UTF-8 (65001)."}}{{with .Command}}
{{t "To repeat this comparison:"}} ` + "`{{.}}`" + `{{end}}
`))

var htmlReport = htmltemplate.Must(htmltemplate.New("report.html").Funcs(htmltemplate.FuncMap(funcs)).Parse(`<!DOCTYPE html>
<html lang="{{.HTMLLang}}">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body { font-family: "Liberation Sans", Arial, "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif; max-width: 64em; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.95em; }
th, td { border: 1px solid #ccc; padding: 0.35em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: center; }
.better { color: #1a7f37; font-weight: bold; } .worse { color: #b42318; font-weight: bold; } .mixed { color: #9a6700; font-weight: bold; }
img { max-width: 100%; border: 1px solid #eee; margin: 0.5em 0; }
.note { color: #555; }
code { background: #f3f3f3; padding: 0.1em 0.3em; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="note">{{.Byline}}{{sp}}{{.Intro}}</p>

<h2>{{t "What was compared"}}</h2>
<ul>
{{range .Options}}<li><strong>{{.Name}}</strong>{{.RoleNote}}{{t ": "}}{{.Description}}</li>
{{end}}</ul>

<h2>{{t "The setting"}}</h2>
<ul>
{{range .Setting}}<li>{{.}}</li>
{{end}}</ul>

<h2>{{t "Results"}}</h2>
<p>{{.ResultsIntro}}</p>
<table>
<tr><th>{{t "Outcome"}}</th><th>{{t "Better is"}}</th><th>{{.Reference}}: {{t "level"}}</th>{{$ref := .Reference}}{{range .Others}}<th>{{.}} {{t "vs"}} {{$ref}}</th>{{end}}</tr>
{{range .Rows}}<tr><td>{{.Label}}</td><td>{{.Better}}</td><td>{{.Level}}</td>{{range .Cells}}<td>{{.Text}}{{if .Word}}{{t ": "}}<span class="{{.Verdict}}">{{.Word}}</span>{{end}}</td>{{end}}</tr>
{{end}}</table>
{{if .Scorecards}}
<h2>{{t "Scorecard: the five aims of the reform"}}</h2>
<p>{{.ScoreIntro}}</p>
{{range .Scorecards}}<h3>{{.Option}}</h3>
<table>
<tr><th>{{t "Aim"}}</th><th>{{t "Measured by"}}</th><th>{{t "Level"}}</th><th>{{t "Change against the counterfactual"}}</th><th>{{t "Verdict"}}</th></tr>
{{range .Rows}}<tr><td><strong>{{.Criterion}}</strong></td><td>{{.Metrics}}</td><td>{{.Level}}</td><td>{{.Change}}</td><td><span class="{{.Verdict}}">{{.Word}}</span></td></tr>
{{end}}</table>
{{end}}{{end}}
<h2>{{t "Figures"}}</h2>
<p>{{t "All counties of the province over time. Each line is an option's average over its runs; the shaded band around it holds the middle 90% of runs. Dashed marks above the lines show the dates of the pilot steps, in the colour of their option and named by cohort. Outcomes that stay constant in every option are not drawn and are named under the figure."}}</p>
{{range .Figures}}<figure><img src="{{.DataURI}}" alt="{{.Title}}"></figure>
{{end}}
<h2>{{t "Ranking"}}</h2>
<p>{{t "1 = best on that outcome, by the average final-year value."}}</p>
<table>
<tr><th>{{t "Outcome"}}</th><th>{{t "Better is"}}</th>{{range .Scenarios}}<th>{{.}}</th>{{end}}</tr>
{{range .Ranking}}<tr><td>{{.Label}}</td><td>{{.Better}}</td>{{range .Ranks}}<td class="num">{{.}}</td>{{end}}</tr>
{{end}}</table>
{{with .Uncertainty}}
<h2>{{t "Parameter uncertainty"}}</h2>
<p>{{.Intro}}</p>
<p>{{.BestIntro}}</p>
<table>
<tr><th>{{t "Outcome"}}</th><th>{{t "Better is"}}</th>{{range $.Scenarios}}<th>{{.}}</th>{{end}}</tr>
{{range .Best}}<tr><td>{{.Label}}</td><td>{{.Better}}</td>{{range .Cells}}<td class="num">{{.}}</td>{{end}}</tr>
{{end}}</table>
<ul>
{{range .Sentences}}<li>{{.}}</li>
{{end}}</ul>
<p>{{.AimIntro}}</p>
<table>
<tr><th>{{t "Aim"}}</th>{{range $.Scenarios}}<th>{{.}}</th>{{end}}</tr>
{{range .Aims}}<tr><td>{{.Label}}</td>{{range .Cells}}<td class="num">{{.}}</td>{{end}}</tr>
{{end}}</table>
<p>{{.SplitIntro}}</p>
{{if .Splits}}<table>
<tr><th>{{t "Outcome"}}</th>{{range $.Others}}<th>{{.}} {{t "vs"}} {{$.Reference}}</th>{{end}}</tr>
{{range .Splits}}<tr><td>{{.Label}}</td>{{range .Cells}}<td class="num">{{.}}</td>{{end}}</tr>
{{end}}</table>
{{end}}{{end}}
<h2>{{t "How to read this"}}</h2>
<ul>
{{range .HowToRead}}<li>{{.}}</li>
{{end}}</ul>

<h2>{{t "Caveats"}}</h2>
<ul>
{{range .Caveats}}<li>{{.}}</li>
{{end}}</ul>

<h2>{{t "Files"}}</h2>
<p>{{range $i, $f := .Files}}{{if $i}}{{sep}}{{end}}{{$f}}{{end}}{{t ", and the figures as .png and .svg, in the same folder."}}{{sp}}{{t "The CSV tables are UTF-8 text: in Excel on a Chinese-locale Windows open them with Data > From Text/CSV and choose UTF-8 (65001)."}}{{with .Command}}<br>{{t "To repeat this comparison:"}} <code>{{.}}</code>{{end}}</p>
</body>
</html>
`))
