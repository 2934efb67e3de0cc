#!/bin/sh
# The Kafka stand-in's entrypoint, configured as apache/kafka is: every KAFKA_* variable (but the JVM's)
# becomes a broker property (KAFKA_NODE_ID -> node.id; __ -> _, ___ -> -), KRaft storage is formatted
# once with CLUSTER_ID, then the broker runs in the foreground from the Maven jars in /opt/kafka/libs.
set -e
props=/opt/kafka/config/server.properties
mkdir -p /opt/kafka/config
: > "$props"
env | grep '^KAFKA_' | grep -v -e '^KAFKA_HEAP_OPTS=' -e '^KAFKA_OPTS=' -e '^KAFKA_JVM_' | while IFS='=' read -r name value; do
  key=$(echo "${name#KAFKA_}" | tr '[:upper:]' '[:lower:]' | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')
  echo "$key=$value" >> "$props"
done
grep -q '^log.dirs=' "$props" || echo "log.dirs=/var/lib/kafka/data" >> "$props"
java_opts="${KAFKA_HEAP_OPTS:--Xmx512m} -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true -Dlog4j.configuration=file:/opt/kafka/config/log4j.properties"
# shellcheck disable=SC2086
java $java_opts -cp '/opt/kafka/libs/*' kafka.tools.StorageTool format -t "${CLUSTER_ID:-5L6g3nShT-eMCtK--X86sw}" -c "$props" --ignore-formatted
# shellcheck disable=SC2086
exec java $java_opts $KAFKA_OPTS -cp '/opt/kafka/libs/*' kafka.Kafka "$props"
