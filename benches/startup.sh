#!/usr/bin/env bash
# Start-up time: launch → first complete frame, in a pseudo-terminal of 120×40, for distlab
# and (if installed) presenterm showing the same opening text, the two runs alternated.
#
#   benches/startup.sh [ROUNDS] [DISTLAB_BINARY] [BASELINE_DISTLAB_BINARY]
#
# With a baseline (e.g. a build of an older commit), it is measured too, alternated with the
# others, to compare before and after a change.
#
# A frame counts as complete once the program has written nothing for QUIET_MS (default 400);
# the time reported is from launch to the last byte before that silence. Needs python3.
# presenterm: `cargo install presenterm --locked`; without it, distlab is measured alone.
set -euo pipefail

rounds=${1:-15}
here=$(cd "$(dirname "$0")/.." && pwd)
distlab=${2:-$here/target/release/distlab}
if [ ! -x "$distlab" ]; then
    echo "building distlab (release)…" >&2
    (cd "$here" && cargo build --release --quiet)
    distlab=${CARGO_TARGET_DIR:-$here/target}/release/distlab
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The same opening text for both: presenterm gets the lesson's first 60 lines as
# `distlab print` writes them (more than a screen; further on, the lesson indents code,
# which presenterm rejects: it reads only fenced code blocks).
"$distlab" print --width 100 | head -60 > "$work/opening.md"

programs=("distlab|$distlab --progress-file $work/progress.json")
if [ -n "${3:-}" ]; then
    programs+=("baseline|$3 --progress-file $work/progress.json")
fi
if command -v presenterm > /dev/null; then
    programs+=("presenterm|presenterm $work/opening.md")
else
    echo "presenterm is not installed (cargo install presenterm --locked): measuring distlab alone" >&2
fi

python3 - "$rounds" "${QUIET_MS:-400}" "${programs[@]}" <<'PY'
import fcntl, os, pty, select, shlex, signal, statistics, struct, sys, termios, time

rounds, quiet = int(sys.argv[1]), int(sys.argv[2]) / 1000
programs = [p.split("|", 1) for p in sys.argv[3:]]
# Answers to the queries a TUI may send at start: cursor position, status, device attributes.
REPLIES = {
    b"\x1b[6n": b"\x1b[1;1R",
    b"\x1b[5n": b"\x1b[0n",
    b"\x1b[c": b"\x1b[?62;22c",
    b"\x1b[0c": b"\x1b[?62;22c",
}

def once(cmd):
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="40")
        argv = shlex.split(cmd)
        os.execvpe(argv[0], argv, env)
    start = time.perf_counter()
    last, written = start, 0
    while True:
        ready, _, _ = select.select([fd], [], [], quiet)
        if not ready:
            break
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        last, written = time.perf_counter(), written + len(data)
        for ask, answer in REPLIES.items():
            if ask in data:
                os.write(fd, answer)
    os.kill(pid, signal.SIGTERM)
    os.waitpid(pid, 0)
    os.close(fd)
    return (last - start) * 1000, written

results = {name: [] for name, _ in programs}
for _ in range(rounds):
    for name, cmd in programs:
        results[name].append(once(cmd))
for name, runs in results.items():
    ms = [r[0] for r in runs]
    print(f"{name:<11} first frame: median {statistics.median(ms):6.1f} ms, "
          f"min {min(ms):6.1f} ms over {len(ms)} runs; {runs[0][1] / 1000:.1f} kB written")
PY
