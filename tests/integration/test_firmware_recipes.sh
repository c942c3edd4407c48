#!/usr/bin/env bash
# The Yocto recipe and the Buildroot package cannot be built here (no BitBake, no Buildroot
# tree): this checks what can be checked without them (docs/cross-compiling.md "Recipes").
#  - Buildroot: GNU make evaluates edgeverify.mk for real (syntax, variables), its install hooks
#    run into a temporary target dir, and every dependency is selected in Config.in.
#  - Yocto: the recipe's variables are parsed, do_install:append runs into a temporary ${D}, every
#    installed file belongs to a package, the systemd unit and CONFFILES are installed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$EDGEVERIFY_SOURCE_DIR
br=$src/firmware/buildroot

# --- Buildroot ---
target=$WORK/br-target
mkdir -p "$target"
cat > "$WORK/br.mk" <<MK
BR2_EXTERNAL_EDGEVERIFY_PATH := $br
TARGET_DIR := $target
INSTALL := install
cmake-package = \$(eval EDGEVERIFY_IS_CMAKE_PACKAGE := yes)
include $br/package/edgeverify/edgeverify.mk
print:
	@echo "site=\$(abspath \$(EDGEVERIFY_SITE)) method=\$(EDGEVERIFY_SITE_METHOD) cmake=\$(EDGEVERIFY_IS_CMAKE_PACKAGE)"
	@echo "deps=\$(EDGEVERIFY_DEPENDENCIES)"
	@echo "opts=\$(EDGEVERIFY_CONF_OPTS)"
$src/buildroot-install:
	\$(foreach hook,\$(EDGEVERIFY_POST_INSTALL_TARGET_HOOKS),\$(\$(hook))\$(sep))
	\$(EDGEVERIFY_INSTALL_INIT_SYSTEMD)
define sep


endef
MK
out=$(make -s -f "$WORK/br.mk" print)
echo "$out"
check_eq "buildroot: EDGEVERIFY_SITE is this tree" "$(sed -n 's/^site=\([^ ]*\) .*/\1/p' <<<"$out")" "$src"
check_eq "buildroot: a local cmake-package" "$(grep -o "method=local cmake=yes" <<<"$out")" "method=local cmake=yes"
check_eq "buildroot: tests and server off" "$(grep -o -- "-DEDGEVERIFY_BUILD_TESTS=OFF -DEDGEVERIFY_BUILD_SERVER=OFF" <<<"$out")" \
  "-DEDGEVERIFY_BUILD_TESTS=OFF -DEDGEVERIFY_BUILD_SERVER=OFF"
# Buildroot strips target files itself (or keeps them whole for debugging): the link must not.
check_eq "buildroot: the link does not strip" "$(grep -o -- "-DEDGEVERIFY_STRIP=OFF" <<<"$out")" "-DEDGEVERIFY_STRIP=OFF"
for variant in STATIC MINSIZE; do
  opts=$(make -s -f "$WORK/br.mk" print "BR2_PACKAGE_EDGEVERIFY_$variant=y" | sed -n 's/^opts=//p')
  check_eq "buildroot: BR2_PACKAGE_EDGEVERIFY_$variant selects -DEDGEVERIFY_$variant=ON" \
    "$(grep -o -- "-DEDGEVERIFY_$variant=ON" <<<"$opts")" "-DEDGEVERIFY_$variant=ON"
  if grep -q "^config BR2_PACKAGE_EDGEVERIFY_$variant\$" "$br/package/edgeverify/Config.in"; then
    pass "buildroot: BR2_PACKAGE_EDGEVERIFY_$variant is a Config.in option"
  else fail "buildroot: no BR2_PACKAGE_EDGEVERIFY_$variant in Config.in"; fi
done
for dep in $(sed -n 's/^deps=//p' <<<"$out"); do
  [ "$dep" = host-pkgconf ] && continue
  symbol=BR2_PACKAGE_$(tr 'a-z-' 'A-Z_' <<<"$dep")
  if grep -q "select $symbol\$" "$br/package/edgeverify/Config.in"; then pass "buildroot: $dep selected";
  else fail "buildroot: dependency $dep is not selected ($symbol) in Config.in"; fi
done
check_eq "buildroot: external.desc name" "$(sed -n 's/^name: //p' "$br/external.desc")" EDGEVERIFY
if make -s -f "$WORK/br.mk" "$src/buildroot-install"; then pass "buildroot: install hooks run"; else fail "buildroot: install hooks failed"; fi
for f in etc/edgeverify/agent.json etc/edgeverify/trust/policy.json usr/lib/systemd/system/edgeverify-agent.service \
         etc/containerd/conf.d/edgeverify-image-verifier.toml; do
  if [ -s "$target/$f" ]; then pass "buildroot: installs $f"; else fail "buildroot: install hooks did not install $f"; fi
done
check_eq "buildroot: verifier bin_dir populated" "$(readlink "$target/opt/containerd/image-verifier/bin/edgeverify")" /usr/bin/edgeverify
# What the hooks install loads: the default agent.json and trust policy are valid.
json_ok=$(python3 -c 'import json,sys; json.load(open(sys.argv[1])); json.load(open(sys.argv[2])); print("ok")' \
        "$target/etc/edgeverify/agent.json" "$target/etc/edgeverify/trust/policy.json" 2>&1 || true)
check_eq "buildroot: installed JSON parses" "$json_ok" ok

# --- Yocto ---
recipe=$src/firmware/yocto/meta-edgeverify/recipes-security/edgeverify/edgeverify_0.1.0.bb
dest=$WORK/yocto-image
mkdir -p "$dest"
if python3 "$src/tests/integration/firmware/bitbake_install.py" "$recipe" "$src" "$dest"; then
  pass "yocto: recipe variables, do_install:append, FILES, systemd unit, CONFFILES"
else
  fail "yocto: recipe check (faults above)"
fi
check_eq "yocto: verifier bin_dir populated" "$(readlink "$dest/opt/containerd/image-verifier/bin/edgeverify")" /usr/bin/edgeverify
check_eq "yocto: layer collection" "$(grep -c 'BBFILE_COLLECTIONS += "edgeverify"' "$src/firmware/yocto/meta-edgeverify/conf/layer.conf")" 1

finish
