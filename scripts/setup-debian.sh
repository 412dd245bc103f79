#!/bin/sh
# Install what netgraph needs to build and test on Debian 12 (bookworm) or Ubuntu:
#   build-essential  a C compiler, for the SQLite that rusqlite bundles
#   graphviz         `dot`, for `netgraph render` and the picture tests
#   librsvg2-bin     `rsvg-convert`, which the tests use to check every SVG renders whole
#   chromium         a headless browser, which the tests use to open `render -o graph.html`
# Only missing packages are installed. Run it as root, or as a user who has sudo.
#
# On Ubuntu, apt's `chromium` (and `chromium-browser`) only installs a snap, which needs snapd
# and does not run in most containers: there, install Chromium or Chrome another way and set
# NETGRAPH_CHROMIUM to its program for the tests (this script then skips the package).
#
# Rust itself comes from rustup (https://rustup.rs): netgraph needs Rust 1.85 or newer, and
# Debian 12's own rustc (apt's `rustc`, 1.63) is too old to build it.
set -eu

packages="build-essential graphviz librsvg2-bin"
if [ -z "${NETGRAPH_CHROMIUM:-}" ]; then
  packages="$packages chromium"
fi
need_rust="1.85"

missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -n "$missing" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    as_root=""
  elif command -v sudo >/dev/null 2>&1; then
    as_root="sudo"
  else
    echo "setup-debian.sh: need to install$missing: run this script as root (there is no sudo)" >&2
    exit 1
  fi
  echo "setup-debian.sh: installing$missing"
  $as_root apt-get update -qq
  # shellcheck disable=SC2086 # one word per package
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq $missing >/dev/null
fi

# The Rust toolchain: rustup's, at least $need_rust.
if ! command -v cargo >/dev/null 2>&1 || ! command -v rustc >/dev/null 2>&1; then
  echo "setup-debian.sh: no Rust toolchain on PATH. Install it with rustup (not apt's rustc):" >&2
  echo "  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh" >&2
  echo "then open a new shell (or run: . \"\$HOME/.cargo/env\") and run this script again." >&2
  exit 1
fi
have_rust="$(rustc --version | cut -d' ' -f2)"
oldest="$(printf '%s\n%s\n' "$need_rust" "$have_rust" | sort -V | head -n1)"
if [ "$oldest" != "$need_rust" ]; then
  echo "setup-debian.sh: rustc $have_rust is older than $need_rust (Debian's rustc is 1.63)." >&2
  echo "  Install Rust with rustup (https://rustup.rs), or run: rustup update stable" >&2
  exit 1
fi

browser="${NETGRAPH_CHROMIUM:-chromium}"
if ! "$browser" --version >/dev/null 2>&1; then
  echo "setup-debian.sh: \`$browser --version\` fails: the page tests need a working Chromium." >&2
  echo "  On Ubuntu, apt's chromium is a snap; install Chromium or Chrome and set NETGRAPH_CHROMIUM." >&2
  exit 1
fi

echo "setup-debian.sh: ready: $(rustc --version), $(dot -V 2>&1), $(rsvg-convert --version), $("$browser" --version 2>/dev/null)"
