#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: build everything, boot Debian's kernel (CLIPPER_DEMO_KERNEL,
# default 6.12) in QEMU and run selftests/demo.sh there.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
series=${CLIPPER_DEMO_KERNEL:-6.12}

scripts/deps.sh
kv=$(scripts/kernels.sh kver "$series")
make -s module KDIR="/usr/src/linux-headers-$kv" >/dev/null
make -s -C xt-ext >/dev/null
make -s -C cli >/dev/null
exec selftests/vm/run-vm.sh -k "$series" -m "build/$kv/xt_CLIPPER.ko" -t 600 -- selftests/demo.sh
