package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/countysim/countysim/batch"
	"github.com/countysim/countysim/lang"
	"github.com/countysim/countysim/scenarios"
)

// emitOptions are the flags of sweep --emit: the cluster resources of each shard.
type emitOptions struct {
	partition, time, mem, account, binary string
	cpus                                  int
	image, pvc                            string
	changed                               func(flag string) bool // whether the flag was given
}

func registerEmitFlags(fs *pflag.FlagSet) *emitOptions {
	o := &emitOptions{changed: fs.Changed}
	fs.IntVar(&o.cpus, "cpus-per-task", 1, "CPUs of each shard (--emit); the shard runs that many runs at once")
	fs.StringVar(&o.time, "time", "01:00:00", "time limit of each shard (--emit), [D-]HH:MM:SS")
	fs.StringVar(&o.mem, "mem", "", "memory of each shard (--emit), e.g. 4G or 500M (default: the cluster's default)")
	fs.StringVar(&o.partition, "partition", "", "Slurm partition (--emit slurm; default: the cluster's default)")
	fs.StringVar(&o.account, "account", "", "Slurm account to charge (--emit slurm)")
	fs.StringVar(&o.binary, "binary", "", "countysim binary the jobs run (--emit; default: this program's absolute path for slurm, countysim for k8s)")
	fs.StringVar(&o.image, "image", "countysim:latest", "container image with countysim and /bin/sh (--emit k8s); give an immutable tag or digest (deploy/Dockerfile builds one)")
	fs.StringVar(&o.pvc, "pvc", "countysim-results", "ReadWriteMany PersistentVolumeClaim for the results (--emit k8s)")
	return o
}

// jobSpec is what the job templates fill in.
type jobSpec struct {
	Name      string // experiment name
	Runs      int
	Shards    int
	Last      int // Shards-1, the last array index
	CPUs      int
	Time      string // [D-]HH:MM:SS
	Seconds   int    // Time in seconds
	Mem       string // Slurm form: 4G, 500M
	KubeMem   string // Kubernetes form: 4Gi, 500Mi
	Partition string
	Account   string
	Binary    string
	Dir       string // absolute output folder (Slurm)
	ExpFile   string // the experiment file the jobs read: absolute (Slurm) or its name in /config (k8s)
	JobName   string
	ConfigMap string
	Label     string
	Image     string
	PVC       string
	Data      string // the experiment's ConfigMap data (or binaryData) section (k8s)
	Results   string // the experiment's folder on the claim, /results/LABEL (k8s)
	MergeCmd  string // the merge container's shell command (k8s)
	// BackoffLimit bounds the sweep Job's failed pods in all (k8s): on a cluster that drops
	// backoffLimitPerIndex (Kubernetes 1.28 and older) it would otherwise be unbounded.
	BackoffLimit int
	WaitSweep    int // wait.sh's time limits in seconds (k8s)
	WaitMerge    int
	Retries      int // backoffLimitPerIndex (k8s)
	UID          int // the pods' user and group (k8s)
}

// Kubernetes limits the emitted jobs must respect.
const (
	// maxKubeShards is the largest parallelism (and, without maxFailedIndexes, completions)
	// of an Indexed Job with backoffLimitPerIndex.
	maxKubeShards = 100_000
	// maxKubeSeconds is the largest activeDeadlineSeconds of a pod.
	maxKubeSeconds = 1<<31 - 1
	// kubeRetries is backoffLimitPerIndex: a shard's pod is tried 1 + kubeRetries times.
	kubeRetries = 2
	// kubeUID is the user and group the pods run as: the non-root user of deploy/Dockerfile.
	kubeUID = 65532
)

var (
	slurmTimeRE = regexp.MustCompile(`^(?:(\d+)-)?(\d+):([0-5]\d):([0-5]\d)$`)
	memRE       = regexp.MustCompile(`^([1-9]\d*)([KMGT]?)$`)
	slurmNameRE = regexp.MustCompile(`^[A-Za-z0-9_.,-]+$`)
	k8sNameRE   = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)
	notKeyRE    = regexp.MustCompile(`[^-._a-zA-Z0-9]`)
	notNameRE   = regexp.MustCompile(`[^a-z0-9]+`)
	shellSafeRE = regexp.MustCompile(`^[-A-Za-z0-9_./:=+,@%]+$`)
	imageRE     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/@-]*$`)
)

// emitJobs writes the job files that run the experiment as shards on a cluster and merge
// them, and prints how to submit them.
func emitJobs(exp *scenarios.Experiment, path, kind string, shards int, out string, force bool, o *emitOptions, l lang.Lang, stdout, stderr io.Writer) error {
	if kind != "slurm" && kind != "k8s" {
		return usageErr("--emit: bad value %q (allowed: slurm, k8s)", kind)
	}
	runs, err := exp.Runs()
	if err != nil {
		return badInput(err)
	}
	if shards < 1 || shards > runs {
		return usageErr("--shards: bad value %d (allowed: 1 to %d, the experiment's runs)", shards, runs)
	}
	if kind == "k8s" && shards > maxKubeShards {
		return usageErr("--shards: bad value %d (allowed: 1 to %d with --emit k8s: a Kubernetes Indexed Job with backoffLimitPerIndex runs at most %d pods at once)", shards, maxKubeShards, maxKubeShards)
	}
	if o.cpus < 1 {
		return usageErr("--cpus-per-task: bad value %d (allowed: 1 or more)", o.cpus)
	}
	m := slurmTimeRE.FindStringSubmatch(o.time)
	if m == nil {
		return usageErr("--time: bad value %q (allowed: [D-]HH:MM:SS, e.g. 02:30:00 or 1-00:00:00)", o.time)
	}
	d, err1 := strconv.Atoi("0" + m[1])
	h, err2 := strconv.Atoi(m[2])
	mi, _ := strconv.Atoi(m[3])
	s, _ := strconv.Atoi(m[4])
	if err1 != nil || err2 != nil || d > 1_000_000 || h > 1_000_000 {
		return usageErr("--time: bad value %q (allowed: [D-]HH:MM:SS of at most a million days and hours)", o.time)
	}
	job := jobSpec{
		Name: exp.Name, Runs: runs, Shards: shards, Last: shards - 1, CPUs: o.cpus,
		Time: o.time, Seconds: ((d*24+h)*60+mi)*60 + s,
		Mem: o.mem, Partition: o.partition, Account: o.account, Binary: o.binary,
		Image: o.image, PVC: o.pvc,
	}
	if job.Seconds == 0 {
		return usageErr("--time: bad value %q (allowed: more than zero)", o.time)
	}
	if kind == "k8s" && job.Seconds > maxKubeSeconds {
		return usageErr("--time: bad value %q, %d seconds (allowed with --emit k8s: at most 24855-03:14:07, %d seconds, the largest activeDeadlineSeconds Kubernetes accepts)", o.time, job.Seconds, maxKubeSeconds)
	}
	if o.mem != "" {
		mm := memRE.FindStringSubmatch(o.mem)
		if mm == nil {
			return usageErr("--mem: bad value %q (allowed: a whole number with unit K, M, G or T, e.g. 4G; no unit means M)", o.mem)
		}
		unit := mm[2]
		if unit == "" {
			unit = "M" // Slurm's default unit
		}
		job.KubeMem = mm[1] + unit + "i"
	}
	if builtin := exp.Scenario == "" || slices.Contains(scenarios.Builtins(), exp.Scenario); !builtin {
		if kind == "k8s" {
			return usageErr("%s: scenario %q is a file, but a Kubernetes pod sees only the experiment file; use a built-in scenario (%s) with set: overrides",
				path, exp.Scenario, strings.Join(scenarios.Builtins(), ", "))
		}
		if !filepath.IsAbs(exp.Scenario) {
			return usageErr("%s: scenario %q is a relative file, but the jobs read a copy of the experiment elsewhere; give its absolute path on a filesystem the nodes share, or use a built-in scenario", path, exp.Scenario)
		}
	}
	warnOtherKind(kind, o, stderr)
	if out == "" {
		out = filepath.Join("out", exp.Name, kind)
	}
	if err := checkEmitFolder(out, kind, filepath.Base(path), exp.Hash(), force); err != nil {
		return err
	}
	if kind == "slurm" {
		return emitSlurm(job, exp, path, out, force, l, stdout)
	}
	return emitKube(job, exp, path, out, l, stdout, stderr)
}

// warnOtherKind warns of flags given that the other kind of job files uses, which these
// files ignore.
func warnOtherKind(kind string, o *emitOptions, stderr io.Writer) {
	if o.changed == nil {
		return
	}
	other := map[string][]string{"k8s": {"partition", "account"}, "slurm": {"image", "pvc"}}
	for _, f := range other[kind] {
		if o.changed(f) {
			fmt.Fprintf(stderr, "countysim sweep: warning: --%s is for --emit %s; the %s files ignore it\n", f, map[string]string{"k8s": "slurm", "slurm": "k8s"}[kind], kind)
		}
	}
}

// checkEmitFolder refuses an --out that is a file, or a folder holding entries that neither
// the job files nor the jobs write, unless force: emitting again into a folder emit wrote
// (its job files; for Slurm also the experiment's copy expFile, logs, the shards' folders and
// the merged results) replaces the job files, while other files would be overwritten or
// mixed with the jobs' results. A Slurm folder whose experiment copy, shards or merged results
// belong to another experiment (their sha256 is not expHash) is refused even with force: the
// tasks would refuse those shards and the merge would publish the other experiment's results.
// (Kubernetes needs no such check: each experiment's shards live in a folder on the claim
// named by its hash.)
func checkEmitFolder(dir, kind, expFile, expHash string, force bool) error {
	if err := checkOutPath(dir); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return badInput(fmt.Errorf("--out: %w", err))
	}
	if kind == "slurm" {
		if other, otherHash := otherExperiment(dir, entries, expFile, expHash); len(other) > 0 {
			return usageErr("--out %s holds another experiment's files (%s: experiment sha256 %.12s; this %s has %.12s); the shards would refuse it and the merge would publish their results: choose a new --out, or remove the folder (rm -r %s) and emit again",
				dir, strings.Join(other, ", "), otherHash, expFile, expHash, dir)
		}
	}
	if force {
		return nil
	}
	own := []string{"pvc.yaml", "sweep-job.yaml", "merge-job.yaml", "copy-pod.yaml", "wait.sh", "README.md"}
	if kind == "slurm" {
		own = []string{"sweep.sbatch", "merge.sbatch", "submit.sh", expFile}
	}
	var foreign []string
	for _, e := range entries {
		name := e.Name()
		ours := slices.Contains(own, name) && !e.IsDir() ||
			kind == "slurm" && e.IsDir() && (name == "logs" || name == "merged" || shardDirName.MatchString(name))
		if !ours {
			foreign = append(foreign, name)
		}
	}
	if len(foreign) > 0 {
		return refuseFolder(dir, foreign)
	}
	return nil
}

// otherExperiment lists what in an emitted Slurm folder belongs to an experiment other than
// the one of sha256 expHash: the experiment's copy expFile, and the shard folders and merged
// results whose experiment copy or batch record names another experiment (as a shard's resume
// and merge compare them); and the other experiment's sha256 (the last one found).
func otherExperiment(dir string, entries []os.DirEntry, expFile, expHash string) (other []string, otherHash string) {
	differs := func(path string) bool {
		sum, _, err := sha256File(path)
		if err == nil && sum != expHash {
			otherHash = sum
			return true
		}
		return false
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case name == expFile && !e.IsDir():
			if differs(filepath.Join(dir, name)) {
				other = append(other, name)
			}
		case e.IsDir() && (name == "merged" || shardDirName.MatchString(name)):
			sub := filepath.Join(dir, name)
			rec, err := batch.ReadRecord(sub)
			switch {
			case differs(filepath.Join(sub, experimentCopy)):
				other = append(other, name+"/")
			case err == nil && rec.Identity["experiment_sha256"] != "" && rec.Identity["experiment_sha256"] != expHash:
				otherHash = rec.Identity["experiment_sha256"]
				other = append(other, name+"/")
			}
		}
	}
	return other, otherHash
}

// checkBinary says why path is not a program this machine could run (nil when it is).
func checkBinary(path string) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s does not exist", path)
	case err != nil:
		return err
	case st.IsDir():
		return fmt.Errorf("%s is a folder, not an executable file", path)
	case st.Mode()&0o111 == 0:
		return fmt.Errorf("%s is not an executable file (no execute permission)", path)
	}
	return nil
}

func emitSlurm(job jobSpec, exp *scenarios.Experiment, path, out string, force bool, l lang.Lang, stdout io.Writer) error {
	for _, f := range []struct{ flag, v string }{{"--partition", job.Partition}, {"--account", job.Account}} {
		if f.v != "" && !slurmNameRE.MatchString(f.v) {
			return usageErr("%s: bad value %q (allowed: letters, digits and _ . , -)", f.flag, f.v)
		}
	}
	dir, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if strings.ContainsAny(dir, " \t\n%\"'\\$`") {
		return usageErr("--out: %q holds a space, quote, $ or %%, which #SBATCH lines cannot carry; choose a plainer folder", dir)
	}
	if job.Binary == "" {
		if job.Binary, err = os.Executable(); err != nil {
			return fmt.Errorf("finding this program's path for --binary: %w", err)
		}
	}
	if job.Binary, err = filepath.Abs(job.Binary); err != nil {
		return err
	}
	// The nodes run the binary at this path: it must be a program here, on a filesystem they
	// share (as the output folder must be), unless --force says it is on the nodes alone.
	if err := checkBinary(job.Binary); err != nil && !force {
		return usageErr("--binary: %v; the jobs run countysim at this path on the nodes: give the path of an installed countysim (go install ./cmd/countysim) on a filesystem they share, or add --force if it is installed on the nodes only", err)
	}
	job.Dir = dir
	job.ExpFile = filepath.Join(dir, filepath.Base(path))
	job.JobName = "countysim-" + exp.Name
	if !slurmNameRE.MatchString(job.JobName) {
		job.JobName = "countysim-" + kubeName(exp.Name)
	}
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(job.ExpFile, exp.Data, 0o644); err != nil {
		return err
	}
	for _, f := range []struct {
		name, tmpl string
		mode       os.FileMode
	}{{"sweep.sbatch", sweepSbatch, 0o755}, {"merge.sbatch", mergeSbatch, 0o755}, {"submit.sh", submitSh, 0o755}} {
		if err := writeTemplate(filepath.Join(dir, f.name), f.tmpl, job, f.mode); err != nil {
			return err
		}
	}
	fmt.Fprint(stdout, l.F(slurmDone, exp.Name, job.Runs, job.Shards, dir, job.Shards, dir, job.Shards, dir, filepath.Base(job.ExpFile), dir, dir, dir))
	return nil
}

// slurmDone is what sweep --emit slurm prints once the job files are written.
const slurmDone = `countysim sweep: wrote Slurm jobs for %q (%d runs in %d shards) to %s:
  sweep.sbatch  job array: task K runs shard K/%d into %s/shard-K-of-%d
  merge.sbatch  merges the shards into %s/merged
  submit.sh     submits both; the merge starts once every task has succeeded
  %-13s the experiment the jobs read
Submit:                  bash %s/submit.sh
Resubmit failed shard K: sbatch --array=K %s/sweep.sbatch  (it resumes what the failed task left)
  then merge:            sbatch %s/merge.sbatch
`

func emitKube(job jobSpec, exp *scenarios.Experiment, path, out string, l lang.Lang, stdout, stderr io.Writer) error {
	if !k8sNameRE.MatchString(job.PVC) {
		return usageErr("--pvc: bad value %q (allowed: a Kubernetes name: lower-case letters, digits and -)", job.PVC)
	}
	if !imageRE.MatchString(job.Image) {
		return usageErr("--image: bad value %q (allowed: an image reference such as registry.example/countysim:1.0 or registry.example/countysim@sha256:...)", job.Image)
	}
	if mutableImage(job.Image) {
		fmt.Fprintf(stderr, "countysim sweep: warning: --image %s is a mutable tag: a retried pod could run another build, which resume and merge refuse; push a version tag (or use a digest, @sha256:...) and name it\n", job.Image)
	}
	if job.Binary == "" {
		job.Binary = "countysim"
	}
	job.Label = kubeLabel(exp.Name, exp.Hash())
	job.JobName = "countysim-" + job.Label
	job.ConfigMap = job.JobName + "-experiment"
	job.ExpFile = configMapKey(filepath.Base(path))
	job.Results = "/results/" + job.Label
	job.MergeCmd = fmt.Sprintf("exec %s merge %s/shard-*-of-%d --out %s/merged", shellQuote(job.Binary), job.Results, job.Shards, job.Results)
	job.BackoffLimit = job.Shards * (kubeRetries + 1)
	job.WaitSweep = (kubeRetries+1)*job.Seconds + 3600
	job.WaitMerge = 2*job.Seconds + 3600 // the merge Job's backoffLimit 1: two pods at most
	job.Retries, job.UID = kubeRetries, kubeUID
	data, err := configMapData(job.ExpFile, exp.Data)
	if err != nil {
		return err
	}
	job.Data = data
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, f := range []struct {
		name, tmpl string
		mode       os.FileMode
	}{
		{"pvc.yaml", kubePVC, 0o644}, {"sweep-job.yaml", kubeSweepJob, 0o644}, {"merge-job.yaml", kubeMergeJob, 0o644},
		{"copy-pod.yaml", kubeCopyPod, 0o644}, {"wait.sh", kubeWait, 0o755}, {"README.md", kubeReadme, 0o644},
	} {
		if err := writeTemplate(filepath.Join(out, f.name), f.tmpl, job, f.mode); err != nil {
			return err
		}
	}
	file := func(name string) string { return shellQuote(filepath.Join(out, name)) }
	fmt.Fprintln(stdout, l.F("countysim sweep: wrote Kubernetes manifests for %q (%d runs in %d shards) to %s:", exp.Name, job.Runs, job.Shards, out))
	fmt.Fprintln(stdout, l.F("  pvc.yaml, sweep-job.yaml (ConfigMap and Indexed Job), merge-job.yaml, copy-pod.yaml, wait.sh; Kubernetes 1.29 or later; run them as README.md there says:"))
	fmt.Fprintln(stdout, l.F("  kubectl apply -f %s   # once: the claim the results go to", file("pvc.yaml")))
	fmt.Fprintf(stdout, "  kubectl apply -f %s\n", file("sweep-job.yaml"))
	fmt.Fprintln(stdout, l.F("  sh %s sweep   # until job/%s is Complete (exit 0) or Failed (1)", file("wait.sh"), job.JobName))
	fmt.Fprintf(stdout, "  kubectl apply -f %s\n", file("merge-job.yaml"))
	fmt.Fprintln(stdout, l.F("  sh %s merge   # the results are then in %s/merged on the claim %s", file("wait.sh"), job.Results, job.PVC))
	return nil
}

// kubeLabel names an experiment in Kubernetes objects and on the claim: its name made an RFC
// 1123 label (kubeName, at most 30 characters), then the first 8 hex digits of the experiment
// file's SHA-256, so that experiments whose names differ only in case or in characters a
// label cannot hold (Quick and quick, two Chinese names), or two versions of one file, get
// their own objects and folders on a claim they share. The longest object name,
// countysim-LABEL-experiment, and an index's pod host name, countysim-LABEL-99999, stay
// within 63 characters.
func kubeLabel(name, sha256 string) string {
	n := kubeName(name)
	if len(n) > 30 {
		n = strings.TrimRight(n[:30], "-")
	}
	return n + "-" + sha256[:8]
}

// mutableImage reports whether an image reference names a tag that may move: no digest, and
// no tag or the tag latest.
func mutableImage(ref string) bool {
	if strings.Contains(ref, "@") {
		return false
	}
	last := ref[strings.LastIndex(ref, "/")+1:]
	_, tag, ok := strings.Cut(last, ":")
	return !ok || tag == "latest"
}

// configMapKey makes a file name a ConfigMap key (letters, digits, - _ .; not starting with
// ..), which is also the file's name in the pods' /config.
func configMapKey(name string) string {
	k := strings.TrimLeft(notKeyRE.ReplaceAllString(name, "-"), ".")
	if k == "" {
		k = "experiment.yaml"
	}
	return k
}

// configMapData is the data section of a ConfigMap holding one file under key, which a pod
// reads back byte for byte: a literal block (readable) when the text allows it, else a JSON
// string, and binaryData (base64) for bytes that are not UTF-8 text. A literal block cannot
// carry everything: carriage returns, tabs and other control characters, a first line that
// starts with a space, lines of spaces only, and YAML 1.1's other line breaks (U+0085, U+2028,
// U+2029).
func configMapData(key string, data []byte) (string, error) {
	if !utf8.Valid(data) {
		return "binaryData:\n  " + key + ": " + base64.StdEncoding.EncodeToString(data) + "\n", nil
	}
	if literalSafe(data) {
		var b strings.Builder
		chomp := "+" // keep: every final line break is the file's
		if !bytes.HasSuffix(data, []byte("\n")) {
			chomp = "-"
		}
		b.WriteString("data:\n  " + key + ": |" + chomp + "\n")
		for _, line := range strings.SplitAfter(string(data), "\n") {
			switch line {
			case "":
			case "\n":
				b.WriteString("\n")
			default:
				b.WriteString("    " + line)
			}
		}
		if chomp == "-" {
			b.WriteString("\n")
		}
		var back struct{ Data map[string]string }
		if yaml.Unmarshal([]byte(b.String()), &back) == nil && back.Data[key] == string(data) {
			return b.String(), nil
		}
	}
	return "data:\n  " + key + ": " + jsonQuote(string(data)) + "\n", nil
}

// literalSafe reports whether a YAML literal block carries text exactly (configMapData).
func literalSafe(data []byte) bool {
	text := string(data)
	first := strings.TrimLeft(text, "\n")
	if first == "" || first[0] == ' ' {
		return false
	}
	for _, line := range strings.Split(text, "\n") {
		if line != "" && strings.Trim(line, " ") == "" {
			return false
		}
	}
	for _, r := range text {
		switch {
		case r == '\n':
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f, r == 0x2028, r == 0x2029, r == 0xfeff, r >= 0xfffe && r <= 0xffff:
			return false
		}
	}
	return true
}

// kubeName turns an experiment name into a Kubernetes object name part (RFC 1123 label);
// distinct names may give the same part (kubeLabel adds the file's hash).
func kubeName(s string) string {
	n := strings.Trim(notNameRE.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if len(n) > 40 {
		n = strings.TrimRight(n[:40], "-")
	}
	if n == "" {
		n = "sweep"
	}
	return n
}

func writeTemplate(path, text string, job jobSpec, mode os.FileMode) error {
	t, err := template.New(filepath.Base(path)).Funcs(template.FuncMap{"sh": shellQuote, "q": jsonQuote}).Parse(text)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, job); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), mode)
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if shellSafeRE.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// jsonQuote quotes s as a JSON string, which YAML reads as the same string.
func jsonQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

const sweepSbatch = `#!/bin/bash
# Slurm job array for the countysim experiment "{{.Name}}": {{.Runs}} runs in {{.Shards}} shards.
# Array task K runs shard K/{{.Shards}} into {{.Dir}}/shard-K-of-{{.Shards}}. A task run again
# (sbatch --array=K {{.Dir}}/sweep.sbatch) resumes its own shard; a finished shard is left as
# it is. Written by countysim sweep --emit slurm; submit.sh submits it with the merge.
#SBATCH --job-name={{.JobName}}
#SBATCH --array=0-{{.Last}}
#SBATCH --cpus-per-task={{.CPUs}}
#SBATCH --time={{.Time}}
{{- if .Mem}}
#SBATCH --mem={{.Mem}}
{{- end}}
{{- if .Partition}}
#SBATCH --partition={{.Partition}}
{{- end}}
{{- if .Account}}
#SBATCH --account={{.Account}}
{{- end}}
#SBATCH --chdir={{.Dir}}
#SBATCH --output={{.Dir}}/logs/sweep-%A_%a.out
#SBATCH --error={{.Dir}}/logs/sweep-%A_%a.err
set -euo pipefail
exec {{sh .Binary}} sweep {{sh .ExpFile}} --shard "${SLURM_ARRAY_TASK_ID}/{{.Shards}}" \
  --out "{{.Dir}}/shard-${SLURM_ARRAY_TASK_ID}-of-{{.Shards}}" -j "${SLURM_CPUS_PER_TASK:-1}" --resume-if-present
`

const mergeSbatch = `#!/bin/bash
# Merges the {{.Shards}} shards of the countysim experiment "{{.Name}}" into {{.Dir}}/merged: the
# files one machine's sweep would write. submit.sh starts it once every array task has
# succeeded; after resubmitting a failed shard, run it by hand: sbatch {{.Dir}}/merge.sbatch
#SBATCH --job-name={{.JobName}}-merge
#SBATCH --cpus-per-task=1
#SBATCH --time={{.Time}}
{{- if .Mem}}
#SBATCH --mem={{.Mem}}
{{- end}}
{{- if .Partition}}
#SBATCH --partition={{.Partition}}
{{- end}}
{{- if .Account}}
#SBATCH --account={{.Account}}
{{- end}}
#SBATCH --chdir={{.Dir}}
#SBATCH --output={{.Dir}}/logs/merge-%j.out
#SBATCH --error={{.Dir}}/logs/merge-%j.err
set -euo pipefail
exec {{sh .Binary}} merge {{.Dir}}/shard-*-of-{{.Shards}} --out {{.Dir}}/merged
`

const submitSh = `#!/bin/bash
# Submits the sweep of the countysim experiment "{{.Name}}" as a {{.Shards}}-task job array, then
# the merge, which waits for every task to succeed (and is cancelled if one fails).
# Written by countysim sweep --emit slurm.
set -euo pipefail
ARRAY_JOB_ID=$(sbatch --parsable {{.Dir}}/sweep.sbatch)
ARRAY_JOB_ID=${ARRAY_JOB_ID%%;*}
MERGE_JOB_ID=$(sbatch --parsable --dependency=afterok:$ARRAY_JOB_ID --kill-on-invalid-dep=yes {{.Dir}}/merge.sbatch)
MERGE_JOB_ID=${MERGE_JOB_ID%%;*}
echo "sweep: job array $ARRAY_JOB_ID ({{.Shards}} tasks), logs in {{.Dir}}/logs"
echo "merge: job $MERGE_JOB_ID, starts once every task has succeeded; results in {{.Dir}}/merged"
echo "if task K fails: sbatch --array=K {{.Dir}}/sweep.sbatch, then sbatch {{.Dir}}/merge.sbatch"
`

const (
	kubeLabels = `
    app.kubernetes.io/name: countysim
    countysim/experiment: {{.Label}}`
	kubePodLabels = `
        app.kubernetes.io/name: countysim
        countysim/experiment: {{.Label}}`
	// kubePodSecurity runs the pods as deploy/Dockerfile's non-root user, with the claim's
	// files group-owned by it where the storage applies fsGroup.
	kubePodSecurity = `
      securityContext:
        runAsNonRoot: true
        runAsUser: {{.UID}}
        runAsGroup: {{.UID}}
        fsGroup: {{.UID}}
        fsGroupChangePolicy: OnRootMismatch`
	kubeContainerSecurity = `
          securityContext:
            allowPrivilegeEscalation: false`
	kubeResources = `
          resources:
            requests:
              cpu: "{{.CPUs}}"
{{- if .KubeMem}}
              memory: {{.KubeMem}}
            limits:
              memory: {{.KubeMem}}
{{- end}}`
	kubeClaim = `
        - name: results
          persistentVolumeClaim:
            claimName: {{.PVC}}`
)

const kubePVC = `# Shared storage for the shards and the merged results of countysim sweeps. Every shard pod
# and the merge pod mount it, so it must be ReadWriteMany (NFS, CephFS, Filestore ...): set
# storageClassName to such a class if the cluster's default is not. Its filesystem must support
# locks (flock) across nodes: countysim locks each shard's folder (NFS: not mounted with
# nolock). Each experiment writes its own folder, /results/EXPERIMENT-HASH. Apply it once; skip
# this file if the claim {{.PVC}} already exists.
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: {{.PVC}}
  labels:
    app.kubernetes.io/name: countysim
spec:
  accessModes: [ReadWriteMany]
  resources:
    requests:
      storage: 10Gi
`

const kubeSweepJob = `# The countysim experiment "{{.Name}}": {{.Runs}} runs in {{.Shards}} shards as an Indexed Job.
# Pod K runs shard K/{{.Shards}} into {{.Results}}/shard-K-of-{{.Shards}} on the claim {{.PVC}}; a retried pod
# resumes its shard. Needs Kubernetes 1.29 or later (backoffLimitPerIndex, podReplacementPolicy,
# podFailurePolicy's FailIndex). Written by countysim sweep --emit k8s; see README.md beside it.
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{.ConfigMap}}
  labels:` + kubeLabels + `
{{.Data}}---
apiVersion: batch/v1
kind: Job
metadata:
  name: {{.JobName}}
  labels:` + kubeLabels + `
spec:
  completionMode: Indexed
  completions: {{.Shards}}
  parallelism: {{.Shards}}
  # Each index is tried 1 + {{.Retries}} times; backoffLimit bounds the failures of all indexes
  # (on a cluster without backoffLimitPerIndex it alone would apply, where the default is
  # unbounded).
  backoffLimitPerIndex: {{.Retries}}
  backoffLimit: {{.BackoffLimit}}
  # A retry starts once the failed pod has ended, and so released its shard's folder.
  podReplacementPolicy: Failed
  podFailurePolicy:
    rules:
      # Evicted, preempted, its node drained: tried again without counting.
      - action: Ignore
        onPodConditions:
          - type: DisruptionTarget
      # Exit 2 is bad input (the experiment, a folder holding another experiment or
      # another countysim build): a retry cannot help. 1 (runs failed) and 75 (the folder
      # busy) are retried.
      - action: FailIndex
        onExitCodes:
          containerName: sweep
          operator: In
          values: [2]
  template:
    metadata:
      labels:` + kubePodLabels + `
    spec:
      restartPolicy: Never
      activeDeadlineSeconds: {{.Seconds}}` + kubePodSecurity + `
      containers:
        - name: sweep
          image: {{q .Image}}
          command: [{{q .Binary}}]
          args:
            - sweep
            - {{q (print "/config/" .ExpFile)}}
            - --shard
            - {{q (print "$(JOB_COMPLETION_INDEX)/" .Shards)}}
            - --out
            - {{q (print .Results "/shard-$(JOB_COMPLETION_INDEX)-of-" .Shards)}}
            - -j
            - "{{.CPUs}}"
            - --resume-if-present
          env:
            - name: JOB_COMPLETION_INDEX
              valueFrom:
                fieldRef:
                  fieldPath: metadata.annotations['batch.kubernetes.io/job-completion-index']` + kubeContainerSecurity + kubeResources + `
          volumeMounts:
            - name: experiment
              mountPath: /config
              readOnly: true
            - name: results
              mountPath: /results
      volumes:
        - name: experiment
          configMap:
            name: {{.ConfigMap}}` + kubeClaim + `
`

const kubeMergeJob = `# Merges the {{.Shards}} shards of the countysim experiment "{{.Name}}" into {{.Results}}/merged on
# the claim {{.PVC}}: the files one machine's sweep would write. Apply it once the sweep Job
# {{.JobName}} is complete (sh wait.sh sweep). Written by countysim sweep --emit k8s.
apiVersion: batch/v1
kind: Job
metadata:
  name: {{.JobName}}-merge
  labels:` + kubeLabels + `
spec:
  backoffLimit: 1
  podReplacementPolicy: Failed
  podFailurePolicy:
    rules:
      - action: Ignore
        onPodConditions:
          - type: DisruptionTarget
      # Exit 2: the shards cannot be merged (missing, unfinished, another build); the
      # message in the pod's log says which and what to do.
      - action: FailJob
        onExitCodes:
          containerName: merge
          operator: In
          values: [2]
  template:
    metadata:
      labels:` + kubePodLabels + `
    spec:
      restartPolicy: Never
      activeDeadlineSeconds: {{.Seconds}}` + kubePodSecurity + `
      containers:
        - name: merge
          image: {{q .Image}}
          command: [/bin/sh, -c]
          args:
            - {{q .MergeCmd}}` + kubeContainerSecurity + kubeResources + `
          volumeMounts:
            - name: results
              mountPath: /results
      volumes:` + kubeClaim + `
`

const kubeCopyPod = `# A pod that mounts the claim {{.PVC}}, to copy the results of the countysim experiment
# "{{.Name}}" out (kubectl cp cannot read from a Completed pod; it needs tar in the image) or
# to remove a shard's folder. It ends by itself after an hour. See README.md beside it.
apiVersion: v1
kind: Pod
metadata:
  name: {{.JobName}}-copy
  labels:` + kubeLabels + `
spec:
  restartPolicy: Never
  activeDeadlineSeconds: 3600
  securityContext:
    runAsNonRoot: true
    runAsUser: {{.UID}}
    runAsGroup: {{.UID}}
    fsGroup: {{.UID}}
    fsGroupChangePolicy: OnRootMismatch
  containers:
    - name: copy
      image: {{q .Image}}
      command: [/bin/sh, -c, "sleep 3600"]
      securityContext:
        allowPrivilegeEscalation: false
      volumeMounts:
        - name: results
          mountPath: /results
  volumes:
    - name: results
      persistentVolumeClaim:
        claimName: {{.PVC}}
`

const kubeWait = `#!/bin/sh
# Waits until a Job of the countysim experiment "{{.Name}}" has ended: sh wait.sh sweep (the
# Indexed Job {{.JobName}}) or sh wait.sh merge ({{.JobName}}-merge). Arguments after sweep or
# merge go to kubectl (e.g. -n NAMESPACE). Exit status: 0 the Job is Complete, 1 it Failed
# (see README.md beside this file) or kubectl cannot read it, 124 it has not ended within the
# time limit (it may still run, its pods waiting for room: run this again).
# Written by countysim sweep --emit k8s.
set -u
case "${1:-}" in
sweep) job={{.JobName}} limit={{.WaitSweep}} ;;
merge) job={{.JobName}}-merge limit={{.WaitMerge}} ;;
*)
	echo "usage: sh wait.sh sweep|merge [kubectl flags]" >&2
	exit 2
	;;
esac
what=$1
shift
end=$(($(date +%s) + limit))
errors=0
while :; do
	if conds=$(kubectl get "job/$job" "$@" -o 'jsonpath={range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}'); then
		errors=0
		case " $conds " in
		*" Complete "*)
			echo "job/$job is complete"
			exit 0
			;;
		*" Failed "*)
			echo "job/$job failed: see \"If a Job fails\" in README.md beside wait.sh" >&2
			exit 1
			;;
		esac
	else
		errors=$((errors + 1))
		if [ "$errors" -ge 5 ]; then
			echo "job/$job: kubectl cannot read it (5 tries); is it applied, in this namespace?" >&2
			exit 1
		fi
	fi
	if [ "$(date +%s)" -ge "$end" ]; then
		echo "job/$job has not ended within ${limit}s; it may still run (pods waiting for room): run sh wait.sh $what again" >&2
		exit 124
	fi
	sleep "${COUNTYSIM_WAIT_POLL:-15}"
done
`

// kubeReadme is README.md beside the manifests (^ stands for a backquote).
var kubeReadme = strings.ReplaceAll(`# countysim experiment "{{.Name}}" on Kubernetes

{{.Runs}} runs in {{.Shards}} shards. The results go to ^{{.Results}}^ on the claim ^{{.PVC}}^: shard K
into ^shard-K-of-{{.Shards}}^, the merged files (those one machine's sweep writes) into ^merged^.
^{{.Label}}^ is the experiment's name and the start of its file's SHA-256, so each experiment
file has its own folder and Job names on a claim shared with others.

Needs **Kubernetes 1.29 or later**: the sweep Job uses ^backoffLimitPerIndex^ with
podFailurePolicy's ^FailIndex^ action, and ^podReplacementPolicy^ (beta and on by default from
1.29; GA in 1.33 and 1.34), and podFailurePolicy (beta from 1.26, GA in 1.31). On 1.28 the
first three are alpha, off by default, and the API server drops them without a word: the Job
then runs with ^backoffLimit: {{.BackoffLimit}}^ alone (every failure of any shard counts, bad input is
retried, and a retry may start before the failed pod has ended).

^^^sh
kubectl apply -f pvc.yaml          # once: the ReadWriteMany claim {{.PVC}}
kubectl apply -f sweep-job.yaml    # ConfigMap with the experiment + Indexed Job, one pod per shard
sh wait.sh sweep                   # until job/{{.JobName}} is Complete (exit 0) or Failed (1)
kubectl apply -f merge-job.yaml    # merges the shards into {{.Results}}/merged
sh wait.sh merge
^^^

wait.sh asks ^kubectl get job^ every 15 seconds; flags after sweep or merge go to kubectl (^sh
wait.sh sweep -n NAMESPACE^). It gives up after {{.WaitSweep}} seconds for the sweep (three tries of
--time {{.Time}} and an hour) and {{.WaitMerge}} for the merge, with exit status 124: the Job may
still run, its pods waiting for room; run it again.

## Retries and exit statuses

Each shard's pod is tried up to {{.Retries}} more times (^backoffLimitPerIndex^; ^backoffLimit^
{{.BackoffLimit}} bounds the failures of all shards) and resumes what the failed one left. A retry
starts only once the failed pod has ended (^podReplacementPolicy: Failed^), as the old pod holds
its shard's folder until then. A pod evicted or preempted (^DisruptionTarget^) is retried
without counting. What countysim's exit status means, and what the Job does with it:

| status | meaning | the Job |
| --- | --- | --- |
| 0 | the shard is done | the index succeeded |
| 1 | some runs failed (their errors are in the shard's ^runs.csv^, columns status and error), or countysim failed | retried; a shard whose runs failed fails again (its runs are finished), so the index fails |
| 2 | bad input: the experiment, or a folder holding another experiment or another countysim build | the index fails at once (^FailIndex^) |
| 75 | the shard's folder is busy: another countysim writes it | retried |
| 130 | stopped (SIGTERM: the deadline, --time {{.Time}}, or the pod deleted) | retried; it resumes |

## If a Job fails

^sh wait.sh sweep^ exits 1. Which shards failed, and why (the end of each failed pod's log):

^^^sh
kubectl get job {{.JobName}} -o jsonpath='{.status.failedIndexes}{"\n"}'
kubectl get pods -l batch.kubernetes.io/job-name={{.JobName}} --field-selector=status.phase=Failed
kubectl logs POD
^^^

Fix the cause, then ^kubectl delete job {{.JobName}}^ and ^kubectl apply -f sweep-job.yaml^
again: finished shards are left as they are and interrupted ones resume. A shard whose runs
failed stays failed: merge it as it is (apply merge-job.yaml; the merged files mark the failed
runs, and the merge exits 1, so its Job ends Failed with the files written), or remove its
folder (below) and apply again to run it afresh. An edited experiment file is another
experiment: emit again; it gets its own folder and Job names. Before applying a merge again,
^kubectl delete job {{.JobName}}-merge^.

## The image

The pods run ^{{.Binary}}^ from the image ^{{.Image}}^, which needs ^/bin/sh^ too (and ^tar^ for
^kubectl cp^). Build it from the countysim source with its ^deploy/Dockerfile^ (a static binary
on Alpine, as the non-root user {{.UID}}) and push it under an immutable name:

^^^sh
docker build -f deploy/Dockerfile -t registry.example/countysim:0.1.0 .
docker push registry.example/countysim:0.1.0
^^^

Name a version tag or a digest (^registry.example/countysim@sha256:...^), not ^latest^: a retried
pod must run the same build as the first, since a resume and the merge refuse a shard of
another build.

## The claim

The pods run as user and group {{.UID}} (^securityContext^ in the manifests; remove ^runAsUser^ and
^runAsGroup^ to run as the image's own user). ^fsGroup: {{.UID}}^ makes the claim writable by them
where the storage applies it; NFS does not: make the export's folder writable by {{.UID}} once
(^chown {{.UID}}:{{.UID}}^ or ^chmod 1777^). The filesystem must support locks (flock) across nodes,
as countysim locks each shard's folder: NFS mounted without ^nolock^, CephFS.

## Copying the results out

^kubectl cp^ cannot read from a Completed pod: start one that mounts the claim.

^^^sh
kubectl apply -f copy-pod.yaml
kubectl wait --for=condition=Ready pod/{{.JobName}}-copy --timeout=10m
kubectl cp {{.JobName}}-copy:{{.Results}}/merged ./merged
kubectl exec {{.JobName}}-copy -- rm -r {{.Results}}/shard-K-of-{{.Shards}}   # to run shard K afresh
kubectl delete pod {{.JobName}}-copy
^^^
`, "^", "`")
