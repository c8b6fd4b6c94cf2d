# Shared shell helpers for Berth's scripts. Source it; it defines functions only.

# Prints the home of a JDK >= 21: $JAVA_HOME when it is one, else the newest under /usr/lib/jvm (the
# highest feature version; of equal ones, the last by name). Globs and the JDKs' release files only:
# `ls | sort` cost every berth command two processes.
berth_find_jdk() {
  _berth_locate_jdk && echo "$_berth_home"
}

# Prints the feature version (21, 25) of the JDK at $1; fails when it is no JDK (no javac) or says none.
berth_jdk_feature() {
  _berth_read_feature "$1" && echo "$_berth_feature"
}

# Prints the Java version of the JDK at $1 (25.0.3, 21.0.5): from its release file, which every JDK
# since 9 has, so that finding the JDK starts no JVM (that cost each berth command ~50 ms); a JDK
# without one is asked (java.specification.version: 21, or 1.8 for an old one).
berth_jdk_version() {
  _berth_read_version "$1" && echo "$_berth_ver"
}

# The three above without a subshell each: they set _berth_home, _berth_feature and _berth_ver. Every
# $(…) forks a shell, and finding the JDK took ~30 ms of each berth command in forks alone.
_berth_locate_jdk() {
  local home best="" best_ver=0
  _berth_home=""
  if [ -n "${JAVA_HOME:-}" ] && _berth_read_feature "$JAVA_HOME" && [ "$_berth_feature" -ge 21 ]; then _berth_home=$JAVA_HOME; return 0; fi
  for home in /usr/lib/jvm/*/; do
    home=${home%/}
    _berth_read_feature "$home" || continue
    if [ "$_berth_feature" -ge 21 ] && [ "$_berth_feature" -ge "$best_ver" ]; then best=$home best_ver=$_berth_feature; fi
  done
  if [ -n "$best" ]; then _berth_home=$best; return 0; fi
  echo "berth: no JDK 21 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm); install one, e.g. apt-get install openjdk-21-jdk" >&2
  return 1
}

_berth_read_feature() {
  local ver
  _berth_feature=""
  [ -x "$1/bin/javac" ] || return 1
  _berth_read_version "$1"
  ver=${_berth_ver%%.*}
  [[ "$ver" =~ ^[0-9]+$ ]] || return 1
  _berth_feature=$ver
}

_berth_read_version() {
  local key value
  _berth_ver=""
  if [ -f "$1/release" ]; then
    while IFS='=' read -r key value; do
      if [ "$key" = JAVA_VERSION ]; then _berth_ver=${value//\"/}; return 0; fi
    done < "$1/release"
  fi
  _berth_ver=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
}

# Sets JAVA_HOME and PATH to a JDK >= 21, BERTH_JAVA_VERSION to its version, and MAVEN_OPTS to
# quiet JDK 25 warnings.
berth_use_jdk() {
  _berth_locate_jdk || return 1
  JAVA_HOME=$_berth_home
  _berth_read_version "$JAVA_HOME"
  BERTH_JAVA_VERSION=$_berth_ver
  export JAVA_HOME BERTH_JAVA_VERSION PATH="$JAVA_HOME/bin:$PATH"
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
}

# Adds to the launcher's array `opts` what a client command's JVM starts faster with: the first
# (C1) compiler only and the serial collector, for a run of well under a second; and a start-up
# cache next to the jar $1, one per jar and JDK version. On JDK 25+ that is an AOT cache (JEP 483,
# 515) made by a training run in the background when it is missing or older than the jar; on JDK
# 21-24 a CDS archive the JVM writes itself when the first run ends. A missing, stale or broken
# cache only makes a command slower: the JVM runs without it, and its logging (on stdout) is off.
# $2 = quick: the command line is one of the quick path's (io.berth.cli.QuickLine), which gets an AOT
# cache of its own: a cache's classes are all loaded at start, and the other commands' would read
# picocli from the 50 MB jar for their checks.
berth_client_opts() {
  local jar=$1 kind=${2:-} cache
  # -UsePerfData: no hsperfdata file in /tmp to make (~5 ms here); jps and jstat do not see a command.
  opts+=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData '-Xlog:aot*=off,cds*=off')
  # The quick path's one reflective call (the JDK's own, as its first socket sets up its options) made
  # through JNI rather than a method handle whose class the JVM would generate (~80 classes, no cache keeps it).
  if [ "$kind" = quick ]; then opts+=(-Djdk.reflect.useNativeAccessorOnly=true); fi
  if [ "${BERTH_AOT:-}" = off ]; then return 0; fi
  if [ "${BERTH_JAVA_VERSION%%.*}" -ge 25 ]; then
    cache="${jar%.jar}${kind:+-$kind}-jdk$BERTH_JAVA_VERSION.aot"
    if [ "$cache" -nt "$jar" ]; then opts+=("-XX:AOTCache=$cache"); else berth_make_aot_cache "$jar" "$cache" $kind; fi
  else
    opts+=("-XX:SharedArchiveFile=${jar%.jar}-jdk$BERTH_JAVA_VERSION.jsa" -XX:+AutoCreateSharedArchive)
  fi
}

# Makes the AOT cache $2 for the jar $1 in the background (a few seconds, once per jar), one run at
# a time: it trains into a file of its own and then moves it in place, so no command reads half a
# cache. The run holds none of the caller's output, so $(berth ...) does not wait for it. $3 = quick:
# the quick path's cache.
berth_make_aot_cache() {
  local jar=$1 cache=$2 kind=${3:-} lock="$2.lock"
  if ! berth_take_lock "$lock"; then return 0; fi
  (
    trap '' HUP
    tmp="$cache.$$.tmp"
    if "$JAVA_HOME/bin/java" "${opts[@]}" "-XX:AOTCacheOutput=$tmp" -cp "$jar" io.berth.cli.AotTraining $kind; then mv -f "$tmp" "$cache"; fi
    rm -f "$tmp" "$tmp.config" "$lock"
  ) </dev/null >/dev/null 2>&1 &
}

# Adds to `opts` the start-up cache of `berth dev` (JDK 25+), next to the jar $1. Its classes are the
# ones a real dev run loads (docker-java, Jackson, BouncyCastle, SQLite …), so the cache is learnt
# from one: a dev run without a cache records what it loads when it stops (Ctrl-C), the next dev
# start makes the cache from that in the background, and the one after starts from it (about half
# the time to ready). A partial record (a kill -9) fails to make a cache and is recorded again.
berth_dev_opts() {
  local jar=$1 cache conf
  # A small footprint for a laptop's one-node Berth (its live heap is ~16 MB): the serial collector
  # (G1's remembered sets and card tables cost ~35 MB here), a heap that starts at 16 MB instead of
  # 1/64 of the RAM and gives back what it does not use; and C1 alone (C2's code and its compiles'
  # memory were ~20 MiB of an idle dev's RSS; BERTH_JAVA_OPTS=-XX:TieredStopAtLevel=4 brings C2 back,
  # the last flag winning). Measured in docs/benchmarks.md.
  opts+=(-XX:+UseSerialGC -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:TieredStopAtLevel=1)
  if [ "${BERTH_AOT:-}" = off ] || [ "${BERTH_JAVA_VERSION%%.*}" -lt 25 ]; then return 0; fi
  cache="${jar%.jar}-dev-serial-jdk$BERTH_JAVA_VERSION.aot" # made with the options above
  conf="$cache.config"
  opts+=('-Xlog:aot*=off,cds*=off')
  if [ "$cache" -nt "$jar" ]; then
    opts+=("-XX:AOTCache=$cache")
  elif [ "$conf" -nt "$jar" ]; then
    if ! berth_take_lock "$cache.lock"; then return 0; fi
    (
      trap '' HUP
      tmp="$cache.$$.tmp"
      if "$JAVA_HOME/bin/java" "${opts[@]}" -XX:AOTMode=create "-XX:AOTConfiguration=$conf" "-XX:AOTCache=$tmp" -cp "$jar" io.berth.cli.Main version
      then mv -f "$tmp" "$cache"; else rm -f "$conf"; fi
      rm -f "$tmp" "$cache.lock"
    ) </dev/null >/dev/null 2>&1 &
  else
    # The JVM says "AOTConfiguration recorded" on the terminal as it stops; only this flag silences it.
    opts+=(-XX:AOTMode=record "-XX:AOTConfiguration=$conf" -XX:+UnlockDiagnosticVMOptions -XX:-DisplayVMOutput)
  fi
}

# Whether any main source (file or folder) of the modules the jar is built from, or any pom, under
# the checkout $1 is newer than the jar $2 (or the jar is missing): the launcher's staleness check, in
# bash alone. A `find` cost a process of its own, 10-25 ms on a busy 2-core machine, of a command that
# takes 150. Hidden files count too, as find's did; a folder newer than the jar had a file added,
# moved or deleted. berth-bench and berth-it are not in the jar.
berth_stale() {
  local root=$1 jar=$2 f m o stale=1 had=()
  [ -f "$jar" ] || return 0
  for o in globstar nullglob dotglob; do if shopt -q "$o" 2>/dev/null; then had+=("$o"); fi; done
  if ! shopt -s globstar nullglob dotglob 2>/dev/null; then # bash 3 (macOS's /bin/bash) has no globstar
    [ -n "$(find "$root"/*/src/main "$root"/pom.xml "$root"/*/pom.xml -newer "$jar" -print -quit 2>/dev/null)" ]
    return
  fi
  for m in "$root"/*/; do
    case $m in */berth-bench/ | */berth-it/) continue ;; esac
    for f in "$m"pom.xml "$m"src/main/**; do
      if [[ $f -nt $jar ]]; then stale=0; break 2; fi
    done
  done
  if [[ $stale = 1 && $root/pom.xml -nt $jar ]]; then stale=0; fi
  shopt -u globstar nullglob dotglob
  if [ ${#had[@]} -gt 0 ]; then shopt -s "${had[@]}"; fi
  return $stale
}

# Takes the lock file $1 (fails when another run holds it); a lock older than 10 minutes is one
# whose run died, and is taken over.
berth_take_lock() {
  if [ -n "$(find "$1" -mmin +10 2>/dev/null)" ]; then rm -f "$1"; fi
  (set -C; echo $$ > "$1") 2>/dev/null
}
