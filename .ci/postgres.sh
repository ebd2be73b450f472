# PostgreSQL for the CI's production-mode pass (sourced by .ci/run): a throwaway role with a
# password and a database it owns, which the suite then uses over TCP, as the app connects in
# production. Creating them needs an administrator. A stock Debian install lets the postgres
# OS user in over the local socket (peer authentication) and asks everyone a password over TCP,
# so that is tried first (as root through runuser, otherwise through sudo without a prompt);
# last, postgres over TCP without a password, which works where the server trusts loopback
# (a developer's machine set up that way).
#
#   pg_create_ci_database   sets DATABASE_URL (and CI_PG_ROLE, CI_PG_DB); fails saying why
#   pg_drop_ci_database     drops the database, any other database the role made, the role

PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
CI_PG_ADMIN=""
CI_PG_ROLE=""
CI_PG_DB=""

# psql as an administrator, in database postgres; arguments (or stdin) carry the SQL.
pg_admin() {
  local psql=(psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres)
  case "$CI_PG_ADMIN" in
    # cd /: the postgres user may not enter the working directory.
    runuser) (cd / && runuser -u postgres -- "${psql[@]}" "$@") ;;
    sudo) (cd / && sudo -n -u postgres "${psql[@]}" "$@") ;;
    tcp) "${psql[@]}" -h "$PG_HOST" -U postgres -w "$@" ;;
    *) return 1 ;;
  esac
}

# Pick the first way in that answers; false if none does.
pg_find_admin() {
  local way
  for way in runuser sudo tcp; do
    case "$way" in
      runuser) [ "$(id -u)" = 0 ] && command -v runuser >/dev/null && id postgres >/dev/null 2>&1 || continue ;;
      sudo) command -v sudo >/dev/null && id postgres >/dev/null 2>&1 || continue ;;
    esac
    CI_PG_ADMIN=$way
    if pg_admin -tAc 'SELECT 1' </dev/null >/dev/null 2>&1; then
      return 0
    fi
  done
  CI_PG_ADMIN=""
  return 1
}

pg_create_ci_database() {
  if ! pg_find_admin; then
    echo "ci: cannot administer PostgreSQL on port $PG_PORT: neither as the postgres OS user" \
      "over the local socket (run as root, or allow sudo -u postgres) nor as postgres over" \
      "TCP without a password" >&2
    return 1
  fi
  CI_PG_ROLE="vienuviet_ci_$(date +%s)_$$"
  CI_PG_DB=$CI_PG_ROLE
  local password
  password=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
  # On stdin, not the command line: other users can read a process's arguments. The server
  # does not log the statement either. CREATEDB: some tests make a database of their own.
  pg_admin <<SQL || return 1
SET log_statement = 'none';
CREATE ROLE $CI_PG_ROLE LOGIN CREATEDB PASSWORD '$password';
CREATE DATABASE $CI_PG_DB OWNER $CI_PG_ROLE;
SQL
  DATABASE_URL="postgresql://$CI_PG_ROLE:$password@$PG_HOST:$PG_PORT/$CI_PG_DB"
  if [ "$(psql -X -w -Atc 'SELECT current_user' "$DATABASE_URL" 2>/dev/null)" != "$CI_PG_ROLE" ]; then
    echo "ci: PostgreSQL at $PG_HOST:$PG_PORT refuses the CI role's password login over TCP" \
      "(pg_hba.conf needs a host line for $PG_HOST with scram-sha-256 or md5)" >&2
    return 1
  fi
  echo "ci: PostgreSQL database $CI_PG_DB, role $CI_PG_ROLE (created as postgres via $CI_PG_ADMIN)"
}

pg_drop_ci_database() {
  [ -n "$CI_PG_ROLE" ] && [ -n "$CI_PG_ADMIN" ] || return 0
  local db
  for db in $(pg_admin -tAc "SELECT datname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE r.rolname = '$CI_PG_ROLE'" </dev/null); do
    pg_admin -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" </dev/null
  done
  pg_admin -c "DROP ROLE IF EXISTS $CI_PG_ROLE" </dev/null
}
