package main

import (
	"bytes"
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

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/countysim/countysim/lang"
	"github.com/countysim/countysim/scenarios"
)

// emitOptions are the flags of sweep --emit: the cluster resources of each shard.
type emitOptions struct {
	partition, time, mem, account, binary string
	cpus                                  int
	image, pvc                            string
}

func registerEmitFlags(fs *pflag.FlagSet) *emitOptions {
	o := &emitOptions{}
	fs.IntVar(&o.cpus, "cpus-per-task", 1, "CPUs of each shard (--emit); the shard runs that many runs at once")
	fs.StringVar(&o.time, "time", "01:00:00", "time limit of each shard (--emit), [D-]HH:MM:SS")
	fs.StringVar(&o.mem, "mem", "", "memory of each shard (--emit), e.g. 4G or 500M (default: the cluster's default)")
	fs.StringVar(&o.partition, "partition", "", "Slurm partition (--emit slurm; default: the cluster's default)")
	fs.StringVar(&o.account, "account", "", "Slurm account to charge (--emit slurm)")
	fs.StringVar(&o.binary, "binary", "", "countysim binary the jobs run (--emit; default: this program's absolute path for slurm, countysim for k8s)")
	fs.StringVar(&o.image, "image", "countysim:latest", "container image with countysim and /bin/sh (--emit k8s)")
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
	Data      string // the experiment's ConfigMap data section, indented (k8s)
}

var (
	slurmTimeRE = regexp.MustCompile(`^(?:(\d+)-)?(\d+):([0-5]\d):([0-5]\d)$`)
	memRE       = regexp.MustCompile(`^([1-9]\d*)([KMGT]?)$`)
	slurmNameRE = regexp.MustCompile(`^[A-Za-z0-9_.,-]+$`)
	k8sNameRE   = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)
	notKeyRE    = regexp.MustCompile(`[^-._a-zA-Z0-9]`)
	notNameRE   = regexp.MustCompile(`[^a-z0-9]+`)
	shellSafeRE = regexp.MustCompile(`^[-A-Za-z0-9_./:=+,@%]+$`)
)

// emitJobs writes the job files that run the experiment as shards on a cluster and merge
// them, and prints how to submit them.
func emitJobs(exp *scenarios.Experiment, path, kind string, shards int, out string, force bool, o *emitOptions, l lang.Lang, stdout io.Writer) error {
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
	if o.cpus < 1 {
		return usageErr("--cpus-per-task: bad value %d (allowed: 1 or more)", o.cpus)
	}
	m := slurmTimeRE.FindStringSubmatch(o.time)
	if m == nil {
		return usageErr("--time: bad value %q (allowed: [D-]HH:MM:SS, e.g. 02:30:00 or 1-00:00:00)", o.time)
	}
	d, _ := strconv.Atoi("0" + m[1])
	h, _ := strconv.Atoi(m[2])
	mi, _ := strconv.Atoi(m[3])
	s, _ := strconv.Atoi(m[4])
	job := jobSpec{
		Name: exp.Name, Runs: runs, Shards: shards, Last: shards - 1, CPUs: o.cpus,
		Time: o.time, Seconds: ((d*24+h)*60+mi)*60 + s,
		Mem: o.mem, Partition: o.partition, Account: o.account, Binary: o.binary,
		Image: o.image, PVC: o.pvc,
	}
	if job.Seconds == 0 {
		return usageErr("--time: bad value %q (allowed: more than zero)", o.time)
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
	if out == "" {
		out = filepath.Join("out", exp.Name, kind)
	}
	if err := checkEmitFolder(out, kind, filepath.Base(path), force); err != nil {
		return err
	}
	if kind == "slurm" {
		return emitSlurm(job, exp, path, out, force, l, stdout)
	}
	return emitKube(job, exp, path, out, l, stdout)
}

// checkEmitFolder refuses an --out that is a file, or a folder holding entries that neither
// the job files nor the jobs write, unless force: emitting again into a folder emit wrote
// (its job files; for Slurm also the experiment's copy expFile, logs, the shards' folders and
// the merged results) replaces the job files, while other files would be overwritten or
// mixed with the jobs' results.
func checkEmitFolder(dir, kind, expFile string, force bool) error {
	if err := checkOutPath(dir); err != nil {
		return err
	}
	if force {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return badInput(fmt.Errorf("--out: %w", err))
	}
	own := []string{"pvc.yaml", "sweep-job.yaml", "merge-job.yaml", "README.md"}
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

func emitKube(job jobSpec, exp *scenarios.Experiment, path, out string, l lang.Lang, stdout io.Writer) error {
	if !k8sNameRE.MatchString(job.PVC) {
		return usageErr("--pvc: bad value %q (allowed: a Kubernetes name: lower-case letters, digits and -)", job.PVC)
	}
	if job.Image == "" || strings.ContainsAny(job.Image, " \t\n") {
		return usageErr("--image: bad value %q (allowed: an image reference such as registry.example/countysim:1.0)", job.Image)
	}
	if job.Binary == "" {
		job.Binary = "countysim"
	}
	job.Label = kubeName(exp.Name)
	job.JobName = "countysim-" + job.Label
	job.ConfigMap = job.JobName + "-experiment"
	job.ExpFile = notKeyRE.ReplaceAllString(filepath.Base(path), "-")
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(map[string]string{job.ExpFile: string(exp.Data)}); err != nil {
		return err
	}
	job.Data = strings.TrimRight(indent(buf.String(), "  "), " \n")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, f := range []struct{ name, tmpl string }{
		{"pvc.yaml", kubePVC}, {"sweep-job.yaml", kubeSweepJob}, {"merge-job.yaml", kubeMergeJob}, {"README.md", kubeReadme},
	} {
		if err := writeTemplate(filepath.Join(out, f.name), f.tmpl, job, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintln(stdout, l.F("countysim sweep: wrote Kubernetes manifests for %q (%d runs in %d shards) to %s:", exp.Name, job.Runs, job.Shards, out))
	fmt.Fprintln(stdout, l.T("  pvc.yaml, sweep-job.yaml (ConfigMap and Indexed Job), merge-job.yaml; run them as README.md there says:"))
	fmt.Fprintln(stdout, l.F("  kubectl apply -f %s   # once: the claim the results go to", filepath.Join(out, "pvc.yaml")))
	fmt.Fprintf(stdout, "  kubectl apply -f %s\n", filepath.Join(out, "sweep-job.yaml"))
	fmt.Fprintf(stdout, "  kubectl wait --for=condition=complete --timeout=-1s job/%s\n", job.JobName)
	fmt.Fprintf(stdout, "  kubectl apply -f %s\n", filepath.Join(out, "merge-job.yaml"))
	return nil
}

// kubeName turns an experiment name into a Kubernetes object name part (RFC 1123 label).
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

func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if l != "" && l != "\n" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "")
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
)

const kubePVC = `# Shared storage for the shards and the merged results of countysim sweeps. Every shard pod
# and the merge pod mount it, so it must be ReadWriteMany (NFS, CephFS, EFS, Filestore ...):
# set storageClassName to such a class if the cluster's default is not. Apply it once; skip
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
# Pod K runs shard K/{{.Shards}} into /results/shard-K-of-{{.Shards}} on the claim {{.PVC}}; a retried pod
# resumes its shard. Written by countysim sweep --emit k8s; see README.md beside it.
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{.ConfigMap}}
  labels:` + kubeLabels + `
data:
{{.Data}}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: {{.JobName}}
  labels:` + kubeLabels + `
spec:
  completionMode: Indexed
  completions: {{.Shards}}
  parallelism: {{.Shards}}
  backoffLimitPerIndex: 2
  template:
    metadata:
      labels:` + kubePodLabels + `
    spec:
      restartPolicy: Never
      activeDeadlineSeconds: {{.Seconds}}
      containers:
        - name: sweep
          image: {{q .Image}}
          command: [{{q .Binary}}]
          args:
            - sweep
            - /config/{{.ExpFile}}
            - --shard
            - $(JOB_COMPLETION_INDEX)/{{.Shards}}
            - --out
            - /results/shard-$(JOB_COMPLETION_INDEX)-of-{{.Shards}}
            - -j
            - "{{.CPUs}}"
            - --resume-if-present
          env:
            - name: JOB_COMPLETION_INDEX
              valueFrom:
                fieldRef:
                  fieldPath: metadata.annotations['batch.kubernetes.io/job-completion-index']
          resources:
            requests:
              cpu: "{{.CPUs}}"
{{- if .KubeMem}}
              memory: {{.KubeMem}}
            limits:
              memory: {{.KubeMem}}
{{- end}}
          volumeMounts:
            - name: experiment
              mountPath: /config
              readOnly: true
            - name: results
              mountPath: /results
      volumes:
        - name: experiment
          configMap:
            name: {{.ConfigMap}}
        - name: results
          persistentVolumeClaim:
            claimName: {{.PVC}}
`

const kubeMergeJob = `# Merges the {{.Shards}} shards of the countysim experiment "{{.Name}}" into /results/merged on the
# claim {{.PVC}}: the files one machine's sweep would write. Apply it once the sweep Job
# {{.JobName}} is complete. Written by countysim sweep --emit k8s.
apiVersion: batch/v1
kind: Job
metadata:
  name: {{.JobName}}-merge
  labels:` + kubeLabels + `
spec:
  backoffLimit: 1
  template:
    metadata:
      labels:` + kubePodLabels + `
    spec:
      restartPolicy: Never
      activeDeadlineSeconds: {{.Seconds}}
      containers:
        - name: merge
          image: {{q .Image}}
          command: [/bin/sh, -c]
          args:
            - exec {{sh .Binary}} merge /results/shard-*-of-{{.Shards}} --out /results/merged
          resources:
            requests:
              cpu: "1"
{{- if .KubeMem}}
              memory: {{.KubeMem}}
            limits:
              memory: {{.KubeMem}}
{{- end}}
          volumeMounts:
            - name: results
              mountPath: /results
      volumes:
        - name: results
          persistentVolumeClaim:
            claimName: {{.PVC}}
`

const kubeReadme = "# countysim experiment \"{{.Name}}\" on Kubernetes\n\n" +
	"{{.Runs}} runs in {{.Shards}} shards. The image `{{.Image}}` must hold `{{.Binary}}` on its PATH and `/bin/sh`.\n\n" +
	"```sh\n" +
	"kubectl apply -f pvc.yaml          # once: ReadWriteMany claim {{.PVC}} for the results\n" +
	"kubectl apply -f sweep-job.yaml    # ConfigMap with the experiment + Indexed Job, one pod per shard\n" +
	"kubectl wait --for=condition=complete --timeout=-1s job/{{.JobName}}\n" +
	"kubectl apply -f merge-job.yaml    # merges /results/shard-*-of-{{.Shards}} into /results/merged\n" +
	"kubectl wait --for=condition=complete --timeout=-1s job/{{.JobName}}-merge\n" +
	"```\n\n" +
	"A failed pod is retried up to twice per index (backoffLimitPerIndex, Kubernetes 1.29 or later; on older\n" +
	"clusters replace it with backoffLimit) and resumes its shard. If an index\n" +
	"still fails, delete the Job and apply sweep-job.yaml again: finished shards are left as they are and\n" +
	"interrupted ones resume. The results are in /results/merged on the claim; copy them out with a pod that\n" +
	"mounts it (e.g. `kubectl cp`).\n"
