#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What "make install DESTDIR=ROOT PREFIX=/usr" must have put in ROOT
# (docs/install.md): each file, and the programs runnable. Exit 0 or 1,
# saying what is missing.
set -uo pipefail
root=$1
missing=0
for f in usr/bin/eductl usr/bin/mkedufw usr/libexec/edu/edu-upcall usr/lib/libedu.a \
	usr/lib/pkgconfig/libedu.pc usr/include/libedu.h usr/include/linux/edu.h \
	lib/firmware/edu/edu-fw.bin lib/udev/rules.d/60-edu.rules \
	usr/share/man/man1/eductl.1 usr/share/man/man1/mkedufw.1 usr/share/man/man4/edu.4 \
	usr/share/bash-completion/completions/eductl; do
	[ -f "$root/$f" ] || { echo "missing: $f"; missing=1; }
done
[ "$missing" -eq 0 ] &&
	"$root/usr/bin/eductl" --version &&
	"$root/usr/bin/mkedufw" verify "$root/lib/firmware/edu/edu-fw.bin" &&
	grep -qx "prefix=/usr" "$root/usr/lib/pkgconfig/libedu.pc"
