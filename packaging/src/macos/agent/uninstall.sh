#!/bin/sh
# Unloads the launchd daemon and removes what install.sh installed. The state directory
# (/Library/Application Support/Castellan: the device key) is kept unless --purge is given.
set -eu
launchctl bootout system/org.castellan.agent >/dev/null 2>&1 || true
rm -f /Library/LaunchDaemons/org.castellan.agent.plist /usr/local/bin/castellan-agent
rm -rf /usr/local/castellan-agent
if [ "${1:-}" = --purge ]; then
  rm -rf "/Library/Application Support/Castellan"
fi
