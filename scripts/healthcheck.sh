#!/usr/bin/env bash
# The containers' healthcheck: `healthcheck.sh <port> <path>` succeeds when
# http://127.0.0.1:<port><path> answers 200. Bash's /dev/tcp, not a Node
# process: a probe every few seconds must cost next to nothing.
set -euo pipefail
exec 3<>"/dev/tcp/127.0.0.1/$1"
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$2" >&3
read -r _ status _ <&3
[ "$status" = 200 ]
