// Command countysim runs the county-governance reform simulation: single scenarios, scenario
// comparisons, experiment batches, policy evaluation and the teaching page.
//
// Usage:
//
//	countysim run [SCENARIO] [--out DIR] [--seed N] [--months N] [--set path=value]...
//	countysim compare SCENARIO SCENARIO... [--reps N]
//	countysim sweep EXPERIMENT.yaml [--resume] [--shard I/N] [--emit slurm|k8s]
//	countysim merge SHARD_DIR...
//	countysim calibrate CALIBRATION.yaml [--resume] [--shard I/N | --merge]
//	countysim discover SWEEP_DIR --where "METRIC OP VALUE"
//	countysim validate FILE... [--lang en|zh]
//	countysim scenarios list
//	countysim scenarios show [--explain] NAME
//	countysim help [COMMAND]
//	countysim version (or --version)
//
// Exit status: 0 on success, 1 when a run fails (or countysim itself fails: a bug is
// reported as "internal error", never as bad input), 2 for bad input (flags, scenario and
// experiment files, output folders), 75 when the output folder is busy (another countysim
// is writing it now: a temporary condition, worth retrying later; EX_TEMPFAIL), 130 when
// interrupted.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/countysim/countysim/scenarios"
)

// exitError carries an exit status with its message.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageErr marks bad input: exit status 2.
func usageErr(format string, a ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, a...)}
}

func badInput(err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: 2, err: err}
}

// exitBusy is the status of a command refused because another countysim holds its output
// folder (EX_TEMPFAIL of sysexits.h): unlike bad input it is temporary, so a cluster's retry
// policy may run the command again (the emitted Kubernetes Job fails an index at once on 2,
// not on 75).
const exitBusy = 75

// busyErr marks a folder another countysim is writing now: exit status exitBusy.
func busyErr(err error) error {
	return &exitError{code: exitBusy, err: err}
}

var errInterrupted = &exitError{code: 130, err: errors.New("interrupted")}

// errHelp ends a command after its --help text, with status 0.
var errHelp = &exitError{code: 0, err: errors.New("help shown")}

// command is one subcommand. Its longer help (description, examples) is in commandHelp.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

// cmdHelp is what `countysim help COMMAND` and `COMMAND --help` print besides the usage line
// and the flags.
type cmdHelp struct {
	description string
	examples    []string
}

// commandHelp holds the description and examples of each command, by name. A command without
// an entry prints its usage and flags only.
var commandHelp = map[string]cmdHelp{
	"run": {"Runs one scenario (a built-in name or a YAML file; default " + defaultScenario + ") and writes its tables\n" +
		"(series, summary, county panel), plots and manifest.json into --out. With --reps N it runs N\n" +
		"replications and writes the ensemble (mean and 5-50-95 percentiles) with fan charts instead.",
		[]string{"countysim run", "countysim run henan-2014 --months 120 --out out/henan", "countysim run my.yaml --set pmc.enabled=false --groups 'step:*'", "countysim run baseline --reps 20 -j 2"}},
	"compare": {"Runs every scenario --reps times on common seeds and writes the differences with\n" +
		"uncertainty bands, fan charts and a report (report.md, report.html).",
		[]string{"countysim compare baseline pmc-three-step", "countysim compare baseline my.yaml --reps 40 --months 120 --out out/cmp"}},
	"sweep": {"Runs a declared experiment (factors, a grid, LHS, Sobol or Morris design, replications) in\n" +
		"parallel, streaming results to disk; an interrupted sweep continues with --resume. --shard I/N\n" +
		"runs one part for a cluster, merged later with merge; --emit writes Slurm or Kubernetes job files.\n" +
		"Exit status: 0 done; 1 some runs failed (also when a finished folder with failed runs is run\n" +
		"again: --resume, --resume-if-present); 2 bad input; 75 --out is busy, another countysim writes\n" +
		"it (retry later); 130 interrupted (--resume continues).",
		[]string{"countysim sweep scenarios/experiments/quick.yaml", "countysim sweep exp.yaml --out out/exp --resume", "countysim sweep exp.yaml --shard 0/4", "countysim sweep exp.yaml --emit slurm --shards 8"}},
	"evaluate": {"Runs the scenario's staggered reform as a natural experiment over --reps replications and\n" +
		"estimates its effects (difference in differences, event study) from the county-year panel;\n" +
		"--validate checks the model against the published findings and writes a report.",
		[]string{"countysim evaluate", "countysim evaluate henan-2014 --reps 10", "countysim evaluate --validate"}},
	"merge": {"Checks that the folders are every shard of one sweep, each complete and unchanged (row counts\n" +
		"per run, checksums, the same experiment, base scenario and countysim build), and writes the\n" +
		"files one machine's sweep would have written.",
		[]string{"countysim merge out/quick/shard-*-of-4", "countysim merge out/quick/shard-*-of-4 --out out/quick-merged"}},
	"discover": {"Finds the region of a finished sweep's factor space where an outcome of interest holds (PRIM,\n" +
		"Friedman and Fisher's patient rule induction): the peeling trajectory, the chosen box with a\n" +
		"quasi-p-value per restricted limit, a coverage-density trade-off plot and a report.",
		[]string{"countysim discover out/quick --where \"approval_days < 40\"", "countysim discover out/sweep --where \"growth < 0\" --stat horizon --group pilot"}},
	"calibrate": {"Fits a calibration file's uncertain parameters to its targets by ABC-SMC over the batch\n" +
		"engine (parallel, resumable) and writes the posterior, plots and a report. On a cluster each\n" +
		"round of proposals runs as shards (--shard I/N into a shared --out) and --merge combines them,\n" +
		"names the next round or writes the outputs: the same bytes as one machine's calibration.",
		[]string{"countysim calibrate scenarios/calibrations/teaching-structure.yaml -j 2", "countysim calibrate cal.yaml --out out/cal --resume",
			"countysim calibrate cal.yaml --shard 0/4 --out /nfs/cal", "countysim calibrate cal.yaml --merge --out /nfs/cal"}},
	"validate": {"Checks scenario files and reports every problem as file:line:col: field: message. With\n" +
		"--lang zh (or a file's lang: zh, or a Chinese locale) the messages are in Chinese; the place,\n" +
		"field names and values stay as written.",
		[]string{"countysim validate my.yaml other.yaml", "countysim validate --lang zh my.yaml"}},
	"scenarios": {"Lists the built-in scenarios, or prints one in full as a scenario file to edit.",
		[]string{"countysim scenarios list", "countysim scenarios show henan-2014 > my.yaml"}},
	"serve": {"Serves the teaching page on loopback: pick levers, run, watch the series stream in.",
		[]string{"countysim serve", "countysim serve --addr 127.0.0.1:9000"}},
	"version": {"Prints the version, the source commit and the Go version.", []string{"countysim version", "countysim --version"}},
}

// invocation is the command line as countysim records it in manifests: "countysim" and the
// arguments (not the path of the binary, which differs between machines and go run).
var invocation = []string{"countysim"}

// helpOut receives help asked for with --help or `countysim help` (stdout); errors go to the
// command's stderr.
var helpOut io.Writer = os.Stdout

func commands() []command {
	return []command{
		{"run", "run a scenario and write tables, a manifest and plots", cmdRun},
		{"compare", "compare scenarios side by side with uncertainty bands and a report", cmdCompare},
		{"sweep", "run a declared experiment (grid, LHS, Sobol, Morris) in parallel, resumable", cmdSweep},
		{"evaluate", "run a reform as a natural experiment and estimate its effects (DiD, event study) against the published evidence", cmdEvaluate},
		{"calibrate", "fit uncertain parameters to evidence by ABC-SMC; posterior, plots and a report", cmdCalibrate},
		{"discover", "scenario discovery: PRIM boxes of a sweep's factors where a condition holds", cmdDiscover},
		{"merge", "combine sweep shards into the files one machine would write", cmdMerge},
		{"validate", "check scenario files and report every problem with file:line", cmdValidate},
		{"scenarios", "list the built-in scenarios or show one in full", cmdScenarios},
		{"serve", "serve the interactive teaching page", cmdServe},
		{"version", "print the version", cmdVersion},
	}
}

func main() {
	if os.Getenv("GOGC") == "" { // GOGC still overrides
		debug.SetGCPercent(gcPercent(os.Args[1:]))
	}
	if runsModels(os.Args[1:]) {
		hugeHeap()
	}
	os.Exit(mainErr(os.Args[1:], os.Stdout, os.Stderr))
}

// gcPercent is the collector's pace for the command line args when GOGC is not set. Runs
// allocate little and live briefly: a lazier collector (400) buys 5-10% in batches (measured on
// sweeps of Henan-size runs) for a few MB. evaluate keeps its replications' panels, some 40 MB
// live, which at 400 let its heap reach 195 MB and its peak RSS 240-250 MB (--validate --reps
// 20, issue 14's limit 250 MB); at 200 its peak was 159 MB in the same time (docs/BENCHMARKS.md,
// thirteenth round).
func gcPercent(args []string) int {
	if len(args) > 0 && args[0] == "evaluate" {
		return 200
	}
	return 400
}

// runsModels reports whether the command line args name a command that runs the model and
// so fills a heap of tens of MB, for which hugeHeap pays (it costs some 10 ms of page faults
// and a collection, which a quick command such as validate or version would only lose).
func runsModels(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "run", "compare", "sweep", "evaluate", "calibrate", "serve":
		return true
	}
	return false
}

// mainErr runs the command line args and returns the exit status. A panic anywhere in the
// command's goroutine is reported as an internal error with status 1, never as bad input.
func mainErr(args []string, stdout, stderr io.Writer) (code int) {
	name := "countysim"
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "%s: internal error (a bug in countysim, not in your input; please report it with the command line): %v\n%s", name, p, debug.Stack())
			code = 1
		}
	}()
	invocation = append([]string{"countysim"}, args...)
	helpOut = stdout
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "--help":
		usage(stdout)
		return 0
	case "--version", "-version":
		return mainErr([]string{"version"}, stdout, stderr)
	case "help":
		if len(args) == 1 {
			usage(stdout)
			return 0
		}
		if len(args) == 2 && findCommand(args[1]) != nil {
			return mainErr([]string{args[1], "--help"}, stdout, stderr)
		}
		fmt.Fprintf(stderr, "countysim help: unknown command %q\n", scenarios.Printable(strings.Join(args[1:], " ")))
		usage(stderr)
		return 2
	}
	c := findCommand(args[0])
	if c == nil {
		fmt.Fprintf(stderr, "countysim: unknown command %q\n", scenarios.Printable(args[0]))
		usage(stderr)
		return 2
	}
	name = "countysim " + c.name
	err := c.run(args[1:], stdout, stderr)
	if err == nil || errors.Is(err, errHelp) {
		return 0
	}
	// Messages quote file content (names, keys, values); they print as text, never as
	// terminal control sequences. Errors about input files are said in the language asked for.
	fmt.Fprintf(stderr, "%s: %s\n", name, printableLines(sayError(err, errorLang(args[1:], err))))
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

// printableLines escapes control characters in each line of s, keeping the line breaks.
func printableLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = scenarios.Printable(l)
	}
	return strings.Join(lines, "\n")
}

// extraCommands are appended to the command table (by tests).
var extraCommands []command

func findCommand(name string) *command {
	for _, c := range append(commands(), extraCommands...) {
		if c.name == name {
			return &c
		}
	}
	return nil
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "countysim: agent-based simulation of county-governance reform (省直管县, devolution, fiscal rules)")
	fmt.Fprintln(w, "\nUsage: countysim COMMAND [arguments]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'countysim help COMMAND' (or 'countysim COMMAND --help') for a command's flags and examples.")
	fmt.Fprintln(w, "Exit status: 0 done, 1 a run failed, 2 bad input, 75 output folder busy (another countysim is\nwriting it; retry later), 130 interrupted.")
}
