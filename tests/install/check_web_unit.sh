#!/usr/bin/env bash
# archiver-web.service, as cmake configured it: it serves with the installed binary and config
# as the archiver user, restarts on failure, may listen on IPv4 and IPv6 only, and nothing is made
# writable for it (ProtectSystem=strict with no state, runtime, cache or read-write folder).
# Its sandbox score is checked by check_unit_security.sh.
set -euo pipefail
unit=$1
prefix=$2
if [ "$prefix" = /usr ]; then config=/etc/archiver/archiver.toml; else
  config=$prefix/etc/archiver/archiver.toml
fi

failures=0
has() {
  grep -q -x -F "$1" "$unit" || {
    echo "FAIL: $(basename "$unit") lacks the line $1"
    failures=$((failures + 1))
  }
}
has "ExecStart=$prefix/bin/archiver --config $config serve"
has "User=archiver"
has "Group=archiver"
has "Restart=on-failure"
has "After=archiver.service"
has "ProtectSystem=strict"
has "RestrictAddressFamilies=AF_INET AF_INET6"
has "IPAddressDeny=any"
has "IPAddressAllow=localhost"
has "WantedBy=multi-user.target"
if grep -E '^(Requires|BindsTo|Requisite)=' "$unit"; then
  echo "FAIL: the web interface must start without the daemon"
  failures=$((failures + 1))
fi
if grep -E '^(ReadWritePaths|StateDirectory|RuntimeDirectory|CacheDirectory|LogsDirectory|ConfigurationDirectory)=' "$unit"; then
  echo "FAIL: nothing may be writable for the web interface"
  failures=$((failures + 1))
fi
systemd-analyze verify "$unit" 2>&1 | grep -v -E 'is not executable|man archiver|Command .* failed' |
  grep . && {
  echo "FAIL: systemd-analyze verify complains"
  failures=$((failures + 1))
}
[ "$failures" -eq 0 ] || exit 1
echo "$(basename "$unit") ok"
