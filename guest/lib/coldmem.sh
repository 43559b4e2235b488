# SPDX-License-Identifier: GPL-2.0
# Driving a coldmem (guest/bin/coldmem.c) through a FIFO: start it, send it
# commands, read its answers. One coldmem per NAME, each on its own file
# descriptor FD (3-9). Sourced; needs output.sh.

# cm_start NAME FD CMD...: run CMD (a coldmem, possibly behind spmctl exec)
# reading commands from fd FD; returns once it printed "ready" (60 s)
cm_start()
{
	local name=$1 fd=$2 i=0
	shift 2
	rm -f /tmp/$name.in /tmp/$name.out
	mkfifo /tmp/$name.in
	"$@" </tmp/$name.in >/tmp/$name.out 2>&1 &
	eval "CM_PID_$name=\$!; exec $fd>/tmp/$name.in"
	while ! grep -q '^ready' /tmp/$name.out 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 600 ] || return 1
		sleep 0.1
	done
}

# cm NAME FD COMMAND...: send a command, print its one-line answer (300 s)
cm()
{
	local name=$1 fd=$2 n i=0
	shift 2
	n=$(wc -l </tmp/$name.out)
	eval "echo \"\$*\" >&$fd"
	while [ "$(wc -l </tmp/$name.out)" -le "$n" ]; do
		i=$((i + 1))
		[ $i -le 3000 ] || return 1
		sleep 0.1
	done
	tail -n 1 /tmp/$name.out
}

# cm_stop NAME FD: tell it to exit and wait until it has
cm_stop()
{
	eval "echo exit >&$2; exec $2>&-; wait \$CM_PID_$1"
	rm -f /tmp/$1.in /tmp/$1.out
}
