#!/usr/bin/env bash
# Vendor Laget's front-end assets from the npm registry into the Django static
# folder, so that nothing at runtime (or in CI) needs Node, npm or a CDN.
#
#   scripts/vendor-assets.sh
#
# What it does, in a throw-away temp dir:
#   1. `npm install --no-save --ignore-scripts` the exact pinned versions below
#      (npm verifies each tarball against the registry's integrity hash).
#   2. Copies only the runtime files into laget/web/static/vendor/<short-name>/
#      plus each package's licence file(s).
#   3. Rewrites the few absolute Punkt-CDN icon URLs in the Punkt CSS to the
#      vendored copies (our CSP is 'self'-only and runtime must be offline),
#      then checks that every url(...) in the vendored CSS resolves to a file.
#      Wraps vega-interpreter's ES module as a classic script (no bundler).
#   4. Writes laget/web/static/vendor/VERSIONS.json (package, version, SPDX
#      licence, dist.integrity, files copied with sha256 + size).
#
# Idempotent: the vendor folder is wiped and rewritten on every run, and the
# output is byte-for-byte deterministic for the same pins (no timestamps).
# Fails loudly (non-zero exit) on any missing file, version/integrity mismatch
# or unresolved url(...).
#
# To upgrade: change a pin below, re-run, review `git diff --stat` of the
# vendor folder, and re-check docs/punkt-cheatsheet.md against the new CSS.
set -euo pipefail

# --- Pins -------------------------------------------------------------------
# punkt-css declares peerDependencies {"@oslokommune/punkt-assets": ">=3.1.0"}
# (its own build uses ^16, which the registry we can reach does not carry);
# 13.16.0 is the newest punkt-assets published there and ships every font and
# icon the 16.8.2 CSS references (checked by this script).
PUNKT_CSS_VERSION="16.8.2"
PUNKT_ASSETS_VERSION="13.16.0"
HTMX_VERSION="2.0.11"
AXE_VERSION="4.14.1"
# Vega-Lite charts (laget/web/static/laget/charts.js). vega-lite 6.5 wants vega
# ^6.4 as a peer; vega-embed 7.3 depends on vega-interpreter ^2.3.2 and bundles
# it, but our CSP has no 'unsafe-eval', so the interpreter is pinned and loaded
# on its own too (as vega.expressionInterpreter, which vega-embed prefers).
VEGA_VERSION="6.4.0"
VEGA_LITE_VERSION="6.5.0"
VEGA_EMBED_VERSION="7.3.0"
VEGA_INTERPRETER_VERSION="2.3.2"

# Extra Punkt assets the page layout uses directly (not referenced by the CSS).
PUNKT_LOGOS=(
  oslologo.svg          # Oslo kommune logo for the header
  favicon.ico
  32x32-favicon.png
  apple-touch-icon.png
)
PUNKT_ICONS=(
  chevron-down chevron-left chevron-right   # menus, pagination, footer links
  chevron-thin-left chevron-thin-right chevron-thin-up  # back link, breadcrumbs, open menu
  user                                      # user menu
  language                                  # globe: language switcher
  exit                                      # log out
  menu close magnifying-glass-small         # mobile menu, dialogs, search
  check-medium                              # success / done
  alert-information alert-success alert-warning alert-error  # alerts/messages
)

# --- Setup ------------------------------------------------------------------
die() { echo "vendor-assets: ERROR: $*" >&2; exit 1; }
log() { echo "vendor-assets: $*" >&2; }

command -v node >/dev/null || die "node is required (only to vendor; not at runtime)"
command -v npm >/dev/null || die "npm is required (only to vendor; not at runtime)"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/laget/web/static/vendor"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/laget-vendor.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
OUT="$WORK/out"      # the new vendor folder is built here, then swapped in
MANIFEST="$WORK/manifest.tsv"   # package \t vendored-path \t source-path
mkdir -p "$OUT"
: >"$MANIFEST"

PKGS=(
  "@oslokommune/punkt-css@$PUNKT_CSS_VERSION"
  "@oslokommune/punkt-assets@$PUNKT_ASSETS_VERSION"
  "htmx.org@$HTMX_VERSION"
  "axe-core@$AXE_VERSION"
  "vega@$VEGA_VERSION"
  "vega-lite@$VEGA_LITE_VERSION"
  "vega-embed@$VEGA_EMBED_VERSION"
  "vega-interpreter@$VEGA_INTERPRETER_VERSION"
)

# --- Install ----------------------------------------------------------------
log "installing ${PKGS[*]}"
printf '{"name":"laget-vendor","private":true}\n' >"$WORK/package.json"
(
  cd "$WORK"
  npm install --no-save --ignore-scripts --no-audit --no-fund \
    --loglevel=error "${PKGS[@]}" >&2
)
NM="$WORK/node_modules"

pkg_json() { # <package> <field> -> value from the installed package.json
  node -e '
    const p = require(process.argv[1] + "/package.json");
    const v = p[process.argv[2]];
    if (v === undefined || v === null || typeof v === "object") process.exit(1);
    process.stdout.write(String(v));
  ' "$NM/$1" "$2" || die "cannot read '$2' from $1/package.json"
}

declare -A INTEGRITY LICENSE VERSION
for spec in "${PKGS[@]}"; do
  name="${spec%@*}"; want="${spec##*@}"
  [[ -f "$NM/$name/package.json" ]] || die "$name was not installed"
  got="$(pkg_json "$name" version)"
  [[ "$got" == "$want" ]] || die "$name: installed $got, pinned $want"
  VERSION[$name]="$got"
  LICENSE[$name]="$(pkg_json "$name" license)"
  integ="$(npm view "$name@$want" dist.integrity)"
  [[ "$integ" == sha512-* ]] || die "$name@$want: no sha512 dist.integrity from npm view"
  # Cross-check against what npm actually installed (hidden lockfile).
  if [[ -f "$NM/.package-lock.json" ]]; then
    locked="$(node -e '
      const l = require(process.argv[1]);
      const e = (l.packages || {})["node_modules/" + process.argv[2]] || {};
      process.stdout.write(e.integrity || "");
    ' "$NM/.package-lock.json" "$name")"
    [[ -z "$locked" || "$locked" == "$integ" ]] \
      || die "$name@$want: installed integrity $locked != registry $integ"
  fi
  INTEGRITY[$name]="$integ"
done

# --- Copy helpers -----------------------------------------------------------
copy() { # <package> <path inside package> <path inside vendor/>
  local pkg="$1" src="$NM/$1/$2" dest="$OUT/$3"
  [[ -f "$src" ]] || die "missing file in $pkg@${VERSION[$pkg]}: $2"
  mkdir -p "$(dirname "$dest")"
  cp "$src" "$dest"
  chmod 0644 "$dest"
  printf '%s\t%s\t%s\n' "$pkg" "$3" "$2" >>"$MANIFEST"
}

css_urls() { # <css file> -> one url(...) target per line, quotes stripped
  { grep -oE 'url\([^)]*\)' "$1" || true; } \
    | sed -E 's/^url\(\s*//; s/\s*\)$//; s/^["'\'']//; s/["'\'']$//'
}

# --- Punkt (CSS + the assets it references + layout logos/icons) -----------
CSS_PKG="@oslokommune/punkt-css"
ASSETS_PKG="@oslokommune/punkt-assets"
PUNKT_CSS="punkt/css/pkt.min.css"

copy "$CSS_PKG" dist/css/pkt.min.css "$PUNKT_CSS"
copy "$CSS_PKG" LICENSE punkt/LICENSE.punkt-css
copy "$ASSETS_PKG" LICENSE punkt/LICENSE.punkt-assets

# The compiled CSS points a few mask/background icons at the versioned Punkt
# CDN ($icon-path). Point them at the vendored icons instead: runtime is
# offline and our CSP allows only 'self' for images.
before_sha="$(sha256sum "$OUT/$PUNKT_CSS" | cut -d' ' -f1)"
sed -i -E 's#https?://punkt-cdn\.oslo\.kommune\.no/[^/"'\'')]+/icons/#../icons/#g' "$OUT/$PUNKT_CSS"
after_sha="$(sha256sum "$OUT/$PUNKT_CSS" | cut -d' ' -f1)"
printf '%s\n' "$before_sha" >"$WORK/punkt-css.upstream-sha256"

# Copy every file the CSS references, from punkt-assets' dist/ (which has the
# same fonts/ and icons/ layout as the CDN, relative to css/).
css_dir="$(dirname "$PUNKT_CSS")"
n_refs=0
while IFS= read -r ref; do
  [[ -n "$ref" ]] || continue
  case "$ref" in
    data:*) continue ;;
    *://*|//*) die "$PUNKT_CSS still references an external URL: $ref" ;;
  esac
  path="${ref%%[?#]*}"
  rel="$(realpath -m --relative-to="$OUT" "$OUT/$css_dir/$path")"
  case "$rel" in
    punkt/fonts/*|punkt/icons/*) sub="${rel#punkt/}" ;;
    *) die "$PUNKT_CSS references $ref ($rel), which is not under punkt/fonts or punkt/icons" ;;
  esac
  [[ -f "$OUT/$rel" ]] || copy "$ASSETS_PKG" "dist/$sub" "$rel"
  n_refs=$((n_refs + 1))
done < <(css_urls "$OUT/$PUNKT_CSS" | sort -u)
(( n_refs > 0 )) || die "found no url(...) references in $PUNKT_CSS; has the build changed?"
grep -q '@font-face' "$OUT/$PUNKT_CSS" || die "$PUNKT_CSS declares no @font-face; has the build changed?"

# The punkt-assets package is MIT, but the Oslo Sans fonts inside it carry
# their own, proprietary licence in the font files' name table (copyright +
# "License Description"). Put that text next to the fonts so nobody mistakes
# them for MIT. Parsed with Node from the WOFF 1.0 file; fails if absent.
FONT_LICENSE_SRC="dist/fonts/OsloSans-Regular.woff"
[[ -f "$OUT/punkt/fonts/OsloSans-Regular.woff" ]] \
  || die "punkt/fonts/OsloSans-Regular.woff not vendored; cannot extract the Oslo Sans licence"
node - "$OUT/punkt/fonts/OsloSans-Regular.woff" "$OUT/punkt/fonts/LICENSE-OsloSans.txt" \
  "$ASSETS_PKG@${VERSION[$ASSETS_PKG]}" "$FONT_LICENSE_SRC" <<'EOF' \
  || die "could not extract the Oslo Sans licence from $FONT_LICENSE_SRC"
const fs = require("fs"), zlib = require("zlib");
const [woffPath, outPath, pkg, src] = process.argv.slice(2);
const b = fs.readFileSync(woffPath);
if (b.toString("latin1", 0, 4) !== "wOFF") throw new Error("not a WOFF 1.0 file");
let name = null;
for (let i = 0, n = b.readUInt16BE(12); i < n; i++) {
  const e = 44 + 20 * i;
  if (b.toString("latin1", e, e + 4) !== "name") continue;
  const off = b.readUInt32BE(e + 4), comp = b.readUInt32BE(e + 8), orig = b.readUInt32BE(e + 12);
  const raw = b.subarray(off, off + comp);
  name = comp < orig ? zlib.inflateSync(raw) : raw;
}
if (!name) throw new Error("no name table");
const count = name.readUInt16BE(2), strOff = name.readUInt16BE(4), ids = {};
for (let i = 0; i < count; i++) {
  const r = 6 + 12 * i;
  const [plat, , , id, len, off] = [0, 2, 4, 6, 8, 10].map((k) => name.readUInt16BE(r + k));
  if (plat !== 3 || ids[id] !== undefined) continue; // Windows, UTF-16BE
  const s = name.subarray(strOff + off, strOff + off + len);
  ids[id] = Buffer.from(s).swap16().toString("utf16le");
}
if (!ids[13]) throw new Error("font has no licence description (name ID 13)");
fs.writeFileSync(outPath, [
  "Oslo Sans font licence",
  "======================",
  "",
  `Extracted by scripts/vendor-assets.sh from ${src} in ${pkg}`,
  "(OpenType name table: ID 0 = copyright, ID 13 = licence description).",
  "The npm package is MIT-licensed, but these font files are NOT: the text",
  "below, embedded in the fonts themselves, governs their use.",
  "",
  `Copyright: ${ids[0] || "(none)"}`,
  `Designer: ${ids[9] || "(none)"}; foundry: ${ids[8] || "(none)"}`,
  "",
  ids[13].trim(),
  "",
].join("\n"));
EOF
chmod 0644 "$OUT/punkt/fonts/LICENSE-OsloSans.txt"
printf '%s\t%s\t%s\n' "$ASSETS_PKG" punkt/fonts/LICENSE-OsloSans.txt \
  "$FONT_LICENSE_SRC (name table IDs 0, 8, 9, 13)" >>"$MANIFEST"

for f in "${PUNKT_LOGOS[@]}"; do
  copy "$ASSETS_PKG" "dist/logos/$f" "punkt/logos/$f"
done
for i in "${PUNKT_ICONS[@]}"; do
  [[ -f "$OUT/punkt/icons/$i.svg" ]] || copy "$ASSETS_PKG" "dist/icons/$i.svg" "punkt/icons/$i.svg"
done

# --- htmx -------------------------------------------------------------------
copy htmx.org dist/htmx.min.js htmx/htmx.min.js
copy htmx.org LICENSE htmx/LICENSE

# --- axe-core (accessibility tests) -----------------------------------------
copy axe-core axe.min.js axe/axe.min.js
copy axe-core LICENSE axe/LICENSE
copy axe-core LICENSE-3RD-PARTY.txt axe/LICENSE-3RD-PARTY.txt

# --- Vega, Vega-Lite, vega-embed, vega-interpreter (charts) ------------------
# One copy of each: a nested vega or vega-interpreter would mean the pins
# disagree with what vega-lite / vega-embed ask for.
for nested in vega-lite/node_modules/vega vega-embed/node_modules/vega \
  vega-embed/node_modules/vega-lite vega-embed/node_modules/vega-interpreter; do
  [[ ! -e "$NM/$nested" ]] || die "npm installed a second copy at $nested; align the Vega pins"
done
copy vega build/vega.min.js vega/vega.min.js
copy vega LICENSE vega/LICENSE.vega
copy vega-lite build/vega-lite.min.js vega/vega-lite.min.js
# These two builds end in a sourceMappingURL comment; the manifest storage
# (collectstatic) fails on a reference to a file that is not there.
copy vega-lite build/vega-lite.min.js.map vega/vega-lite.min.js.map
copy vega-lite LICENSE vega/LICENSE.vega-lite
copy vega-embed build/vega-embed.min.js vega/vega-embed.min.js
copy vega-embed build/vega-embed.min.js.map vega/vega-embed.min.js.map
copy vega-embed LICENSE vega/LICENSE.vega-embed
copy vega-interpreter LICENSE vega/LICENSE.vega-interpreter
# vega-interpreter ships only an ES module that imports three helpers from
# vega-util by bare name, which a browser cannot resolve without a bundler or
# an import map. vega.min.js exports the same helpers, so wrap the module as a
# classic script that takes them from the global `vega` and sets
# vega.expressionInterpreter. Fails unless the module has exactly the one
# import and one export this expects.
INTERP_SRC="$NM/vega-interpreter/build/vega-interpreter.js"
INTERP_IMPORT="import { ascending, isString, DisallowedObjectProperties } from 'vega-util';"
INTERP_EXPORT="export { expression as expressionInterpreter };"
[[ "$(grep -c '^import ' "$INTERP_SRC")" == 1 && "$(head -n1 "$INTERP_SRC")" == "$INTERP_IMPORT" ]] \
  || die "vega-interpreter: unexpected imports; update the wrapper in this script"
[[ "$(grep -c '^export ' "$INTERP_SRC")" == 1 && "$(grep '^export ' "$INTERP_SRC")" == "$INTERP_EXPORT" ]] \
  || die "vega-interpreter: unexpected exports; update the wrapper in this script"
{
  printf '/* vega-interpreter %s (BSD-3-Clause, see LICENSE.vega-interpreter).\n' "$VEGA_INTERPRETER_VERSION"
  printf ' * Wrapped by scripts/vendor-assets.sh as a classic script: load after vega.min.js. */\n'
  printf '(function (vega) {\n"use strict";\n'
  printf 'if (!vega) throw new Error("vega-interpreter: load vega.min.js first");\n'
  printf 'const { ascending, isString, DisallowedObjectProperties } = vega;\n'
  grep -v -e '^import ' -e '^export ' -e '^//# sourceMappingURL=' "$INTERP_SRC"
  printf 'vega.expressionInterpreter = expression;\n})(globalThis.vega);\n'
} >"$OUT/vega/vega-interpreter.js"
chmod 0644 "$OUT/vega/vega-interpreter.js"
printf '%s\t%s\t%s\n' vega-interpreter vega/vega-interpreter.js \
  "build/vega-interpreter.js (wrapped)" >>"$MANIFEST"
VEGA_INTERPRETER_UPSTREAM_SHA256="$(sha256sum "$INTERP_SRC" | cut -d' ' -f1)"
export VEGA_INTERPRETER_UPSTREAM_SHA256

# --- Verify: every url(...) in every vendored CSS file resolves -------------
while IFS= read -r -d '' css; do
  dir="$(dirname "$css")"
  while IFS= read -r ref; do
    [[ -n "$ref" ]] || continue
    case "$ref" in
      data:*) continue ;;
      *://*|//*) die "${css#"$OUT"/} references an external URL: $ref" ;;
    esac
    [[ -f "$dir/${ref%%[?#]*}" ]] || die "${css#"$OUT"/}: url($ref) does not resolve to a vendored file"
  done < <(css_urls "$css" | sort -u)
done < <(find "$OUT" -name '*.css' -print0)

# --- VERSIONS.json ----------------------------------------------------------
cat >"$WORK/versions.cjs" <<'EOF'
const fs = require("fs"), path = require("path"), crypto = require("crypto");
const [out, manifest, upstreamShaFile, ...rest] = process.argv.slice(2);
const iI = rest.indexOf("--integrity"), iL = rest.indexOf("--license");
const specs = rest.slice(0, iI), integ = rest.slice(iI + 1, iL), lic = rest.slice(iL + 1);
const rows = fs.readFileSync(manifest, "utf8").trim().split("\n").map((l) => l.split("\t"));
const sha256 = (f) => crypto.createHash("sha256").update(fs.readFileSync(f)).digest("hex");
const packages = specs.map((spec, i) => {
  const at = spec.lastIndexOf("@");
  const name = spec.slice(0, at), version = spec.slice(at + 1);
  const files = rows
    .filter(([pkg]) => pkg === name)
    .map(([, dest, src]) => {
      const f = path.join(out, dest);
      return { path: dest, source: src, bytes: fs.statSync(f).size, sha256: sha256(f) };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
  if (!files.length) throw new Error(`no files vendored for ${name}`);
  const entry = { package: name, version, license: lic[i], integrity: integ[i], files };
  if (name === "@oslokommune/punkt-css") {
    entry.modified = [{
      path: "punkt/css/pkt.min.css",
      upstream_sha256: fs.readFileSync(upstreamShaFile, "utf8").trim(),
      change: "absolute Punkt CDN icon URLs (<cdn>/<version>/icons/X.svg) rewritten to ../icons/X.svg (vendored from punkt-assets) so the CSS works offline and under a 'self'-only CSP",
    }];
  }
  if (name === "@oslokommune/punkt-assets") {
    entry.license_note = "The package is MIT, but the Oslo Sans font files (punkt/fonts/OsloSans-*) carry a proprietary licence embedded in the fonts: use restricted to Oslo kommune's business, not transferable to third parties. See punkt/fonts/LICENSE-OsloSans.txt.";
  }
  if (name === "vega-interpreter") {
    entry.modified = [{
      path: "vega/vega-interpreter.js",
      upstream_sha256: process.env.VEGA_INTERPRETER_UPSTREAM_SHA256,
      change: "ES module wrapped as a classic script: its one import (ascending, isString, DisallowedObjectProperties from vega-util) is taken from the global vega of vega.min.js, and its export is set as vega.expressionInterpreter; its sourceMappingURL comment dropped; the code between is unchanged",
    }];
  }
  if (name === "vega" || name === "vega-embed") {
    entry.license_note = "The minified build bundles third-party code under its own permissive licences (vega: d3 and other modules, ISC, and robust-predicates, Unlicense; vega-embed: vega-themes and vega-tooltip, BSD-3-Clause, fast-json-patch and json-stringify-pretty-compact, MIT, semver, ISC, tslib, 0BSD, and a copy of vega-interpreter).";
  }
  return entry;
});
const doc = {
  "//": "Generated by scripts/vendor-assets.sh; do not edit by hand. Paths are relative to this folder (static URL prefix vendor/).",
  packages,
};
fs.writeFileSync(path.join(out, "VERSIONS.json"), JSON.stringify(doc, null, 2) + "\n");
EOF
node "$WORK/versions.cjs" "$OUT" "$MANIFEST" "$WORK/punkt-css.upstream-sha256" \
  "${PKGS[@]}" \
  --integrity "${INTEGRITY[$CSS_PKG]}" "${INTEGRITY[$ASSETS_PKG]}" "${INTEGRITY[htmx.org]}" "${INTEGRITY[axe-core]}" \
    "${INTEGRITY[vega]}" "${INTEGRITY[vega-lite]}" "${INTEGRITY[vega-embed]}" "${INTEGRITY[vega-interpreter]}" \
  --license "${LICENSE[$CSS_PKG]}" "${LICENSE[$ASSETS_PKG]}" "${LICENSE[htmx.org]}" "${LICENSE[axe-core]}" \
    "${LICENSE[vega]}" "${LICENSE[vega-lite]}" "${LICENSE[vega-embed]}" "${LICENSE[vega-interpreter]}" \
  || die "writing VERSIONS.json failed"

# --- Swap in ----------------------------------------------------------------
case "$VENDOR" in */laget/web/static/vendor) ;; *) die "refusing to wipe unexpected path $VENDOR" ;; esac
rm -rf "$VENDOR"
mkdir -p "$VENDOR"
cp -R "$OUT/." "$VENDOR/"

total="$(du -sb "$VENDOR" | cut -f1)"
nfiles="$(find "$VENDOR" -type f | wc -l)"
log "punkt-css ${VERSION[$CSS_PKG]}, punkt-assets ${VERSION[$ASSETS_PKG]}, htmx ${VERSION[htmx.org]}, axe-core ${VERSION[axe-core]}"
log "vega ${VERSION[vega]}, vega-lite ${VERSION[vega-lite]}, vega-embed ${VERSION[vega-embed]}, vega-interpreter ${VERSION[vega-interpreter]}"
log "punkt CSS: $n_refs url() references resolved locally (sha256 $after_sha)"
log "wrote $nfiles files, $total bytes to ${VENDOR#"$ROOT"/}"
