# SPDX-License-Identifier: GPL-2.0
#
# clipper: xt_CLIPPER.ko, libxt_CLIPPER.so and the clipper tool.
#
#   make [KDIR=/path/to/kernel/build]   build all three
#   make install | uninstall            (DESTDIR, PREFIX honoured; the man
#                                       page and the systemd unit come with
#                                       cli/: MANDIR, SYSTEMDUNITDIR)
#   make check                          builds for every Debian kernel,
#                                       5.10 to 7.x; host tests; the VM
#                                       selftests on all of them (the whole
#                                       suite on 5.10 and 7.3)
#   make check-kernels                  the same, the whole suite on
#                                       every kernel
#   make demo                           client-router-server demo in a VM
#   make bench                          per-packet cost against stock
#                                       netfilter, in one VM (bench/run.sh)
#   make style                          checkpatch over the kernel sources
#   make gen                            the files generated from the YNL
#                                       spec (scripts/ynl-gen-tables.py)
#
# The module is built in build/KVER/ so several kernels can be built from
# one tree; "make -C $KDIR M=$PWD" (the top-level Kbuild) works as well.

KDIR ?= $(shell scripts/kdir.sh)
KVER := $(shell sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
BUILD := build/$(KVER)
DEPMOD ?= /sbin/depmod

all: module xt-ext cli

module:
	@test -n "$(KVER)" || { echo "no kernel build directory: install linux-headers or set KDIR" >&2; exit 1; }
	@mkdir -p $(BUILD)/kmod
	@cp -p Kbuild $(BUILD)/
	@cp -pR kmod/. $(BUILD)/kmod/
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(BUILD) modules

xt-ext:
	$(MAKE) -C xt-ext

cli:
	$(MAKE) -C cli

module-install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(BUILD) INSTALL_MOD_DIR=updates \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install
	$(DEPMOD) $(if $(DESTDIR),-b $(DESTDIR)) -a $(KVER)

install: module-install
	$(MAKE) -C xt-ext install
	$(MAKE) -C cli install

uninstall:
	rm -f $(DESTDIR)/lib/modules/$(KVER)/updates/xt_CLIPPER.ko*
	-$(DEPMOD) $(if $(DESTDIR),-b $(DESTDIR)) -a $(KVER)
	$(MAKE) -C xt-ext uninstall
	$(MAKE) -C cli uninstall

check:
	scripts/check.sh

check-kernels:
	CLIPPER_VM_SERIES="$$(scripts/kernels.sh list)" CLIPPER_FULL_SERIES=all scripts/check.sh

# the selftests under a KASAN/lockdep/kmemleak/UBSAN kernel built from
# Debian's linux-source-6.1 (cached) and under Debian's PREEMPT_RT 6.12
check-debug:
	scripts/check-debug.sh

demo:
	scripts/demo.sh

bench:
	bench/run.sh

# cli/attrs.h, selftests/clipper/nlfuzz-spec.h and the tables of
# Documentation/netlink.rst, from Documentation/netlink/specs/clipper.yaml
gen:
	python3 scripts/ynl-gen-tables.py

style:
	scripts/checkpatch.sh kmod/*.c kmod/*.h kmod/compat/*.h \
		kmod/compat/include/linux/*.h kmod/uapi/*.h

clean:
	rm -rf build
	$(MAKE) -C xt-ext clean
	$(MAKE) -C cli clean

.PHONY: all module xt-ext cli module-install install uninstall check check-kernels check-debug demo bench gen style clean
