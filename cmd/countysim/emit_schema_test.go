package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// TestEmittedManifestsMatchTheKubernetesSchema decodes every emitted object strictly into the
// Kubernetes API types (batch/v1 Job, core/v1 ConfigMap and PersistentVolumeClaim): a field
// the API does not have, or a value of the wrong type, is an error.
func TestEmittedManifestsMatchTheKubernetesSchema(t *testing.T) {
	dir := t.TempDir()
	if code, _, e := runCLI(t, "sweep", quick, "--emit", "k8s", "--shards", "3", "--out", dir); code != 0 {
		t.Fatalf("emit k8s: %d %s", code, e)
	}
	kinds := map[string]int{}
	for _, f := range []string{"pvc.yaml", "sweep-job.yaml", "merge-job.yaml", "copy-pod.yaml"} {
		for i, doc := range k8sDocs(t, filepath.Join(dir, f)) {
			if len(bytes.TrimSpace(doc)) == 0 {
				continue
			}
			var meta struct{ Kind string }
			if err := yaml.Unmarshal(doc, &meta); err != nil {
				t.Fatalf("%s document %d: %v", f, i, err)
			}
			var err error
			switch meta.Kind {
			case "Job":
				var j batchv1.Job
				err = yaml.UnmarshalStrict(doc, &j)
				if err == nil && j.Spec.CompletionMode != nil && *j.Spec.CompletionMode == batchv1.IndexedCompletion {
					if *j.Spec.Completions != 3 || *j.Spec.Parallelism != 3 {
						t.Errorf("%s: indexed job with completions %d, parallelism %d; want 3 and 3", f, *j.Spec.Completions, *j.Spec.Parallelism)
					}
					if !strings.Contains(strings.Join(j.Spec.Template.Spec.Containers[0].Args, " "), "$(JOB_COMPLETION_INDEX)/3") {
						t.Errorf("%s: the shard is not taken from JOB_COMPLETION_INDEX", f)
					}
					kinds["IndexedJob"]++
				}
			case "ConfigMap":
				var c corev1.ConfigMap
				err = yaml.UnmarshalStrict(doc, &c)
			case "PersistentVolumeClaim":
				var c corev1.PersistentVolumeClaim
				err = yaml.UnmarshalStrict(doc, &c)
			case "Pod":
				var p corev1.Pod
				err = yaml.UnmarshalStrict(doc, &p)
			default:
				t.Fatalf("%s document %d: unexpected kind %q", f, i, meta.Kind)
			}
			if err != nil {
				t.Errorf("%s document %d (%s) does not match the API schema: %v", f, i, meta.Kind, err)
			}
			kinds[meta.Kind]++
		}
	}
	if kinds["IndexedJob"] != 1 || kinds["Job"] != 2 || kinds["ConfigMap"] != 1 || kinds["PersistentVolumeClaim"] != 1 || kinds["Pod"] != 1 {
		t.Fatalf("emitted objects %v; want an indexed Job, a merge Job, a ConfigMap, a claim and the copy pod", kinds)
	}
}
