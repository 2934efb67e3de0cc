#!/bin/sh
# The Redis stand-in's entrypoint: as the redis image, the server runs with protected mode off
# (the compose network reaches it without a password) as the redis user.
set -e
if [ "$1" = redis-server ]; then shift; exec runuser -u redis -- redis-server --protected-mode no "$@"; fi
exec "$@"
