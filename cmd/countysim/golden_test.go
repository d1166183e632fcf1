package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// goldenCommands are small runs of every command that writes model output: the default run,
// a comparison, a sweep, an evaluation and the check against published targets. Their outputs are hashed by TestGoldenOutputs.
var goldenCommands = []struct {
	dir  string
	args []string
}{
	{"run", []string{"run", "pmc-three-step", "--months", "36"}},
	{"cmp", []string{"compare", "baseline", "pmc-three-step", "--reps", "3", "--months", "36"}},
	{"sw", []string{"sweep", filepath.Join("..", "..", "scenarios", "experiments", "quick.yaml")}},
	{"ev", []string{"evaluate", "pmc-three-step", "--reps", "2", "--months", "120"}},
	{"val", []string{"evaluate", "--validate", "--reps", "2"}},
}

// goldenHashes are the SHA-256 of every file the goldenCommands write, recorded before the
// observation floor was split out of results. manifest.json is hashed after dropping what
// changes from one invocation to the next (times, versions, the output folder), and every file
// after replacing the output folder by OUT (a report's recorded hash and size are dropped). They change only with an intended change of the
// model or of an output format, said in the commit; regenerate them with
//
//	COUNTYSIM_GOLDEN=print go test -run TestGoldenOutputs ./cmd/countysim
var goldenHashes = map[string]string{
	"cmp/cost.png":          "0812056a228de5633c3ff72bb9fe323add5adaed6bc6f103909a7433cbdfeba6",
	"cmp/cost.svg":          "53b609bc4d4b52ca67b2f117e1ec165abf0c4d2c0b456f1436c1ae5e1e8ae791",
	"cmp/differences.csv":   "147f0953341ac21b1e03bae399c05ab6231a4af04e63732ff15b5b8640cbece4",
	"cmp/efficiency.png":    "6f556772639789dc924d449b50a819178c940176a2cf352495fa0a57a3b0ea26",
	"cmp/efficiency.svg":    "a52f3900cc20ef1be7f5168ec090ac06297e6f39a9f513c12cf1b498af494fc8",
	"cmp/ensemble.csv":      "a5f44aeadc2a40f32c0bf736d9b5720b732b4e508bd22c79aba917a155eeb323",
	"cmp/fiscal.png":        "8db1c41ca16cfae884d79991ff0164b073fa5e165e8c55e823db0b6229ef7916",
	"cmp/fiscal.svg":        "6b2d08bc8b4031f9d281a99dfa2899b51cdff26b9db8f3c612d798aed7a4ffff",
	"cmp/growth.png":        "13d534dccc49c445552b15740bd804764db45c64c01f7c536bac2a5c27dc97ab",
	"cmp/growth.svg":        "960145bcf833dfb097c87158522db74b31cf1ce11ca57ab0b929dec5b0bb399c",
	"cmp/manifest.json":     "dc42c786f74de8c0148387b5f80e974c5f08b76d4384f79bc572906cc6f5b420",
	"cmp/report.html":       "f61f09336450dee5b818bc324cdfaa5cea8ebb8d16e2fdc21274850790058793",
	"cmp/report.md":         "35979455986195609fb5388058afc74bf6b41ecd3e13f9f9416c4cacf28c00fd",
	"ev/dictionary.csv":     "4bc55220860276331d67c258aee064812b6115f25894f6602f06e7e3b9127d05",
	"ev/estimates.csv":      "a416094643f1769c55838dc4e1eb21b1b95bc0c81e152774fd97211d43994a19",
	"ev/event_study.png":    "8823b54faea193b6a2435932747c11f64250c1c58f24571d27f7a9abc073cebd",
	"ev/event_study.svg":    "01b6786660b419a861f16ecb37028e89a3fc8873bd012bf62d5254a2b87bd2d1",
	"ev/manifest.json":      "bfe7776da3d271904f78ce55b23a91de119a5fab8fa91833b69f1a7ac8427035",
	"ev/panel.csv":          "777216fbd988b580815f91bd1b42ff0b1ba1c9788d1d93f0d1e00f72482a1ac6",
	"ev/panel.parquet":      "9deec91e51fc9465163d505fb7a7ea648150022f56fc5530fb3b08fb3bc4acf1",
	"ev/summary.csv":        "0cac3d506dbbd8583481730d255005413142274ef4f3aee17480d541517c03f5",
	"run/cost.png":          "8e4e26d334521be59beae79916c04ad3f65cbfafc67d4b0dd84f36caf99da6e3",
	"run/cost.svg":          "9905d36d51b67ef51b1f0329ba136c8a30d42a1e1942a5dae8d359cb5fa2815a",
	"run/counties.csv":      "91a8872499eac8735b658871fd1defa27f5009f7ce5829cb222b2319acb275a7",
	"run/efficiency.png":    "525de60688171d04d0a052adacf50ca29967100d4ea88e0bf5af19091ff293d5",
	"run/efficiency.svg":    "53449f37dfec1500c062616cbc99714a6e423ed1876df2500be2b33416842984",
	"run/fiscal.png":        "f43a76729034c9ff00ca0f7e64b58b6d21c454ca4561f6e68faa2e5f7c3d60ae",
	"run/fiscal.svg":        "22dad1a9bf5aa6f6194953bf360bbf6d5e7d97e47e7664a0a764edccfeb81840",
	"run/growth.png":        "3afb5e1e63211c081df630c8ce9579380cf37fc08b07195e20677fade3d888ac",
	"run/growth.svg":        "62bed9e29c7706926da685587e70e5c919f1126b3dcfa1bb25d4da7c8f49b07d",
	"run/manifest.json":     "21c9554d252ec95298d653c1d1c8f3203107694026a3139c6a3c305abe6e1475",
	"run/metrics.csv":       "575b1efb23a803dc197da4d08bddc9e43694e514c23d3b5ad9cdff4e4a4e4ddd",
	"run/overview.png":      "6579a2b182808d459919819c7d961171bc78c46ab50e3d84f35e5720508eee13",
	"run/overview.svg":      "16c4f6dad7c1a6edd488bf2d15554889c19d4c4fdbd590d671c7d7b1e8690612",
	"run/series.csv":        "abe73842b5a15b04196549cec653dca35bd62a2f678a67ad5e23df75d6a084d1",
	"run/summary.csv":       "614acd3cbfdfe71a2c21f1ee09acb3823830c58edae12e34cf589eb5e14e3c5b",
	"sw/base.yaml":          "9e9eb52316e69c0c7d266e77933488e0d8556f6058b093e5b7d279c7de2b91ab",
	"sw/batch.json":         "cbca357582f4961f2e12c24c30da6a2a6829f16bc7d1083e194f1199618b79ec",
	"sw/experiment.yaml":    "434c91f9df73948b49fe633ce9c7c3ddc76fb103ac37cbc734f5e3d2f09963cc",
	"sw/manifest.json":      "b9f3a3ecff1623551fa4464597d8d7ef0d17b08c4ec8d2f6c6bfb0f22e3ec541",
	"sw/points.csv":         "a3bc36eb56b94d94a053dbefe2db0089f0d7cece547e627914e67d2a5b80856d",
	"sw/rows.csv":           "c3d16f5a42114ab4ce4f8295a1c443648828fc869cefb211b2e76b94fdaa4256",
	"sw/rows.parquet":       "ef16828ecd4ed21be213b0ab6c3a64d544ce9566a26d9f598a8defb3d6717168",
	"sw/runs.csv":           "6d5a2c3c8424556403944c6b77be70d9c6dba866423595f8d5dda92faecc6eaa",
	"sw/runs.parquet":       "fd8a6997cd2115c304392209e97611cc2cf4e9e5befb8187a97208c599abced3",
	"val/manifest.json":     "718b3701dc7c51d79fb24698c90ee19aab997e9e7af423a6aafa300eb4458705",
	"val/report.html":       "b449390b37c51c8b04f80e08256c0473dad3955bc57d211aabd73ddc6ab601a7",
	"val/report.md":         "d6649bbf5094eceb9a950f565068f2837e1760fdf896d968a78dc3c9d56c969d",
	"val/validation-T1.png": "de8c31d3efe0359be2364174418dc023b94da8277f019edc87161395cdb79924",
	"val/validation-T2.png": "4b98f477b98e8823b74c025c481fd198486cc2ad34c5472d4891f3af751679c3",
	"val/validation-T3.png": "a5915a2ca170fc014b02dba13c3affd87934d422273ee6d3039590c7a03d25a6",
	"val/validation-T4.png": "e3958dc48ea218678a89b8f62de965a9b396d77770f9fc019f228358d80d42bd",
	"val/validation-T5.png": "73ee952a0e1671fcf633f8ca30be3ec72b3c8f3ffebf4f2624c4b520e2bfc61a",
	"val/validation-T6.png": "3794d72fb1c12f20d2b78d65cb7af02aa8ca9014126fdc685e765530c9f3867d",
	"val/validation-T7.png": "b057aca9736b5e28d4bb5e231b817d8c18d7b1ab4fc6c46decf4d92e2247ecf6",
	"val/validation-T8.png": "5017d736cbb85c3c4e032cf4a1be50322f2f4ac5a9800627b6799154501a0228",
	"val/validation-T9.png": "dac1bdd604ffb481bcfcf5e8e50dccd7cb276fdbbf8d1f16e40477f1592aed36",
	"val/validation.csv":    "b61b61462234dcc43967253c9bf7fdd76c1e0eb749cece1ae9fd236d69b94f23",
}

// volatileManifestKeys are the manifest fields that differ between two identical invocations.
var volatileManifestKeys = []string{"start", "end", "duration_seconds", "go_version", "commit", "version"}

// goldenHash is the hash of one output file: the folder out replaced by OUT, and for a manifest
// the volatile fields dropped and the keys sorted (so a field may move, not change).
func goldenHash(name string, b []byte, out string) (string, error) {
	b = bytes.ReplaceAll(b, []byte(out), []byte("OUT"))
	if filepath.Base(name) == "manifest.json" {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
		for _, k := range volatileManifestKeys {
			delete(m, k)
		}
		dropQuotingReports(m)
		var err error
		if b, err = json.Marshal(m); err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:]), nil
}

// dropQuotingReports deletes the size and hash recorded for a report that quotes the command
// line (and so the output folder) anywhere in v; the reports themselves are hashed with the
// folder replaced.
func dropQuotingReports(v any) {
	switch v := v.(type) {
	case map[string]any:
		if n, ok := v["name"].(string); ok && strings.HasPrefix(n, "report.") {
			delete(v, "bytes")
			delete(v, "sha256")
		}
		for _, e := range v {
			dropQuotingReports(e)
		}
	case []any:
		for _, e := range v {
			dropQuotingReports(e)
		}
	}
}

// TestGoldenOutputs runs the goldenCommands and compares the hash of every file written with
// goldenHashes: a refactoring that changes one output byte fails here.
func TestGoldenOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs four small commands (about 10 s of CPU)")
	}
	root := t.TempDir()
	got := map[string]string{}
	for _, c := range goldenCommands {
		out := filepath.Join(root, c.dir)
		var stderr bytes.Buffer
		if code := mainErr(append(slices.Clone(c.args), "--out", out), io.Discard, &stderr); code != 0 {
			t.Fatalf("countysim %s: exit %d: %s", strings.Join(c.args, " "), code, stderr.String())
		}
		err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			rel = filepath.ToSlash(rel)
			got[rel], err = goldenHash(rel, b, out)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	names := make([]string, 0, len(got))
	for n := range got {
		names = append(names, n)
	}
	slices.Sort(names)
	if os.Getenv("COUNTYSIM_GOLDEN") == "print" {
		for _, n := range names {
			fmt.Printf("\t%q: %q,\n", n, got[n])
		}
	}
	for _, n := range names {
		want, ok := goldenHashes[n]
		switch {
		case !ok:
			t.Errorf("%s: a new output file (hash %s); add it to goldenHashes if intended", n, got[n])
		case want != got[n]:
			t.Errorf("%s: hash %s, want %s: an output byte changed", n, got[n], want)
		}
	}
	for n := range goldenHashes {
		if _, ok := got[n]; !ok {
			t.Errorf("%s: no longer written", n)
		}
	}
}
