#!/bin/sh
# Assembles target/agent-payload: everything 'castellan-server package-agent' puts into agent
# packages. The Linux x64 runtime is made here with jlink from the building JDK, holding only the
# modules jdeps finds the agent jar needs, plus jdk.crypto.ec (the EC/EdDSA/XDH provider, found
# by name at run time, which jdeps cannot see: TLS key exchange and the device's Ed25519 key use
# it). jlink also writes the runtime's default class-data-sharing archive (--generate-cds-archive).
# Usage: agent-payload.sh JAVA_HOME SRC_DIR TARGET_DIR VERSION
set -eu
java_home="$1"
src="$2"
target="$3"
version="$4"
payload="$target/agent-payload"
mkdir -p "$payload/linux-x64" "$payload/linux/deb" "$payload/linux/rpm" "$payload/linux/tar" "$payload/macos" "$payload/windows"
cp "$target/castellan-agent.jar" "$payload/castellan-agent.jar"
echo "$version" > "$payload/VERSION"

modules="$("$java_home/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps "$payload/castellan-agent.jar")"
echo "$modules" > "$payload/linux-x64/jdeps-modules"
wanted="$modules,jdk.crypto.ec"
runtime="$payload/linux-x64/runtime"
if [ ! -f "$runtime/release" ] || [ "$(cat "$payload/linux-x64/linked-modules" 2>/dev/null)" != "$wanted" ]; then
  rm -rf "$runtime"
  "$java_home/bin/jlink" --add-modules "$wanted" --strip-debug --no-header-files --no-man-pages \
    --generate-cds-archive --output "$runtime" >/dev/null
  # Only for -XX:-UseCompressedOops, which the agent's small heap never needs.
  rm -f "$runtime/lib/server/classes_nocoops.jsa"
  echo "$wanted" > "$payload/linux-x64/linked-modules"
fi
# jlink links each module's legal notices to java.base's; packages carry plain files.
find "$runtime" -type l | while read -r link; do
  cp --remove-destination "$(readlink -f "$link")" "$link"
done

cp "$src/deb/bin/castellan-agent" "$src/deb/agent/castellan-agent.service" "$src/deb/agent/castellan-agent-checkin.service" \
  "$src/deb/agent/castellan-agent-checkin.timer" "$src/deb/agent/enrol" "$payload/linux/"
cp "$src/deb/agent/control/postinst" "$src/deb/agent/control/prerm" "$src/deb/agent/control/postrm" "$payload/linux/deb/"
# The agent's man page and completion scripts (ShellDocs, from its picocli model).
docs="$target/shell-docs"
mkdir -p "$payload/linux/docs/bash" "$payload/linux/docs/zsh" "$payload/linux/docs/fish"
cp "$docs/man/castellan-agent.1" "$payload/linux/docs/"
cp "$docs/completion/bash/castellan-agent" "$payload/linux/docs/bash/"
cp "$docs/completion/zsh/_castellan-agent" "$payload/linux/docs/zsh/"
cp "$docs/completion/fish/castellan-agent.fish" "$payload/linux/docs/fish/"
cp "$src/rpm/agent/post" "$src/rpm/agent/preun" "$src/rpm/agent/postun" "$payload/linux/rpm/"
cp "$src/tar/agent/install.sh" "$src/tar/agent/uninstall.sh" "$payload/linux/tar/"
cp "$src/deb/bin/castellan-agent" "$src/macos/agent/install.sh" "$src/macos/agent/uninstall.sh" \
  "$src/macos/agent/org.castellan.agent.service.plist" "$src/macos/agent/org.castellan.agent.timer.plist" "$payload/macos/"
cp "$src/windows/agent/castellan-agent.cmd" "$src/windows/agent/enrol.cmd" "$src/windows/agent/remove.cmd" "$payload/windows/"
