#!/bin/sh
# Runs one wsrv cluster node (the test node of this module: commands whoami, login, join, pushto, transport).
# usage: cluster-redis/run-node.sh --port 8801 --redis redis://127.0.0.1:6379
# Build first: mvn -B -o -f cluster-redis/pom.xml install -DskipTests
set -e
dir=$(cd "$(dirname "$0")" && pwd)
if [ ! -f "$dir/target/node-classpath.txt" ] || [ ! -d "$dir/target/test-classes" ]; then
  mvn -B -q -o -f "$dir/pom.xml" test-compile
fi
exec java -XX:+ExitOnOutOfMemoryError -cp "$dir/target/test-classes:$dir/target/classes:$(cat "$dir/target/node-classpath.txt")" \
  dev.wsrv.cluster.redis.ClusterNodeMain "$@"
