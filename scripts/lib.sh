# Shared shell helpers for Berth's scripts. Source it; it defines functions only.

# Prints the home of a JDK >= 21: $JAVA_HOME when it is one, else the newest under /usr/lib/jvm.
berth_find_jdk() {
  local candidates=() home ver
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for home in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${home%/}"); done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/javac" ] || continue
    ver=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    ver=${ver%%.*}
    if [ -n "$ver" ] && [ "$ver" -ge 21 ] 2>/dev/null; then echo "$home"; return 0; fi
  done
  echo "berth: no JDK 21 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm); install one, e.g. apt-get install openjdk-21-jdk" >&2
  return 1
}

# Sets JAVA_HOME and PATH to a JDK >= 21, and MAVEN_OPTS to quiet JDK 25 warnings.
berth_use_jdk() {
  JAVA_HOME=$(berth_find_jdk) || return 1
  export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
}
