#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# run-fuzzer.sh FUZZER SEEDS WORKDIR SECONDS
#
# Runs a fuzz target for a fixed time from the committed seeds; new
# inputs and any crash go to WORKDIR, never into the source tree.  Exits
# non-zero when the fuzzer finds a crash, a leak or a timeout.
set -eu
fuzzer=$1 seeds=$2 work=$3 seconds=$4
mkdir -p "$work/corpus" "$work/artifacts"
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" "$seeds"
