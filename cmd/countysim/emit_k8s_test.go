package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// emitK8s emits the Kubernetes files of exp into a new folder and returns it.
func emitK8s(t *testing.T, exp string, args ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "k8s")
	code, _, e := runCLI(t, append([]string{"sweep", exp, "--emit", "k8s", "--shards", "3", "--out", dir, "--image", "registry.example/countysim:1.0"}, args...)...)
	if code != 0 {
		t.Fatalf("emit k8s %s %v: exit %d: %s", exp, args, code, e)
	}
	return dir
}

// k8sDocs returns the YAML documents of an emitted file.
func k8sDocs(t *testing.T, path string) [][]byte {
	t.Helper()
	// A line "---" separates documents; the line break before it is the document's (a
	// literal block keeps it).
	var docs [][]byte
	var cur []byte
	for _, line := range bytes.SplitAfter(readFile(t, path), []byte("\n")) {
		if string(line) == "---\n" {
			docs, cur = append(docs, cur), nil
			continue
		}
		cur = append(cur, line...)
	}
	docs = append(docs, cur)
	var out [][]byte
	for _, d := range docs {
		if len(bytes.TrimSpace(d)) > 0 {
			out = append(out, d)
		}
	}
	return out
}

// strictJob decodes a Job strictly, as the API server would (unknown fields are errors).
func strictJob(t *testing.T, doc []byte) batchv1.Job {
	t.Helper()
	var j batchv1.Job
	if err := yaml.UnmarshalStrict(doc, &j); err != nil {
		t.Fatalf("the Job does not decode strictly: %v\n%s", err, doc)
	}
	return j
}

// editedQuick writes quick.yaml changed by edit as name in a new folder.
func editedQuick(t *testing.T, name string, edit func(string) string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(edit(string(readFile(t, quick)))), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestEmitKubernetesExperimentsApart checks that two experiments never share Kubernetes
// objects or folders on the claim: names that differ in case only, or that no Kubernetes name
// can hold (Chinese), and two versions of one file, get distinct labels, each a valid
// DNS-1123 label, and the Jobs write under /results/LABEL only.
func TestEmitKubernetesExperimentsApart(t *testing.T) {
	exps := map[string]string{
		"quick": quick,
		"Quick": editedQuick(t, "quick.yaml", func(s string) string { return strings.Replace(s, "name: quick", "name: Quick", 1) }),
		"zh1":   editedQuick(t, "a.yaml", func(s string) string { return strings.Replace(s, "name: quick", "name: 省直管县", 1) }),
		"zh2":   editedQuick(t, "b.yaml", func(s string) string { return strings.Replace(s, "name: quick", "name: 强县扩权", 1) }),
		"edit":  editedQuick(t, "quick.yaml", func(s string) string { return strings.Replace(s, "seed: 42", "seed: 43", 1) }),
		"long": editedQuick(t, "c.yaml", func(s string) string {
			return strings.Replace(s, "name: quick", "name: "+strings.Repeat("a-very-long-name-", 5), 1)
		}),
	}
	seen := map[string]string{}
	for what, exp := range exps {
		dir := emitK8s(t, exp)
		docs := k8sDocs(t, filepath.Join(dir, "sweep-job.yaml"))
		job := strictJob(t, docs[1])
		label := job.Labels["countysim/experiment"]
		if other, ok := seen[label]; ok {
			t.Errorf("%s and %s share the label %q: their Jobs and folders would collide", what, other, label)
		}
		seen[label] = what
		merge := strictJob(t, k8sDocs(t, filepath.Join(dir, "merge-job.yaml"))[0])
		for _, name := range []string{label, job.Name, merge.Name, job.Name + "-99999"} {
			if !k8sNameRE.MatchString(name) {
				t.Errorf("%s: %q is not a DNS-1123 label (at most 63 characters)", what, name)
			}
		}
		args := strings.Join(job.Spec.Template.Spec.Containers[0].Args, " ")
		if !strings.Contains(args, "--out /results/"+label+"/shard-$(JOB_COMPLETION_INDEX)-of-3 ") {
			t.Errorf("%s: the shards do not write under /results/%s: %s", what, label, args)
		}
		if m := merge.Spec.Template.Spec.Containers[0].Args[0]; !strings.HasSuffix(m, " merge /results/"+label+"/shard-*-of-3 --out /results/"+label+"/merged") {
			t.Errorf("%s: the merge does not read and write under /results/%s: %s", what, label, m)
		}
	}
}

// TestEmitKubernetesFailurePolicy checks how the sweep Job treats failures: each index is
// retried a bounded number of times, also where backoffLimitPerIndex is dropped (backoffLimit
// set), a disruption is not counted, exit 2 (bad input) fails the index at once, a
// replacement waits for the failed pod to end, and the merge Job does the same.
func TestEmitKubernetesFailurePolicy(t *testing.T) {
	dir := emitK8s(t, quick)
	job := strictJob(t, k8sDocs(t, filepath.Join(dir, "sweep-job.yaml"))[1])
	s := job.Spec
	if s.BackoffLimitPerIndex == nil || *s.BackoffLimitPerIndex != kubeRetries || s.BackoffLimit == nil || *s.BackoffLimit != 3*(kubeRetries+1) {
		t.Errorf("backoffLimitPerIndex %v, backoffLimit %v; want %d and shards x %d", s.BackoffLimitPerIndex, s.BackoffLimit, kubeRetries, kubeRetries+1)
	}
	if s.PodReplacementPolicy == nil || *s.PodReplacementPolicy != batchv1.Failed {
		t.Error("podReplacementPolicy is not Failed: a replacement could start while the failed pod holds the shard's folder")
	}
	check := func(what string, p *batchv1.PodFailurePolicy, container string, onTwo batchv1.PodFailurePolicyAction) {
		t.Helper()
		if p == nil || len(p.Rules) != 2 {
			t.Fatalf("%s: podFailurePolicy %+v, want two rules", what, p)
		}
		r := p.Rules[0]
		if r.Action != batchv1.PodFailurePolicyActionIgnore || len(r.OnPodConditions) != 1 || r.OnPodConditions[0].Type != corev1.DisruptionTarget {
			t.Errorf("%s: the first rule %+v; want DisruptionTarget ignored", what, r)
		}
		r = p.Rules[1]
		if r.Action != onTwo || r.OnExitCodes == nil || r.OnExitCodes.ContainerName == nil || *r.OnExitCodes.ContainerName != container ||
			r.OnExitCodes.Operator != batchv1.PodFailurePolicyOnExitCodesOpIn || fmt.Sprint(r.OnExitCodes.Values) != "[2]" {
			t.Errorf("%s: the second rule %+v; want exit code 2 of %s to %s (and not %d, a busy folder)", what, r, container, onTwo, exitBusy)
		}
	}
	check("sweep", s.PodFailurePolicy, "sweep", batchv1.PodFailurePolicyActionFailIndex)
	merge := strictJob(t, k8sDocs(t, filepath.Join(dir, "merge-job.yaml"))[0])
	check("merge", merge.Spec.PodFailurePolicy, "merge", batchv1.PodFailurePolicyActionFailJob)
	if p := merge.Spec.PodReplacementPolicy; p == nil || *p != batchv1.Failed {
		t.Error("the merge's podReplacementPolicy is not Failed")
	}
	for _, j := range []batchv1.Job{job, merge} {
		sc := j.Spec.Template.Spec.SecurityContext
		if sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser != kubeUID || sc.FSGroup == nil || *sc.FSGroup != kubeUID {
			t.Errorf("%s: securityContext %+v; want non-root user and fsGroup %d (deploy/Dockerfile's user)", j.Name, sc, kubeUID)
		}
	}
	readme := string(readFile(t, filepath.Join(dir, "README.md")))
	for _, w := range []string{"Kubernetes 1.29 or later", "| 75 |", "| 2 |", "If a Job fails", "deploy/Dockerfile", "immutable", "nolock", "kubectl cp", "copy-pod.yaml"} {
		if !strings.Contains(readme, w) {
			t.Errorf("README.md lacks %q", w)
		}
	}
}

// TestEmitKubernetesQuotesUserValues checks that a --binary (or --image) YAML would read
// otherwise ('#' starting a comment, ': ' a mapping, a line break new keys) reaches the pods
// as given: every value from the user is a JSON string in the manifests, and the merge's shell
// command quotes it.
func TestEmitKubernetesQuotesUserValues(t *testing.T) {
	for _, bin := range []string{"/opt/x #y/countysim", "/opt/a: b/countysim", "/opt/a\nrestartPolicy: Always\n/countysim", `/opt/it's "here"/countysim`} {
		dir := emitK8s(t, quick, "--binary", bin)
		job := strictJob(t, k8sDocs(t, filepath.Join(dir, "sweep-job.yaml"))[1])
		if c := job.Spec.Template.Spec.Containers[0].Command; len(c) != 1 || c[0] != bin {
			t.Errorf("--binary %q: the sweep runs %q", bin, c)
		}
		merge := strictJob(t, k8sDocs(t, filepath.Join(dir, "merge-job.yaml"))[0])
		mc := merge.Spec.Template.Spec.Containers[0]
		if len(mc.Args) != 1 || merge.Spec.Template.Spec.RestartPolicy != corev1.RestartPolicyNever {
			t.Fatalf("--binary %q: merge args %q, restartPolicy %s", bin, mc.Args, merge.Spec.Template.Spec.RestartPolicy)
		}
		// The shell reads the program's name back as given.
		script := strings.Replace(mc.Args[0], "exec ", `printf '%s\n' `, 1)
		out, err := exec.Command("/bin/sh", "-c", script).Output()
		if err != nil || !strings.HasPrefix(string(out), bin+"\nmerge\n") {
			t.Errorf("--binary %q: the merge's shell command %q runs %q (%v)", bin, mc.Args[0], out, err)
		}
	}
}

// TestEmitKubernetesConfigMapBytes checks that the ConfigMap carries the experiment file byte
// for byte, whatever it holds (trailing blank lines, no final line break, carriage returns,
// tabs, a first line indented, Chinese text), so that the pods' experiment.yaml and
// batch.json match a local sweep's.
func TestEmitKubernetesConfigMapBytes(t *testing.T) {
	edits := map[string]func(string) string{
		"as it is":          func(s string) string { return s },
		"blank lines after": func(s string) string { return s + "\n\n\n" },
		"no final newline":  func(s string) string { return strings.TrimRight(s, "\n") },
		"CRLF":              func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") },
		"tab in a comment":  func(s string) string { return "#\tnote\n" + s },
		"indented first":    func(s string) string { return "  # indented\n" + s },
		"blank lines first": func(s string) string { return "\n\n" + s },
		"spaces-only line":  func(s string) string { return strings.Replace(s, "design:", "   \ndesign:", 1) },
		"trailing spaces":   func(s string) string { return strings.Replace(s, "seed: 42", "seed: 42   ", 1) },
		"Chinese":           func(s string) string { return strings.Replace(s, "description: ", "description: 省直管县 ", 1) },
		"document marker":   func(s string) string { return "---\n" + s + "...\n" },
	}
	for what, edit := range edits {
		exp := editedQuick(t, "exp.yaml", edit)
		want := readFile(t, exp)
		dir := emitK8s(t, exp)
		var cm corev1.ConfigMap
		if err := yaml.UnmarshalStrict(k8sDocs(t, filepath.Join(dir, "sweep-job.yaml"))[0], &cm); err != nil {
			t.Fatalf("%s: the ConfigMap does not decode strictly: %v", what, err)
		}
		got, ok := []byte(cm.Data["exp.yaml"]), true
		if _, isText := cm.Data["exp.yaml"]; !isText {
			got, ok = cm.BinaryData["exp.yaml"]
		}
		if !ok || !bytes.Equal(got, want) {
			t.Errorf("%s: the ConfigMap holds %q, the file %q", what, got, want)
		}
	}
}

// TestEmitKubernetesLimits checks the values the Kubernetes API refuses: more than 100,000
// shards (parallelism), a --time above activeDeadlineSeconds' 2147483647.
func TestEmitKubernetesLimits(t *testing.T) {
	big := editedQuick(t, "big.yaml", func(s string) string {
		return strings.Replace(strings.Replace(s, "replications: 2", "replications: 10000", 1), "steps: 3", "steps: 9", 1) // 180,000 runs
	})
	for _, tc := range []struct {
		exp  string
		args []string
		want string
	}{
		{big, []string{"--shards", "100001"}, "--shards: bad value 100001 (allowed: 1 to 100000 with --emit k8s"},
		{quick, []string{"--shards", "3", "--time", "100000-00:00:00"}, `--time: bad value "100000-00:00:00", 8640000000 seconds (allowed with --emit k8s: at most 24855-03:14:07`},
		{quick, []string{"--shards", "3", "--time", "99999999999999999999-00:00:00"}, `--time: bad value "99999999999999999999-00:00:00"`},
		{quick, []string{"--shards", "3", "--image", "reg.example/countysim:1.0\nx: y"}, "--image: bad value"},
	} {
		code, _, e := runCLI(t, append([]string{"sweep", tc.exp, "--emit", "k8s", "--out", t.TempDir()}, tc.args...)...)
		if code != 2 || !strings.Contains(e, tc.want) {
			t.Errorf("%v: exit %d: %s; want 2 and %q", tc.args, code, e, tc.want)
		}
	}
	if code, _, e := runCLI(t, "sweep", big, "--emit", "k8s", "--shards", "100000", "--time", "24855-03:14:07", "--out", t.TempDir(), "--image", "r/c:1"); code != 0 {
		t.Errorf("100000 shards, --time 24855-03:14:07: exit %d: %s", code, e)
	}
}

// TestEmitWarnsOfOtherFlags checks the warnings for flags these job files ignore, and for an
// image tag that may move between retries.
func TestEmitWarnsOfOtherFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--emit", "k8s", "--partition", "p", "--account", "a", "--image", "r/c:1"}, "--partition is for --emit slurm"},
		{[]string{"--emit", "k8s", "--account", "a", "--image", "r/c:1"}, "--account is for --emit slurm"},
		{[]string{"--emit", "slurm", "--image", "r/c:1", "--binary", fakeBinary(t)}, "--image is for --emit k8s"},
		{[]string{"--emit", "slurm", "--pvc", "x", "--binary", fakeBinary(t)}, "--pvc is for --emit k8s"},
		{[]string{"--emit", "k8s"}, "--image countysim:latest is a mutable tag"},
		{[]string{"--emit", "k8s", "--image", "r.example:5000/countysim"}, "--image r.example:5000/countysim is a mutable tag"},
	} {
		code, _, e := runCLI(t, append([]string{"sweep", quick, "--out", t.TempDir()}, tc.args...)...)
		if code != 0 || !strings.Contains(e, "warning: "+tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want a warning %q", tc.args, code, e, tc.want)
		}
	}
	for _, img := range []string{"r.example:5000/countysim:1.0", "r/countysim@sha256:0123"} {
		if code, _, e := runCLI(t, "sweep", quick, "--out", t.TempDir(), "--emit", "k8s", "--image", img); code != 0 || e != "" {
			t.Errorf("--image %s: exit %d, stderr %q; want no warning", img, code, e)
		}
	}
}

// TestEmitKubernetesPrintedCommands checks that the printed commands paste into a shell as
// they are, with --out holding spaces and quotes, and that wait.sh ends on Complete (0) and on
// Failed (1), passing kubectl its flags.
func TestEmitKubernetesPrintedCommands(t *testing.T) {
	dir := filepath.Join(t.TempDir(), `my "k8s" it's`)
	code, out, e := runCLI(t, "sweep", quick, "--emit", "k8s", "--shards", "3", "--out", dir, "--image", "r/c:1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	bin := t.TempDir()
	calls := filepath.Join(bin, "calls")
	conds := filepath.Join(bin, "conds")
	os.WriteFile(filepath.Join(bin, "kubectl"), []byte("#!/bin/sh\nprintf '%s|' \"$@\" >>"+calls+"\necho >>"+calls+"\ncat "+conds+"\n"), 0o755)
	os.WriteFile(conds, []byte("SuccessCriteriaMet Complete "), 0o644)
	env := append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "COUNTYSIM_WAIT_POLL=0")
	var ran int
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "kubectl ") && !strings.HasPrefix(line, "sh ") {
			continue
		}
		cmd := exec.Command("/bin/sh", "-c", line)
		cmd.Env = env
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: %v: %s", line, err, b)
		}
		ran++
	}
	got := strings.Split(strings.TrimSpace(string(readFile(t, calls))), "\n")
	label := "quick-" + sha256Hex(readFile(t, quick))[:8]
	want := []string{"apply|-f|" + dir + "/pvc.yaml|", "apply|-f|" + dir + "/sweep-job.yaml|", "get|job/countysim-" + label + "|-o|",
		"apply|-f|" + dir + "/merge-job.yaml|", "get|job/countysim-" + label + "-merge|-o|"}
	if ran != 5 || len(got) != len(want) {
		t.Fatalf("ran %d printed commands; kubectl was called with:\n%s", ran, strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("call %d: kubectl %s, want %s...", i, got[i], want[i])
		}
	}
	wait := func(conditions string, args ...string) (int, string) {
		os.WriteFile(conds, []byte(conditions), 0o644)
		os.Remove(calls)
		cmd := exec.Command("/bin/sh", append([]string{filepath.Join(dir, "wait.sh")}, args...)...)
		cmd.Env = env
		b, _ := cmd.CombinedOutput()
		return cmd.ProcessState.ExitCode(), string(b)
	}
	if code, b := wait("FailureTarget Failed ", "sweep", "-n", "lab"); code != 1 || !strings.Contains(b, "failed") ||
		!strings.HasPrefix(string(readFile(t, calls)), "get|job/countysim-"+label+"|-n|lab|-o|") {
		t.Errorf("wait.sh sweep -n lab on a Failed Job: exit %d: %s; kubectl got %s", code, b, readFile(t, calls))
	}
	if code, b := wait("", "nothing"); code != 2 {
		t.Errorf("wait.sh with no Job: exit %d: %s; want 2", code, b)
	}
}
