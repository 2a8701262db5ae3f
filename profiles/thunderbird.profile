# nook profile: thunderbird
# Mozilla Thunderbird: mail, news, calendar and chat.
#
# Home: its profile (mail, accounts, its own password store: ~/.thunderbird; Thunderbird
#   153 ESR, Debian 12's, makes and reads it there whatever XDG_CONFIG_HOME says, and never
#   reads ~/.config/thunderbird, unlike Firefox 147 and later), its cache,
#   the NSS databases (~/.pki, ~/.local/share/pki: S/MIME certificates) and ${DOWNLOADS}
#   (saved attachments), writable; fonts, themes and toolkit settings read-only.
#   Everything else of the home is a throwaway tmpfs: attach files from ${DOWNLOADS}
#   (or add --whitelist-ro=DIR). OpenPGP keys live in its profile, not in ~/.gnupg, which
#   stays hidden.
# Network: slirp (not the host's loopback: a local mail server needs
#   --net-host-loopback and 10.0.2.2). Sockets: unix, inet, inet6, netlink.
# Display: X11 and Wayland. Sound: yes (new-mail sound). D-Bus: no (notifications go).
# No W^X (JavaScript JIT). Nothing under the home, /tmp or /dev/shm can be executed: an
#   attachment can be saved, not run. No interpreters or compilers for an exploit.
include thunderbird.local
include globals.local

noblacklist ${HOME}/.thunderbird
noblacklist ${HOME}/.cache/thunderbird
noblacklist ${HOME}/.pki
noblacklist ${HOME}/.local/share/pki
include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-interpreters.inc
include disable-exec.inc

mkdir ${HOME}/.thunderbird
mkdir ${HOME}/.cache/thunderbird
mkdir ${HOME}/.pki
mkdir ${HOME}/.local/share/pki
mkdir ${DOWNLOADS}
whitelist ${HOME}/.thunderbird
whitelist ${HOME}/.cache/thunderbird
whitelist ${HOME}/.pki
whitelist ${HOME}/.local/share/pki
whitelist ${DOWNLOADS}
include whitelist-common.inc

x11
caps.drop all
seccomp
net slirp
protocol unix,inet,inet6,netlink
nodbus
