package results

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// TestParquetZstdRoundTripsAndMatchesParquetGo: pages compressed by the bounded codec decode to
// themselves, and a page within the window compresses to exactly the bytes of parquet-go's
// shared codec (so the files keep their bytes); a page past the window still round-trips.
func TestParquetZstdRoundTripsAndMatchesParquetGo(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	page := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = "0123456789.,-e"[r.IntN(14)] // CSV-like text: compressible
		}
		return b
	}
	c := &parquetZstd{}
	for _, n := range []int{0, 1, 1000, 200_000, 3 * zstdWindow} {
		src := page(n)
		got, err := c.Encode(nil, src)
		if err != nil {
			t.Fatal(err)
		}
		back, err := c.Decode(nil, got)
		if err != nil {
			t.Fatalf("%d bytes: decode: %v", n, err)
		}
		if !bytes.Equal(back, src) {
			t.Fatalf("%d bytes: the round trip changed the page", n)
		}
		if n <= zstdWindow {
			want, _ := parquet.Zstd.Encode(nil, src)
			if !bytes.Equal(got, want) {
				t.Errorf("%d bytes: %d compressed bytes, parquet-go's codec gives %d", n, len(got), len(want))
			}
		}
	}
}
