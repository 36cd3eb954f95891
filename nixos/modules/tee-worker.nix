# services.tee-worker: the attestation agent. It registers the VM on the attestation chain
# with evidence from the TEE (configfs-tsm or /dev/sev-guest) and answers re-attestation
# requests; its keys live in its state directory (0700), sealed to the TPM's PCRs
# (`tpm.mode`), and it refuses to start with sealed keys it cannot unseal.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.services.tee-worker;
  workerLib = import ../lib/worker-config.nix;
  settings = workerLib.workerToml {
    inherit (cfg) node tee;
    api = cfg.apiAddress;
    dataDir = "/var/lib/tee-worker";
    tpm = cfg.tpm.mode;
    tpmPcrs = cfg.tpm.pcrs;
    services = cfg.measuredServices;
  };
  configFile = (pkgs.formats.toml { }).generate "tee-worker.toml" settings;
  # Runs as root before the worker: the kernel creates configfs-tsm report entries owned by
  # root with a write-only inblob (0200), so the entry is made here and handed to group tee.
  measuredUnits = lib.filter (u: u != null) (map (s: s.unit) cfg.measuredServices);
  copyCcel = pkgs.writeShellScript "tee-worker-copy-ccel" ''
    ccel=/sys/firmware/acpi/tables/data/CCEL
    [ -r "$ccel" ] || exit 0
    install -D -m 0444 "$ccel" /run/tee-worker/ccel.log
  '';
  prepareTsm = pkgs.writeShellScript "tee-worker-prepare-tsm" ''
    report=/sys/kernel/config/tsm/report
    [ -d "$report" ] || exit 0
    mkdir -p "$report/tee-worker"
    chgrp -R tee "$report/tee-worker"
    chmod -R g+rw "$report/tee-worker"
  '';
in
{
  options.services.tee-worker = {
    enable = lib.mkEnableOption "the tee-worker attestation agent";
    package = lib.mkOption {
      type = lib.types.package;
      description = "The tee-worker package.";
    };
    node = lib.mkOption {
      type = lib.types.str;
      example = "wss://rpc.attestation.example.org";
      description = "WebSocket endpoint of a node of the attestation chain.";
    };
    tee = lib.mkOption {
      type = lib.types.enum [
        "auto"
        "tdx"
        "snp"
      ];
      default = "auto";
      description = "Evidence provider (mock is deliberately not offered in an image).";
    };
    apiAddress = lib.mkOption {
      type = lib.types.str;
      default = "127.0.0.1:8080";
      description = "Address of the worker's HTTP API.";
    };
    tpm.mode = lib.mkOption {
      type = lib.types.enum [
        "auto"
        "required"
        "off"
      ];
      default = "auto";
      description = ''
        Seal the worker's keys to the TPM: when one is present (auto), always (required: no
        TPM or plain key files is an error), or never (off).
      '';
    };
    tpm.pcrs = lib.mkOption {
      type = lib.types.listOf lib.types.int;
      default = [
        4
        7
        9
      ];
      description = ''
        SHA-256 PCRs new keys are sealed to. After a change of any of them (new kernel,
        initrd, command line, boot loader, Secure Boot state) the keys cannot be unsealed
        and the worker refuses to start: move /var/lib/tee-worker/keys.sealed away to start
        over with a new identity, which then registers anew.
      '';
    };
    measuredServices = lib.mkOption {
      type = lib.types.listOf (
        lib.types.submodule {
          options = {
            name = lib.mkOption {
              type = lib.types.str;
              description = "Service name (its key in the service tree).";
            };
            derivation = lib.mkOption {
              type = lib.types.package;
              description = "The service's package; its store path is what the tree commits to.";
            };
            publicKeyFile = lib.mkOption {
              type = lib.types.str;
              description = "File with the service's compressed secp256k1 public key (hex).";
            };
            unit = lib.mkOption {
              type = lib.types.nullOr lib.types.str;
              default = null;
              example = "echo-rust.service";
              description = "The systemd unit that writes the public key; the worker starts after it.";
            };
          };
        }
      );
      default = [ ];
      description = "Services measured into the service tree.";
    };
  };

  config = lib.mkIf cfg.enable {
    assertions =
      map
        (message: {
          assertion = false;
          inherit message;
        })
        (
          workerLib.problems {
            inherit (cfg) tee;
            services = cfg.measuredServices;
            tpmPcrs = cfg.tpm.pcrs;
          }
        );

    environment.etc."tee-worker/worker.toml".source = configFile;

    # The boot step (TDX): before the worker or any measured service starts, extend RTMR3
    # with the system's and each service's store path and write the runtime log; then give
    # the worker a copy of the firmware's CCEL log (root-only in sysfs). A failure stops the
    # boot of the worker and the services: unmeasured, they would attest nothing. On SEV-SNP
    # it only logs that the launch measurement covers the system.
    systemd.services.tee-worker-measure = {
      description = "Measure the system and the measured services into RTMR3";
      wantedBy = [ "multi-user.target" ];
      requiredBy = [ "tee-worker.service" ] ++ measuredUnits;
      before = [ "tee-worker.service" ] ++ measuredUnits;
      restartIfChanged = false;
      serviceConfig = {
        Type = "oneshot";
        RemainAfterExit = true;
        ExecStart = "${cfg.package}/bin/tee-worker --measure-boot --config /etc/tee-worker/worker.toml";
        ExecStartPost = "${copyCcel}";
      };
    };

    systemd.services.tee-worker = {
      description = "TEE attestation agent";
      wantedBy = [ "multi-user.target" ];
      after = [
        "network-online.target"
      ]
      ++ measuredUnits;
      wants = [ "network-online.target" ];
      restartTriggers = [ configFile ];
      serviceConfig = {
        ExecStartPre = "+${prepareTsm}";
        ExecStart = "${cfg.package}/bin/tee-worker --config /etc/tee-worker/worker.toml";
        Restart = "always";
        RestartSec = 5;
        # Not DynamicUser: the keys in /var/lib/tee-worker must keep their owner across
        # restarts and the TEE interfaces need a fixed group (see below).
        User = "tee-worker";
        Group = "tee-worker";
        SupplementaryGroups = [
          "tee"
        ]
        ++ lib.optional config.security.tpm2.enable config.security.tpm2.tssGroup;
        StateDirectory = "tee-worker";
        StateDirectoryMode = "0700";
        NoNewPrivileges = true;
        ProtectSystem = "strict";
        ProtectHome = true;
        PrivateTmp = true;
        ProtectKernelModules = true;
        ProtectKernelTunables = true;
        ProtectControlGroups = true;
        RestrictAddressFamilies = [
          "AF_INET"
          "AF_INET6"
          "AF_UNIX"
        ];
        LockPersonality = true;
        MemoryDenyWriteExecute = true;
        RestrictRealtime = true;
        SystemCallArchitectures = "native";
        CapabilityBoundingSet = "";
        DeviceAllow = [
          "/dev/sev-guest rw"
          "/dev/tpmrm0 rw"
        ];
        # Re-opened for writing under ProtectKernelTunables; "-": absent on guests without
        # configfs-tsm (the /dev/sev-guest fallback).
        ReadWritePaths = [ "-/sys/kernel/config/tsm/report" ];
      };
    };

    users.users.tee-worker = {
      isSystemUser = true;
      group = "tee-worker";
    };
    users.groups.tee-worker = { };
    users.groups.tee = { };
    # The TEE report interfaces belong to group `tee`; so does the TPM unless
    # security.tpm2 manages it (then the worker joins its group).
    services.udev.extraRules = ''
      KERNEL=="sev-guest", GROUP="tee", MODE="0660"
    ''
    + lib.optionalString (!config.security.tpm2.enable) ''
      KERNEL=="tpmrm0", GROUP="tee", MODE="0660"
    '';
  };
}
