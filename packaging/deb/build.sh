#!/usr/bin/env bash
# Builds the Debian package kona_<version>_amd64.deb from this checkout, with Debian's own dpkg-deb:
#   /opt/kona/bin/kona        the launcher (bin/kona), also as /usr/bin/kona
#   /opt/kona/lib/            the daemon's jars (cri-server/target/kona/lib; kona-shim is inside)
#   /opt/kona/runtime/        a Java runtime made by jlink with only the modules Kona uses (jdeps):
#                             the node needs no JDK
#   /lib/systemd/system/kona.service   packaging/kona.service
#   /etc/kona/kona.toml       a conffile: the embedded defaults, every key commented out
#   /etc/kona/certs.d/        the hosts.toml directory (images.config_path), empty
#   /usr/share/kona/          the Grafana dashboard and the Prometheus rules of packaging/
# Installing does not start or enable Kona; an upgrade restarts a running daemon only (containers
# outlive it); removal stops the daemon and never touches /var/lib/kona or running containers.
#
# Usage: packaging/deb/build.sh [--version V] [--out DIR] [--prebuilt]
#   --version V   the package version (default: the POM's, e.g. 0.1.0~snapshot20261203175800.c2289db)
#   --out DIR     where the .deb is written (default: target/)
#   --prebuilt    use cri-server/target/kona/lib as it is (tests); otherwise the build runs first
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh

version="" out="$PWD/target" prebuilt=0
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="$2"; shift 2 ;;
    --version=*) version="${1#*=}"; shift ;;
    --out) out="$2"; shift 2 ;;
    --out=*) out="${1#*=}"; shift ;;
    --prebuilt) prebuilt=1; shift ;;
    *) die "package: unknown argument '$1' (see the top of $0)" ;;
  esac
done

JAVA_HOME="$(find_jdk25)"
export JAVA_HOME
if [ "$prebuilt" = 0 ]; then
  ./mvnw -B -q -DskipTests -Dkona.fuzz.skip=true package -pl cri-server -am
fi
lib=cri-server/target/kona/lib
compgen -G "$lib/kona-cri-server-*.jar" > /dev/null || die "package: $lib has no daemon jar; build first (without --prebuilt)"

if [ -z "$version" ]; then
  pom="$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)"
  version="$pom"
  if [[ "$pom" == *-SNAPSHOT ]]; then
    # Debian orders ~ before anything: 0.1.0~snapshot… < 0.1.0. The commit time keeps snapshots in order.
    stamp="$(git log -1 --format=%cd --date=format-local:%Y%m%d%H%M%S 2>/dev/null || date -u +%Y%m%d%H%M%S)"
    sha="$(git rev-parse --short=7 HEAD 2>/dev/null || echo local)"
    version="${pom%-SNAPSHOT}~snapshot$stamp.$sha"
  fi
fi
[[ "$version" =~ ^[0-9][A-Za-z0-9.+~-]*$ ]] || die "package: '$version' is not a Debian version"

work="$(mktemp -d "${TMPDIR:-/tmp}/kona-deb.XXXXXX")"
trap 'rm -rf "$work"' EXIT
root="$work/root"
mkdir -p "$root/DEBIAN" "$root/opt/kona/bin" "$root/opt/kona/lib" "$root/usr/bin" \
  "$root/lib/systemd/system" "$root/etc/kona/certs.d" "$root/usr/share/doc/kona"

install -m 0755 bin/kona "$root/opt/kona/bin/kona"
ln -s ../../opt/kona/bin/kona "$root/usr/bin/kona"
install -m 0644 "$lib"/*.jar "$root/opt/kona/lib/"

# The Java modules the jars use, as jdeps finds them, plus what is loaded by name only: jdk.management
# (Micrometer's process_cpu_* and the JVM's file descriptor counts through com.sun.management).
# jdeps prints its warnings (split packages) on stdout too: the answer is the last line.
modules="$("$JAVA_HOME/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps \
  --class-path "$lib/*" "$lib"/*.jar 2>/dev/null | tail -1)"
[[ "$modules" =~ ^[a-z][a-z0-9.,]*$ ]] || die "package: jdeps did not print a module list (got '$modules')"
modules="$modules,jdk.management"
# java.desktop is there for java.beans (Jackson, SnakeYAML); the runtime stays headless: without the
# native libraries of AWT's windows, fonts, images and sound it needs no X11 library on the node.
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --output "$root/opt/kona/runtime" \
  --strip-debug --no-header-files --no-man-pages --compress=zip-6 \
  --exclude-files='**/libawt_xawt.so,**/libsplashscreen.so,**/libjawt.so,**/libjsound.so,**/libfontmanager.so,**/libfreetype.so,**/liblcms.so,**/libjavajpeg.so,**/libmlib_image.so'
echo "$modules" | tr , '\n' > "$root/opt/kona/runtime/kona-modules"

install -m 0644 packaging/kona.service "$root/lib/systemd/system/kona.service"
{
  echo "# /etc/kona/kona.toml: Kona's configuration. Every key is commented out: Kona runs with its"
  echo "# embedded defaults (shown here) until a line is uncommented. \`kona config default\` prints them;"
  echo "# \`kona check\` tells what this host lacks for them. See /usr/share/doc/kona/operator-guide.md."
  echo "#"
  sed -e 's/^\([^#].*\)$/# \1/' cri-server/src/main/resources/kona-default.toml
} > "$root/etc/kona/kona.toml"
chmod 0644 "$root/etc/kona/kona.toml"
echo /etc/kona/kona.toml > "$root/DEBIAN/conffiles"

install -m 0644 README.md "$root/usr/share/doc/kona/README.md"
install -D -m 0644 packaging/grafana/kona.json "$root/usr/share/kona/grafana/kona.json"
install -D -m 0644 packaging/prometheus/kona-rules.yml "$root/usr/share/kona/prometheus/kona-rules.yml"
[ ! -f docs/operator-guide.md ] || install -m 0644 docs/operator-guide.md "$root/usr/share/doc/kona/operator-guide.md"
cat > "$root/usr/share/doc/kona/copyright" <<'COPYRIGHT'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: kona
Comment: Kona, a Kubernetes container runtime in Java. /opt/kona/runtime is a Java runtime made
 with jlink from the JDK that built the package (OpenJDK, GPL-2.0 with the Classpath Exception);
 /opt/kona/lib holds the daemon and its Maven dependencies under their own licences.
COPYRIGHT
printf 'kona (%s) unstable; urgency=medium\n\n  * Built from %s.\n\n -- Kona builders <kona@localhost>  %s\n' \
  "$version" "$(git rev-parse HEAD 2>/dev/null || echo 'a checkout')" "$(date -uR)" \
  | gzip -9n > "$root/usr/share/doc/kona/changelog.gz"

for script in postinst prerm postrm; do
  install -m 0755 "packaging/deb/$script" "$root/DEBIAN/$script"
done

# Depends: what the daemon uses on a node (RUNTIME_PACKAGES less what only builds kona-shim) and the
# Debian packages of the shared libraries the jlinked runtime links against.
depends=()
for p in "${RUNTIME_PACKAGES[@]}"; do
  [[ " ${BUILD_ONLY_PACKAGES[*]} " == *" $p "* ]] || depends+=("$p")
done
while read -r so; do
  case "$(readlink -f "$so")" in "$root"/*) continue ;; esac # the runtime's own libraries
  # dpkg knows a library by the path its package ships (/lib or /usr/lib with usrmerge): try both.
  pkg="$(dpkg -S "$so" 2>/dev/null | head -1 | cut -d: -f1)" || true
  [ -n "$pkg" ] || pkg="$(dpkg -S "$(readlink -f "$so")" 2>/dev/null | head -1 | cut -d: -f1)" || true
  [ -n "$pkg" ] || die "package: no Debian package owns $so, which the jlinked runtime needs"
  [[ " ${depends[*]} " == *" $pkg "* ]] || depends+=("$pkg")
done < <(find "$root/opt/kona/runtime" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} + 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u)

size="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
cat > "$root/DEBIAN/control" <<CONTROL
Package: kona
Version: $version
Architecture: amd64
Maintainer: Kona builders <kona@localhost>
Installed-Size: $size
Depends: $(IFS=,; echo "${depends[*]}" | sed 's/,/, /g')
Suggests: runc, crun, conmon
Section: admin
Priority: optional
Description: Kubernetes container runtime (CRI) in Java
 Kona serves the kubelet's Container Runtime Interface on /run/kona/kona.sock, as containerd
 and CRI-O do. It carries its own Java runtime (/opt/kona/runtime), so the node needs no JDK.
 Installing the package does not start Kona: enable it with systemctl enable --now kona.
CONTROL

mkdir -p "$out"
deb="$out/kona_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" > /dev/null
echo "$deb"
