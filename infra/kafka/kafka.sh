#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft) from the official jars on Maven Central.
#   kafka.sh install   resolve the broker jars into the git-ignored cache (once)
#   kafka.sh start     install if needed, format the KRaft log dir if new, start, wait until it answers
#   kafka.sh stop      stop the broker this script started
#   kafka.sh status    exit 0 when a broker answers on the port
# KAFKA_BROKERS set means an external cluster is used: start and stop do nothing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")"
cache="${SANGAM_CACHE:-$root/.cache}/kafka"
libs="$cache/$version/libs"
data="${KAFKA_DATA_DIR:-$cache/data}"
pidfile="$cache/broker.pid"
logfile="$cache/broker.log"
port=9092

log() { echo "[kafka] $*" >&2; }

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

install() {
  if [ -f "$libs/.complete" ]; then return; fi
  log "resolving Apache Kafka $version from Maven Central into $libs"
  mkdir -p "$libs"
  mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$libs" >&2
  touch "$libs/.complete"
}

java_opts=(-Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true -Dlog4j2.configurationFile="$here/log4j2.xml" -cp "$libs/*")
java_run() { java "${java_opts[@]}" "$@"; }

format() {
  mkdir -p "$data"
  sed "s:^log.dirs=.*::" "$here/server.properties" > "$cache/server.properties"
  echo "log.dirs=$data" >> "$cache/server.properties"
  if [ -f "$data/meta.properties" ]; then return; fi
  local cluster_id
  cluster_id="$(java_run kafka.tools.StorageTool random-uuid | tail -n 1)"
  log "formatting KRaft log dir $data (cluster $cluster_id)"
  java_run kafka.tools.StorageTool format -t "$cluster_id" -c "$cache/server.properties" >&2
}

start() {
  if [ -n "${KAFKA_BROKERS:-}" ]; then log "KAFKA_BROKERS=$KAFKA_BROKERS: using that cluster"; return; fi
  if answers; then log "a broker already answers on 127.0.0.1:$port"; return; fi
  install
  format
  log "starting Kafka $version on 127.0.0.1:$port (log: $logfile)"
  nohup java "${java_opts[@]}" kafka.Kafka "$cache/server.properties" > "$logfile" 2>&1 < /dev/null &
  echo $! > "$pidfile"
  for _ in $(seq 1 120); do
    if answers; then log "broker is up"; return; fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then log "broker exited; see $logfile"; tail -n 30 "$logfile" >&2; exit 1; fi
    sleep 0.5
  done
  log "broker did not answer within 60 s; see $logfile"; exit 1
}

stop() {
  if [ -n "${KAFKA_BROKERS:-}" ] || [ ! -f "$pidfile" ]; then return; fi
  local pid; pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping broker (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
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
