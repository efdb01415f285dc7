#!/bin/sh
# A self-signed pair for docker/compose.yaml: docker/nginx/certs/{cert,key}.pem for $1 (default localhost).
set -eu
name="${1:-localhost}"
dir="$(dirname "$0")/certs"
mkdir -p "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=$name" \
  -addext "subjectAltName=DNS:$name" -keyout "$dir/key.pem" -out "$dir/cert.pem"
chmod 600 "$dir/key.pem"
echo "wrote $dir/cert.pem and $dir/key.pem for $name"
