// Package geo is the schematic map's geometry: the prefecture outlines of the embedded census
// data projected (longitude scaled by the cosine of the mean latitude) and every county placed
// as a marker on a grid inside its prefecture's outline. results draws the map from it; the
// teaching page gets it as a Layout. The census gives no county coordinates, so a marker's
// position within its prefecture means nothing; Note says so under every map.
package geo

import (
	"fmt"
	"math"

	"github.com/countysim/countysim/census"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/sim"
)

// Point is a position in map units (X east, Y north).
type Point struct{ X, Y float64 }

// Note is printed under every map.
const Note = "Schematic: simplified outlines, not an authoritative boundary. Counties are markers placed on a grid inside their prefecture (no county coordinates)."

// Geometry is the projected world: prefecture outlines and county marker positions, in
// map units (longitude scaled by the cosine of the mean latitude, latitude).
type Geometry struct {
	Rings      [][]Point // prefecture outlines, map units
	Counties   []Point   // county markers, in the order of the counties
	Spacing    float64   // smallest grid spacing used, map units
	MeanLat    float64   // the latitude whose cosine scales longitude
	MinX, MinY float64   // the bounding box of the outlines, map units
	MaxX, MaxY float64
}

// Build places every county of o on the map.
func Build(o *observe.CountyOutcomes) (*Geometry, error) {
	outlines, err := census.Outlines()
	if err != nil {
		return nil, err
	}
	// Regions: the outline each county is drawn in, counties in code order within each.
	region := map[string][]int{}
	var order []string
	for i, c := range o.Code {
		code, ok := census.OutlineCode(c, o.PrefCode[i])
		if !ok {
			return nil, fmt.Errorf("geo: county %s (prefecture %s) has no outline", c, o.PrefCode[i])
		}
		if _, seen := region[code]; !seen {
			order = append(order, code)
		}
		region[code] = append(region[code], i)
	}
	lat := 0.0
	for _, code := range order {
		lat += outlines[code].Lat
	}
	lat /= float64(len(order))
	kx := math.Cos(lat * math.Pi / 180)
	g := &Geometry{Counties: make([]Point, len(o.Code)), Spacing: math.Inf(1), MeanLat: lat,
		MinX: math.Inf(1), MinY: math.Inf(1), MaxX: math.Inf(-1), MaxY: math.Inf(-1)}
	for _, code := range order {
		var rings [][]Point
		for _, r := range outlines[code].Rings {
			ring := make([]Point, len(r))
			for k, p := range r {
				ring[k] = Point{X: p[0] * kx, Y: p[1]}
				g.MinX, g.MaxX = math.Min(g.MinX, p[0]*kx), math.Max(g.MaxX, p[0]*kx)
				g.MinY, g.MaxY = math.Min(g.MinY, p[1]), math.Max(g.MaxY, p[1])
			}
			rings = append(rings, ring)
		}
		g.Rings = append(g.Rings, rings...)
		pts, s := placeCounties(rings, len(region[code]), Point{X: outlines[code].Lon * kx, Y: outlines[code].Lat})
		g.Spacing = math.Min(g.Spacing, s)
		for k, ci := range region[code] {
			g.Counties[ci] = pts[k]
		}
	}
	return g, nil
}

// placeCounties returns n points inside the rings: a square grid whose spacing starts at the
// side of a square of the outline's area over n and shrinks by a fifth until at least n grid
// points fall inside; the n points are taken evenly from those, in rows from the north-west.
// A region too small for its grid gets its centroid. It also returns the spacing.
func placeCounties(rings [][]Point, n int, centroid Point) ([]Point, float64) {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	area := 0.0
	for _, r := range rings {
		for k, p := range r {
			minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
			minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
			q := r[(k+1)%len(r)]
			area += p.X*q.Y - q.X*p.Y
		}
	}
	area = math.Abs(area / 2)
	s := math.Sqrt(area / float64(n))
	var inside []Point
	for try := 0; try < 25 && s > 0; try++ {
		inside = inside[:0]
		for y := maxY - s/2; y > minY; y -= s {
			for x := minX + s/2; x < maxX; x += s {
				p := Point{X: x, Y: y}
				if inRings(rings, p) {
					inside = append(inside, p)
				}
			}
		}
		if len(inside) >= n {
			out := make([]Point, n)
			for k := range out {
				out[k] = inside[(2*k+1)*len(inside)/(2*n)]
			}
			return out, s
		}
		s *= 0.8
	}
	out := make([]Point, n)
	for k := range out {
		out[k] = centroid
	}
	return out, math.Max(s, 0.01)
}

// inRings reports whether p lies inside any of the rings (even-odd rule per ring).
func inRings(rings [][]Point, p Point) bool {
	for _, r := range rings {
		in := false
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			a, b := r[i], r[j]
			if (a.Y > p.Y) != (b.Y > p.Y) && p.X < (b.X-a.X)*(p.Y-a.Y)/(b.Y-a.Y)+a.X {
				in = !in
			}
		}
		if in {
			return true
		}
	}
	return false
}

// Layout is the map's geometry for drawing elsewhere (the teaching page): the prefecture
// outline rings and the county marker positions in screen orientation (x east, y south) in a
// box of width Width and height 1, and a marker radius in the same units. Counties are in
// model order.
type Layout struct {
	Width    float64        `json:"width"`
	Rings    [][][2]float64 `json:"rings"`
	Counties [][2]float64   `json:"counties"`
	Radius   float64        `json:"radius"`
	Note     string         `json:"note"`
}

// LayoutOf places the counties of m (which must all have division codes) on the schematic
// map, as WriteMap draws them.
func LayoutOf(m *sim.Model) (*Layout, error) {
	o := observe.NewCountyOutcomes(m)
	if !o.HasCodes() {
		return nil, fmt.Errorf("geo: the counties have no division codes (a drawn world)")
	}
	g, err := Build(o)
	if err != nil {
		return nil, err
	}
	h := g.MaxY - g.MinY
	r4 := func(v float64) float64 { return math.Round(v*1e4) / 1e4 }
	at := func(p Point) [2]float64 {
		return [2]float64{r4((p.X - g.MinX) / h), r4((g.MaxY - p.Y) / h)}
	}
	l := &Layout{Width: r4((g.MaxX - g.MinX) / h), Radius: r4(0.42 * g.Spacing / h), Note: Note}
	for _, r := range g.Rings {
		ring := make([][2]float64, len(r))
		for k, p := range r {
			ring[k] = at(p)
		}
		l.Rings = append(l.Rings, ring)
	}
	for _, p := range g.Counties {
		l.Counties = append(l.Counties, at(p))
	}
	return l, nil
}
