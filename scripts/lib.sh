# Shared shell helpers for Berth's scripts. Source it; it defines functions only.

# Prints the home of a JDK >= 21: $JAVA_HOME when it is one, else the newest under /usr/lib/jvm.
berth_find_jdk() {
  local candidates=() home ver
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for home in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${home%/}"); done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/javac" ] || continue
    ver=$(berth_jdk_version "$home")
    ver=${ver%%.*}
    if [ -n "$ver" ] && [ "$ver" -ge 21 ] 2>/dev/null; then echo "$home"; return 0; fi
  done
  echo "berth: no JDK 21 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm); install one, e.g. apt-get install openjdk-21-jdk" >&2
  return 1
}

# Prints the Java version of the JDK at $1 (25.0.3, 21.0.5): from its release file, which every JDK
# since 9 has, so that finding the JDK starts no JVM (that cost each berth command ~50 ms); a JDK
# without one is asked (java.specification.version: 21, or 1.8 for an old one).
berth_jdk_version() {
  local key value
  if [ -f "$1/release" ]; then
    while IFS='=' read -r key value; do
      if [ "$key" = JAVA_VERSION ]; then value=${value//\"/}; echo "$value"; return 0; fi
    done < "$1/release"
  fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'
}

# Sets JAVA_HOME and PATH to a JDK >= 21, BERTH_JAVA_VERSION to its version, and MAVEN_OPTS to
# quiet JDK 25 warnings.
berth_use_jdk() {
  JAVA_HOME=$(berth_find_jdk) || return 1
  BERTH_JAVA_VERSION=$(berth_jdk_version "$JAVA_HOME")
  export JAVA_HOME BERTH_JAVA_VERSION PATH="$JAVA_HOME/bin:$PATH"
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
}

# Adds to the launcher's array `opts` what a client command's JVM starts faster with: the first
# (C1) compiler only and the serial collector, for a run of well under a second; and a start-up
# cache next to the jar $1, one per jar and JDK version. On JDK 25+ that is an AOT cache (JEP 483,
# 515) made by a training run in the background when it is missing or older than the jar; on JDK
# 21-24 a CDS archive the JVM writes itself when the first run ends. A missing, stale or broken
# cache only makes a command slower: the JVM runs without it, and its logging (on stdout) is off.
berth_client_opts() {
  local jar=$1 cache
  opts+=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC '-Xlog:aot*=off,cds*=off')
  if [ "${BERTH_AOT:-}" = off ]; then return 0; fi
  if [ "${BERTH_JAVA_VERSION%%.*}" -ge 25 ]; then
    cache="${jar%.jar}-jdk$BERTH_JAVA_VERSION.aot"
    if [ "$cache" -nt "$jar" ]; then opts+=("-XX:AOTCache=$cache"); else berth_make_aot_cache "$jar" "$cache"; fi
  else
    opts+=("-XX:SharedArchiveFile=${jar%.jar}-jdk$BERTH_JAVA_VERSION.jsa" -XX:+AutoCreateSharedArchive)
  fi
}

# Makes the AOT cache $2 for the jar $1 in the background (a few seconds, once per jar), one run at
# a time: it trains into a file of its own and then moves it in place, so no command reads half a
# cache. The run holds none of the caller's output, so $(berth ...) does not wait for it.
berth_make_aot_cache() {
  local jar=$1 cache=$2 lock="$2.lock"
  # A lock older than 10 minutes is one whose run died.
  if [ -n "$(find "$lock" -mmin +10 2>/dev/null)" ]; then rm -f "$lock"; fi
  if ! (set -C; echo $$ > "$lock") 2>/dev/null; then return 0; fi
  (
    trap '' HUP
    tmp="$cache.$$.tmp"
    if "$JAVA_HOME/bin/java" "${opts[@]}" "-XX:AOTCacheOutput=$tmp" -cp "$jar" io.berth.cli.AotTraining; then mv -f "$tmp" "$cache"; fi
    rm -f "$tmp" "$tmp.config" "$lock"
  ) </dev/null >/dev/null 2>&1 &
}
