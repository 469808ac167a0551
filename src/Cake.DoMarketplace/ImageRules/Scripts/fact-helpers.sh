# Cake.DoMarketplace fact helpers, sent before each fact script (FactScript.Source: collect-facts.sh,
# first-boot-facts.sh, image-test-facts.sh, app-state.sh), so that they print records one way and find cloud-init's
# scripts and the first-login hooks one way. Functions only: nothing runs here.

# emit KIND FIELD...: one record on one line, fields separated by tabs. A tab or line break inside a field becomes a
# space, so that no field splits its record.
emit() {
  local field fields=()
  for field in "$@"; do fields+=("${field//[$'\t\r\n']/ }"); done
  local IFS=$'\t'
  printf '%s\n' "${fields[*]}"
}

# cloud_scripts: "STAGE<tab>PATH" for each script cloud-init runs from /var/lib/cloud/scripts/STAGE (per-once,
# per-instance, per-boot), in the order it runs them.
cloud_scripts() {
  local stage f
  for stage in per-once per-instance per-boot; do
    for f in /var/lib/cloud/scripts/"$stage"/*; do
      if [ -f "$f" ]; then printf '%s\t%s\n' "$stage" "$f"; fi
    done
  done
}

# first_login_hooks: "PATH<tab>GUARD" for each /opt/.../*.sh script a line of /root/.bashrc runs (comment lines skipped).
# GUARD is "guarded" when the line runs it in interactive shells only (it tests $- or PS1), else "bare".
first_login_hooks() {
  local line guard hook
  [ -f /root/.bashrc ] || return 0
  grep -v '^[[:space:]]*#' /root/.bashrc | while IFS= read -r line; do
    case "$line" in *'$-'* | *PS1*) guard=guarded ;; *) guard=bare ;; esac
    grep -oE '/opt/[^[:space:];)]+\.sh' <<< "$line" | while IFS= read -r hook; do printf '%s\t%s\n' "$hook" "$guard"; done
  done
}
