#!/bin/sh
# Installs the Castellan agent on macOS from this unpacked archive (made by 'castellan-server
# package-agent --os macos'): the jar and launcher under /usr/local/castellan-agent, the state
# directory /Library/Application Support/Castellan (0700) with config.json and the registration
# key (0600), registers the device, deletes the key, and loads the launchd daemon
# org.castellan.agent. Needs a Java 17 or later installed (this package carries none).
# Run as root from the unpacked directory: sudo ./install.sh
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
mode=@MODE@
prefix=/usr/local/castellan-agent
state="/Library/Application Support/Castellan"
plist=/Library/LaunchDaemons/org.castellan.agent.plist
if [ "$(id -u)" != 0 ]; then
  echo "castellan-agent install.sh: run as root (sudo ./install.sh)" >&2
  exit 1
fi
if ! /usr/libexec/java_home -v 17+ >/dev/null 2>&1; then
  echo "castellan-agent install.sh: no Java 17 or later found (/usr/libexec/java_home -v 17+);" \
    "install one (e.g. a Temurin 17 .pkg), then run this again" >&2
  exit 1
fi
umask 022
mkdir -p "$prefix/bin" "$prefix/share/castellan" "$prefix/lib/castellan-agent" /usr/local/bin /Library/Logs/Castellan
cp "$here/castellan-agent" "$prefix/bin/castellan-agent"
chmod 0755 "$prefix/bin/castellan-agent"
cp "$here/castellan-agent.jar" "$prefix/share/castellan/castellan-agent.jar"
chmod 0644 "$prefix/share/castellan/castellan-agent.jar"
ln -sf "$prefix/bin/castellan-agent" /usr/local/bin/castellan-agent

umask 077
mkdir -p "$state"
chown 0:0 "$state"
chmod 0700 "$state"
preconfigured=no
if [ -f "$here/config.json" ]; then
  cp "$here/config.json" "$state/config.json"
  chmod 0600 "$state/config.json"
fi
if [ -f "$here/registration-key" ]; then
  preconfigured=yes
  cp "$here/registration-key" "$state/registration-key"
  chmod 0600 "$state/registration-key"
  rm -f "$here/registration-key"
  if ! "$prefix/bin/castellan-agent" register --if-unregistered --state-dir "$state"; then
    echo "castellan-agent: registration failed; the key stays in $state/registration-key (0600);" \
      "fix the cause and run: sudo castellan-agent register --state-dir \"$state\"" >&2
    exit 1
  fi
  rm -f "$state/registration-key"
fi

archive="$prefix/lib/castellan-agent/castellan-agent.jsa"
rm -f "$archive"
if [ -f "$state/agent.json" ]; then
  CASTELLAN_JAVA_OPTS="-XX:ArchiveClassesAtExit=$archive -Xlog:cds=off -Xlog:cds+dynamic=off" \
    "$prefix/bin/castellan-agent" check-in --state-dir "$state" \
    || echo "castellan-agent: the first check-in failed; the agent retries on its schedule" >&2
fi
[ -f "$archive" ] && chmod 0644 "$archive"

if [ "$preconfigured" = yes ] || [ -f "$state/agent.json" ]; then
  cp "$here/org.castellan.agent.$mode.plist" "$plist"
  chown 0:0 "$plist"
  chmod 0644 "$plist"
  launchctl bootout system/org.castellan.agent >/dev/null 2>&1 || true
  launchctl bootstrap system "$plist"
  echo "castellan-agent: installed; launchd daemon org.castellan.agent loaded ($mode)"
else
  echo "castellan-agent: installed; register this device, then run this script again to load the daemon:"
  echo "  sudo castellan-agent register --server URL --server-fingerprint SHA256 --registration-key -"
fi
