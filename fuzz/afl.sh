#!/usr/bin/env bash
# Coverage-guided fuzzing of one target with AFL++ (afl.rs), on the stable toolchain.
#
#   fuzz/afl.sh TARGET [SECONDS]      # e.g. fuzz/afl.sh markdown 300
#
# Needs `cargo install cargo-afl` once (it builds AFL++). The corpus starts from seeds/,
# fuzz/corpus/ and fuzz/regressions/TARGET/; findings go to fuzz/out/TARGET/ (not committed).
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/afl.sh TARGET [SECONDS]}
seconds=${2:-600}

cargo afl build --release --features afl --quiet
mkdir -p out
input=$(mktemp -d)
trap 'rm -rf "$input"' EXIT
cp ../seeds/* corpus/* "$input"/
if [ -d "regressions/$target" ]; then cp "regressions/$target"/* "$input"/; fi

# A container has no CPU governor to read and may pipe core dumps elsewhere; neither matters
# for finding panics. A hang is an input that takes over a second (-t): a linear-time bug.
AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
  cargo afl fuzz -V "$seconds" -t 1000 -i "$input" -o "out/$target" -- target/release/afl "$target"
