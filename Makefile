# SPDX-License-Identifier: GPL-2.0
#
# edgeward: kernel module, user space, selftests.
#
#   make                  build edgeward.ko for KERNELRELEASE, libedgeward,
#                         edgewardctl and the selftests
#   make KERNELRELEASE=R  the same for any kernel whose headers are installed
#   make check            every test: unit, static, DKMS, VM selftests on 6.1
#                         and 6.12; ends with "N passed, N failed"
#   make demo             boot a VM, load the module, register a module
#                         cgroup, show edgewardctl status and list
#   make deps             install the Debian packages everything needs
#   make dkms-install     install the module with DKMS (root)
#   make install          install edgewardctl (DESTDIR, PREFIX)
#   make bench            build the benchmarks (run them in the VM, see bench/)

TOP := $(CURDIR)
BUILD := $(TOP)/build
VERSION := $(shell sed -n 's/^\#define EDGEWARD_VERSION "\(.*\)"/\1/p' kmod/version.h)

# Only resolved when a kernel is needed, so "make deps" works on a bare host.
KERNELRELEASE ?= $(shell scripts/kernels newest 2>/dev/null)
KERNELS = $(shell scripts/kernels)

all: kmod userspace selftests bench

deps:
	@scripts/setup-deps -q

kmod: deps
	@test -n "$(KERNELRELEASE)" || { echo "no supported kernel headers installed (make deps)" >&2; exit 1; }
	$(MAKE) -C kmod KVER=$(KERNELRELEASE) O_MOD=$(BUILD)/kmod/$(KERNELRELEASE)

# The module for every supported kernel, for the VM tests, and its test
# build (test_keys: the .edgeward keyring takes self-signed test keys).
kmod-all: deps
	@for k in $(KERNELS); do \
		$(MAKE) -C kmod KVER=$$k O_MOD=$(BUILD)/kmod/$$k || exit 1; \
		$(MAKE) -C kmod KVER=$$k O_MOD=$(BUILD)/kmod/$$k-testkeys EW_TEST_KEYS=1 || exit 1; \
	done

userspace: deps
	$(MAKE) -C userspace O=$(BUILD)/userspace

selftests: userspace
	$(MAKE) -C selftests O=$(BUILD)/selftests LIBDIR=$(BUILD)/userspace

bench: userspace
	$(MAKE) -C bench O=$(BUILD)/bench LIBDIR=$(BUILD)/userspace

check: kmod-all userspace selftests
	@scripts/run-checks

demo: kmod userspace
	@scripts/demo $(KERNELRELEASE)

dkms-install: deps
	rm -rf /usr/src/edgeward-$(VERSION)
	scripts/dkms-source /usr/src/edgeward-$(VERSION)
	dkms status -m edgeward -v $(VERSION) | grep -q . || dkms add -m edgeward -v $(VERSION)
	dkms build -m edgeward -v $(VERSION) -k $(KERNELRELEASE)
	dkms install -m edgeward -v $(VERSION) -k $(KERNELRELEASE) --force

dkms-uninstall:
	dkms remove -m edgeward -v $(VERSION) --all
	rm -rf /usr/src/edgeward-$(VERSION)

install: userspace
	$(MAKE) -C userspace O=$(BUILD)/userspace install

clean:
	rm -rf $(BUILD)
	$(MAKE) -C kmod clean 2>/dev/null || true

.PHONY: all deps kmod kmod-all userspace selftests bench check demo dkms-install \
	dkms-uninstall install clean
