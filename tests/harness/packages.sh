#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Debian packages on this machine: install edu-dkms, edu-utils and
# libedu-dev from DEBDIR, check that DKMS built the module against the
# installed headers of each Debian kernel, that the files are where the
# packages say, that the tools run and that a program builds against
# libedu; then purge them and check that nothing stays. TAP lines
# "ok - packages.NAME".
# Usage: packages.sh DEBDIR VERSION KREL...   (as root: dpkg)
#
# A machine that already has the packages, or the module installed some
# other way, is left alone: the test fails and says so, unless
# EDU_PACKAGES_FORCE=1 lets it purge them (docs/install.md).
set -uo pipefail
debdir=$1 version=$2
shift 2
krels=("$@")
pkgs=(edu-dkms edu-utils libedu-dev)
tmp=$(mktemp -d)

result() {	# NAME STATUS [DIAGNOSTIC FILE]
	if [ "$2" -eq 0 ]; then
		echo "ok - packages.$1"
	else
		echo "not ok - packages.$1"
		[ -n "${3:-}" ] && [ -s "$3" ] && sed 's/^/# /' "$3" | tail -n 20
	fi
}

# What an install of ours, by package or by hand, leaves on a machine.
installed_before() {
	local p
	for p in "${pkgs[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "installed" &&
			echo "package $p is installed"
	done
	[ -e /var/lib/dkms/edu ] && echo "/var/lib/dkms/edu exists"
	compgen -G "/usr/src/edu-*" >/dev/null && echo "/usr/src/edu-* exists"
	compgen -G "/lib/modules/*/updates/edu.ko" >/dev/null && echo "an edu.ko in updates/"
	return 0
}
installed_before >"$tmp/before.log"
if [ -s "$tmp/before.log" ] && [ "${EDU_PACKAGES_FORCE:-0}" != 1 ]; then
	echo "this machine has the edu stack installed already; purge it, or set" \
		"EDU_PACKAGES_FORCE=1 to let the test replace it" >>"$tmp/before.log"
	result machine_clean 1 "$tmp/before.log"
	rm -rf "$tmp"
	exit 0
fi
result machine_clean 0

purge() {
	dpkg --purge "${pkgs[@]}" >"$tmp/purge.log" 2>&1
}
purge
trap 'purge; rm -rf "$tmp"' EXIT

# (Subshells: a check that fails exits its own.)
# One version everywhere: the UAPI header (passed in), DKMS and the packages.
(
	grep -qx "PACKAGE_VERSION=\"$version\"" driver/dkms.conf &&
		for p in "${pkgs[@]}"; do
			[ "$(dpkg-deb -f "$debdir/${p}_${version}"_*.deb Version)" = "$version" ] || exit 1
		done
) >"$tmp/version.log" 2>&1
result version_consistent $? "$tmp/version.log"

dpkg -i "$debdir"/edu-dkms_"$version"_all.deb "$debdir"/edu-utils_"$version"_*.deb \
	"$debdir"/libedu-dev_"$version"_*.deb >"$tmp/install.log" 2>&1
result install $? "$tmp/install.log"

# DKMS built and installed it against each kernel's headers: the vermagic
# is the kernel's release. The package's postinst builds for the running
# kernel and the newest; another kernel is DKMS's by "dkms install".
for krel in "${krels[@]}"; do
	(
		status=$(dkms status -m edu -v "$version" -k "$krel")
		if ! grep -q ": installed" <<<"$status"; then
			echo "not built by the postinst: dkms install -k $krel"
			dkms install -m edu -v "$version" -k "$krel" || exit 1
		fi
		modinfo -k "$krel" edu >"$tmp/modinfo" || exit 1
		grep -E "^(filename|version|firmware|vermagic):" "$tmp/modinfo"
		grep -q "^filename: *.*/lib/modules/$krel/updates/dkms/edu.ko" "$tmp/modinfo" &&
			grep -q "^version: *$version\$" "$tmp/modinfo" &&
			grep -q "^firmware: *edu/edu-fw.bin\$" "$tmp/modinfo" &&
			grep -q "^vermagic: *$krel " "$tmp/modinfo"
	) >"$tmp/dkms.log" 2>&1
	result "dkms_module_${krel//[-.]/_}" $? "$tmp/dkms.log"
done

# Every file each package lists is there, and the ones the docs name are in it.
expect_edu_utils="/usr/bin/eductl /usr/bin/mkedufw /usr/libexec/edu/edu-upcall
	/lib/firmware/edu/edu-fw.bin /lib/udev/rules.d/60-edu.rules
	/usr/share/man/man4/edu.4.gz /usr/share/man/man1/mkedufw.1.gz /usr/share/man/man1/eductl.1.gz
	/usr/share/bash-completion/completions/eductl"
expect_libedu_dev="/usr/include/libedu.h /usr/include/linux/edu.h
	/usr/lib/x86_64-linux-gnu/libedu.a /usr/lib/x86_64-linux-gnu/pkgconfig/libedu.pc"
expect_edu_dkms="/usr/src/edu-$version/dkms.conf /usr/src/edu-$version/Kbuild
	/usr/src/edu-$version/uapi/linux/edu.h"
for p in "${pkgs[@]}"; do
	var=expect_${p//-/_}
	(
		dpkg -L "$p" >"$tmp/list" || exit 1
		while read -r f; do
			[ -e "$f" ] || { echo "$f: listed, missing"; exit 1; }
		done <"$tmp/list"
		for f in ${!var}; do
			grep -qx "$f" "$tmp/list" || { echo "$f: not in $p"; exit 1; }
		done
	) >"$tmp/files.log" 2>&1
	result "files_${p//-/_}" $? "$tmp/files.log"
done

# The tools run (the upcall helper is the kernel's to run: only linked), the
# installed image is one mkedufw accepts, and the group the rule names exists.
(
	/usr/bin/eductl --help | grep -q factorial &&
		[ "$(/usr/bin/eductl --version)" = "eductl $version" ] &&
		! ldd /usr/libexec/edu/edu-upcall | grep -q "not found" &&
		/usr/bin/mkedufw verify /lib/firmware/edu/edu-fw.bin &&
		getent group edu &&
		grep -q 'GROUP="edu", MODE="0660"' /lib/udev/rules.d/60-edu.rules
) >"$tmp/utils.log" 2>&1
result utils_work $? "$tmp/utils.log"

# A program builds against libedu-dev through pkg-config alone, with the
# package's files (not a make install under /usr/local).
cat >"$tmp/use.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include <libedu.h>

int main(void)
{
	char name[32];

	if (edu_parse_devname("/dev/edu3", name) || strcmp(name, "edu3"))
		return 1;
	printf("%s %s\n", name, EDU_VERSION);
	return 0;
}
EOF
(
	export PKG_CONFIG_LIBDIR=/usr/lib/x86_64-linux-gnu/pkgconfig:/usr/share/pkgconfig
	[ "$(pkg-config --modversion libedu)" = "$version" ] &&
		[ "$(pkg-config --variable=libdir libedu)" = /usr/lib/x86_64-linux-gnu ] &&
		gcc -M $(pkg-config --cflags libedu) "$tmp/use.c" >"$tmp/deps" &&
		grep -q " /usr/include/libedu.h" "$tmp/deps" &&
		grep -q " /usr/include/linux/edu.h" "$tmp/deps" &&
		gcc -Wall -Werror -o "$tmp/use" "$tmp/use.c" $(pkg-config --cflags --libs libedu) &&
		[ "$("$tmp/use")" = "edu3 $version" ]
) >"$tmp/dev.log" 2>&1
result libedu_dev_builds $? "$tmp/dev.log"

# Purged, nothing stays: no module, no DKMS tree, no files.
purge
(
	for krel in "${krels[@]}"; do
		[ ! -e "/lib/modules/$krel/updates/dkms/edu.ko" ] || exit 1
	done
	[ ! -e "/var/lib/dkms/edu" ] && [ ! -e /usr/bin/eductl ] && [ ! -e /usr/src/edu-"$version" ]
) >>"$tmp/purge.log" 2>&1
result purge_clean $? "$tmp/purge.log"
# The results say what failed; a non-zero exit means the script broke.
exit 0
