#!/usr/bin/env bash
# cmake --install into a scratch DESTDIR puts the binary, the example config, the systemd unit,
# sysusers.d and tmpfiles.d files in their places, and the unit runs the installed binary.
set -euo pipefail
build_dir=$1
prefix=$2
destdir=$(mktemp -d)
trap 'rm -rf "$destdir"' EXIT
DESTDIR=$destdir cmake --install "$build_dir" >/dev/null
root=$destdir$prefix
for file in "bin/archiver" "lib/systemd/system/archiver.service" "lib/sysusers.d/archiver.conf" \
            "lib/tmpfiles.d/archiver.conf" "share/doc/archiver/schema.md"; do
  [ -e "$root/$file" ] || { echo "missing $prefix/$file"; exit 1; }
done
config=$(find "$destdir" -path '*/archiver/archiver.toml' | head -n 1)
[ -n "$config" ] || { echo "missing archiver/archiver.toml"; exit 1; }
grep -q "^ExecStart=$prefix/bin/archiver " "$root/lib/systemd/system/archiver.service" ||
  { echo "ExecStart does not name $prefix/bin/archiver"; exit 1; }
"$root/bin/archiver" --config "$config" check-config
echo "install layout ok under $destdir"
