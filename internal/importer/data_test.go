package importer

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedDataDir is where the real datasets are: $EXPORTCTL_SHARED_DATA,
// else ../shared/data beside the project.
func sharedDataDir() string {
	if dir := os.Getenv("EXPORTCTL_SHARED_DATA"); dir != "" {
		return dir
	}
	return filepath.Join("..", "..", "..", "shared", "data")
}

// sharedFile returns the path of a real dataset, skipping the test with a
// one-line reason when it is absent.
func sharedFile(tb testing.TB, rel string) string {
	tb.Helper()
	path := filepath.Join(sharedDataDir(), rel)
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("shared data absent (%s): set EXPORTCTL_SHARED_DATA", path)
	}
	return path
}

// openShared opens a real dataset or skips.
func openShared(tb testing.TB, rel string) *os.File {
	tb.Helper()
	f, err := os.Open(sharedFile(tb, rel))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}
