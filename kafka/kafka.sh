#!/usr/bin/env bash
# Starts and stops ShipGAN's local Apache Kafka broker: one KRaft node (broker and controller) on 127.0.0.1,
# run from the Maven Central jars that kafka/pom.xml names. No Docker.
#
#   kafka/kafka.sh start    fetch the jars if needed, format storage once, start, wait until ready, create topics
#   kafka/kafka.sh stop     SIGTERM by PID, SIGKILL after 30 s
#   kafka/kafka.sh kill     SIGKILL by PID (fault tests)
#   kafka/kafka.sh status   exit 0 when the recorded PID is alive
#   kafka/kafka.sh topics   create the topics again (idempotent)
#
# Environment: SHIPGAN_KAFKA_PORT (9092), SHIPGAN_KAFKA_CONTROLLER_PORT (9093),
# SHIPGAN_KAFKA_DIR (<repo>/.run/kafka: storage, logs, PID), SHIPGAN_CHECKPOINT_TOPIC (shipgan.checkpoints),
# SHIPGAN_ROLLOUT_TOPIC (shipgan.rollout-events),
# SHIPGAN_KAFKA_HEAP (512m), SHIPGAN_KAFKA_READY_SECONDS (60).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
port="${SHIPGAN_KAFKA_PORT:-9092}"
controller_port="${SHIPGAN_KAFKA_CONTROLLER_PORT:-9093}"
dir="${SHIPGAN_KAFKA_DIR:-$repo/.run/kafka}"
checkpoint_topic="${SHIPGAN_CHECKPOINT_TOPIC:-shipgan.checkpoints}"
rollout_topic="${SHIPGAN_ROLLOUT_TOPIC:-shipgan.rollout-events}"
heap="${SHIPGAN_KAFKA_HEAP:-512m}"
ready_seconds="${SHIPGAN_KAFKA_READY_SECONDS:-60}"
lib="$here/target/lib"
pid_file="$dir/broker.pid"
bootstrap="127.0.0.1:$port"

log() { echo "[kafka] $*" >&2; }

fetch_jars() {
  if [[ -f "$lib/.complete" ]]; then
    return
  fi
  log "fetching broker jars with Maven into $lib"
  mvn -B -q -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$lib" -DincludeScope=runtime
  touch "$lib/.complete"
}

# Class path and logging shared by the broker and the short-lived tool runs.
java_opts=(-cp "$lib/*" -Dlog4j2.configurationFile="$here/log4j2.properties" -Dkafka.logs.dir="$dir")

kafka_java() {
  java -Xmx256m "${java_opts[@]}" "$@"
}

write_config() {
  mkdir -p "$dir/data"
  cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
log.dirs=$dir/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
message.max.bytes=16777216
replica.fetch.max.bytes=16777216
socket.request.max.bytes=104857600
PROPS
}

format_storage() {
  if [[ -f "$dir/data/meta.properties" ]]; then
    return
  fi
  local cluster_id
  cluster_id="$(kafka_java kafka.tools.StorageTool random-uuid)"
  log "formatting storage in $dir/data (cluster $cluster_id)"
  kafka_java kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$dir/server.properties" >/dev/null
}

is_running() {
  [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

wait_until_ready() {
  local deadline=$((SECONDS + ready_seconds))
  until port_open "$port"; do
    if ! is_running; then
      log "broker exited during start-up; see $dir/broker.log and $dir/broker.out"
      tail -n 20 "$dir/broker.out" >&2 || true
      exit 1
    fi
    if ((SECONDS > deadline)); then
      log "broker not listening on $bootstrap after ${ready_seconds}s; see $dir/broker.log"
      exit 1
    fi
    sleep 0.2
  done
}

# Compacted, one record per model name kept; 16 MiB records; segments small enough that compaction happens.
create_topics() {
  kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$checkpoint_topic" --partitions 1 --replication-factor 1 \
    --config cleanup.policy=compact \
    --config max.message.bytes=16777216 \
    --config segment.bytes=67108864 \
    --config min.cleanable.dirty.ratio=0.1 >/dev/null
  # Rollout events are a log of what each replica did with each checkpoint: kept a week, small records.
  kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$rollout_topic" --partitions 1 --replication-factor 1 \
    --config cleanup.policy=delete \
    --config retention.ms=604800000 >/dev/null
  log "topics $checkpoint_topic (compacted, max.message.bytes=16777216) and $rollout_topic ready"
}

start() {
  if is_running; then
    log "already running (PID $(cat "$pid_file")) on $bootstrap"
    return
  fi
  fetch_jars
  write_config
  format_storage
  # java itself goes to the background so that $! is the broker's PID, not a subshell's.
  java -Xmx"$heap" -Xms"$heap" "${java_opts[@]}" kafka.Kafka "$dir/server.properties" >"$dir/broker.out" 2>&1 &
  echo $! >"$pid_file"
  log "started broker PID $(cat "$pid_file"), waiting for $bootstrap"
  wait_until_ready
  create_topics
  log "ready on $bootstrap"
}

stop() {
  local signal="${1:-TERM}"
  if ! is_running; then
    log "not running"
    rm -f "$pid_file"
    return
  fi
  local pid
  pid="$(cat "$pid_file")"
  kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "broker $pid still alive after 30 s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pid_file"
  log "stopped broker $pid ($signal)"
}

case "${1:-}" in
  start) start ;;
  stop) stop TERM ;;
  kill) stop KILL ;;
  status) is_running && echo "running PID $(cat "$pid_file") on $bootstrap" ;;
  topics) fetch_jars && create_topics ;;
  *) echo "usage: $0 start|stop|kill|status|topics" >&2; exit 2 ;;
esac
