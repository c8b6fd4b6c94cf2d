package io.berth.agent.work;

/** The shell functions every compiled script carries ({@link ScriptCompiler}): the runtime its actions call. */
final class ScriptPrelude {
  private ScriptPrelude() {}

  /**
   * Helpers every script carries. {@code _run} gives a process two fifos whose lines are tagged,
   * and lets the taggers finish its last lines (up to 1 s: a daemon's children keep them open)
   * before what comes next writes, so a progress message never overtakes the output before it;
   * {@code _first} reports a codependent child's end on a fifo
   * (busybox 1.35's ash has no {@code wait -n}); {@code _as} switches user with busybox su (the user must be in the image's /etc/passwd);
   * {@code _stop} passes docker stop's TERM on: as PID 1 to every process in the container, else
   * to its own jobs (a script run on a host in tests must never signal -1); {@code _upload} asks
   * the agent to upload a file from the node (see {@link ScriptCompiler.Send}) and waits for its
   * answer: the file must be readable by the action's user, as when it was read in the container.
   */
  static final String TEXT = """
      _say() { if [ -z "$1" ]; then echo "$2"; else echo "[$1] $2"; fi; }
      _tag() { if [ -z "$1" ]; then $B cat; else $B awk -v p="[$1] " '{ print p $0; fflush() }'; fi; }
      _run() {
        local o=$R/$2.o e=$R/$2.e p s t1 t2 i=0
        $B rm -f $o $e; $B mkfifo $o $e || return 1
        _tag "$1" < $o & t1=$!
        _tag "$1" < $e >&2 & t2=$!
        $2 > $o 2> $e &
        p=$!
        wait $p; s=$?
        while [ $i -lt 20 ] && { kill -0 $t1 2>/dev/null || kill -0 $t2 2>/dev/null; }; do $B sleep 0.05; i=$((i+1)); done
        $B rm -f $o $e
        return $s
      }
      _as() {
        local u=$1 x=; shift
        if [ "$1" = exec ]; then x=exec; shift; fi
        if [ "$u" = root ]; then $x "$@"; return $?; fi
        $x $B su -s $D/sh "$u" -c 'exec "$0" "$@"' "$@"
      }
      _unpack() {
        if [ -e "$1.error" ]; then echo "download failed: $($B cat "$1.error")" >&2; return 1; fi
        _as "$3" $B mkdir -p "$2" || return 1
        local s
        if [ -e "$1.zip" ]; then _as "$3" $B unzip -o -q "$1.zip" -d "$2"; s=$?
        elif [ -e "$1.tgz" ]; then _as "$3" $B tar -xzf "$1.tgz" -C "$2"; s=$?
        else _as "$3" $B tar -xf "$1.tar" -C "$2"; s=$?; fi
        $B rm -f "$1.zip" "$1.tgz" "$1.tar"
        return $s
      }
      _upload() {
        local q=$R/up/$1
        _as "$3" $B test -r "$2" || { echo "upload failed: cannot read $2" >&2; return 1; }
        $B mkdir -p $R/up && $B rm -f $q.error $q.done && : > $q.want || return 1
        until [ -e $q.done ]; do $B sleep 0.1; done
        $B rm -f $q.want $q.done
        if [ -e $q.error ]; then echo "upload failed: $($B cat $q.error)" >&2; $B rm -f $q.error; return 1; fi
      }
      _first() { local f=$1; shift; "$@"; echo $? > "$f"; }
      _watchdog() { $B sleep "$2"; : > $R/timeout.$1; kill -TERM -$1 2>/dev/null; $B sleep 10; kill -KILL -$1 2>/dev/null; }
      _stop() {
        trap - TERM INT
        if [ $$ -eq 1 ]; then kill -TERM -1 2>/dev/null; else kill -TERM $(jobs -p) 2>/dev/null; fi
        wait
        exit 143
      }
      """;
}
