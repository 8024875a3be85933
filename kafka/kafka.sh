#!/usr/bin/env bash
# Starts and stops ShipGAN's local Apache Kafka broker: one KRaft node (broker and controller) on 127.0.0.1,
# run from the Maven Central jars that kafka/pom.xml names. No Docker.
#
#   kafka/kafka.sh start    fetch the jars if needed, format storage once, start, wait until ready, create topics
#   kafka/kafka.sh stop     SIGTERM by PID, SIGKILL after 30 s
#   kafka/kafka.sh kill     SIGKILL by PID (fault tests)
#   kafka/kafka.sh status   exit 0 when the recorded PID is alive
#   kafka/kafka.sh topics   create the topics (and in scram mode the ACLs) again (idempotent)
#   kafka/kafka.sh jaas U   print the sasl.jaas.config value of user U (scram mode)
#
# Environment: SHIPGAN_KAFKA_PORT (9092), SHIPGAN_KAFKA_CONTROLLER_PORT (9093),
# SHIPGAN_KAFKA_DIR (<repo>/.run/kafka: storage, logs, PID), SHIPGAN_CHECKPOINT_TOPIC (shipgan.checkpoints),
# SHIPGAN_ROLLOUT_TOPIC (shipgan.rollout-events),
# SHIPGAN_KAFKA_HEAP (512m), SHIPGAN_KAFKA_READY_SECONDS (60),
# SHIPGAN_KAFKA_SECURITY (plaintext | scram, default plaintext).
#
# scram mode mirrors the Kubernetes cluster's users (deploy/k8s/base/kafka/users.yaml) on one node: clients
# authenticate with SASL/SCRAM-SHA-512 on the client listener, the KRaft StandardAuthorizer denies whatever no ACL
# allows, and the script gives exactly the ACLs of users.yaml:
#   trainer-service    shipgan.checkpoints: Describe, DescribeConfigs, Write, Read
#   generator-service  shipgan.checkpoints: Describe, Read; shipgan.rollout-events: Describe, Write
#   admin              super user: the broker's own inter-broker and controller connections, and this script
# Passwords come from SHIPGAN_KAFKA_ADMIN_PASSWORD, SHIPGAN_KAFKA_TRAINER_PASSWORD and
# SHIPGAN_KAFKA_GENERATOR_PASSWORD, else are generated; either way they are written, readable by the owner only,
# to <dir>/credentials/<user>.password when the storage is formatted, and those files are what counts afterwards.
# The controller listener takes SASL/PLAIN with a static entry for the admin only, not SCRAM: SCRAM credentials
# live in the metadata log, which controllers must reach before they can read it. In KRaft the broker's own requests
# to the controller (registration, heartbeats) need CLUSTER_ACTION, which only a super user has.
# Not mirrored locally: TLS (the cluster's listener encrypts; this one sends in the clear, on loopback only) and the
# NetworkPolicy.
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
security="${SHIPGAN_KAFKA_SECURITY:-plaintext}"
lib="$here/target/lib"
pid_file="$dir/broker.pid"
bootstrap="127.0.0.1:$port"
credentials="$dir/credentials"
admin_config="$dir/admin.properties"
admin_user=admin
trainer_user=trainer-service
generator_user=generator-service

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

case "$security" in
  plaintext | scram) ;;
  *) log "SHIPGAN_KAFKA_SECURITY must be plaintext or scram, was '$security'"; exit 2 ;;
esac

# A storage folder keeps the mode it was formatted in: its SCRAM credentials and ACLs only make sense with it.
check_mode() {
  local formatted
  formatted="$(cat "$dir/security" 2>/dev/null || echo plaintext)"
  if [[ -f "$dir/data/meta.properties" && "$formatted" != "$security" ]]; then
    log "storage in $dir was formatted for $formatted, not $security: set SHIPGAN_KAFKA_SECURITY=$formatted or"
    log "delete $dir"
    exit 1
  fi
}

# The password of a user: the stored one, else from the environment, else a new random one; stored 0600.
password() {
  local user="$1" variable file="$credentials/$1.password"
  case "$user" in
    "$admin_user") variable=SHIPGAN_KAFKA_ADMIN_PASSWORD ;;
    "$trainer_user") variable=SHIPGAN_KAFKA_TRAINER_PASSWORD ;;
    "$generator_user") variable=SHIPGAN_KAFKA_GENERATOR_PASSWORD ;;
    *) log "no such user: '$user' (users: $admin_user, $trainer_user, $generator_user)"; exit 2 ;;
  esac
  if [[ ! -f "$file" ]]; then
    # Quotes, commas and '=' would break the JAAS line or the --add-scram argument.
    local chosen="${!variable:-$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)}"
    if [[ ! "$chosen" =~ ^[A-Za-z0-9._~-]{12,}$ ]]; then
      log "$variable must be at least 12 characters of A-Z a-z 0-9 . _ ~ -"
      exit 1
    fi
    (umask 077 && mkdir -p "$credentials" && printf '%s' "$chosen" >"$file")
  fi
  cat "$file"
}

jaas() {
  local password
  password="$(password "$1")"
  printf 'org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";' \
    "$1" "$password"
}

# Listeners: plain on both ports, or SCRAM for clients and PLAIN (admin only) for the controller.
listener_config() {
  if [[ "$security" == plaintext ]]; then
    cat <<PROPS
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
PROPS
    return
  fi
  local admin_password
  admin_password="$(password "$admin_user")"
  cat <<PROPS
listeners=CLIENT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=CLIENT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=CLIENT
listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
listener.name.client.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.client.scram-sha-512.sasl.jaas.config=$(jaas "$admin_user")
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\
  username="$admin_user" password="$admin_password" user_$admin_user="$admin_password";
sasl.mechanism.controller.protocol=PLAIN
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:$admin_user
PROPS
}

# The client settings this script uses for its own tool runs in scram mode.
write_admin_config() {
  (umask 077 && cat > "$admin_config" <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=$(jaas "$admin_user")
PROPS
  )
}

# Tool options that reach the client listener as the admin in scram mode.
admin_options() {
  [[ "$security" == scram ]] && printf '%s\n' --command-config "$admin_config"
  return 0
}

write_config() {
  mkdir -p "$dir/data"
  local listeners
  listeners="$(listener_config)"
  # server.properties holds the admin password in scram mode.
  (umask 077 && cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
$listeners
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
  )
  if [[ "$security" == scram ]]; then
    write_admin_config
  fi
}

format_storage() {
  if [[ -f "$dir/data/meta.properties" ]]; then
    return
  fi
  local cluster_id
  cluster_id="$(kafka_java kafka.tools.StorageTool random-uuid)"
  log "formatting storage in $dir/data (cluster $cluster_id, $security)"
  local scram=()
  if [[ "$security" == scram ]]; then
    local user
    for user in "$admin_user" "$trainer_user" "$generator_user"; do
      scram+=(--add-scram "SCRAM-SHA-512=[name=$user,password=$(password "$user")]")
    done
  fi
  kafka_java kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$dir/server.properties" \
    "${scram[@]}" >/dev/null
  echo "$security" >"$dir/security"
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
  local admin
  mapfile -t admin < <(admin_options)
  kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" "${admin[@]}" \
    --create --if-not-exists --topic "$checkpoint_topic" --partitions 1 --replication-factor 1 \
    --config cleanup.policy=compact \
    --config max.message.bytes=16777216 \
    --config segment.bytes=67108864 \
    --config min.cleanable.dirty.ratio=0.1 >/dev/null
  # Rollout events are a log of what each replica did with each checkpoint: kept a week, small records.
  kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" "${admin[@]}" \
    --create --if-not-exists --topic "$rollout_topic" --partitions 1 --replication-factor 1 \
    --config cleanup.policy=delete \
    --config retention.ms=604800000 >/dev/null
  log "topics $checkpoint_topic (compacted, max.message.bytes=16777216) and $rollout_topic ready"
}

# The ACLs of deploy/k8s/base/kafka/users.yaml, added again at every start (adding an existing ACL changes nothing).
create_acls() {
  allow "$trainer_user" "$checkpoint_topic" Describe DescribeConfigs Write Read
  allow "$generator_user" "$checkpoint_topic" Describe Read
  allow "$generator_user" "$rollout_topic" Describe Write
  log "ACLs: $trainer_user writes and reads $checkpoint_topic; $generator_user reads it and writes $rollout_topic"
}

# allow USER TOPIC OPERATION...
allow() {
  local user="$1" topic="$2" operation operations=()
  shift 2
  for operation in "$@"; do
    operations+=(--operation "$operation")
  done
  kafka_java org.apache.kafka.tools.AclCommand --bootstrap-server "$bootstrap" --command-config "$admin_config" \
    --add --allow-principal "User:$user" "${operations[@]}" --topic "$topic" >/dev/null
}

prepare_topics() {
  create_topics
  if [[ "$security" == scram ]]; then
    create_acls
  fi
}

start() {
  check_mode
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
  prepare_topics
  log "ready on $bootstrap ($security)"
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
  topics) fetch_jars && check_mode && prepare_topics ;;
  jaas) [[ "$security" == scram ]] || { log "jaas needs SHIPGAN_KAFKA_SECURITY=scram"; exit 2; }
    check_mode && jaas "${2:-}" ;;
  *) echo "usage: $0 start|stop|kill|status|topics|jaas USER" >&2; exit 2 ;;
esac
