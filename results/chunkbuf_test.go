package results

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestChunkBufIsABuffer writes the same random pieces (empty, a byte, exactly a chunk, several
// chunks, by Write and by WriteString) to a chunkBuf and a bytes.Buffer: the lengths and the
// bytes written out are the same, and WriteTo empties the buffer, as bytes.Buffer's does.
func TestChunkBufIsABuffer(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	sizes := []int{0, 1, chunkSize - 1, chunkSize, 1, chunkSize + 1, 3*chunkSize + 17}
	for range 40 {
		sizes = append(sizes, r.IntN(3*chunkSize))
	}
	var c chunkBuf
	var want bytes.Buffer
	for round := range 2 {
		for i, n := range sizes {
			p := make([]byte, n)
			for k := range p {
				p[k] = byte(r.Uint32())
			}
			if i%2 == 0 {
				if k, err := c.Write(p); k != n || err != nil {
					t.Fatalf("Write of %d bytes: %d, %v", n, k, err)
				}
			} else if k, err := c.WriteString(string(p)); k != n || err != nil {
				t.Fatalf("WriteString of %d bytes: %d, %v", n, k, err)
			}
			want.Write(p)
			if c.Len() != want.Len() {
				t.Fatalf("round %d, piece %d: Len %d, want %d", round, i, c.Len(), want.Len())
			}
		}
		var got bytes.Buffer
		n, err := c.WriteTo(&got)
		if err != nil || n != int64(want.Len()) || !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("round %d: WriteTo wrote %d bytes (%v), want %d; same bytes: %v", round, n, err, want.Len(), bytes.Equal(got.Bytes(), want.Bytes()))
		}
		if c.Len() != 0 {
			t.Fatalf("round %d: %d bytes left after WriteTo", round, c.Len())
		}
		want.Reset()
	}
}
