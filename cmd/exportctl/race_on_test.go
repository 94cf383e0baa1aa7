//go:build race

package main

// raceEnabled: the race detector slows the real-data imports tenfold, so
// under -race the largest ones run on a part of the file.
const raceEnabled = true
