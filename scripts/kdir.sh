#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The kernel build directory to use when KDIR is not given: the running
# kernel's, or (in a container, where there is none) the newest installed
# Debian linux-headers-*-amd64.
d=/lib/modules/$(uname -r)/build
if [ -e "$d/Makefile" ]; then
	echo "$d"
	exit 0
fi
# shellcheck disable=SC2012
d=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n1)
[ -n "$d" ] && echo "$d"
