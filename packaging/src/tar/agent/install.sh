#!/bin/sh
# Installs the castellan-agent files of this archive (root/) into /, then enrols the device when
# the archive carries a registration key (made by 'castellan-server package-agent') and starts
# the agent. Run as root from the unpacked directory: sudo ./install.sh
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
if [ "$(id -u)" != 0 ]; then
  echo "castellan-agent install.sh: run as root" >&2
  exit 1
fi
# cp -a keeps the modes: the state directory 0700, config.json and the key 0600.
( cd "$here/root" && cp -a . / )
rm -f "$here/root/var/lib/castellan-agent/registration-key"
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  systemctl daemon-reload
fi
/usr/lib/castellan-agent/enrol
if [ ! -f /var/lib/castellan-agent/agent.json ]; then
  echo "castellan-agent: register this device (registration key on stdin), then start the agent:"
  echo "  castellan-agent register --server URL --server-fingerprint SHA256 --registration-key -"
  echo "  systemctl enable --now castellan-agent-checkin.timer   (or castellan-agent.service to stay resident)"
fi
