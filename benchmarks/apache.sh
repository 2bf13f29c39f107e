#!/usr/bin/env bash
# apache.sh OUT_DIR BACKEND_PORT: starts Apache httpd with mod_auth_openidc (resource server:
# AuthType oauth20, JWTs verified with the bench IdP's RSA key from a PEM file: its JWKS URI must be
# https) and
# mod_proxy to the bench backend, on free ports; writes OUT_DIR/apache-port.
# apache.sh stop OUT_DIR: stops it. Needs Debian's apache2 and libapache2-mod-auth-openidc.
set -euo pipefail
MODS=/usr/lib/apache2/modules
if [ "$1" = stop ]; then
  DIR=$(cat "$2/apache-dir")
  kill "$(cat "$DIR/httpd.pid")" 2>/dev/null || true
  sleep 1
  rm -rf "$DIR"
  exit 0
fi
OUT=$1
BACKEND=$2
DIR=$(mktemp -d /tmp/oidc-gate-apache.XXXXXX)
chmod 755 "$DIR"
cp "$OUT/rsa-public.pem" "$DIR/rsa-public.pem"
chmod 644 "$DIR/rsa-public.pem"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
cat >"$DIR/httpd.conf" <<CONF
ServerName 127.0.0.1
ServerRoot $DIR
PidFile $DIR/httpd.pid
DefaultRuntimeDir $DIR
Mutex file:$DIR default
ErrorLog $DIR/error.log
LogLevel warn
Listen 127.0.0.1:$PORT
LoadModule mpm_event_module $MODS/mod_mpm_event.so
LoadModule authn_core_module $MODS/mod_authn_core.so
LoadModule authz_core_module $MODS/mod_authz_core.so
LoadModule authz_user_module $MODS/mod_authz_user.so
LoadModule proxy_module $MODS/mod_proxy.so
LoadModule proxy_http_module $MODS/mod_proxy_http.so
LoadModule auth_openidc_module $MODS/mod_auth_openidc.so
User www-data
Group www-data
OIDCCryptoPassphrase bench-only-passphrase
<VirtualHost 127.0.0.1:$PORT>
  OIDCOAuthVerifyCertFiles rsa-1#$DIR/rsa-public.pem
  OIDCOAuthRemoteUserClaim sub
  <Location /api/>
    AuthType oauth20
    Require valid-user
  </Location>
  ProxyPass /api/ http://127.0.0.1:$BACKEND/api/
</VirtualHost>
CONF
apache2 -f "$DIR/httpd.conf" -k start
echo "$DIR" >"$OUT/apache-dir"
echo "$PORT" >"$OUT/apache-port"
for _ in $(seq 20); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.5; done
