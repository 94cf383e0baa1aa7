//go:build race

package store_test

// raceEnabled: the race detector slows the real-data imports tenfold, so
// under -race the largest ones run on a part of the file.
const raceEnabled = true
