package store

// ImportResult counts what one import did with the rows it was given:
// Read rows reached the store, and each became New, Updated or Unchanged
// (a result embedding this one may add outcomes, such as rows rejected).
// Rows the parser rejected never reach the store; the CLI reports those
// with their lines. Re-importing the same file gives New = Updated = 0.
type ImportResult struct {
	Read      int `json:"read"`
	New       int `json:"new"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}
