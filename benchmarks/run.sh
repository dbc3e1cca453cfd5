#!/usr/bin/env bash
# Side-by-side benchmark (issues 12 and 13): the filter (one row per engine) against direct S3, the
# nginx X-Accel-Redirect recipe (shared/anchors/nginx-x-accel-recipe.conf, verbatim) and
# read-into-memory, on loopback, each path in processes of its own (the S3 server is a child JVM).
# Writes docs/benchmarks/REPORT.md and docs/benchmarks/throughput.png.
#
#   benchmarks/run.sh [quick|full]     quick: the side-by-side table (64 MiB, 3 rounds of 2 s) and the
#                                      JFR profile of every engine; full: everything (256 MiB, 5 rounds
#                                      of 8 s, tuning, -Xmx64m, slow clients of issue 13 and on virtual
#                                      threads, profiles; about 30 minutes, an estimate)
#
# BENCH_ONLY=side,profile,buffers,memory,slow13,slow (comma-separated) runs only those sections, for
# development; without "side" it writes a partial report into the output folder. The slow section
# needs Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64.
#
# Installs nginx-light, wrk and gnuplot-nox from Debian packages when missing (needs root or sudo).
# BENCH_XMX sets the harness heap (default 1g: the applications and S3 run in child JVMs).
set -euo pipefail
mode="${1:-quick}"
case "$mode" in quick|full) ;; *) echo "usage: $0 [quick|full]" >&2; exit 2 ;; esac
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v gnuplot >/dev/null 2>&1 || missing+=(gnuplot-nox)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "missing ${missing[*]} and not root: install them, or the report lacks them" >&2
    fi
  fi
  if [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; then
    $sudo apt-get update -q
    # Only packages this release has (apt-cache policy shows a candidate).
    available=()
    for p in "${missing[@]}"; do
      if apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]'; then available+=("$p"); fi
    done
    if [ "${#available[@]}" -gt 0 ]; then
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${available[@]}"
    fi
  fi
fi

mvn -B -ntp -q -pl benchmarks -am -DskipTests package
export NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
exec java "-Xmx${BENCH_XMX:-1g}" -XX:+UseG1GC \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  dev.s3redirect.bench.BenchmarkRunner "$mode" docs/benchmarks
