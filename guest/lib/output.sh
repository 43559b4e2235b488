# SPDX-License-Identifier: GPL-2.0
# Reading what the guest/bin helper programs print ("key=value ..." lines,
# "ready" once they hold what they allocated). Sourced.

# field LINE KEY: the value of KEY=value in LINE
field()
{
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# wait_for FILE PATTERN: until FILE has a line matching PATTERN (30 s).
# Remove FILE before starting its writer: a FILE left by an earlier test
# would match at once.
wait_for()
{
	local i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 300 ] || return 1
		sleep 0.1
	done
}

# write_error VALUE FILE: write VALUE to FILE; print the error message
# ("Invalid argument"), nothing if the write took
write_error()
{
	sh -c "echo $1 >$2" 2>&1 | sed 's/.*: //'
}

# fails CMD...: the command fails; its stderr is kept in /tmp/err
fails()
{
	! "$@" 2>/tmp/err
}
