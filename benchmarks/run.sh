#!/usr/bin/env bash
# Side-by-side benchmark (issue 7): the filter against direct S3, nginx X-Accel-Redirect and
# read-into-memory, on loopback. Writes docs/benchmarks/REPORT.md and docs/benchmarks/throughput.png.
#
#   benchmarks/run.sh [quick|full]     quick: the side-by-side table, under 3 minutes after the build;
#                                      full: everything (tuning, -Xmx64m, slow clients, profile), about 20
#
# Besides the side-by-side rounds it runs child JVMs: 100 large downloads at -Xmx64m (filter and
# read-into-memory), 1,000 slow clients on Temurin 25 (/usr/lib/jvm/temurin-25-jdk-amd64, virtual
# and platform threads) and a JFR profile of the filter. BENCH_ONLY=side,buffers,memory,slow,profile
# (comma-separated) runs only those sections, for development; without "side" it writes a partial
# report into the output folder.
#
# Installs nginx-light, wrk and gnuplot-nox from Debian packages when missing (needs root or sudo).
# BENCH_XMX sets the harness heap (default 6g: the read-into-memory app holds whole objects).
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
exec java "-Xmx${BENCH_XMX:-6g}" -XX:+UseG1GC \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  dev.s3redirect.bench.BenchmarkRunner "$mode" docs/benchmarks
