#!/usr/bin/env bash
# Installs what Babelfish needs on Debian/Ubuntu, skipping what is already there.
#   scripts/setup.sh run    packages to build and open the desktop app
#   scripts/setup.sh test   also the headless window, WebDriver and tauri-driver for the tests
set -euo pipefail
mode="${1:-run}"

# libayatana-appindicator3-dev: the tray icon (tauri's tray-icon feature links it on Linux).
packages=(build-essential pkg-config file libwebkit2gtk-4.1-dev libayatana-appindicator3-dev)
if [ "$mode" = test ]; then
  packages+=(xvfb xauth webkit2gtk-driver faketime git python3 dbus xdotool xclip libglib2.0-bin
             samba smbnetfs fuse3 iproute2)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
  echo "setup: Rust (cargo) is required: install it with rustup, or your system's rustc/cargo packages" >&2
  exit 1
fi

if [ "$mode" = test ] && ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "setup: installing tauri-driver (WebDriver bridge for the desktop tests)"
  cargo install tauri-driver --version '^2' --locked
fi
