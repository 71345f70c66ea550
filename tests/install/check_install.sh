#!/usr/bin/env bash
# cmake --install puts every file in its place and nowhere else (all into scratch DESTDIRs):
# 1. for the configured prefix: binary, man page, bash completion, docs, both systemd units,
#    sysusers.d and tmpfiles.d files, the example config; the units start the installed binary
#    with the installed config, which is a config the CLI reads by default (archiver --help);
# 2. with `--prefix /opt/archiver-test`: every file lands under that prefix, and the units name it;
# 3. with `--prefix /usr`: every file under /usr but the config, which goes to /etc.
set -euo pipefail
build_dir=$1
configured_prefix=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

sysconfdir_of() {  # PREFIX: where an install under PREFIX puts its config (cmake/layout.cmake)
  if [ "$1" = /usr ]; then echo /etc; else echo "$1/etc"; fi
}

# Installs into DESTDIR with PREFIX (none: the configured one) and checks the layout.
check_layout() {
  local destdir=$1 prefix=$2 install_prefix=${3:-}
  local root=$destdir$prefix
  local config
  config=$(sysconfdir_of "$prefix")/archiver/archiver.toml
  mkdir -p "$destdir"
  DESTDIR=$destdir cmake --install "$build_dir" ${install_prefix:+--prefix "$install_prefix"} \
    >"$destdir.log"
  for file in bin/archiver share/man/man1/archiver.1.gz \
    share/bash-completion/completions/archiver lib/systemd/system/archiver.service \
    lib/systemd/system/archiver-web.service lib/sysusers.d/archiver.conf \
    lib/tmpfiles.d/archiver.conf share/doc/archiver/schema.md share/doc/archiver/README.md; do
    [ -f "$root/$file" ] || fail "$prefix: missing $prefix/$file"
  done
  [ -f "$destdir$config" ] || fail "$prefix: missing $config"
  grep -q -x "ExecStart=$prefix/bin/archiver --config $config run" \
    "$root/lib/systemd/system/archiver.service" ||
    fail "$prefix: archiver.service does not run $prefix/bin/archiver with $config"
  grep -q -x "ExecStart=$prefix/bin/archiver --config $config serve" \
    "$root/lib/systemd/system/archiver-web.service" ||
    fail "$prefix: archiver-web.service does not serve with $prefix/bin/archiver and $config"
  "$root/bin/archiver" --config "$destdir$config" check-config >/dev/null ||
    fail "$prefix: the installed config does not pass check-config"
  gzip -t "$root/share/man/man1/archiver.1.gz" || fail "$prefix: archiver.1.gz is no gzip file"
}

# Every installed file (cmake --install's own list too) lies under one of the folders given.
check_inside() {
  local destdir=$1
  shift
  local file folder inside
  while IFS= read -r file; do
    inside=no
    for folder in "$@"; do
      [[ $file == "$destdir$folder"/* ]] && inside=yes
    done
    [ "$inside" = yes ] || fail "installed outside $*: ${file#"$destdir"}"
  done < <(find "$destdir" -type f -o -type l)
}

# 1. The configured prefix.
check_layout "$scratch/configured" "$configured_prefix"
config=$(sysconfdir_of "$configured_prefix")/archiver/archiver.toml
"$scratch/configured$configured_prefix/bin/archiver" --help | grep -q -F "$config" ||
  fail "archiver --help does not name $config among the configs it reads by default"

# 2. Another prefix, given at install time.
check_layout "$scratch/opt" /opt/archiver-test /opt/archiver-test
check_inside "$scratch/opt" /opt/archiver-test

# 3. The system's prefix (the .deb's).
check_layout "$scratch/usr" /usr /usr
check_inside "$scratch/usr" /usr /etc/archiver
[ "$(find "$scratch/usr/etc" -type f)" = "$scratch/usr/etc/archiver/archiver.toml" ] ||
  fail "/usr: /etc holds more than archiver/archiver.toml"

if [ "$failures" -ne 0 ]; then
  echo "$failures failures"
  exit 1
fi
echo "install layout ok for $configured_prefix, /opt/archiver-test and /usr"
