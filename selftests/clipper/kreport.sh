# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The kernel log lines that mean a bug report, in one place (sourced by
# lib.sh, run_kselftest.sh and scripts/check-debug.sh):
#
#   kreport        the lines of stdin that are part of a report
#
# WARN, BUG, oops, refcount, atomic-sleep and RCU/lockdep reports, the
# sanitizers' (KASAN, UBSAN, kmemleak, debug objects, list and ref
# tracker debugging), stalls and hung tasks.  Most only a debug kernel
# prints; a stock kernel prints the first few.

KREPORT='WARNING:|BUG:|Oops|general protection|refcount_t:|scheduling while atomic'
KREPORT+='|sleeping function called from invalid context|Call Trace'
KREPORT+='|UBSAN|KASAN|kmemleak|ODEBUG|list_add corruption|list_del corruption|ref_tracker'
KREPORT+='|lockdep|possible circular locking|possible recursive locking|inconsistent lock state'
KREPORT+='|suspicious RCU usage|detected stall|blocked for more than'
# lines that match but are no report: an unsigned out-of-tree module taints
# the kernel; a debug kernel's banners at boot
KREPORT_NOT='module verification failed|RCU lockdep checking is enabled'
KREPORT_NOT+='|kmemleak: (Kernel memory leak detector initialized|Automatic memory scanning thread)'

kreport() {
	grep -E "$KREPORT" | grep -vE "$KREPORT_NOT"
}
