#!/bin/sh
# Stops the agent and removes the files install.sh installed (listed in files.txt). The state
# directory /var/lib/castellan-agent (device key) is kept unless --purge is given.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  systemctl disable --now castellan-agent-checkin.timer castellan-agent.service >/dev/null 2>&1 || true
  # A check-in the timer started may still be running: stopped before its files go away.
  systemctl stop castellan-agent-checkin.service >/dev/null 2>&1 || true
fi
while read -r path; do
  if [ -f "$path" ] || [ -L "$path" ]; then
    rm -f "$path"
  fi
done < "$here/files.txt"
rm -rf /usr/lib/castellan-agent
if [ "${1:-}" = --purge ]; then
  rm -rf /var/lib/castellan-agent
fi
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  systemctl daemon-reload || true
fi
