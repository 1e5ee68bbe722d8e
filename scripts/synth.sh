#!/bin/sh
# `npm run synth`: cdktf synth without HashiCorp's update checks. cdktf's spinner
# leaves its frames out only when CI is set, so a run whose output is not a
# terminal (a CI log, a pipe) sets it: a handful of lines instead of hundreds.
[ -t 1 ] || export CI="${CI:-true}"
export CHECKPOINT_DISABLE=1
exec cdktf synth "$@"
