#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The CLIPPER target in the mangle table of iptables and ip6tables, legacy
# and nft backends: rules install, traffic passes through them (the target
# continues, counters move), iptables -S / save / restore round-trip the
# options, and invalid rules are refused with a message.
source "$(dirname "$0")/lib.sh"
require_root
require_cmd iptables-legacy iptables-nft ip6tables-legacy ip6tables-nft ping

trap cleanup_ns EXIT
modprobe xt_CLIPPER || { fail "modprobe xt_CLIPPER"; ktap_finished; }
setup_topology || { fail "topology"; ktap_finished; }
R() { ip netns exec "$router" "$@"; }

# packets counted by the first rule of mangle/FORWARD
fwd_packets() {
	R "$1" -t mangle -L FORWARD -v -x -n | awk 'NR == 3 { print $1 }'
}

OPTS=(
	"--classify"
	"--classify --mark-mask 0x1fe00"
	"--clamp-mss pmtu"
	"--clamp-mss 1360"
	"--pmtu-guard"
	"--pmtu-guard --pmtu-fix icmp,df,mss"
	"--ws-count"
	"--classify --mark-mask 0xff00 --clamp-mss pmtu --pmtu-guard --pmtu-fix df --ws-count"
)

for ipt in iptables-legacy iptables-nft ip6tables-legacy ip6tables-nft; do
	case $ipt in
	ip6*) dst=2001:db8:2::2 ;;
	*) dst=198.51.100.2 ;;
	esac
	for o in "${OPTS[@]}"; do
		# shellcheck disable=SC2086
		if ! R "$ipt" -t mangle -A FORWARD -j CLIPPER $o; then
			fail "$ipt: rule '-j CLIPPER $o' installs"
			continue
		fi
		# -S prints the rule back with the same options
		got=$(R "$ipt" -t mangle -S FORWARD | sed -n 's/^-A FORWARD -j CLIPPER *//p')
		check_eq "$ipt: -S round-trips '$o'" "$o" "$got"
		R "$ipt" -t mangle -F FORWARD
	done

	# traffic through the rule: it counts and lets everything through
	R "$ipt" -t mangle -A FORWARD -j CLIPPER --classify --clamp-mss pmtu --pmtu-guard --ws-count
	R "$ipt" -t mangle -A FORWARD
	check "$ipt: ping through a CLIPPER rule" ip netns exec "$client" ping -c 3 -i 0.2 -W 2 "$dst"
	n=$(fwd_packets "$ipt")
	check "$ipt: the rule counted the packets ($n >= 6)" test "${n:-0}" -ge 6
	n2=$(R "$ipt" -t mangle -L FORWARD -v -x -n | awk 'NR == 4 { print $1 }')
	check_eq "$ipt: the next rule saw them too (XT_CONTINUE)" "$n" "$n2"

	# save | restore gives the same rules back
	before=$(R "$ipt-save" -t mangle | grep -- '-j CLIPPER')
	R "$ipt-save" -t mangle > /tmp/clipper-save.$$
	R "$ipt" -t mangle -F
	R "$ipt-restore" < /tmp/clipper-save.$$
	after=$(R "$ipt-save" -t mangle | grep -- '-j CLIPPER')
	check_eq "$ipt: save | restore round-trips" "$before" "$after"
	R "$ipt" -t mangle -F
	rm -f /tmp/clipper-save.$$

	# refusals: by the extension
	check_fails "$ipt: -j CLIPPER with no option is refused" R "$ipt" -t mangle -A FORWARD -j CLIPPER
	out=$(R "$ipt" -t mangle -A FORWARD -j CLIPPER --mark-mask 0xff 2>&1)
	check "$ipt: --mark-mask without --classify refused with a message" grep -q -- "--classify" <<< "$out"
	out=$(R "$ipt" -t mangle -A FORWARD -j CLIPPER --pmtu-guard --pmtu-fix bogus 2>&1)
	check "$ipt: --pmtu-fix bogus refused naming it" grep -q "bogus" <<< "$out"
	out=$(R "$ipt" -t mangle -A FORWARD -j CLIPPER --clamp-mss 20 2>&1)
	check "$ipt: --clamp-mss 20 refused" grep -qi "clamp-mss" <<< "$out"
	# by the kernel: --classify needs a hook with a MAC header (the log
	# is read from here on, not cleared: that would hide earlier reports
	# from the final dmesg check)
	since=$(dmesg | wc -l)
	check_fails "$ipt: --classify in POSTROUTING refused" R "$ipt" -t mangle -A POSTROUTING -j CLIPPER --classify
	check "$ipt: the kernel said why" sh -c "dmesg | tail -n +$((since + 1)) | grep -q 'classify needs the source MAC'"
	check_fails "$ipt: --classify in OUTPUT refused" R "$ipt" -t mangle -A OUTPUT -j CLIPPER --classify
	check "$ipt: --classify in INPUT accepted" R "$ipt" -t mangle -A INPUT -j CLIPPER --classify
	# --clamp-mss pmtu needs the route
	since=$(dmesg | wc -l)
	check_fails "$ipt: --clamp-mss pmtu in PREROUTING refused" R "$ipt" -t mangle -A PREROUTING -j CLIPPER --clamp-mss pmtu
	check "$ipt: the kernel said why" sh -c "dmesg | tail -n +$((since + 1)) | grep -q 'clamp-mss pmtu needs the route'"
	check_fails "$ipt: --clamp-mss pmtu in INPUT refused" R "$ipt" -t mangle -A INPUT -j CLIPPER --clamp-mss pmtu
	check "$ipt: --clamp-mss 1200 in PREROUTING accepted" R "$ipt" -t mangle -A PREROUTING -j CLIPPER --clamp-mss 1200
	check "$ipt: --clamp-mss pmtu in POSTROUTING accepted" R "$ipt" -t mangle -A POSTROUTING -j CLIPPER --clamp-mss pmtu
	R "$ipt" -t mangle -F
done
ktap_finished
