#!/usr/bin/env bash
# Import throughput of an ACLED-layout CSV (issue 4 target: 50,000 rows/s
# into SQLite with all indexes, peak memory under 500 MB; PostgreSQL
# reported too). Generates N rows from the real ACLED sample
# (bench/acledgen), imports them with the real `exportctl import acled`
# into a fresh SQLite database (and into a fresh PostgreSQL database when
# EXPORTCTL_TEST_POSTGRES names a server, as .ci/pg-start prints), and, for
# comparison, runs the sqlite3 shell's .import of the same file into a
# bare table (no indexes, no mapping, every column text).
#
#   bench/import-acled.sh            # N=1000000
#   N=100000 bench/import-acled.sh
set -euo pipefail
N=${N:-1000000}
SHARED=${EXPORTCTL_SHARED_DATA:-../shared/data}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT

go run ./bench/acledgen -n "$N" -sample "$SHARED/acled/acled-sample-2022.csv" -out "$DIR/acled.csv"
go build -o "$DIR/exportctl" ./cmd/exportctl
echo "rows: $N ($(du -h "$DIR/acled.csv" | cut -f1) of CSV)"

# run LABEL CMD...: runs CMD under /usr/bin/time and prints rows/s and peak memory.
run() {
	local label=$1
	shift
	/usr/bin/time -f '%e %M' -o "$DIR/time" "$@" >"$DIR/out" 2>"$DIR/err" || { cat "$DIR/err" >&2; exit 1; }
	read -r secs kb <"$DIR/time"
	printf '%-34s %8.1f s %10.0f rows/s %6d MB peak   %s\n' "$label" "$secs" "$(echo "$N / $secs" | bc -l)" $((kb / 1024)) "$(tail -1 "$DIR/out")"
	SECS[$label]=$secs
}
declare -A SECS

run "exportctl import acled (SQLite)" "$DIR/exportctl" import acled "$DIR/acled.csv" --db "$DIR/exportctl.db" --allow-rejects
run "exportctl re-import (SQLite)" "$DIR/exportctl" import acled "$DIR/acled.csv" --db "$DIR/exportctl.db" --allow-rejects
if command -v sqlite3 >/dev/null; then
	run "sqlite3 .import (bare table)" sqlite3 "$DIR/bare.db" ".mode csv" ".import $DIR/acled.csv acled" "SELECT COUNT(*) FROM acled;"
	printf 'exportctl / sqlite3 .import time: %.1f\n' "$(echo "${SECS["exportctl import acled (SQLite)"]} / ${SECS["sqlite3 .import (bare table)"]}" | bc -l)"
else
	echo "sqlite3 not installed (apt-get install sqlite3): no comparison"
fi
if [ -n "${EXPORTCTL_TEST_POSTGRES:-}" ]; then
	db=bench_import_$$
	psql -q "$EXPORTCTL_TEST_POSTGRES" -c "CREATE DATABASE $db"
	pg=$(echo "$EXPORTCTL_TEST_POSTGRES" | sed -E "s#/[^/?]*(\?|$)#/$db\1#")
	run "exportctl import acled (PostgreSQL)" "$DIR/exportctl" import acled "$DIR/acled.csv" --db "$pg" --allow-rejects
	psql -q "$EXPORTCTL_TEST_POSTGRES" -c "DROP DATABASE $db"
fi
