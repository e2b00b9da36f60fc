# Sourced by the test scripts (and bench/run): installs the Debian packages a fresh machine lacks.
#
#   need_apt [APT-OPTION...] PKG...   installs the PKGs dpkg does not have (options such as
#                                     --no-install-recommends go to apt-get), with sudo when not
#                                     root; non-interactive (CI runs with no stdin); updates the
#                                     package lists only when the first try fails

need_apt() {
    local options=() missing=() arg sudo=""
    for arg in "$@"; do
        case $arg in
            -*) options+=("$arg") ;;
            *) dpkg -s "$arg" >/dev/null 2>&1 || missing+=("$arg") ;;
        esac
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "== installing ${missing[*]}"
    [ "$(id -u)" -ne 0 ] && sudo="sudo -n"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y -q "${options[@]}" "${missing[@]}" </dev/null >/dev/null ||
        { $sudo apt-get update -q </dev/null >/dev/null &&
            $sudo apt-get install -y -q "${options[@]}" "${missing[@]}" </dev/null >/dev/null; }
}
