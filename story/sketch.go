package story

import (
	"math"
	"math/bits"
	"slices"
)

// sketch is a bottom-k sketch of a text's shingle hashes: the sketchSize
// smallest distinct ones, sorted, and the largest hash it speaks for:
// every hash of the text up to max is in h. A text of fewer distinct
// shingles keeps them all, with max math.MaxUint32. Two sketches compare
// on the hashes both speak for, up to the smaller max: a uniform sample
// of each text, so the share of the smaller text that the other holds is
// estimated without keeping either text's shingles.
type sketch struct {
	h   []uint32
	max uint32
}

// sketchOf returns the sketch of hashes (with repeats, in any order),
// sorting a subset of them in buf.
func sketchOf(hashes []uint32, buf *[]uint32) sketch {
	s := sketchIn(hashes, buf)
	s.h = slices.Clone(s.h)
	return s
}

// sketchIn is sketchOf with the sketch's hashes left in buf.
func sketchIn(hashes []uint32, buf *[]uint32) sketch {
	// Keep the hashes below a power of two that leaves about 2k of them,
	// 2^(32-z) for n/2^z of n uniform hashes, widening it when chance or
	// repeats leave fewer than k distinct. Where it starts changes only
	// how many hashes are sorted, never the sketch.
	z := 0
	if len(hashes) >= 2*sketchSize {
		z = min(32, bits.Len(uint(len(hashes)/(2*sketchSize)))-1)
	}
	out := (*buf)[:0]
	from := uint64(0) // the hashes below from are in out already
	for {
		limit := uint64(1) << (32 - z) // hashes < limit
		// Widening adds hashes above all those out holds: sort only them.
		n := len(out)
		for _, h := range hashes {
			if uint64(h) < limit && uint64(h) >= from {
				out = append(out, h)
			}
		}
		slices.Sort(out[n:])
		out = out[:n+len(slices.Compact(out[n:]))]
		*buf = out
		if len(out) >= sketchSize {
			return sketch{h: out[:sketchSize], max: out[sketchSize-1]}
		}
		if z == 0 {
			if len(out) == 0 {
				return sketch{max: math.MaxUint32}
			}
			return sketch{h: out, max: math.MaxUint32}
		}
		z--
		from = limit
	}
}

// upTo returns the hashes of s up to max.
func (s sketch) upTo(max uint32) []uint32 {
	if max >= s.max {
		return s.h
	}
	i, found := slices.BinarySearch(s.h, max)
	if found {
		i++
	}
	return s.h[:i]
}
