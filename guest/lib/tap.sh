# SPDX-License-Identifier: GPL-2.0
# Minimal TAP 13 producer for the guest test scripts, in the spirit of
# tools/testing/selftests/kselftest/ktap_helpers.sh. Sourced.

TAP_N=0
TAP_FAILED=0

tap_plan()
{
	echo "TAP version 13"
	echo "1..$1"
}

tap_ok()
{
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $*"
}

tap_not_ok()
{
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $*"
}

# tap_todo WHY DESCRIPTION: a known failure, tracked elsewhere (TAP TODO):
# reported, not counted as a failure of the script
tap_todo()
{
	local why=$1
	shift
	TAP_N=$((TAP_N + 1))
	echo "not ok $TAP_N - $* # TODO $why"
}

tap_skip()
{
	local why=$1
	shift
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $* # SKIP $why"
}

tap_diag()
{
	echo "# $*"
}

# tap_check DESCRIPTION CMD...: one test point from a command's exit status
tap_check()
{
	local desc=$1
	shift
	if "$@"; then
		tap_ok "$desc"
	else
		tap_not_ok "$desc"
	fi
}

# tap_bail REASON: abort the script; the runner counts the missing points
tap_bail()
{
	echo "Bail out! $*"
	exit 1
}

tap_exit()
{
	[ "$TAP_FAILED" -eq 0 ]
	exit $?
}

# spm_result NAME JSON: a machine-readable result; run-vm.sh stores it as
# results/NAME.json on the host
spm_result()
{
	echo "# SPM-RESULT $1 $2"
}
