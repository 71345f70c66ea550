#!/usr/bin/env bash
# The systemd unit's sandbox: `systemd-analyze security --offline=true` must rate its exposure
# at 2.0 or lower (the daemon issue's bar). The unit is the one cmake configured for install.
set -euo pipefail
unit=$1
output=$(systemd-analyze security --offline=true "$unit" 2>&1)
level=$(printf '%s\n' "$output" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
if [ -z "$level" ]; then
  printf '%s\n' "$output"
  echo "no exposure level in systemd-analyze's answer"
  exit 1
fi
echo "exposure level of $(basename "$unit"): $level"
awk -v level="$level" 'BEGIN { exit !(level <= 2.0) }' || { echo "above 2.0"; exit 1; }
