#!/usr/bin/env bash
# `cpack -G DEB` from the build folder makes a package for /usr that holds what a Debian program
# holds, and whose maintainer scripts do their work (in a scratch root, as dpkg --root would: the
# system this runs on is never touched). Then lintian: no error, no warning.
set -uo pipefail
build_dir=$1
version=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
finish() {
  if [ "$failures" -ne 0 ]; then
    echo "$failures failures"
    exit 1
  fi
}

if ! cpack --config "$build_dir/CPackConfig.cmake" -B "$scratch/out" >"$scratch/cpack.log" 2>&1; then
  cat "$scratch/cpack.log"
  fail "cpack failed"
  finish
fi
debs=("$scratch"/out/*.deb)
if [ ${#debs[@]} -ne 1 ] || [ ! -f "${debs[0]}" ]; then
  fail "cpack made ${#debs[@]} packages"
  finish
fi
deb=${debs[0]}
arch=$(dpkg --print-architecture)
[ "$(basename "$deb")" = "archiver_${version}_${arch}.deb" ] ||
  fail "package file named $(basename "$deb"), not archiver_${version}_${arch}.deb"

# The files: every one in its Debian place, none elsewhere.
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$scratch/files"
for file in /usr/bin/archiver /usr/lib/systemd/system/archiver.service \
  /usr/lib/systemd/system/archiver-web.service /usr/lib/sysusers.d/archiver.conf \
  /usr/lib/tmpfiles.d/archiver.conf /etc/archiver/archiver.toml \
  /usr/share/man/man1/archiver.1.gz /usr/share/bash-completion/completions/archiver \
  /usr/share/doc/archiver/copyright /usr/share/doc/archiver/changelog.gz \
  /usr/share/doc/archiver/README.md /usr/share/doc/archiver/schema.md \
  /usr/share/lintian/overrides/archiver; do
  grep -q -x -F "$file" "$scratch/files" || fail "the package lacks $file"
done
if grep -v -E '^/(usr|usr/.*|etc/|etc/archiver/.*)$' "$scratch/files"; then
  fail "files outside /usr and /etc/archiver"
fi

# The control fields.
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = archiver ] || fail "Package is $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version is $(field Version), not $version"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture is $(field Architecture)"
[ "$(field Section)" = web ] || fail "Section is $(field Section)"
[[ $(field Maintainer) == *"<"*"@"*">" ]] || fail "Maintainer is '$(field Maintainer)'"
depends=$(field Depends)
for dependency in "libc6 (" "libsqlite3-0" "libcurl4" "systemd | systemd-sysusers" \
  "systemd | systemd-tmpfiles"; do
  [[ $depends == *"$dependency"* ]] || fail "Depends lacks $dependency: $depends"
done
[ "$(field Description | head -n 1)" = "crawler and archive of Chinese union newspapers" ] ||
  fail "Description's summary is '$(field Description | head -n 1)'"

# The control archive: the config is a conffile; the maintainer scripts are executable POSIX sh.
dpkg-deb -e "$deb" "$scratch/control"
[ "$(cat "$scratch/control/conffiles")" = /etc/archiver/archiver.toml ] ||
  fail "conffiles is not /etc/archiver/archiver.toml: $(cat "$scratch/control/conffiles")"
for script in postinst prerm postrm; do
  path=$scratch/control/$script
  [ -x "$path" ] || { fail "no executable $script"; continue; }
  [ "$(head -n 1 "$path")" = "#!/bin/sh" ] || fail "$script is not a #!/bin/sh script"
  grep -q -x 'set -e' "$path" || fail "$script lacks set -e"
  sh -n "$path" || fail "$script: sh -n finds a syntax error"
  shellcheck -s sh "$path" || fail "shellcheck finds fault with $script"
done

# The extracted package: the binary runs, the units name it and the config the CLI reads by
# default, the example config is valid, the man page and the completion are readable.
root=$scratch/root
dpkg-deb -x "$deb" "$root"
[ "$("$root/usr/bin/archiver" --version)" = "archiver $version" ] ||
  fail "archiver --version says '$("$root/usr/bin/archiver" --version)'"
"$root/usr/bin/archiver" --help | grep -q -F /etc/archiver/archiver.toml ||
  fail "the packaged archiver does not read /etc/archiver/archiver.toml by default"
"$root/usr/bin/archiver" --config "$root/etc/archiver/archiver.toml" check-config >/dev/null ||
  fail "the packaged config does not pass check-config"
for unit in archiver:run archiver-web:serve; do
  grep -q -x "ExecStart=/usr/bin/archiver --config /etc/archiver/archiver.toml ${unit#*:}" \
    "$root/usr/lib/systemd/system/${unit%%:*}.service" ||
    fail "${unit%%:*}.service does not run /usr/bin/archiver with /etc/archiver/archiver.toml"
done
MANWIDTH=80 man -l "$root/usr/share/man/man1/archiver.1.gz" 2>/dev/null | grep -q '^NAME' ||
  fail "man cannot read the packaged archiver.1.gz"
bash -n "$root/usr/share/bash-completion/completions/archiver" || fail "the completion is no bash"

# The maintainer scripts in the extracted tree as dpkg would run them with --root (DPKG_ROOT):
# install, configure again (an upgrade), remove, purge.
maintscript() {  # NAME ARGS...
  DPKG_ROOT=$root DPKG_MAINTSCRIPT_PACKAGE=archiver DPKG_MAINTSCRIPT_NAME=$1 \
    sh "$scratch/control/$1" "${@:2}" >>"$scratch/maintscripts.log" 2>&1 ||
    fail "$1 $* failed: $(cat "$scratch/maintscripts.log")"
}
wants=$root/etc/systemd/system/multi-user.target.wants
maintscript postinst configure
grep -q '^archiver:x:[0-9]*:[0-9]*:.*:/var/lib/archiver:' "$root/etc/passwd" ||
  fail "postinst made no archiver user"
grep -q '^archiver:x:' "$root/etc/group" || fail "postinst made no archiver group"
[ "$(stat -c %a "$root/var/lib/archiver" 2>/dev/null)" = 750 ] ||
  fail "postinst made no /var/lib/archiver with mode 0750"
[ -L "$wants/archiver.service" ] || fail "postinst did not enable archiver.service"
[ ! -e "$wants/archiver-web.service" ] || fail "postinst enabled archiver-web.service"
cp "$root/etc/passwd" "$scratch/passwd"
maintscript postinst configure "$version"
cmp -s "$root/etc/passwd" "$scratch/passwd" || fail "postinst run again changed /etc/passwd"
[ -L "$wants/archiver.service" ] || fail "archiver.service is no longer enabled after an upgrade"
maintscript prerm remove
maintscript postrm remove
maintscript postrm purge
[ ! -e "$wants/archiver.service" ] || fail "archiver.service is still enabled after purge"
[ -z "$(ls -A "$root/etc/systemd/system" 2>/dev/null)" ] ||
  fail "purge left $(ls -A "$root/etc/systemd/system")"
[ -d "$root/var/lib/archiver" ] || fail "purge removed the archive folder (it must stay)"

# lintian: no error and no warning (packaging/deb/lintian-overrides says why a tag does not apply).
# scripts/setup installs it: a package test without it would pass for want of looking.
command -v lintian >/dev/null || fail "lintian is not installed (run scripts/setup)"
# (As root it says that is not recommended; it checks all the same.)
lintian --fail-on error,warning "$deb" || fail "lintian finds errors or warnings"

finish
echo "$(basename "$deb") ok"
