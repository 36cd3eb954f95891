#!/usr/bin/env bash
# What of the NixOS image can be checked without nixpkgs (which cannot be fetched here):
#   1. every .nix file parses (nix-instantiate --parse, Debian's nix-bin);
#   2. is formatted (nixfmt, the nixfmt_rs implementation) and has no dead code (deadnix);
#   3. the pure configuration logic evaluates and passes its checks (tests/eval.nix), and the
#      worker configuration it generates is accepted by the real tee-worker parser;
#   4. the boot step of the image (tee-worker --measure-boot, the tee-worker-measure unit)
#      runs on that configuration against a stand-in RTMR3 file, and `attest event-log`
#      reads the runtime log it wrote: the system and each measured service;
#   5. run-vm.sh --tee tdx|snp|none --print gives each TEE's QEMU command line;
#   6. release.sh (the release.json of `nix build ./nixos#release`) on stand-in files.
# Usage: nixos/check.sh <target-dir with release/tee-worker and release/attest>
# (scripts/test.sh passes it).
set -euo pipefail
cd "$(dirname "$0")"
target_dir="$1"
tools=/opt/tee-attest-tools/bin
export NIX_REMOTE=""   # parse/evaluate only: no daemon, no store writes

mapfile -t files < <(find . -name '*.nix' | sort)
echo "nix: ${#files[@]} files" >&2
for f in "${files[@]}"; do
  nix-instantiate --parse "$f" >/dev/null 2>/tmp/nix-parse.err ||
    { echo "nix: $f does not parse:" >&2; cat /tmp/nix-parse.err >&2; exit 1; }
done
"$tools/nixfmt" --check "${files[@]}"
"$tools/deadnix" --fail "${files[@]}"

json="$(nix-instantiate --eval --strict --json tests/eval.nix 2> >(grep -v nixbld >&2))"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 - "$json" "$tmp" <<'PY'
import json, sys, os
settings, tmp = json.loads(sys.argv[1]), sys.argv[2]
key = os.path.join(tmp, "echo.pub")
# secp256k1's generator, compressed: a valid public key for the measured service.
open(key, "w").write("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798\n")
q = lambda s: json.dumps(s)
lines = [f"{k} = {q(v)}" for k, v in settings.items() if k != "service"]
for s in settings["service"]:
    s = dict(s, **{"public-key-file": key})
    lines += ["", "[[service]]"] + [f"{k} = {q(v)}" for k, v in s.items()]
open(os.path.join(tmp, "worker.toml"), "w").write("\n".join(lines) + "\n")
PY
# The generated file must parse and validate; the worker then stops at evidence selection
# (this machine is not a TEE): exit 1 with "no TEE interface found", never 2 (bad config).
set +e
out="$("$target_dir/release/tee-worker" --config "$tmp/worker.toml" --data-dir "$tmp/data" \
  --configfs-tsm "$tmp/no-tsm" --api 127.0.0.1:0 2>&1)"
status=$?
set -e
if [ "$status" -ne 1 ] || ! grep -q "no TEE interface found" <<<"$out"; then
  echo "nix: the generated worker.toml was not accepted (exit $status):" >&2
  echo "$out" >&2
  exit 1
fi

# 4. The boot step on the generated configuration: a system symlink and a stand-in RTMR3 file.
ln -s /nix/store/00000000000000000000000000000000-nixos-system-tee-vm "$tmp/current-system"
: >"$tmp/rtmr3"
"$target_dir/release/tee-worker" --config "$tmp/worker.toml" --tee tdx --measure-boot \
  --system-path "$tmp/current-system" --rtmr3-extend "$tmp/rtmr3" \
  --runtime-log "$tmp/run/rtmr3.log" >/dev/null
events="$("$target_dir/release/attest" --json event-log --log "$tmp/run/rtmr3.log")"
python3 - "$events" "$json" <<'PY'
import json, sys
log, settings = json.loads(sys.argv[1]), json.loads(sys.argv[2])
payloads = [e["payload"] for e in log["events"]]
want = ["system /nix/store/00000000000000000000000000000000-nixos-system-tee-vm"] + [
    f"service {s['name']} {s['derivation']}" for s in settings["service"]]
assert payloads == want, (payloads, want)
assert all(e["register"] == "rtmr3" and e["payload_measured"] for e in log["events"])
PY
# A second run in the same boot is refused (exit 1).
if "$target_dir/release/tee-worker" --config "$tmp/worker.toml" --tee tdx --measure-boot \
  --system-path "$tmp/current-system" --rtmr3-extend "$tmp/rtmr3" \
  --runtime-log "$tmp/run/rtmr3.log" 2>/dev/null; then
  echo "nix: a second --measure-boot in one boot was not refused" >&2
  exit 1
fi

# 5. The QEMU command line of each TEE.
vm() { IMAGE=/images/tee-attest-vm.raw UKI=/images/tee-attest-vm.efi bash run-vm.sh --print --tee "$1"; }
grep -q -- "confidential-guest-support=tdx0" <<<"$(vm tdx)"
grep -q -- '"qom-type":"tdx-guest"' <<<"$(vm tdx)"
grep -q -- "sev-snp-guest,id=sev0,cbitpos=51,reduced-phys-bits=1,kernel-hashes=on" <<<"$(vm snp)"
grep -q -- "-kernel /images/tee-attest-vm.efi" <<<"$(vm snp)"
if grep -q -- "confidential-guest-support" <<<"$(vm none)"; then
  echo "nix: --tee none must not ask for a confidential guest" >&2
  exit 1
fi
if vm bogus 2>/dev/null; then
  echo "nix: run-vm.sh accepted --tee bogus" >&2
  exit 1
fi
# 6. release.sh (what `nix build ./nixos#release` runs) on stand-ins for the image's files:
# the AmdSev OVMF footer of testvectors/snp-measure, Debian's OVMF.fd as TDVF, and systemd's
# EFI stub as the UKI (a PE image).
rel="$tmp/release"
mkdir -p "$rel"
cp ../testvectors/snp-measure/ovmf_AmdSev_suffix.bin "$rel/ovmf-snp.fd"
cp /usr/share/ovmf/OVMF.fd "$rel/tdvf.fd"
cp /usr/lib/systemd/boot/efi/linuxx64.efi.stub "$rel/uki.efi"
system=/nix/store/00000000000000000000000000000000-nixos-system-tee-vm
PATH="$target_dir/release:$PATH" bash release.sh "$rel" "$system" "tee-attest-vm test" 2 EPYC-v4
snp="$("$target_dir/release/attest" --json measure snp --firmware "$rel/ovmf-snp.fd" \
  --kernel "$rel/uki.efi" --vcpus 2 --vcpu-type EPYC-v4)"
mrtd="$("$target_dir/release/attest" --json measure tdx --firmware "$rel/tdvf.fd")"
python3 - "$rel" "$system" "$snp" "$mrtd" <<'PY'
import hashlib, json, sys
rel, system, snp, mrtd = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
r = json.load(open(f"{rel}/release.json"))
assert r["snp_measurement"] == snp["measurement"], r
assert r["system_hashes"] == [hashlib.sha256(system.encode()).hexdigest()], r
assert r["inputs"]["system_path"] == system and r["inputs"]["kernel"] == "uki.efi", r
assert r["inputs"]["snp"] == {"firmware": "ovmf-snp.fd", "vcpus": 2, "vcpu_type": "EPYC-v4",
                              "guest_features": "0x1"}, r
assert open(f"{rel}/tdx-mrtd").read().strip() == mrtd["mrtd"]
PY
if bash release.sh "$rel" 2>/dev/null; then
  echo "nix: release.sh accepted missing arguments" >&2
  exit 1
fi
echo "nix: parse, format, deadnix, evaluation, generated worker config, boot step, run-vm.sh, release.sh: ok" >&2
