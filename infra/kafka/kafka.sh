#!/usr/bin/env bash
# Local Apache Kafka (KRaft) from the official jars on Maven Central: a single node by default,
# or a cluster of N nodes, each a broker and a controller (--nodes N, or KAFKA_NODES=N).
#   kafka.sh install                resolve the broker jars into the git-ignored cache (once)
#   kafka.sh start [--nodes N]      install if needed, format new KRaft log dirs, start the nodes that are
#                                   not running (so it also brings back a node that died), wait until they answer
#   kafka.sh stop [--nodes N]       stop the broker, or with N > 1 the nodes of that cluster, this script started
#   kafka.sh status [--nodes N]     exit 0 when the broker (every node of the cluster) answers; a cluster prints each node
#   kafka.sh brokers [--nodes N]    print the bootstrap list, e.g. 127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094
# KAFKA_BROKERS set means an external cluster is used: start and stop do nothing.
#
# Single node (the default, as it always was): clients on 127.0.0.1:9092 (KAFKA_PORT), controller on
# the next port, log dir .cache/kafka/data (KAFKA_DATA_DIR), pid and log in .cache/kafka/broker.*
# (another port: data-<port>, broker-<port>.*),
# heap -Xms256m -Xmx768m.
# Cluster of N: node i (1..N) takes clients on KAFKA_PORT+i-1 (9092, 9093, 9094) and its controller
# on KAFKA_CONTROLLER_PORT+i-1 (default KAFKA_PORT+100: 9192, 9193, 9194); one cluster id; node i
# keeps its log dir, properties, pid and log in <dir>/node-<i>/, where <dir> is KAFKA_DATA_DIR
# (default .cache/kafka/cluster); heap -Xms128m -Xmx256m per node. Topics default to replication
# factor min(3, N) and min.insync.replicas 2 (1 below three nodes): cluster.properties.
# KAFKA_HEAP_OPTS replaces the heap options of either shape, KAFKA_JVM_OPTS the others (default
# -XX:+UseG1GC; e.g. "-XX:+UseSerialGC -XX:TieredStopAtLevel=1" starts faster on a busy machine).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")"
cache="${SANGAM_CACHE:-$root/.cache}/kafka"
libs="$cache/$version/libs"

command="${1:-}"
[ $# -gt 0 ] && shift
nodes="${KAFKA_NODES:-1}"
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes="${2:-}"; shift 2 ;;
    --nodes=*) nodes="${1#--nodes=}"; shift ;;
    *) echo "[kafka] unknown option $1" >&2; exit 2 ;;
  esac
done
if ! [[ "$nodes" =~ ^[1-9][0-9]*$ ]]; then echo "[kafka] --nodes (KAFKA_NODES) must be a whole number >= 1, got '$nodes'" >&2; exit 2; fi

port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-$((port + 100))}"
# A single node on another port keeps files of its own (broker-<port>.*, server-<port>.properties,
# data-<port>), so it runs beside the one on 9092: `npm run bench` runs its own broker that way.
suffix="$([ "$port" = 9092 ] || echo "-$port")"
data="${KAFKA_DATA_DIR:-$cache/data$suffix}"
pidfile="$cache/broker$suffix.pid"
logfile="$cache/broker$suffix.log"
properties="$cache/server$suffix.properties"
cluster="${KAFKA_DATA_DIR:-$cache/cluster}"

log() { echo "[kafka] $*" >&2; }

answers_on() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
answers() { answers_on "$port"; }
running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

install() {
  if [ -f "$libs/.complete" ]; then return; fi
  log "resolving Apache Kafka $version from Maven Central into $libs"
  mkdir -p "$libs"
  mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$libs" >&2
  touch "$libs/.complete"
}

heap_opts="${KAFKA_HEAP_OPTS:-}"
if [ -z "$heap_opts" ]; then heap_opts="$([ "$nodes" = 1 ] && echo "-Xms256m -Xmx768m" || echo "-Xms128m -Xmx256m")"; fi
read -r -a heap <<< "$heap_opts"
read -r -a jvm <<< "${KAFKA_JVM_OPTS:--XX:+UseG1GC}"
java_opts=("${heap[@]}" "${jvm[@]}" -Djava.awt.headless=true -Dlog4j2.configurationFile="$here/log4j2.xml" -cp "$libs/*")
java_run() { java "${java_opts[@]}" "$@"; }

# ---- single node ------------------------------------------------------------------------------

format() {
  mkdir -p "$data"
  sed "s:^log.dirs=.*::" "$here/server.properties" > "$properties"
  if [ "$port" != 9092 ]; then sed -i "s/:9092/:$port/g; s/:9093/:$((port + 1))/g" "$properties"; fi
  echo "log.dirs=$data" >> "$properties"
  if [ -f "$data/meta.properties" ]; then return; fi
  local cluster_id
  cluster_id="$(java_run kafka.tools.StorageTool random-uuid | tail -n 1)"
  log "formatting KRaft log dir $data (cluster $cluster_id)"
  java_run kafka.tools.StorageTool format -t "$cluster_id" -c "$properties" >&2
}

start_single() {
  if answers; then log "a broker already answers on 127.0.0.1:$port"; return; fi
  install
  format
  log "starting Kafka $version on 127.0.0.1:$port (log: $logfile)"
  nohup java "${java_opts[@]}" kafka.Kafka "$properties" > "$logfile" 2>&1 < /dev/null &
  echo $! > "$pidfile"
  for _ in $(seq 1 120); do
    if answers; then log "broker is up"; return; fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then log "broker exited; see $logfile"; tail -n 30 "$logfile" >&2; exit 1; fi
    sleep 0.5
  done
  log "broker did not answer within 60 s; see $logfile"; exit 1
}

# ---- cluster ----------------------------------------------------------------------------------

node_port() { echo $((port + $1 - 1)); }
node_controller_port() { echo $((controller_port + $1 - 1)); }
node_dir() { echo "$cluster/node-$1"; }

brokers() {
  local list=() i
  for i in $(seq 1 "$nodes"); do list+=("127.0.0.1:$(node_port "$i")"); done
  (IFS=,; echo "${list[*]}")
}

# A Kafka cluster id: 16 random bytes in base64url without padding, not starting with '-' (as Uuid.randomUuid).
new_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    if [ "${id:0:1}" != "-" ]; then echo "$id"; return; fi
  done
}

node_properties() {
  local i="$1" voters=() v rf isr
  rf=$(( nodes < 3 ? nodes : 3 ))
  isr=$(( rf >= 3 ? 2 : 1 ))
  for v in $(seq 1 "$nodes"); do voters+=("$v@127.0.0.1:$(node_controller_port "$v")"); done
  sed "s/@RF@/$rf/g; s/@MIN_ISR@/$isr/g" "$here/cluster.properties"
  echo "node.id=$i"
  echo "controller.quorum.voters=$(IFS=,; echo "${voters[*]}")"
  echo "listeners=PLAINTEXT://127.0.0.1:$(node_port "$i"),CONTROLLER://127.0.0.1:$(node_controller_port "$i")"
  echo "advertised.listeners=PLAINTEXT://127.0.0.1:$(node_port "$i")"
  echo "log.dirs=$(node_dir "$i")/data"
}

start_cluster() {
  local i dir starting=() formats=() waiting
  for i in $(seq 1 "$nodes"); do
    dir="$(node_dir "$i")"
    if running "$dir/broker.pid"; then continue; fi
    if answers_on "$(node_port "$i")"; then
      log "127.0.0.1:$(node_port "$i") is taken by a process this script did not start (a single-node broker? npm run kafka -- stop); node $i cannot start"
      exit 1
    fi
    starting+=("$i")
  done
  if [ ${#starting[@]} -eq 0 ]; then log "the $nodes nodes already run: $(brokers)"; return; fi
  install
  mkdir -p "$cluster"
  [ -f "$cluster/cluster.id" ] || new_cluster_id > "$cluster/cluster.id"
  for i in "${starting[@]}"; do
    dir="$(node_dir "$i")"
    mkdir -p "$dir/data"
    node_properties "$i" > "$dir/server.properties"
    if [ ! -f "$dir/data/meta.properties" ]; then
      java_run kafka.tools.StorageTool format -t "$(cat "$cluster/cluster.id")" -c "$dir/server.properties" > "$dir/format.log" 2>&1 &
      formats+=($!)
    fi
  done
  if [ ${#formats[@]} -gt 0 ]; then
    log "formatting KRaft log dirs in $cluster (cluster $(cat "$cluster/cluster.id"))"
    for i in "${formats[@]}"; do wait "$i" || { log "formatting failed:"; cat "$cluster"/node-*/format.log >&2; exit 1; }; done
  fi
  for i in "${starting[@]}"; do
    dir="$(node_dir "$i")"
    log "starting node $i on 127.0.0.1:$(node_port "$i") (controller :$(node_controller_port "$i"), log: $dir/broker.log)"
    nohup java "${java_opts[@]}" kafka.Kafka "$dir/server.properties" > "$dir/broker.log" 2>&1 < /dev/null &
    echo $! > "$dir/broker.pid"
  done
  for _ in $(seq 1 240); do
    waiting=0
    for i in "${starting[@]}"; do
      dir="$(node_dir "$i")"
      if ! running "$dir/broker.pid"; then log "node $i exited; see $dir/broker.log"; tail -n 30 "$dir/broker.log" >&2; exit 1; fi
      answers_on "$(node_port "$i")" || waiting=1
    done
    if [ "$waiting" = 0 ]; then log "cluster is up: $(brokers)"; return; fi
    sleep 0.5
  done
  log "the nodes did not answer within 120 s; see $cluster/node-*/broker.log"; exit 1
}

cluster_status() {
  local i dir all=0 where
  for i in $(seq 1 "$nodes"); do
    dir="$(node_dir "$i")"
    where="node $i 127.0.0.1:$(node_port "$i")"
    if running "$dir/broker.pid" && answers_on "$(node_port "$i")"; then echo "$where up (pid $(cat "$dir/broker.pid"))"
    elif running "$dir/broker.pid"; then echo "$where starting (pid $(cat "$dir/broker.pid"))"; all=1
    elif answers_on "$(node_port "$i")"; then echo "$where taken by a process this script did not start"; all=1
    else echo "$where down"; all=1; fi
  done
  return $all
}

# ---- both shapes ------------------------------------------------------------------------------

start() {
  if [ -n "${KAFKA_BROKERS:-}" ]; then log "KAFKA_BROKERS=$KAFKA_BROKERS: using that cluster"; return; fi
  if [ "$nodes" = 1 ]; then start_single; else start_cluster; fi
}

# Stops what this script started: with --nodes N (N > 1) the nodes of that cluster only; without,
# the single broker and, unless KAFKA_DATA_DIR or KAFKA_PORT points elsewhere, the nodes of the default cluster.
# SIGTERM to all at once (a node that lost its quorum may hang in its controlled shutdown), SIGKILL
# to those still running after 30 s.
stop() {
  if [ -n "${KAFKA_BROKERS:-}" ]; then return; fi
  local files=() file pids=() pid left
  if [ "$nodes" = 1 ] && [ -f "$pidfile" ]; then files+=("$pidfile"); fi
  if [ "$nodes" != 1 ] || { [ -z "${KAFKA_DATA_DIR:-}" ] && [ -z "$suffix" ]; }; then
    for file in "$cluster"/node-*/broker.pid; do
      if [ -f "$file" ]; then files+=("$file"); fi
    done
  fi
  for file in "${files[@]}"; do
    pid="$(cat "$file")"
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping broker (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
  done
  for _ in $(seq 1 60); do
    left=0
    for pid in "${pids[@]}"; do if kill -0 "$pid" 2>/dev/null; then left=1; fi; done
    if [ "$left" = 0 ]; then break; fi
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for file in "${files[@]}"; do rm -f "$file"; done
}

status() {
  if [ "$nodes" = 1 ]; then answers; else cluster_status; fi
}

case "$command" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  brokers) if [ "$nodes" = 1 ]; then echo "127.0.0.1:$port"; else brokers; fi ;;
  *) echo "usage: $0 install|start|stop|status|brokers [--nodes N]" >&2; exit 2 ;;
esac
