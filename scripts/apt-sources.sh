#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Make sure APT can see bookworm-backports (Debian's 6.12 kernel lives
# there).  The mirror is taken from the machine's own bookworm entry, so
# whatever mirror the operator configured is the one used.
#
#   apt-sources.sh --mirror   print that mirror and change nothing (the
#                             chroots of scripts/chroot.sh use it too)
set -eu

suite_present() {
	grep -rqsE "^[^#]*(Suites:.*[[:space:]]|^deb[[:space:]].*[[:space:]])bookworm-backports([[:space:]]|$)" \
		/etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null
}

mirror_uri() {
	local f uri
	# deb822 first: the URIs line of a stanza whose Suites has "bookworm".
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		uri=$(awk 'BEGIN{RS=""} /Suites:[^\n]*bookworm([ \n]|$)/ && !/security/ {
			if (match($0, /URIs:[ \t]*[^ \t\n]+/)) {
				s = substr($0, RSTART, RLENGTH); sub(/URIs:[ \t]*/, "", s); print s; exit
			}}' "$f")
		[ -n "$uri" ] && { echo "$uri"; return 0; }
	done
	# one-line format
	uri=$(grep -hsE '^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?[^[:space:]]+[[:space:]]+bookworm[[:space:]]' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		sed -E 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/' | head -n1)
	[ -n "$uri" ] && { echo "$uri"; return 0; }
	return 1
}

if [ "${1:-}" = --mirror ]; then
	mirror_uri || { echo "apt-sources: no bookworm entry found to take the mirror from" >&2; exit 1; }
	exit 0
fi
if suite_present; then
	exit 0
fi
uri=$(mirror_uri) || { echo "apt-sources: no bookworm entry found to derive a backports mirror from" >&2; exit 1; }
echo "apt-sources: enabling bookworm-backports from $uri"
cat > /etc/apt/sources.list.d/clipper-backports.sources <<EOT
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
apt-get update -q >/dev/null
