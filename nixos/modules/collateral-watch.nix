# services.attest-collateral-watch: the collateral keeper (`attest collateral watch`). It
# keeps the attestation chain's Intel TDX and AMD SEV-SNP collateral fresh: every `interval`
# seconds (and before a stored item comes within `margin` seconds of its nextUpdate) it
# fetches what the chain's workers use from Intel PCS and AMD KDS, verifies it against the
# chain's own roots and uploads what is newer. Uploads are permissionless: any funded account
# can run it. Runs on any host (it needs no TEE); Prometheus metrics on `metricsAddress`.
{
  config,
  lib,
  ...
}:
let
  cfg = config.services.attest-collateral-watch;
in
{
  options.services.attest-collateral-watch = {
    enable = lib.mkEnableOption "the attestation chain's collateral keeper";
    package = lib.mkOption {
      type = lib.types.package;
      description = "The package with bin/attest.";
    };
    node = lib.mkOption {
      type = lib.types.str;
      example = "wss://rpc.attestation.example.org";
      description = "WebSocket endpoint of a node of the attestation chain.";
    };
    pcs = lib.mkOption {
      type = lib.types.str;
      default = "https://api.trustedservices.intel.com";
      description = "Intel PCS v4 API (or a PCCS) base URL; TDX collateral needs no API key.";
    };
    kds = lib.mkOption {
      type = lib.types.str;
      default = "https://kdsintf.amd.com";
      description = "AMD KDS base URL (no API key).";
    };
    margin = lib.mkOption {
      type = lib.types.ints.positive;
      default = 7 * 86400;
      description = "Refresh an item this many seconds before its nextUpdate.";
    };
    interval = lib.mkOption {
      type = lib.types.ints.positive;
      default = 3600;
      description = "Seconds between rounds (each asks the sources for newer collateral).";
    };
    keyFile = lib.mkOption {
      type = lib.types.str;
      example = "/run/keys/collateral-uploader";
      description = ''
        File with the sr25519 secret URI of the account that pays for uploads (a hex seed,
        mnemonic or //path). Passed to the service as a systemd credential, never copied into
        the Nix store.
      '';
    };
    metricsAddress = lib.mkOption {
      type = lib.types.nullOr lib.types.str;
      default = "127.0.0.1:9616";
      description = "Where to serve Prometheus metrics (/metrics); null: none.";
    };
  };

  config = lib.mkIf cfg.enable {
    systemd.services.attest-collateral-watch = {
      description = "Keep the attestation chain's TDX and SEV-SNP collateral fresh";
      wantedBy = [ "multi-user.target" ];
      after = [ "network-online.target" ];
      wants = [ "network-online.target" ];
      serviceConfig = import ../lib/network-service-hardening.nix // {
        ExecStart = lib.concatStringsSep " " (
          [
            "${cfg.package}/bin/attest"
            "--node ${lib.escapeShellArg cfg.node}"
            "collateral watch"
            "--pcs ${lib.escapeShellArg cfg.pcs}"
            "--kds ${lib.escapeShellArg cfg.kds}"
            "--margin ${toString cfg.margin}"
            "--interval ${toString cfg.interval}"
            "--key-file %d/uploader-key"
          ]
          ++ lib.optional (cfg.metricsAddress != null) "--metrics ${cfg.metricsAddress}"
        );
        LoadCredential = [ "uploader-key:${cfg.keyFile}" ];
        # Sources rate-limit: do not hammer them after a crash.
        RestartSec = 30;
      };
    };
  };
}
