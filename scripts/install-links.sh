#!/bin/sh
# Install the single executable's names into a directory of your choice:
#
#   scripts/install-links.sh [-c] DIR [BINARY]
#
# Creates DIR/xl, DIR/xlsim, DIR/xentop and DIR/xenstore-{ls,read,write,rm,list}
# as symlinks to BINARY (default: build/xlsim from `npm run build:sea`); the
# binary picks the tool from the name it is invoked under. With -c the binary
# is first copied to DIR/xlsim, so DIR does not depend on this checkout.
# Existing symlinks are replaced; any other existing file stops the script.
# Do not install into a directory that holds a real Xen toolstack.
set -eu

copy=
if [ "${1-}" = "-c" ]; then copy=1; shift; fi
if [ $# -lt 1 ] || [ $# -gt 2 ] || [ "${1#-}" != "$1" ]; then
	echo "usage: $0 [-c] DIR [BINARY]" >&2
	exit 2
fi
dir=$1
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${2:-$here/build/xlsim}
if [ ! -x "$bin" ]; then
	echo "$0: $bin is missing or not executable (run: npm run build:sea)" >&2
	exit 1
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac

tools="xl xlsim xentop xenstore-ls xenstore-read xenstore-write xenstore-rm xenstore-list"
for t in $tools; do
	if [ -e "$dir/$t" ] && [ ! -L "$dir/$t" ]; then
		if [ -n "$copy" ] && [ "$t" = xlsim ]; then continue; fi
		echo "$0: $dir/$t exists and is not a symlink; not replacing it" >&2
		exit 1
	fi
done
target=$bin
if [ -n "$copy" ]; then
	rm -f "$dir/xlsim.new"
	cp "$bin" "$dir/xlsim.new"
	chmod 755 "$dir/xlsim.new"
	mv -f "$dir/xlsim.new" "$dir/xlsim"
	target=xlsim
fi
for t in $tools; do
	if [ -n "$copy" ] && [ "$t" = xlsim ]; then continue; fi
	ln -sfn "$target" "$dir/$t"
done
echo "installed $tools in $dir"
