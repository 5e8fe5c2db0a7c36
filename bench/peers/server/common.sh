# Shell helpers shared by bench/server_bench.sh and bench/server_soak.sh (sourced, not run).
#   start_server LOG [serve options...]   starts build/slimnlp serve --port 0 in the background; sets
#                                         SERVER_PID and SERVER_PORT (parsed from "listening on
#                                         http://127.0.0.1:PORT" on its stderr) and waits for GET /readyz = 200
#   stop_server                           SIGTERM to SERVER_PID, then waits for it (it drains in-flight requests)
#   server_cpu_ticks                      utime + stime of SERVER_PID so far, in clock ticks (/proc/PID/stat)
#   server_rss_kib                        VmRSS of SERVER_PID in KiB (/proc/PID/status)
#   need_wrk                              apt-get install wrk (Debian package) if it is missing
# Needs $root (the project root) and curl. The binary is $SLIMNLP_BIN if set, else $root/build/slimnlp.

need_wrk() {
  command -v wrk > /dev/null && return 0
  apt-get install -y -qq wrk > /dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk > /dev/null; }
}

start_server() {
  local log=$1
  shift
  "${SLIMNLP_BIN:-$root/build/slimnlp}" serve --port 0 --access-log none "$@" 2> "$log" &
  SERVER_PID=$!
  SERVER_PORT=
  local i
  for i in $(seq 1 200); do
    SERVER_PORT=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$log" | head -1)
    [ -n "$SERVER_PORT" ] && break
    kill -0 "$SERVER_PID" 2> /dev/null || { cat "$log" >&2; echo "start_server: the server exited" >&2; return 1; }
    sleep 0.05
  done
  [ -n "$SERVER_PORT" ] || { cat "$log" >&2; echo "start_server: no 'listening on' line after 10 s" >&2; return 1; }
  for i in $(seq 1 200); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SERVER_PORT/readyz")" = 200 ] && return 0
    sleep 0.05
  done
  echo "start_server: /readyz did not answer 200 within 10 s" >&2
  return 1
}

stop_server() {
  [ -n "${SERVER_PID:-}" ] || return 0
  kill -TERM "$SERVER_PID" 2> /dev/null || true
  wait "$SERVER_PID" 2> /dev/null || true
  SERVER_PID=
}

server_cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
server_rss_kib() { awk '/^VmRSS:/{print $2}' "/proc/$SERVER_PID/status"; }

# build_or_use_bin: tools/build.sh, unless SLIMNLP_BIN names a binary to measure instead (e.g. one built from a
# clean checkout, or an installed one); then it must exist.
build_or_use_bin() {
  if [ -n "${SLIMNLP_BIN:-}" ]; then
    [ -x "$SLIMNLP_BIN" ] || { echo "SLIMNLP_BIN=$SLIMNLP_BIN is not an executable" >&2; return 1; }
  else
    "$root/tools/build.sh"
  fi
}

# describe_bin: which binary was measured, for the report.
describe_bin() {
  if [ -n "${SLIMNLP_BIN:-}" ]; then
    echo "\`$SLIMNLP_BIN\`${SLIMNLP_BIN_NOTE:+ ($SLIMNLP_BIN_NOTE)}"
  else
    local dirty=""
    git -C "$root" diff --quiet HEAD 2> /dev/null || dirty=" + uncommitted changes"
    echo "\`build/slimnlp\` at commit $(git -C "$root" rev-parse --short HEAD 2> /dev/null || echo '?')$dirty"
  fi
}
