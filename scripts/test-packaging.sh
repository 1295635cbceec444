#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host tests of what an operator installs besides the module: the man
# pages, the systemd unit, "make -C cli install" and dkms.conf, and that
# the documentation stays in step with the code:
#
#  - groff -ww finds nothing to warn about in clipper.8 and in
#    libxt_CLIPPER.man (set in a page as iptables-extensions(8) sets it);
#  - every command form that "clipper OBJECT help" prints is a heading of
#    clipper.8, and every heading is such a form; so are the options of
#    "clipper -h", and every option of libxt_CLIPPER.c in its man page;
#  - "make -C cli install DESTDIR=..." puts the tool, the completion, the
#    man page and the unit in place, with the unit calling the installed
#    tool, and "uninstall" takes them all away;
#  - systemd-analyze verify accepts the unit (or, without it, the unit
#    has only known sections and keys);
#  - dkms.conf, sourced as dkms does, names the package and module with
#    the version of kmod/version.h;
#  - Documentation/index.rst lists every page, each has its SPDX line,
#    and docutils (when installed) parses every page without a warning.
#
# Needs cli/clipper built (make -C cli).  Prints TAP; the exit status is
# non-zero if a test failed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
export LC_ALL=C
PATH=$PATH:/usr/sbin:/sbin

n=0
failed=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {		# not_ok DESC [FILE]: the file as diagnostics
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	if [ -n "${2:-}" ] && [ -s "$2" ]; then
		head -n 20 "$2" | sed 's/^/#   /'
	fi
}

skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

# check DESC FILE: ok when FILE (the problems found) is empty
check() {
	if [ -s "$2" ]; then
		not_ok "$1" "$2"
	else
		ok "$1"
	fi
}

MAN=Documentation/man/clipper.8
XTMAN=xt-ext/libxt_CLIPPER.man
CLI=cli/clipper

# render MANFILE: plain text, lines not broken (wide) nor hyphenated
render() {
	groff -man -Tascii -P-c -rLL=2000n "$1" 2>/dev/null | sed 's/.\x08//g'
}

# section NAME: the lines of one section of the rendered page on stdin
section() {
	awk -v s="$1" '/^[A-Z]/ { on = ($0 == s) ; next } on'
}

squeeze() {
	sed -E 's/^ +//; s/ +$//; s/ +/ /g'
}

# The xtables extension's part, as iptables-extensions(8) holds it.
{
	printf '.TH XT 8\n.SH "TARGET EXTENSIONS"\n.SS CLIPPER\n'
	cat "$XTMAN"
} > "$tmp/xt.8"

if ! command -v groff > /dev/null; then
	skip "man pages" "groff is not installed (apt-get install groff-base)"
else
	groff -man -ww -z "$MAN" > "$tmp/out" 2>&1
	check "groff -man -ww: clipper.8 has no warnings" "$tmp/out"
	groff -man -ww -z "$tmp/xt.8" > "$tmp/out" 2>&1
	check "groff -man -ww: libxt_CLIPPER.man has no warnings" "$tmp/out"

	if [ ! -x "$CLI" ]; then
		not_ok "cli/clipper is built (make -C cli)"
	else
		# the command forms, one a line, without "clipper "
		objects=$("$CLI" -h | sed -n 's/.*OBJECT := { \(.*\) }.*/\1/p' | tr -d '|')
		for o in $objects; do
			"$CLI" help "$o" | sed -n -E 's/^(Usage:)? +clipper //p'
		done | squeeze | sort -u > "$tmp/forms"
		render "$MAN" | section COMMANDS | grep -E '^ {7}clipper ' |
			sed 's/^ *clipper //' | squeeze | sort -u > "$tmp/headings"
		if [ -z "$objects" ] || [ ! -s "$tmp/forms" ]; then
			not_ok "clipper -h and clipper OBJECT help list the commands"
		else
			comm -23 "$tmp/forms" "$tmp/headings" | sed 's/^/missing: clipper /' > "$tmp/out"
			check "clipper.8 has every command of clipper -h ($(wc -l < "$tmp/forms") forms)" "$tmp/out"
			comm -13 "$tmp/forms" "$tmp/headings" | sed 's/^/not in the tool: clipper /' > "$tmp/out"
			check "clipper.8 has no command the tool lacks" "$tmp/out"
		fi

		# "-j[son]" is -j and --json
		"$CLI" -h | sed -n '/OPTIONS :=/,$p' | grep -oE -- '-[a-zA-Z]\[[a-z]+\]' |
			sed -E 's/^-(.)\[(.*)\]$/-\1, --\l\1\2/' > "$tmp/opts"
		render "$MAN" | section OPTIONS | squeeze > "$tmp/optsec"
		while read -r o; do
			grep -q -E -- "^$o( |\$)" "$tmp/optsec" || echo "missing: $o"
		done < "$tmp/opts" > "$tmp/out"
		[ -s "$tmp/opts" ] || echo "no options found in clipper -h" >> "$tmp/out"
		check "clipper.8 describes every option of clipper -h" "$tmp/out"

		# the words of "SETTING VALUE := { mac-max N | ... }"
		"$CLI" help config | sed -n '/SETTING VALUE :=/,/}/p' | sed 's/.*:=//' |
			grep -oE '[a-z]+(-[a-z]+)+ ' | sort -u > "$tmp/settings"
		render "$MAN" | section COMMANDS | squeeze > "$tmp/cmdsec"
		while read -r w; do
			grep -q -E "^$w( |\$)" "$tmp/cmdsec" || echo "missing: config set $w"
		done < "$tmp/settings" > "$tmp/out"
		[ -s "$tmp/settings" ] || echo "no settings found in clipper help config" >> "$tmp/out"
		check "clipper.8 describes every setting of clipper config set" "$tmp/out"
	fi

	sed -n 's/.*\.name = "\([a-z-]*\)".*/\1/p' xt-ext/libxt_CLIPPER.c > "$tmp/xtopts"
	render "$tmp/xt.8" | squeeze > "$tmp/xttext"
	while read -r o; do
		grep -q -E -- "^--$o( |\$)" "$tmp/xttext" || echo "missing: --$o"
	done < "$tmp/xtopts" > "$tmp/out"
	[ -s "$tmp/xtopts" ] || echo "no options found in libxt_CLIPPER.c" >> "$tmp/out"
	check "libxt_CLIPPER.man describes every option of libxt_CLIPPER.c" "$tmp/out"
fi

# make -C cli install / uninstall into a DESTDIR
root=$tmp/root
if make -s -C cli install DESTDIR="$root" PREFIX=/usr > "$tmp/out" 2>&1; then
	for f in usr/sbin/clipper usr/share/man/man8/clipper.8 \
		 usr/share/bash-completion/completions/clipper \
		 lib/systemd/system/clipper.service; do
		[ -f "$root/$f" ] || echo "not installed: /$f"
	done > "$tmp/out"
	grep -q '^ExecStart=/usr/sbin/clipper restore ' "$root/lib/systemd/system/clipper.service" 2>/dev/null ||
		echo "the unit does not run /usr/sbin/clipper" >> "$tmp/out"
	check "make -C cli install: tool, completion, man page, unit calling the installed tool" "$tmp/out"
	make -s -C cli uninstall DESTDIR="$root" PREFIX=/usr > "$tmp/out" 2>&1
	find "$root" ! -type d >> "$tmp/out"
	check "make -C cli uninstall removes all of it" "$tmp/out"
else
	not_ok "make -C cli install DESTDIR=..." "$tmp/out"
fi

# the systemd unit, calling the tool built here
UNIT=packaging/systemd/clipper.service
mkdir -p "$tmp/unit" "$tmp/man/man8"
sed "s|/usr/local/sbin/clipper|$top/$CLI|" "$UNIT" > "$tmp/unit/clipper.service"
cp "$MAN" "$tmp/man/man8/"
printf '[Unit]\nDescription=probe\n[Service]\nType=oneshot\nExecStart=/bin/true\n' > "$tmp/unit/probe.service"
if command -v systemd-analyze > /dev/null &&
   systemd-analyze verify "$tmp/unit/probe.service" > /dev/null 2>&1; then
	MANPATH=$tmp/man systemd-analyze verify "$tmp/unit/clipper.service" > "$tmp/out" 2>&1 ||
		echo "systemd-analyze verify failed" >> "$tmp/out"
	check "systemd-analyze verify clipper.service" "$tmp/out"
else
	# no systemd-analyze, or one that cannot run here: known keys only
	awk '
	BEGIN {
		split("Description Documentation DefaultDependencies Wants Requires After Before Conflicts ConditionPathExists", k)
		for (i in k) ok["Unit." k[i]] = 1
		split("Type RemainAfterExit ExecStartPre ExecStart ExecReload ExecStop", k)
		for (i in k) ok["Service." k[i]] = 1
		split("WantedBy RequiredBy Alias", k)
		for (i in k) ok["Install." k[i]] = 1
	}
	/^[#;]/ || /^[ \t]*$/ { next }
	/^\[(Unit|Service|Install)\]$/ { sec = substr($0, 2, length($0) - 2); next }
	/^\[/ { print FILENAME ":" FNR ": unknown section " $0; next }
	!/^[A-Za-z]+=/ { print FILENAME ":" FNR ": not KEY=VALUE: " $0; next }
	{
		key = substr($0, 1, index($0, "=") - 1)
		if (!((sec "." key) in ok))
			print FILENAME ":" FNR ": unknown key " key " in [" sec "]"
	}' "$UNIT" > "$tmp/out"
	for s in Unit Service Install; do
		grep -q "^\[$s\]$" "$UNIT" || echo "no [$s] section" >> "$tmp/out"
	done
	check "clipper.service has known sections and keys (no usable systemd-analyze)" "$tmp/out"
fi

# dkms.conf, sourced by bash as dkms sources it
version=$(sed -n 's/^#define CLIPPER_VERSION "\(.*\)"$/\1/p' kmod/version.h)
got=$(cd / && bash -c '. "$1" && echo "$PACKAGE_NAME $PACKAGE_VERSION ${BUILT_MODULE_NAME[0]} ${DEST_MODULE_LOCATION[0]} $AUTOINSTALL"' \
	sh "$top/dkms.conf" 2>&1)
want="clipper $version xt_CLIPPER /updates/dkms yes"
if [ "$got" = "$want" ]; then
	ok "dkms.conf: $want"
else
	echo "got:  $got" > "$tmp/out"
	echo "want: $want" >> "$tmp/out"
	not_ok "dkms.conf: $want" "$tmp/out"
fi

# the reStructuredText pages; docutils reads them all
RST_PAGES=(Documentation/*.rst)
for f in Documentation/*.rst; do
	p=$(basename "$f" .rst)
	[ "$p" = index ] || grep -q -x "   $p" Documentation/index.rst || echo "$f: not in the toctree of index.rst"
	head -n1 "$f" | grep -q -x '.. SPDX-License-Identifier: GPL-2.0' || echo "$f: no SPDX line"
done > "$tmp/out"
check "Documentation/index.rst lists every page; every page has its SPDX line" "$tmp/out"

if python3 -c 'import docutils' 2> /dev/null; then
	python3 - "${RST_PAGES[@]}" > "$tmp/out" 2>&1 <<'EOF'
# Sphinx's :doc: role and toctree directive, as no-ops, then each page
# through docutils with every message of level "warning" and up printed.
import sys
from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives, roles


def doc_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    return [nodes.literal(rawtext, text)], []


class TocTree(Directive):
    has_content = True
    option_spec = {'maxdepth': directives.unchanged}

    def run(self):
        return []


roles.register_local_role('doc', doc_role)
directives.register_directive('toctree', TocTree)
for path in sys.argv[1:]:
    with open(path, encoding='utf-8') as f:
        publish_doctree(f.read(), source_path=path,
                        settings_overrides={'report_level': 2,
                                            'halt_level': 5,
                                            'warning_stream': sys.stdout})
EOF
	check "docutils parses every page without warnings" "$tmp/out"
else
	skip "docutils parses every page without warnings" "python3-docutils is not installed"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
