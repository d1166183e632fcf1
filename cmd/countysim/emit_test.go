package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// fakeBinary is an executable file standing for an installed countysim (--binary).
func fakeBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "countysim")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}

func TestEmitSlurm(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "slurm")
	bin := fakeBinary(t)
	emit := []string{"sweep", quick, "--emit", "slurm", "--shards", "3", "--out", dir,
		"--partition", "debug", "--time", "00:10:00", "--cpus-per-task", "2", "--mem", "2G", "--account", "proj", "--binary", bin}
	code, out, e := runCLI(t, emit...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	if !bytes.Equal(readFile(t, filepath.Join(dir, "quick.yaml")), readFile(t, quick)) {
		t.Error("the experiment copy differs from the experiment: the shards' sha256 would not match a local sweep's")
	}
	checks := map[string][]string{
		"sweep.sbatch": {
			"#SBATCH --array=0-2\n", "#SBATCH --job-name=countysim-quick\n", "#SBATCH --partition=debug\n",
			"#SBATCH --account=proj\n", "#SBATCH --time=00:10:00\n", "#SBATCH --cpus-per-task=2\n", "#SBATCH --mem=2G\n",
			"#SBATCH --output=" + dir + "/logs/sweep-%A_%a.out\n", "#SBATCH --error=" + dir + "/logs/sweep-%A_%a.err\n",
			bin + ` sweep ` + dir + `/quick.yaml --shard "${SLURM_ARRAY_TASK_ID}/3"`,
			`--out "` + dir + `/shard-${SLURM_ARRAY_TASK_ID}-of-3" -j "${SLURM_CPUS_PER_TASK:-1}" --resume-if-present`,
		},
		"merge.sbatch": {bin + " merge " + dir + "/shard-*-of-3 --out " + dir + "/merged", "#SBATCH --output=" + dir + "/logs/merge-%j.out"},
		"submit.sh": {
			"ARRAY_JOB_ID=$(sbatch --parsable " + dir + "/sweep.sbatch)",
			"sbatch --parsable --dependency=afterok:$ARRAY_JOB_ID", dir + "/merge.sbatch",
			"echo \"sweep: job array $ARRAY_JOB_ID", "echo \"merge: job $MERGE_JOB_ID",
		},
	}
	for name, wants := range checks {
		text := string(readFile(t, filepath.Join(dir, name)))
		for _, w := range wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q:\n%s", name, w, text)
			}
		}
	}
	for _, w := range []string{"bash " + dir + "/submit.sh", "sbatch --array=K " + dir + "/sweep.sbatch", "sbatch " + dir + "/merge.sbatch"} {
		if !strings.Contains(out, w) {
			t.Errorf("the printed instructions lack %q:\n%s", w, out)
		}
	}
	if st, err := os.Stat(filepath.Join(dir, "logs")); err != nil || !st.IsDir() {
		t.Error("no logs folder: Slurm would not start a job whose --output folder is missing")
	}
	// Emitting again into the folder, once the jobs have written into it, replaces the job
	// files; a file the jobs do not write stops it, unless --force.
	for _, d := range []string{"shard-0-of-3", "merged"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "logs", "sweep-1_0.out"), nil, 0o644)
	if code, _, e := runCLI(t, emit...); code != 0 {
		t.Fatalf("emitting again into the jobs' folder: exit %d: %s", code, e)
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644)
	if code, _, e := runCLI(t, emit...); code != 2 || !strings.Contains(e, "holds files this command did not write (notes.txt)") {
		t.Errorf("emitting into a folder with another file: exit %d, %q; want exit 2 naming notes.txt", code, e)
	}
	if code, _, e := runCLI(t, append(emit, "--force")...); code != 0 || string(readFile(t, filepath.Join(dir, "notes.txt"))) != "mine" {
		t.Errorf("--force: exit %d (%s), or notes.txt was not kept", code, e)
	}
	// A countysim installed on the nodes only: --force takes its path as given.
	nodes := slices.Clone(emit)
	nodes[len(nodes)-1] = "/opt/on-the-nodes/countysim"
	if code, _, e := runCLI(t, append(nodes, "--force")...); code != 0 || !strings.Contains(string(readFile(t, filepath.Join(dir, "sweep.sbatch"))), "/opt/on-the-nodes/countysim sweep") {
		t.Errorf("--binary on the nodes only with --force: exit %d: %s", code, e)
	}
	if _, err := exec.LookPath("bash"); err != nil {
		return
	}
	for _, name := range []string{"sweep.sbatch", "merge.sbatch", "submit.sh"} {
		if b, err := exec.Command("bash", "-n", filepath.Join(dir, name)).CombinedOutput(); err != nil {
			t.Errorf("bash -n %s: %v: %s", name, err, b)
		}
	}
	t.Run("submit.sh chains the merge to the array", func(t *testing.T) {
		bin := t.TempDir()
		calls := filepath.Join(bin, "calls")
		fake := "#!/bin/bash\necho \"$*\" >>" + calls + "\nif [ -s " + calls + ".n ]; then echo 4243; else echo x >" + calls + ".n; echo '4242;cluster'; fi\n"
		os.WriteFile(filepath.Join(bin, "sbatch"), []byte(fake), 0o755)
		cmd := exec.Command("bash", filepath.Join(dir, "submit.sh"))
		cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"))
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("submit.sh: %v: %s", err, b)
		}
		lines := strings.Split(strings.TrimSpace(string(readFile(t, calls))), "\n")
		if len(lines) != 2 || lines[0] != "--parsable "+dir+"/sweep.sbatch" ||
			!strings.HasPrefix(lines[1], "--parsable --dependency=afterok:4242 ") || !strings.HasSuffix(lines[1], dir+"/merge.sbatch") {
			t.Errorf("sbatch was called with:\n%s", strings.Join(lines, "\n"))
		}
		if !strings.Contains(string(b), "job array 4242") || !strings.Contains(string(b), "job 4243") {
			t.Errorf("submit.sh does not print both job ids:\n%s", b)
		}
	})
}

// k8sObject is the part of a Kubernetes object the test looks at.
type k8sObject struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name   string
		Labels map[string]string
	}
	Data map[string]string `yaml:"data"`
	Spec struct {
		CompletionMode       string   `yaml:"completionMode"`
		Completions          *int     `yaml:"completions"`
		Parallelism          *int     `yaml:"parallelism"`
		BackoffLimitPerIndex *int     `yaml:"backoffLimitPerIndex"`
		AccessModes          []string `yaml:"accessModes"`
		Template             struct {
			Metadata struct{ Labels map[string]string }
			Spec     struct {
				RestartPolicy         string `yaml:"restartPolicy"`
				ActiveDeadlineSeconds int    `yaml:"activeDeadlineSeconds"`
				Containers            []struct {
					Image     string
					Command   []string
					Args      []string
					Env       []struct{ Name string }
					Resources struct{ Requests, Limits map[string]string }
					Mounts    []struct {
						Name      string
						MountPath string `yaml:"mountPath"`
					} `yaml:"volumeMounts"`
				}
				Volumes []struct {
					Name      string
					ConfigMap *struct{ Name string } `yaml:"configMap"`
					Claim     *struct {
						ClaimName string `yaml:"claimName"`
					} `yaml:"persistentVolumeClaim"`
				}
			}
		}
	}
}

func decodeObjects(t *testing.T, path string) []k8sObject {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(readFile(t, path)))
	var objs []k8sObject
	for {
		var o k8sObject
		if err := dec.Decode(&o); err != nil {
			if err.Error() == "EOF" {
				return objs
			}
			t.Fatalf("%s: %v", path, err)
		}
		objs = append(objs, o)
	}
}

func TestEmitKubernetes(t *testing.T) {
	dir := t.TempDir()
	code, out, e := runCLI(t, "sweep", quick, "--emit", "k8s", "--shards", "3", "--out", dir,
		"--image", "registry.example/countysim:1.0", "--pvc", "shared-results", "--cpus-per-task", "2", "--mem", "1500M", "--time", "00:10:00")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	if !strings.Contains(out, "kubectl apply -f "+filepath.Join(dir, "sweep-job.yaml")) {
		t.Errorf("the printed instructions do not say how to start the job:\n%s", out)
	}
	label := "quick-" + sha256Hex(readFile(t, quick))[:8]
	objs := decodeObjects(t, filepath.Join(dir, "sweep-job.yaml"))
	if len(objs) != 2 || objs[0].Kind != "ConfigMap" || objs[1].Kind != "Job" {
		t.Fatalf("sweep-job.yaml should hold a ConfigMap and a Job, holds %d objects", len(objs))
	}
	cm, job := objs[0], objs[1]
	if cm.APIVersion != "v1" || cm.Data["quick.yaml"] != string(readFile(t, quick)) {
		t.Errorf("the ConfigMap does not hold quick.yaml byte for byte: %q", cm.Data)
	}
	if job.APIVersion != "batch/v1" || job.Spec.CompletionMode != "Indexed" {
		t.Errorf("want an Indexed batch/v1 Job, got %s %s", job.APIVersion, job.Spec.CompletionMode)
	}
	if job.Spec.Completions == nil || job.Spec.Parallelism == nil || *job.Spec.Completions != 3 || *job.Spec.Parallelism != 3 {
		t.Errorf("completions and parallelism should both be 3")
	}
	if job.Metadata.Name != "countysim-"+label || job.Metadata.Labels["countysim/experiment"] != label || !maps.Equal(job.Spec.Template.Metadata.Labels, job.Metadata.Labels) {
		t.Errorf("the job's labels %v and its pods' %v should both name the experiment", job.Metadata.Labels, job.Spec.Template.Metadata.Labels)
	}
	pod := job.Spec.Template.Spec
	if job.Spec.BackoffLimitPerIndex == nil || pod.RestartPolicy != "Never" {
		t.Error("want backoffLimitPerIndex with restartPolicy Never (Kubernetes requires it)")
	}
	if pod.ActiveDeadlineSeconds != 600 {
		t.Errorf("activeDeadlineSeconds %d, want 600 from --time 00:10:00", pod.ActiveDeadlineSeconds)
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("want one container, got %d", len(pod.Containers))
	}
	c := pod.Containers[0]
	args := strings.Join(c.Args, " ")
	if c.Image != "registry.example/countysim:1.0" || !slices.Equal(c.Command, []string{"countysim"}) ||
		args != "sweep /config/quick.yaml --shard $(JOB_COMPLETION_INDEX)/3 --out /results/"+label+"/shard-$(JOB_COMPLETION_INDEX)-of-3 -j 2 --resume-if-present" {
		t.Errorf("container runs %s %v %q", c.Image, c.Command, args)
	}
	if len(c.Env) != 1 || c.Env[0].Name != "JOB_COMPLETION_INDEX" {
		t.Error("$(JOB_COMPLETION_INDEX) in args expands only with JOB_COMPLETION_INDEX in the container's env")
	}
	if c.Resources.Requests["cpu"] != "2" || c.Resources.Requests["memory"] != "1500Mi" || c.Resources.Limits["memory"] != "1500Mi" {
		t.Errorf("resources %+v", c.Resources)
	}
	volumes := map[string]string{}
	for _, v := range pod.Volumes {
		switch {
		case v.ConfigMap != nil:
			volumes[v.Name] = "configmap:" + v.ConfigMap.Name
		case v.Claim != nil:
			volumes[v.Name] = "pvc:" + v.Claim.ClaimName
		}
	}
	mounts := map[string]string{}
	for _, m := range c.Mounts {
		mounts[m.MountPath] = volumes[m.Name]
	}
	if mounts["/config"] != "configmap:"+cm.Metadata.Name || mounts["/results"] != "pvc:shared-results" {
		t.Errorf("mounts %v over volumes %v: want the ConfigMap at /config and the claim at /results", mounts, volumes)
	}

	merge := decodeObjects(t, filepath.Join(dir, "merge-job.yaml"))
	if len(merge) != 1 || merge[0].Kind != "Job" || merge[0].APIVersion != "batch/v1" {
		t.Fatalf("merge-job.yaml should hold one batch/v1 Job")
	}
	if merge[0].Spec.Template.Metadata.Labels["countysim/experiment"] != label {
		t.Errorf("the merge pods' labels %v do not name the experiment", merge[0].Spec.Template.Metadata.Labels)
	}
	mpod := merge[0].Spec.Template.Spec
	mc := mpod.Containers[0]
	if !slices.Equal(mc.Command, []string{"/bin/sh", "-c"}) || len(mc.Args) != 1 ||
		mc.Args[0] != "exec countysim merge /results/"+label+"/shard-*-of-3 --out /results/"+label+"/merged" {
		t.Errorf("merge container runs %v %q", mc.Command, mc.Args)
	}
	if len(mc.Mounts) != 1 || mc.Mounts[0].MountPath != "/results" || len(mpod.Volumes) != 1 ||
		mpod.Volumes[0].Name != mc.Mounts[0].Name || mpod.Volumes[0].Claim == nil || mpod.Volumes[0].Claim.ClaimName != "shared-results" {
		t.Error("the merge job should mount the claim shared-results at /results")
	}
	pvc := decodeObjects(t, filepath.Join(dir, "pvc.yaml"))
	if len(pvc) != 1 || pvc[0].Kind != "PersistentVolumeClaim" || pvc[0].Metadata.Name != "shared-results" || !slices.Equal(pvc[0].Spec.AccessModes, []string{"ReadWriteMany"}) {
		t.Errorf("pvc.yaml should declare the ReadWriteMany claim shared-results")
	}

	t.Run("kubectl", func(t *testing.T) {
		if _, err := exec.LookPath("kubectl"); err != nil {
			t.Skip("no kubectl")
		}
		for _, f := range []string{"pvc.yaml", "sweep-job.yaml", "merge-job.yaml", "copy-pod.yaml"} {
			b, err := exec.Command("kubectl", "apply", "--dry-run=client", "-f", filepath.Join(dir, f)).CombinedOutput()
			if err != nil && (bytes.Contains(b, []byte("connect")) || bytes.Contains(b, []byte("openapi")) || bytes.Contains(b, []byte("unable to recognize"))) {
				t.Skipf("kubectl needs a cluster to check against: %s", bytes.TrimSpace(b))
			}
			if err != nil {
				t.Errorf("kubectl apply --dry-run=client -f %s: %v: %s", f, err, b)
			}
		}
	})
}

func TestEmitRefusesBadRequests(t *testing.T) {
	notExec := filepath.Join(t.TempDir(), "countysim")
	os.WriteFile(notExec, []byte("not a program"), 0o644)
	fileBase := filepath.Join(t.TempDir(), "exp.yaml")
	os.WriteFile(filepath.Join(filepath.Dir(fileBase), "base.yaml"), []byte("name: base\n"), 0o644)
	os.WriteFile(fileBase, []byte(strings.Replace(string(readFile(t, quick)), "scenario: pmc-three-step", "scenario: base.yaml", 1)), 0o644)
	tests := []struct {
		exp  string
		args []string
		want string
	}{
		{quick, []string{"--emit", "pbs"}, `--emit: bad value "pbs" (allowed: slurm, k8s)`},
		{quick, []string{"--emit", "slurm", "--shards", "13"}, "--shards: bad value 13 (allowed: 1 to 12"},
		{quick, []string{"--emit", "slurm", "--shards", "0"}, "--shards: bad value 0"},
		{quick, []string{"--emit", "slurm", "--shard", "0/3"}, "--shard is not for --emit"},
		{quick, []string{"--emit", "slurm", "--resume"}, "--resume is not for --emit"},
		{quick, []string{"--emit", "k8s", "--resume-if-present"}, "--resume-if-present is not for --emit"},
		{quick, []string{"--emit", "slurm", "--time", "90"}, `--time: bad value "90"`},
		{quick, []string{"--emit", "k8s", "--mem", "2GB"}, `--mem: bad value "2GB"`},
		{quick, []string{"--emit", "slurm", "--cpus-per-task", "0"}, "--cpus-per-task: bad value 0"},
		{quick, []string{"--emit", "slurm", "--partition", "a b"}, `--partition: bad value "a b"`},
		{quick, []string{"--emit", "slurm", "--out", filepath.Join(t.TempDir(), "with space")}, "holds a space"},
		{quick, []string{"--emit", "k8s", "--pvc", "Results_1"}, `--pvc: bad value "Results_1"`},
		{fileBase, []string{"--emit", "k8s"}, "a Kubernetes pod sees only the experiment file"},
		{fileBase, []string{"--emit", "slurm"}, `scenario "base.yaml" is a relative file`},
		{quick, []string{"--emit", "slurm", "--binary", "/nonexistent/countysim"}, "--binary: /nonexistent/countysim does not exist"},
		{quick, []string{"--emit", "slurm", "--binary", notExec}, "--binary: " + notExec + " is not an executable file"},
		{quick, []string{"--emit", "slurm", "--binary", filepath.Dir(notExec)}, "is a folder, not an executable file"},
		{quick, []string{"--emit", "k8s", "--out", notExec}, "is a file, not a folder"},
		{quick, []string{"--emit", "k8s", "--out", filepath.Join(notExec, "sub"), "--force"}, ": " + notExec + " is a file, not a folder"},
		{quick, []string{"--emit", "k8s", "--out", filepath.Dir(fileBase)}, "holds files this command did not write (base.yaml, exp.yaml)"},
	}
	for _, tc := range tests {
		args := append([]string{"sweep", tc.exp}, tc.args...)
		if !slices.Contains(tc.args, "--out") {
			args = append(args, "--out", t.TempDir())
		}
		code, _, e := runCLI(t, args...)
		if code != 2 || !strings.Contains(e, tc.want) {
			t.Errorf("%v: want status 2 and %q, got %d: %s", tc.args, tc.want, code, e)
		}
	}
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// TestEmitRefusesAnotherExperimentsFolder: emitting a changed experiment (same file name)
// into a Slurm folder whose experiment copy or shards are of the earlier version is refused,
// also with --force: the tasks would refuse the old shards (exit 2) and the merge would
// publish the old experiment's results beside the new experiment's copy.
func TestEmitRefusesAnotherExperimentsFolder(t *testing.T) {
	src := filepath.Join(t.TempDir(), "q.yaml")
	old := readFile(t, quick)
	if err := os.WriteFile(src, old, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "slurm")
	emit := []string{"sweep", src, "--emit", "slurm", "--shards", "3", "--out", dir, "--binary", fakeBinary(t)}
	if code, _, e := runCLI(t, emit...); code != 0 {
		t.Fatalf("emit: exit %d: %s", code, e)
	}
	shard := filepath.Join(dir, "shard-0-of-3")
	if code, _, e := runCLI(t, "sweep", filepath.Join(dir, "q.yaml"), "--shard", "0/3", "--out", shard, "-j", "2", "-q", "--resume-if-present"); code != 0 {
		t.Fatalf("shard 0: exit %d: %s", code, e)
	}
	// The same experiment emitted again keeps its shards.
	if code, _, e := runCLI(t, emit...); code != 0 {
		t.Fatalf("emitting the same experiment again: exit %d: %s", code, e)
	}
	changed := bytes.Replace(old, []byte("seed: 42"), []byte("seed: 43"), 1)
	if bytes.Equal(changed, old) {
		t.Fatal("quick.yaml has no seed: 42 to change")
	}
	os.WriteFile(src, changed, 0o644)
	for _, args := range [][]string{emit, append(slices.Clone(emit), "--force")} {
		code, _, e := runCLI(t, args...)
		if code != 2 || !strings.Contains(e, "holds another experiment's files (q.yaml, shard-0-of-3/: experiment sha256 ") ||
			!strings.Contains(e, "choose a new --out, or remove the folder (rm -r "+dir+")") {
			t.Errorf("%v: exit %d, %q; want exit 2 naming the old copy and shard and the fix", args[2:], code, e)
		}
	}
	if !bytes.Equal(readFile(t, filepath.Join(dir, "q.yaml")), old) {
		t.Error("the refused emit replaced the experiment's copy")
	}
	// The copy replaced by hand: the old shard alone still stops it.
	os.WriteFile(filepath.Join(dir, "q.yaml"), changed, 0o644)
	if code, _, e := runCLI(t, emit...); code != 2 || !strings.Contains(e, "(shard-0-of-3/: experiment sha256 "+sha256Hex(old)[:12]+"; this q.yaml has "+sha256Hex(changed)[:12]) {
		t.Errorf("an old shard beside the new copy: exit %d, %q; want exit 2 naming shard-0-of-3/", code, e)
	}
	os.RemoveAll(shard)
	if code, _, e := runCLI(t, emit...); code != 0 {
		t.Errorf("without the old shard: exit %d: %s", code, e)
	}
}
