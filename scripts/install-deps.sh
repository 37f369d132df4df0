#!/bin/sh
# install-deps.sh installs the Debian packages gmpscope builds and tests with.
# It starts from a minimal Debian 12 (git, make, sudo) and skips what is present.
# Usage: scripts/install-deps.sh [--with-go]   (--with-go adds golang-go for the anchors)
set -eu
pkgs="g++ cmake pkg-config libimgui-dev libstb-dev libglfw3-dev libspdlog-dev
nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev xvfb xauth
fonts-dejavu-core"
[ "${1:-}" = "--with-go" ] && pkgs="$pkgs golang-go"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing
