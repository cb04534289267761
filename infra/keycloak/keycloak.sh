#!/usr/bin/env bash
# Local Keycloak (dev mode, H2 file database) from the official distribution on Maven Central.
#   keycloak.sh install   resolve and unpack the server into the git-ignored cache (once)
#   keycloak.sh start     install if needed, start with realm `sangam` imported, wait until the realm answers
#   keycloak.sh stop      stop the server this script started
#   keycloak.sh status    exit 0 when the realm answers
# The realm is imported from sangam-realm.json only when it does not exist yet: users and changes
# made by an admin survive restarts. KEYCLOAK_URL set means that server is used: start and stop do nothing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' "$here/pom.xml")"
cache="${SANGAM_CACHE:-$root/.cache}/keycloak"
home="$cache/$version"
pidfile="$cache/keycloak.pid"
logfile="$cache/keycloak.log"
url="${KEYCLOAK_URL:-http://127.0.0.1:8080}"

log() { echo "[keycloak] $*" >&2; }

answers() { curl -fsS -o /dev/null --max-time 5 "$url/realms/sangam/.well-known/openid-configuration" 2>/dev/null; }

install() {
  if [ -f "$home/.complete" ]; then return; fi
  log "resolving Keycloak $version from Maven Central into $home"
  rm -rf "$home" "$cache/unpack"
  mvn -q -B -f "$here/pom.xml" dependency:unpack-dependencies \
    -DoutputDirectory="$cache/unpack" -DmarkersDirectory="$cache/unpack/.markers" >&2
  mv "$cache/unpack/keycloak-$version" "$home"
  rm -rf "$cache/unpack"
  chmod +x "$home"/bin/*.sh
  touch "$home/.complete"
}

start() {
  if [ -n "${KEYCLOAK_URL:-}" ]; then log "KEYCLOAK_URL=$KEYCLOAK_URL: using that server"; return; fi
  if answers; then log "Keycloak already answers on $url"; return; fi
  # Two starts at once (`npm test` in two terminals) would both launch a server on the one H2 file.
  mkdir -p "$cache"; exec 9> "$cache/start.lock"; flock 9
  if answers; then log "Keycloak answers on $url now"; return; fi
  install
  mkdir -p "$home/data/import"
  cp "$here/sangam-realm.json" "$home/data/import/sangam-realm.json"
  log "starting Keycloak $version on $url (log: $logfile)"
  # Its own session and process group: a Ctrl-C meant for `npm start` reaches it only through `stop`,
  # which ends kc.sh and its java together. The lock (fd 9) is not handed down.
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m" \
    setsid nohup "$home/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port=8080 \
    --hostname=http://127.0.0.1:8080 --import-realm > "$logfile" 2>&1 < /dev/null 9>&- &
  echo $! > "$pidfile"
  for _ in $(seq 1 180); do
    if answers; then log "Keycloak is up (realm sangam; admin console $url/admin, admin/admin)"; return; fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then log "Keycloak exited; see $logfile"; tail -n 30 "$logfile" >&2; exit 1; fi
    sleep 1
  done
  log "Keycloak did not answer within 180 s; see $logfile"; tail -n 30 "$logfile" >&2; exit 1
}

stop() {
  if [ -n "${KEYCLOAK_URL:-}" ] || [ ! -f "$pidfile" ]; then return; fi
  local pid; pid="$(cat "$pidfile")"
  # The server leads its own process group (setsid): kc.sh and the java it runs.
  if kill -0 -- "-$pid" 2>/dev/null; then
    log "stopping Keycloak (process group $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) answers ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
