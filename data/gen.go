//go:build ignore

// gen.go rebuilds the embedded data files of this folder from the project's source copies
// (the shared data folder described in README.md): it keeps the columns the model uses, leaves
// out city districts, and simplifies the prefecture outlines.
//
//	go run data/gen.go -src ../shared/data -out data
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

func main() {
	src := flag.String("src", "../shared/data", "folder with census-2010-units.csv, prefectures-2020.csv and admin-units.csv")
	out := flag.String("out", "data", "output folder")
	tol := flag.Float64("tolerance", 0.03, "outline simplification tolerance in degrees (Douglas-Peucker)")
	flag.Parse()
	if err := units(filepath.Join(*src, "census-2010-units.csv"), filepath.Join(*out, "census-2010-counties.csv")); err != nil {
		log.Fatal(err)
	}
	if err := outlines(filepath.Join(*src, "prefectures-2020.csv"), filepath.Join(*out, "prefectures-2020-outlines.csv"), *tol); err != nil {
		log.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(*src, "admin-units.csv"))
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*out, "admin-units.csv"), b, 0o644); err != nil {
		log.Fatal(err)
	}
}

func readAll(path string) ([]string, [][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, nil, err
	}
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return head, rows, nil
		}
		if err != nil {
			return nil, nil, err
		}
		rows = append(rows, rec)
	}
}

func write(path string, head []string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write(head)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		return err
	}
	return f.Close()
}

// units keeps provinces, prefectures and counties (not districts) and the columns used.
func units(in, out string) error {
	head, rows, err := readAll(in)
	if err != nil {
		return err
	}
	keep := []string{"code", "name", "kind", "prefecture_code", "prefecture", "population", "urban_population",
		"nonagri_hukou_pct", "primary_pct", "secondary_pct", "tertiary_pct", "schooling_years"}
	idx := map[string]int{}
	for i, h := range head {
		idx[h] = i
	}
	var outRows [][]string
	for _, r := range rows {
		if r[idx["kind"]] == "district" {
			continue
		}
		var o []string
		for _, k := range keep {
			o = append(o, r[idx[k]])
		}
		outRows = append(outRows, o)
	}
	return write(out, keep, outRows)
}

type pt struct{ x, y float64 }

// outlines simplifies every ring and drops rings that vanish, keeping the largest part.
func outlines(in, out string, tol float64) error {
	head, rows, err := readAll(in)
	if err != nil {
		return err
	}
	keep := []string{"code", "name", "province_code", "centroid_lon", "centroid_lat", "outline_wkt"}
	idx := map[string]int{}
	for i, h := range head {
		idx[h] = i
	}
	var outRows [][]string
	for _, r := range rows {
		code := r[idx["code"]]
		if code == "810000" || code == "820000" {
			continue // Hong Kong and Macau: no counties in the census
		}
		polys, err := parseWKT(r[idx["outline_wkt"]])
		if err != nil {
			return fmt.Errorf("%s: %w", code, err)
		}
		var kept [][][]pt
		best, bestA := -1, -1.0
		for i, poly := range polys {
			if a := math.Abs(area(poly[0])); a > bestA {
				best, bestA = i, a
			}
		}
		for i, poly := range polys {
			outer := simplify(poly[0], tol)
			if len(outer) < 4 || (i != best && math.Abs(area(outer)) < 4*tol*tol) {
				if i != best {
					continue
				}
				outer = poly[0]
			}
			kept = append(kept, [][]pt{outer}) // holes are left out: the map draws filled outlines
		}
		o := []string{code, r[idx["name"]], r[idx["province_code"]], r[idx["centroid_lon"]], r[idx["centroid_lat"]], formatWKT(kept)}
		outRows = append(outRows, o)
	}
	return write(out, keep, outRows)
}

func parseWKT(s string) ([][][]pt, error) {
	s = strings.TrimSpace(s)
	var body string
	switch {
	case strings.HasPrefix(s, "MULTIPOLYGON"):
		body = strings.TrimPrefix(s, "MULTIPOLYGON")
	case strings.HasPrefix(s, "POLYGON"):
		body = "(" + strings.TrimPrefix(s, "POLYGON") + ")"
	default:
		return nil, fmt.Errorf("not a polygon: %.20s", s)
	}
	body = strings.TrimSpace(body)
	body = strings.TrimPrefix(body, "(")
	body = strings.TrimSuffix(body, ")")
	var polys [][][]pt
	for _, p := range strings.Split(body, ")),") {
		p = strings.Trim(strings.TrimSpace(p), "()")
		var poly [][]pt
		for _, ring := range strings.Split(p, "),") {
			ring = strings.Trim(strings.TrimSpace(ring), "()")
			var pts []pt
			for _, xy := range strings.Split(ring, ",") {
				f := strings.Fields(xy)
				if len(f) != 2 {
					return nil, fmt.Errorf("bad point %q", xy)
				}
				x, err1 := strconv.ParseFloat(f[0], 64)
				y, err2 := strconv.ParseFloat(f[1], 64)
				if err1 != nil || err2 != nil {
					return nil, fmt.Errorf("bad point %q", xy)
				}
				pts = append(pts, pt{x, y})
			}
			poly = append(poly, pts)
		}
		polys = append(polys, poly)
	}
	return polys, nil
}

func formatWKT(polys [][][]pt) string {
	var b strings.Builder
	b.WriteString("MULTIPOLYGON(")
	for i, p := range polys {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("((")
		for j, q := range p[0] {
			if j > 0 {
				b.WriteString(",")
			}
			b.WriteString(strconv.FormatFloat(math.Round(q.x*100)/100, 'f', -1, 64))
			b.WriteString(" ")
			b.WriteString(strconv.FormatFloat(math.Round(q.y*100)/100, 'f', -1, 64))
		}
		b.WriteString("))")
	}
	b.WriteString(")")
	return b.String()
}

func area(r []pt) float64 {
	a := 0.0
	for i := range r {
		j := (i + 1) % len(r)
		a += r[i].x*r[j].y - r[j].x*r[i].y
	}
	return a / 2
}

// simplify runs Douglas-Peucker on a closed ring (first point repeated at the end).
func simplify(r []pt, tol float64) []pt {
	if len(r) < 5 {
		return r
	}
	keep := make([]bool, len(r))
	keep[0], keep[len(r)-1] = true, true
	// split the ring at its farthest point from the start so both halves are open lines
	far, fd := 0, -1.0
	for i, p := range r {
		if d := math.Hypot(p.x-r[0].x, p.y-r[0].y); d > fd {
			far, fd = i, d
		}
	}
	keep[far] = true
	dp(r, 0, far, tol, keep)
	dp(r, far, len(r)-1, tol, keep)
	var out []pt
	for i, k := range keep {
		if k {
			out = append(out, r[i])
		}
	}
	return out
}

func dp(r []pt, a, b int, tol float64, keep []bool) {
	if b-a < 2 {
		return
	}
	best, bd := -1, tol
	for i := a + 1; i < b; i++ {
		if d := segDist(r[i], r[a], r[b]); d > bd {
			best, bd = i, d
		}
	}
	if best < 0 {
		return
	}
	keep[best] = true
	dp(r, a, best, tol, keep)
	dp(r, best, b, tol, keep)
}

func segDist(p, a, b pt) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	l := dx*dx + dy*dy
	if l == 0 {
		return math.Hypot(p.x-a.x, p.y-a.y)
	}
	t := math.Max(0, math.Min(1, ((p.x-a.x)*dx+(p.y-a.y)*dy)/l))
	return math.Hypot(p.x-a.x-t*dx, p.y-a.y-t*dy)
}
