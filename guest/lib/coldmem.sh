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

# cm_send NAME FD COMMAND...: send a command without waiting for its answer
# (for one that runs while the test does something else); cm_reply gets it
cm_send()
{
	local name=$1 fd=$2
	shift 2
	eval "CM_SENT_$name=\$(wc -l </tmp/$name.out)"
	eval "echo \"\$*\" >&$fd"
}

# cm_reply NAME: print the one-line answer to the command cm_send sent
# last (300 s)
cm_reply()
{
	local i=0 sent
	eval "sent=\$CM_SENT_$1"
	while [ "$(wc -l </tmp/$1.out)" -le "$sent" ]; do
		i=$((i + 1))
		[ $i -le 3000 ] || return 1
		sleep 0.1
	done
	tail -n 1 /tmp/$1.out
}

# cm NAME FD COMMAND...: send a command, print its one-line answer (300 s)
cm()
{
	cm_send "$@" && cm_reply "$1"
}

# cm_stop NAME FD: tell it to exit and wait until it has
cm_stop()
{
	eval "echo exit >&$2; exec $2>&-; wait \$CM_PID_$1"
	rm -f /tmp/$1.in /tmp/$1.out
}
