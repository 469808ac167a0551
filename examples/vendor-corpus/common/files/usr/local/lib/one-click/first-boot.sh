# Functions the per-instance first-boot scripts of these 1-Click images share (sourced, never run on its own).
# Each droplet made from an image gets its own passwords, learns its own address from DigitalOcean's metadata
# service, and lets root log in once its app is ready (see common/scripts/012-force-ssh-logout.sh).

readonly ONE_CLICK_PASSWORDS=/root/.digitalocean_password
readonly DROPLET_METADATA=http://169.254.169.254/metadata/v1

# Prints the droplet's public IPv4 address as the metadata service gives it. Fails, saying why, when the service does
# not answer or answers something that is not an address: an app configured for a wrong address is worse than a
# first boot that reports its failure (cloud-init status shows it).
droplet_public_ipv4() {
  local address
  if ! address=$(curl --fail --silent --show-error --retry 10 --retry-connrefused --retry-delay 1 --max-time 5 \
      "$DROPLET_METADATA/interfaces/public/0/ipv4/address"); then
    echo "first boot: the metadata service did not give this droplet's public address" >&2
    return 1
  fi
  if [[ ! $address =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]]; then
    echo "first boot: the metadata service answered '$address', which is not an IPv4 address" >&2
    return 1
  fi
  printf '%s\n' "$address"
}

# Prints a new random password: 32 hexadecimal characters, safe inside SQL, shell and configuration files unquoted.
new_password() {
  openssl rand -hex 16
}

# Keeps NAME="VALUE" in /root/.digitalocean_password (readable by root only), replacing an earlier NAME. The file can
# be sourced by a shell: . /root/.digitalocean_password && echo "$NAME".
keep_password() {
  local name=$1 value=$2
  ( umask 077 && touch "$ONE_CLICK_PASSWORDS" )
  sed -i "/^${name}=/d" "$ONE_CLICK_PASSWORDS"
  printf '%s="%s"\n' "$name" "$value" >> "$ONE_CLICK_PASSWORDS"
}

# Gives root its SSH logins back: removes the block 012-force-ssh-logout.sh appended to sshd_config and restarts sshd
# (sessions already open stay). Run it from an EXIT trap, so that a first boot that fails does not lock root out for
# good: cloud-init still records the failure.
unlock_root_login() {
  sed -i '/^# BEGIN one-click first-boot lock$/,/^# END one-click first-boot lock$/d' /etc/ssh/sshd_config
  sshd -t && systemctl restart ssh
}
